"""Which files of the landing folder are read, and which entity and format each one holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.contract import ENTITIES

# Longest prefix first: ``complaint_events_1.csv`` must not be taken for ``complaints``.
_PREFIXES = sorted(ENTITIES, key=len, reverse=True)
FORMATS = {
    ".csv.gz": "csv.gz",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".jsonl": "jsonl",
    ".parquet": "parquet",
}


@dataclass(frozen=True)
class LandingFile:
    """A file found in the landing folder; ``entity``/``fmt`` are None when not recognised."""

    path: Path
    entity: str | None
    fmt: str | None

    @property
    def name(self) -> str:
        return self.path.name


def entity_of(name: str) -> str | None:
    """The entity named by a file name's prefix (case-insensitive), or None."""
    lower = name.lower()
    for prefix in _PREFIXES:
        if lower.startswith(prefix):
            return prefix
    return None


def format_of(name: str) -> str | None:
    lower = name.lower()
    for suffix, fmt in FORMATS.items():
        if lower.endswith(suffix):
            return fmt
    return None


def discover(landing: Path) -> list[LandingFile]:
    """The regular files directly in ``landing`` (subfolders and hidden files are not read).

    Sorted by name: within one run a file sorting later counts as ingested later, so dated export
    names (``orders_2026-11-02.csv``) replace earlier ones in date order.
    """
    if not landing.is_dir():
        return []
    files = [p for p in landing.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))]
    return [LandingFile(p, entity_of(p.name), format_of(p.name)) for p in sorted(files)]
