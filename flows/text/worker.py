"""The text step of a build in a process of its own, beside the build's own start.

Segmenting new descriptions (jieba) and grouping the unclassified complaints (scikit-learn) are
pure Python and hold the interpreter: in the build's process they ran alone before dbt, while
importing dbt (seconds of Python too) waited for them. In a worker process they run on the other
core while the build imports dbt; the build writes their results. The work is the same functions
on the same inputs, so the terms and groups are the same. The worker ends before dbt runs (its
memory is not held beside the build's); where no process can be started or the worker fails,
or dbt is loaded already (a later build in the same process: nothing to overlap), the step runs
in the build's process as before.
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

from flows.text.groups import Grouping

log = logging.getLogger(__name__)
PROJECT_DIR = Path(__file__).resolve().parents[2]
WORKER_ARGS = ("-m", "flows.text.worker")  # after the interpreter


def text_work(
    descriptions: list[str], unclassified: list[str], n_groups: int, seed: int
) -> tuple[list[list[str]], Grouping]:
    """Terms of each description, and the grouping of the unclassified descriptions."""
    from flows.text.groups import group_descriptions
    from flows.text.segment import default_segmenter

    terms = default_segmenter().segment_many(descriptions)
    return terms, group_descriptions(unclassified, n_groups, seed)


def run_beside(
    meanwhile: Callable[[], object],
    descriptions: list[str],
    unclassified: list[str],
    n_groups: int,
    seed: int,
) -> tuple[list[list[str]], Grouping]:
    """``text_work`` in a worker process (``python -m flows.text.worker``, arguments and result
    pickled through its standard streams) while ``meanwhile()`` runs here. A plain child process,
    not multiprocessing: that would run the caller's main script again in the child."""
    work = (descriptions, unclassified, n_groups, seed)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")]))
    try:
        child = subprocess.Popen(
            [sys.executable, *WORKER_ARGS],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=PROJECT_DIR,  # "-m" puts the working directory first on sys.path
        )
    except OSError as exc:
        log.warning("text step in the build's process (no worker process: %s)", exc)
        meanwhile()
        return text_work(*work)
    streams: list[tuple[bytes, bytes]] = []
    talk = threading.Thread(
        target=lambda: streams.append(child.communicate(pickle.dumps(work))), daemon=True
    )
    talk.start()
    meanwhile()
    talk.join()
    if child.returncode == 0 and streams:
        return pickle.loads(streams[0][0])
    error = streams[0][1].decode(errors="replace").strip().splitlines()[-1:] if streams else []
    log.warning("text worker failed (%s); running the text step here", " ".join(error))
    return text_work(*work)


def main() -> None:
    """The worker: arguments from standard input, the pickled result to standard output."""
    work = pickle.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(pickle.dumps(text_work(*work)))


if __name__ == "__main__":
    main()
