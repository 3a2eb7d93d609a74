"""Registers every subcommand on the ``complaints`` app (one import per command module)."""

import flows.cli_ingest  # noqa: F401
from flows import cli_generate  # noqa: F401
