"""A layout the code has never seen, declared only in YAML, loads through its profile."""

from __future__ import annotations

import textwrap

import pytest

from flows.landing.profiles import ProfileError, choose_profile, load_profiles
from tests.ingest.samples import COMPLAINT_HEADER, complaint, write_csv

PROFILE = textwrap.dedent(
    """
    profiles:
      - name: shop_eu_complaints
        entity: complaints
        match:
          headers: [Reklamation, Bestellung]
        columns:
          Reklamation: complaint_id
          Bestellung: order_id
          Artikel: sku_id
          Kanal: channel
          Eingang: received_at
          Zustand: status
          Stand: updated_at
          Telefon: buyer_phone
        values:
          channel: {Telefon: hotline, Webformular: web_form}
          status: {offen: open, erledigt: resolved}
        timestamp_formats: ["%d.%m.%Y %H:%M"]
        timezone: Europe/Berlin
        defaults:
          merchant_id: M-EU-1
    """
)


def test_yaml_profile_maps_an_unseen_layout(run):
    profiles = run.landing.parent / "profiles.yml"
    profiles.write_text(PROFILE, encoding="utf-8")
    (run.landing / "complaints_eu.csv").write_text(
        "Reklamation,Bestellung,Artikel,Kanal,Eingang,Zustand,Stand,Telefon,Bemerkung\n"
        "R1,B1,A1,Telefon,26.11.2026 10:00,offen,26.11.2026 11:30,0151 2345678,x\n"
        "R2,B2,A1,Brieftaube,26.11.2026 10:00,offen,26.11.2026 11:30,,y\n"
        "R3,B3,A2,Webformular,25.10.2026 02:30,erledigt,29.03.2026 02:30,,z\n",
        encoding="utf-8",
    )
    report = run(profiles)
    result = run.file(report, "complaints_eu.csv")
    assert (result.profile, result.rows_loaded, result.rows_quarantined) == (
        "shop_eu_complaints",
        2,
        1,
    )
    assert result.extra_columns == ["Bemerkung"]
    assert run.rows(
        "select complaint_id, merchant_id, channel, status, cast(received_at as varchar), "
        "cast(updated_at as varchar) from raw.complaints order by 1"
    ) == [
        ("R1", "M-EU-1", "hotline", "open", "2026-11-26 09:00:00+00", "2026-11-26 10:30:00+00"),
        # DST: ambiguous 02:30 → the earlier instant (CEST); non-existent 02:30 → 03:30 CEST.
        (
            "R3",
            "M-EU-1",
            "web_form",
            "resolved",
            "2026-10-25 00:30:00+00",
            "2026-03-29 01:30:00+00",
        ),
    ]
    assert run.rows("select reason from meta.quarantine") == [("unknown channel value",)]


def test_profile_choice_prefers_the_best_header_match():
    profiles = []
    en = choose_profile(profiles, "orders", "orders.csv", ["order_id", "sku_id", "数量"])
    zh = choose_profile(profiles, "orders", "orders.csv", ["订单编号", "SKU编码", "quantity"])
    assert (en.name, zh.name) == ("canonical_en", "contract_zh")


def test_profile_file_errors_name_the_problem(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text("profiles:\n  - name: x\n    columns: {a: not_a_column}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="not_a_column"):
        load_profiles(path)


def test_value_map_to_an_unknown_code_is_refused(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text(
        "profiles:\n  - name: x\n    values: {channel: {Fax: fax_machine}}\n", encoding="utf-8"
    )
    with pytest.raises(ProfileError, match="fax_machine"):
        load_profiles(path)


def test_the_shipped_example_profiles_load():
    from pathlib import Path

    example = Path(__file__).parents[2] / "data" / "profiles" / "example_profiles.yml"
    (profile,) = load_profiles(example)
    assert (profile.name, profile.entity, profile.timezone) == (
        "shop_eu_complaints",
        "complaints",
        "Europe/Berlin",
    )


def test_a_profile_may_remap_a_canonical_code(run):
    """A value map wins even over a spelling that is itself a code (no shortcut skips it)."""
    profiles = run.landing.parent / "profiles.yml"
    profiles.write_text(
        textwrap.dedent(
            """
            profiles:
              - name: callcentre_only
                entity: complaints
                match:
                  file_glob: "complaints_cc*"
                values:
                  channel: {app: hotline}
            """
        ),
        encoding="utf-8",
    )
    write_csv(
        run.landing / "complaints_cc.csv",
        COMPLAINT_HEADER,
        [complaint(1, channel="app"), complaint(2, channel="web_form")],
    )
    run(profiles)
    assert run.rows("select channel from raw.complaints order by complaint_id") == [
        ("hotline",),
        ("web_form",),
    ]
