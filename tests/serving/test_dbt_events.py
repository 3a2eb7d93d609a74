"""dbt's events are built only for their readers, and read as dbt itself would deliver them."""

from __future__ import annotations

import io
import re

import pytest
from dbt.adapters.events.types import NewConnection
from dbt.events.types import FoundStats, NodeFinished
from dbt_common.events import base_types, event_manager_client
from dbt_common.events.base_types import EventLevel
from dbt_common.events.event_manager import EventManager
from dbt_common.events.logger import LineFormat, LoggerConfig
from dbt_common.events.types import Note, PrintEvent
from dbt_common.exceptions.events import EventCompilationError

from flows.build import dbt_events
from flows.build.dbt_events import wants_events

LeanEventManager = dbt_events._lean_class()


def _manager(kind: type, level: EventLevel, stream: io.StringIO) -> EventManager:
    manager = kind()
    # Python's logging keeps one logger per name: each manager writes through its own.
    name = f"test_dbt_events.{kind.__name__}"
    manager.add_logger(
        LoggerConfig(name=name, level=level, output_stream=stream, line_format=LineFormat.DebugText)
    )
    return manager


def _events():
    return [
        (Note(msg="an info note"), None),
        (NewConnection(conn_type="duckdb", conn_name="model.a"), None),
        (FoundStats(stat_line="3 models, 2 data tests"), None),
        (Note(msg="a note raised to a warning"), EventLevel.WARN),
        (NodeFinished(), None),
        (PrintEvent(msg="printed whatever the level"), None),
    ]


def _lines(stream: io.StringIO) -> list[str]:
    # A debug line starts with its time and thread: what differs between two runs.
    return [
        re.sub(r"^\S*\d\d:\d\d:\d\d\.\d+ ", "", line) for line in stream.getvalue().splitlines()
    ]


@pytest.mark.parametrize("level", [EventLevel.DEBUG, EventLevel.INFO, EventLevel.ERROR])
def test_each_logger_gets_the_lines_dbts_own_manager_writes(level):
    ours, theirs = io.StringIO(), io.StringIO()
    lean, plain = _manager(LeanEventManager, level, ours), _manager(EventManager, level, theirs)
    for event, event_level in _events():
        lean.fire_event(event, level=event_level)
        plain.fire_event(event, level=event_level)
    assert _lines(ours) == _lines(theirs)
    assert _lines(ours), "the logger wrote nothing at all"


def test_an_event_nobody_reads_is_never_built(monkeypatch):
    built: list[str] = []
    original = base_types.msg_from_base_event

    def counting(event, level=None):
        built.append(type(event).__name__)
        return original(event, level=level)

    monkeypatch.setattr(base_types, "msg_from_base_event", counting)
    received: list[str] = []

    @wants_events("NodeFinished")
    def progress(msg) -> None:
        received.append(msg.info.name)

    lean = _manager(LeanEventManager, EventLevel.INFO, io.StringIO())
    lean.callbacks.append(progress)
    lean.fire_event(NewConnection(conn_type="duckdb", conn_name="model.a"))  # debug, unread
    lean.fire_event(NodeFinished())  # debug, read by the callback
    lean.fire_event(FoundStats(stat_line="3 models"))  # info, read by the logger
    assert built == ["NodeFinished", "FoundStats"]
    assert received == ["NodeFinished"]


def test_a_callback_that_names_no_events_reads_them_all():
    received: list[str] = []
    lean = _manager(LeanEventManager, EventLevel.ERROR, io.StringIO())
    lean.callbacks.append(lambda msg: received.append(msg.info.name))
    for event, event_level in _events():
        lean.fire_event(event, level=event_level)
    assert received == [type(event).__name__ for event, _ in _events()]


def test_warn_error_turns_a_warning_into_an_error_as_in_dbt():
    lean = _manager(LeanEventManager, EventLevel.INFO, io.StringIO())
    lean.require_warn_or_error_handling = True
    lean.warn_error = True
    lean.fire_event(Note(msg="still an info note"))
    with pytest.raises(EventCompilationError):
        lean.fire_event(Note(msg="a warning"), level=EventLevel.WARN)


def test_install_keeps_the_loggers_and_callbacks_and_happens_once():
    original = event_manager_client.get_event_manager()
    try:
        fresh = EventManager()
        fresh.add_logger(
            LoggerConfig(name="kept", level=EventLevel.INFO, output_stream=io.StringIO())
        )
        fresh.callbacks.append(print)
        event_manager_client.ctx_set_event_manager(fresh)
        dbt_events.install()
        lean = event_manager_client.get_event_manager()
        assert isinstance(lean, LeanEventManager)
        assert [logger.name for logger in lean.loggers] == ["kept"]
        assert lean.callbacks == [print]
        dbt_events.install()
        assert event_manager_client.get_event_manager() is lean
    finally:
        event_manager_client.ctx_set_event_manager(original)
