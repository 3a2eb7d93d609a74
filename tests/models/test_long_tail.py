"""A long-tailed marketplace (2,000 merchants, most with fewer than 10 order lines): no merchant or
SKU under the minimum volume is graded or ranked, no prior is weaker than the documented floor, and
the SKU ranks agree with an independent scipy fit of the contract's prior."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from flows.build.run import build_and_publish
from flows.config import Settings
from flows.warehouse import publishing, read_only
from tests.models.prior_reference import shrunk_ranks
from tests.models.raw_tables import create_tables

MERCHANTS = 2_000
BIG = 40  # merchants with hundreds to thousands of lines; the rest have 1-9 lines

_LOAD = f"""
insert into raw.merchants (merchant_id, merchant_name, category, _file_id, _row_number)
select 'M' || lpad(i::varchar, 4, '0'), 'Shop ' || i,
       case when i < 2 then 'tiny' else ['home', 'beauty', 'toys'][i % 3 + 1] end, 'f-m', i
from range({MERCHANTS}) as t(i);

-- Big merchants: 500-3,500 lines at 0.5 %-3 % defects; small ones: 1-9 lines, one in ten of
-- them with every line defective (the 1-order sellers at 100 % that must never top a ranking).
create temp table lines as
select i, j,
       'O' || i || '-' || j as order_id,
       -- big merchants sell three SKUs (some of them under the minimum volume), the rest one
       'S' || lpad(i::varchar, 4, '0') || case when i < {BIG} then '-' || (j % 3) else '' end
           as sku_id,
       'M' || lpad(i::varchar, 4, '0') as merchant_id,
       timestamptz '2026-01-05 10:00:00+08' + to_days(cast(j % 84 as integer)) as ordered_at,
       case when i < {BIG} then (j * 7919 + i * 31) % 1000 < 5 + (i * 7) % 26
            else i % 10 = 0 end as is_defect
from range({MERCHANTS}) as t(i),
     lateral (select unnest(range(case when i < {BIG} then 500 + (i * 137) % 3000
                                       else 1 + i % 9 end)) as j);

insert into raw.skus (sku_id, merchant_id, sku_name, _file_id, _row_number)
select sku_id, any_value(merchant_id), 'Item ' || sku_id, 'f-s', row_number() over ()
from lines group by sku_id;

insert into raw.orders (order_id, sku_id, merchant_id, quantity, ordered_at, buyer_id,
                        _file_id, _row_number)
select order_id, sku_id, merchant_id, 1, ordered_at, 'B' || (j % 500), 'f-o',
       row_number() over ()
from lines;

insert into raw.complaints (complaint_id, order_id, sku_id, merchant_id, channel, received_at,
                            issue_type, responsibility, status, updated_at, _file_id, _row_number)
select 'C' || i || '-' || j, order_id, sku_id, merchant_id, 'app',
       ordered_at + interval 5 day, 'quality_defect', 'merchant', 'closed',
       ordered_at + interval 8 day, 'f-c', row_number() over ()
from lines where is_defect;

-- The export moment, two months after the last order: every order week is mature.
insert into raw.complaint_events (complaint_id, event_type, occurred_at, _file_id, _row_number)
select min(complaint_id), 'classified', timestamptz '2026-06-01 12:00:00+08', 'f-e', 1
from raw.complaints;
"""


@pytest.fixture(scope="module")
def long_tail(tmp_path_factory, dbt_dirs):
    path = tmp_path_factory.mktemp("long_tail") / "warehouse.duckdb"
    with publishing(path) as staging, duckdb.connect(str(staging)) as con:
        create_tables(con)
        con.execute(_LOAD)
    build_and_publish(path, Settings(), **dbt_dirs)
    return path


def _rows(path, sql):
    with read_only(path) as con:
        return con.execute(sql).df()


def test_fixture_is_long_tailed(long_tail):
    lines = _rows(long_tail, "select merchant_id, count(*) as n from raw.orders group by 1")
    assert len(lines) == MERCHANTS
    assert (lines["n"] < 10).sum() >= 0.9 * MERCHANTS


def test_no_merchant_under_the_minimum_volume_is_graded_or_ranked(long_tail):
    minimum = Settings().min_volume_order_lines
    grades = _rows(long_tail, "select * from marts.merchant_grades")
    small = grades[grades["order_lines"] < minimum]
    assert len(small) > 1_000
    assert (small["grade_status"] == "insufficient_volume").all()
    assert small["grade"].isna().all() and small["category_rank"].isna().all()
    big = grades[grades["order_lines"] >= minimum]
    assert big["grade"].notna().all() and big["category_rank"].notna().all()
    latest = grades[grades["is_latest_window"]]
    # The worst ranked merchant of each category is a big one, whatever the 100 % small sellers do.
    top = latest[latest["category_rank"] == 1]
    assert (top["order_lines"] >= minimum).all() and len(top) == 4
    cards = _rows(
        long_tail,
        "select order_lines, graded_order_lines, grade, category_rank, defect_rate_percentile "
        "from marts.merchant_scorecard_weekly",
    )
    unranked = cards[cards["graded_order_lines"].fillna(0) < minimum]
    assert unranked[["grade", "category_rank", "defect_rate_percentile"]].isna().all().all()


def test_priors_are_at_least_the_documented_floor(long_tail):
    settings = Settings()
    priors = _rows(long_tail, "select * from intermediate.int_grade_priors_fitted")
    assert len(priors) > 0
    assert (priors["prior_strength"] >= settings.prior_strength_floor - 1e-9).all()
    # "tiny" has only 2 merchants at the minimum volume: the platform prior.
    tiny = priors[priors["category"] == "tiny"]
    assert (tiny["prior_source"] == "platform").all()
    assert (priors.loc[priors["category"] != "tiny", "prior_source"] == "category").any()


def test_no_sku_under_the_minimum_volume_is_ranked(long_tail):
    minimum = Settings().min_volume_order_lines
    ranks = _rows(long_tail, "select * from marts.sku_rankings")
    small = ranks[ranks["order_lines"] < minimum]
    assert len(small) > 1_000
    # Some of the big merchants' SKUs are small too: the rule is the SKU's own volume.
    assert small["merchant_id"].isin(ranks.loc[ranks["order_lines"] >= 500, "merchant_id"]).any()
    assert (small["rank_status"] == "insufficient_volume").all()
    assert small["category_rank"].isna().all()
    big = ranks[ranks["order_lines"] >= minimum]
    assert len(big) > 60
    assert (big["rank_status"] == "ranked").all() and big["category_rank"].notna().all()
    latest = ranks[ranks["is_latest_window"]]
    top = latest[latest["category_rank"] == 1]
    assert (top["order_lines"] >= minimum).all() and len(top) == 4


def test_sku_priors_are_at_least_the_documented_floor(long_tail):
    settings = Settings()
    priors = _rows(long_tail, "select * from intermediate.int_sku_priors_fitted")
    assert len(priors) > 0
    assert (priors["prior_strength"] >= settings.prior_strength_floor - 1e-9).all()
    # "tiny" has 3 SKUs at the minimum volume (its merchants sell 2 x 3 SKUs, one merchant's
    # all under it): the platform prior.
    tiny = priors[priors["category"] == "tiny"]
    assert len(tiny) and (tiny["prior_source"] == "platform").all()
    latest = priors[priors["window_end_week"] == priors["window_end_week"].max()]
    assert (latest.loc[latest["category"] != "tiny", "prior_source"] == "category").all()


def test_sku_ranks_match_an_independent_scipy_fit(long_tail):
    """The latest window recomputed from the raw tables with pandas and scipy (no project SQL):
    every order week of the fixture is mature, and the 12-week window holds all of them."""
    settings = Settings()
    lines = _rows(
        long_tail,
        "select o.sku_id, m.category, c.complaint_id is not null as is_defect "
        "from raw.orders o join raw.merchants m using (merchant_id) "
        "left join raw.complaints c using (order_id, sku_id)",
    )
    skus = (
        lines.groupby(["sku_id", "category"])
        .agg(order_lines=("is_defect", "size"), defect_lines=("is_defect", "sum"))
        .reset_index()
    )
    expected = shrunk_ranks(
        skus,
        "sku_id",
        settings.min_volume_order_lines,
        settings.prior_min_merchants,
        settings.prior_strength_floor,
    ).set_index("sku_id")
    mart = _rows(
        long_tail,
        "select sku_id, order_lines, defect_lines, shrunk_defect_rate, category_rank "
        "from marts.sku_rankings where is_latest_window",
    ).set_index("sku_id")
    assert len(mart) == len(expected)
    mart = mart.loc[expected.index]
    assert (mart["order_lines"] == expected["order_lines"]).all()
    assert (mart["defect_lines"] == expected["defect_lines"]).all()
    assert mart["shrunk_defect_rate"].to_numpy() == pytest.approx(
        expected["shrunk_defect_rate"].to_numpy(), rel=1e-6
    )
    ranks = [frame["category_rank"].to_numpy(dtype=float) for frame in (mart, expected)]
    assert (pd.Series(ranks[0]).fillna(-1) == pd.Series(ranks[1]).fillna(-1)).all()
    assert pd.notna(ranks[1]).sum() > 60
