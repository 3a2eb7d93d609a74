"""Plotly figures drawn in the page by plotly.js's basic bundle (see ``chart_bundle``).

A custom component (Streamlit components v2: no iframe, so plotly.js is loaded and evaluated
once per page, not once per chart) receives the figure as JSON and draws it with
``Plotly.react``. The bundle is served by Streamlit's static file serving, which
``complaints dashboard`` turns on; when the file or the serving is missing, or a figure has a
trace type the bundle lacks, the chart uses Streamlit's own plotly element, which carries the full
plotly.js.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import streamlit as st

from dashboards.chart_bundle import FILE_NAME, TARGET, TRACE_TYPES

BUNDLE_URL = f"app/static/{FILE_NAME}"  # relative: works under any base URL path
# Streamlit's app font, so the charts read like the rest of the page.
FONT = '"Source Sans", "Source Sans Pro", sans-serif'

# One script element per page, shared by every chart on it through a promise.
_JS = """
export default function ({ parentElement, data }) {
  const root = parentElement.querySelector(".ci-chart");
  if (!window.ciPlotly) {
    window.ciPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = data.bundle;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error("plotly.js could not be loaded: " + data.bundle));
      document.head.appendChild(script);
    });
  }
  if (!data.figure) return; // the page's preload: start loading, draw nothing
  let mounted = true;
  window.ciPlotly
    .then((Plotly) => {
      if (mounted) Plotly.react(root, data.figure.data, data.figure.layout, data.config);
    })
    .catch((error) => {
      if (mounted) root.textContent = error.message; // say so rather than stay blank
    });
  return () => {
    mounted = false;
  };
}
"""

# The preload's element takes no room (not even the gap between elements).
_PRELOAD_HTML = (
    '<style>[data-testid="stElementContainer"]:has(.ci-chart-preload) { display: none; }'
    '</style><div class="ci-chart-preload"></div>'
)

# Styles not isolated: plotly.js puts its own style sheet into the document's head.
_component = st.components.v2.component(
    "plotly_chart", html='<div class="ci-chart"></div>', js=_JS, isolate_styles=False
)
_preload = st.components.v2.component(
    "plotly_preload",
    html=_PRELOAD_HTML,
    js=_JS,
    isolate_styles=False,
)


def bundle_served() -> bool:
    """Whether the page can load the bundle (file present, static serving on)."""
    return TARGET.exists() and bool(st.get_option("server.enableStaticServing"))


def drawable_by_bundle(fig: go.Figure) -> bool:
    """Whether every trace of ``fig`` is of a type the bundle carries."""
    return all(trace.type in TRACE_TYPES for trace in fig.data)


def draw(fig: go.Figure, key: str, config: dict) -> None:
    """Draw ``fig`` with the bundle, or with Streamlit's plotly element."""
    if not bundle_served() or not drawable_by_bundle(fig):
        st.plotly_chart(fig, key=key, config=config)
        return
    fig.update_layout(template="plotly_white", font_family=FONT)
    _component(
        data={
            "figure": json.loads(fig.to_json()),
            "config": {**config, "responsive": True},
            "bundle": BUNDLE_URL,
        },
        key=key,
    )


def preload() -> None:
    """Start loading the bundle before the page's queries run: on a page with charts, called
    first, so the browser fetches and evaluates plotly.js while the server computes the page."""
    if bundle_served():
        _preload(data={"figure": None, "bundle": BUNDLE_URL}, key="plotly_preload")


# Date ticks by zoom level, in the reader's words: 11月15日 / 2026年11月 / 2026年 in Chinese,
# Nov 15 / Nov 2026 / 2026 in English (plotly's own month names are English only).
_DAY, _MONTH, _YEAR = 86_400_000, "M1", "M12"
DATE_TICKS = {
    "zh": (("%-m月%-d日", "%Y年%-m月", "%Y年"), "%Y年%-m月%-d日"),
    "en": (("%b %-d", "%b %Y", "%Y"), "%Y-%m-%d"),
}


def date_axis(lang: str) -> dict:
    """Plotly axis settings that word a date axis's ticks and hover in ``lang``."""
    (day, month, year), hover = DATE_TICKS[lang]
    return {
        "tickformatstops": [
            {"dtickrange": [None, _MONTH], "value": day},
            {"dtickrange": [_MONTH, _YEAR], "value": month},
            {"dtickrange": [_YEAR, None], "value": year},
        ],
        "hoverformat": hover,
    }


def localise_dates(fig: go.Figure, lang: str) -> None:
    """Word every date x axis of ``fig`` in ``lang`` (an axis is a date axis when a trace on it
    draws dates)."""
    axes = set()
    for trace in fig.data:
        xs = getattr(trace, "x", None)
        if xs is not None and len(xs) and _is_date(xs[0]):
            axes.add(getattr(trace, "xaxis", None) or "x")
    for name in axes:
        key = "xaxis" if name == "x" else f"xaxis{name[1:]}"
        fig.layout[key].update(date_axis(lang))


def _is_date(value: object) -> bool:
    import datetime as dt

    import pandas as pd

    if isinstance(value, dt.date | pd.Timestamp):
        return True
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:4].isdigit()
    return hasattr(value, "dtype") and str(getattr(value, "dtype", "")).startswith("datetime64")
