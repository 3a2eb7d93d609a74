"""One language at a time: what counts as stray text in a face shown in Chinese or in English.

In Chinese, a run of Latin letters is stray unless it is an allowed term (SKU, SLA, ID, file
formats, units) or comes from the data (merchant, SKU and category names and ids, action ids,
complaint texts). In English, any CJK character outside the data's values is stray. The data's
values are read from the warehouse, independently of the code that renders them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

# Terms a Chinese quality team uses as they are.
ALLOWED_LATIN = {
    "SKU",
    "SLA",
    "ID",
    "CSV",
    "XLSX",
    "PDF",
    "HTML",
    "SQL",
    "APP",
    "A",  # the grades A–D and the paper size A4
    "B",
    "C",
    "D",
    "p",  # p 值
    "n",  # n = sample size
    "pp",  # percentage points
    "h",
    "Wilson",
    "UTC",
    "CNY",
    "dbt",
    "Laney",  # Laney P′ 图
    "P",
    "UCL",  # control limits, as quality teams write them
    "LCL",
    "ISO",  # ISO 周
    "SHA",
    "NUL",
    "UTF",  # encodings and file formats of the exports
    "GBK",
    "JSONL",
    "Parquet",
}
LATIN_RUN = re.compile(r"[A-Za-z]+")
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
# Instants, dates, ISO weeks and time zones are numbers, whatever letters they carry.
NEUTRAL = re.compile(
    r"\d{4}-W\d{2}"
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\b(?:Asia|Europe|America|Africa|Australia|Pacific|Etc)/[A-Za-z_]+\b"
    r"|\d+(?:\.\d+)?e[+-]?\d+"  # caught by the number checks, not here
)
# Markdown and HTML markup are not text.
MARKUP = re.compile(r"%\{[^}]*\}|<[^>]+>|&[a-z]+;|:material/[a-z_]+:|https?://\S+|mailto:\S+")


def data_values(warehouse: Path) -> set[str]:
    """Every name, id and free text of the data: shown as they are, in either language."""
    queries = [
        "select merchant_id, merchant_name, category from staging.stg_raw__merchants",
        "select sku_id, sku_name, category_l1, category_l2, brand from staging.stg_raw__skus",
        "select action_id, file_id from staging.stg_raw__corrective_actions",
        "select complaint_id, order_id, description from marts.complaints",
        "select file_name, file_id, content_sha256 from meta.file_ledger",
        # What a quarantined or warned row held, as delivered; the words of the complaint texts.
        "select raw_values from meta.quarantine",
        "select raw_value from meta.dq_warnings",
        "select distinct term from meta.description_terms",
        "select invocation_id from marts.build_info",
    ]
    values: set[str] = set()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for sql in queries:
            for row in con.execute(sql).fetchall():
                values.update(str(v) for v in row if v is not None and str(v).strip())
    return values


def sql_identifiers(warehouse: Path) -> set[str]:
    """The marts' table and column names and types: the SQL console's own vocabulary."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """select table_name, column_name, data_type from information_schema.columns
               where table_schema = 'marts'"""
        ).fetchall()
    words = {"marts", "select", "from", "limit", "where", "order", "by"}
    for table, column, data_type in rows:
        words |= {f"marts.{table}", table, column, data_type}
    return words


class Checker:
    """Finds stray text in a face shown in one language."""

    def __init__(self, values: Iterable[str], extra_allowed: Iterable[str] = ()) -> None:
        # Longest first, so a name is removed before a shorter name inside it.
        self._raw_values = set(values)
        self._extra = set(extra_allowed)
        ordered = sorted({v for v in self._raw_values if len(v) >= 2}, key=len, reverse=True)
        self._values = (
            re.compile("|".join(re.escape(v) for v in ordered)) if ordered else re.compile("(?!)")
        )
        self._allowed = ALLOWED_LATIN | set(extra_allowed)

    def with_values(self, values: Iterable[str]) -> Checker:
        """This checker, with more values shown as they are."""
        return Checker(self._raw_values | set(values), self._extra)

    def _neutral(self, text: str) -> str:
        text = MARKUP.sub(" ", text)
        text = self._values.sub(" ", text)
        return NEUTRAL.sub(" ", text)

    def stray(self, text: str, lang: str) -> list[str]:
        """The stray runs of ``text`` with a little context, each once."""
        cleaned = self._neutral(text)
        found: dict[str, str] = {}
        if lang == "zh":
            for match in LATIN_RUN.finditer(cleaned):
                if match.group() not in self._allowed:
                    found.setdefault(match.group(), _context(cleaned, match))
        else:
            for match in CJK_RUN.finditer(cleaned):
                found.setdefault(match.group(), _context(cleaned, match))
        return [f"{run!r} in …{context}…" for run, context in found.items()]


def _context(text: str, match: re.Match) -> str:
    return " ".join(text[max(0, match.start() - 40) : match.end() + 40].split())
