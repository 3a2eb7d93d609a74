"""Reading each landing format into a text table DuckDB can validate.

Every reader produces the temporary table ``src`` (``_row_number`` plus one VARCHAR column per file
column, named ``c0``, ``c1`` ...) and ``src_rejects`` (rows the reader could not split into
columns: wrong column count, broken quoting, malformed JSON), and returns the file's headers.
``_row_number`` is the 1-based data record (header not counted; a quoted multi-line record counts
once).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from flows.landing.profiles import DELIMITERS, normalise_header
from flows.landing.sqltext import ident, literal

XLSX_CHUNK = 50_000
HEADER_SEARCH_ROWS = 10


# The blanks a value may start or end with (docs/decisions.md "Which characters are blanks"):
# tabs, line breaks, form feeds, the space, the no-break space and the ideographic (full-width)
# space. The trim's character class and the quick test's code points both come from this one
# string (RE2's `\s` would leave out the vertical tab).
_BLANK_CHARACTERS = "\t\n\x0b\x0c\r \u00a0\u3000"
_BLANKS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _BLANK_CHARACTERS) + "]"
_BLANK_CODES = ", ".join(str(ord(c)) for c in _BLANK_CHARACTERS)


def clean_text_sql(expr: str) -> str:
    """Surrounding whitespace of every kind trimmed, blank → NULL.

    Applied once, when a reader materialises its text table, so the rules see clean text.
    """
    return f"nullif(regexp_replace({expr}, '^{_BLANKS}+|{_BLANKS}+$', '', 'g'), '')"


def clean_column_sql(column: str) -> str:
    """``clean_text_sql`` of a plain column, trimming only values that start or end with
    whitespace (or are empty): for CSV, where copying every value through the trim costs more
    than the test of its first and last character. The last character is taken with
    ``substr(value, -1)``: the same character as ``right(value, 1)``, at two thirds of the cost.
    """
    return (
        f"(case when {column} = '' or ascii({column}) in ({_BLANK_CODES}) "
        f"or ascii(substr({column}, -1)) in ({_BLANK_CODES}) "
        f"then {clean_text_sql(column)} else {column} end)"
    )


class UnreadableFile(ValueError):
    """The file cannot be read at all (the message is the ledger's reason)."""


@dataclass(frozen=True)
class ReadLimits:
    """Per-file limits (``Settings.ingest_max_*``): a record over ``max_record_bytes`` is
    quarantined alone; a file with more than ``max_columns`` columns is refused."""

    max_record_bytes: int = 1_048_576
    max_columns: int = 500


def check_columns(count: int, limits: ReadLimits, what: str = "columns") -> None:
    """Refuse a file wider than the limit before building a table that wide."""
    if count > limits.max_columns:
        raise UnreadableFile(
            f"{count} {what}, more than ingest_max_columns = {limits.max_columns}; raise "
            "ingest_max_columns in complaints.yml if the export really is that wide"
        )


def oversize_reason(limits: ReadLimits, line: str) -> str:
    return (
        f"record on line {line} is larger than ingest_max_record_bytes = "
        f"{limits.max_record_bytes} bytes; quarantined alone (raise the setting in "
        "complaints.yml to load it)"
    )


# DuckDB's sniffer (used for the header names only) needs the largest record of its sample to fit.
SNIFF_LINE_SIZE = 4 * 1024 * 1024


@dataclass(frozen=True)
class ReadResult:
    headers: list[str]
    delimiter: str | None = None  # CSV only: the delimiter used
    skipped_lines: int = 0  # CSV only: lines above the header


@dataclass(frozen=True)
class CsvLayout:
    """What a profile states about a CSV (None: detected)."""

    delimiter: str | None = None
    quote: str = '"'
    skip_lines: int | None = None


@dataclass(frozen=True)
class CsvHead:
    """The detected header line and delimiter of a CSV."""

    delimiter: str
    skip: int  # physical lines above the header
    header_fields: list[str]


HEAD_BYTES = 256 * 1024


def _head_lines(path: Path, limit: int) -> list[str]:
    """The first lines of a (possibly gzipped) text file, decoded leniently (for sniffing only)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        data = handle.read(HEAD_BYTES)
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    return text.splitlines()[:limit]


def _fields(line: str, delimiter: str, quote: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(line), delimiter=delimiter, quotechar=quote), [])
    except csv.Error:
        return line.split(delimiter)


def sniff_csv(path: Path, layout: CsvLayout, known_headers: set[str]) -> CsvHead:
    """The header line and delimiter: the pair among the first lines (and the candidate
    delimiters, unless the profile states one) whose fields hold the most known header names,
    so console output or a title above the header is skipped. Without any known name, the line
    the profile states (else the first) with the delimiter splitting it into the most fields.
    """
    lines = _head_lines(path, HEADER_SEARCH_ROWS + (layout.skip_lines or 0))
    delimiters = (layout.delimiter,) if layout.delimiter else DELIMITERS
    candidates = (
        [layout.skip_lines] if layout.skip_lines is not None else range(min(len(lines), 10))
    )
    best: tuple[int, int, int, int] | None = None  # score, -line, fields, -delimiter order
    for index in candidates:
        if index >= len(lines):
            continue
        for order, delim in enumerate(delimiters):
            fields = _fields(lines[index], delim, layout.quote)
            score = sum(1 for f in fields if normalise_header(f) in known_headers)
            key = (score, -index, len(fields), -order)
            if score and (best is None or key > best):
                best = key
    if best is not None:
        index, delim = -best[1], delimiters[-best[3]]
    else:
        index = layout.skip_lines or 0
        line = lines[index] if index < len(lines) else ""
        widths = [(len(_fields(line, d, layout.quote)), -o) for o, d in enumerate(delimiters)]
        delim = delimiters[-max(widths)[1]] if widths else ","
    line = lines[index] if index < len(lines) else ""
    return CsvHead(delim, index, _fields(line, delim, layout.quote))


def looks_delimited_by(headers: list[str], used: str) -> str | None:
    """Another delimiter a one-column header contains (the file's likely real delimiter)."""
    if len(headers) != 1:
        return None
    counts = {d: headers[0].count(d) for d in DELIMITERS if d != used}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


def _create_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create or replace temp table src_rejects "
        "(_row_number bigint, reason varchar, raw_line varchar)"
    )


def read_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    layout: CsvLayout | None = None,
    known_headers: set[str] | None = None,
    limits: ReadLimits | None = None,
    line_reasons: list[str] | None = None,
) -> ReadResult:
    """A UTF-8 CSV (plain or gzip): all columns as text, bad rows into ``src_rejects``.

    The delimiter and the header line come from ``sniff_csv`` unless the profile states them.
    The header names come from DuckDB's sniffer (or, when its sample holds a record too large
    for it, from the header line itself); the rows are then read with those columns stated, so
    a record over ``limits.max_record_bytes`` is rejected alone instead of failing the file.
    DuckDB's reject tables number records from the header (line 1), so a rejected record's data
    row number is ``line - 1``; accepted rows get the record numbers the rejects leave free.
    ``line_reasons``: the reasons of the lines marked as foreign to the file's encoding, in
    file order (their records are rejected as invalid encoding).
    """
    layout = layout or CsvLayout()
    limits = limits or ReadLimits()
    head = sniff_csv(path, layout, known_headers or set())
    source = literal(str(path))
    quote = literal(layout.quote)
    dialect = (
        f"delim = {literal(head.delimiter)}, quote = {quote}, escape = {quote}, "
        f"skip = {head.skip}, header = true"
    )
    for table in ("src_reject_errors", "src_reject_scans"):
        con.execute(f"drop table if exists {table}")
    try:
        described = con.execute(
            f"describe select * from read_csv({source}, all_varchar = true, {dialect}, "
            f"max_line_size = {max(SNIFF_LINE_SIZE, limits.max_record_bytes)})"
        )
        headers = [row[0] for row in described.fetchall()]
    except duckdb.Error:
        headers = _plain_headers(head.header_fields)
    check_columns(len(headers), limits)
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(headers)))
    options = (
        f"columns = {{{columns}}}, auto_detect = false, {dialect}, "
        "store_rejects = true, rejects_table = 'src_reject_errors', "
        f"rejects_scan = 'src_reject_scans', max_line_size = {limits.max_record_bytes}"
    )
    try:
        cols = ", ".join(f"{clean_column_sql(f'c{i}')} as c{i}" for i in range(len(headers)))
        con.execute(
            f"create or replace temp table src_text as "
            f"select {cols} from read_csv({source}, {options})"
        )
    except duckdb.Error as exc:
        raise UnreadableFile(f"not a readable CSV ({_first_line(exc)})") from None
    _create_rejects(con)
    con.execute(
        f"""
        insert into src_rejects
        select line - 1 - {head.skip},
            case when bool_or(error_type = 'LINE SIZE OVER MAXIMUM')
                then replace({literal(oversize_reason(limits, "@"))}, '@', cast(line as varchar))
                else 'malformed CSV row: '
                    || lower(string_agg(distinct cast(error_type as varchar), ', ')) end,
            left(any_value(csv_line), 2000)
        from src_reject_errors group by line
        """
    )
    if line_reasons:
        _apply_line_reasons(con, line_reasons)
    _number_rows(con, headers)
    return ReadResult(headers, head.delimiter, head.skip)


def _plain_headers(fields: list[str]) -> list[str]:
    """Header names as DuckDB would name them: blank → ``column<i>``, repeats suffixed."""
    names: list[str] = []
    for i, field_name in enumerate(fields):
        name = field_name.strip() or f"column{i}"
        base, n = name, 1
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def _apply_line_reasons(con: duckdb.DuckDBPyConnection, reasons: list[str]) -> None:
    """Give the records rejected for invalid encoding the reasons of the marked lines.

    Only marked lines are invalid in the readable copy, so the k-th such record holds the k-th
    marked line; when one record holds several marked lines, it gets all their reasons.
    """
    flagged = (
        "select _row_number from src_rejects where reason like '%invalid encoding%' "
        "order by _row_number"
    )
    _give_reasons(con, reasons, flagged, "src_rejects", "raw_line", "_row_number")


def _number_rows(con: duckdb.DuckDBPyConnection, headers: list[str]) -> None:
    """Expose ``src_text`` as ``src`` with record numbers that skip the rejected records.

    Accepted row k (1-based, file order) is record k + (number of rejects whose record number,
    less the rejects before it, is below k). Without rejects ``src`` is a plain view.
    """
    cols = ", ".join(f"c{i}" for i in range(len(headers)))
    base = con.execute("select coalesce(min(rowid), 0) from src_text").fetchone()[0]
    if not con.execute("select count(*) from src_rejects").fetchone()[0]:
        con.execute(
            f"create or replace temp view src as "
            f"select rowid - {int(base)} + 1 as _row_number, {cols} from src_text"
        )
        # Lets a few rows be fetched by row id instead of scanning (see pipeline).
        con.execute(f"create or replace temp table src_rowid_base as select {int(base)} as base")
        return
    con.execute(
        f"""
        create or replace temp table src as
        with accepted as (select rowid - {int(base)} + 1 as k, * from src_text),
        gaps as (
            select before_k, max(n) as n_before from (
                select _row_number - row_number() over (order by _row_number) as before_k,
                    row_number() over (order by _row_number) as n
                from src_rejects
            ) group by before_k
        )
        select accepted.k + coalesce(gaps.n_before, 0) as _row_number, {cols}
        from accepted asof left join gaps on accepted.k > gaps.before_k
        """
    )


def source_rows_sql(con: duckdb.DuckDBPyConnection, row_numbers: str) -> str:
    """A relation of the ``src`` rows whose ``_row_number`` is in the query ``row_numbers``.

    When ``src`` numbers ``src_text`` by row id (a CSV without rejects), the rows are fetched
    by row id instead of scanning every row of the file's text for a few of them.
    """
    by_rowid = con.execute(
        "select count(*) from information_schema.tables "
        "where table_catalog = 'temp' and table_name = 'src_rowid_base'"
    ).fetchone()[0]
    if not by_rowid:
        return f"(select * from src where _row_number in ({row_numbers}))"
    base = int(con.execute("select base from src_rowid_base").fetchone()[0])
    return (
        f"(select rowid - {base} + 1 as _row_number, * from src_text "
        f"where rowid in (select _row_number + {base} - 1 from ({row_numbers})))"
    )


def invalid_utf8_seen(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the last CSV read met bytes that are not UTF-8."""
    return bool(
        con.execute(
            "select count(*) from src_reject_errors where error_type = 'INVALID ENCODING'"
        ).fetchone()[0]
    )


def read_jsonl(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    limits: ReadLimits | None = None,
    line_reasons: list[str] | None = None,
) -> ReadResult:
    """JSON Lines: each non-blank line is one record; a line that is not an object is rejected,
    so is a line over ``limits.max_record_bytes`` and a line marked as foreign to the file's
    encoding (``line_reasons``, in file order).

    Values that are objects or arrays are listed in ``src_nested`` (row, key, kind): whether
    that is wrong depends on the key (a contract field is a scalar), decided after mapping.
    """
    limits = limits or ReadLimits()
    source = literal(str(path))
    for table in ("src_reject_errors", "src_reject_scans"):
        con.execute(f"drop table if exists {table}")
    try:
        con.execute(
            f"""
            create or replace temp table src_physical as
            select line from read_csv({source}, columns = {{'line': 'VARCHAR'}},
                header = false, delim = chr(31), quote = '', escape = '',
                auto_detect = false, strict_mode = false,
                max_line_size = {limits.max_record_bytes}, store_rejects = true,
                rejects_table = 'src_reject_errors', rejects_scan = 'src_reject_scans')
            """
        )
        # Every physical line is a row (blank: NULL) or a reject; accepted row k is physical
        # line k plus the rejects before it.
        oversize = literal(oversize_reason(limits, "@"))
        con.execute(
            f"""
            create or replace temp table src_line_rejects as
            select line, case when bool_or(error_type = 'LINE SIZE OVER MAXIMUM')
                    then replace({oversize}, '@', cast(line as varchar))
                    else 'malformed JSON line' end as reason,
                left(any_value(csv_line), 2000) as raw_line,
                bool_or(error_type = 'INVALID ENCODING') as foreign_line
            from src_reject_errors group by line
            """
        )
        con.execute(
            """
            create or replace temp table src_lines as
            with accepted as (select row_number() over () as k, line from src_physical),
            gaps as (
                select before_k, max(n) as n_before from (
                    select line - row_number() over (order by line) as before_k,
                        row_number() over (order by line) as n
                    from src_line_rejects
                ) group by before_k
            ),
            physical as (
                select accepted.k + coalesce(gaps.n_before, 0) as physical, line,
                    null::varchar as reason
                from accepted asof left join gaps on accepted.k > gaps.before_k
                union all
                select line, raw_line, reason from src_line_rejects
            )
            select row_number() over (order by physical) as _row_number, physical, line, reason
            from physical where reason is not null or (line is not null and trim(line) <> '')
            """
        )
        con.execute("drop table src_physical")
    except duckdb.Error as exc:
        raise UnreadableFile(f"not readable as JSON Lines ({_first_line(exc)})") from None
    if line_reasons:
        _apply_jsonl_line_reasons(con, line_reasons)
    con.execute(
        """
        create or replace temp table src_lines_ok as
        select *, reason is null and coalesce(
                case when json_valid(line) then json_type(line) = 'OBJECT' end, false) as ok
        from src_lines
        """
    )
    _create_rejects(con)
    con.execute(
        "insert into src_rejects select _row_number, coalesce(reason, 'malformed JSON line'), "
        "line from src_lines_ok where not ok"
    )
    (n_keys,) = con.execute(
        "select count(distinct key) from (select unnest(json_keys(line)) as key "
        "from src_lines_ok where ok)"
    ).fetchone()
    check_columns(n_keys, limits, "distinct keys (columns)")
    keys = [
        row[0]
        for row in con.execute(
            """
            select key from (
                select unnest(json_keys(line)) as key, _row_number
                from src_lines_ok where ok
            ) group by key order by min(_row_number), key
            """
        ).fetchall()
    ]
    _find_nested(con)
    cols = ", ".join(f"{clean_text_sql(_json_value_sql(k))} as c{i}" for i, k in enumerate(keys))
    con.execute(
        f"create or replace temp table src as select _row_number{', ' + cols if cols else ''} "
        "from src_lines_ok where ok"
    )
    con.execute("drop table src_lines; drop table src_lines_ok; drop table src_line_rejects")
    return ReadResult(keys)


def _apply_jsonl_line_reasons(con: duckdb.DuckDBPyConnection, reasons: list[str]) -> None:
    """The reasons of the lines marked as foreign to the file's encoding (one line each)."""
    flagged = "select line from src_line_rejects where foreign_line order by line"
    _give_reasons(con, reasons, flagged, "src_lines", "line", "physical")


def _give_reasons(
    con: duckdb.DuckDBPyConnection,
    reasons: list[str],
    flagged_sql: str,
    table: str,
    text: str,
    key: str,
) -> None:
    """Pair the flagged records (``flagged_sql``: their ``key``s in file order) with the marked
    lines' reasons, and drop the replacement mark the readable copy left at the end of ``text``.

    One reason each when the counts agree; otherwise every flagged record gets the first reasons
    joined, so none is left without one.
    """
    flagged = [row[0] for row in con.execute(flagged_sql).fetchall()]
    if len(flagged) == len(reasons):
        pairs = list(zip(flagged, reasons, strict=True))
    else:
        joined = "; ".join(reasons[:5]) + ("; …" if len(reasons) > 5 else "")
        pairs = [(n, joined) for n in flagged]
    con.executemany(
        f"update {table} set reason = ?, {text} = regexp_replace({text}, '[?\ufffd]$', '') "
        f"where {key} = ?",
        [[reason, number] for number, reason in pairs],
    )


def _find_nested(con: duckdb.DuckDBPyConnection) -> None:
    """``src_nested``: the (row, key, kind) of values that are JSON objects or arrays. Only
    lines with a bracket after their opening one are examined key by key."""
    con.execute(
        """
        create or replace temp table src_nested as
        select s._row_number, e.key, lower(e.type) as kind
        from (
            select _row_number, line from src_lines_ok
            where ok and (strpos(substr(line, 2), '{') > 0 or strpos(line, '[') > 0)
        ) as s, json_each(s.line) as e
        where e.type in ('OBJECT', 'ARRAY')
        """
    )


def reject_nested_values(
    con: duckdb.DuckDBPyConnection, headers: list[str], mapped: list[int]
) -> None:
    """Move rows whose contract fields (the ``mapped`` header positions) hold a JSON object or
    array from ``src`` to ``src_rejects``: a scalar field's text would be the JSON itself.
    Extra keys may hold nested values; they are kept as text."""
    fields = [headers[i] for i in mapped]
    if (
        not fields
        or not con.execute(
            "select exists (select 1 from src_nested where list_contains(?, key))", [fields]
        ).fetchone()[0]
    ):
        return
    con.execute(
        """
        create or replace temp table src_moved as
        select n._row_number,
            'nested JSON value (' || string_agg(n.kind || ' in field ' || n.key, '; '
                order by n.key) || ') where the contract expects text or a number' as reason
        from src_nested n where list_contains(?, n.key) group by n._row_number
        """,
        [fields],
    )
    _move_to_rejects(con, headers)


def _move_to_rejects(con: duckdb.DuckDBPyConnection, headers: list[str]) -> None:
    """Move the rows listed in ``src_moved`` (row, reason) from the table ``src`` to
    ``src_rejects``, their values as JSON keyed by the file's headers."""
    raw = ", ".join(f"{literal(h)}, c{i}" for i, h in enumerate(headers)) or "'', ''"
    con.execute(
        f"""
        insert into src_rejects
        select s._row_number, m.reason, left(cast(json_object({raw}) as varchar), 2000)
        from src s join src_moved m using (_row_number)
        """
    )
    con.execute("delete from src where _row_number in (select _row_number from src_moved)")
    con.execute("drop table src_moved")


def _json_value_sql(key: str) -> str:
    path = '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"json_extract_string(line, {literal(path)})"


def read_parquet(
    con: duckdb.DuckDBPyConnection, path: Path, limits: ReadLimits | None = None
) -> ReadResult:
    """Parquet: every column cast to text, then parsed by the same rules as the other formats."""
    source = literal(str(path))
    try:
        headers = [
            row[0]
            for row in con.execute(f"describe select * from read_parquet({source})").fetchall()
        ]
    except duckdb.Error as exc:
        raise UnreadableFile(f"not a readable Parquet file ({_first_line(exc)})") from None
    check_columns(len(headers), limits or ReadLimits())
    try:
        cols = ", ".join(
            f"{clean_text_sql(f'cast({ident(h)} as varchar)')} as c{i}"
            for i, h in enumerate(headers)
        )
        con.execute(
            f"create or replace temp table src_text as select {cols} from read_parquet({source})"
        )
        con.execute(
            "create or replace temp table src as select "
            "rowid - (select min(rowid) from src_text) + 1 as _row_number, * from src_text"
        )
        con.execute("drop table src_text")
    except duckdb.Error as exc:
        raise UnreadableFile(f"not a readable Parquet file ({_first_line(exc)})") from None
    _create_rejects(con)
    if headers:  # a record's size: the bytes of its values as text
        limits = limits or ReadLimits()
        size = " + ".join(f"coalesce(strlen(c{i}), 0)" for i in range(len(headers)))
        reason = literal(oversize_reason(limits, "@").replace("on line @", "in row @"))
        con.execute(
            f"""
            create or replace temp table src_moved as
            select _row_number, replace({reason}, '@', cast(_row_number as varchar)) as reason
            from src where {size} > {limits.max_record_bytes}
            """
        )
        _move_to_rejects(con, headers)
    return ReadResult(headers)


def _cell_text(value: object) -> str | None:
    """Excel cells as text: whole floats lose their ``.0``, date cells become ISO timestamps."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def read_xlsx(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    known_headers: set[str],
    limits: ReadLimits | None = None,
) -> ReadResult:
    """The first sheet of a workbook, streamed into DuckDB in chunks.

    The header row is the row among the first few that holds the most known header names, so a
    title row above the header is skipped. Fully empty rows are not records. A row holding a
    formula without a calculated value, or larger than ``limits.max_record_bytes``, is
    rejected alone.
    """
    from python_calamine import CalamineWorkbook

    limits = limits or ReadLimits()
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        first_row = sheet.start[0] + 1 if sheet.start else 1  # the sheet row of the first row
        rows = sheet.iter_rows()
        head: list[list[object]] = []
        for row in rows:
            head.append(list(row))
            if len(head) >= HEADER_SEARCH_ROWS:
                break
        uncalculated = uncalculated_formulas(path)
    except Exception as exc:  # calamine raises its own error types for corrupt workbooks
        raise UnreadableFile(f"not a readable XLSX workbook ({_first_line(exc)})") from None
    if not head:
        raise UnreadableFile("empty workbook")
    scores = [
        sum(1 for cell in row if isinstance(cell, str) and normalise_header(cell) in known_headers)
        for row in head
    ]
    header_index = max(range(len(head)), key=lambda i: (scores[i], -i))
    if scores[header_index] == 0:
        header_index = 0
    raw_headers = [_cell_text(cell) for cell in head[header_index]]
    while raw_headers and raw_headers[-1] is None:
        raw_headers.pop()
    headers = [h if h is not None else f"column_{i + 1}" for i, h in enumerate(raw_headers)]
    check_columns(len(headers), limits)
    width = len(headers)
    names = ["_row_number", *(f"c{i}" for i in range(width))]
    cols = ", ".join(f"{n} {'bigint' if n == '_row_number' else 'varchar'}" for n in names)
    con.execute(f"create or replace temp table src ({cols})")
    _create_rejects(con)

    def data_rows():
        yield from head[header_index + 1 :]
        yield from rows

    batch: list[list[str | None]] = []
    number = 0
    sheet_row = first_row + header_index
    try:
        for row in data_rows():
            sheet_row += 1
            cells = [_cell_text(cell) for cell in row]
            if all(c is None for c in cells) and sheet_row not in uncalculated:
                continue
            number += 1
            reason = _xlsx_row_problem(cells, width, uncalculated.get(sheet_row), limits, sheet_row)
            if reason:
                con.execute(
                    "insert into src_rejects values (?, ?, ?)",
                    [number, reason, ",".join(c or "" for c in cells)[:2000]],
                )
                continue
            batch.append([str(number), *(cells[:width] + [None] * (width - len(cells)))])
            if len(batch) >= XLSX_CHUNK:
                _flush(con, names, batch)
                batch = []
    except Exception as exc:
        raise UnreadableFile(f"XLSX workbook broken mid-read ({_first_line(exc)})") from None
    _flush(con, names, batch)
    return ReadResult(headers)


def _xlsx_row_problem(
    cells: list[str | None],
    width: int,
    formulas: list[str] | None,
    limits: ReadLimits,
    sheet_row: int,
) -> str | None:
    """Why a worksheet row cannot be loaded as it reads, or None."""
    if formulas:
        where = "cell" if len(formulas) == 1 else "cells"
        return (
            f"formula without a cached value in {where} {', '.join(formulas)} (the workbook "
            "was written without calculating it; open and save it in a spreadsheet application)"
        )
    if any(c is not None for c in cells[width:]):
        return "malformed row: too many columns"
    size = sum(len(c) for c in cells if c)
    if size * 4 > limits.max_record_bytes and (
        sum(len(c.encode("utf-8")) for c in cells if c) > limits.max_record_bytes
    ):
        return oversize_reason(limits, str(sheet_row))
    return None


_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_FORMULA = re.compile(rb"<f[\s>/]")
_VALUE = re.compile(rb"<v>[^<]")


def uncalculated_formulas(path: Path) -> dict[int, list[str]]:
    """Cells of the first sheet holding a formula without a calculated value, by sheet row.

    Such a cell reads as empty (no cached value) or as 0 (writers like XlsxWriter store 0 and
    ask the application to calculate every formula on opening: ``fullCalcOnLoad``), never as
    what the formula computes. The sheet XML is scanned in chunks; only chunks holding a
    formula are parsed cell by cell.
    """
    found: dict[int, list[str]] = {}
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml")
        recalculate = re.search(rb'fullCalcOnLoad="(1|true)"', workbook) is not None
        member = _first_sheet(archive, workbook)
        if member is None:
            return found
        with archive.open(member) as sheet:
            rest = b""
            while data := sheet.read(CHUNK_XML):
                data = rest + data
                cut = data.rfind(b"</c>") + 4 if b"</c>" in data else 0
                data, rest = data[:cut], data[cut:]
                if not _FORMULA.search(data):
                    continue
                for cell in _CELL.finditer(data):
                    body = cell.group(2) or b""
                    if not _FORMULA.search(body) or (_VALUE.search(body) and not recalculate):
                        continue
                    ref = _REF.search(cell.group(1))
                    if ref:
                        column, row = ref.group(1).decode(), int(ref.group(2))
                        found.setdefault(row, []).append(f"{column}{row}")
    return found


CHUNK_XML = 8 * 1024 * 1024


def _first_sheet(archive: zipfile.ZipFile, workbook: bytes) -> str | None:
    """The archive member of the workbook's first sheet (the one calamine reads)."""
    sheet = re.search(rb"<sheet\b[^>]*?\br:id=\"([^\"]+)\"", workbook)
    if sheet is None:
        return None
    rels = archive.read("xl/_rels/workbook.xml.rels")
    for rel in re.finditer(rb"<Relationship\b[^>]*>", rels):
        tag = rel.group(0)
        if re.search(rb'Id="' + re.escape(sheet.group(1)) + rb'"', tag):
            target = re.search(rb'Target="([^"]+)"', tag)
            if target:
                name = target.group(1).decode()
                return name.lstrip("/") if name.startswith("/") else f"xl/{name}"
    return None


def _flush(con: duckdb.DuckDBPyConnection, names: list[str], batch: list[list[str | None]]) -> None:
    if not batch:
        return
    columns = list(zip(*batch, strict=True))
    chunk = pa.table(
        {n: pa.array(col, type=pa.string()) for n, col in zip(names, columns, strict=True)}
    )
    con.register("xlsx_chunk", chunk)
    con.execute(
        "insert into src "
        "select cast(_row_number as bigint), "
        + ", ".join(clean_text_sql(n) for n in names[1:])
        + " from xlsx_chunk"
    )
    con.unregister("xlsx_chunk")


def _first_line(exc: BaseException) -> str:
    """The reader's whole message on one line (DuckDB explains over several lines), bounded."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    text = " | ".join(lines) if lines else type(exc).__name__
    return text if len(text) <= 2000 else text[:1999] + "…"
