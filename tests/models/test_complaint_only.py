"""A real complaint-only source (the US CFPB sample, 6,623 complaints, no orders) through the
profile shipped in data/profiles/, with no code for it: every row accounted for, the marts build,
and the dashboards and a scorecard explain the absent rates instead of showing empty tables or 0."""

from __future__ import annotations

import gzip
import io
import logging
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from flows.build.run import build_and_publish
from flows.config import Settings
from flows.landing.pipeline import ingest_landing
from flows.scorecard.run import run_scorecards
from flows.warehouse import publishing, read_only

ROOT = Path(__file__).resolve().parents[2]
# The real CFPB sample, kept in the repository so the test runs (never skips) everywhere.
REAL = ROOT / "tests" / "fixtures" / "real" / "cfpb_complaints_sample.csv.gz"
PROFILE = ROOT / "data" / "profiles" / "cfpb_complaints.yml"
APP = str(ROOT / "dashboards" / "app.py")
NO_ORDERS = "No order exports loaded: rates need order lines"


@pytest.fixture(scope="module")
def cfpb(tmp_path_factory, dbt_dirs, monkeypatch_module):
    root = tmp_path_factory.mktemp("cfpb")
    landing = root / "landing"
    landing.mkdir()
    shutil.copy(REAL, landing / "complaints_cfpb.csv.gz")
    monkeypatch_module.setenv("COMPLAINTS_PII_KEY", "test-key")
    settings = replace(
        Settings(timezone="America/New_York", currency="USD"),
        warehouse=root / "warehouse.duckdb",
        reports=root / "reports",
        key_file=root / ".complaints_key",
        delivery_ledger=root / "deliveries.json",
    )
    with publishing(settings.warehouse) as staging:
        report = ingest_landing(landing, staging, settings, PROFILE)
    build = build_and_publish(settings.warehouse, settings, **dbt_dirs)
    return settings, report, build


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_every_row_is_accounted_for(cfpb):
    settings, report, build = cfpb
    (result,) = report.files
    rows = pd.read_csv(io.BytesIO(gzip.decompress(REAL.read_bytes())), dtype=str)
    assert (result.status, result.profile) == ("loaded", "cfpb_complaints")
    assert result.rows_read == len(rows) == 6623
    assert result.rows_loaded + result.rows_quarantined + result.rows_duplicate == len(rows)
    with read_only(settings.warehouse) as con:
        reasons = con.execute("select distinct reason from meta.quarantine").fetchall()
        loaded = con.execute("select count(*) from raw.complaints").fetchone()[0]
        names = con.execute(
            "select count(*), count(*) filter (where merchant_name = merchant_id) "
            "from marts.complaints"
        ).fetchone()
        currency = con.execute("select currency from marts.build_info").fetchone()[0]
    assert all(reason for (reason,) in reasons)
    assert loaded == result.rows_loaded
    assert build.success
    # No merchant master: the merchant's name is its id, on every complaint.
    assert names[0] == loaded and names[1] == names[0]
    assert currency == "USD"


def _open(settings: Settings, monkeypatch, page: str) -> AppTest:
    monkeypatch.setenv("COMPLAINTS_WAREHOUSE", str(settings.warehouse))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _notes(at: AppTest) -> list[str]:
    return [x.value for x in at.info]


@pytest.mark.parametrize("page", ["overview", "merchants", "skus", "scorecards"])
def test_pages_say_why_rates_are_missing(cfpb, monkeypatch, page):
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    settings, _, _ = cfpb
    at = _open(settings, monkeypatch, page)
    assert any(NO_ORDERS in note for note in _notes(at)), _notes(at)
    metrics = {m.label: m.value for m in at.metric}
    if page == "overview":
        for label in ("Complaint rate", "Confirmed-defect rate", "Recurrence rate", "Open alerts"):
            assert metrics[label] == "—", (label, metrics[label])
        assert metrics["Refunds + compensation"] == "—"  # the export has no amounts
        assert int(metrics["Complaints (counted)"].replace(",", "")) > 0
        assert at.sidebar.selectbox(key="merchant").options  # merchants known from complaints
    if page == "scorecards":
        assert {metrics[f"Grade {g} merchants"] for g in "ABCD"} == {"—"}
        card = at.dataframe[0].value
        assert card["Order lines"].isna().all() and card["Defect rate"].isna().all()


def test_recurrence_page_says_why(cfpb, monkeypatch):
    settings, _, _ = cfpb
    at = _open(settings, monkeypatch, "recurrence")
    assert any("recurrence rates need the buyers of order lines" in n for n in _notes(at))
    reopens = at.dataframe[0].value
    assert reopens["Repeat-buyer rate"].isna().all()
    assert reopens["Repeat-buyer complaints"].isna().all()


def test_scorecard_renders_with_the_explanation(cfpb):
    settings, _, _ = cfpb
    report = run_scorecards(settings, lang="en", out=settings.reports / "cards", deliver=False)
    cards = [p for files in report.categories for p in files.cards.values()]
    assert cards
    text = cards[0].read_text(encoding="utf-8")
    assert NO_ORDERS in text and 'data-section="no-orders"' in text
    assert NO_ORDERS in report.index.read_text(encoding="utf-8")
