"""Designed raw rows for the working-time and legal-entitlement tests, built into one warehouse.

The working-time deadlines were worked out by hand on the 2026 arrangement the State Council
published (National Day 1–7 October off, Saturday 10 October worked; 13 November an ordinary
Friday), with business hours 09:00–18:00 Asia/Shanghai (9 working hours a day).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.models.raw_tables import create_tables, insert_rows

CN = "+08:00"
# The designed warehouse is built as of this local time, with WORKING_TARGETS.
DESIGNED_AS_OF = "2026-11-20 00:00"
WORKING_TARGETS = {
    "acknowledge": {"app": 2.0, "hotline": "2 working hours", "web_form": 2.0},
    "merchant_notified": {"app": 24.0, "hotline": 24.0, "web_form": 24.0},
    "merchant_evidence": {"app": 48.0, "hotline": 48.0, "web_form": "2 working days"},
    "resolution": {"app": 168.0, "hotline": 168.0, "web_form": 168.0},
}


def _complaint(cid: str, channel: str, received: str, status: str = "open") -> dict:
    return {
        "complaint_id": cid, "order_id": f"O{cid}", "sku_id": "S1", "merchant_id": "M1",
        "channel": channel, "received_at": received + CN, "status": status,
        "updated_at": received + CN,
    }  # fmt: skip


# (complaint, channel, received, [(event, at)])
WORKING_DESIGN = [
    # Friday 17:30, 2 working hours: 30 min on Friday, 90 min on Monday -> Monday 10:30.
    ("FRI_ON_TIME", "hotline", "2026-11-13 17:30:00", [("acknowledged", "2026-11-16 10:30:00")]),
    ("FRI_LATE", "hotline", "2026-11-13 17:30:00", [("acknowledged", "2026-11-16 10:30:01")]),
    # Merchant notified the day before National Day at 10:00, 2 working days (18 working hours):
    # 8 h on 30 Sept, holidays 1-7 Oct, 9 h on Thursday 8 Oct, 1 h on Friday 9 Oct -> 9 Oct 10:00.
    ("EVE_OF_NATIONAL_DAY", "web_form", "2026-09-30 09:00:00",
     [("merchant_notified", "2026-09-30 10:00:00"),
      ("merchant_evidence_submitted", "2026-10-09 10:00:00")]),
    # Friday 9 Oct 17:00, 2 working hours: 1 h on Friday, Saturday 10 Oct is a 调休 working day
    # -> Saturday 10:00 (not Monday 12 Oct).
    ("MAKEUP_SATURDAY", "hotline", "2026-10-09 17:00:00",
     [("acknowledged", "2026-10-10 10:00:00")]),
    # Received on a holiday, still open: the clock starts on 8 Oct 09:00 -> 8 Oct 11:00.
    ("IN_HOLIDAY", "hotline", "2026-10-03 11:00:00", []),
    # A calendar-hour target ignores holidays: 1 Oct 10:00 + 2 h.
    ("APP_CALENDAR", "app", "2026-10-01 10:00:00", [("acknowledged", "2026-10-01 12:00:00")]),
    # Keeps every targeted stage observed on the channels above.
    ("OBSERVED", "web_form", "2026-11-02 10:00:00",
     [("acknowledged", "2026-11-02 10:30:00"), ("merchant_notified", "2026-11-02 11:00:00"),
      ("closed", "2026-11-03 10:00:00")]),
    ("OBSERVED_H", "hotline", "2026-11-02 10:00:00",
     [("merchant_notified", "2026-11-02 11:00:00"),
      ("merchant_evidence_submitted", "2026-11-02 12:00:00"), ("closed", "2026-11-03 10:00:00")]),
    ("OBSERVED_A", "app", "2026-11-02 10:00:00",
     [("merchant_notified", "2026-11-02 11:00:00"),
      ("merchant_evidence_submitted", "2026-11-02 12:00:00"), ("closed", "2026-11-03 10:00:00")]),
]  # fmt: skip


def load_working_design(con: duckdb.DuckDBPyConnection, design=WORKING_DESIGN) -> None:
    """Raw tables holding the working-time design (replacing any)."""
    create_tables(con)
    insert_rows(con, "raw.merchants", [{"merchant_id": "M1", "merchant_name": "Shop"}])
    insert_rows(con, "raw.skus", [{"sku_id": "S1", "merchant_id": "M1"}])
    insert_rows(con, "raw.orders", [
        {"order_id": f"O{cid}", "sku_id": "S1", "merchant_id": "M1", "quantity": 1,
         "ordered_at": "2026-09-20 10:00:00" + CN} for cid, *_ in design
    ])  # fmt: skip
    insert_rows(con, "raw.complaints", [_complaint(c, ch, r) for c, ch, r, _ in design])
    events = []
    for cid, _, received, rest in design:
        events.append({"complaint_id": cid, "event_type": "received", "occurred_at": received + CN})
        events += [{"complaint_id": cid, "event_type": k, "occurred_at": at + CN} for k, at in rest]
    insert_rows(con, "raw.complaint_events", events)


# Legal entitlements: every order line below was delivered on 2026-03-01 10:00 (+08:00).
DELIVERED = "2026-03-01 10:00:00"
LEGAL_ORDERS = [
    # (order_id, sku_id, merchant_id, paid_amount, delivered_at)
    ("L1", "S2", "M2", 80, DELIVERED),
    ("L2", "S2", "M2", 100, DELIVERED),
    ("L3", "S2", "M2", 200, DELIVERED),
    ("L4", "SF", "M3", 50, DELIVERED),  # a fresh-food SKU: exempt from the no-reason return
    ("L5", "S2", "M2", 50, None),  # not delivered: not checked
]
# (complaint, order, channel, received, status, issue_type, responsibility, remedy,
#  compensation, [(event, at)])
LEGAL_DESIGN = [
    ("EXACT_7D", "L1", "app", "2026-03-08 10:00:00", "closed", "misunderstanding", "buyer",
     "partial_refund", None, []),
    ("PAST_7D", "L1", "app", "2026-03-08 10:00:01", "closed", "misunderstanding", "buyer",
     "partial_refund", None, []),
    ("ACCEPTED_LOWER", "L1", "app", "2026-03-03 10:00:00", "closed", "other", "buyer",
     "exchange", None, [("remedy_proposed", "2026-03-04 10:00:00"),
                        ("remedy_accepted", "2026-03-05 10:00:00")]),
    ("ACCEPTED_THEN_REPROPOSED", "L1", "web_form", "2026-03-03 10:00:00", "closed", "other",
     "buyer", "exchange", None, [("remedy_proposed", "2026-03-04 10:00:00"),
                                 ("remedy_accepted", "2026-03-05 10:00:00"),
                                 ("remedy_proposed", "2026-03-06 10:00:00")]),
    ("DEFECT_15D", "L1", "hotline", "2026-03-16 10:00:00", "closed", "quality_defect",
     "merchant", "repair", None, []),
    ("DEFECT_PAST_15D", "L1", "hotline", "2026-03-16 10:00:01", "closed", "quality_defect",
     "merchant", "repair", None, []),
    ("DEFECT_7D_EXCHANGE", "L1", "hotline", "2026-03-08 10:00:00", "closed", "cosmetic_flaw",
     "merchant", "exchange", None, []),
    ("REJECTED_IN_WINDOW", "L1", "web_form", "2026-03-02 10:00:00", "closed", "misunderstanding",
     "buyer", "rejected", None, [("remedy_proposed", "2026-03-03 10:00:00"),
                                 ("remedy_accepted", "2026-03-04 10:00:00")]),
    ("REJECTED_LATE_DEFECT", "L1", "web_form", "2026-03-21 10:00:00", "closed", "quality_defect",
     "merchant", "rejected", None, [("remedy_proposed", "2026-03-22 10:00:00"),
                                    ("remedy_accepted", "2026-03-23 10:00:00")]),
    ("FAKE_FLOOR", "L2", "app", "2026-03-31 10:00:00", "closed", "counterfeit", "merchant",
     "return_refund", 300, []),
    ("FAKE_TRIPLE", "L3", "app", "2026-03-31 10:00:00", "closed", "counterfeit", "merchant",
     "return_refund", 500, []),
    ("FAKE_PAID", "L3", "app", "2026-03-31 10:00:00", "closed", "counterfeit", "merchant",
     "return_refund", 600, []),
    ("EXEMPT_FRESH", "L4", "app", "2026-03-02 10:00:00", "closed", "other", "buyer", "none",
     None, []),
    ("FRESH_DEFECT", "L4", "app", "2026-03-02 10:00:00", "closed", "quality_defect", "merchant",
     "partial_refund", None, []),
    ("STILL_OPEN", "L1", "app", "2026-03-02 10:00:00", "resolved", "other", "buyer", "none",
     None, []),
    ("UNDELIVERED", "L5", "app", "2026-03-02 10:00:00", "closed", "other", "buyer", "none",
     None, []),
]  # fmt: skip


def load_legal_design(con: duckdb.DuckDBPyConnection) -> None:
    """Append the legal design's merchants, SKUs, order lines, complaints and events."""
    insert_rows(con, "raw.merchants", [
        {"merchant_id": "M2", "merchant_name": "Shop Two", "category": "家用电器"},
        {"merchant_id": "M3", "merchant_name": "Shop Three", "category": "食品生鲜"},
    ])  # fmt: skip
    insert_rows(con, "raw.skus", [
        {"sku_id": "S2", "merchant_id": "M2", "category_l1": "家用电器", "category_l2": "厨房电器"},
        {"sku_id": "SF", "merchant_id": "M3", "category_l1": "食品生鲜", "category_l2": "生鲜"},
    ])  # fmt: skip
    insert_rows(con, "raw.orders", [
        {"order_id": o, "sku_id": s, "merchant_id": m, "quantity": 1, "paid_amount": paid,
         "ordered_at": "2026-02-26 10:00:00" + CN,
         "delivered_at": None if at is None else at + CN}
        for o, s, m, paid, at in LEGAL_ORDERS
    ])  # fmt: skip
    sku_of = {o: (s, m) for o, s, m, *_ in LEGAL_ORDERS}
    complaints, events = [], []
    for cid, order, channel, received, status, issue, resp, remedy, comp, rest in LEGAL_DESIGN:
        sku, merchant = sku_of[order]
        closed = "2026-04-10 10:00:00"
        complaints.append(
            {"complaint_id": cid, "order_id": order, "sku_id": sku, "merchant_id": merchant,
             "channel": channel, "received_at": received + CN, "status": status,
             "updated_at": closed + CN, "issue_type": issue, "responsibility": resp,
             "remedy": remedy, "compensation_amount": comp}
        )  # fmt: skip
        events.append({"complaint_id": cid, "event_type": "received", "occurred_at": received + CN})
        events += [{"complaint_id": cid, "event_type": k, "occurred_at": at + CN} for k, at in rest]
        if status == "closed":
            events.append({"complaint_id": cid, "event_type": "closed", "occurred_at": closed + CN})
    insert_rows(con, "raw.complaints", complaints)
    insert_rows(con, "raw.complaint_events", events)


def load_designed(con: duckdb.DuckDBPyConnection) -> None:
    """The working-time and the legal designs in one set of raw tables."""
    load_working_design(con)
    load_legal_design(con)


def make_designed_warehouse(path: Path) -> Path:
    """A live warehouse file holding the designed raw rows (published like the ingest does)."""
    from flows.warehouse import publishing

    with publishing(path) as staging, duckdb.connect(str(staging)) as con:
        load_designed(con)
    return path
