"""Registers every subcommand on the ``complaints`` app (one import per command module)."""

from flows import cli_dashboard  # noqa: F401
from flows import cli_generate  # noqa: F401
