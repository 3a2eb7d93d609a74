"""Mapping profiles: how one platform's export layout maps onto the contract's columns.

Two profiles are built in (``canonical_en``: the contract's English headers; ``contract_zh``: its
Chinese headers). Further layouts are declared in YAML (see ``docs/ingest.md``), so another
platform's export needs a profile, not code. A profile may rename headers, map enumeration values,
add timestamp formats, set the time zone and encoding, and give constant defaults.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from flows.contract import ENTITIES, ENUMS
from flows.errors import UserError

_PROFILE_KEYS = {
    "name",
    "entity",
    "match",
    "columns",
    "values",
    "timestamp_formats",
    "timezone",
    "encoding",
    "defaults",
}


def normalise_header(header: str) -> str:
    """Headers compare without surrounding blanks, BOM or case."""
    return header.replace("\ufeff", "").strip().lower()


@dataclass(frozen=True)
class Profile:
    """One export layout. ``entity`` None: the profile serves every entity."""

    name: str
    entity: str | None = None
    file_glob: str | None = None
    match_headers: tuple[str, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)  # file header -> contract column
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> raw -> code
    timestamp_formats: tuple[str, ...] = ()
    timezone: str | None = None
    encoding: str | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    builtin: bool = False

    def own_headers(self) -> dict[str, str]:
        return {normalise_header(k): v for k, v in self.columns.items()}

    def matches_name(self, file_name: str) -> bool:
        return self.file_glob is not None and fnmatch.fnmatch(
            file_name.lower(), self.file_glob.lower()
        )


def _builtin_profiles() -> list[Profile]:
    english: dict[str, str] = {}
    chinese: dict[str, str] = {}
    for entity in ENTITIES.values():
        for col in entity.columns:
            english[col.name] = col.name
            chinese[col.zh] = col.name
    return [
        Profile("canonical_en", columns=english, builtin=True),
        Profile("contract_zh", columns=chinese, builtin=True),
    ]


BUILTIN = _builtin_profiles()


def _fallback_headers() -> dict[str, str]:
    out: dict[str, str] = {}
    for profile in BUILTIN:
        out.update(profile.own_headers())
    return out


FALLBACK = _fallback_headers()


class ProfileError(UserError, ValueError):
    """A profile file that cannot be used (the message names the file and the profile)."""


def load_profiles(path: Path | None) -> list[Profile]:
    """The YAML-declared profiles (none when the file does not exist)."""
    if path is None or not Path(path).is_file():
        return []
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    items = data.get("profiles", []) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ProfileError(f"{path}: expected a mapping with a 'profiles' list")
    return [_parse_profile(path, i, item) for i, item in enumerate(items)]


def _parse_profile(path: Path, index: int, item: Any) -> Profile:
    where = f"{path}: profile #{index + 1}"
    if not isinstance(item, dict) or "name" not in item:
        raise ProfileError(f"{where}: each profile is a mapping with at least a 'name'")
    where = f"{path}: profile {item['name']!r}"
    unknown = set(item) - _PROFILE_KEYS
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    entity = item.get("entity")
    if entity is not None and entity not in ENTITIES:
        raise ProfileError(f"{where}: unknown entity {entity!r}")
    known_columns = {c.name for e in ENTITIES.values() for c in e.columns}
    columns = {str(k): str(v) for k, v in (item.get("columns") or {}).items()}
    for target in [*columns.values(), *(item.get("defaults") or {}), *(item.get("values") or {})]:
        if target not in known_columns:
            raise ProfileError(f"{where}: {target!r} is not a contract column")
    enum_of = {c.name: c.enum for e in ENTITIES.values() for c in e.columns}
    for col, mapping in (item.get("values") or {}).items():
        enum = enum_of.get(col)
        if enum is None or not isinstance(mapping, dict):
            raise ProfileError(f"{where}: values: {col!r} is not an enumerated column")
        wrong = sorted({str(code) for code in mapping.values()} - set(ENUMS[enum]))
        if wrong:
            raise ProfileError(f"{where}: values: {', '.join(wrong)} not a {enum} code")
    match = item.get("match") or {}
    return Profile(
        name=str(item["name"]),
        entity=entity,
        file_glob=match.get("file_glob"),
        match_headers=tuple(str(h) for h in match.get("headers") or ()),
        columns=columns,
        values={
            str(col): {str(raw): str(code) for raw, code in mapping.items()}
            for col, mapping in (item.get("values") or {}).items()
        },
        timestamp_formats=tuple(str(f) for f in item.get("timestamp_formats") or ()),
        timezone=item.get("timezone"),
        encoding=item.get("encoding"),
        defaults={str(k): str(v) for k, v in (item.get("defaults") or {}).items()},
    )


def profile_for_name(profiles: list[Profile], file_name: str) -> Profile | None:
    """A declared profile whose file glob names this file (it may then also set the entity)."""
    return next((p for p in profiles if p.matches_name(file_name)), None)


def choose_profile(
    profiles: list[Profile], entity: str, file_name: str, headers: list[str]
) -> Profile:
    """The profile that explains the file's headers best.

    Score: a matching file glob outranks any header count; then the number of the file's headers
    the profile itself renames. A profile with ``match.headers`` only applies when all of those are
    present. Ties go to declared profiles (in file order) before the built-ins.
    """
    present = {normalise_header(h) for h in headers}
    best: tuple[int, int, Profile] | None = None
    for order, profile in enumerate([*profiles, *BUILTIN]):
        if profile.entity not in (None, entity):
            continue
        if profile.file_glob and not profile.matches_name(file_name):
            continue
        if profile.match_headers and not {normalise_header(h) for h in profile.match_headers} <= (
            present
        ):
            continue
        score = len(present & set(profile.own_headers())) + (10_000 if profile.file_glob else 0)
        if best is None or score > best[0] or (score == best[0] and order < best[1]):
            best = (score, order, profile)
    assert best is not None  # the built-ins serve every entity
    return best[2]


def map_headers(
    profile: Profile, entity: str, headers: list[str]
) -> tuple[dict[int, str], list[str]]:
    """Which file column (by position) supplies which contract column, and the unmapped headers.

    The profile's own renames come first, then the contract's English and Chinese names. When two
    file columns map to the same contract column the first one is used and the other is recorded
    as unmapped.
    """
    wanted = set(ENTITIES[entity].names)
    own = profile.own_headers()
    used: dict[str, int] = {}
    extra: list[str] = []
    for position, header in enumerate(headers):
        key = normalise_header(header)
        target = own.get(key) or FALLBACK.get(key)
        if target in wanted and target not in used:
            used[target] = position
        else:
            extra.append(header)
    return {pos: name for name, pos in used.items()}, extra


def enum_lookup(profile: Profile, column: str, enum: str) -> dict[str, str]:
    """Accepted spellings of an enumeration (English code, Chinese label, profile values)."""
    out: dict[str, str] = {}
    for code, zh in ENUMS[enum].items():
        out[code] = code
        if zh:
            out[zh] = code
    for raw, code in profile.values.get(column, {}).items():
        out[raw] = code
    return out
