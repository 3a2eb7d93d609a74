"""The text step of a build in a process of its own, beside the build's own start.

Segmenting new descriptions (jieba) and grouping the unclassified complaints (scikit-learn) are
pure Python and hold the interpreter: in the build's process they ran alone before dbt, while
importing dbt (seconds of Python too) waited for them. In a worker process they run on the other
core while the build imports dbt; the build writes their results. The work is the same functions
on the same inputs, so the terms and groups are the same. The worker is started once per process
and kept (jieba's dictionary and scikit-learn stay loaded for the next build); where a process
cannot be started the step runs in the build's process as before.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from flows.text.groups import Grouping

log = logging.getLogger(__name__)
_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def text_work(
    descriptions: list[str], unclassified: list[str], n_groups: int, seed: int
) -> tuple[list[list[str]], Grouping]:
    """Terms of each description, and the grouping of the unclassified descriptions."""
    from flows.text.groups import group_descriptions
    from flows.text.segment import default_segmenter

    terms = default_segmenter().segment_many(descriptions)
    return terms, group_descriptions(unclassified, n_groups, seed)


def _pool() -> ProcessPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            # spawn, not fork: the build's process holds DuckDB's threads and dbt's state.
            _POOL = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            atexit.register(shutdown)
        return _POOL


def shutdown() -> None:
    """Stop the worker (at exit, or after it broke)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=False, cancel_futures=True)
            _POOL = None


def submit(
    descriptions: list[str], unclassified: list[str], n_groups: int, seed: int
) -> Future | None:
    """Start ``text_work`` in the worker; None when no worker process can be started."""
    try:
        return _pool().submit(text_work, descriptions, unclassified, n_groups, seed)
    except (OSError, RuntimeError, BrokenProcessPool) as exc:
        log.warning("text step in the build's process (no worker process: %s)", exc)
        shutdown()
        return None


def result(
    future: Future | None,
    descriptions: list[str],
    unclassified: list[str],
    n_groups: int,
    seed: int,
) -> tuple[list[list[str]], Grouping]:
    """The worker's result, or the same work done here when the worker could not do it."""
    if future is not None:
        try:
            return future.result()
        except (OSError, BrokenProcessPool) as exc:
            log.warning("text worker failed (%s); running the text step here", exc)
            shutdown()
    return text_work(descriptions, unclassified, n_groups, seed)
