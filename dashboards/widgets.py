"""Display pieces the pages share: number formats, KPI tiles, localised tables, plotly figures.

Missing numbers are shown as "—" (never 0), immature weeks are drawn dashed and grey and listed as
such, and every chart gets a title and axis labels in the chosen language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards import charts, data
from dashboards.context import PageContext, page_context
from dashboards.i18n import column_label, localise_frame
from flows import formatting as fmt

IMMATURE_COLOUR = "#9e9e9e"
NO_RATE_COLOUR = "#e0e0e0"
TEXT_COLOUR = "#31333f"  # Streamlit's text colour
TILE_SIZE = 46  # px: four rows of tiles fit a standard 420 px chart with room between them
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
RATE_COLUMNS = {
    "complaint_rate",
    "defect_rate",
    "defect_rate_ci_low",
    "defect_rate_ci_high",
    "shrunk_defect_rate",
    "compliance_rate",
    "compliance_rate_ci_low",
    "compliance_rate_ci_high",
    "recurrence_rate",
    "recurrence_rate_ci_low",
    "recurrence_rate_ci_high",
    "reopen_rate",
    "repeat_buyer_rate",
    "before_defect_rate",
    "after_defect_rate",
    "relative_change",
    "share",
    "cum_share",
    "category_median_defect_rate",
    "acknowledge_compliance_rate",
    "merchant_notified_compliance_rate",
    "merchant_evidence_compliance_rate",
    "resolution_compliance_rate",
    "defect_rate_wow_change",
    "center_line",
    "ucl",
    "share_of_cell",
    "lab_test_rate",
    "defect_confirmed_share",
    "asked_rate",
    "never_answered_share",
}
# Bounds of a proportion's interval (Wilson): clamped to [0, 1] when shown. Not the relative
# change's interval, which can be below zero.
PROPORTION_INTERVALS = {
    f"{rate}_ci_{side}"
    for rate in ("defect_rate", "compliance_rate", "recurrence_rate", "below_rate")
    for side in ("low", "high")
}


# Integer columns that are labels, not quantities: shown without thousands separators.
_NOT_COUNTS = re.compile(r"(^|_)(number|numbers|id|year|seq|ns|rank)($|_)|row_number")


def page_header(ctx: PageContext, title_key: str) -> None:
    """Page title with the data-as-of stamp under it."""
    st.title(ctx.t(title_key))
    st.caption(ctx.as_of_text)


def no_data(ctx: PageContext, *, needs_orders: bool = False) -> None:
    """The "no data" notice; for a figure per order line without any order export loaded, the
    reason instead (absent, never an empty table or a 0)."""
    st.info(ctx.t("no_orders" if needs_orders and not ctx.has_orders else "no_data"))


def table_or_no_data(
    ctx: PageContext, frame: pd.DataFrame, columns: Sequence[str] | None = None, **options: Any
) -> None:
    """``table`` of the frame, or the "no data" notice when it has no rows (never an empty grid)."""
    if frame.empty:
        no_data(ctx)
    else:
        table(ctx, frame, columns, **options)


def kpi(
    label: str,
    value: str,
    delta: str | None = None,
    *,
    higher_is_worse: bool = False,
    help: str | None = None,
) -> None:
    """One KPI tile; rising is red where a rise is bad (complaints, defects, refunds). A change
    of zero ("+0", "+0.00 pp") is shown grey and without an arrow (nothing rose)."""
    unchanged = delta is not None and not any(ch in "123456789" for ch in delta)
    st.metric(
        label,
        value,
        delta=delta,
        delta_color="off" if unchanged else "inverse" if higher_is_worse else "normal",
        delta_arrow="off" if unchanged else "auto",
        help=help,
        border=True,
    )


def table(
    ctx: PageContext,
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    key: str | None = None,
    selectable: bool = False,
) -> Any:
    """A localised table: codes and headers translated, rates as percentages, instants in the
    platform time zone, weeks as dates, missing values as "—".

    Every rate that rests on a count (``fmt.RATE_BASES``) is shown with that count beside it, and
    below the configured minimum (``data.min_rate_base``) as "—" with the reason in the column's
    help and a caption: the one place every dashboard table gets the small-number rule."""
    wanted = fmt.with_rate_bases(columns if columns is not None else frame.columns, frame.columns)
    minimum = data.min_rate_base()
    shown, blanked = fmt.blank_small_rates(frame[wanted], minimum)
    tz = ctx.build.get("timezone") or "UTC"
    config: dict[str, Any] = {}
    for column in shown.columns:
        label = column_label(column, ctx.lang)
        series = shown[column]
        bases = fmt.rate_bases(column, shown.columns)
        help_text = (
            ctx.t(
                "rate_cell_help",
                base=" / ".join(column_label(b, ctx.lang) for b in bases),
                minimum=minimum,
            )
            if bases
            else None
        )
        if column in PROPORTION_INTERVALS:
            # A proportion's bound is within [0, 1]: never "-0%" from a float's rounding.
            shown[column] = [fmt.interval(v) for v in series]
            config[label] = st.column_config.NumberColumn(format="percent", help=help_text)
        elif column in RATE_COLUMNS:
            config[label] = st.column_config.NumberColumn(format="percent", help=help_text)
        elif column == "p_value":
            shown[column] = [None if fmt.is_missing(v) else fmt.p_value(v) for v in series]
        elif isinstance(series.dtype, pd.DatetimeTZDtype):
            shown[column] = series.dt.tz_convert(tz).dt.tz_localize(None)
            config[label] = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
        elif pd.api.types.is_datetime64_any_dtype(series):
            shown[column] = series.dt.date
        elif column.endswith("_hours"):
            config[label] = st.column_config.NumberColumn(format="%.1f")
        elif column.endswith(("_amount", "_shortfall")):
            config[label] = st.column_config.NumberColumn(format="accounting")  # 1,234.50
        elif pd.api.types.is_integer_dtype(series) and not _NOT_COUNTS.search(column):
            config[label] = st.column_config.NumberColumn(format="localized")  # 12,345
    kwargs: dict[str, Any] = {
        "hide_index": True,
        "column_config": config,
        "key": key,
        "placeholder": fmt.DASH,
    }
    if selectable:
        kwargs.update(on_select="rerun", selection_mode="single-row")
    if blanked:
        st.caption(ctx.t("rates_blanked", minimum=minimum, n=sum(blanked.values())))
    return st.dataframe(localise_frame(shown, ctx.lang), **kwargs)


def layout(fig: go.Figure, title: str, x_title: str, y_title: str, *, pct: bool = False) -> None:
    fig.update_layout(
        title={"text": title},
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0},
        margin={"t": 60, "b": 100},
        height=420,
    )
    if pct:
        fig.update_yaxes(tickformat=".1%", rangemode="tozero")


def add_maturity_series(
    fig: go.Figure,
    frame: pd.DataFrame,
    x: str,
    y: str,
    name: str,
    immature_name: str,
    colour: str,
    *,
    immature_in_legend: bool = True,
) -> None:
    """A line whose mature weeks are solid and whose immature weeks are dashed and faded over a
    grey band. Both parts share a legend group (one click hides both); with many series the
    dashed parts can stay out of the legend (a caption then explains them)."""
    mature = frame[frame["is_mature"].astype(bool)]
    fig.add_trace(
        go.Scatter(
            x=mature[x],
            y=mature[y],
            name=name,
            mode="lines+markers",
            line={"color": colour},
            legendgroup=name,
        )
    )
    immature = frame[~frame["is_mature"].astype(bool)]
    if not immature.empty:
        joined = pd.concat([mature.tail(1), immature]) if not mature.empty else immature
        fig.add_trace(
            go.Scatter(
                x=joined[x],
                y=joined[y],
                name=f"{name} {immature_name}",
                mode="lines+markers",
                line={"color": colour, "dash": "dash"},
                marker={"symbol": "circle-open"},
                opacity=0.5,
                legendgroup=name,
                showlegend=immature_in_legend,
            )
        )
        shade_immature(fig, immature[x])


def shade_immature(fig: go.Figure, weeks: Iterable[Any]) -> None:
    """Grey band over the immature weeks (drawn once per figure)."""
    weeks = sorted(weeks)
    if any(shape.name == "immature" for shape in fig.layout.shapes):
        return
    if weeks:
        fig.add_vrect(
            x0=pd.Timestamp(weeks[0]) - pd.Timedelta(days=3.5),
            x1=pd.Timestamp(weeks[-1]) + pd.Timedelta(days=3.5),
            fillcolor=IMMATURE_COLOUR,
            opacity=0.15,
            line_width=0,
            name="immature",
        )


def rate_tiles(
    pivot: pd.DataFrame, row_label: Callable[[Any], str], column_label: Callable[[Any], str]
) -> go.Figure:
    """``pivot``'s rates (rows × columns, 0..1) as a grid of tiles coloured red (0 %) to green
    (100 %), each with its rate written on it. A cell without a rate is a grey "—" tile, never
    the colour of 0 %. Drawn with scatter markers, the trace type the chart bundle carries."""
    cells = pivot.stack(future_stack=True).rename("rate").reset_index()
    cells.columns = ["row", "column", "rate"]
    column_label = _wrapped(column_label)
    cells["x"] = [column_label(c) for c in cells["column"]]
    cells["y"] = [row_label(r) for r in cells["row"]]
    measured = cells[cells["rate"].notna()]
    unmeasured = cells[cells["rate"].isna()]

    def tiles(frame: pd.DataFrame, text: list[str], marker: dict, **font: Any) -> go.Scatter:
        return go.Scatter(
            x=frame["x"],
            y=frame["y"],
            mode="markers+text",
            text=text,
            textfont=font,
            marker={"symbol": "square", "size": TILE_SIZE, "line": {"width": 0}, **marker},
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            showlegend=False,
        )

    rates = measured["rate"]
    colour_scale = {"colorscale": "RdYlGn", "cmin": 0, "cmax": 1, "showscale": True}
    fig = go.Figure(
        [
            tiles(
                measured,
                [f"{v:.0%}" for v in rates],
                {"color": rates, **colour_scale, "colorbar": {"tickformat": ".0%"}},
                # Light text on the dark ends of the scale, dark text on its light middle.
                color=["white" if abs(v - 0.5) > 0.25 else TEXT_COLOUR for v in rates],
            ),
            tiles(unmeasured, [fmt.DASH] * len(unmeasured), {"color": NO_RATE_COLOUR}),
        ]
    )
    # Rows and columns in the pivot's order (first row on top), whichever trace shows them.
    fig.update_xaxes(
        categoryorder="array",
        categoryarray=[column_label(c) for c in pivot.columns],
        showgrid=False,
    )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=[row_label(r) for r in pivot.index],
        autorange="reversed",
        showgrid=False,
    )
    return fig


def log_ticks(values: Iterable[float]) -> list[int]:
    """Tick values of a log axis over ``values``: 1, 2 and 5 times each power of ten in range."""
    positive = [float(v) for v in values if not fmt.is_missing(v) and float(v) > 0]
    if not positive:
        return []
    low, high = min(positive), max(positive)
    ticks = []
    power = 10 ** math.floor(math.log10(low))
    while power <= high * 10:
        ticks += [step * power for step in (1, 2, 5) if low / 2 <= step * power <= high * 2]
        power *= 10
    return [int(t) for t in ticks]


def _wrapped(label: Callable[[Any], str], width: int = 8) -> Callable[[Any], str]:
    """``label`` with a long multi-word label on two lines ("Social<br>media"), so a column of
    tiles (46 px) never has its label run into the next one's."""

    def wrap(value: Any) -> str:
        text = label(value)
        if len(text) <= width or " " not in text:
            return text
        middle = len(text) // 2
        cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
        return f"{text[:cut]}<br>{text[cut + 1 :]}"

    return wrap


def plot(fig: go.Figure, key: str) -> None:
    """Draw ``fig`` with its date axes worded in the page's language."""
    charts.localise_dates(fig, page_context().lang)
    charts.draw(fig, key, {"displaylogo": False})
