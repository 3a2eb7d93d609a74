"""Charts: the pinned plotly.js bundle is checked before it is kept, and the pages draw with it
when it is served (else with Streamlit's plotly element)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import tarfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboards import chart_bundle, charts
from dashboards.i18n import enum_label
from dashboards.widgets import rate_tiles


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _integrity(content: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(content).digest()).decode()


def test_a_tarball_with_the_pinned_checksum_is_extracted(tmp_path):
    tarball = _tarball({f"package/{chart_bundle.FILE_NAME}": b"window.Plotly = {};"})
    chart_bundle.check_integrity(tarball, _integrity(tarball))
    target = chart_bundle.extract(tarball, tmp_path / "static" / chart_bundle.FILE_NAME)
    assert target.read_bytes() == b"window.Plotly = {};"


def test_other_bytes_are_refused(tmp_path):
    tarball = _tarball({f"package/{chart_bundle.FILE_NAME}": b"window.Plotly = {};"})
    with pytest.raises(chart_bundle.BundleError, match="checksum mismatch"):
        chart_bundle.check_integrity(tarball + b"\0", _integrity(tarball))
    with pytest.raises(chart_bundle.BundleError, match="checksum mismatch"):
        chart_bundle.check_integrity(tarball)  # not the pinned release


def test_a_tarball_without_the_bundle_is_refused(tmp_path):
    with pytest.raises(chart_bundle.BundleError, match="missing"):
        chart_bundle.extract(_tarball({"package/README.md": b"x"}), tmp_path / "b.js")
    assert not (tmp_path / "b.js").exists()


def _component_data(app) -> list[dict]:
    return [
        json.loads(e.proto.json)
        for e in app.get("bidi_component")
        if e.proto.component_name.endswith("plotly_chart")
    ]


def test_overview_draws_with_the_bundle_when_it_is_served(app, monkeypatch):
    monkeypatch.setattr(charts, "bundle_served", lambda: True)
    app.run()
    assert not app.exception
    drawn = _component_data(app)
    titles = [d["figure"]["layout"]["title"]["text"] for d in drawn]
    # Trends (2), Pareto, channels, remedy mix, cost by who bears it, then the top terms and a
    # term's trend.
    assert len(titles) == 8 and titles[0] == "每周有效投诉量（按投诉周）", titles
    assert not app.get("plotly_chart")
    assert {d["bundle"] for d in drawn} == {f"app/static/{chart_bundle.FILE_NAME}"}
    assert all(d["config"]["responsive"] and not d["config"]["displaylogo"] for d in drawn)
    bars = drawn[0]["figure"]["data"][0]
    # Numeric arrays travel as plotly's base64 typed arrays, which plotly.js decodes.
    assert bars["type"] == "bar" and len(bars["x"]) > 0 and bars["y"]


def test_overview_falls_back_to_streamlits_plotly_element(app, monkeypatch):
    monkeypatch.setattr(charts, "bundle_served", lambda: False)
    app.run()
    assert not app.exception
    assert not _component_data(app)
    assert len(app.get("plotly_chart")) == 8


def _preloads(app) -> int:
    return sum(e.proto.component_name.endswith("plotly_preload") for e in app.get("bidi_component"))


def test_pages_with_charts_preload_the_bundle_and_the_others_do_not(app, monkeypatch):
    monkeypatch.setattr(charts, "bundle_served", lambda: True)
    app.run()
    assert _preloads(app) == 1 and _component_data(app)
    app.switch_page("app_pages/scorecards.py").run()
    assert not app.exception and _preloads(app) == 0


CHART_PAGES = ["overview", "merchants", "skus", "sla", "recurrence"]


def test_every_chart_page_draws_only_with_the_bundle(app, monkeypatch):
    """No page falls back to Streamlit's plotly element: every trace is of a type the bundle has."""
    monkeypatch.setattr(charts, "bundle_served", lambda: True)
    app.run()
    drawing = set()
    for page in CHART_PAGES:
        app.switch_page(f"app_pages/{page}.py").run()
        assert not app.exception, page
        assert not app.get("plotly_chart"), page
        drawn = _component_data(app)
        types = {trace["type"] for d in drawn for trace in d["figure"]["data"]}
        assert types <= chart_bundle.TRACE_TYPES, (page, types)
        if drawn:
            drawing.add(page)
    # (The recurrence page draws only when a corrective action falls in the period.)
    assert drawing >= {"overview", "merchants", "skus", "sla"}, drawing


def test_a_trace_type_the_bundle_lacks_falls_back_to_streamlits_element():
    assert charts.drawable_by_bundle(go.Figure([go.Scatter(y=[1]), go.Bar(y=[2])]))
    assert not charts.drawable_by_bundle(go.Figure([go.Scatter(y=[1]), go.Heatmap(z=[[1]])]))


def test_rate_tiles_colour_measured_cells_and_mark_the_others():
    pivot = pd.DataFrame(
        {"app": [0.9, 0.25], "hotline": [float("nan"), 1.0]},
        index=pd.Index(["acknowledge", "resolution"], name="stage"),
    )
    fig = rate_tiles(pivot, row_label=str.upper, column_label=str.title)
    measured, unmeasured = fig.data
    cells = dict(zip(zip(measured.y, measured.x, strict=True), measured.marker.color, strict=True))
    assert cells == {
        ("ACKNOWLEDGE", "App"): 0.9,
        ("RESOLUTION", "App"): 0.25,
        ("RESOLUTION", "Hotline"): 1.0,
    }
    assert list(measured.text) == ["90%", "25%", "100%"]
    assert list(measured.textfont.color) == ["white", "#31333f", "white"]
    assert (measured.marker.cmin, measured.marker.cmax) == (0, 1)
    # The cell without a rate is a grey "—" tile, not a red 0 %.
    assert list(zip(unmeasured.y, unmeasured.x, strict=True)) == [("ACKNOWLEDGE", "Hotline")]
    assert list(unmeasured.text) == ["—"] and unmeasured.marker.color == "#e0e0e0"
    # Rows and columns keep the pivot's order, first row on top.
    assert list(fig.layout.yaxis.categoryarray) == ["ACKNOWLEDGE", "RESOLUTION"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert list(fig.layout.xaxis.categoryarray) == ["App", "Hotline"]


def _sla_figures_in_english(app, monkeypatch) -> dict[str, dict]:
    """The SLA page's figures drawn with the bundle, by their English title."""
    monkeypatch.setattr(charts, "bundle_served", lambda: True)
    app.query_params.update({"lang": "en"})
    app.run()
    app.switch_page("app_pages/sla.py").run()
    titles = {d["figure"]["layout"]["title"]["text"]: d["figure"] for d in _component_data(app)}
    return titles


def test_sla_tiles_show_the_marts_compliance(app, scenario, monkeypatch):
    tiles = _sla_figures_in_english(app, monkeypatch)["SLA compliance: stage × channel"]
    shown = tiles["data"][0]
    # Long column labels are drawn on two lines ("Social<br>media").
    columns = [x.replace("<br>", " ") for x in shown["x"]]
    cells = dict(zip(zip(shown["y"], columns, strict=True), shown["text"], strict=True))
    rows = scenario.all(
        """select stage, channel, sum(n_met) / sum(n_measured) from marts.sla_compliance_weekly
           where received_week between ? and ? group by all having sum(n_measured) > 0""",
        [scenario.week_from, scenario.week_to],
    )
    expected = {
        (enum_label("stage", stage, "en"), enum_label("channel", channel, "en")): f"{rate:.0%}"
        for stage, channel, rate in rows
    }
    assert cells == expected


def test_make_setup_fetches_the_file_the_charts_load():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    (target,) = re.findall(r"^CHART_BUNDLE := (\S+)$", makefile, flags=re.MULTILINE)
    assert chart_bundle.TARGET.as_posix().endswith(target)
    assert charts.BUNDLE_URL.endswith(chart_bundle.FILE_NAME)


def test_sla_weeks_with_pending_stages_are_drawn_as_provisional(app, scenario, monkeypatch):
    weekly = _sla_figures_in_english(app, monkeypatch)["Weekly SLA compliance by stage"]
    traces = {t["name"]: t for t in weekly["data"]}
    weeks = scenario.all(
        """select received_week, sum(n_open_not_due + n_not_started) > 0
           from marts.sla_compliance_weekly
           where stage = 'resolution' and received_week between ? and ?
           group by all order by 1""",
        [scenario.week_from, scenario.week_to],
    )
    settled = [week.isoformat() for week, pending in weeks if not pending]
    provisional = [week.isoformat() for week, pending in weeks if pending]
    assert settled and provisional  # the scenario has both (as_of falls in its last weeks)
    assert [x[:10] for x in traces["Resolution"]["x"]] == settled
    # The dashed series starts at the last settled week, so the line stays joined.
    dashed = [x[:10] for x in traces["Resolution (provisional)"]["x"]]
    assert dashed == [settled[-1], *provisional]
    assert traces["Resolution (provisional)"]["line"]["dash"] == "dash"
    assert any("provisional weeks" in c.value for c in app.caption)
