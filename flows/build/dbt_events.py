"""dbt's events, built only when something will read them.

dbt fires some twenty events per node (each SQL statement, each connection, each node's start and
end). Its event manager turns every one into a protobuf message (``ParseDict``, pure Python) and
formats a log line for each logger before Python's ``logging`` drops the lines under the logger's
level. A build logs at info level to its file and only errors to the console, so most of that
work is thrown away: on a 20k-line full build, 390 of 2 774 samples of the thread holding the
GIL (py-spy), the GIL that dbt's two threads share.

``LeanEventManager`` keeps dbt's behaviour for everything that is read: an event is built when a
logger's level admits it or a callback asks for its name; warnings, errors and the events dbt
prints whatever the level go through dbt's own path unchanged (``--warn-error`` included).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

# dbt's own callback, registered on every invocation: it reads behaviour-change warnings only.
_DBT_CALLBACK_EVENTS = {"track_behavior_change_warn": frozenset({"BehaviorChangeEvent"})}
# Python logging's numbers for dbt's levels (dbt_common's logger maps them the same way).
_LEVEL_NUMBERS = {"debug": 10, "test": 10, "info": 20, "warn": 30, "error": 40}


def wants_events(*names: str) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    """Mark a dbt callback as reading only the events ``names`` (below warning level)."""

    def mark(callback: Callable[[Any], None]) -> Callable[[Any], None]:
        callback.event_names = frozenset(names)  # type: ignore[attr-defined]
        return callback

    return mark


def _event_names(callback: Callable[[Any], None]) -> frozenset[str] | None:
    """The event names ``callback`` reads, or None for all of them."""
    names = getattr(callback, "event_names", None)
    if names is None:
        names = _DBT_CALLBACK_EVENTS.get(getattr(callback, "__name__", ""))
    return names


def _level_number(level: Any) -> int:
    return _LEVEL_NUMBERS.get(str(getattr(level, "value", level)), 10)


def install() -> None:
    """Make dbt's event manager the lean one (once per process; loggers and callbacks kept)."""
    from dbt_common.events import event_manager_client

    current = event_manager_client.get_event_manager()
    if isinstance(current, _lean_class()):
        return
    lean = _lean_class()()
    lean.loggers = list(current.loggers)
    lean.callbacks = list(current.callbacks)
    event_manager_client.ctx_set_event_manager(lean)


@functools.cache
def _lean_class() -> type:
    """``LeanEventManager``, defined on first use (dbt_common is imported only to build)."""
    from dbt_common.events import base_types
    from dbt_common.events.event_manager import EventManager
    from dbt_common.events.logger import PRINT_EVENT_NAMES

    class LeanEventManager(EventManager):
        """dbt's event manager, building an event's message only when a reader wants it."""

        def fire_event(
            self,
            e: Any,
            level: Any = None,
            node: Any = None,
            force_warn_or_error_handling: bool = False,
        ) -> None:
            name = type(e).__name__
            number = _level_number(level if level is not None else e.level_tag())
            if (
                force_warn_or_error_handling
                or number >= _LEVEL_NUMBERS["warn"]
                or name in PRINT_EVENT_NAMES
            ):
                super().fire_event(e, level, node, force_warn_or_error_handling)
                return
            loggers = [lg for lg in self.loggers if number >= _level_number(lg.level)]
            callbacks = _readers(self.callbacks, name)
            if not loggers and not callbacks:
                return
            msg = base_types.msg_from_base_event(e, level=level)
            for logger in loggers:
                if logger.filter(msg):
                    logger.write_line(msg)
            for callback in callbacks:
                callback(msg)

    return LeanEventManager


def _readers(callbacks: Iterable[Callable[[Any], None]], name: str) -> list[Callable[[Any], None]]:
    readers = []
    for callback in callbacks:
        names = _event_names(callback)
        if names is None or name in names:
            readers.append(callback)
    return readers
