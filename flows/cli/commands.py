"""Registers every subcommand on the ``complaints`` app (one import per command module)."""
# One line per module, in merge order (the file is union-merged), so import sorting is off here.
# ruff: noqa: I001

from flows.cli import ingest  # noqa: F401
from flows.cli import build  # noqa: F401  build, run, docs
from flows.cli import dashboard  # noqa: F401
from flows.cli import generate  # noqa: F401
from flows.cli import scorecards  # noqa: F401
from flows.cli import serve  # noqa: F401
from flows.cli import sql  # noqa: F401
from flows.cli import alerts  # noqa: F401
from flows.cli import spark  # noqa: F401  export-raw
