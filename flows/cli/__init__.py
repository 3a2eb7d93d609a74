"""The ``complaints`` command line: registers every subcommand (``flows.cli.commands``) on the
app of ``flows.cli.shared`` and runs it."""

from __future__ import annotations

import os
import sys

from flows.cli.shared import app
from flows.config import TELEMETRY_OFF
from flows.file_modes import UMASK

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    os.umask(UMASK)
    for name, value in TELEMETRY_OFF.items():
        os.environ.setdefault(name, value)
    _register_commands()
    app(prog_name="complaints")


def _register_commands() -> None:
    # Each command module registers its commands on ``app`` when imported.
    from flows.cli import commands  # noqa: F401


if __name__ == "__main__":
    sys.exit(main())
