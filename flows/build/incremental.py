"""Whether a build runs incrementally, and from where (docs/incremental.md).

A build records what it saw in ``meta.build_state``: the newest raw row loaded (the watermark), its
reference time and a fingerprint of everything besides the data that shapes the marts (the dbt
vars and the project's models and macros). The next build is incremental (dbt redoes only the order
weeks touched since the watermark) when that state exists, the fingerprint is the same and the
reference time did not go back; otherwise, or when asked, it is a full rebuild. Never a mix.
A build marks the state as started before dbt runs, so one that does not finish (a failure, a
killed process) makes the next a full rebuild.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

import duckdb

from flows.config import Settings

PROJECT_DIR = Path(__file__).resolve().parents[2]

# The models kept by order week (config incremental_by_order_week(), macros/incremental.sql) and
# their schema: the Spark build keeps their tables between runs.
INCREMENTAL_MODELS = ("int_order_lines_flagged", "int_sku_week_counts", "int_merchant_week_counts")
INCREMENTAL_SCHEMA = "intermediate"

BUILD_STATE_DDL = """
create table if not exists meta.build_state (
    engine varchar primary key,
    fingerprint varchar,
    watermark timestamptz,
    as_of timestamptz,
    built_at timestamptz,
    mode varchar
)
"""

# Every raw table and the ledger of replaced rows: the newest load time among them is the watermark.
_WATERMARK_SQL = """
select greatest(
    (select max(_ingested_at) from raw.orders),
    (select max(_ingested_at) from raw.complaints),
    (select max(_ingested_at) from raw.complaint_events),
    (select max(_ingested_at) from raw.skus),
    (select max(_ingested_at) from raw.merchants),
    (select max(_ingested_at) from raw.corrective_actions),
    (select max(replaced_at) from meta.replaced_rows)
)
"""


# meta.build_state.mode while a build runs.
STARTED = "started"

# Read by macros/incremental.sql when dbt executes a model (never while it parses).
SINCE_ENV = "COMPLAINTS_INCREMENTAL_SINCE"


@dataclass(frozen=True)
class BuildPlan:
    """How the next build runs: full, or incremental from ``since`` (the last build's watermark)."""

    full: bool
    reason: str
    since: datetime | None
    watermark: datetime | None
    fingerprint: str

    def dbt_env(self) -> dict[str, str]:
        """Where an incremental build starts, for macro ``incremental_since`` (empty on a full
        build). An environment variable, not a dbt var: dbt parses the whole project again when
        any ``--vars`` value changes, and this one changes with every run."""
        return {SINCE_ENV: "" if self.full or not self.since else self.since.isoformat()}


def fingerprint(settings: Settings) -> str:
    """What besides the data decides the marts: the vars (without as_of, checked on its own) and
    the project's SQL. A change in any of them makes the next build a full one."""
    from flows.text.segment import segmenter_version  # jieba: imported by the build's text step

    digest = hashlib.sha256()
    digest.update(json.dumps(settings.dbt_vars(None), sort_keys=True, default=str).encode())
    for folder in ("models", "macros"):
        for path in sorted((PROJECT_DIR / folder).rglob("*")):
            if path.is_file() and path.suffix in {".sql", ".yml", ".py"}:
                digest.update(str(path.relative_to(PROJECT_DIR)).encode())
                digest.update(path.read_bytes())
    digest.update((PROJECT_DIR / "dbt_project.yml").read_bytes())
    # The priors' fit runs in the Python models' process: its code decides the kept priors too.
    digest.update((PROJECT_DIR / "flows" / "priors.py").read_bytes())
    # The working calendar comes from the installed holiday tables: a release with another year
    # or a corrected holiday moves working-time deadlines of complaints kept from earlier builds.
    digest.update(f"chinesecalendar {_installed_version('chinesecalendar')}".encode())
    # A new segmenter re-segments every description (flows/text/store.py): the terms of complaints
    # kept from earlier builds change with it.
    digest.update(f"segmenter {segmenter_version()}".encode())
    return digest.hexdigest()


def _installed_version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def plan_build(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    as_of: datetime | None,
    full_refresh: bool = False,
    engine: str = "duckdb",
    tables_kept: bool = True,
) -> BuildPlan:
    """Decide full or incremental for a build at reference time ``as_of`` (the effective one).
    ``tables_kept``: the previous build's incremental tables are still there (Spark keeps them
    outside the warehouse file)."""
    con.execute(BUILD_STATE_DDL)
    watermark = con.execute(_WATERMARK_SQL).fetchone()[0]
    print_ = fingerprint(settings)
    row = con.execute(
        "select fingerprint, watermark, as_of, mode from meta.build_state where engine = ?",
        [engine],
    ).fetchone()

    def full(reason: str) -> BuildPlan:
        return BuildPlan(True, reason, None, watermark, print_)

    if full_refresh:
        return full("asked for (--full-refresh)")
    if row is None:
        return full("no previous build")
    previous_print, since, previous_as_of, mode = row
    if mode == STARTED:
        return full("the last build did not finish")
    if not tables_kept:
        return full("the previous build's incremental tables are gone")
    if previous_print != print_:
        return full("settings or models changed since the last build")
    if since is None:
        return full("the last build saw no data")
    if as_of is None or (previous_as_of is not None and as_of < previous_as_of):
        return full("the reference time went back")
    return BuildPlan(False, "incremental", since, watermark, print_)


def record_start(con: duckdb.DuckDBPyConnection, engine: str = "duckdb") -> None:
    """Mark the engine's build as started (``record_build`` replaces the mark when it succeeds).
    Some models kept between builds compare with their own previous version
    (``int_sla_stages_observed``), which a build that stopped half-way has already replaced: the
    next build must not continue from it."""
    con.execute(BUILD_STATE_DDL)
    con.execute("update meta.build_state set mode = ? where engine = ?", [STARTED, engine])


def record_build(
    con: duckdb.DuckDBPyConnection,
    plan: BuildPlan,
    as_of: datetime | None,
    engine: str = "duckdb",
) -> None:
    """Remember what this (successful) build saw, for the next one to start from."""
    con.execute(BUILD_STATE_DDL)
    con.execute("delete from meta.build_state where engine = ?", [engine])
    con.execute(
        "insert into meta.build_state values (?, ?, ?, ?, now(), ?)",
        [engine, plan.fingerprint, plan.watermark, as_of, "full" if plan.full else "incremental"],
    )
