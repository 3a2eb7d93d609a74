"""Planted cases for the scorecard tests, as raw export rows appended to a generated landing
folder before the real ingest and dbt build run over it (never as mart rows).

One planted merchant, M90001 in 家用电器, ordering weekly on two SKUs from 2026-W15 to the
target week 2026-W47 (the generated sample's last):

- SKU900001 is named with a phone number in clear (no scorecard may show it) and runs a 5 %
  defect rate throughout: the SKU recommendation's case. Its corrective action CA90001 was
  completed on 2026-11-09, so its after window is not over: pending.
- SKU900002 runs 5 % until its corrective action CA90002 (July 2026), then about 0.4 %: with
  ~1,300 order lines on each side the evaluation sees the drop (effective).
- Six complaints on SKU900001 received in the target week: three merchants' evidence never came
  and is past its deadline (open_overdue), three came on time; 3/6 on time is below the 90 %
  target.

A second planted merchant, M90002, sells in a category whose name holds a slash
("Apparel/Shoes", for file names): a few quiet orders in the target week.

Every other merchant, week and case is the generator's.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

TARGET_WEEK = "2026-W47"
MERCHANT = "M90001"
MERCHANT_NAME = "优品电器旗舰店"
CATEGORY = "家用电器"
PLANTED_PHONE = "13812345678"
MASKED_PHONE = "138****5678"
SLASHED_CATEGORY, SLASHED_MERCHANT, SLASHED_SKU = "Apparel/Shoes", "M90002", "SKU900003"
BAD_SKU, FIXED_SKU = "SKU900001", "SKU900002"
PENDING_ACTION, EFFECTIVE_ACTION = "CA90001", "CA90002"
FIRST_MONDAY = date(2026, 4, 6)  # 2026-W15
TARGET_MONDAY = date(2026, 11, 16)  # 2026-W47
FIX_COMPLETED = datetime(2026, 7, 13, 17, 0)
SKUS = {
    BAD_SKU: (f"优品 电水壶 客服{PLANTED_PHONE}", "电水壶", 60),
    FIXED_SKU: ("优品 吹风机 H2", "吹风机", 100),
}


class _Ids:
    def __init__(self) -> None:
        self.order = 0
        self.complaint = 0

    def next_order(self) -> str:
        self.order += 1
        return f"39{self.order:016d}"

    def next_complaint(self) -> str:
        self.complaint += 1
        return f"TS9{self.complaint:010d}"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace('"', '""') + '"'


def _append(path: Path, rows: list[list]) -> None:
    """Append rows to an export the generator wrote, quoted as it quotes (text in quotes,
    numbers bare, a missing value empty)."""
    with path.open("a", encoding="utf-8", newline="\n") as handle:
        handle.writelines(",".join(_cell(v) for v in row) + "\n" for row in rows)


def _local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _defects_in_week(sku: str, monday: date) -> int:
    if sku == BAD_SKU:
        return 3
    if monday < FIX_COMPLETED.date() - timedelta(days=7):
        return 5
    return 1 if monday.toordinal() // 7 % 4 == 0 else 0


def plant(landing: Path) -> None:
    """Append the planted merchant's raw rows to the generated exports in ``landing``."""
    ids = _Ids()
    _append(
        landing / "merchants.csv",
        [[MERCHANT, MERCHANT_NAME, CATEGORY, "2021-03-01"],
         [SLASHED_MERCHANT, "Runway & Co", SLASHED_CATEGORY, "2023-05-01"]],
    )  # fmt: skip
    _append(
        landing / "skus.csv",
        [[sku, MERCHANT, name, CATEGORY, l2, "优品"] for sku, (name, l2, _) in SKUS.items()]
        + [[SLASHED_SKU, SLASHED_MERCHANT, "Runway Sneaker", SLASHED_CATEGORY, "Shoes", "Runway"]],
    )
    orders: list[list] = []
    for n in range(30):
        ordered = datetime.combine(TARGET_MONDAY, datetime.min.time()) + timedelta(
            hours=9, minutes=n
        )
        orders.append(
            [ids.next_order(), SLASHED_SKU, SLASHED_MERCHANT, 1, 199.0, _local(ordered),
             _local(ordered + timedelta(hours=20)), None, f"U8{n:08d}", "浙江", "中通"]
        )  # fmt: skip
    complaints: list[list] = []
    events: list[list] = []
    monday = FIRST_MONDAY
    while monday <= TARGET_MONDAY:
        is_target = monday == TARGET_MONDAY
        for sku, (_name, _l2, lines) in SKUS.items():
            n_defects = _defects_in_week(sku, monday)
            for n in range(lines):
                ordered = datetime.combine(monday, datetime.min.time()) + timedelta(
                    hours=8 + (n * 37) % 60 // 2, minutes=n % 60
                )
                if is_target:  # the target week's orders, early enough to be complained of
                    ordered = datetime.combine(monday, datetime.min.time()) + timedelta(
                        hours=1, minutes=n
                    )
                order_id = ids.next_order()
                orders.append(
                    [order_id, sku, MERCHANT, 1, 99.0, _local(ordered),
                     _local(ordered + timedelta(hours=12)), _local(ordered + timedelta(days=1)),
                     f"U9{n:08d}", "上海", "顺丰"]
                )  # fmt: skip
                if n < n_defects:
                    received = ordered + timedelta(days=1, hours=10)
                    overdue = is_target and sku == BAD_SKU
                    _complaint(ids, order_id, sku, received, overdue, complaints, events)
        if is_target:  # three more on the bad SKU's target-week orders, answered on time
            bad_orders = orders[-(SKUS[BAD_SKU][2] + SKUS[FIXED_SKU][2]) :][3:6]
            for order in bad_orders:
                ordered = datetime.strptime(order[5], "%Y-%m-%d %H:%M:%S")
                received = ordered + timedelta(days=1, hours=10)
                _complaint(ids, order[0], BAD_SKU, received, False, complaints, events)
        monday += timedelta(days=7)
    _append(landing / "orders_2026-11.csv", orders)
    _append(landing / "complaints_export2.csv", complaints)
    _append(landing / "complaint_events.csv", events)
    _append(
        landing / "corrective_actions.csv",
        [
            [PENDING_ACTION, MERCHANT, BAD_SKU, "quality_defect", "supplier_change",
             "2026/10/26 10:00", "2026/11/09 17:00"],
            [EFFECTIVE_ACTION, MERCHANT, FIXED_SKU, "quality_defect", "incoming_inspection",
             "2026/07/06 10:00", FIX_COMPLETED.strftime("%Y/%m/%d %H:%M")],
        ],
    )  # fmt: skip


def _complaint(
    ids: _Ids,
    order_id: str,
    sku: str,
    received: datetime,
    evidence_overdue: bool,
    complaints: list[list],
    events: list[list],
) -> None:
    """One confirmed quality defect: closed within days, or (``evidence_overdue``) still waiting
    for the merchant's evidence long after its deadline."""
    complaint_id = ids.next_complaint()
    steps = [("received", 0, "buyer"), ("acknowledged", 0.1, "system"),
             ("merchant_notified", 1, "system")]  # fmt: skip
    if not evidence_overdue:
        steps += [
            ("merchant_evidence_submitted", 10, "merchant"),
            ("classified", 12, "agent"),
            ("remedy_proposed", 14, "merchant"),
            ("remedy_accepted", 16, "buyer"),
            ("remedy_executed", 30, "system"),
            ("closed", 40, "agent"),
        ]
    for event, hours, actor in steps:
        events.append([complaint_id, event, _local(received + timedelta(hours=hours)), actor, None])
    updated = received + timedelta(hours=steps[-1][1])
    complaints.append(
        [complaint_id, order_id, sku, MERCHANT, "app",
         received.strftime("%Y-%m-%dT%H:%M:%S+08:00"), "quality_defect", "merchant",
         None if evidence_overdue else "repair", 0, 0,
         "awaiting_merchant" if evidence_overdue else "closed", None,
         f"收到的{SKUS[sku][1]}用了两天就坏了，要求维修", 2, "13900000000",
         updated.strftime("%Y-%m-%dT%H:%M:%S+08:00")]
    )  # fmt: skip
