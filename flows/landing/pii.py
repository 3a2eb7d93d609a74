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
import secrets
from pathlib import Path

KEY_ENV = "COMPLAINTS_PII_KEY"

# Chinese mobiles (optionally +86 / 86, with blanks or dashes), then landlines with an area code,
# then other long digit runs that look like phone numbers (international forms).
_MOBILE = r"(\+?86[ -]?)?(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})"
_LANDLINE = r"(0[0-9]{2,3})[ -]([0-9]{3,4})([0-9]{4})"
_INTERNATIONAL = r"(\+[0-9]{1,3})[ -]?([0-9][0-9 -]{5,12})([0-9]{4})"
_FOUR_DIGITS = "[0-9]{4}"  # what all three patterns contain


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


def mask_text_sql(text: str) -> str:
    """SQL that masks every phone number inside free text.

    Every pattern ends in four digits in a row, so text without them is left as it is without
    running the three replacements (most descriptions and notes: half the cost of the column).
    """
    masked = f"regexp_replace({text}, '{_MOBILE}', '\\2****\\4', 'g')"
    masked = f"regexp_replace({masked}, '{_LANDLINE}', '\\1-****\\3', 'g')"
    masked = f"regexp_replace({masked}, '{_INTERNATIONAL}', '\\1 ****\\3', 'g')"
    return f"(case when regexp_matches({text}, '{_FOUR_DIGITS}') then {masked} else {text} end)"


def mask_text(text: str) -> str:
    """Python twin of :func:`mask_text_sql` for messages and logs."""
    import re

    out = re.sub(_MOBILE, r"\2****\4", text)
    out = re.sub(_LANDLINE, r"\1-****\3", out)
    return re.sub(_INTERNATIONAL, r"\1 ****\3", out)
