"""Compare two ingested warehouses: every raw.* and meta.* table, row for row, run stamps aside.

A change to the ingest that must not change what is loaded, quarantined or reported is checked by
ingesting the same folder with the earlier tree and with this one, then:

    uv run python benchmarks/compare_ingest.py BEFORE.duckdb AFTER.duckdb

Each table is compared as a multiset (``except all`` both ways) on every column except the times
of the run (when a row was ingested, quarantined, validated ...); row counts are printed beside.
Exit status 1 when any table differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.warehouse import RUN_STAMP_COLUMNS  # noqa: E402

# Stamps of the run, not facts of the data: the marts' list plus the raw and meta tables' own.
RUN_STAMPS = RUN_STAMP_COLUMNS | {"_ingested_at", "recorded_at", "replaced_at"}


def compare(before: Path, after: Path) -> bool:
    con = duckdb.connect()
    con.execute(f"attach '{before}' as b (read_only)")
    con.execute(f"attach '{after}' as a (read_only)")
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = 'b' and schema_name in ('raw', 'meta') order by all"
    ).fetchall()
    same = True
    for schema, table in tables:
        columns = [
            name
            for (name,) in con.execute(
                "select column_name from duckdb_columns() where database_name = 'b' "
                "and schema_name = ? and table_name = ? order by column_index",
                [schema, table],
            ).fetchall()
            if name not in RUN_STAMPS
        ]
        cols = ", ".join(f'"{c}"' for c in columns)
        name = f"{schema}.{table}"
        n_before = con.execute(f"select count(*) from b.{name}").fetchone()[0]
        n_after = con.execute(f"select count(*) from a.{name}").fetchone()[0]
        only_before = con.execute(
            f"select count(*) from (select {cols} from b.{name} except all "
            f"select {cols} from a.{name})"
        ).fetchone()[0]
        only_after = con.execute(
            f"select count(*) from (select {cols} from a.{name} except all "
            f"select {cols} from b.{name})"
        ).fetchone()[0]
        ok = only_before == 0 and only_after == 0 and n_before == n_after
        same &= ok
        print(
            f"{'same' if ok else 'DIFFERENT':9} {name:28} rows {n_before:>10,} / {n_after:>10,}"
            f"  only before {only_before:,}, only after {only_after:,}"
        )
    return same


if __name__ == "__main__":
    sys.exit(0 if compare(Path(sys.argv[1]), Path(sys.argv[2])) else 1)
