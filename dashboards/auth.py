"""Who is looking at the dashboard, and what they may see.

Sign-in is on when a users file exists (``dashboard_users_file`` in the config, env
``COMPLAINTS_DASHBOARD_USERS``); without one the dashboard is open, which ``complaints dashboard``
allows only on a loopback address. Passwords are stored as bcrypt hashes (``complaints
hash-password`` makes one); a signed-in session lives in Streamlit's per-browser-session state and
expires after ``session_minutes`` (a reload of the page also ends it: nothing is kept in cookies).

Roles (docs/dashboards.md, "Sign-in and roles"):

- ``quality_manager``: every page and every category, data quality included; no SQL console;
- ``analyst``: the analysis pages and the SQL console (the analysts' copy: marts without personal
  keys); no data-quality page (it shows quarantined raw values);
- ``category_team``: the analysis pages and scorecards, for its own categories only;
- ``merchant``: the scorecards page, its own scorecard only.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import bcrypt
import streamlit as st
import yaml

from dashboards.data import Filters
from dashboards.i18n import t
from flows.errors import UserError
from flows.i18n import because, say

# Pages whose every query honours the category and merchant filters (a new page joins a role here).
ANALYSIS_PAGES = frozenset(
    {"overview", "merchants", "skus", "sla", "compliance", "recurrence", "scorecards"}
)
ROLE_PAGES = {
    "quality_manager": ANALYSIS_PAGES | {"data_quality"},
    "analyst": ANALYSIS_PAGES | {"sql"},
    "category_team": ANALYSIS_PAGES,
    "merchant": frozenset({"scorecards"}),
}
ALL_PAGES = ANALYSIS_PAGES | {"data_quality", "sql"}
DEFAULT_SESSION_MINUTES = 480
_STATE_KEY = "signed_in"


@dataclasses.dataclass(frozen=True)
class Viewer:
    """The person the render is for, with what their role lets them see."""

    username: str
    name: str
    role: str
    categories: tuple[str, ...] = ()
    merchant_id: str | None = None

    @property
    def pages(self) -> frozenset[str]:
        return ALL_PAGES if self.role == "open" else ROLE_PAGES[self.role]

    def scope_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """The sidebar's choices narrowed to what the viewer may select."""
        merchants = options["merchants"]
        if self.role == "category_team":
            merchants = merchants[merchants["category"].isin(self.categories)]
        elif self.role == "merchant":
            merchants = merchants[merchants["merchant_id"] == self.merchant_id]
        else:
            return options
        categories = [c for c in options["categories"] if c in set(merchants["category"])]
        return {**options, "merchants": merchants, "categories": categories}

    def scope_filters(self, filters: Filters, options: dict[str, Any]) -> Filters:
        """The filters with the viewer's limits applied: "all" never spans others' data."""
        if self.role == "category_team" and filters.category not in self.categories:
            mine = [c for c in options["categories"] if c in self.categories]
            return dataclasses.replace(filters, category=mine[0] if mine else self.categories[0])
        if self.role == "merchant":
            rows = options["merchants"]
            category = rows["category"].iloc[0] if len(rows) else None
            return dataclasses.replace(filters, merchant_id=self.merchant_id, category=category)
        return filters


OPEN_VIEWER = Viewer("local", "", "open")


@dataclasses.dataclass(frozen=True)
class Users:
    session_minutes: float
    accounts: dict[str, dict[str, Any]]


def load_users(path: Path) -> Users:
    """Read and check the users file; a mistake is one sentence naming the file and user."""
    try:
        loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UserError("err_users_unreadable", path=path, reason=because(exc)) from None
    accounts = loaded.get("users") if isinstance(loaded, dict) else None
    if not isinstance(accounts, dict) or not accounts:
        raise UserError("err_users_mapping", path=path)
    for username, account in accounts.items():
        where = say("where_user", path=path, user=repr(username))
        if not isinstance(account, dict) or not str(account.get("password_hash", "")).startswith(
            "$2"
        ):
            raise UserError("err_user_hash", where=where)
        role = account.get("role")
        if role not in ROLE_PAGES:
            raise UserError(
                "err_user_role", where=where, choices=", ".join(ROLE_PAGES), role=repr(role)
            )
        if role == "category_team" and not account.get("categories"):
            raise UserError("err_user_categories", where=where)
        if role == "merchant" and not account.get("merchant_id"):
            raise UserError("err_user_merchant", where=where)
    minutes = float(loaded.get("session_minutes", DEFAULT_SESSION_MINUTES))
    return Users(minutes, accounts)


def hash_password(password: str, rounds: int = 12) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def check_password(users: Users, username: str, password: str) -> Viewer | None:
    account = users.accounts.get(username)
    # An unknown user still costs one hash check, so timing does not tell which names exist.
    stored = (account or {}).get("password_hash") or hash_password("x", rounds=4)
    if not bcrypt.checkpw(password.encode("utf-8"), str(stored).encode("ascii")) or not account:
        return None
    return Viewer(
        username=username,
        name=str(account.get("name") or username),
        role=account["role"],
        categories=tuple(str(c) for c in account.get("categories") or ()),
        merchant_id=account.get("merchant_id"),
    )


def current_viewer(users_file: Path, lang: str) -> Viewer:
    """The signed-in viewer; draws the sign-in form and stops the run when there is none."""
    if not Path(users_file).exists():
        return OPEN_VIEWER
    users = load_users(users_file)
    session = st.session_state.get(_STATE_KEY)
    if session is not None:
        if time.time() < session["expires_at"]:
            return session["viewer"]
        del st.session_state[_STATE_KEY]
        st.session_state["auth_expired"] = True
    _sign_in_form(users, lang)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def _sign_in_form(users: Users, lang: str) -> None:
    st.title(t("sign_in_title", lang))
    if st.session_state.pop("auth_expired", False):
        st.info(t("session_expired", lang))
    with st.form("sign_in"):
        username = st.text_input(t("username", lang), key="auth_username")
        password = st.text_input(t("password", lang), type="password", key="auth_password")
        submitted = st.form_submit_button(t("sign_in", lang))
    if not submitted:
        return
    viewer = check_password(users, username.strip(), password)
    if viewer is None:
        time.sleep(0.5)  # slows guessing
        st.error(t("sign_in_failed", lang))
        return
    st.session_state[_STATE_KEY] = {
        "viewer": viewer,
        "expires_at": time.time() + users.session_minutes * 60,
    }
    st.rerun()


def sign_out_button(viewer: Viewer, lang: str) -> None:
    if viewer.role == "open":
        return
    st.sidebar.caption(t("signed_in_as", lang, name=viewer.name, role=viewer.role))
    if st.sidebar.button(t("sign_out", lang), key="sign_out"):
        st.session_state.pop(_STATE_KEY, None)
        st.rerun()
