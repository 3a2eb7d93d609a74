"""The text step in a worker process: the same terms and groups as in the build's process, the
caller's own work done meanwhile, and the step done in-process when no worker can run."""

from __future__ import annotations

import sys

import numpy as np

from flows.text import worker

DESCRIPTIONS = [
    "收到的电饭煲漏电，联系电话 139****1234",
    "衣服掉色严重，洗一次就起球",
    "快递压坏了外箱，商品破损",
    "The blender arrived cracked and leaks water",
    "衣服掉色严重，洗一次就起球",
    "充电器发烫，有异味",
]


def test_worker_gives_the_in_process_result_while_the_caller_works():
    called = []
    terms, grouping = worker.run_beside(
        lambda: called.append(True), DESCRIPTIONS, DESCRIPTIONS[:4], 2, 7
    )
    here_terms, here_grouping = worker.text_work(DESCRIPTIONS, DESCRIPTIONS[:4], 2, 7)
    assert called == [True]
    assert terms == here_terms and any(terms)
    assert np.array_equal(grouping.labels, here_grouping.labels)
    assert grouping.top_terms == here_grouping.top_terms
    assert grouping.sizes == here_grouping.sizes


def test_without_a_worker_the_step_runs_here(monkeypatch, caplog):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    called = []
    terms, _ = worker.run_beside(lambda: called.append(True), DESCRIPTIONS, [], 2, 7)
    assert called == [True]
    assert terms == worker.text_work(DESCRIPTIONS, [], 2, 7)[0]
    assert "no worker process" in caplog.text


def test_a_failing_worker_falls_back_to_this_process(monkeypatch, caplog):
    monkeypatch.setattr(worker, "WORKER_ARGS", ("-c", "import sys; sys.exit('broken worker')"))
    terms, _ = worker.run_beside(lambda: None, DESCRIPTIONS, [], 2, 7)
    assert terms == worker.text_work(DESCRIPTIONS, [], 2, 7)[0]
    assert "text worker failed (broken worker)" in caplog.text


def test_the_worker_imports_this_project_whatever_the_working_directory(
    tmp_path, monkeypatch, caplog
):
    # Another checkout's package in the working directory must not shadow this project's.
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "__init__.py").write_text("")
    monkeypatch.chdir(tmp_path)
    terms, _ = worker.run_beside(lambda: None, DESCRIPTIONS, [], 2, 7)
    assert terms == worker.text_work(DESCRIPTIONS, [], 2, 7)[0]
    assert "text worker failed" not in caplog.text


def test_two_workers_for_many_descriptions_give_the_in_process_result(monkeypatch):
    """A first build's tens of thousands of descriptions get a segmenting process of their own."""
    monkeypatch.setattr(worker, "SEPARATE_SEGMENTING_AT", 1)
    started = []
    real = worker._Worker.__init__

    def counting(self, job, *args):
        started.append(job)
        real(self, job, *args)

    monkeypatch.setattr(worker._Worker, "__init__", counting)
    terms, grouping = worker.run_beside(lambda: None, DESCRIPTIONS, DESCRIPTIONS[:4], 2, 7)
    here_terms, here_grouping = worker.text_work(DESCRIPTIONS, DESCRIPTIONS[:4], 2, 7)
    assert started == ["terms", "groups"]
    assert terms == here_terms
    assert np.array_equal(grouping.labels, here_grouping.labels)
    assert grouping.top_terms == here_grouping.top_terms
