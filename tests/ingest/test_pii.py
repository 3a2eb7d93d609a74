"""No phone number reaches the warehouse file in clear, wherever it appeared in the exports."""

from __future__ import annotations

import duckdb

from flows.landing.pii import load_key, mask_text, phone_hash
from tests.ingest.samples import COMPLAINT_HEADER, EVENT_HEADER, complaint, event, write_csv

PHONES = [f"13{n}{n:08d}"[:11] for n in range(3, 10)]


def test_no_clear_phone_number_in_the_warehouse_bytes(run):
    rows = [
        complaint(1, buyer_phone=PHONES[0], description=f"请致电{PHONES[1]}，谢谢"),
        complaint(2, buyer_phone="+86 " + PHONES[2], channel="unknown"),  # quarantined
        complaint(3, buyer_phone=PHONES[3], satisfaction=PHONES[4]),  # warning on raw value
    ]
    write_csv(run.landing / "complaints_p.csv", [*COMPLAINT_HEADER, "备用电话"], rows)
    events = [event(1, note=f"买家留言 {PHONES[5][:3]}-{PHONES[5][3:7]}-{PHONES[5][7:]}")]
    write_csv(run.landing / "complaint_events_p.csv", EVENT_HEADER, events)
    report = run()
    assert all(f.status == "loaded" for f in report.files)
    with duckdb.connect(str(run.database)) as con:
        con.execute("checkpoint")
    blob = run.database.read_bytes()
    for phone in PHONES[:6]:
        for encoded in (phone.encode(), phone.encode("utf-16-le")):
            assert encoded not in blob, phone
    key = b"test-key"
    assert run.rows(
        "select buyer_phone_hash, buyer_phone_masked from raw.complaints "
        "where complaint_id = 'C00001'"
    ) == [(phone_hash(key, PHONES[0]), PHONES[0][:3] + "****" + PHONES[0][-4:])]
    assert run.rows("select description from raw.complaints where complaint_id = 'C00001'") == [
        (f"请致电{PHONES[1][:3]}****{PHONES[1][-4:]}，谢谢",)
    ]


def test_the_same_number_hashes_alike_in_any_spelling():
    key = b"k"
    assert phone_hash(key, "+86 138-1234-5678") == phone_hash(key, "13812345678")
    assert phone_hash(key, "13812345678") != phone_hash(b"other", "13812345678")


def test_masking_free_text():
    assert mask_text("电话13812345678，座机010-87654321") == "电话138****5678，座机010-****4321"


def test_key_file_created_private(tmp_path, monkeypatch):
    monkeypatch.delenv("COMPLAINTS_PII_KEY", raising=False)
    path = tmp_path / ".complaints_key"
    key = load_key(path)
    assert len(key) >= 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_key(path) == key


def test_sql_masking_matches_python_masking_in_every_spelling():
    """The SQL skips texts without four digits in a row; every phone spelling still has them."""
    from flows.landing.pii import mask_text_sql

    texts = [
        "电话13812345678，座机010-87654321",
        "call 138 1234 5678 or +86-139-8765-4321",
        "国际 +44 20 7946 0958",
        "no digits here",
        "order 123 ok",
        None,
    ]
    with duckdb.connect() as con:
        masked = [
            con.execute(f"select {mask_text_sql('$1')}", [text]).fetchone()[0] for text in texts
        ]
    assert masked == [mask_text(t) if t is not None else None for t in texts]
    assert "1234 5678" not in masked[1] and "8765-4321" not in masked[1]
