"""Personal data: phone numbers become a keyed hash plus a masked form, and are masked in text.

The key comes from ``COMPLAINTS_PII_KEY`` or the git-ignored key file (created with mode 0600 on
first use). The hash is HMAC-SHA256 of the normalised number (digits only, without the ``86``
country code), computed in SQL from the precomputed inner and outer key pads, so hashing a column
is one vectorised expression.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import duckdb

KEY_ENV = "COMPLAINTS_PII_KEY"

# Phone numbers in free text, recognised only as whole numbers, in the written forms the data
# contract lists. One set of patterns serves Python (``re``) and DuckDB (RE2), so they avoid
# look-arounds: the characters around a number are captured and put back.
_D = "[0-9０-９]"  # ASCII or full-width digit
_SEP = "[ \\t\\r\\n.\\-－·]{0,3}"  # blanks, tabs, a line break, dots, dashes
_WORD = "0-9A-Za-z０-９_"
# Before a number: the start, a character that cannot be part of an identifier, or a joiner
# (`-`, `.`, `/`) that does not follow one (so `ORD-13812345678` stays an identifier).
_BEFORE = f"(^|[^{_WORD}\\-./]|[^{_WORD}][\\-./])"
# After a number: the end, or a character that does not continue an identifier.
_AFTER = f"($|[^{_WORD}\\-./]|[\\-./](?:$|[^{_WORD}]))"
_S = _SEP
# Mainland mobile: optional +86 / 0086 / 86, then 1[3-9]x (optionally in brackets) and 8 digits.
_MOBILE = (
    f"{_BEFORE}(?:(?:\\+|＋|00)?86{_S})?\\(?([1１]){_S}([3-9３-９]){_S}({_D})\\)?{_S}"
    f"{_D}{_S}{_D}{_S}{_D}{_S}{_D}{_S}({_D}){_S}({_D}){_S}({_D}){_S}({_D}){_AFTER}"
)
_MOBILE_MASK = "\\1\\2\\3\\4****\\5\\6\\7\\8\\9"
# Landline with an area code: 010-12345678, (010)12345678, 010 1234 5678, 0571-8888-1234.
_LANDLINE = (
    f"{_BEFORE}(\\(0{_D}{{2,3}}\\)|0{_D}{{2,3}}){_S}(?:{_D}{_S}){{3,4}}"
    f"({_D}){_S}({_D}){_S}({_D}){_S}({_D}){_AFTER}"
)
_LANDLINE_MASK = "\\1\\2-****\\3\\4\\5\\6\\7"
# International: +55 (11) 98765-4321, +1 212-555-0100, +44 20 7946 0958.
_INTERNATIONAL = (
    f"{_BEFORE}((?:\\+|＋){_D}{{1,3}}){_S}(?:\\({_D}{{1,4}}\\){_S})?(?:{_D}{_S}){{2,8}}"
    f"({_D}){_S}({_D}){_S}({_D}){_S}({_D}){_AFTER}"
)
# An area code in brackets without a country code: the Brazilian (11) 98765-4321.
_BRACKETED = (
    f"{_BEFORE}(\\({_D}{{2}}\\)){_S}(?:{_D}{_S}){{4,5}}({_D}){_S}({_D}){_S}({_D}){_S}({_D}){_AFTER}"
)
_INTERNATIONAL_MASK = "\\1\\2 ****\\3\\4\\5\\6\\7"
# The country pattern sets the ``phone_pattern_sets`` setting may enable, in the order they run
# (the mainland mobile first: an international pattern would otherwise take a +86 number).
PHONE_PATTERN_SETS: dict[str, tuple[tuple[str, str], ...]] = {
    "cn_mobile": ((_MOBILE, _MOBILE_MASK),),
    "cn_landline": ((_LANDLINE, _LANDLINE_MASK),),
    "international": ((_INTERNATIONAL, _INTERNATIONAL_MASK),),
    "br_area_code": ((_BRACKETED, _INTERNATIONAL_MASK),),
}
DEFAULT_PHONE_PATTERN_SETS = tuple(PHONE_PATTERN_SETS)
# A configured extra pattern is the number alone; the same whole-number guards wrap it, and the
# whole match becomes ``****`` (its digits cannot be told apart without capture groups).
_EXTRA_MASK = "\\1****\\2"
_ANY_DIGIT = _D  # text without a digit holds no number: left as it is, without the patterns


@dataclass(frozen=True)
class PhonePatterns:
    """The (pattern, replacement) pairs one configuration masks with, in Python and SQL alike."""

    rules: tuple[tuple[str, str], ...]

    @cached_property
    def compiled(self) -> list[tuple[re.Pattern[str], str]]:
        return [(re.compile(p), r) for p, r in self.rules]


def extra_phone_rule(body: str) -> tuple[str, str]:
    """A configured number pattern wrapped in the whole-number guards, with its replacement."""
    return f"{_BEFORE}(?:{body}){_AFTER}", _EXTRA_MASK


def extra_pattern_error(body: object) -> str | None:
    """Why a configured extra pattern cannot be used (None when it can).

    It must compile in Python and in DuckDB's RE2 (no look-arounds or back-references), have no
    capture groups (the replacement numbers the guards' groups) and never match empty text.
    """
    if not isinstance(body, str) or not body.strip():
        return f"{body!r} is not a non-empty regular expression"
    try:
        compiled = re.compile(body)
    except re.error as error:
        return f"{body!r} is not a valid regular expression ({error})"
    if compiled.groups:
        return f"{body!r} has capture groups; write (?:...) instead"
    if compiled.fullmatch(""):
        return f"{body!r} matches empty text"
    pattern, _ = extra_phone_rule(body)
    with duckdb.connect() as con:
        try:
            con.execute("select regexp_matches('', ?)", [pattern]).fetchone()
        except duckdb.Error as error:
            return f"{body!r} is not accepted by DuckDB's RE2 ({str(error).splitlines()[0]})"
    return None


@lru_cache(maxsize=16)
def phone_patterns(sets: tuple[str, ...], extra: tuple[str, ...] = ()) -> PhonePatterns:
    """The patterns of the enabled country sets (in their fixed order), then the extra ones."""
    unknown = sorted(set(sets) - set(PHONE_PATTERN_SETS))
    if unknown:
        raise ValueError(f"unknown phone pattern set(s) {', '.join(unknown)}")
    rules = [
        rule for name in PHONE_PATTERN_SETS if name in sets for rule in PHONE_PATTERN_SETS[name]
    ]
    rules += [extra_phone_rule(body) for body in extra]
    return PhonePatterns(tuple(rules))


DEFAULT_PHONE_PATTERNS = phone_patterns(DEFAULT_PHONE_PATTERN_SETS)
PHONE_PATTERNS = DEFAULT_PHONE_PATTERNS.rules
# The patterns masking uses when a caller passes none: the defaults, or those of the run in
# progress (``phone_patterns_in_use`` around an ingest or a scorecard run), so the report
# writers deep in a run need not carry the settings.
_active = DEFAULT_PHONE_PATTERNS


@contextmanager
def phone_patterns_in_use(patterns: PhonePatterns) -> Iterator[None]:
    """Mask with ``patterns`` inside the block, then go back to the previous ones."""
    global _active
    previous, _active = _active, patterns
    try:
        yield
    finally:
        _active = previous


def load_key(key_file: Path) -> bytes:
    """The HMAC key: the environment variable, else the key file (created on first use)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    key_file = Path(key_file)
    if key_file.is_file():
        return key_file.read_bytes().strip()
    key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode("ascii")
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another run created it a moment ago: use that one
        return key_file.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
    return key


def normalise_phone(phone: str) -> str:
    """Digits only, without a leading 86 country code on an 11-digit mobile (Python twin of SQL)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def phone_hash(key: bytes, phone: str) -> str:
    """HMAC-SHA256 of the normalised number (the SQL below computes the same value)."""
    return hmac.new(key, normalise_phone(phone).encode("utf-8"), hashlib.sha256).hexdigest()


def _pads(key: bytes) -> tuple[str, str]:
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = bytes(b ^ 0x36 for b in key).hex()
    outer = bytes(b ^ 0x5C for b in key).hex()
    return inner, outer


def normalised_phone_sql(text: str) -> str:
    digits = f"regexp_replace({text}, '[^0-9]', '', 'g')"
    return (
        f"(case when length({digits}) = 13 and starts_with({digits}, '86') "
        f"then substr({digits}, 3) else {digits} end)"
    )


def hash_sql(text: str, key: bytes) -> str:
    """SQL for the HMAC-SHA256 (hex) of a phone column; NULL stays NULL."""
    inner, outer = _pads(key)
    number = normalised_phone_sql(text)
    inner_hash = f"sha256(unhex('{inner}') || encode({number}))"
    return (
        f"(case when nullif({number}, '') is not null "
        f"then sha256(unhex('{outer}') || unhex({inner_hash})) end)"
    )


def masked_phone_sql(text: str) -> str:
    """``138****5678`` for a mobile; other numbers keep only their first 3 and last 4 digits."""
    number = normalised_phone_sql(text)
    return (
        f"(case when nullif({number}, '') is null then null "
        f"when length({number}) >= 7 then substr({number}, 1, 3) || '****' || right({number}, 4) "
        f"else '****' end)"
    )


def mask_text_sql(text: str, patterns: PhonePatterns | None = None) -> str:
    """SQL that masks every phone number inside text (the twin of :func:`mask_text`).

    Each pattern runs twice: a match takes the character after it, which may be the one before
    the next number (``13812345678,13912345678``). Text without a digit is left as it is.
    """
    masked = text
    for _ in range(2):
        for pattern, replacement in (patterns or _active).rules:
            quoted = pattern.replace("'", "''")
            masked = f"regexp_replace({masked}, '{quoted}', '{replacement}', 'g')"
    return f"(case when regexp_matches({text}, '{_ANY_DIGIT}') then {masked} else {text} end)"


def mask_text(text: str, patterns: PhonePatterns | None = None) -> str:
    """Every phone number in ``text`` masked (``138****5678``); identifiers that merely contain
    a digit run are left alone. Same patterns and passes as :func:`mask_text_sql`."""
    if not _ANY_DIGIT_RE.search(text):
        return text
    for _ in range(2):
        for pattern, replacement in (patterns or _active).compiled:
            text = pattern.sub(replacement, text)
    return text


_ANY_DIGIT_RE = re.compile(_ANY_DIGIT)
