"""Alert rules as written in ``complaints.yml`` (setting ``alert_rules``).

A rule names its kind, an optional threshold, filters (category, merchant) and its recipients.
A recipient is an apprise URL (DingTalk, WeCom, Feishu/Lark robots, email, a generic JSON
webhook …) and a language; ``${NAME}`` in a URL is replaced by the environment variable NAME, so
tokens and signing secrets stay out of the configuration file.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from typing import Any

from flows.errors import UserError
from flows.i18n import say

LANGUAGES = ("zh", "en")
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Recipient:
    url: str  # as configured: ${VARS} not yet replaced, so it is safe to store and log
    lang: str = "zh"
    name: str | None = None

    @property
    def key(self) -> str:
        """The ledger's name for this recipient: its given name, else a hash of the URL."""
        return self.name or "url-" + hashlib.sha256(self.url.encode()).hexdigest()[:16]

    def resolved_url(self, rule: str) -> str:
        """The URL with ``${NAME}`` replaced from the environment."""

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in os.environ:
                where = say("where_rule", name=repr(rule))
                raise UserError("err_rule_env", where=where, recipient=self.key, name=name)
            return os.environ[name]

        return _ENV.sub(value, self.url)


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    recipients: tuple[Recipient, ...]
    threshold: float | None = None
    categories: tuple[str, ...] = ()
    merchants: tuple[str, ...] = ()
    lookback_weeks: int = 4
    options: dict[str, Any] = field(default_factory=dict)

    def wants(self, category: str | None, merchant_id: str | None) -> bool:
        """Whether the rule's filters let an alert about this category and merchant through."""
        if self.categories and category not in self.categories:
            return False
        return not (self.merchants and merchant_id not in self.merchants)


_KNOWN = {"name", "kind", "threshold", "category", "merchant", "recipients", "lookback_weeks"}


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in (value if isinstance(value, list | tuple) else [value]))


def parse_rules(raw: list[dict[str, Any]], kinds: set[str]) -> list[Rule]:
    """Rules from the configuration, with a clear error naming the rule and the field."""
    rules, names = [], set()
    for index, item in enumerate(raw or []):
        where = f"alert_rules[{index}]"
        if not isinstance(item, dict):
            raise UserError("err_rule_mapping", where=where)
        name = str(item.get("name") or "")
        if not name:
            raise UserError("err_rule_name", where=where)
        if name in names:
            raise UserError("err_rule_name_twice", where=where, name=repr(name))
        names.add(name)
        kind = item.get("kind")
        where = say("where_rule", name=repr(name))
        if kind not in kinds:
            choices = ", ".join(sorted(kinds))
            raise UserError("err_rule_kind", where=where, kind=repr(kind), choices=choices)
        recipients = []
        for r_index, entry in enumerate(item.get("recipients") or []):
            entry = {"url": entry} if isinstance(entry, str) else entry
            if not isinstance(entry, dict) or not entry.get("url"):
                raise UserError("err_rule_url", where=where, n=r_index)
            lang = entry.get("lang", "zh")
            if lang not in LANGUAGES:
                raise UserError("err_rule_lang", where=where, n=r_index, value=repr(lang))
            recipients.append(Recipient(str(entry["url"]), lang, entry.get("name")))
        if not recipients:
            raise UserError("err_rule_no_recipients", where=where)
        threshold = item.get("threshold")
        rules.append(
            Rule(
                name=name,
                kind=str(kind),
                recipients=tuple(recipients),
                threshold=None if threshold is None else float(threshold),
                categories=_as_tuple(item.get("category")),
                merchants=_as_tuple(item.get("merchant")),
                lookback_weeks=int(item.get("lookback_weeks", 4)),
                options={k: v for k, v in item.items() if k not in _KNOWN},
            )
        )
    return rules
