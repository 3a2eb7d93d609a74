"""The generated sample delivered as a run of daily exports, for the incremental-build tests: the
slices, and a comparison of the marts of two warehouses (counts exact, floats to 1e-9).

Slice 0 holds the masters (but a merchant and three SKUs that complaints name) and everything
before the last days; each daily slice the order lines, events and complaints of one more day (a
complaint still being handled arrives first as an open, unclassified state and later in its final
one: an update of an old complaint). Four more slices follow: an old week of orders re-delivered
with changed rows (some moved to the week before, some to another merchant), a batch of updates
to old complaints (withdrawn, or now confirmed defects), the held-back rows (old complaints' SKU
and merchant appear, and one channel's first merchant-evidence events, so that stage becomes
observed there), and another old week re-delivered with every line a week earlier (the week is
left empty): the contract's late-arriving cases.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import duckdb

from flows.warehouse import RUN_STAMP_COLUMNS
from tests.mart_comparison import INEXACT_TYPES, marts_of, table_differences

_TIME_COLUMN = {"orders": "ordered_at", "complaint_events": "occurred_at"}


def _instant(text: str) -> dt.datetime | None:
    """The local wall time a cell names (offsets ignored: slicing needs days, not seconds)."""
    cleaned = text.strip().replace("/", "-").replace("T", " ")
    for fmt, width in (("%Y-%m-%d %H:%M:%S", 19), ("%Y-%m-%d %H:%M", 16)):
        try:
            return dt.datetime.strptime(cleaned[:width], fmt)
        except ValueError:
            continue
    return None


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        writer.writerows(rows)


def _entity_rows(exports: Path, prefix: str) -> tuple[list[str], list[dict[str, str]]]:
    header: list[str] = []
    rows: list[dict[str, str]] = []
    for path in sorted(exports.glob(f"{prefix}*.csv")):
        if prefix == "complaints" and path.name.startswith("complaint_events"):
            continue
        header, part = _read(path)
        rows.extend(part)
    return header, rows


def generated_slices(folder: Path, orders: int, weeks: int, days: int = 3) -> list[Path]:
    """``complaints generate`` (``orders`` lines over ``weeks``) into ``folder/exports``, cut into
    slices under ``folder/slices`` (``make_slices``)."""
    from tests.dashboards.pipeline_warehouse import complaints

    exports = folder / "exports"
    done = complaints(
        "generate", "--orders", str(orders), "--weeks", str(weeks), "--out", str(exports),
        "--truth", str(folder / "truth.json"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return make_slices(exports, folder / "slices", days=days)


def deliver(part: Path, landing: Path, warehouse: Path, settings) -> None:
    """One slice's files copied into the landing folder (beside the earlier ones), then ingested."""
    from flows.landing.pipeline import ingest_landing

    landing.mkdir(exist_ok=True)
    for path in part.iterdir():
        shutil.copyfile(path, landing / path.name)
    ingest_landing(landing, warehouse, settings)


def make_slices(exports: Path, out: Path, days: int = 3) -> list[Path]:
    """Write the slices into ``out/slice_<k>/`` and return the folders in delivery order."""
    entities = {
        name: _entity_rows(exports, name) for name in ("orders", "complaints", "complaint_events")
    }
    times = [
        t
        for name, column in (("orders", "ordered_at"), ("complaints", "updated_at"))
        for row in entities[name][1]
        if (t := _instant(row[column])) is not None
    ]
    end = max(times).replace(hour=0, minute=0, second=0) + dt.timedelta(days=1)
    cutoffs = [end - dt.timedelta(days=days - k) for k in range(days)] + [dt.datetime.max]
    folders: list[Path] = []

    def folder(k: int) -> Path:
        path = out / f"slice_{k}"
        path.mkdir(parents=True, exist_ok=True)
        folders.append(path)
        return path

    first = folder(0)
    complaint_header, complaints = entities["complaints"]
    held = _held_masters(complaints)
    late_masters = out / "slice_masters"
    late_masters.mkdir(parents=True, exist_ok=True)
    event_header, events = entities["complaint_events"]
    held_events, dropped_events = _held_evidence(complaints, events)
    entities["complaint_events"] = (
        event_header,
        [r for r in events if id(r) not in held_events and id(r) not in dropped_events],
    )
    _write(
        late_masters / "complaint_events_held.csv",
        event_header,
        [r for r in events if id(r) in held_events],
    )
    for path in exports.glob("corrective_actions*.csv"):
        shutil.copyfile(path, first / path.name)
    for master, key in (("merchants", "merchant_id"), ("skus", "sku_id")):
        for path in exports.glob(f"{master}*.csv"):
            header, rows = _read(path)
            _write(first / path.name, header, [r for r in rows if r[key] not in held[master]])
            _write(late_masters / path.name, header, [r for r in rows if r[key] in held[master]])
    delivered_final: set[str] = set()
    sent_interim: set[str] = set()
    for k, cutoff in enumerate(cutoffs):
        target = first if k == 0 else folder(k)
        lower = cutoffs[k - 1] if k else dt.datetime.min
        for name, column in _TIME_COLUMN.items():
            header, rows = entities[name]
            part = [
                row for row in rows if lower <= (_instant(row[column]) or dt.datetime.min) < cutoff
            ]
            _write(target / f"{name}_s{k:02d}.csv", header, part)
        part = []
        for row in complaints:
            received, updated = _instant(row["received_at"]), _instant(row["updated_at"])
            key = row["complaint_id"]
            if key in delivered_final or received is None or received >= cutoff:
                continue
            if updated is None or updated < cutoff:
                part.append(row)
                delivered_final.add(key)
            elif key not in sent_interim:
                part.append(_interim(row))
                sent_interim.add(key)
        _write(target / f"complaints_s{k:02d}.csv", complaint_header, part)
    folders.append(_redelivered_week(entities["orders"], out / "slice_redelivery", end))
    folders.append(_updated_complaints(complaint_header, complaints, out / "slice_updates", end))
    folders.append(late_masters)
    folders.append(_emptied_week(entities["orders"], out / "slice_emptied", end))
    return folders


def _held_masters(complaints: list[dict[str, str]]) -> dict[str, set[str]]:
    """A merchant and three SKUs that complaints name, held back from the first slice and
    delivered late: until then their complaints name a SKU or merchant the masters lack (orphans,
    no merchant name), then a master row loaded late changes old complaints."""
    skus = sorted({row["sku_id"] for row in complaints if row["sku_id"]})
    merchants = sorted({row["merchant_id"] for row in complaints if row["merchant_id"]})
    return {"skus": set(skus[:: max(1, len(skus) // 3)][:3]), "merchants": set(merchants[:1])}


HELD_EVIDENCE_EVENT = "merchant_evidence_submitted"


def held_evidence_channel(complaints: list[dict[str, str]], events: list[dict[str, str]]) -> str:
    """The channel whose merchant-evidence events are held back: of the channels that show the
    stage, the one with fewest complaints (a label on under 5 % of them is dirt, not a channel)."""
    evidenced = {row["complaint_id"] for row in events if row["event_type"] == HELD_EVIDENCE_EVENT}
    counts: dict[str, int] = {}
    for row in complaints:
        counts[row["channel"]] = counts.get(row["channel"], 0) + 1
    showing = {row["channel"] for row in complaints if row["complaint_id"] in evidenced}
    channels = [c for c in sorted(showing) if counts[c] >= 0.05 * len(complaints)]
    return min(channels, key=lambda channel: counts[channel])


def _held_evidence(
    complaints: list[dict[str, str]], events: list[dict[str, str]]
) -> tuple[set[int], set[int]]:
    """The merchant-evidence events of one channel's complaints (by row identity): those of every
    other complaint delivered late, the rest never. Until the late ones arrive the platform seems
    not to record the stage there (not_observed); then it does, and every complaint of the channel
    is judged again, also those without a new event (never given evidence: now late or not
    applicable, no longer not_observed)."""
    channel = held_evidence_channel(complaints, events)
    of_channel = sorted({row["complaint_id"] for row in complaints if row["channel"] == channel})
    late = set(of_channel[::2])
    evidence = [
        row
        for row in events
        if row["event_type"] == HELD_EVIDENCE_EVENT and row["complaint_id"] in of_channel
    ]
    return (
        {id(row) for row in evidence if row["complaint_id"] in late},
        {id(row) for row in evidence if row["complaint_id"] not in late},
    )


def _interim(row: dict[str, str]) -> dict[str, str]:
    """An earlier state of a complaint: just received, open, not classified."""
    return {
        **row,
        "issue_type": "",
        "responsibility": "",
        "remedy": "",
        "refund_amount": "",
        "compensation_amount": "",
        "satisfaction": "",
        "status": "open",
        "updated_at": row["received_at"],
    }


def _redelivered_week(
    orders: tuple[list[str], list[dict[str, str]]], folder: Path, end: dt.datetime
) -> Path:
    """An old week's orders delivered again: every third line moved to the week before, every
    fifth to another merchant, the rest exact repeats."""
    header, rows = orders
    week_start = end - dt.timedelta(days=35)
    week_start -= dt.timedelta(days=week_start.weekday())
    week = [
        row
        for row in rows
        if week_start
        <= (_instant(row["ordered_at"]) or dt.datetime.min)
        < week_start + dt.timedelta(days=7)
    ]
    merchants = sorted({row["merchant_id"] for row in rows})
    changed = []
    for i, row in enumerate(week):
        row = dict(row)
        if i % 3 == 0:
            moved = _instant(row["ordered_at"]) - dt.timedelta(days=7)
            row["ordered_at"] = moved.strftime("%Y-%m-%d %H:%M:%S")
        elif i % 5 == 0:
            row["merchant_id"] = merchants[
                (merchants.index(row["merchant_id"]) + 1) % len(merchants)
            ]
        changed.append(row)
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "orders_redelivered.csv", header, changed)
    return folder


def emptied_week_start(end: dt.datetime) -> dt.datetime:
    """The Monday of the old week whose every order line the last slice moves a week back."""
    start = end - dt.timedelta(days=49)
    return start - dt.timedelta(days=start.weekday())


def _emptied_week(
    orders: tuple[list[str], list[dict[str, str]]], folder: Path, end: dt.datetime
) -> Path:
    """An old week's orders delivered again, every line a week earlier: the week is left with no
    order line (an incremental build must drop it, not keep its old rows)."""
    header, rows = orders
    start = emptied_week_start(end)
    moved = []
    for row in rows:
        ordered = _instant(row["ordered_at"])
        if ordered is not None and start <= ordered < start + dt.timedelta(days=7):
            earlier = ordered - dt.timedelta(days=7)
            moved.append({**row, "ordered_at": earlier.strftime("%Y-%m-%d %H:%M:%S")})
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "orders_week_moved.csv", header, moved)
    return folder


def _updated_complaints(
    header: list[str], complaints: list[dict[str, str]], folder: Path, end: dt.datetime
) -> Path:
    """Old complaints in a newer state: every other one withdrawn, the rest confirmed defects,
    half of those with a receipt time corrected a week earlier (another received week)."""
    old = [
        row
        for row in complaints
        if (_instant(row["received_at"]) or end) < end - dt.timedelta(days=28)
    ]
    old = old[:: max(1, len(old) // 40)][:40]
    stamp = (end + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    updated = []
    for i, row in enumerate(old):
        if i % 2 == 0:
            updated.append({**row, "status": "withdrawn", "updated_at": stamp})
        else:
            updated.append(
                {
                    **row,
                    "issue_type": "quality_defect",
                    "responsibility": "merchant",
                    "status": "closed",
                    "updated_at": stamp,
                    **(_week_earlier(row["received_at"]) if i % 4 == 1 else {}),
                }
            )
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "complaints_updates.csv", header, updated)
    return folder


def _week_earlier(received_at: str) -> dict[str, str]:
    """The receipt time seven days earlier, in the cell's own spelling (its offset kept)."""
    instant = _instant(received_at)
    if instant is None or len(received_at.strip()) < 19:
        return {}
    earlier = (instant - dt.timedelta(days=7)).strftime("%Y-%m-%d %H:%M:%S")
    return {"received_at": earlier + received_at.strip()[19:]}


# -- comparing the marts of two warehouses ------------------------------------------------------


def mart_differences(left: Path, right: Path, schemas: tuple[str, ...] = ("marts",)) -> list[str]:
    """Every public mart (every table of ``schemas``) of ``left`` against ``right``: what differs
    (empty when identical)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{left}' as a (read_only)")
        con.execute(f"attach '{right}' as b (read_only)")
        con.execute("set TimeZone = 'UTC'")
        found = []
        for schema in schemas:
            found += _schema_differences(con, schema)
        return found
    finally:
        con.close()


def _schema_differences(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    ours, theirs = marts_of(con, "a", schema), marts_of(con, "b", schema)
    found = []
    if set(ours) != set(theirs):
        found.append(f"{schema}: tables differ: {sorted(set(ours) ^ set(theirs))}")
    for mart, columns in sorted(ours.items()):
        if mart not in theirs:
            continue
        if set(theirs[mart]) != set(columns):
            found.append(f"{mart}: columns differ {sorted(set(theirs[mart]) ^ set(columns))}")
            continue
        # Types may differ by engine (a Spark-built mart: DECIMAL scale, JSON as text).
        names = [name for name in columns if name not in RUN_STAMP_COLUMNS]
        inexact = {
            name
            for name in names
            if columns[name].startswith(INEXACT_TYPES)
            or theirs[mart][name].startswith(INEXACT_TYPES)
        }
        difference = table_differences(
            con, mart, f'a.{schema}."{mart}"', f'b.{schema}."{mart}"', names, inexact
        )
        if difference:
            found.append(difference)
    return found
