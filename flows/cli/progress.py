"""What the terminal shows while a long command works: one progress bar per stage, and library
log records (Prefect, Great Expectations, dbt, warnings) in a log file instead of the terminal."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from flows.cli.shared import err_console
from flows.i18n import MESSAGES, say

# (total steps if known, what was just finished) -> None; fed by the ingest and the build.
StepProgress = Callable[[int | None, str], None]

LOG_FILE = Path(__file__).resolve().parents[2] / "logs" / "complaints.log"


@contextlib.contextmanager
def stage_progress(stage: str) -> Iterator[StepProgress]:
    """A transient bar on stderr: steps done of the total, the last step's name, time elapsed."""
    name = say(f"stage_{stage}") if f"stage_{stage}" in MESSAGES else stage
    with Progress(
        TextColumn(f"[bold]{name}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def advance(total: int | None, what: str) -> None:
            bar.update(task, total=total, advance=1, description=what)

        yield advance


def send_library_logs_to_file(path: Path = LOG_FILE) -> Path:
    """Route every log record that reaches the root logger to ``path`` instead of the terminal.

    Prefect installs a console handler on the root logger at import, so Great Expectations' and
    Prefect's own INFO lines would otherwise interleave with the progress bars and tables.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.StreamHandler) and not isinstance(
            handler, logging.FileHandler
        ):
            root.removeHandler(handler)
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    return path
