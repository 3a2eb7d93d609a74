"""Errors the command line reports as one clear sentence instead of a traceback."""

from __future__ import annotations

from flows.i18n import MESSAGES, say


class UserError(Exception):
    """A problem the user can fix (bad option, missing file, failed check); exits with code 1.

    Raised with a key of ``flows.i18n.MESSAGES`` and its values, it is worded in the command
    line's language when shown; any other text (a library's own message) is shown as it is.
    """

    def __init__(self, text: str, /, **values: object) -> None:
        super().__init__(text)
        self.key = text if text in MESSAGES else None
        self.values = values

    def __str__(self) -> str:
        if self.key is None:
            return super().__str__()
        return say(self.key, **self.values)


class ConfigError(UserError, ValueError):
    """A mistake in a configuration file, named with its file and setting: a ``UserError`` for
    the command line, and a ``ValueError`` for callers that check a value (e.g. an SLA target)."""
