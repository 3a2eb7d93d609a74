"""Who receives each category's scorecards: a YAML file mapping categories to addresses.

    家用电器:
      to: [appliances-quality@example.com]
      cc: [quality-lead@example.com]
    Apparel/Shoes: apparel-quality@example.com     # one address, or a list

A category missing from the file gets its files written but no email (reported as such).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from flows.errors import UserError
from flows.i18n import because, say

_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


@dataclass(frozen=True)
class Recipients:
    to: tuple[str, ...]
    cc: tuple[str, ...] = field(default=())

    @property
    def all(self) -> list[str]:
        return [*self.to, *self.cc]


def _addresses(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise UserError("err_recipients_list", where=where)
    for item in items:
        if not _ADDRESS.match(item.strip()):
            raise UserError("err_recipients_address", where=where, item=repr(item))
    return tuple(item.strip() for item in items)


def load_recipients(path: Path) -> dict[str, Recipients]:
    """category → recipients; an absent file means no category has recipients."""
    if not path.is_file():
        return {}
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UserError("err_recipients_yaml", path=path, reason=because(exc)) from None
    if not isinstance(loaded, dict):
        raise UserError("err_recipients_mapping", path=path)
    out: dict[str, Recipients] = {}
    for category, value in loaded.items():
        where = say("where_category", path=path, category=repr(category))
        if isinstance(value, dict):
            unknown = set(value) - {"to", "cc"}
            if unknown:
                raise UserError("err_recipients_keys", where=where, keys=", ".join(sorted(unknown)))
            entry = Recipients(
                _addresses(value.get("to"), where), _addresses(value.get("cc"), where)
            )
        else:
            entry = Recipients(_addresses(value, where))
        if not entry.to:
            raise UserError("err_recipients_to", where=where)
        out[str(category)] = entry
    return out
