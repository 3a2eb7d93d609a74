"""Registers every subcommand on the ``complaints`` app (one import per command module)."""

import flows.cli_build  # noqa: F401  build, run, docs
from flows import cli_generate  # noqa: F401
