"""The ``complaints generate`` command: help, options, one-sentence errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from flows.cli import _register_commands, app

_register_commands()
runner = CliRunner()


def test_help_lists_generate():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "generate" in result.output


def test_generate_writes_exports_and_truth(tmp_path):
    out, truth = tmp_path / "landing", tmp_path / "truth.json"
    args = [
        "generate",
        "--out",
        str(out),
        "--truth",
        str(truth),
        "--orders",
        "3000",
        "--weeks",
        "8",
        "--merchants",
        "6",
        "--headers",
        "zh",
        "--encoding",
        "gbk",
        "--seed",
        "4",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(truth.read_text(encoding="utf-8"))
    assert sorted(p.name for p in out.iterdir()) == sorted(data["files"])
    assert data["arguments"]["encoding"] == "gbk" and data["seed"] == 4
    again = runner.invoke(app, args)
    assert again.exit_code != 0 and "--force" in again.output


def _one_sentence_error(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    text = " ".join(result.output.split())  # the console wraps long sentences
    assert text.startswith("error: ") and "Traceback" not in text, result.output
    assert text.count("error:") == 1 and text.rstrip(")").count(". ") == 0, text
    return text


def test_bad_options_give_one_sentence(tmp_path):
    base = ["generate", "--out", str(tmp_path / "l"), "--truth", str(tmp_path / "t.json")]
    assert "--format" in _one_sentence_error([*base, "--format", "xml"])
    assert "Monday" in _one_sentence_error([*base, "--start", "2025-11-25"])
    assert "--start" in _one_sentence_error([*base, "--start", "yesterday"])
    assert "csv only" in _one_sentence_error([*base, "--format", "jsonl", "--encoding", "gbk"])
    assert "--orders" in _one_sentence_error([*base, "--orders", "5"])


def test_truth_inside_landing_is_refused(tmp_path):
    landing = tmp_path / "landing"
    output = _one_sentence_error(
        ["generate", "--out", str(landing), "--truth", str(landing / "t.json")]
    )
    assert "landing folder" in output
    assert not landing.exists() or not any(landing.iterdir())
