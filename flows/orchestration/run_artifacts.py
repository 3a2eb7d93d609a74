"""Run results as Prefect artifacts, so the UI's run history shows what each run did.

Results arrive as lists of dataclasses or mappings (ingest file results, dbt node results,
scorecard files); each becomes one table artifact row of plain text cells.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any

# What the run history shows of each landing file and each dbt node.
FILE_COLUMNS = [
    "file_name",
    "entity",
    "status",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "rows_duplicate",
    "rows_superseded",
    "rows_warned",
    "reason",
]
MODEL_COLUMNS = ["name", "resource_type", "status", "seconds", "failures", "message"]


def artifact_key(text: str) -> str:
    """Prefect artifact keys allow lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def as_table(items: Iterable[Any], columns: list[str] | None = None) -> list[dict[str, Any]]:
    """Rows for ``create_table_artifact`` from dataclasses, mappings or plain objects."""
    rows = []
    for item in items:
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            record = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
        elif isinstance(item, Mapping):
            record = dict(item)
        else:
            record = {k: v for k, v in vars(item).items() if not k.startswith("_")}
        if columns:
            record = {column: record.get(column) for column in columns}
        rows.append({key: _cell(value) for key, value in record.items()})
    return rows


def publish_table(
    key: str, items: Iterable[Any], description: str, columns: list[str] | None = None
) -> None:
    """One table artifact (a no-op outside a flow run or when there are no rows)."""
    from prefect.artifacts import create_table_artifact
    from prefect.context import FlowRunContext

    rows = as_table(items, columns)
    if rows and FlowRunContext.get() is not None:
        create_table_artifact(rows, key=artifact_key(key), description=description)
