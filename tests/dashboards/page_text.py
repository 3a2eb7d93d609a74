"""Every text an AppTest page put on screen, element by element: labels, values, options, help
texts, table headers and cells, and the strings of each plotly figure (titles, axes, legend,
annotations, point labels and hover texts)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1.element_tree import Block, Dataframe, Element, Node

# Proto fields that are ids, styles or machinery, never text a reader sees.
_SKIP = {
    "id",
    "formId",
    "type",
    "mime",
    "url",
    "key",
    "icon",
    "theme",
    "format",
    "fileName",
    "dataType",
    "data",
    "arrowData",
    "styler",
    "columns",
    "columnOrder",
    "selectionMode",
    "deltaColor",
    "deltaArrow",
    "labelVisibility",
    "width",
    "height",
    "useContainerWidth",
    "color",
    "borderColor",
    "scriptRunId",
    "placeholder",
    "value",  # widget values: their options are checked
    "defaultValue",
    "rawValue",
    "componentName",
    "jsContent",
    "htmlContent",
    "cssContent",
    "jsonArgs",
}
# A proto enum's name (CAPTION, PILLS, NATIVE): never shown as such.
_ENUM = re.compile(r"[A-Z][A-Z_]*")
# Strings of a plotly figure a reader sees.
_FIGURE_TEXT = {"text", "name", "hovertext", "hovertemplate", "ticktext", "title"}


def texts(node: Node, *, raw_sql: bool = False) -> Iterator[tuple[str, str]]:
    """(element type, text) pairs of ``node`` and everything under it.

    ``raw_sql``: the SQL console, where the schema's documentation (the dbt YAML, written in
    English) and a query's result cells (the marts' values as stored) are shown as they are.
    """
    if isinstance(node, Block):
        # Of a block (tab, expander, column, container), only its label is text.
        proto = getattr(node, "proto", None)
        if proto is not None:
            for key, value in _items(MessageToDict(proto)):
                if key == "label" and isinstance(value, str) and value.strip():
                    yield (node.type, value)
        if raw_sql and node.type in ("expandable", "expander"):
            return
        for child in node.children.values():
            yield from texts(child, raw_sql=raw_sql)
        return
    if isinstance(node, Dataframe):
        frame = node.value
        yield from (("dataframe header", str(c)) for c in frame.columns)
        if raw_sql:
            return
        for column in frame.columns:
            for cell in {str(v) for v in frame[column].dropna() if isinstance(v, (str, bool))}:
                yield ("dataframe cell", cell)
        return
    if isinstance(node, Element):
        proto = getattr(node, "proto", None)
        if proto is None:
            return
        kind = getattr(node, "type", type(node).__name__)
        if kind == "plotly_chart":
            yield from figure_texts(json.loads(proto.spec))
            return
        if kind == "download_button":
            yield ("download_button", proto.label)
            return
        yield from _strings(kind, MessageToDict(proto))


def figure_texts(figure: dict) -> Iterator[tuple[str, str]]:
    """The strings a reader sees in a plotly figure's JSON."""

    def walk(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
        if isinstance(value, dict):
            for k, v in value.items():
                if k in ("template", "shapes"):  # a shape's name is never drawn
                    continue
                yield from walk(v, k)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item, key)
        elif isinstance(value, str) and key in _FIGURE_TEXT:
            yield ("chart", value)
        elif isinstance(value, str) and key in ("x", "y") and not _looks_like_instant(value):
            yield ("chart axis value", value)

    yield from walk(figure)


def _looks_like_instant(value: str) -> bool:
    try:
        pd.Timestamp(value)
    except (ValueError, TypeError):
        return False
    return value[:1].isdigit()


def _items(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from _items(v)
    elif isinstance(value, list):
        for item in value:
            yield from _items(item)


def _strings(kind: str, proto: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(proto, dict):
        for k, v in proto.items():
            if k not in _SKIP:
                yield from _strings(kind, v, k)
    elif isinstance(proto, list):
        for item in proto:
            yield from _strings(kind, item, key)
    elif isinstance(proto, str) and proto.strip() and not _ENUM.fullmatch(proto):
        yield (kind, proto)
