"""Hostile file content: mixed encodings, oversized records, files past the per-file limits,
nested JSON values in scalar fields and XLSX formulas without a calculated value."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace

import pytest

from tests.ingest.samples import ORDER_HEADER, csv_text, order, write_csv, write_jsonl


def _reasons(run) -> list[tuple]:
    return run.rows("select file_name, row_number, field, reason from meta.quarantine order by 2")


# -- mixed encodings ------------------------------------------------------------------------


def _mixed_csv(path, gbk_rows: set[int], n: int = 8) -> None:
    """A CSV whose rows are UTF-8 except those in ``gbk_rows`` (1-based), encoded as GBK."""
    lines = csv_text(
        ORDER_HEADER, [order(i, province="广东", carrier="顺丰") for i in range(1, n + 1)]
    )
    out = b""
    for number, line in enumerate(lines.splitlines(keepends=True)):
        out += line.encode("gbk" if number in gbk_rows else "utf-8")
    path.write_bytes(out)


def test_gbk_lines_in_a_utf8_csv_are_quarantined_line_by_line(run):
    _mixed_csv(run.landing / "orders_mixed.csv", gbk_rows={3, 6})
    (result,) = run().files
    assert result.encoding == "utf-8"
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (8, 6, 2)
    rows = _reasons(run)
    assert [r[1] for r in rows] == [3, 6]
    for _, number, _, reason in rows:
        assert f"line {number + 1}" in reason and "not valid UTF-8" in reason
        assert "byte offset" in reason and "GB18030" in reason
    # Nothing was transcoded: every loaded province is the real one.
    assert run.rows("select distinct province from raw.orders") == [("广东",)]


def test_utf8_lines_in_a_gbk_csv_are_quarantined_line_by_line(run):
    _mixed_csv(run.landing / "orders_mostly_gbk.csv", gbk_rows={0, 1, 2, 3, 4, 5, 7, 8}, n=8)
    (result,) = run().files
    assert result.encoding == "gb18030"
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (8, 7, 1)
    ((_, number, _, reason),) = _reasons(run)
    assert number == 6 and "line 7" in reason and "UTF-8" in reason and "gb18030" in reason
    assert run.rows("select distinct province from raw.orders") == [("广东",)]


def test_gbk_lines_in_a_jsonl_file_are_quarantined(run):
    lines = [
        json.dumps({k: v or None for k, v in order(i).items()}, ensure_ascii=False)
        for i in range(1, 5)
    ]
    data = b"".join(
        (line + "\n").encode("gbk" if i == 2 else "utf-8") for i, line in enumerate(lines)
    )
    (run.landing / "orders_mixed.jsonl").write_bytes(data)
    (result,) = run().files
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 3, 1)
    ((_, number, _, reason),) = _reasons(run)
    assert number == 3 and "line 3" in reason and "not valid UTF-8" in reason


# -- record size ---------------------------------------------------------------------------


@pytest.fixture
def small_records(run):
    run.settings = replace(run.settings, ingest_max_record_bytes=2000)
    return run


def test_an_oversized_csv_record_is_quarantined_alone(small_records):
    run = small_records
    rows = [order(i) for i in range(1, 6)]
    rows[0]["carrier"] = "x" * 5000  # the first record: also inside DuckDB's sniffing sample
    rows[3]["province"] = "y" * 3000
    write_csv(run.landing / "orders_big.csv", ORDER_HEADER, rows)
    (result,) = run().files
    assert result.status == "loaded", result.reason
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 3, 2)
    rows_q = _reasons(run)
    assert [r[1] for r in rows_q] == [1, 4]
    assert all("ingest_max_record_bytes" in r[3] and "2000" in r[3] for r in rows_q)
    assert "line 2" in rows_q[0][3]


def test_an_oversized_jsonl_record_is_quarantined_alone(small_records):
    run = small_records
    rows = [order(i) for i in range(1, 4)]
    rows[1]["carrier"] = "x" * 5000
    write_jsonl(run.landing / "orders_big.jsonl", rows)
    (result,) = run().files
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    ((_, number, _, reason),) = _reasons(run)
    assert number == 2 and "ingest_max_record_bytes" in reason


# -- per-file limits -----------------------------------------------------------------------


def test_a_jsonl_file_with_thousands_of_keys_is_rejected_naming_the_setting(run):
    wide = {**order(1), **{f"k{i}": "v" for i in range(2000)}}
    (run.landing / "orders_wide.jsonl").write_text(json.dumps(wide) + "\n", encoding="utf-8")
    write_csv(run.landing / "orders_ok.csv", ORDER_HEADER, [order(2)])
    report = run()
    wide_result = run.file(report, "orders_wide.jsonl")
    assert wide_result.status == "rejected"
    assert "2011 distinct keys" in wide_result.reason and "ingest_max_columns" in wide_result.reason
    assert run.file(report, "orders_ok.csv").status == "loaded"


def test_a_gzip_that_expands_past_the_limit_is_rejected_naming_the_setting(run):
    run.settings = replace(run.settings, ingest_max_decompressed_bytes=1_000_000)
    body = csv_text(ORDER_HEADER, [order(1)])
    line = csv_text(ORDER_HEADER, [order(2)]).splitlines()[1] + "\n"
    data = gzip.compress((body + line * 40_000).encode())
    assert len(data) < 100_000
    (run.landing / "orders_bomb.csv.gz").write_bytes(data)
    write_csv(run.landing / "orders_ok.csv", ORDER_HEADER, [order(3)])
    report = run()
    bomb = run.file(report, "orders_bomb.csv.gz")
    assert bomb.status == "rejected"
    assert "ingest_max_decompressed_bytes" in bomb.reason and "1000000" in bomb.reason
    assert run.file(report, "orders_ok.csv").status == "loaded"


def test_running_out_of_memory_names_the_memory_setting(run, monkeypatch):
    import duckdb

    from flows.landing import pipeline

    def exhausted(*args, **kwargs):
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    monkeypatch.setattr(pipeline, "read_jsonl", exhausted)
    write_jsonl(run.landing / "orders_huge.jsonl", [order(1)])
    write_csv(run.landing / "orders_ok.csv", ORDER_HEADER, [order(2)])
    report = run()
    huge = run.file(report, "orders_huge.jsonl")
    assert huge.status == "rejected" and "ingest_memory_limit" in huge.reason
    assert run.file(report, "orders_ok.csv").status == "loaded"


# -- nested JSON values --------------------------------------------------------------------


def test_nested_json_values_in_scalar_fields_are_quarantined_per_row(run):
    rows = [{k: v or None for k, v in order(i).items()} for i in range(1, 5)]
    rows[1]["quantity"] = {"value": 2}
    rows[2]["province"] = ["广东", "广西"]
    rows[3]["extra_attributes"] = {"colour": "red"}  # not a contract field: kept as text
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    (run.landing / "orders_nested.jsonl").write_text(text, encoding="utf-8")
    (result,) = run().files
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    rows_q = _reasons(run)
    assert [r[1] for r in rows_q] == [2, 3]
    assert "object in field quantity" in rows_q[0][3]
    assert "array in field province" in rows_q[1][3]


# -- XLSX formulas -------------------------------------------------------------------------


def _xlsx_rows(header: list[str], n: int) -> list[list[object]]:
    return [header, *([order(i)[h] or None for h in header] for i in range(1, n + 1))]


def test_an_xlsx_formula_without_a_cached_value_is_quarantined(run):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in _xlsx_rows(ORDER_HEADER, 3):
        sheet.append(row)
    sheet["D3"] = "=1+1"  # quantity of data row 2, never calculated (no cached value)
    workbook.save(run.landing / "orders_formula.xlsx")
    (result,) = run().files
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    ((_, number, _, reason),) = _reasons(run)
    assert number == 2 and "formula without a cached value in cell D3" in reason


def test_an_uncalculated_xlsxwriter_formula_is_not_read_as_zero(run):
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(run.landing / "orders_formula.xlsx"))
    sheet = workbook.add_worksheet()
    for r, row in enumerate(_xlsx_rows(ORDER_HEADER, 3)):
        sheet.write_row(r, 0, row)
    sheet.write_formula("E4", "=10+1")  # paid_amount of data row 3: stored as 0, uncalculated
    workbook.close()
    (result,) = run().files
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    ((_, number, _, reason),) = _reasons(run)
    assert number == 3 and "formula without a cached value in cell E4" in reason


def test_an_oversized_xlsx_row_is_quarantined_alone(small_records):
    import xlsxwriter

    run = small_records
    workbook = xlsxwriter.Workbook(str(run.landing / "orders_big.xlsx"))
    sheet = workbook.add_worksheet()
    for r, row in enumerate(_xlsx_rows(ORDER_HEADER, 3)):
        sheet.write_row(r, 0, row)
    sheet.write_string("K3", "x" * 3000)  # carrier of data row 2
    workbook.close()
    (result,) = run().files
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    ((_, number, _, reason),) = _reasons(run)
    assert number == 2 and "ingest_max_record_bytes" in reason


def test_the_array_check_of_utf8_lines_agrees_with_the_codec():
    """The vectorised line classification says 'UTF-8' exactly for the lines Python's UTF-8
    decoder accepts, over random lines of Chinese and ASCII text in UTF-8 and GBK."""
    import random

    from flows.landing.line_encoding import _classify

    rng = random.Random(7)
    alphabet = 'abc,;"123 广东省深圳市顺丰速运屏幕有划痕质量问题€é'
    lines = []
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        encoding = rng.choice(["utf-8", "gbk"])
        lines.append(text.encode(encoding, errors="ignore"))
    utf8, other = _classify(b"\n".join(lines) + b"\n")

    def decodes(line: bytes) -> bool:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    expected_utf8 = [i for i, line in enumerate(lines) if not line.isascii() and decodes(line)]
    expected_other = [i for i, line in enumerate(lines) if not decodes(line)]
    assert utf8.tolist() == expected_utf8 and other.tolist() == expected_other
    assert expected_utf8 and expected_other


def test_an_oversized_parquet_row_is_quarantined_alone(small_records):
    from tests.ingest.samples import write_parquet

    run = small_records
    rows = [order(i) for i in range(1, 4)]
    rows[2]["carrier"] = "x" * 3000
    write_parquet(run.landing / "orders_big.parquet", rows)
    (result,) = run().files
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    ((_, number, _, reason),) = _reasons(run)
    assert number == 3 and "row 3" in reason and "ingest_max_record_bytes" in reason
