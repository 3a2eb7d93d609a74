"""Registers every subcommand on the ``complaints`` app (one import per command module)."""

from flows import (
    cli_scorecards,  # noqa: F401
    cli_serve,  # noqa: F401
)
from flows import cli_generate  # noqa: F401
