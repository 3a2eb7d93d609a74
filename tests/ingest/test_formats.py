"""Every landing format and encoding gives the same raw rows."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest

from flows.contract import ENTITIES
from flows.landing.fingerprint import HASH_CHUNK, detect_encoding, sha256_of
from tests.ingest.samples import (
    COMPLAINT_HEADER,
    ORDER_HEADER,
    complaint,
    csv_text,
    order,
    write_csv,
    write_jsonl,
    write_parquet,
    write_xlsx,
)

ROWS = [order(1), order(2, delivered_at="2026-11-05 18:00:00"), order(3, province="浙江")]
EXPECTED = [
    ("O00001", 2, "2026-11-02 02:00:00+00", None, "广东"),
    ("O00002", 3, "2026-11-03 02:00:00+00", "2026-11-05 10:00:00+00", "广东"),
    ("O00003", 4, "2026-11-04 02:00:00+00", None, "浙江"),
]


def _orders(run):
    return run.rows(
        "select order_id, quantity, cast(ordered_at as varchar), cast(delivered_at as varchar), "
        "province from raw.orders order by order_id"
    )


@pytest.mark.parametrize(
    ("name", "writer"),
    [
        ("orders.csv", lambda p: write_csv(p, ORDER_HEADER, ROWS)),
        ("orders.csv.gz", lambda p: write_csv(p, ORDER_HEADER, ROWS)),
        ("orders_gbk.csv", lambda p: write_csv(p, ORDER_HEADER, ROWS, encoding="gbk")),
        ("orders_bom.csv", lambda p: write_csv(p, ORDER_HEADER, ROWS, encoding="utf-8-sig")),
        ("orders.jsonl", lambda p: write_jsonl(p, ROWS)),
        ("orders.parquet", lambda p: write_parquet(p, ROWS)),
        ("orders.xlsx", lambda p: write_xlsx(p, ORDER_HEADER, ROWS)),
    ],
)
def test_every_format_loads_the_same_rows(run, name, writer):
    writer(run.landing / name)
    result = run.file(run(), name)
    assert (result.status, result.rows_loaded, result.extra_columns) == ("loaded", 3, [])
    assert _orders(run) == EXPECTED


def test_gbk_with_chinese_headers_and_values(run):
    header = [ENTITIES["complaints"].column(h).zh for h in COMPLAINT_HEADER]
    zh_rows = [
        complaint(
            1, channel="客服热线", status="调查中", issue_type="运输损坏", responsibility="物流"
        ),
        complaint(2, channel="社交媒体", status="已关闭", remedy="退货退款", issue_type=""),
    ]
    text = csv_text(COMPLAINT_HEADER, zh_rows)
    body = text.split("\n", 1)[1]
    path = run.landing / "complaints_zh.csv"
    path.write_bytes((",".join(header) + "\n" + body).encode("gbk"))
    assert detect_encoding(path, "csv") == "gb18030"
    result = run.file(run(), "complaints_zh.csv")
    assert (result.profile, result.encoding, result.rows_loaded) == ("contract_zh", "gb18030", 2)
    assert run.rows(
        "select complaint_id, channel, status, issue_type, responsibility, remedy, description "
        "from raw.complaints order by 1"
    ) == [
        ("C00001", "hotline", "investigating", "transport_damage", "logistics", None, "屏幕有划痕"),
        ("C00002", "social_media", "closed", None, "merchant", "return_refund", "屏幕有划痕"),
    ]


def test_jsonl_malformed_line_is_quarantined(run):
    path = write_jsonl(run.landing / "orders_j.jsonl", [order(1), order(2)])
    path.write_text(path.read_text() + "{not json\n" + '{"order_id": "O9"}\n', encoding="utf-8")
    result = run.file(run(), "orders_j.jsonl")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    assert run.rows(
        "select row_number, reason from meta.quarantine order by row_number, field"
    ) == [
        (3, "malformed JSON line"),
        (4, "required field missing"),
        (4, "required field missing"),
        (4, "required field missing"),
        (4, "required field missing"),
    ]


def test_gbk_bytes_after_a_long_ascii_start_switch_the_file_to_gb18030(run):
    rows = [order(n, province="GD", carrier="SF") for n in range(1, 15001)]
    rows.append(order(15001, province="广东"))
    write_csv(run.landing / "orders_late.csv", ORDER_HEADER, rows, encoding="gbk")
    assert (run.landing / "orders_late.csv").stat().st_size > 1024 * 1024
    result = run.file(run(), "orders_late.csv")
    assert (result.encoding, result.rows_loaded, result.rows_quarantined) == ("gb18030", 15001, 0)
    assert run.rows("select province from raw.orders where order_id = 'O15001'") == [("广东",)]


def test_csv_values_are_trimmed_and_blank_values_are_missing(run):
    rows = [
        order(1, province=" 浙江", carrier="顺丰  ", buyer_id=" B1 "),
        order(2, province="   "),  # blank: no value
        order(3, sku_id="S 1", carrier=" "),  # an inner blank stays
    ]
    write_csv(run.landing / "orders.csv", ORDER_HEADER, rows)
    result = run.file(run(), "orders.csv")
    assert (result.rows_loaded, result.rows_quarantined) == (3, 0)
    assert run.rows(
        "select order_id, sku_id, buyer_id, province, carrier from raw.orders order by 1"
    ) == [
        ("O00001", "S001", "B1", "浙江", "顺丰"),
        ("O00002", "S002", "B2", None, "顺丰"),
        ("O00003", "S 1", "B3", "广东", None),
    ]


# Every blank the trim knows, at either end, after or before a character of any width.
BLANKS = ["\t", "\n", "\x0b", "\x0c", "\r", " ", "\u00a0", "\u3000"]


@pytest.mark.parametrize("blank", BLANKS, ids=[f"U+{ord(b):04X}" for b in BLANKS])
def test_each_kind_of_blank_is_trimmed_from_either_end(run, blank):
    rows = [
        order(1, province=f"浙江{blank}", carrier=f"{blank}顺丰", buyer_id=f"B1{blank}"),
        order(2, province=f"{blank}{blank}", carrier=f"😀{blank}", buyer_id=f"{blank}B2"),
        order(3, province=f"浙{blank}江"),  # inside a value it stays
    ]
    # Every value quoted, as a CSV writer must quote a carriage return.
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerows([ORDER_HEADER, *([row[h] for h in ORDER_HEADER] for row in rows)])
    (run.landing / "orders.csv").write_text(text.getvalue(), encoding="utf-8")
    result = run.file(run(), "orders.csv")
    assert (result.rows_loaded, result.rows_quarantined) == (3, 0)
    assert run.rows("select buyer_id, province, carrier from raw.orders order by order_id") == [
        ("B1", "浙江", "顺丰"),
        ("B2", None, "😀"),
        ("B3", f"浙{blank}江", "顺丰"),
    ]


@pytest.mark.parametrize("size", [0, 1, HASH_CHUNK, 3 * HASH_CHUNK + 17])
def test_content_hash_is_the_sha256_of_every_byte(tmp_path, size):
    path = tmp_path / "orders.csv"
    content = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path.write_bytes(content)
    fingerprint = sha256_of(path)
    assert (fingerprint.sha256, fingerprint.size) == (hashlib.sha256(content).hexdigest(), size)
