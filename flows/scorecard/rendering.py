"""The Jinja2 environment shared by the HTML card and the index page.

Autoescaping is on, and every printed value passes through the phone mask (``finalize``), so no
template can print a phone number in clear even if a mart value carried one.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from flows.formatting import is_missing
from flows.scorecard.phone_mask import mask_phones


def _finalize(value: object) -> object:
    if isinstance(value, Markup):
        return Markup(mask_phones(str(value)))
    if isinstance(value, str):
        return mask_phones(value)
    return value


def raw_value(value: object) -> str:
    """The value behind a displayed number (``data-value``), for checks and scripts.

    Floats are written as they are: the cards carry the marts' floats to CARD_DIGITS significant
    digits, rounded once where they are read (flows/scorecard/queries.py, card_value)."""
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    return str(value)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("flows.scorecard", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["raw"] = raw_value
    return env
