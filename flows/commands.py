"""Registers every subcommand on the ``complaints`` app (one import per command module)."""
# One line per module, in merge order (the file is union-merged), so import sorting is off here.
# ruff: noqa: I001

from flows import cli_ingest  # noqa: F401
from flows import cli_build  # noqa: F401  build, run, docs
from flows import cli_dashboard  # noqa: F401
from flows import cli_generate  # noqa: F401
from flows import cli_scorecards  # noqa: F401
from flows import cli_serve  # noqa: F401
from flows import cli_sql  # noqa: F401
from flows import cli_alerts  # noqa: F401
