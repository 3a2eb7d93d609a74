"""Charts: the pinned plotly.js bundle is checked before it is kept, and the pages draw with it
when it is served (else with Streamlit's plotly element)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile

import pytest

from dashboards import chart_bundle, charts


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
    assert len(titles) == 4 and titles[0] == "每周有效投诉量（按投诉周）", titles
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
    assert len(app.get("plotly_chart")) == 4


def _preloads(app) -> int:
    return sum(e.proto.component_name.endswith("plotly_preload") for e in app.get("bidi_component"))


def test_pages_with_charts_preload_the_bundle_and_the_others_do_not(app, monkeypatch):
    monkeypatch.setattr(charts, "bundle_served", lambda: True)
    app.run()
    assert _preloads(app) == 1 and _component_data(app)
    app.switch_page("app_pages/scorecards.py").run()
    assert not app.exception and _preloads(app) == 0
