"""The scorecard spreadsheet's layout, kept apart from its writer so the dashboard can read it
without importing xlsxwriter."""

from __future__ import annotations

from flows.contract import column_label

# The scorecard's columns, in order: (column, kind); kinds pick the cell format (``ranked``: a
# mart's ranked list, worded as one cell). The one layout: the mailed workbook's overview and the
# dashboard's scorecard table and downloads show these, headed by the one column-label table
# (flows.contract.COLUMN_LABELS); each counted rate follows the count it rests on.
OVERVIEW_COLUMNS: list[tuple[str, str]] = [
    ("merchant_id", "text"),
    ("merchant_name", "text"),
    ("category", "text"),
    ("grade", "text"),
    ("defect_rate", "rate"),
    ("defect_rate_ci_low", "rate"),
    ("defect_rate_ci_high", "rate"),
    ("category_median_defect_rate", "rate"),
    ("defect_rate_percentile", "rate"),
    ("defect_rate_wow_change", "rate"),
    ("is_mature", "flag"),
    ("order_lines", "int"),
    ("defect_lines", "int"),
    ("n_complaints_received", "int"),
    ("n_confirmed_defects_received", "int"),
    ("acknowledge_n_measured", "int"),
    ("acknowledge_compliance_rate", "rate"),
    ("merchant_notified_n_measured", "int"),
    ("merchant_notified_compliance_rate", "rate"),
    ("merchant_evidence_n_measured", "int"),
    ("merchant_evidence_compliance_rate", "rate"),
    ("resolution_n_measured", "int"),
    ("resolution_compliance_rate", "rate"),
    ("n_overdue", "int"),
    ("n_recurrences", "int"),
    ("refund_amount", "money"),
    ("compensation_amount", "money"),
    ("reopen_count", "int"),
    ("has_activity", "flag"),
    ("top_issue_types", "ranked"),
    ("top_skus", "ranked"),
    ("grade_explanation", "text"),
    ("sheet", "link"),
]


def overview_header(column: str, lang: str) -> str:
    """A header cell: the reader's words for the column, in the workbook's one language (the
    column names are the marts' own, documented in docs/marts.md)."""
    return column_label(column, lang)
