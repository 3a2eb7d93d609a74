"""Registers every subcommand on the ``complaints`` app (one import per command module)."""

import flows.cli_scorecards
import flows.cli_serve  # noqa: F401
