"""What the shared chrome hands to every page: the warehouse, the filters, the language."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.data import Filters, Source
from dashboards.i18n import enum_label, t
from flows.config import load_settings

_KEY = "page_context"


@dataclasses.dataclass(frozen=True)
class PageContext:
    """The selection a page renders; built by app.py on every run."""

    source: Source
    filters: Filters
    lang: str
    build: dict[str, Any]
    options: dict[str, Any]

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    @property
    def currency(self) -> str:
        """The platform currency of the build (the setting, for builds that predate it)."""
        return self.build.get("currency") or load_settings().currency

    @property
    def has_orders(self) -> bool:
        """Whether any order export is loaded (rates per order line need order lines)."""
        return bool(self.options.get("has_orders", True))

    def enum(self, kind: str, code: object) -> str:
        return enum_label(kind, code, self.lang)

    @property
    def as_of_text(self) -> str:
        """ "数据截至 2026-11-26 10:00 (Asia/Shanghai) · 构建于 …" in the platform time zone."""
        tz = self.build.get("timezone") or "UTC"
        as_of = pd.Timestamp(self.build["as_of"]).tz_convert(tz)
        built = pd.Timestamp(self.build["built_at"]).tz_convert(tz)
        return (
            f"{self.t('data_as_of')} {as_of:%Y-%m-%d %H:%M} ({tz}) · "
            f"{self.t('built_at_caption')} {built:%Y-%m-%d %H:%M}"
        )


def publish(ctx: PageContext) -> None:
    st.session_state[_KEY] = ctx


def page_context() -> PageContext:
    """The context of the current run (pages are only reached through app.py)."""
    return st.session_state[_KEY]
