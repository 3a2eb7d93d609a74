"""Validation rules as SQL: the text batch ``src`` becomes the typed batch ``typed``.

``typed`` holds, per source row, the contract columns already parsed (canonical codes, instants,
hashed/masked personal data), ``_bad`` (the row must go to quarantine: required field missing or
unparseable, unknown enumeration value, quantity not an integer ≥ 1), ``_warned`` (an invalid
optional field was set to null) and the hashes that find repeats and conflicts. The reasons
themselves are listed in ``typed_issues`` for the few rows that have any, so the per-row lists are
never built for the clean majority. Everything is SQL over the whole batch; no Python per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from flows.contract import ENTITIES, Column, Entity, raw_columns
from flows.landing.pii import hash_sql, mask_text_sql, masked_phone_sql
from flows.landing.profiles import Profile, enum_lookup
from flows.landing.readers import source_rows_sql
from flows.landing.sqltext import ident, literal
from flows.landing.timestamps import date_sql, instant_sql

_INTEGER_RE = r"[+-]?[0-9]+([.]0+)?"


@dataclass(frozen=True)
class RuleContext:
    entity: Entity
    profile: Profile
    positions: dict[str, int]  # contract column -> file column position
    timezone: str
    key: bytes
    # contract column -> template parts: literal text (position None) or a file column
    templates: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)
    # The text read holds no NUL byte (a CSV read as it is, scanned while hashed): no value
    # taken from the file can contain one, so that test is left out.
    nul_free: bool = False


@dataclass
class ColumnRules:
    """SQL of one column: parse expression, error and warning conditions with their reasons."""

    parse: str
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def _text(col: str) -> str:
    return ident(f"t_{col}")


def _parsed(col: str) -> str:
    return ident(f"p_{col}")


def _file_expr(ctx: RuleContext, column: Column) -> str:
    """The column's text as the file gives it: one file column, a template, or null."""
    parts = ctx.templates.get(column.name)
    if parts:
        # `||` is null when any part is: a template with a missing part gives no value.
        return (
            "("
            + " || ".join(f"c{pos}" if pos is not None else literal(text) for text, pos in parts)
            + ")"
        )
    position = ctx.positions.get(column.name)
    return f"c{position}" if position is not None else "cast(null as varchar)"


def _source_expr(ctx: RuleContext, column: Column) -> str:
    """The column's text in the contract's form: numbers in the profile's format rewritten with
    a `.` decimal point and no grouping, then the profile's default where the file has none."""
    expr = _file_expr(ctx, column)
    profile = ctx.profile
    if column.kind in ("decimal", "integer"):
        if profile.thousands_separator:
            expr = f"replace({expr}, {literal(profile.thousands_separator)}, '')"
        if profile.decimal_separator != ".":
            expr = f"replace({expr}, {literal(profile.decimal_separator)}, '.')"
    default = profile.defaults.get(column.name)
    if default is not None:
        expr = f"coalesce({expr}, {literal(default)})"
    return expr


def build_assumed(con: duckdb.DuckDBPyConnection, ctx: RuleContext) -> list[str]:
    """``typed_assumed``: (row, column) where a profile default supplied the value.

    Returns the defaulted contract columns of the entity (empty: the table is empty)."""
    defaulted = [c for c in ctx.entity.columns if c.name in ctx.profile.defaults]
    selects = [
        f"select _row_number, {literal(c.name)} as column_name from src "
        f"where {_file_expr(ctx, c)} is null"
        for c in defaulted
    ]
    body = " union all ".join(selects) or (
        "select cast(null as bigint) as _row_number, cast(null as varchar) as column_name "
        "where false"
    )
    con.execute(f"create or replace temp table typed_assumed as {body}")
    return [c.name for c in defaulted]


def _parse_expr(ctx: RuleContext, column: Column) -> str:
    t = _text(column.name)
    formats = ctx.profile.timestamp_formats
    if column.kind == "integer":
        # Fast path: text that is exactly how DuckDB writes the number it casts to (plain digits,
        # no sign or leading zero). Anything else must match the pattern; DuckDB's own cast
        # would also take forms the contract does not ("1_000", "1e3").
        return (
            f"(case when cast(try_cast({t} as integer) as varchar) = {t} "
            f"then try_cast({t} as integer) "
            f"when regexp_full_match({t}, '{_INTEGER_RE}') "
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
        general = f"(case lower({t}) {whens} end)"
        # Text that already is a code mapping to itself needs no lower-casing and lookup.
        codes = [c for c, target in lookup.items() if c == target and c == c.lower()]
        if not codes:
            return general
        return f"(case when {t} in ({', '.join(map(literal, codes))}) then {t} else {general} end)"
    return t


def column_rules(ctx: RuleContext, column: Column) -> ColumnRules:
    """The parse expression and the error/warning conditions of one contract column."""
    t, p, name = _text(column.name), _parsed(column.name), column.name
    rules = ColumnRules(parse=_parse_expr(ctx, column))
    # A NUL byte is never data (a truncated or binary field): the row is quarantined. Only
    # a profile's default or template text can bring one into a file without any.
    from_file_only = name not in ctx.profile.defaults and name not in ctx.templates
    if not (ctx.nul_free and from_file_only):
        rules.errors.append((f"contains({t}, chr(0))", "NUL byte in value"))
    if column.required:
        rules.errors.append((f"{t} is null", "required field missing"))
    if column.kind == "enum":
        rules.errors.append((f"{t} is not null and {p} is null", f"unknown {column.enum} value"))
        return rules
    if column.kind == "text":
        return rules
    kind = {"integer": "integer", "decimal": "number", "timestamp": "timestamp", "date": "date"}[
        column.kind
    ]
    out_of_range: list[str] = []
    if column.minimum is not None:
        out_of_range.append(f"{p} < {column.minimum}")
    if column.maximum is not None:
        out_of_range.append(f"{p} > {column.maximum}")
    outside = " or ".join(out_of_range)
    if column.required:
        if name == "quantity":
            bad = f"{t} is not null and ({p} is null or {outside})"
            rules.errors.append((bad, "quantity must be an integer ≥ 1"))
        else:
            rules.errors.append((f"{t} is not null and {p} is null", f"unparseable {kind}"))
            if outside:
                rules.errors.append((outside, f"{name} out of range"))
        return rules
    rules.warnings.append(
        (f"{t} is not null and {p} is null", f"unparseable {kind}; loaded as null")
    )
    if outside:
        bounds = (
            f"between {column.minimum} and {column.maximum}"
            if column.maximum is not None
            else f"≥ {column.minimum}"
        )
        rules.warnings.append((outside, f"{name} must be {bounds}; loaded as null"))
    if column.after:
        rules.warnings.append(
            (f"{p} < {_parsed(column.after)}", f"{name} before {column.after}; loaded as null")
        )
    return rules


def _any(conditions: list[str]) -> str:
    """True when any condition is true; unknown (null) counts as false. One ``coalesce`` around
    the whole disjunction: SQL's ``or`` is true as soon as one part is, whatever the others."""
    if not conditions:
        return "false"
    return "coalesce(" + " or ".join(f"({c})" for c in conditions) + ", false)"


def build_typed(con: duckdb.DuckDBPyConnection, ctx: RuleContext) -> None:
    """Create ``typed`` (every source row) and ``typed_issues`` (reasons of flagged rows)."""
    entity = ctx.entity
    rules = {c.name: column_rules(ctx, c) for c in entity.columns}
    texts = ", ".join(f"{_source_expr(ctx, c)} as {_text(c.name)}" for c in entity.columns)
    parsed = ", ".join(f"{rules[c.name].parse} as {_parsed(c.name)}" for c in entity.columns)
    finals: list[str] = []
    for column in entity.columns:
        t, p = _text(column.name), _parsed(column.name)
        warned = _any([cond for cond, _ in rules[column.name].warnings])
        if column.personal:
            finals.append(f"{hash_sql(t, ctx.key)} as {ident(column.name + '_hash')}")
            finals.append(f"{masked_phone_sql(t)} as {ident(column.name + '_masked')}")
        elif column.free_text or (column.kind == "text" and not column.name.endswith("_id")):
            # Free text and names (merchant, SKU, brand ...): phone numbers masked. Identifiers
            # are never altered.
            finals.append(f"{mask_text_sql(p)} as {ident(column.name)}")
        elif rules[column.name].warnings:
            finals.append(
                f"cast(case when {warned} then null else {p} end as {column.sql_type}) "
                f"as {ident(column.name)}"
            )
        else:
            finals.append(f"cast({p} as {column.sql_type}) as {ident(column.name)}")
    all_errors = [(c, r, n) for n, cr in rules.items() for c, r in cr.errors]
    all_warnings = [(c, r, n) for n, cr in rules.items() for c, r in cr.warnings]
    body = (
        f"with texts as (select _row_number, {texts} from src), "
        f"parsed as (select *, {parsed} from texts)"
    )
    key_list = ", ".join(ident(k) for k in entity.file_key)
    con.execute(
        f"""
        create or replace temp table typed as
        select *, hash({key_list}) as _key_hash
        from (
            {body}
            select _row_number, {", ".join(finals)},
                {_any([c for c, _, _ in all_errors])} as _bad,
                {_any([c for c, _, _ in all_warnings])} as _warned
            from parsed
        )
        """
    )
    error_items = ", ".join(
        f"case when coalesce({cond}, false) then "
        f"{{'field': {literal(name)}, 'reason': {literal(reason)}}} end"
        for cond, reason, name in all_errors
    )
    warning_items = []
    for cond, reason, name in all_warnings:
        column = entity.column(name)
        t = _text(name)
        raw = masked_phone_sql(t) if column.personal else mask_text_sql(t)
        warning_items.append(
            f"case when coalesce({cond}, false) then {{'field': {literal(name)}, "
            f"'reason': {literal(reason)}, 'raw_value': {raw}}} end"
        )
    empty_errors = "cast([] as struct(field varchar, reason varchar)[])"
    empty_warnings = "cast([] as struct(field varchar, reason varchar, raw_value varchar)[])"
    errors_sql = (
        f"list_filter([{error_items}], lambda x: x is not null)" if error_items else empty_errors
    )
    warnings_sql = (
        f"list_filter([{', '.join(warning_items)}], lambda x: x is not null)"
        if warning_items
        else empty_warnings
    )
    # Only flagged rows need their reasons: fetch them before parsing them a second time.
    flagged = source_rows_sql(con, "select _row_number from typed where _bad or _warned")
    con.execute(
        f"""
        create or replace temp table typed_issues as
        with texts as (select _row_number, {texts} from {flagged}),
        parsed as (select *, {parsed} from texts)
        select _row_number, {errors_sql} as _errors, {warnings_sql} as _warnings
        from parsed
        """
    )


def value_columns(entity_name: str) -> list[str]:
    """The raw table's value columns (what makes two rows 'equal after parsing')."""
    return [name for name, _ in raw_columns(ENTITIES[entity_name])]
