"""Small valid rows of every entity, and writers for each landing format."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

ORDER_HEADER = [
    "order_id", "sku_id", "merchant_id", "quantity", "paid_amount", "ordered_at",
    "shipped_at", "delivered_at", "buyer_id", "province", "carrier",
]  # fmt: skip
COMPLAINT_HEADER = [
    "complaint_id", "order_id", "sku_id", "merchant_id", "channel", "received_at",
    "issue_type", "responsibility", "remedy", "refund_amount", "compensation_amount", "status",
    "satisfaction", "description", "evidence_count", "buyer_phone", "updated_at",
]  # fmt: skip
EVENT_HEADER = ["complaint_id", "event_type", "occurred_at", "actor", "note"]


def order(n: int, **over: str) -> dict[str, str]:
    row = {
        "order_id": f"O{n:05d}",
        "sku_id": f"S{n % 7:03d}",
        "merchant_id": f"M{n % 3:02d}",
        "quantity": str(1 + n % 4),
        "paid_amount": f"{10 + n}.50",
        "ordered_at": f"2026-11-{1 + n % 20:02d} 10:00:00",
        "shipped_at": f"2026-11-{2 + n % 20:02d} 09:30:00",
        "delivered_at": "",
        "buyer_id": f"B{n}",
        "province": "广东",
        "carrier": "顺丰",
    }
    row.update(over)
    return row


def complaint(n: int, **over: str) -> dict[str, str]:
    row = {
        "complaint_id": f"C{n:05d}",
        "order_id": f"O{n:05d}",
        "sku_id": f"S{n % 7:03d}",
        "merchant_id": f"M{n % 3:02d}",
        "channel": "app",
        "received_at": "2026-11-20 10:00:00",
        "issue_type": "quality_defect",
        "responsibility": "merchant",
        "remedy": "",
        "refund_amount": "",
        "compensation_amount": "",
        "status": "open",
        "satisfaction": "",
        "description": "屏幕有划痕",
        "evidence_count": "1",
        "buyer_phone": f"139{n:08d}",
        "updated_at": "2026-11-20 12:00:00",
    }
    row.update(over)
    return row


def event(n: int, **over: str) -> dict[str, str]:
    row = {
        "complaint_id": f"C{n:05d}",
        "event_type": "received",
        "occurred_at": "2026-11-20 10:00:00",
        "actor": "system",
        "note": "",
    }
    row.update(over)
    return row


def csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue()


def write_csv(
    path: Path, header: list[str], rows: list[dict[str, str]], encoding: str = "utf-8"
) -> Path:
    data = csv_text(header, rows).encode(encoding)
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [
        json.dumps({k: (v or None) for k, v in row.items()}, ensure_ascii=False) for row in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_parquet(path: Path, rows: list[dict[str, str]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {k: [row[k] or None for row in rows] for k in rows[0]}
    pq.write_table(pa.table(columns), path)
    return path


def write_xlsx(
    path: Path, header: list[str], rows: list[dict[str, object]], title: str | None = None
) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    r = 0
    if title:
        sheet.write(0, 0, title)
        r = 2
    sheet.write_row(r, 0, header)
    for row in rows:
        r += 1
        for c, h in enumerate(header):
            value = row.get(h)
            if hasattr(value, "year"):
                sheet.write_datetime(r, c, value, date_format)
            elif value not in (None, ""):
                sheet.write(r, c, value)
    workbook.close()
    return path
