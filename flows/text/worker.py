"""The text step of a build in processes of its own, beside the build's own start.

Segmenting new descriptions (jieba) and grouping the unclassified complaints (scikit-learn) are
pure Python and hold the interpreter: in the build's process they ran alone before dbt, while
importing dbt (seconds of Python too) waited for them. A worker process does them while the
build imports dbt; when there are many descriptions to segment (a first build: tens of
thousands), two do, one job each, since the grouping's seconds are mostly importing
scikit-learn and the segmenting's are jieba's. The build writes their results. The
work is the same functions on the same inputs, so the terms and groups are the same. The workers
end before dbt runs (their memory is not held beside the build's); where no process can be
started or a worker fails, or dbt is loaded already (a later build in the same process: nothing
to overlap), that job runs in the build's process as before.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the segmenting worker never imports the grouping's libraries
    from flows.text.groups import Grouping

log = logging.getLogger(__name__)
PROJECT_DIR = Path(__file__).resolve().parents[2]
WORKER_ARGS = ("-m", "flows.text.worker")  # after the interpreter


def segment_descriptions(descriptions: list[str]) -> list[list[str]]:
    """The terms of each description (the first job)."""
    from flows.text.segment import default_segmenter

    return default_segmenter().segment_many(descriptions)


def group_unclassified(unclassified: list[str], n_groups: int, seed: int) -> Grouping:
    """The grouping of the unclassified descriptions (the second job)."""
    from flows.text.groups import group_descriptions

    return group_descriptions(unclassified, n_groups, seed)


def text_work(
    descriptions: list[str], unclassified: list[str], n_groups: int, seed: int
) -> tuple[list[list[str]], Grouping]:
    """Terms of each description, and the grouping of the unclassified descriptions."""
    return segment_descriptions(descriptions), group_unclassified(unclassified, n_groups, seed)


JOBS: dict[str, Callable[..., object]] = {
    "terms": segment_descriptions,
    "groups": group_unclassified,
    "both": text_work,
}
# From this many new descriptions on, segmenting gets a process of its own (measured: ~11k
# descriptions a second, against ~0.9 s for starting one more process beside the other two).
SEPARATE_SEGMENTING_AT = 10_000


class _Worker:
    """One job in ``python -m flows.text.worker JOB`` (arguments and result pickled through its
    standard streams), or in this process when none can be started. A plain child process, not
    multiprocessing: that would run the caller's main script again in the child."""

    def __init__(self, job: str, *args: object) -> None:
        self.job, self.args = job, args
        self.streams: list[tuple[bytes, bytes]] = []
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")]))
        try:
            self.child: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, *WORKER_ARGS, job],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                cwd=PROJECT_DIR,  # "-m" puts the working directory first on sys.path
            )
        except OSError as exc:
            log.warning("text step in the build's process (no worker process: %s)", exc)
            self.child = None
            return
        child = self.child
        self.talk = threading.Thread(
            target=lambda: self.streams.append(child.communicate(pickle.dumps(args))), daemon=True
        )
        self.talk.start()

    def result(self) -> object:
        """The job's result (computed here if the worker could not give it)."""
        if self.child is None:
            return JOBS[self.job](*self.args)
        self.talk.join()
        if self.child.returncode == 0 and self.streams:
            return pickle.loads(self.streams[0][0])
        error = self.streams[0][1].decode(errors="replace").strip().splitlines()[-1:]
        log.warning("text worker failed (%s); running the text step here", " ".join(error))
        return JOBS[self.job](*self.args)


def run_beside(
    meanwhile: Callable[[], object],
    descriptions: list[str],
    unclassified: list[str],
    n_groups: int,
    seed: int,
) -> tuple[list[list[str]], Grouping]:
    """``text_work`` in a worker process while ``meanwhile()`` runs here; in two (one job each)
    when there are many descriptions to segment (a first build)."""
    if len(descriptions) >= SEPARATE_SEGMENTING_AT:
        terms = _Worker("terms", descriptions)
        groups = _Worker("groups", unclassified, n_groups, seed)
        meanwhile()
        return terms.result(), groups.result()  # type: ignore[return-value]
    both = _Worker("both", descriptions, unclassified, n_groups, seed)
    meanwhile()
    return both.result()  # type: ignore[return-value]


def main() -> None:
    """The worker: the job named on the command line, its arguments from standard input, the
    pickled result to standard output."""
    args = pickle.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(pickle.dumps(JOBS[sys.argv[1]](*args)))


if __name__ == "__main__":
    main()
