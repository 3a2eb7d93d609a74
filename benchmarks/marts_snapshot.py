"""Snapshot the marts of the tests' warehouses and compare two snapshots.

A restructuring that must not change a number is checked by running ``dump`` before and after
it and then ``compare``: every column of every mart must be identical (columns may be added), apart
from the run-time stamps (build and ingest times).

    python benchmarks/marts_snapshot.py dump BEFORE_DIR   # hand-made rows + generated 20k lines
    python benchmarks/marts_snapshot.py compare BEFORE_DIR AFTER_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.warehouse import RUN_STAMP_COLUMNS  # noqa: E402


def dump_marts(warehouse: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
        for (table,) in tables:
            con.execute(f"copy (select * from marts.{table}) to '{out}/{table}.parquet'")


def dump(root: Path) -> None:
    """Build the hand-made warehouse of tests/models and the 20k generated one, dump both."""
    sys.path.insert(0, str(ROOT))
    from flows.build.run import build_and_publish
    from flows.config import Settings
    from tests.models.conftest import make_hand_warehouse
    from tests.warehouses import build_small_warehouse

    hand = make_hand_warehouse(root / "hand" / "warehouse.duckdb")
    build_and_publish(hand, Settings(), target_path=root / "target", log_path=root / "logs")
    dump_marts(hand, root / "dump_hand")
    dump_marts(build_small_warehouse(root / "generated"), root / "dump_generated")


def compare(before: Path, after: Path) -> bool:
    con = duckdb.connect()
    same = True
    for old in sorted(before.glob("*.parquet")):
        new = after / old.name
        if not new.exists():
            print(f"MISSING {old.stem}")
            same = False
            continue
        old_cols = [r[0] for r in con.execute(f"describe select * from '{old}'").fetchall()]
        new_cols = [r[0] for r in con.execute(f"describe select * from '{new}'").fetchall()]
        kept = [c for c in old_cols if c in new_cols and c not in RUN_STAMP_COLUMNS]
        cols = ", ".join(f'"{c}"' for c in kept)
        only_old, only_new = (
            con.execute(
                f"select count(*) from (select {cols} from '{a}' except all "
                f"select {cols} from '{b}')"
            ).fetchone()[0]
            for a, b in ((old, new), (new, old))
        )
        lost = [c for c in old_cols if c not in new_cols]
        added = [c for c in new_cols if c not in old_cols]
        ok = only_old == only_new == 0 and not lost
        same &= ok
        print(
            f"{'same' if ok else 'DIFF'} {old.stem}: rows differing {only_old}/{only_new}, "
            f"added {added}, lost {lost}"
        )
    print("identical apart from added columns" if same else "DIFFERENCES")
    return same


if __name__ == "__main__":
    if sys.argv[1:2] == ["dump"]:
        dump(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["compare"]:
        sys.exit(0 if compare(Path(sys.argv[2]), Path(sys.argv[3])) else 1)
    else:
        sys.exit(__doc__)
