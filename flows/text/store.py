"""The warehouse's term store: each distinct description segmented once, before dbt runs.

Segmentation is incremental. Descriptions are keyed by ``md5(description)`` (the key dbt joins
on); ``meta.segmented_descriptions`` records which keys were segmented and by which segmenter
version, ``meta.description_terms`` holds their terms. A build segments only the keys it has not
seen; a new dictionary, stop-word list or rule version re-segments everything once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import duckdb
import pandas as pd

from flows.text.segment import Segmenter, default_segmenter

log = logging.getLogger(__name__)
BATCH = 20_000  # descriptions segmented and written at once

DDL = (
    "create schema if not exists meta",
    """create table if not exists meta.segmented_descriptions (
        description_hash varchar primary key,
        segmenter_version varchar not null,
        n_terms integer not null,
        segmented_at timestamptz not null
    )""",
    """create table if not exists meta.description_terms (
        description_hash varchar not null,
        term varchar not null,
        position integer not null
    )""",
)


@dataclass(frozen=True)
class SegmentStats:
    """What one incremental run did."""

    new_descriptions: int
    terms_written: int
    resegmented: bool
    seconds: float

    def summary(self) -> str:
        again = " (segmenter changed: all descriptions again)" if self.resegmented else ""
        return (
            f"segmented {self.new_descriptions} new description(s) into "
            f"{self.terms_written} term rows in {self.seconds:.1f}s{again}"
        )


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def segment_new_descriptions(
    con: duckdb.DuckDBPyConnection, segmenter: Segmenter | None = None
) -> SegmentStats:
    """Segment the descriptions of ``raw.complaints`` not segmented yet by this segmenter."""
    started = time.perf_counter()
    segmenter = segmenter or default_segmenter()
    pending, stale = pending_descriptions(con, segmenter.version)
    terms = segmenter.segment_many(description for _, description in pending)
    return write_terms(con, pending, terms, segmenter.version, stale, started)


def pending_descriptions(
    con: duckdb.DuckDBPyConnection, version: str
) -> tuple[list[tuple[str, str]], bool]:
    """The (hash, description) pairs still to segment by segmenter ``version``, and whether the
    terms of another version were dropped (they are all segmented again)."""
    for statement in DDL:
        con.execute(statement)
    stale = con.execute(
        "select count(*) from meta.segmented_descriptions where segmenter_version <> ?",
        [version],
    ).fetchone()[0]
    if stale:
        con.execute("delete from meta.description_terms")
        con.execute("delete from meta.segmented_descriptions")
    if not _has_table(con, "raw", "complaints"):
        return [], bool(stale)
    pending = con.execute(
        """
        select md5(description) as description_hash, any_value(description) as description
        from raw.complaints
        where description is not null
        group by 1
        having md5(description) not in (select description_hash from meta.segmented_descriptions)
        order by 1
        """
    ).fetchall()
    return [(row[0], row[1]) for row in pending], bool(stale)


def write_terms(
    con: duckdb.DuckDBPyConnection,
    pending: list[tuple[str, str]],
    all_terms: list[list[str]],
    version: str,
    stale: bool,
    started: float,
) -> SegmentStats:
    """Store the terms of the ``pending`` descriptions (``all_terms`` in the same order)."""
    new = written = 0
    for start in range(0, len(pending), BATCH):
        hashes = [row[0] for row in pending[start : start + BATCH]]
        terms = all_terms[start : start + BATCH]
        rows = pd.DataFrame(
            {
                "description_hash": [h for h, ts in zip(hashes, terms, strict=True) for _ in ts],
                "term": [t for ts in terms for t in ts],
                "position": [i for ts in terms for i in range(len(ts))],
            }
        )
        done = pd.DataFrame(
            {
                "description_hash": hashes,
                "segmenter_version": version,
                "n_terms": [len(ts) for ts in terms],
            }
        )
        con.register("new_terms", rows)
        con.register("new_done", done)
        con.execute("insert into meta.description_terms select * from new_terms")
        con.execute(
            "insert into meta.segmented_descriptions "
            "select description_hash, segmenter_version, n_terms, now() from new_done"
        )
        con.unregister("new_terms")
        con.unregister("new_done")
        new += len(hashes)
        written += len(rows)
    stats = SegmentStats(new, written, stale, time.perf_counter() - started)
    log.info(stats.summary())
    return stats
