"""Incremental builds (docs/incremental.md) on DuckDB: the generated sample delivered as daily
exports, then an old week of orders re-delivered with changed rows and old complaints updated, with
a build after each, gives the same marts as one full rebuild of the same data; and every change
that alters results besides the data makes the next build a full one."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from flows.build.incremental import SINCE_ENV, plan_build
from flows.build.run import BuildResult, build_warehouse
from flows.config import Settings
from flows.errors import UserError
from tests.incremental_slices import deliver, generated_slices, mart_differences

PRIOR_MODELS = ("int_grade_priors_fitted", "int_sku_priors_fitted")


def deliver_and_build(
    slices: list[Path], folder: Path, settings: Settings, dbt_dirs: dict[str, Path]
) -> tuple[Path, list[BuildResult], list[dict]]:
    """Each slice delivered into one landing folder and built (models only); after each build,
    what the priors tables hold of each window."""
    landing, warehouse = folder / "landing", folder / "warehouse.duckdb"
    results, priors = [], []
    for part in slices:
        deliver(part, landing, warehouse, settings)
        results.append(build_warehouse(warehouse, settings, with_tests=False, **dbt_dirs))
        priors.append({**prior_windows(warehouse), "observed": observed_stages(warehouse)})
    return warehouse, results, priors


def prior_windows(warehouse: Path) -> dict:
    """Per priors model: {window_end_week: (rows, fingerprint, fitted_since)}."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            model: {
                week: (rows, fingerprint, since)
                for week, rows, fingerprint, since in con.execute(
                    "select distinct window_end_week, window_rows, window_fingerprint, "
                    f"fitted_since from intermediate.{model}"
                ).fetchall()
            }
            for model in PRIOR_MODELS
        }


def observed_stages(warehouse: Path) -> dict[tuple[str, str], tuple[bool, bool]]:
    """{(channel, stage): (is_observed, was_observed)} of the last build."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select channel, stage, is_observed, was_observed "
            "from intermediate.int_sla_stages_observed"
        ).fetchall()
    return {(channel, stage): (now, before) for channel, stage, now, before in rows}


@pytest.fixture(scope="module")
def sliced(tmp_path_factory, dbt_dirs):
    """(warehouse built slice by slice, its full rebuild, the builds' results, the slices)."""
    folder = tmp_path_factory.mktemp("incremental")
    slices = generated_slices(folder, orders=8000, weeks=10)
    settings = Settings()
    warehouse, results, priors = deliver_and_build(slices, folder, settings, dbt_dirs)
    full = folder / "full.duckdb"
    shutil.copyfile(warehouse, full)
    rebuilt = build_warehouse(full, settings, full_refresh=True, with_tests=False, **dbt_dirs)
    return warehouse, full, results, rebuilt, slices, priors


def test_every_build_after_the_first_is_incremental_and_the_rebuild_full(sliced):
    _, _, results, rebuilt, slices, _ = sliced
    assert len(slices) >= 6
    assert [result.incremental for result in results] == [False] + [True] * (len(results) - 1)
    assert not rebuilt.incremental


def test_the_late_slices_replaced_old_orders_and_complaints(sliced):
    warehouse = sliced[0]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        replaced = dict(
            con.execute("select entity, count(*) from meta.replaced_rows group by 1").fetchall()
        )
        withdrawn = con.execute(
            "select count(*) from raw.complaints where status = 'withdrawn' "
            "and _file_id in (select file_id from meta.file_ledger "
            "where file_name = 'complaints_updates.csv')"
        ).fetchone()[0]
    # Re-delivered orders (a third moved a week back) and complaints' later states replaced rows.
    assert replaced.get("orders", 0) >= 20
    assert replaced.get("complaints", 0) >= 20
    assert withdrawn >= 15


def test_the_late_slices_moved_old_complaints_to_an_earlier_received_week(sliced):
    """Some updated complaints carry a corrected receipt time a week earlier: the weekly
    aggregates by received week must drop them from the week they left (the comparison with a
    full rebuild checks the marts; the unit test received_weeks_to_redo_include_the_week_a_
    complaint_left checks that the week left is redone)."""
    slices = sliced[4]
    first, updated = {}, {}
    for part in slices:
        for path in sorted(part.glob("complaints*.csv")):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    target = updated if path.name == "complaints_updates.csv" else first
                    target.setdefault(row["complaint_id"], row["received_at"])
    moved = [key for key, received in updated.items() if first.get(key, received) != received]
    assert len(moved) >= 5
    with duckdb.connect(str(sliced[0]), read_only=True) as con:
        loaded = con.execute(
            "select count(*) from raw.complaints where complaint_id in (select unnest(?)) "
            "and _file_id in (select file_id from meta.file_ledger "
            "where file_name = 'complaints_updates.csv')",
            [moved],
        ).fetchone()[0]
    assert loaded == len(moved)


def test_the_last_slice_emptied_an_old_week_and_the_build_dropped_it(sliced):
    """Every line of an old week re-delivered a week earlier: the week has no order line left,
    and the kept order-line facts no longer hold it (they did before that slice)."""
    from flows.build.incremental import INCREMENTAL_SCHEMA

    warehouse = sliced[0]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (week,) = con.execute(
            "select distinct order_week + interval 7 day from staging.stg_raw__orders "
            "where file_id in (select file_id from meta.file_ledger "
            "where file_name = 'orders_week_moved.csv')"
        ).fetchone()
        left = con.execute(
            "select count(*) from staging.stg_raw__orders where order_week = ?", [week]
        ).fetchone()[0]
        kept = con.execute(
            f"select count(*) from {INCREMENTAL_SCHEMA}.int_order_lines_flagged "
            "where order_week = ?",
            [week],
        ).fetchone()[0]
    assert (left, kept) == (0, 0)


def test_incremental_marts_equal_a_full_rebuild_of_the_same_data(sliced):
    warehouse, full, *_ = sliced
    assert mart_differences(warehouse, full, schemas=("marts", "restricted")) == []


def test_a_daily_build_refits_only_the_windows_whose_rows_changed(sliced):
    """Each incremental build refits exactly the grading windows whose rows (fingerprint) differ
    from the previous build's, or that are new, and keeps the others' priors; the full rebuild
    refits all of them, to the same priors (the marts above are equal)."""
    warehouse, full, results, _, _, priors = sliced
    refits = kept = 0
    for before, after, result in zip(priors, priors[1:], results[1:], strict=False):
        assert result.incremental
        for model in PRIOR_MODELS:
            changed = {
                week for week, (rows, print_, _) in after[model].items()
                if before[model].get(week, (None, None))[:2] != (rows, print_)
            }  # fmt: skip
            newest = {since for *_, since in after[model].values()} - {
                since for *_, since in before[model].values()
            }
            refitted = {week for week, (*_, since) in after[model].items() if since in newest}
            assert refitted == changed, (model, sorted(refitted), sorted(changed))
            assert all(
                after[model][week] == before[model][week] for week in after[model].keys() - changed
            )
            refits += len(refitted)
            kept += len(after[model]) - len(refitted)
    # (The sample's SKUs are too small to be fitted: the merchants' windows carry the check.)
    assert refits > 0 and kept > refits and priors[-1]["int_grade_priors_fitted"]
    rebuilt = prior_windows(full)
    for model in PRIOR_MODELS:
        assert {since for *_, since in rebuilt[model].values()} <= {None}
        assert {week: row[:2] for week, row in rebuilt[model].items()} == {
            week: row[:2] for week, row in priors[-1][model].items()
        }
    assert prior_windows(warehouse) == {model: priors[-1][model] for model in PRIOR_MODELS}


def test_a_stage_first_recorded_late_is_judged_again_on_its_channel(sliced):
    """The late slice with one channel's first merchant-evidence events: until it the stage is not
    observed there (not_observed, never breached), with it it is, and the build that saw the
    change knew it (was_observed). The marts then equal a full rebuild (above): every complaint
    of the channel was judged again, not only those with a new event."""
    _, _, results, _, slices, snapshots = sliced
    late = next(i for i, part in enumerate(slices) if part.name == "slice_masters")
    before, after = snapshots[late - 1]["observed"], snapshots[late]["observed"]
    flipped = [key for key, (now, _) in after.items() if now and not before[key][0]]
    assert [stage for _, stage in flipped] == ["merchant_evidence"], flipped
    assert results[late].incremental and after[flipped[0]] == (True, False)
    assert all(now == was for now, was in snapshots[late + 1]["observed"].values())


def daily_and_full(
    warehouse: Path, folder: Path, dbt_dirs: dict[str, Path], as_of: str | None = None
) -> Path:
    """An incremental build of ``warehouse`` and a full build of a copy of it (same data, same
    reference time); returns the copy."""
    full = folder / f"full-{warehouse.stat().st_mtime_ns}.duckdb"
    shutil.copyfile(warehouse, full)
    options = dict(as_of=as_of, force=True, with_tests=False, **dbt_dirs)
    assert build_warehouse(warehouse, Settings(), **options).incremental
    build_warehouse(full, Settings(), full_refresh=True, **options)
    return full


RECURRENCE_OF = """
    select recurred_by_complaint_id from marts.complaint_recurrence where complaint_id = ?
"""


def test_a_recurrence_gained_and_lost_redoes_the_closed_complaint_it_reaches(
    sliced, tmp_path, dbt_dirs
):
    """Recurrence rows kept by closed complaint: a new complaint of the same buyer and SKU recurs
    an old closed one, whose own rows did not change; moved to another SKU, it no longer does
    (the group it left must be redone). Each incremental build equals a full one."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sliced[0], copy)
    with duckdb.connect(str(copy)) as con:
        closed = con.execute(
            "select complaint_id from intermediate.int_closed_complaints_matched "
            "where not has_recurred and buyer_id is not null and issue_type is not null "
            "and closed_at + interval 2 day < (select as_of from meta.build_state) "
            "order by complaint_id limit 1"
        ).fetchone()[0]
        con.execute(
            "insert into raw.complaints by name "
            "select c.* replace ('recurs-' || c.complaint_id as complaint_id, 'open' as status, "
            "matched.closed_at + interval 1 day as received_at, "
            "matched.closed_at + interval 1 day as updated_at, "
            "matched.issue_type as issue_type, now() as _ingested_at) "
            "from raw.complaints as c "
            "inner join intermediate.int_closed_complaints_matched as matched "
            "on c.complaint_id = matched.complaint_id "
            "where c.complaint_id = ?",
            [closed],
        )
    full = daily_and_full(copy, tmp_path, dbt_dirs)
    with duckdb.connect(str(full), read_only=True) as con:
        assert con.execute(RECURRENCE_OF, [closed]).fetchone() == ("recurs-" + closed,)
    assert mart_differences(copy, full) == []
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "update raw.complaints set sku_id = sku_id || '-other', _ingested_at = now() "
            "where complaint_id = ?",
            ["recurs-" + closed],
        )
    full = daily_and_full(copy, tmp_path, dbt_dirs)
    with duckdb.connect(str(full), read_only=True) as con:
        assert con.execute(RECURRENCE_OF, [closed]).fetchone() == (None,)
    assert mart_differences(copy, full) == []


def test_a_later_reference_time_redoes_the_recurrence_rows_that_matured(sliced, tmp_path, dbt_dirs):
    """A reference time 100 days on makes every closed complaint's 90-day window pass: the rows
    judged immature are judged again, with no data change."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sliced[0], copy)
    with duckdb.connect(str(copy), read_only=True) as con:
        as_of = con.execute("select as_of from meta.build_state").fetchone()[0]
        immature = con.execute(
            "select count(*) from marts.complaint_recurrence where not is_mature"
        ).fetchone()[0]
    full = daily_and_full(copy, tmp_path, dbt_dirs, (as_of + timedelta(days=100)).isoformat())
    with duckdb.connect(str(full), read_only=True) as con:
        assert con.execute(
            "select count(*) from marts.complaint_recurrence where not is_mature"
        ).fetchone() == (0,)
    assert immature > 0
    assert mart_differences(copy, full) == []


LATER_COMPLAINT = """
    select a.complaint_id, a.merchant_id, a.received_week
    from marts.complaints as a
    inner join restricted.complaint_buyers as buyers on a.complaint_id = buyers.complaint_id
    where a.is_counted and not a.is_open and buyers.buyer_id is not null
        and a.received_at - interval 20 day >= (select min(received_at) from marts.complaints)
        and a.received_week not in (select received_week from marts.complaints where is_open)
        and not exists (
            select 1
            from marts.complaints as earlier
            inner join restricted.complaint_buyers as earlier_buyers
                on earlier.complaint_id = earlier_buyers.complaint_id
            where earlier_buyers.buyer_id = buyers.buyer_id
                and earlier.merchant_id = a.merchant_id
                and earlier.received_at < a.received_at
                and earlier.received_at >= a.received_at - interval 120 day
        )
    order by a.received_at, a.complaint_id
    limit 1
"""

REPEATS_OF_WEEK = """
    select n_repeat_buyer_complaints from marts.reopen_and_repeat_rates
    where merchant_id = ? and received_week = ?
"""


def test_an_earlier_complaint_of_the_same_buyer_redoes_the_week_it_makes_a_repeat(
    sliced, tmp_path, dbt_dirs
):
    """A complaint delivered late, received 20 days before an old closed complaint on the same
    order line (same buyer, same merchant), makes that one a repeat-buyer complaint: its received
    week, where nothing else changed, is redone with one repeat more, as in a full build."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sliced[0], copy)
    with duckdb.connect(str(copy)) as con:
        later, merchant, week = con.execute(LATER_COMPLAINT).fetchone()
        (repeats_before,) = con.execute(REPEATS_OF_WEEK, [merchant, week]).fetchone()
        con.execute(
            "insert into raw.complaints by name "
            "select * replace ('earlier-' || complaint_id as complaint_id, "
            "received_at - interval 20 day as received_at, now() as _ingested_at) "
            "from raw.complaints where complaint_id = ? order by updated_at desc limit 1",
            [later],
        )
    full = daily_and_full(copy, tmp_path, dbt_dirs)
    with duckdb.connect(str(copy), read_only=True) as con:
        assert con.execute(
            "select count(*) from intermediate.int_received_weeks_to_redo where received_week = ?",
            [week],
        ).fetchone() == (0,)
        assert con.execute(REPEATS_OF_WEEK, [merchant, week]).fetchone() == (repeats_before + 1,)
    assert mart_differences(copy, full) == []


ACTION_COUNTS = """
    select before_order_lines, after_order_lines, opened_at
    from marts.corrective_action_effectiveness where action_id = ?
"""


def test_late_order_lines_in_its_window_or_a_moved_window_count_an_action_again(
    sliced, tmp_path, dbt_dirs
):
    """A daily run keeps an action's counts from the last build unless they may have changed: an
    order line loaded late into its after window is counted (its order week is redone), and an
    action opened earlier than the export said is counted over its new before window. Each
    incremental build equals a full one."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sliced[0], copy)
    with duckdb.connect(str(copy)) as con:
        action, merchant, sku, completed = con.execute(
            "select action_id, merchant_id, sku_id, completed_at "
            "from staging.stg_raw__corrective_actions where completed_at is not null "
            "order by action_id limit 1"
        ).fetchone()
        before, after, opened = con.execute(ACTION_COUNTS, [action]).fetchone()
        con.execute(
            "insert into raw.orders select * replace (order_id || '-late' as order_id, "
            "?::timestamptz + interval 1 day as ordered_at, now() as _ingested_at) "
            "from raw.orders where merchant_id = ? and (sku_id = ? or ? is null) "
            "order by order_id limit 1",
            [completed, merchant, sku, sku],
        )
    full = daily_and_full(copy, tmp_path, dbt_dirs)
    with duckdb.connect(str(copy), read_only=True) as con:
        assert con.execute(ACTION_COUNTS, [action]).fetchone() == (before, after + 1, opened)
    assert mart_differences(copy, full) == []
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "update raw.corrective_actions set opened_at = opened_at - interval 30 day, "
            "_ingested_at = now() where action_id = ?",
            [action],
        )
    full = daily_and_full(copy, tmp_path, dbt_dirs)
    with duckdb.connect(str(copy), read_only=True) as con:
        moved_before, _, moved_opened = con.execute(ACTION_COUNTS, [action]).fetchone()
    assert (moved_opened, moved_before != before) == (opened - timedelta(days=30), True)
    assert mart_differences(copy, full) == []


def scorecard_from_week(warehouse: Path):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "select from_week from intermediate.int_scorecard_weeks_to_redo"
        ).fetchone()[0]


def test_late_order_lines_of_an_old_week_redo_the_scorecard_from_that_week(
    sliced, tmp_path, dbt_dirs
):
    """Order lines of the first order week loaded late, no complaint with them: the scorecard is
    redone from that week (its order lines, rates, trends and grades) and equals a full build."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sliced[0], copy)
    with duckdb.connect(str(copy)) as con:
        (week,) = con.execute("select min(order_week) from staging.stg_raw__orders").fetchone()
        con.execute(
            "insert into raw.orders select * replace (order_id || '-late' as order_id, "
            "now() as _ingested_at) from raw.orders where order_id in ("
            "select order_id from staging.stg_raw__orders where order_week = ? "
            "order by order_id limit 5)",
            [week],
        )
    full = daily_and_full(copy, tmp_path, dbt_dirs)
    assert scorecard_from_week(copy) == week
    assert mart_differences(copy, full) == []


@pytest.mark.parametrize(
    "change",
    [
        # a merchant never seen before, with one order line this week: a row in every week
        "insert into raw.orders select * replace ('new-' || order_id as order_id, "
        "'merchant-new' as merchant_id, now() as _ingested_at) from raw.orders "
        "where ordered_at = (select max(ordered_at) from raw.orders) limit 1",
        # a merchant's category re-delivered: on every week of that merchant
        "update raw.merchants set category = category || '-moved', _ingested_at = now() "
        "where merchant_id = (select min(merchant_id) from raw.merchants)",
    ],
    ids=["new merchant", "new master row"],
)
def test_a_new_merchant_or_master_row_redoes_every_scorecard_week(
    sliced, tmp_path, dbt_dirs, change
):
    """What is on every week of a merchant redoes the scorecard from the first week."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sliced[0], copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(change)
        (first,) = con.execute(
            "select min(week_start) from intermediate.int_merchant_weeks_spined"
        ).fetchone()
    full = daily_and_full(copy, tmp_path, dbt_dirs)
    assert scorecard_from_week(copy) == first
    assert mart_differences(copy, full) == []


def test_a_day_without_data_redoes_the_scorecard_weeks_of_open_complaints(
    sliced, tmp_path, dbt_dirs
):
    """No new row, a reference time two days on: open complaints' stages fall overdue in their
    received weeks, which the scorecard redoes; it equals a full build at that time."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sliced[0], copy)
    with duckdb.connect(str(copy), read_only=True) as con:
        as_of = con.execute("select as_of from meta.build_state").fetchone()[0]
    full = daily_and_full(copy, tmp_path, dbt_dirs, (as_of + timedelta(days=2)).isoformat())
    assert mart_differences(copy, full) == []
    # A minute later nothing else moves (no data, no week matures): the open complaints' weeks
    # alone set where the scorecard is redone.
    later = (as_of + timedelta(days=2, minutes=1)).isoformat()
    assert build_warehouse(copy, Settings(), as_of=later, force=True, with_tests=False, **dbt_dirs)
    with duckdb.connect(str(copy), read_only=True) as con:
        (first_open_week,) = con.execute(
            "select min(received_week) from intermediate.int_received_weeks_to_redo"
        ).fetchone()
    assert first_open_week is not None
    assert scorecard_from_week(copy) == first_open_week


def test_a_week_partial_at_the_last_build_is_redone_in_the_term_trends(sliced, tmp_path, dbt_dirs):
    """A week the last build marked partial is redone once as_of has left it, even when none of
    its complaints changed. Simulated on a copy: one old week's stored rows are marked partial,
    a week that no week to redo or its trailing baselines reach; the next build must redo it."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sliced[0], copy)
    probe = tmp_path / "probe.duckdb"
    shutil.copyfile(copy, probe)
    assert build_warehouse(probe, Settings(), force=True, with_tests=False, **dbt_dirs).incremental
    with duckdb.connect(str(probe), read_only=True) as con:
        redone = {row[0] for row in con.execute(
            "select received_week from intermediate.int_received_weeks_to_redo"
        ).fetchall()}  # fmt: skip
        weeks = [row[0] for row in con.execute(
            "select distinct received_week from marts.term_trends_weekly "
            "where not is_partial_week order by 1"
        ).fetchall()]  # fmt: skip
    reached = {week + timedelta(days=7 * k) for week in redone for k in range(9)}
    quiet = [week for week in weeks[1:] if week not in reached]
    assert quiet, (sorted(redone), weeks)
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "update marts.term_trends_weekly set is_partial_week = true where received_week = ?",
            [quiet[0]],
        )
    full = daily_and_full(copy, tmp_path, dbt_dirs)
    assert mart_differences(copy, full, schemas=("marts",)) == []


def test_the_comparison_sees_one_changed_count(sliced, tmp_path):
    """The check can fail: one order line more in one merchant week is a difference."""
    _, full, *_ = sliced
    changed = tmp_path / "changed.duckdb"
    shutil.copyfile(full, changed)
    with duckdb.connect(str(changed)) as con:
        con.execute(
            "update marts.merchant_defect_rates_weekly set order_lines = order_lines + 1 "
            "where rowid = (select min(rowid) from marts.merchant_defect_rates_weekly)"
        )
    found = mart_differences(changed, full)
    assert len(found) == 1 and found[0].startswith("merchant_defect_rates_weekly")


def test_a_change_besides_the_data_makes_the_next_build_full(sliced, tmp_path):
    warehouse = sliced[0]
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        as_of = con.execute("select as_of from meta.build_state").fetchone()[0]
        assert not plan_build(con, Settings(), as_of).full
        assert not plan_build(con, Settings(), as_of + timedelta(days=3)).full
        for settings, moment, reason in [
            (Settings(), as_of, "asked for"),
            (Settings(rate_maturity_days=20), as_of, "settings"),
            (Settings(timezone="Europe/Berlin"), as_of, "settings"),
            (Settings(recurrence_window_days=60), as_of, "settings"),
            (Settings(), as_of - timedelta(seconds=1), "reference time"),
        ]:
            plan = plan_build(con, settings, moment, full_refresh=reason == "asked for")
            assert plan.full and reason in plan.reason, (settings, moment)
        con.execute("delete from meta.build_state")
        assert plan_build(con, Settings(), as_of).reason == "no previous build"


def test_a_build_that_did_not_finish_makes_the_next_one_full(sliced, tmp_path, dbt_dirs):
    """A build that fails half-way has replaced some kept tables (int_sla_stages_observed, which
    the next build compares with): the next build is full, not incremental from them."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sliced[0], copy)
    with duckdb.connect(str(copy)) as con:
        assert con.execute("select mode from meta.build_state").fetchall() == [("incremental",)]
        as_of = con.execute("select as_of from meta.build_state").fetchone()[0]
        con.execute("alter table raw.skus rename column sku_name to sku_name_x")
    with pytest.raises(UserError):
        build_warehouse(copy, Settings(), with_tests=False, **dbt_dirs)
    with duckdb.connect(str(copy)) as con:
        assert con.execute("select mode from meta.build_state").fetchall() == [("started",)]
        plan = plan_build(con, Settings(), as_of)
        assert plan.full and "did not finish" in plan.reason


def test_another_holiday_tables_release_makes_the_next_build_full(monkeypatch):
    """Working-time deadlines kept from earlier builds rest on the installed holiday tables."""
    from flows.build import incremental

    before = incremental.fingerprint(Settings())
    assert incremental.fingerprint(Settings()) == before
    monkeypatch.setattr(incremental, "_installed_version", lambda package: "9.9.9")
    assert incremental.fingerprint(Settings()) != before


def test_another_segmenter_makes_the_next_build_full(monkeypatch):
    """The terms of complaints kept from earlier builds rest on the segmenter that wrote them: a
    new lexicon or jieba release re-segments every description."""
    from flows.build import incremental
    from flows.text import segment

    before = incremental.fingerprint(Settings())
    monkeypatch.setattr(segment, "RULES_VERSION", segment.RULES_VERSION + "-next")
    assert incremental.fingerprint(Settings()) != before


def failures(selector: str, warehouse: Path, since: str, dbt_dirs: dict[str, Path]) -> int:
    """The failing rows of the data tests ``selector`` names, run as a build whose last build's
    watermark is ``since`` would run them ('' for a full build)."""
    from flows.build.run import node_results, run_dbt

    outcome = run_dbt(
        ["test", "--select", selector],
        warehouse,
        Settings(),
        extra_env={SINCE_ENV: since},
        **dbt_dirs,
    )
    nodes = [node for node in node_results(outcome.result) if node.resource_type == "test"]
    assert nodes, selector
    return sum(node.failures for node in nodes)


def assert_only_a_new_row_fails(
    selector: str,
    table: str,
    replaced: str,
    order: str,
    warehouse: Path,
    tmp_path: Path,
    dbt_dirs: dict[str, Path],
) -> None:
    """A copy of one row of raw ``table`` (with ``replaced``, a `replace` list, and ``order`` to
    pick it) fails the data tests ``selector`` names: on an incremental build when it was loaded
    after the last build, only on a full build when loaded before it (the last build would have
    failed on it)."""
    for loaded, expected in (("new", 1), ("old", 0)):
        copy = tmp_path / f"{loaded}.duckdb"
        shutil.copyfile(warehouse, copy)
        with duckdb.connect(str(copy)) as con:
            (watermark,) = con.execute("select watermark from meta.build_state").fetchone()
            stamp = "cast(? as timestamptz) + interval 1 second" if loaded == "new" else "?"
            con.execute(
                f"insert into raw.{table} select * replace ({replaced}{stamp} as _ingested_at) "
                f"from raw.{table} where _ingested_at < ? {order} limit 1",
                [watermark, watermark],
            )
        assert failures(selector, copy, watermark.isoformat(), dbt_dirs) == expected, loaded
        assert failures(selector, copy, "", dbt_dirs) == 1, loaded


@pytest.mark.parametrize(
    ("test", "table", "key"),
    [
        ("unique_key_stg_raw__orders_order_id__sku_id__ingested_at", "orders", "order_id, sku_id"),
        (
            "unique_key_stg_raw__complaint_events_complaint_id__event_type__occurred_at__ingested_at",
            "complaint_events",
            "complaint_id, event_type, occurred_at",
        ),
    ],
)
def test_an_incremental_build_checks_a_key_on_the_new_rows(
    sliced, tmp_path, dbt_dirs, test, table, key
):
    """The order lines' and the events' key tests of an incremental build look only at the keys
    of rows loaded since the last build (which passed them): a new row repeating an old key fails
    it, a duplicate among old rows (which the last build would have failed on) is the full
    build's test's to see."""
    assert_only_a_new_row_fails(test, table, "", f"order by {key}", sliced[0], tmp_path, dbt_dirs)


def test_an_incremental_build_runs_every_data_test(sliced, tmp_path, dbt_dirs):
    """The slice builds above run the models alone; a daily build runs the data tests too, with
    their incremental filters (macros/test_filters.sql, unique_key's `loaded_at` and
    `redone_in`): every one must run and pass on an incremental build."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sliced[0], copy)
    result = build_warehouse(copy, Settings(), force=True, **dbt_dirs)
    assert result.incremental
    tests = [node for node in result.nodes if node.resource_type == "test"]
    assert len(tests) > 100


@pytest.mark.parametrize(
    ("selector", "table", "bad_value"),
    [
        (
            "test_name:accepted_values,stg_raw__complaint_events",
            "complaint_events",
            "'not_an_event' as event_type",
        ),
        ("test_name:not_null_columns,stg_raw__orders", "orders", "null as quantity"),
        ("test_name:not_null,stg_raw__complaints", "complaints", "null as complaint_id"),
    ],
)
def test_an_incremental_build_checks_raw_rows_one_by_one_on_the_new_rows(
    sliced, tmp_path, dbt_dirs, selector, table, bad_value
):
    """Row-by-row checks of the raw staging models (`where: __loaded_since_last_build__`,
    macros/test_filters.sql) read, on an incremental build, only the rows loaded since the last
    build: a bad new row fails them; a bad old row (which the last build would have failed on) is
    the full build's to see."""
    assert_only_a_new_row_fails(
        selector, table, f"{bad_value}, ", "", sliced[0], tmp_path, dbt_dirs
    )


@pytest.mark.parametrize(
    ("table", "key", "listed_in", "order"),
    [
        (
            "intermediate.int_complaint_sla_stages_evaluated",
            "complaint_id",
            "intermediate.int_complaints_to_reevaluate",
            "complaint_id, stage",
        ),
        (
            "marts.sla_compliance_merchant_weekly",
            "received_week",
            "intermediate.int_received_weeks_to_redo",
            "received_week, merchant_id, channel, stage",
        ),
        (
            "intermediate.int_sku_week_counts",
            "order_week",
            "intermediate.int_order_weeks_to_redo",
            "order_week, sku_id",
        ),
    ],
    ids=["by-complaint", "by-received-week", "by-order-week"],
)
def test_an_incremental_build_checks_a_kept_models_key_on_the_redone_rows(
    sliced, tmp_path, dbt_dirs, table, key, listed_in, order
):
    """A model that keeps the rows it does not redo: an incremental build's key test looks only
    at the rows of the complaints or weeks the build redid (the list its config names). A
    duplicate of a listed row fails it; one of a kept row (which the last build would have failed
    on) is the full build's test's to see."""
    selector = f"test_name:unique_key,{table.split('.')[1]}"

    for listed, expected in ((True, 1), (False, 0)):
        copy = tmp_path / f"listed-{listed}.duckdb"
        shutil.copyfile(sliced[0], copy)
        with duckdb.connect(str(copy)) as con:
            (watermark,) = con.execute("select watermark from meta.build_state").fetchone()
            con.execute(
                f"insert into {table} select * from {table} "
                f"where {key} {'' if listed else 'not'} in (select {key} from {listed_in}) "
                f"order by {order} limit 1"
            )
            assert con.execute(f"select count(*) from {listed_in}").fetchone()[0]
        assert failures(selector, copy, watermark.isoformat(), dbt_dirs) == expected, listed
        assert failures(selector, copy, "", dbt_dirs) == 1, listed


def test_each_key_test_on_redone_rows_names_the_list_its_model_redoes():
    """A key test reading only the redone rows is sound only with the very list (and column) the
    model's incremental config redoes by; a narrower list would leave new rows unchecked."""
    import yaml

    from flows.build.incremental import PROJECT_DIR

    configs = {
        "complaint_id": r"incremental_by_complaint\('(?P<list>\w+)'\)",
        "received_week": r"incremental_by_received_week\((?:'(?P<list>\w+)')?\)",
        "order_week": r"incremental_by_order_week\(\)",
    }
    defaults = {
        "received_week": "int_received_weeks_to_redo",
        "order_week": "int_order_weeks_to_redo",
    }
    sql = {
        path.stem: path.read_text(encoding="utf-8") for path in PROJECT_DIR.glob("models/**/*.sql")
    }
    checked = []
    for path in PROJECT_DIR.glob("models/**/*.yml"):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            for test in model.get("data_tests") or []:
                arguments = (
                    (test.get("unique_key") or {}).get("arguments", {})
                    if isinstance(test, dict)
                    else {}
                )
                if "redone_in" not in arguments:
                    continue
                by = arguments.get("redone_by", "complaint_id")
                assert by in arguments["columns"], model["name"]
                found = re.search(configs[by], sql[model["name"]])
                assert found, (model["name"], by)
                named = found.groupdict().get("list") or defaults.get(by)
                assert named == arguments["redone_in"], model["name"]
                checked.append(model["name"])
    assert len(checked) >= 10, checked


def test_the_incremental_models_are_the_ones_the_spark_build_keeps():
    """The Spark build keeps INCREMENTAL_MODELS' tables between runs: the list is the models
    configured with incremental_by_order_week()."""
    from flows.build.incremental import INCREMENTAL_MODELS, PROJECT_DIR

    configured = {
        path.stem
        for path in (PROJECT_DIR / "models").rglob("*.sql")
        if "incremental_by_order_week()" in path.read_text(encoding="utf-8")
    }
    assert configured == set(INCREMENTAL_MODELS)


def test_a_new_starting_point_does_not_make_dbt_parse_again(tmp_path):
    """Where an incremental build starts changes every run; dbt must keep its saved parse (a
    change of any --vars value would make it parse the whole project again)."""
    from flows.build.run import run_dbt

    dirs = {"target_path": tmp_path / "target", "log_path": tmp_path / "logs"}
    database = tmp_path / "empty.duckdb"
    for since in ("", "2026-01-05T00:00:00+00:00", "2026-01-06T00:00:00+00:00"):
        assert run_dbt(
            ["parse"], database, Settings(), extra_env={SINCE_ENV: since}, **dirs
        ).success
    log = (tmp_path / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert log.count("Unable to do partial parsing") == 1  # the first parse only: nothing saved
    # The check can fail: a changed var does make dbt parse again.
    assert run_dbt(["parse"], database, Settings(timezone="Europe/Berlin"), **dirs).success
    log = (tmp_path / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert log.count("Unable to do partial parsing") == 2
