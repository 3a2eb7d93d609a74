"""Every generated file conforms to the data contract, in every format and header language."""

from __future__ import annotations

import pytest

from tests.generator.conftest import make
from tests.generator.contract_checks import check_contract


def test_clean_csv_conforms(clean_small):
    landing, truth = clean_small
    frames = check_contract(landing, truth)
    assert len(frames["orders"]) == truth["order_lines"]
    assert truth["dirty_rows"] == []


@pytest.mark.parametrize(
    ("fmt", "headers", "encoding"),
    [
        ("csv", "zh", "gbk"),
        ("xlsx", "zh", "utf-8"),
        ("jsonl", "en", "utf-8"),
        ("parquet", "zh", "utf-8"),
    ],
)
def test_every_format_conforms(tmp_path, fmt, headers, encoding):
    landing, truth = make(
        tmp_path,
        orders=8_000,
        weeks=10,
        merchants=10,
        dirty_rate=0.0,
        fmt=fmt,
        headers=headers,
        encoding=encoding,
        seed=5,
    )
    check_contract(landing, truth, headers=headers, encoding=encoding)
    written = sorted(p.name for p in landing.iterdir())
    assert written == sorted(truth["files"])
    assert all(name.endswith(f".{fmt}") for name in written)


def test_gbk_is_gbk_not_utf8(tmp_path):
    landing, _ = make(tmp_path, orders=3_000, weeks=8, merchants=6, encoding="gbk", dirty_rate=0.0)
    data = (landing / "skus.csv").read_bytes()
    assert "商品名称" not in data.decode("gbk")  # English headers, Chinese values
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data.decode("gbk"))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_zh_uses_chinese_enumerations(tmp_path):
    landing, _ = make(tmp_path, orders=5_000, weeks=8, merchants=6, headers="zh", dirty_rate=0.0)
    text = (landing / "complaints_export1.csv").read_text(encoding="utf-8")
    assert text.startswith('"投诉编号"')
    assert "已关闭" in text and '"closed"' not in text
    events = (landing / "complaint_events.csv").read_text(encoding="utf-8")
    assert "received" in events  # event types stay English codes


def test_multiline_and_quoted_descriptions_survive(default_sample):
    import csv

    landing, _ = default_sample
    with open(landing / "complaints_export1.csv", newline="", encoding="utf-8") as fh:
        descriptions = [row[13] for row in csv.reader(fh)][1:]
    assert any("\n" in d for d in descriptions)
    assert any('"' in d for d in descriptions)
    assert any("，" in d or "," in d for d in descriptions)


def test_weeks_split_into_chunks_keep_every_line(tmp_path, monkeypatch):
    from flows.generator import run

    monkeypatch.setattr(run, "CHUNK_LINES", 1_500)
    landing, truth = make(tmp_path, orders=20_000, weeks=9, merchants=10, dirty_rate=0.0, seed=8)
    frames = check_contract(landing, truth)
    assert len(frames["orders"]) == truth["order_lines"] == 20_000
    assert frames["orders"].order_id.str.len().eq(18).all()
