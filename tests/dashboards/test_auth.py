"""Sign-in and roles: each role sees exactly its pages and its data (AppTest), the session
expires, and ``complaints dashboard`` refuses a non-loopback address without sign-in."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import duckdb
import pytest
import yaml
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboards.auth import hash_password
from dashboards.i18n import column_label, t
from flows.cli import _register_commands
from flows.cli import app as cli_app
from flows.cli import dashboard as cli_dashboard

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
PASSWORD = "correct horse battery"
EXPECTED_PAGES_ALL = ("overview", "merchants", "skus", "sla", "compliance", "recurrence")
EXPECTED_PAGES_ALL += ("scorecards",)
EXPECTED_PAGES_ALL += ("data_quality", "sql")
# Title of each page (zh) as the page draws it.
TITLES = {page: t(f"page_{page}", "zh") for page in EXPECTED_PAGES_ALL}
ANALYSIS = {"overview", "merchants", "skus", "sla", "compliance", "recurrence", "scorecards"}
EXPECTED_PAGES = {
    "qm": ANALYSIS | {"data_quality"},
    "ana": ANALYSIS | {"sql"},
    "team": ANALYSIS,
    "merchant": {"scorecards"},
}


@dataclasses.dataclass(frozen=True)
class People:
    """Whom the accounts stand for, chosen from the warehouse's newest scorecard week."""

    category: str  # the category team's
    other_category: str
    team_merchants: dict[str, str]  # id → name, in the team's category
    merchant_id: str  # the merchant account's (in the other category)
    merchant_name: str

    @property
    def accounts(self) -> dict[str, dict]:
        return {
            "qm": {"role": "quality_manager"},
            "ana": {"role": "analyst"},
            "team": {"role": "category_team", "categories": [self.category]},
            "merchant": {"role": "merchant", "merchant_id": self.merchant_id},
        }


def people_of(warehouse: Path) -> People:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """select category, merchant_id, merchant_name from marts.merchant_scorecard_weekly
               where week_start = (select max(week_start) from marts.merchant_scorecard_weekly)
               order by category, merchant_id"""
        ).fetchall()
        all_merchants = con.execute(
            """select merchant_id, any_value(merchant_name), any_value(category)
               from marts.merchant_defect_rates_weekly group by 1 order by 1"""
        ).fetchall()
    categories = sorted({category for category, _, _ in rows})
    assert len(categories) >= 2, "the test needs two categories with scorecards"
    team = {m: name for m, name, category in all_merchants if category == categories[0]}
    (_, merchant_id, merchant_name) = next(r for r in rows if r[0] == categories[1])
    return People(categories[0], categories[1], team, merchant_id, merchant_name)


def write_users(path: Path, accounts: dict[str, dict], session_minutes: float = 60) -> Path:
    hashed = hash_password(PASSWORD, rounds=4)
    users = {name: {**account, "password_hash": hashed} for name, account in accounts.items()}
    path.write_text(yaml.safe_dump({"session_minutes": session_minutes, "users": users}))
    return path


@pytest.fixture(scope="module")
def people(warehouse) -> People:
    return people_of(warehouse)


@pytest.fixture
def users_file(tmp_path, monkeypatch, warehouse, people):
    monkeypatch.setenv("COMPLAINTS_WAREHOUSE", str(warehouse))
    path = write_users(tmp_path / "users.yml", people.accounts)
    monkeypatch.setenv("COMPLAINTS_DASHBOARD_USERS", str(path))
    return path


MERCHANT_ID = column_label("merchant_id", "zh")


def _titles(at) -> set[str]:
    return {element.value for element in at.title}


def sign_in(username: str, password: str = PASSWORD) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert _titles(at) == {"登录"} and not at.metric and not at.dataframe
    at.text_input(key="auth_username").input(username)
    at.text_input(key="auth_password").input(password)
    at.button[0].click().run()
    return at


def _visible_pages(at) -> set[str]:
    """The pages in the viewer's navigation, each rendered (others are not registered at all)."""
    seen = set()
    for page, title in TITLES.items():
        try:
            at.switch_page(f"app_pages/{page}.py")
        except ValueError as exc:
            assert "Could not find a navigation page" in str(exc)
            continue
        at.run()  # (test_app.py checks each page renders without error)
        assert title in _titles(at)
        seen.add(page)
    return seen


def test_without_a_users_file_every_page_is_open(warehouse, monkeypatch, tmp_path):
    monkeypatch.setenv("COMPLAINTS_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("COMPLAINTS_DASHBOARD_USERS", str(tmp_path / "absent.yml"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert _visible_pages(at) == set(TITLES)


def test_nothing_is_shown_before_sign_in_and_a_wrong_password_is_refused(users_file):
    at = sign_in("qm", "wrong password")
    assert _titles(at) == {"登录"} and at.error and not at.metric
    at = sign_in("nobody")
    assert _titles(at) == {"登录"} and at.error


@pytest.mark.parametrize("username", sorted(EXPECTED_PAGES))
def test_each_role_sees_exactly_its_pages(users_file, username):
    at = sign_in(username)
    assert not at.exception
    assert _visible_pages(at) == EXPECTED_PAGES[username]


def test_category_team_sees_only_its_categories(users_file, people):
    at = sign_in("team")
    mine = set(people.team_merchants)
    assert at.selectbox(key="category").options == [people.category]
    assert at.selectbox(key="merchant").options == [
        f"{name} ({merchant})" for merchant, name in sorted(people.team_merchants.items())
    ]
    at.switch_page("app_pages/scorecards.py").run()
    shown = at.dataframe[0].value
    assert len(shown) and set(shown[MERCHANT_ID]) <= mine
    # A link naming another category or merchant falls back to the team's own.
    at.query_params.update({"cat": people.other_category, "merchant": people.merchant_id})
    at.run()
    assert set(at.dataframe[0].value[MERCHANT_ID]) <= mine


def test_merchant_sees_only_its_own_scorecard(users_file, people):
    at = sign_in("merchant")
    assert t("page_scorecards", "zh") in _titles(at)
    rows = at.dataframe[0].value
    assert list(rows[MERCHANT_ID].unique()) == [people.merchant_id]
    assert at.selectbox(key="merchant").options == [
        f"{people.merchant_name} ({people.merchant_id})"
    ]


def test_session_expires(users_file, people):
    write_users(users_file, people.accounts, session_minutes=1 / 60)  # one second
    at = sign_in("qm")
    assert t("page_overview", "zh") in _titles(at)
    time.sleep(1.5)
    at.run()
    assert _titles(at) == {"登录"} and at.info and not at.metric


def test_sign_out(users_file):
    at = sign_in("ana")
    at.button(key="sign_out").click().run()
    assert _titles(at) == {"登录"}


# ---- complaints dashboard ------------------------------------------------------------------


@pytest.fixture
def no_streamlit(monkeypatch):
    started = []
    monkeypatch.setattr(
        cli_dashboard, "serve_until_stopped", lambda command, env: started.append(command) or 0
    )
    return started


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "dashboard.example.com"])
def test_another_address_without_sign_in_is_refused(host, tmp_path, monkeypatch, no_streamlit):
    _register_commands()
    monkeypatch.setenv("COMPLAINTS_DASHBOARD_USERS", str(tmp_path / "absent.yml"))
    result = CliRunner().invoke(cli_app, ["dashboard", "--host", host])
    assert result.exit_code == 1 and not no_streamlit
    assert "without sign-in" in result.output and "complaints hash-password" in result.output


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_without_sign_in_is_served(host, tmp_path, monkeypatch, no_streamlit):
    _register_commands()
    monkeypatch.setenv("COMPLAINTS_DASHBOARD_USERS", str(tmp_path / "absent.yml"))
    result = CliRunner().invoke(cli_app, ["dashboard", "--host", host])
    assert result.exit_code == 0, result.output
    assert no_streamlit


def test_another_address_with_sign_in_is_served(tmp_path, monkeypatch, no_streamlit):
    _register_commands()
    users = write_users(tmp_path / "users.yml", {"qm": {"role": "quality_manager"}})
    monkeypatch.setenv("COMPLAINTS_DASHBOARD_USERS", str(users))
    result = CliRunner().invoke(cli_app, ["dashboard", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert no_streamlit


def test_a_broken_users_file_is_one_sentence(tmp_path, monkeypatch, no_streamlit):
    _register_commands()
    users = tmp_path / "users.yml"
    users.write_text(yaml.safe_dump({"users": {"x": {"role": "admin", "password_hash": "$2b$x"}}}))
    monkeypatch.setenv("COMPLAINTS_DASHBOARD_USERS", str(users))
    result = CliRunner().invoke(cli_app, ["dashboard", "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "role must be one of" in result.output
    assert "'x'" in result.output and str(users) in result.output


def test_hash_password_prints_a_bcrypt_hash():
    import bcrypt

    _register_commands()
    result = CliRunner().invoke(cli_app, ["hash-password"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    hashed = result.output.strip().splitlines()[-1]
    assert bcrypt.checkpw(PASSWORD.encode(), hashed.encode())


def test_every_page_of_the_app_belongs_to_the_role_table():
    import re

    from dashboards.auth import ALL_PAGES

    app_source = Path(APP).read_text(encoding="utf-8")
    assert set(re.findall(r'\("(\w+)", "page_\1"', app_source)) == ALL_PAGES
