"""The SQL console's query execution, shared by ``complaints sql`` and the dashboard's SQL page.

Safe by construction rather than by inspecting statements:

- the query runs on the analysts' copy (``flows.build.serving``: the marts without personal
  keys), so no table function, ``EXPLAIN``, serialized plan or catalog view can reach anything else;
- the file is opened read-only with external access disabled (no files, network, ATTACH,
  INSTALL/LOAD) and the configuration locked (no ``SET`` undoes a limit);
- the query runs in a separate worker process with DuckDB's ``memory_limit``,
  ``max_temp_directory_size`` (in a private temp folder) and ``threads`` caps; the parent kills it
  at the time limit or when its resident memory passes twice the cap, so nothing keeps running
  after the console says "stopped".

At most ``max_rows`` rows are fetched. Every failure becomes a one-line message; the only values a
message can carry come from the analysts' copy itself. This file also is the worker: the parent
runs it by path (``python -I flows/console.py``) with the request on stdin and reads a pickled
answer from stdout, so the worker imports nothing of the project.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the worker imports only duckdb: it starts faster
    import pandas as pd

WORKER = Path(__file__).resolve()
PAGE_SIZE = 4096


@dataclasses.dataclass(frozen=True)
class ConsoleLimits:
    """What one console query may use (from the project settings)."""

    timeout_seconds: float = 10.0
    max_rows: int = 5000
    memory_limit: str = "512MB"
    temp_limit: str = "1GB"
    threads: int = 1
    # Instants come back in this zone (the platform's, from the settings), as on every other
    # face; empty keeps DuckDB's default (UTC).
    timezone: str = ""


@dataclasses.dataclass
class ConsoleResult:
    frame: pd.DataFrame | None
    error: str | None
    truncated: bool
    seconds: float


def run_query(path: Path | str, sql: str, limits: ConsoleLimits | None = None) -> ConsoleResult:
    """Run one analyst query on the analysts' copy ``path``; never raises for a bad query."""
    limits = limits or ConsoleLimits()
    started = time.perf_counter()
    path = Path(path)
    if not path.exists():
        return ConsoleResult(
            None,
            f"no analysts' copy at {path}: run 'complaints build' to publish it",
            False,
            0.0,
        )
    with tempfile.TemporaryDirectory(prefix="complaints-console-") as scratch:
        request = {
            "path": str(path),
            "sql": sql,
            "max_rows": limits.max_rows,
            "timezone": limits.timezone,
            "config": {
                "memory_limit": limits.memory_limit,
                "max_temp_directory_size": limits.temp_limit,
                "temp_directory": scratch,
                "threads": limits.threads,
            },
        }
        answer, stopped = _run_worker(request, limits)
    seconds = time.perf_counter() - started
    if stopped:
        return ConsoleResult(None, stopped, False, seconds)
    if answer.get("error"):
        return ConsoleResult(None, answer["error"], False, seconds)
    import pandas as pd

    frame = pd.DataFrame(answer["rows"], columns=answer["columns"])
    return ConsoleResult(frame, None, answer["truncated"], seconds)


def _run_worker(request: dict[str, Any], limits: ConsoleLimits) -> tuple[dict[str, Any], str]:
    """Start the worker, feed it the request, wait; kill it at the time or memory limit."""
    process = subprocess.Popen(
        [sys.executable, "-I", str(WORKER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    memory_cap = 2 * _bytes(limits.memory_limit) + 256 * 2**20  # interpreter and result rows
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(request).encode("utf-8"))
        process.stdin.close()
        # Read while it runs: a large answer fills the pipe before the worker can exit.
        chunks: list[bytes] = []

        def read() -> None:
            with contextlib.suppress(OSError, ValueError):  # closed when the worker is killed
                chunks.append(process.stdout.read())

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        deadline = time.monotonic() + limits.timeout_seconds
        stopped = ""
        while process.poll() is None:
            if time.monotonic() >= deadline:
                stopped = f"the query ran longer than {limits.timeout_seconds:g} s and was stopped"
                break
            if _resident_bytes(process.pid) > memory_cap:
                stopped = f"the query used more than the console's memory ({limits.memory_limit})"
                break
            time.sleep(0.02)
        if stopped:
            _kill(process)
            return {}, stopped
        reader.join()
        output = b"".join(chunks)
    finally:
        _kill(process)
    try:
        return pickle.loads(output), ""
    except Exception:
        return {}, "the query stopped without an answer (its worker ended)"


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None and not stream.closed:
            stream.close()


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def _bytes(size: str) -> int:
    """'512MB' → bytes (DuckDB's units: KB, MB, GB, TB as powers of 1000, KiB… of 1024)."""
    text = size.strip().upper().replace(" ", "")
    units = {"KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
    units |= {"KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12, "B": 1}
    for unit, factor in units.items():
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * factor)
    return int(float(text))


def limits_from(settings: Any, **given: Any) -> ConsoleLimits:
    """The console limits of the project settings; ``given`` values (not None) override."""
    limits = ConsoleLimits(
        timeout_seconds=settings.sql_console_timeout_seconds,
        max_rows=settings.sql_console_max_rows,
        memory_limit=settings.sql_console_memory_limit,
        temp_limit=settings.sql_console_temp_limit,
        threads=settings.sql_console_threads,
        timezone=settings.timezone,
    )
    return dataclasses.replace(limits, **{k: v for k, v in given.items() if v is not None})


DBT_TARGET = Path(__file__).resolve().parents[1] / "target"


def schema(path: Path | str, docs_dir: Path | str = DBT_TARGET) -> pd.DataFrame:
    """Every table of the analysts' copy ``path`` with its columns, types and, when dbt docs
    exist, descriptions (a row with an empty column name carries the table's own description)."""
    import duckdb
    import pandas as pd

    with duckdb.connect(str(path), read_only=True) as con:
        frame = con.execute(
            """select table_name, column_name, data_type from information_schema.columns
               where table_schema = 'marts' order by table_name, ordinal_position"""
        ).df()
    docs = column_docs(Path(docs_dir))
    tables = pd.DataFrame({"table_name": frame["table_name"].unique()})
    tables["column_name"], tables["data_type"] = "", ""
    frame = pd.concat([tables, frame], ignore_index=True)
    frame["doc"] = [
        docs.get((table, column), "")
        for table, column in zip(frame["table_name"], frame["column_name"], strict=True)
    ]
    # Stable sort by table only: the table's own row first, then columns in their order.
    return frame.sort_values("table_name", kind="stable", ignore_index=True)


def column_docs(target: Path) -> dict[tuple[str, str], str]:
    """(table, column) → description of the marts from dbt's manifest, (table, "") for the
    table itself; empty when there are no docs."""
    manifest = target / "manifest.json"
    try:
        nodes = json.loads(manifest.read_text(encoding="utf-8")).get("nodes", {})
    except (OSError, ValueError):
        return {}
    docs: dict[tuple[str, str], str] = {}
    for node in nodes.values():
        if node.get("resource_type") != "model" or node.get("schema", "marts") != "marts":
            continue
        table = node.get("alias") or node.get("name")
        if node.get("description"):
            docs[(table, "")] = node["description"]
        for column, info in (node.get("columns") or {}).items():
            if info.get("description"):
                docs[(table, column)] = info["description"]
    return docs


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# ---- the worker (runs in its own process) ------------------------------------------------------


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    import duckdb

    config = {
        **request["config"],
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
    }
    try:
        con = duckdb.connect(request["path"], read_only=True, config=config)
    except duckdb.Error as exc:
        return {"error": one_line(exc)}
    try:
        if request.get("timezone"):  # icu is built in; set before the configuration is locked
            zone = str(request["timezone"]).replace("'", "''")
            con.execute(f"set TimeZone = '{zone}'")
        # After the temp folder is set (DuckDB refuses it once external access is off): no files,
        # no network; unqualified names are marts; then no SET may change any setting.
        con.execute("set enable_external_access = false")
        con.execute("set search_path = 'marts'")
        con.execute("set lock_configuration = true")
        statements = con.extract_statements(request["sql"])
        if len(statements) != 1:
            return {"error": "enter exactly one statement" if statements else "the query is empty"}
        kind = statements[0].type
        if kind not in (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN):
            return {"error": f"only read queries (SELECT) are allowed; this is a {kind.name}"}
        cursor = con.execute(request["sql"])
        columns = [column[0] for column in cursor.description or []]
        rows = cursor.fetchmany(request["max_rows"] + 1)
        return {
            "columns": columns,
            "rows": rows[: request["max_rows"]],
            "truncated": len(rows) > request["max_rows"],
        }
    except Exception as exc:  # DuckDB's refusal or an SQL error: its first line
        return {"error": one_line(exc)}
    finally:
        con.close()


def _worker_main() -> None:
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    answer = _answer(request)
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _worker_main()
