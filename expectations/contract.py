"""Expectations every entity's suite shares, derived from the data contract's column table.

Great Expectations is imported inside the functions: it takes seconds to import, and only the
ingest's validation step needs it.
"""

from __future__ import annotations

from typing import Any

from flows.contract import ENTITIES, ENUMS


def contract_expectations(entity_name: str) -> list[Any]:
    """Columns exist; required columns are not null; enumerations hold canonical codes;
    numeric bounds hold; the entity's key is unique within the batch."""
    from expectations.gx import load_gx

    gx = load_gx()

    expect = gx.expectations
    entity = ENTITIES[entity_name]
    out: list[Any] = []
    for column in entity.columns:
        names = (
            [f"{column.name}_hash", f"{column.name}_masked"] if column.personal else [column.name]
        )
        out += [expect.ExpectColumnToExist(column=name) for name in names]
        if column.required:
            out.append(expect.ExpectColumnValuesToNotBeNull(column=column.name))
        if column.enum:
            out.append(
                expect.ExpectColumnValuesToBeInSet(
                    column=column.name, value_set=sorted(ENUMS[column.enum])
                )
            )
        if column.kind in ("integer", "decimal") and (
            column.minimum is not None or column.maximum is not None
        ):
            out.append(
                expect.ExpectColumnValuesToBeBetween(
                    column=column.name, min_value=column.minimum, max_value=column.maximum
                )
            )
        if column.after:
            out.append(
                expect.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A=column.name,
                    column_B=column.after,
                    or_equal=True,
                    ignore_row_if="either_value_is_missing",
                )
            )
    if len(entity.file_key) == 1:
        out.append(expect.ExpectColumnValuesToBeUnique(column=entity.file_key[0]))
    else:
        out.append(expect.ExpectCompoundColumnsToBeUnique(column_list=list(entity.file_key)))
    return out


def suite(entity_name: str, extra: list[Any] | None = None) -> Any:
    """The entity's suite: the contract expectations plus any entity-specific ones."""
    from expectations.gx import load_gx

    gx = load_gx()

    return gx.ExpectationSuite(
        name=f"landing_{entity_name}",
        expectations=[*contract_expectations(entity_name), *(extra or [])],
    )
