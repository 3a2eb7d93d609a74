"""The phone patterns come from the configuration (``phone_pattern_sets``,
``phone_extra_patterns``): the defaults mask what the contract lists, a disabled set stops masking
its form, an extra pattern is masked by Python and SQL alike, and a bad one fails at load."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest
import yaml

from flows.config import Settings, load_settings
from flows.landing.pii import (
    DEFAULT_PHONE_PATTERNS,
    PHONE_PATTERN_SETS,
    mask_text,
    mask_text_sql,
    phone_patterns_in_use,
)
from flows.scorecard.phone_mask import mask_phones
from tests.ingest.samples import COMPLAINT_HEADER, complaint, write_csv
from tests.ingest.test_phone_forms import IDENTIFIERS, SPELLINGS, _digits

HK_MOBILE = "[5-9][0-9]{3} ?[0-9]{4}"  # a form no default set masks


def _sql_mask(values: list[str], patterns) -> list[str]:
    with duckdb.connect() as con:
        con.execute("create table t (i int, v varchar)")
        con.executemany("insert into t values (?, ?)", list(enumerate(values)))
        rows = con.execute(f"select {mask_text_sql('v', patterns)} from t order by i").fetchall()
    return [row[0] for row in rows]


def _with(tmp_path, **values) -> Settings:
    config = tmp_path / "complaints.yml"
    config.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    return load_settings(config)


def test_default_settings_mask_every_listed_spelling_and_leave_ids(tmp_path):
    patterns = load_settings(tmp_path / "absent.yml").phone_patterns()
    assert patterns == DEFAULT_PHONE_PATTERNS
    assert set(Settings().phone_pattern_sets) == set(PHONE_PATTERN_SETS)
    texts = [f"电话 {spelling} 谢谢" for spelling, _ in SPELLINGS]
    masked = [mask_text(text, patterns) for text in texts]
    for (_, digits), text in zip(SPELLINGS, masked, strict=True):
        assert digits not in _digits(text), text
    ids = [f"订单 {identifier} 有问题" for identifier in IDENTIFIERS]
    assert [mask_text(text, patterns) for text in ids] == ids
    assert _sql_mask(texts + ids, patterns) == masked + ids


@pytest.mark.parametrize(
    ("disabled", "spelling", "still_masked"),
    [
        ("br_area_code", "(11) 98765-4321", "13812345678"),
        ("cn_landline", "010-12345678", "+55 (11) 98765-4321"),
        ("international", "+1 212-555-0100", "010-12345678"),
        ("cn_mobile", "13812345678", "010-12345678"),
    ],
)
def test_a_disabled_country_set_no_longer_masks_its_form(
    tmp_path, disabled, spelling, still_masked
):
    sets = [name for name in PHONE_PATTERN_SETS if name != disabled]
    patterns = _with(tmp_path, phone_pattern_sets=sets).phone_patterns()
    text = f"电话 {spelling}，另 {still_masked}"
    masked = mask_text(text, patterns)
    assert masked.startswith(f"电话 {spelling}，另 ") and "****" in masked, masked
    assert _sql_mask([text], patterns) == [masked]
    assert spelling not in mask_text(text, DEFAULT_PHONE_PATTERNS)


def test_an_extra_pattern_is_masked_in_python_and_sql_as_a_whole_number(tmp_path):
    settings = _with(tmp_path, phone_extra_patterns=[HK_MOBILE])
    patterns = settings.phone_patterns()
    texts = ["call 9123 4567 today", "hk 91234567", "ref X91234567 and 9123-4567"]
    masked = [mask_text(text, patterns) for text in texts]
    assert masked == ["call **** today", "hk ****", "ref X91234567 and 9123-4567"]
    assert _sql_mask(texts, patterns) == masked
    # The defaults still apply beside it, and without the setting the number stays.
    assert mask_text("9123 4567 或 13812345678", patterns) == "**** 或 138****5678"
    assert mask_text(texts[0], DEFAULT_PHONE_PATTERNS) == texts[0]


def test_the_ingest_masks_with_the_configured_patterns(run):
    run.settings = dataclasses.replace(
        run.settings,
        phone_pattern_sets=("cn_mobile",),
        phone_extra_patterns=(HK_MOBILE,),
    )
    rows = [complaint(1, description="HK 9123 4567，座机 010-12345678，手机 13812345678")]
    write_csv(run.landing / "complaints_uk.csv", COMPLAINT_HEADER, rows)
    report = run()
    assert {f.status for f in report.files} == {"loaded"}
    assert run.rows("select description from raw.complaints") == [
        ("HK ****，座机 010-12345678，手机 138****5678",)
    ]
    # The run's patterns end with the run.
    assert mask_text("9123 4567") == "9123 4567"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"phone_extra_patterns": ["(9)[0-9]{7}"]}, r"phone_extra_patterns\[0\]: .*capture group"),
        (
            {"phone_extra_patterns": [HK_MOBILE, "[0-9"]},
            r"phone_extra_patterns\[1\]: .*not a valid",
        ),
        ({"phone_extra_patterns": ["(?<=x)[0-9]{8}"]}, r"phone_extra_patterns\[0\]: .*RE2"),
        ({"phone_extra_patterns": ["[0-9]*"]}, r"phone_extra_patterns\[0\]: .*empty"),
        ({"phone_extra_patterns": "9[0-9]{7}"}, r"phone_extra_patterns must be a list"),
        ({"phone_pattern_sets": ["cn_mobile", "uk_mobile"]}, r"phone_pattern_sets: .*'uk_mobile'"),
    ],
)
def test_a_bad_phone_setting_is_a_clear_error_at_load(tmp_path, values, message):
    with pytest.raises(ValueError, match=message) as caught:
        _with(tmp_path, **values)
    assert "complaints.yml" in str(caught.value)


def test_a_run_masks_its_reports_with_its_patterns_then_restores_the_defaults(tmp_path):
    """What ``run_scorecards`` wraps around its work: the report writers take the run's patterns."""
    patterns = _with(tmp_path, phone_extra_patterns=[HK_MOBILE]).phone_patterns()
    with phone_patterns_in_use(patterns):
        assert mask_phones("商家电话 9123 4567") == "商家电话 ****"
    assert mask_phones("商家电话 9123 4567") == "商家电话 9123 4567"
