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
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from flows.landing.profiles import DELIMITERS, normalise_header
from flows.landing.sqltext import ident, literal

XLSX_CHUNK = 50_000
HEADER_SEARCH_ROWS = 10


# Whitespace of every kind a value may start or end with: blanks, tabs, line breaks, form feeds,
# the no-break space and the ideographic (full-width) space.
_BLANKS = "[\\s\u00a0\u3000]"
_BLANK_CODES = "9, 10, 11, 12, 13, 32, 160, 12288"


def clean_text_sql(expr: str) -> str:
    """Surrounding whitespace of every kind trimmed, blank → NULL.

    Applied once, when a reader materialises its text table, so the rules see clean text.
    """
    return f"nullif(regexp_replace({expr}, '^{_BLANKS}+|{_BLANKS}+$', '', 'g'), '')"


def clean_column_sql(column: str) -> str:
    """``clean_text_sql`` of a plain column, trimming only values that start or end with
    whitespace (or are empty): for CSV, where copying every value through the trim costs more
    than the test of its first and last character.
    """
    return (
        f"(case when {column} = '' or ascii({column}) in ({_BLANK_CODES}) "
        f"or ascii(right({column}, 1)) in ({_BLANK_CODES}) "
        f"then {clean_text_sql(column)} else {column} end)"
    )


class UnreadableFile(ValueError):
    """The file cannot be read at all (the message is the ledger's reason)."""


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
) -> ReadResult:
    """A UTF-8 CSV (plain or gzip): all columns as text, bad rows into ``src_rejects``.

    The delimiter and the header line come from ``sniff_csv`` unless the profile states them.
    DuckDB's reject tables number records from the header (line 1), so a rejected record's data
    row number is ``line - 1``; accepted rows get the record numbers the rejects leave free.
    """
    layout = layout or CsvLayout()
    head = sniff_csv(path, layout, known_headers or set())
    source = literal(str(path))
    quote = literal(layout.quote)
    options = (
        f"all_varchar = true, header = true, delim = {literal(head.delimiter)}, "
        f"quote = {quote}, escape = {quote}, skip = {head.skip}, "
        "store_rejects = true, rejects_table = 'src_reject_errors', "
        "rejects_scan = 'src_reject_scans', max_line_size = 4194304"
    )
    for table in ("src_reject_errors", "src_reject_scans"):
        con.execute(f"drop table if exists {table}")
    try:
        described = con.execute(f"describe select * from read_csv({source}, {options})")
        headers = [row[0] for row in described.fetchall()]
        cols = ", ".join(f"{clean_column_sql(ident(h))} as c{i}" for i, h in enumerate(headers))
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
            'malformed CSV row: '
                || lower(string_agg(distinct cast(error_type as varchar), ', ')),
               any_value(csv_line)
        from src_reject_errors group by line
        """
    )
    _number_rows(con, headers)
    return ReadResult(headers, head.delimiter, head.skip)


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


def invalid_utf8_seen(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the last CSV read met bytes that are not UTF-8."""
    return bool(
        con.execute(
            "select count(*) from src_reject_errors where error_type = 'INVALID ENCODING'"
        ).fetchone()[0]
    )


def read_jsonl(con: duckdb.DuckDBPyConnection, path: Path) -> ReadResult:
    """JSON Lines: each non-blank line is one record; a line that is not an object is rejected."""
    source = literal(str(path))
    try:
        con.execute(
            f"""
            create or replace temp table src_physical as
            select line from read_csv({source}, columns = {{'line': 'VARCHAR'}},
                header = false, delim = chr(31), quote = '', escape = '',
                auto_detect = false, strict_mode = false, max_line_size = 4194304)
            """
        )
        con.execute(
            """
            create or replace temp table src_lines as
            select row_number() over (order by rowid) as _row_number, line
            from src_physical where line is not null and trim(line) <> ''
            """
        )
        con.execute("drop table src_physical")
    except duckdb.Error as exc:
        raise UnreadableFile(f"not readable as JSON Lines ({_first_line(exc)})") from None
    con.execute(
        """
        create or replace temp table src_lines_ok as
        select *,
            coalesce(case when json_valid(line) then json_type(line) = 'OBJECT' end, false) as ok
        from src_lines
        """
    )
    _create_rejects(con)
    con.execute(
        "insert into src_rejects select _row_number, 'malformed JSON line', line "
        "from src_lines_ok where not ok"
    )
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
    cols = ", ".join(f"{clean_text_sql(_json_value_sql(k))} as c{i}" for i, k in enumerate(keys))
    con.execute(
        f"create or replace temp table src as select _row_number{', ' + cols if cols else ''} "
        "from src_lines_ok where ok"
    )
    con.execute("drop table src_lines; drop table src_lines_ok")
    return ReadResult(keys)


def _json_value_sql(key: str) -> str:
    path = '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"json_extract_string(line, {literal(path)})"


def read_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> ReadResult:
    """Parquet: every column cast to text, then parsed by the same rules as the other formats."""
    source = literal(str(path))
    try:
        headers = [
            row[0]
            for row in con.execute(f"describe select * from read_parquet({source})").fetchall()
        ]
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


def read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, known_headers: set[str]) -> ReadResult:
    """The first sheet of a workbook, streamed into DuckDB in chunks.

    The header row is the row among the first few that holds the most known header names, so a
    title row above the header is skipped. Fully empty rows are not records.
    """
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
        head: list[list[object]] = []
        for row in rows:
            head.append(list(row))
            if len(head) >= HEADER_SEARCH_ROWS:
                break
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
    try:
        for row in data_rows():
            cells = [_cell_text(cell) for cell in row]
            if all(c is None for c in cells):
                continue
            number += 1
            if any(c is not None for c in cells[width:]):
                reject = ",".join(c or "" for c in cells)
                con.execute(
                    "insert into src_rejects values (?, 'malformed row: too many columns', ?)",
                    [number, reject],
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
