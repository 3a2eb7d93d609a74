"""The shared sidebar: language switch and filters, kept in the URL query string.

The URL is read once when a session starts (so a shared link opens the same view) and rewritten
after every run (so the address bar always holds the current view, across page switches).
Parameters: ``lang`` (zh|en), ``from`` and ``to`` (ISO weeks such as 2026-W38), ``cat``,
``merchant`` (merchant id), ``channel`` (channel code); pages add their own (``sku``, ``term``,
``drill``: the merchant page's drill-down).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboards.data import Filters
from dashboards.i18n import DEFAULT_LANGUAGE, LANGUAGES, enum_label, normalise_language, t
from flows.config import load_settings

DEFAULT_WEEKS = load_settings().dashboard_default_weeks
_LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
_SEEDED = "_filters_seeded"


def iso_week(week: dt.date) -> str:
    year, number, _ = week.isocalendar()
    return f"{year}-W{number:02d}"


def language_from_url() -> str:
    """The language to use before the sidebar exists (e.g. on the no-warehouse page)."""
    return normalise_language(st.session_state.get("lang") or st.query_params.get("lang"))


def render(options: dict[str, Any]) -> tuple[Filters, str]:
    """Draw the sidebar; return the filters and language the pages use."""
    weeks = [iso_week(w) for w in options["weeks"]]
    by_label = dict(zip(weeks, options["weeks"], strict=True))
    merchants = options["merchants"]
    _seed_from_url(weeks, options)
    _drop_stale(weeks, options)

    sidebar = st.sidebar
    lang = sidebar.radio(
        "语言 / Language",
        LANGUAGES,
        key="lang",
        horizontal=True,
        format_func=_LANGUAGE_NAMES.__getitem__,
    )
    sidebar.header(t("filters", lang))
    week_from = sidebar.selectbox(t("week_from", lang), weeks, key="week_from")
    week_to = sidebar.selectbox(t("week_to", lang), weeks, key="week_to")
    outside = weeks_outside(weeks, week_from, week_to)
    if outside:
        sidebar.caption(t("weeks_outside_period", lang, **outside))
    # index=None: an empty selection means "all" (the placeholder says so; the x clears it).
    category = sidebar.selectbox(
        t("category", lang),
        options["categories"],
        index=None,
        placeholder=t("all", lang),
        key="category",
    )
    in_category = merchants if category is None else merchants[merchants["category"] == category]
    names = dict(zip(in_category["merchant_id"], in_category["merchant_name"], strict=True))
    if st.session_state.get("merchant") not in (None, *names):
        st.session_state["merchant"] = None
    merchant = sidebar.selectbox(
        t("merchant", lang),
        list(names),
        index=None,
        placeholder=t("all", lang),
        key="merchant",
        format_func=lambda m: m if names[m] in (None, m) else f"{names[m]} ({m})",
    )
    channel = sidebar.selectbox(
        t("channel", lang),
        options["channels"],
        index=None,
        placeholder=t("all", lang),
        key="channel",
        format_func=lambda c: enum_label("channel", c, lang),
    )
    start, end = sorted([by_label[week_from], by_label[week_to]]) if weeks else (None, None)
    _write_url(lang, week_from, week_to, category, merchant, channel)
    return Filters(start, end, category, merchant, channel), lang


def weeks_outside(weeks: list[str], week_from: str, week_to: str) -> dict[str, object] | None:
    """How many weeks with data the selected period leaves out, and their span (None if none)."""
    if not weeks:
        return None
    low, high = sorted([weeks.index(week_from), weeks.index(week_to)])
    left_out = weeks[:low] + weeks[high + 1 :]
    if not left_out:
        return None
    return {"n": len(left_out), "first": weeks[0], "last": weeks[-1]}


def _seed_from_url(weeks: list[str], options: dict[str, Any]) -> None:
    if st.session_state.get(_SEEDED):
        return
    params = st.query_params
    state = st.session_state
    state["lang"] = normalise_language(params.get("lang", DEFAULT_LANGUAGE))
    if weeks:
        default_from = weeks[max(0, len(weeks) - DEFAULT_WEEKS)]
        state["week_from"] = params.get("from") if params.get("from") in weeks else default_from
        state["week_to"] = params.get("to") if params.get("to") in weeks else weeks[-1]
    category = params.get("cat")
    state["category"] = category if category in options["categories"] else None
    merchant = params.get("merchant")
    state["merchant"] = merchant if merchant in set(options["merchants"]["merchant_id"]) else None
    channel = params.get("channel")
    state["channel"] = channel if channel in options["channels"] else None
    state[_SEEDED] = True


def _drop_stale(weeks: list[str], options: dict[str, Any]) -> None:
    """A new build may no longer hold a selected value: fall back to the default."""
    state = st.session_state
    if weeks:
        if state.get("week_from") not in weeks:
            state["week_from"] = weeks[max(0, len(weeks) - DEFAULT_WEEKS)]
        if state.get("week_to") not in weeks:
            state["week_to"] = weeks[-1]
    if state.get("category") not in (None, *options["categories"]):
        state["category"] = None
    if state.get("channel") not in (None, *options["channels"]):
        state["channel"] = None


# Page-level selections the pages keep in the URL themselves (dashboards/terms.py, the SKU page).
_PAGE_PARAMS = ("term", "sku", "drill")


def _write_url(lang: str, *values: str | None) -> None:
    wanted = {"lang": lang}
    for name in _PAGE_PARAMS:
        if st.query_params.get(name):
            wanted[name] = st.query_params[name]
    for name, value in zip(("from", "to", "cat", "merchant", "channel"), values, strict=True):
        if value is not None:
            wanted[name] = value
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
