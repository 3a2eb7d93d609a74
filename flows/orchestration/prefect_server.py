"""A local Prefect server for ``complaints serve`` when none is configured.

Schedules only fire against a running API. When ``PREFECT_API_URL`` is unset, ``local_server``
starts ``prefect server start`` in the background (or reuses one already answering on the
configured port), waits until it is healthy, points this process at it, and stops it again on
exit if it started it. Its UI (run history, artifacts) works offline.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from flows.errors import UserError


def ui_url(host: str, port: int) -> str:
    return f"http://{host}:{port}"


def is_healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def wait_until_healthy(
    api_url: str, timeout: float, process: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_healthy(api_url):
            return
        if process is not None and process.poll() is not None:
            raise UserError("err_prefect_exited", code=process.returncode)
        time.sleep(0.5)
    raise UserError("err_prefect_unhealthy", url=api_url, seconds=f"{timeout:.0f}")


def _die_with_parent() -> None:
    """On Linux, the server gets SIGTERM if this process dies without cleaning up (SIGKILL)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def local_server(
    host: str, port: int, log_file: Path, startup_timeout: float = 120.0
) -> Iterator[str]:
    """Yield the API URL to use, starting a server first when none is configured or running."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        if not is_healthy(configured, timeout=10):
            raise UserError("err_prefect_no_answer", url=configured)
        yield configured
        return
    api_url = f"{ui_url(host, port)}/api"
    if is_healthy(api_url):  # a server from an earlier run is still up: use it
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
        return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "prefect",
        "server",
        "start",
        "--host",
        host,
        "--port",
        str(port),
    ]
    with open(log_file, "ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own session: Ctrl-C reaches `serve` only, which pauses its schedules on the
            # still-running server and then stops it below.
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    try:
        wait_until_healthy(api_url, startup_timeout, process)
        os.environ["PREFECT_API_URL"] = api_url
        yield api_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
