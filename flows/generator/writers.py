"""Chunked writers for the export formats: csv (UTF-8 or GBK), xlsx, jsonl, parquet.

Every writer appends chunks so memory stays flat, writes headers in English or Chinese, and
produces byte-identical files for identical input (fixed workbook timestamps, no pandas metadata).
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from flows.generator.schema import ENTITIES, chinese_headers

FORMATS = ("csv", "xlsx", "jsonl", "parquet")
XLSX_MAX_DATA_ROWS = 1_048_575
ARROW_TYPES = {"integer": pa.int64(), "decimal": pa.float64()}
FIXED_WORKBOOK_TIME = datetime(2026, 1, 1)


def arrow_schema(entity: str, headers: dict[str, str]) -> pa.Schema:
    return pa.schema(
        [
            pa.field(headers[c.name], ARROW_TYPES.get(c.kind, pa.large_string()))
            for c in ENTITIES[entity]
        ]
    )


def _excel_time(value: str) -> datetime | None:
    """Plain local timestamps become Excel date cells (as real exports have); others stay text."""
    if len(value) != 19 or value[10] != " ":
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


class ExportWriter:
    """Appends chunks of one entity to one file; counts the data records written."""

    def __init__(self, path: Path, entity: str, fmt: str, headers: str, encoding: str) -> None:
        self.path, self.entity, self.fmt, self.encoding = path, entity, fmt, encoding
        names = [c.name for c in ENTITIES[entity]]
        self.headers = chinese_headers(entity) if headers == "zh" else {n: n for n in names}
        self.schema = arrow_schema(entity, self.headers)
        self.rows = 0
        self._closed = False
        self._header_done = False
        if fmt == "xlsx":
            import xlsxwriter

            self._book = xlsxwriter.Workbook(
                str(path),
                {
                    "constant_memory": True,
                    "strings_to_numbers": False,
                    "strings_to_formulas": False,
                    "strings_to_urls": False,
                },
            )
            self._book.set_properties({"created": FIXED_WORKBOOK_TIME})
            self._sheet = self._book.add_worksheet(entity)
            self._date_format = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
            self._sheet.write_row(0, 0, [self.headers[n] for n in names])
        elif fmt == "parquet":
            self._pq = pq.ParquetWriter(str(path), self.schema, compression="snappy")
        else:
            self._fh = open(path, "wb")  # noqa: SIM115 - closed in close()

    @property
    def capacity(self) -> int:
        """Data rows this file can still take (xlsx sheets end at 1,048,576 rows)."""
        return XLSX_MAX_DATA_ROWS - self.rows if self.fmt == "xlsx" else 1 << 62

    def _table(self, df: pd.DataFrame) -> pa.Table:
        frame = df[[c.name for c in ENTITIES[self.entity]]].rename(columns=self.headers)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        return table.replace_schema_metadata(None).cast(self.schema)

    def write(self, df: pd.DataFrame) -> None:
        if df.empty and self._header_done:
            return
        if self.fmt == "csv":
            buf = io.BytesIO()
            options = pacsv.WriteOptions(
                include_header=not self._header_done, quoting_style="needed"
            )
            pacsv.write_csv(self._table(df), buf, options)
            data = buf.getvalue()
            if self.encoding.lower() in ("gbk", "gb18030"):
                data = data.decode("utf-8").encode(self.encoding)
            self._fh.write(data)
        elif self.fmt == "jsonl":
            for record in self._table(df).to_pylist():
                line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
                self._fh.write(line.encode("utf-8") + b"\n")
        elif self.fmt == "parquet":
            self._pq.write_table(self._table(df))
        else:
            table = self._table(df)
            stamp_cols = {i for i, c in enumerate(ENTITIES[self.entity]) if c.kind == "timestamp"}
            for offset, record in enumerate(table.to_pylist(), start=self.rows + 1):
                for col, value in enumerate(record.values()):
                    if value is None:
                        continue
                    when = _excel_time(value) if col in stamp_cols else None
                    if when is not None:
                        self._sheet.write_datetime(offset, col, when, self._date_format)
                    else:
                        self._sheet.write(offset, col, value)
        self.rows += len(df)
        self._header_done = True

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.fmt == "xlsx":
            self._book.close()
        elif self.fmt == "parquet":
            self._pq.close()
        else:
            self._fh.close()
