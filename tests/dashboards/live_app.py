"""Serve the dashboard with ``streamlit run`` and drive it with a real headless Chromium.

Shared by the browser test and the dashboard benchmark. Chromium is Debian's (/usr/bin/chromium,
installed by .ci/run); Playwright only drives it, it never downloads a browser.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from flows.cli.dashboard import streamlit_command

CHROMIUM = Path(os.environ.get("COMPLAINTS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(port: int, timeout: float, process=None) -> None:
    """Poll the server's health endpoint until it answers (or the process exits)."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError("streamlit exited early")
        try:
            url = f"http://127.0.0.1:{port}/_stcore/health"
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not start within {timeout:g} s")
        time.sleep(0.3)


@contextlib.contextmanager
def running_dashboard(warehouse: Path, timeout: float = 60.0) -> Iterator[str]:
    """Start the app on a free port; yield its base URL; stop it afterwards."""
    port = free_port()
    env = {**os.environ, "COMPLAINTS_WAREHOUSE": str(warehouse)}
    log = open(warehouse.with_suffix(".streamlit.log"), "w")  # noqa: SIM115
    process = subprocess.Popen(
        streamlit_command("127.0.0.1", port), env=env, cwd=ROOT, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_listening(port, timeout, process)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; see {log.name}") from None
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def launch_chromium(playwright):
    """Debian's Chromium, headless; fails (never skips) when it is not installed."""
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium "
            "chromium-driver), as .ci/run does"
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def wait_for_page(page, title: str, charts: int = 0, timeout_ms: float = 30000) -> None:
    """Wait until the page's title, its first ``charts`` plotly charts and the script run are
    done and every element has drawn (Streamlit fills the page over a websocket; plotly and the
    data grid draw after their lazily loaded code)."""
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=timeout_ms)
    # The sidebar's data-as-of stamp is drawn after the page's content: the run has ended.
    page.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]').first.wait_for(
        timeout=timeout_ms
    )
    if charts:
        page.locator(".js-plotly-plot .main-svg").nth(charts - 1).wait_for(timeout=timeout_ms)
    # While the script runs Streamlit shows its status widget; wait until it is gone and every
    # chart on the page has drawn. Elements whose frontend code is still loading (plotly, the
    # data grid) are skeletons without their test id until then: wait until none is left.
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
            && !document.querySelector('[data-testid="stSkeleton"]')
            && [...document.querySelectorAll('[data-testid="stPlotlyChart"], .ci-chart')]
                .every((chart) => chart.querySelector('.main-svg'))""",
        timeout=timeout_ms,
    )


__all__ = ["launch_chromium", "running_dashboard", "wait_for_page"]
