"""Phone numbers in every written form are masked, as whole numbers only: identifiers that merely
contain an 11-digit run are never altered. Python and SQL share one normaliser (the same patterns)
and must agree on every input."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.landing.pii import mask_text, mask_text_sql
from tests.ingest.samples import COMPLAINT_HEADER, complaint, write_csv

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# (spelling, the digits that must not survive in clear); the and the contract's forms.
SPELLINGS = [
    ("13812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("138.1234.5678", "13812345678"),
    ("(139)1234-5678", "13912345678"),
    ("138  1234  5678", "13812345678"),
    ("138\t1234\t5678", "13812345678"),
    ("1 3 8 1 2 3 4 5 6 7 8", "13812345678"),
    ("138 1234\n5678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"),
    ("0086 13812345678", "13812345678"),
    ("(010)12345678", "12345678"),
    ("010-12345678", "12345678"),
    ("010 1234 5678", "12345678"),
    ("+55 (11) 98765-4321", "987654321"),
    ("(11) 98765-4321", "987654321"),
    ("+1 212-555-0100", "2125550100"),
]
IDENTIFIERS = [
    "C13812345678",
    "ORD-13812345678",
    "13812345678-01",
    "2024013812345678",
    "X_13812345678_Y",
]


TO_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")


def _digits(text: str) -> str:
    return "".join(ch for ch in text.translate(TO_ASCII) if ch.isdigit())


def _sql_mask(values: list[str]) -> list[str]:
    with duckdb.connect() as con:
        con.execute("create table t (i int, v varchar)")
        con.executemany("insert into t values (?, ?)", list(enumerate(values)))
        rows = con.execute(f"select {mask_text_sql('v')} from t order by i").fetchall()
    return [row[0] for row in rows]


@pytest.mark.parametrize(("spelling", "digits"), SPELLINGS)
def test_each_spelling_is_masked_by_python_and_sql_alike(spelling, digits):
    text = f"买家电话：{spelling}，请回电"
    masked = mask_text(text)
    assert digits not in _digits(masked), masked
    assert "****" in masked and masked.startswith("买家电话：") and masked.endswith("，请回电")
    assert _sql_mask([text]) == [masked]


@pytest.mark.parametrize("identifier", IDENTIFIERS)
def test_identifiers_with_eleven_digit_runs_are_never_altered(identifier):
    text = f"订单 {identifier} 有问题"
    assert mask_text(text) == text
    assert _sql_mask([text]) == [text]


separator = st.sampled_from(["", " ", "  ", "-", ".", "\t", "\n", " - "])
mobile = st.tuples(st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9))


@st.composite
def phone_spellings(draw) -> tuple[str, str]:
    second, rest = draw(mobile)
    digits = "1" + second + rest
    groups = [digits[:3], digits[3:7], digits[7:]]
    if draw(st.booleans()):
        groups = list(digits)  # spaced or dotted digit by digit
    sep = draw(separator)
    spelled = sep.join(groups)
    if draw(st.booleans()):
        spelled = spelled.translate(FULL_WIDTH)
    prefix = draw(st.sampled_from(["", "+86 ", "0086-", "86 ", "+86"]))
    return prefix + spelled, digits


@st.composite
def identifiers(draw) -> str:
    run = (
        "1"
        + draw(st.sampled_from("3456789"))
        + draw(st.text("0123456789", min_size=9, max_size=16))
    )
    before = draw(st.sampled_from(["C", "ORD-", "SKU_", "A1", "2", "x.", "ID/"]))
    after = draw(st.sampled_from(["", "A", "-01", "_x", "9", ".v2"]))
    return before + run + after


context = st.sampled_from(["", "客户说 ", "call ", "电话:", "(", "tel "])
tail = st.sampled_from(["", " 谢谢", ".", "，", ")", " now"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phone=phone_spellings(), ident=identifiers(), before=context, after=tail)
def test_random_ids_survive_and_random_phone_spellings_are_masked(phone, ident, before, after):
    spelled, digits = phone
    text = f"{before}{spelled}{after} 订单 {ident}"
    masked = mask_text(text)
    assert masked.endswith(f" 订单 {ident}"), (text, masked)  # the identifier is untouched
    assert digits not in _digits(masked.removesuffix(f" 订单 {ident}")), (text, masked)
    assert mask_text(ident) == ident
    assert _sql_mask([text, ident]) == [masked, ident]


def test_no_spelling_in_clear_anywhere_the_ingest_writes(run):
    """Descriptions, names, headers, file names, quarantine and the report; ids untouched."""
    phones = [spelling for spelling, _ in SPELLINGS]
    rows = [
        complaint(n, complaint_id=f"C138123456{n:02d}", description=f"联系 {phone} 谢谢")
        for n, phone in enumerate(phones, start=1)
    ]
    rows.append(complaint(99, complaint_id="ORD-13912345678", channel="carrier pigeon 13812345678"))
    header = [*COMPLAINT_HEADER, "备注 13812345678"]
    write_csv(run.landing / "complaints_13812345678.csv", header, rows)
    write_csv(
        run.landing / "skus_1.csv",
        ["sku_id", "merchant_id", "sku_name"],
        [{"sku_id": "S13812345678", "merchant_id": "M1", "sku_name": "热水壶 客服 (139)1234-5678"}],
    )
    report = run()
    assert {f.status for f in report.files} == {"loaded"}
    texts: list[str] = [f.file_name for f in report.files]
    texts += [note for f in report.files for note in f.notes]
    with duckdb.connect(str(run.database), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema in ('raw', 'meta') "
            "and data_type in ('VARCHAR', 'JSON', 'VARCHAR[]')"
        ).fetchall()
        for schema, table, column in columns:
            values = con.execute(f'select "{column}" from {schema}.{table}').fetchall()
            texts += [str(v) for (v,) in values if v is not None]
        ids = {row[0] for row in con.execute("select complaint_id from raw.complaints").fetchall()}
        quarantined = con.execute("select raw_values from meta.quarantine").fetchall()
    blob = "\n".join(texts)
    known_ids = [f"C138123456{n:02d}" for n in range(len(phones) + 1)]
    for identifier in [*known_ids, "ORD-13912345678", "S13812345678"]:
        blob = blob.replace(identifier, "<id>")
    for spelling, _ in SPELLINGS:
        assert spelling not in blob, spelling
    for _, digits in SPELLINGS:
        assert digits not in _digits(blob.replace("\n", "")), digits
    # Identifiers that contain an 11-digit run are stored and quarantined exactly as given.
    assert {f"C138123456{n:02d}" for n in range(1, len(phones) + 1)} <= ids
    assert any("ORD-13912345678" in row[0] for row in quarantined)
    assert any("S13812345678" in t for t in texts)
