"""Registers every subcommand on the ``complaints`` app (one import per command module)."""

# ruff: noqa: I001  (one line per module, so that branches adding commands merge without conflict)
from flows import cli_generate  # noqa: F401
from flows import cli_scorecards  # noqa: F401
from flows import cli_serve  # noqa: F401
