"""Validation rules as SQL: the text batch ``src`` becomes the typed batch ``typed``.

Each row of ``typed`` holds the contract columns already parsed (canonical codes, instants,
hashed/masked personal data), ``_errors`` (reasons that send the row to quarantine: required field
missing or unparseable, unknown enumeration value, quantity not an integer ≥ 1) and ``_warnings``
(invalid optional fields, loaded as null). One statement over the whole batch; no Python per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from flows.landing.entities import ENTITIES, Column, Entity, raw_columns
from flows.landing.pii import hash_sql, mask_text_sql, masked_phone_sql
from flows.landing.profiles import Profile, enum_lookup
from flows.landing.sqltext import ident, literal
from flows.landing.timestamps import date_sql, instant_sql

_INTEGER_RE = r"[+-]?[0-9]+([.]0+)?"


@dataclass(frozen=True)
class RuleContext:
    entity: Entity
    profile: Profile
    positions: dict[int, str]  # file column position -> contract column
    timezone: str
    key: bytes


def _text(col: str) -> str:
    return ident(f"t_{col}")


def _source_expr(ctx: RuleContext, column: Column) -> str:
    position = next((p for p, name in ctx.positions.items() if name == column.name), None)
    expr = f"nullif(trim(c{position}), '')" if position is not None else "cast(null as varchar)"
    default = ctx.profile.defaults.get(column.name)
    if default is not None:
        expr = f"coalesce({expr}, {literal(default)})"
    return expr


def _parse_expr(ctx: RuleContext, column: Column) -> str:
    t = _text(column.name)
    formats = ctx.profile.timestamp_formats
    if column.kind == "integer":
        return (
            f"(case when regexp_full_match({t}, '{_INTEGER_RE}') "
            f"then try_cast(regexp_replace({t}, '[.]0+$', '') as integer) end)"
        )
    if column.kind == "decimal":
        return f"try_cast({t} as decimal(18,2))"
    if column.kind == "timestamp":
        return instant_sql(t, ctx.timezone, formats)
    if column.kind == "date":
        return date_sql(t, formats)
    if column.kind == "enum":
        lookup = enum_lookup(ctx.profile, column.name, column.enum or "")
        whens = " ".join(
            f"when {literal(raw.lower())} then {literal(code)}" for raw, code in lookup.items()
        )
        return f"(case lower({t}) {whens} end)"
    return t


def _entry(field: str, reason: str) -> str:
    return f"{{'field': {literal(field)}, 'reason': {literal(reason)}}}"


def _checks(column: Column) -> tuple[list[str], list[tuple[str, str]]]:
    """(error entries as SQL ``case`` expressions, warning (condition, reason) pairs)."""
    t, p, name = _text(column.name), ident(f"p_{column.name}"), column.name
    errors: list[str] = []
    warnings: list[tuple[str, str]] = []

    def warn(cond: str, reason: str) -> None:
        warnings.append((cond, reason))

    if column.required:
        errors.append(f"case when {t} is null then {_entry(name, 'required field missing')} end")
    if column.kind == "enum":
        errors.append(
            f"case when {t} is not null and {p} is null "
            f"then {_entry(name, f'unknown {column.enum} value')} end"
        )
        return errors, warnings
    if column.kind == "text":
        return errors, warnings
    kind = {"integer": "integer", "decimal": "number", "timestamp": "timestamp", "date": "date"}[
        column.kind
    ]
    out_of_range: list[str] = []
    if column.minimum is not None:
        out_of_range.append(f"{p} < {column.minimum}")
    if column.maximum is not None:
        out_of_range.append(f"{p} > {column.maximum}")
    if column.required:
        if column.name == "quantity":
            bad = f"{t} is not null and ({p} is null or {' or '.join(out_of_range)})"
            errors.append(
                f"case when {bad} then {_entry(name, 'quantity must be an integer ≥ 1')} end"
            )
        else:
            unparseable = _entry(name, f"unparseable {kind}")
            errors.append(f"case when {t} is not null and {p} is null then {unparseable} end")
            if out_of_range:
                outside = _entry(name, f"{name} out of range")
                errors.append(f"case when {' or '.join(out_of_range)} then {outside} end")
        return errors, warnings
    warn(f"{t} is not null and {p} is null", f"unparseable {kind}; loaded as null")
    if out_of_range:
        bounds = (
            f"between {column.minimum} and {column.maximum}"
            if column.maximum is not None
            else f"≥ {column.minimum}"
        )
        warn(" or ".join(out_of_range), f"{name} must be {bounds}; loaded as null")
    if column.after:
        before = ident(f"p_{column.after}")
        warn(f"{p} < {before}", f"{name} before {column.after}; loaded as null")
    return errors, warnings


def build_typed(con: duckdb.DuckDBPyConnection, ctx: RuleContext) -> None:
    """Create ``typed`` from ``src`` (one row per accepted source row)."""
    entity = ctx.entity
    texts = ", ".join(f"{_source_expr(ctx, c)} as {_text(c.name)}" for c in entity.columns)
    parsed = ", ".join(f"{_parse_expr(ctx, c)} as {ident('p_' + c.name)}" for c in entity.columns)
    errors: list[str] = []
    warnings: list[str] = []
    finals: list[str] = []
    for column in entity.columns:
        col_errors, col_warnings = _checks(column)
        errors += col_errors
        t = _text(column.name)
        raw = masked_phone_sql(t) if column.personal else mask_text_sql(t)
        warnings += [
            f"case when {cond} then {{'field': {literal(column.name)}, "
            f"'reason': {literal(reason)}, 'raw_value': {raw}}} end"
            for cond, reason in col_warnings
        ]
        p = ident(f"p_{column.name}")
        if column.personal:
            finals.append(
                f"{hash_sql(_text(column.name), ctx.key)} as {ident(column.name + '_hash')}"
            )
            finals.append(
                f"{masked_phone_sql(_text(column.name))} as {ident(column.name + '_masked')}"
            )
        elif column.free_text:
            finals.append(f"{mask_text_sql(p)} as {ident(column.name)}")
        elif col_warnings:
            # A warned field is loaded as null (every warning condition of this column).
            conds = " or ".join(f"({cond})" for cond, _ in col_warnings)
            finals.append(
                f"cast(case when coalesce({conds}, false) then null else {p} end "
                f"as {column.sql_type}) as {ident(column.name)}"
            )
        else:
            finals.append(f"cast({p} as {column.sql_type}) as {ident(column.name)}")
    error_list = (
        "list_filter([" + ", ".join(errors) + "], lambda x: x is not null)" if errors else "[]"
    )
    warning_list = (
        "list_filter([" + ", ".join(warnings) + "], lambda x: x is not null)"
        if warnings
        else "cast([] as struct(field varchar, reason varchar, raw_value varchar)[])"
    )
    con.execute(
        f"""
        create or replace temp table typed as
        with texts as (select _row_number, {texts} from src),
        parsed as (select *, {parsed} from texts)
        select _row_number, {", ".join(finals)},
            {error_list} as _errors,
            {warning_list} as _warnings
        from parsed
        """
    )


def value_columns(entity_name: str) -> list[str]:
    """The raw table's value columns (what makes two rows 'equal after parsing')."""
    return [name for name, _ in raw_columns(ENTITIES[entity_name])]
