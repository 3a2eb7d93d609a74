"""``complaints sql``: answers SELECTs over the marts, refuses everything else in one sentence."""

import csv
import io

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import _register_commands, app

runner = CliRunner()


@pytest.fixture(scope="module")
def warehouse(small_warehouse):
    _register_commands()
    return small_warehouse


def test_select_as_csv_matches_the_mart(warehouse):
    query = "select merchant_id, count(*) as n from complaints group by 1 order by 1"
    result = runner.invoke(app, ["sql", query, "--warehouse", str(warehouse), "--format", "csv"])
    assert result.exit_code == 0, result.output
    shown = {
        row["merchant_id"]: int(row["n"]) for row in csv.DictReader(io.StringIO(result.stdout))
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        expected = dict(
            con.execute("select merchant_id, count(*) from marts.complaints group by 1").fetchall()
        )
    assert shown == expected and shown


def test_row_cap_is_reported(warehouse):
    args = ["sql", "select * from complaints", "--warehouse", str(warehouse), "--max-rows", "3"]
    result = runner.invoke(app, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 3
    assert "cut at 3 rows" in result.output


@pytest.mark.parametrize(
    "query",
    [
        "select * from read_csv('/etc/passwd')",
        "copy (select 1) to '/tmp/complaints-sql-test.csv'",
        "create table marts.x as select 1",
        "select * from raw.complaints",
    ],
)
def test_refusals_are_one_sentence(warehouse, query):
    result = runner.invoke(app, ["sql", query, "--warehouse", str(warehouse)])
    assert result.exit_code == 1
    assert "query refused or failed" in result.output
    assert "Traceback" not in result.output


# A number column with a NULL beside a value (pandas makes it NaN), an all-NULL text column and
# an instant.
NULL_AND_INSTANT = (
    "select rate as missing_rate, null::varchar as missing_text, "
    "timestamptz '2026-01-01 00:00:00+00' as instant "
    "from (values (null::double), (0.5)) as t(rate) order by rate nulls first"
)


def _platform_wall_time() -> str:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from flows.config import load_settings

    instant = datetime(2026, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(load_settings().timezone))
    return instant.strftime("%Y-%m-%d %H:%M:%S")


def test_csv_shows_null_as_empty_and_instants_in_the_platform_zone(warehouse):
    args = ["sql", NULL_AND_INSTANT, "--warehouse", str(warehouse), "--format", "csv"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    row, _ = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["missing_rate"] == "" and row["missing_text"] == ""
    assert row["instant"].startswith(_platform_wall_time()), row


def test_table_shows_null_as_a_dash_and_instants_in_the_platform_zone(warehouse):
    args = ["sql", NULL_AND_INSTANT, "--warehouse", str(warehouse)]
    result = runner.invoke(app, args, terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "nan" not in result.stdout.lower() and "None" not in result.stdout
    assert "—" in result.stdout
    assert _platform_wall_time() in result.stdout, result.stdout
