"""Independent readers for generated exports: plain csv/openpyxl/json/pyarrow, no project ingest.

Everything is read back as text (None for empty) with canonical column names, so one set of
checks covers every format and header language.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd

from flows.generator.schema import ENTITIES, chinese_headers

FORMS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S%z")
SHANGHAI = timezone(timedelta(hours=8))


def parse_ts(value: str | None) -> datetime | None:
    """A contract timestamp as naive Shanghai local time; None if empty or unparseable."""
    if value is None or value == "":
        return None
    for form in FORMS:
        try:
            parsed = datetime.strptime(value, form)
        except ValueError:
            continue
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(SHANGHAI).replace(tzinfo=None)
        return parsed
    return None


def files_of(folder: Path, entity: str) -> list[Path]:
    out = []
    for path in sorted(folder.iterdir()):
        stem = path.name.split(".")[0]
        if entity == "complaints" and stem.startswith("complaint_events"):
            continue
        if stem.startswith(entity):
            out.append(path)
    return out


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def read_records(path: Path, encoding: str = "utf-8") -> tuple[list[str], list[list[str | None]]]:
    """Header and records of one file, values as text."""
    suffix = path.suffix
    if suffix == ".csv":
        text = path.read_bytes().decode(encoding)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        return rows[0], [[v if v != "" else None for v in row] for row in rows[1:]]
    if suffix == ".jsonl":
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        header = list(records[0]) if records else []
        return header, [[_text(r[h]) for h in header] for r in records]
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        cols = [[_text(v) for v in table.column(i).to_pylist()] for i in range(table.num_columns)]
        return table.column_names, [list(row) for row in zip(*cols, strict=True)]
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
        width = len(rows[0])
        return [str(h) for h in rows[0]], [
            [_text(v) for v in (list(r) + [None] * width)[:width]] for r in rows[1:]
        ]
    raise AssertionError(f"unexpected file {path}")


def read_entity(folder: Path, entity: str, encoding: str = "utf-8") -> pd.DataFrame:
    """All files of an entity, canonical columns, plus ``_file`` and ``_row`` (1-based record)."""
    frames = []
    back = {zh: en for en, zh in chinese_headers(entity).items()}
    for path in files_of(folder, entity):
        header, records = read_records(path, encoding)
        names = [back.get(h, h) for h in header]
        frame = pd.DataFrame(records, columns=names, dtype=object)
        frame["_file"] = path.name
        frame["_row"] = range(1, len(frame) + 1)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def canonical_columns(entity: str) -> list[str]:
    return [c.name for c in ENTITIES[entity]]


def parse_series(values: pd.Series) -> pd.Series:
    """Vectorised ``parse_ts``: naive Shanghai local times, NaT where empty or unparseable."""
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
    text = values.astype(object).where(values.notna(), None)
    for form in FORMS[:3]:
        parsed = pd.to_datetime(text, format=form, errors="coerce")
        out = out.fillna(parsed.astype("datetime64[s]"))
    iso = pd.to_datetime(text, format=FORMS[3], errors="coerce", utc=True)
    local = iso.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None).astype("datetime64[s]")
    return out.fillna(local)
