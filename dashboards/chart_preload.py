"""Start loading the browser's plotly code as soon as a chart page starts rendering.

Streamlit loads its plotly chart code (one 4.7 MB script) only when the first chart element
reaches the browser, and evaluating it takes the browser about 0.6 s of a page's first view. The
page's queries and figures are computed meanwhile, so asking for the script at the start of the
run lets the browser load and evaluate it while the server is still working: same script, same
URL as Streamlit's own lazy import (a module is evaluated once per page), just earlier.

When the installed Streamlit has no such script (its bundle is named differently), nothing is
sent and charts load as before.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

_JS_DIR = Path(st.__file__).parent / "static" / "static" / "js"
_PRELOADED = "_plotly_code_requested"


@functools.cache
def plotly_chunk() -> str | None:
    """The file name of Streamlit's plotly chart chunk, or None when there is none (one only)."""
    names = sorted(path.name for path in _JS_DIR.glob("PlotlyChart.*.js"))
    return names[0] if len(names) == 1 else None


def preload_script(chunk: str) -> str:
    """An HTML snippet importing ``chunk`` next to Streamlit's own entry script."""
    return (
        "<script>(() => {"
        "const entry = document.querySelector('script[type=module][src*=\"static/js/\"]');"
        f"if (entry) import(new URL({json.dumps(chunk)}, entry.src).href).catch(() => {{}});"
        "})();</script>"
    )


def preload_plotly() -> None:
    """Ask the browser for the plotly code, once per session (later runs have it loaded)."""
    chunk = plotly_chunk()
    if chunk is None or st.session_state.get(_PRELOADED):
        return
    st.session_state[_PRELOADED] = True
    st.html(preload_script(chunk), unsafe_allow_javascript=True)


__all__ = ["plotly_chunk", "preload_plotly", "preload_script"]
