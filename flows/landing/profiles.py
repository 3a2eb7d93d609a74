"""Mapping profiles: how one platform's export layout maps onto the contract's columns.

Two profiles are built in (``canonical_en``: the contract's English headers; ``contract_zh``: its
Chinese headers). Further layouts are declared in YAML (see ``docs/ingest.md``), so another
platform's export needs a profile, not code. A profile may rename headers (one header may feed
several contract columns), build a contract column from a template of several headers, map
enumeration values, add timestamp formats, set the time zone and encoding, state the CSV layout
(delimiter, quote, lines before the header) and the number format, and give constant defaults
(recorded as assumed wherever they supply a value).
"""

from __future__ import annotations

import fnmatch
import re
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
    "templates",
    "delimiter",
    "quote",
    "skip_lines",
    "decimal_separator",
    "thousands_separator",
}
# The delimiters tried, in this order, when a profile does not state one.
DELIMITERS = (",", ";", "\t", "|")
_TEMPLATE_FIELD = re.compile(r"\{([^{}]+)\}")


def template_fields(template: str) -> list[str]:
    """The headers a template such as ``{Company}-{Complaint ID}`` names, in order."""
    return _TEMPLATE_FIELD.findall(template)


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
    # file header -> contract columns it feeds (usually one)
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)  # contract column -> template
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> raw -> code
    timestamp_formats: tuple[str, ...] = ()
    timezone: str | None = None
    encoding: str | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None  # None: detected
    quote: str = '"'
    skip_lines: int | None = None  # None: the header is searched among the first lines
    decimal_separator: str = "."
    thousands_separator: str | None = None
    builtin: bool = False

    def own_headers(self) -> dict[str, tuple[str, ...]]:
        return {normalise_header(k): v for k, v in self.columns.items()}

    def template_headers(self) -> set[str]:
        """Headers the templates read (normalised): known headers for the header search."""
        return {normalise_header(f) for t in self.templates.values() for f in template_fields(t)}

    def matches_name(self, file_name: str) -> bool:
        return self.file_glob is not None and fnmatch.fnmatch(
            file_name.lower(), self.file_glob.lower()
        )


def _builtin_profiles() -> list[Profile]:
    english: dict[str, str] = {}
    chinese: dict[str, str] = {}
    for entity in ENTITIES.values():
        for col in entity.columns:
            english[col.name] = (col.name,)
            chinese[col.zh] = (col.name,)
    return [
        Profile("canonical_en", columns=english, builtin=True),
        Profile("contract_zh", columns=chinese, builtin=True),
    ]


BUILTIN = _builtin_profiles()


def _fallback_headers() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
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
    columns = {
        str(k): tuple(str(t) for t in v) if isinstance(v, list) else (str(v),)
        for k, v in (item.get("columns") or {}).items()
    }
    templates = {str(k): str(v) for k, v in (item.get("templates") or {}).items()}
    targets = [t for ts in columns.values() for t in ts]
    for target in [
        *targets,
        *templates,
        *(item.get("defaults") or {}),
        *(item.get("values") or {}),
    ]:
        if target not in known_columns:
            raise ProfileError(f"{where}: {target!r} is not a contract column")
    for target, template in templates.items():
        if not template_fields(template):
            raise ProfileError(
                f"{where}: templates: {target}: {template!r} names no header "
                "(write headers in braces, e.g. '{Company}-{Complaint ID}')"
            )
    layout = _parse_layout(where, item)
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
        templates=templates,
        values={
            str(col): {str(raw): str(code) for raw, code in mapping.items()}
            for col, mapping in (item.get("values") or {}).items()
        },
        timestamp_formats=tuple(str(f) for f in item.get("timestamp_formats") or ()),
        timezone=item.get("timezone"),
        encoding=item.get("encoding"),
        defaults={str(k): str(v) for k, v in (item.get("defaults") or {}).items()},
        **layout,
    )


def _parse_layout(where: str, item: dict[str, Any]) -> dict[str, Any]:
    """The CSV layout and number format keys, checked."""
    out: dict[str, Any] = {}
    for key in ("delimiter", "quote", "decimal_separator", "thousands_separator"):
        value = item.get(key)
        if value is None:
            continue
        value = str(value)
        if key == "delimiter" and value.lower() in ("tab", "\\t"):
            value = "\t"
        if len(value) != 1:
            raise ProfileError(f"{where}: {key} must be one character, got {value!r}")
        out[key] = value
    if out.get("decimal_separator", ".") == out.get("thousands_separator"):
        raise ProfileError(f"{where}: decimal_separator and thousands_separator are the same")
    if "skip_lines" in item and item["skip_lines"] is not None:
        skip = item["skip_lines"]
        if not isinstance(skip, int) or isinstance(skip, bool) or skip < 0:
            raise ProfileError(f"{where}: skip_lines must be a whole number ≥ 0, got {skip!r}")
        out["skip_lines"] = skip
    return out


def profile_for_name(profiles: list[Profile], file_name: str) -> Profile | None:
    """A declared profile whose file glob names this file (it may then also set the entity)."""
    return next((p for p in profiles if p.matches_name(file_name)), None)


def choose_profile(
    profiles: list[Profile], entity: str, file_name: str, headers: list[str]
) -> Profile:
    """The profile that explains the file's headers best.

    Score, in order: a matching file glob; satisfied ``match.headers``; the number of the file's
    headers the profile maps (its own renames and templates, plus the contract's English and
    Chinese names it does not rename); the number it renames itself. A profile with
    ``match.headers`` only applies when all of those are present. Ties go to declared profiles
    (in file order) before the built-ins.
    """
    present = {normalise_header(h) for h in headers}
    best: tuple[tuple[int, int, int, int, int], Profile] | None = None
    for order, profile in enumerate([*profiles, *BUILTIN]):
        if profile.entity not in (None, entity):
            continue
        if profile.file_glob and not profile.matches_name(file_name):
            continue
        wanted = {normalise_header(h) for h in profile.match_headers}
        if wanted and not wanted <= present:
            continue
        own = set(profile.own_headers()) | profile.template_headers()
        explained = own | (set(FALLBACK) if not profile.builtin else set())
        score = (
            int(bool(profile.file_glob)),
            int(bool(wanted)),
            len(present & explained) if not profile.builtin else len(present & set(FALLBACK)),
            len(present & own),
            -order,
        )
        if best is None or score > best[0]:
            best = (score, profile)
    assert best is not None  # the built-ins serve every entity
    return best[1]


def map_headers(
    profile: Profile, entity: str, headers: list[str]
) -> tuple[dict[str, int], list[str]]:
    """Which file column (by position) supplies each contract column, and the unused headers.

    The profile's own renames come first (one header may feed several contract columns), then
    the contract's English and Chinese names. When two file columns map to the same contract
    column the first one is used. A header feeding no contract column, and read by no template,
    is recorded as unmapped.
    """
    wanted = set(ENTITIES[entity].names)
    own = profile.own_headers()
    in_templates = profile.template_headers()
    used: dict[str, int] = {}
    extra: list[str] = []
    for position, header in enumerate(headers):
        key = normalise_header(header)
        fed = False
        for target in own.get(key) or FALLBACK.get(key) or ():
            if target in wanted and target not in used and target not in profile.templates:
                used[target] = position
                fed = True
        if not fed and key not in in_templates:
            extra.append(header)
    return used, extra


def template_positions(
    profile: Profile, entity: str, headers: list[str]
) -> dict[str, list[tuple[str, int | None]]]:
    """Each template of the entity as literal text and file column positions, in order.

    A part is ``(text, None)`` for literal text or ``(header, position)``; raises ``KeyError``
    naming the first header the file lacks.
    """
    wanted = set(ENTITIES[entity].names)
    where = {}
    for position, header in enumerate(headers):
        where.setdefault(normalise_header(header), position)
    out: dict[str, list[tuple[str, int | None]]] = {}
    for target, template in profile.templates.items():
        if target not in wanted:
            continue
        parts: list[tuple[str, int | None]] = []
        for i, piece in enumerate(_TEMPLATE_FIELD.split(template)):
            if i % 2 == 0:
                if piece:
                    parts.append((piece, None))
            else:
                position = where.get(normalise_header(piece))
                if position is None:
                    raise KeyError(piece)
                parts.append((piece, position))
        out[target] = parts
    return out


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
