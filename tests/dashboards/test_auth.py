"""Sign-in and roles: each role sees exactly its pages and its data (AppTest), the session
expires, and ``complaints dashboard`` refuses a non-loopback address without sign-in."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboards.auth import hash_password
from dashboards.i18n import column_label, t
from flows import cli_dashboard
from flows.cli import _register_commands
from flows.cli import app as cli_app

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
PASSWORD = "correct horse battery"
EXPECTED_PAGES_ALL = ("overview", "merchants", "skus", "sla", "compliance", "recurrence")
EXPECTED_PAGES_ALL += ("scorecards",)
EXPECTED_PAGES_ALL += ("data_quality", "sql")
# Title of each page (zh) as the page draws it.
TITLES = {page: t(f"page_{page}", "zh") for page in EXPECTED_PAGES_ALL}
ACCOUNTS = {
    "qm": {"role": "quality_manager"},
    "ana": {"role": "analyst"},
    "home": {"role": "category_team", "categories": ["家居日用"]},
    "m002": {"role": "merchant", "merchant_id": "M002"},
}
ANALYSIS = {"overview", "merchants", "skus", "sla", "compliance", "recurrence", "scorecards"}
EXPECTED_PAGES = {
    "qm": ANALYSIS | {"data_quality"},
    "ana": ANALYSIS | {"sql"},
    "home": ANALYSIS,
    "m002": {"scorecards"},
}


def write_users(path: Path, session_minutes: float = 60) -> Path:
    hashed = hash_password(PASSWORD, rounds=4)
    users = {name: {**account, "password_hash": hashed} for name, account in ACCOUNTS.items()}
    path.write_text(yaml.safe_dump({"session_minutes": session_minutes, "users": users}))
    return path


@pytest.fixture
def users_file(tmp_path, monkeypatch, warehouse):
    monkeypatch.setenv("COMPLAINTS_WAREHOUSE", str(warehouse))
    path = write_users(tmp_path / "users.yml")
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


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_each_role_sees_exactly_its_pages(users_file, username):
    at = sign_in(username)
    assert not at.exception
    assert _visible_pages(at) == EXPECTED_PAGES[username]


def test_category_team_sees_only_its_categories(users_file, warehouse):
    at = sign_in("home")
    assert at.selectbox(key="category").options == ["家居日用"]
    assert at.selectbox(key="merchant").options == ["暖居家纺 (M004)", "简木家具 (M005)"]
    at.switch_page("app_pages/scorecards.py").run()
    shown = at.dataframe[0].value
    assert len(shown) and set(shown[MERCHANT_ID]) <= {"M004", "M005"}
    # A link naming another category or merchant falls back to the team's own.
    at.query_params.update({"cat": "数码电器", "merchant": "M001"})
    at.run()
    assert set(at.dataframe[0].value[MERCHANT_ID]) <= {"M004", "M005"}


def test_merchant_sees_only_its_own_scorecard(users_file):
    at = sign_in("m002")
    assert t("page_scorecards", "zh") in _titles(at)
    rows = at.dataframe[0].value
    assert list(rows[MERCHANT_ID].unique()) == ["M002"]
    assert at.selectbox(key="merchant").options == ["北辰电器专营店 (M002)"]


def test_session_expires(users_file):
    write_users(users_file, session_minutes=1 / 60)  # one second
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
    users = write_users(tmp_path / "users.yml")
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
