"""dbt kept loaded between builds in one long-lived process (``complaints serve``).

A one-shot ``complaints build`` imports dbt and parses the project (or partially parses it) on
every invocation. A serving process instead holds one ``dbtRunner`` and the manifest its parse
produced, and hands every later build that manifest, so a scheduled run pays dbt's start-up
once per process.

A kept manifest is only reused while everything that shaped it is unchanged: the project files
(models, macros, tests, seeds, snapshots, analyses, ``dbt_project.yml``, ``profiles.yml``), the
vars (but the reference time and the incremental watermark, which only SQL reads), the database
file the profile points at and the ``COMPLAINTS_*``/``DBT_*`` environment.
Any change re-parses before the build, so a stale manifest never runs. Each invocation gets its
own copy of the parsed manifest (dbt writes compiled SQL and CTE-injection flags into the nodes
it runs), so one run's state, or a failed run's, never reaches the next.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from flows.build.incremental import SINCE_ENV

# dbt_project.yml keys naming folders dbt parses, with dbt's defaults.
_PATH_KEYS = {
    "model-paths": ["models"],
    "macro-paths": ["macros"],
    "test-paths": ["tests"],
    "seed-paths": ["seeds"],
    "snapshot-paths": ["snapshots"],
    "analysis-paths": ["analyses"],
}
_PROJECT_FILES = (
    "dbt_project.yml",
    "profiles.yml",
    "packages.yml",
    "dependencies.yml",
    "selectors.yml",
)
_ENV_PREFIXES = ("COMPLAINTS_", "DBT_")


def project_fingerprint(project_dir: Path) -> str:
    """A hash of every file dbt parses in ``project_dir`` (names and contents)."""
    project_dir = Path(project_dir)
    digest = hashlib.sha256()
    config = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    folders = sorted(
        {folder for key, default in _PATH_KEYS.items() for folder in config.get(key, default)}
        | {"dbt_packages"}
    )
    files = [project_dir / name for name in _PROJECT_FILES]
    for folder in folders:
        root = project_dir / folder
        if root.is_dir():
            files.extend(path for path in root.rglob("*") if path.is_file())
    for path in sorted(files):
        if not path.is_file():
            continue
        digest.update(path.relative_to(project_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# Vars read only where SQL is rendered (macros/time.sql ``as_of_override``), never in a config,
# ref or source: dbt takes them from each invocation's ``--vars`` when it compiles, so they may
# change without a new parse. Kept out of the parse key; tests/serving/test_kept_dbt.py checks
# that two values parse to the same manifest. (Where an incremental build starts is not a var
# at all: an environment variable read at execution, BuildPlan.dbt_env.)
RENDER_TIME_VARS = frozenset({"as_of"})
# The same for the environment variable a build sets for one run (BuildPlan.dbt_env): macros
# read it only when dbt executes (``execute``), so it never reaches the parse, and it changes
# with every run (the watermark). In the key, every served daily run parsed again.
RENDER_TIME_ENV = frozenset({SINCE_ENV})


def parse_key(project_dir: Path, dbt_vars: dict[str, Any], database: Path) -> str:
    """What a parsed manifest depends on: project files, vars, database, dbt's environment."""
    env = sorted(
        (k, v)
        for k, v in os.environ.items()
        if k.startswith(_ENV_PREFIXES) and k not in RENDER_TIME_ENV
    )
    inputs = {
        "project": project_fingerprint(project_dir),
        "vars": {k: v for k, v in dbt_vars.items() if k not in RENDER_TIME_VARS},
        "database": str(Path(database).resolve()),
        "env": env,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


def copy_manifest(manifest: Any) -> Any:
    """A deep copy of a parsed manifest for one invocation to compile into.

    Field by field: dbt 1.11's ``Manifest`` pickles (and so ``copy.deepcopy``s) with its
    positional arguments out of order, and ``Manifest.deepcopy()`` leaves out the unit-test
    fixtures, source patches and env vars. The private lookups are rebuilt on first use.
    """
    public = {
        f.name: copy.deepcopy(getattr(manifest, f.name))
        for f in dataclasses.fields(manifest)
        if not f.name.startswith("_")
    }
    return type(manifest)(**public)


class DbtSession:
    """One ``dbtRunner`` and the last parsed manifest, reused while its parse key holds."""

    def __init__(self, project_dir: Path) -> None:
        from dbt.cli.main import dbtRunner  # heavy import: once per session

        self.project_dir = Path(project_dir)
        self.runner = dbtRunner()
        self.parses = 0  # how many times the project was parsed (tests and logs read it)
        self._key: str | None = None
        self._manifest: Any = None  # as parsed; each invocation runs on its own copy
        self._lock = threading.Lock()

    def invoke(
        self,
        args: list[str],
        parse_args: list[str],
        dbt_vars: dict[str, Any],
        database: Path,
        callbacks: list[Callable[[Any], None]],
    ):
        """Run ``args`` with the kept manifest, parsing first (``parse_args``) when it is stale.

        Returns dbt's result object; a failed parse is returned as it is and nothing is kept.
        """
        with self._lock:
            key = parse_key(self.project_dir, dbt_vars, database)
            if key != self._key or self._manifest is None:
                self._key, self._manifest = None, None
                self.runner.manifest, self.runner.callbacks = None, []
                parsed = self.runner.invoke(["--quiet", *parse_args])
                self.parses += 1
                if not parsed.success or parsed.result is None:
                    return parsed
                self._manifest = parsed.result
                self._key = key
            self.runner.manifest = copy_manifest(self._manifest)
            self.runner.callbacks = list(callbacks)
            try:
                outcome = self.runner.invoke(["--quiet", *args])
            finally:
                self.runner.manifest, self.runner.callbacks = None, []
            if outcome.exception is not None:
                # dbt itself failed (not a model or test): parse afresh next time, to be safe.
                self._key, self._manifest = None, None
            return outcome

    def forget(self) -> None:
        """Drop the kept manifest: the next invocation parses again."""
        with self._lock:
            self._key, self._manifest = None, None


_active: list[DbtSession] = []


def active() -> DbtSession | None:
    """The session builds in this process go through, if one is kept."""
    return _active[-1] if _active else None


@contextmanager
def kept_dbt(project_dir: Path) -> Iterator[DbtSession]:
    """Keep dbt loaded for the block: every build in this process reuses one session."""
    session = DbtSession(project_dir)
    _active.append(session)
    try:
        yield session
    finally:
        _active.remove(session)
