"""Order lines of one week, vectorised: several lines per order, one shop per order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flows.generator.catalog import Catalog
from flows.generator.vocabulary import CARRIERS, PROVINCES, REMOTE_PROVINCES
from flows.generator.volume import HOUR_OF_DAY

ORDER_ID_BASE = 310_000_000_000_000_000  # 18-digit numeric order numbers, like real platforms
LINES_PER_ORDER = np.array([0.72, 0.18, 0.07, 0.03])
PROVINCE_NAMES = np.array(list(PROVINCES))
PROVINCE_P = np.array(list(PROVINCES.values())) / sum(PROVINCES.values())
CARRIER_NAMES = np.array(list(CARRIERS))
CARRIER_P = np.array([v[0] for v in CARRIERS.values()])
CARRIER_P = CARRIER_P / CARRIER_P.sum()
CARRIER_HOURS = np.array([v[1] for v in CARRIERS.values()])
REMOTE = np.isin(PROVINCE_NAMES, list(REMOTE_PROVINCES))
HOUR = 3600


@dataclass
class OrderLines:
    """Columns of a week's order lines; timestamps are local seconds, -1 = not yet happened."""

    order_num: np.ndarray
    sku: np.ndarray
    quantity: np.ndarray
    paid: np.ndarray
    ordered: np.ndarray
    shipped: np.ndarray
    delivered: np.ndarray
    buyer: np.ndarray
    province: np.ndarray
    carrier: np.ndarray

    def __len__(self) -> int:
        return len(self.sku)


def week_order_lines(
    rng: np.random.Generator,
    catalog: Catalog,
    week: int,
    n_lines: int,
    week_start_s: int,
    day_w: np.ndarray,
    promo_day: np.ndarray,
    as_of_s: int,
    n_buyers: int,
    part: int = 0,
) -> OrderLines:
    """About ``n_lines`` lines (exact unless an order drew one SKU twice) ordered in the week."""
    target = n_lines
    n_lines = int(n_lines * 1.3) + 20  # room for repeated draws, trimmed back to target below
    n_orders = int(n_lines / 1.41 * 1.1) + 8
    sizes = rng.choice(4, n_orders, p=LINES_PER_ORDER) + 1
    ends = np.cumsum(sizes)
    n_orders = int(np.searchsorted(ends, n_lines, side="left")) + 1
    sizes = sizes[:n_orders]
    sizes[-1] -= int(ends[n_orders - 1] - n_lines)
    order_of_line = np.repeat(np.arange(n_orders), sizes)
    first = np.r_[0, np.cumsum(sizes)[:-1]]

    cum = np.cumsum(catalog.sku_share)
    first_sku = np.minimum(np.searchsorted(cum, rng.random(n_orders) * cum[-1]), catalog.n_skus - 1)
    merchant = catalog.sku_merchant[first_sku][order_of_line]
    lo = np.where(catalog.merchant_sku_start > 0, cum[catalog.merchant_sku_start - 1], 0.0)[
        merchant
    ]
    hi = cum[catalog.merchant_sku_end - 1][merchant]
    sku = np.searchsorted(cum, lo + rng.random(len(merchant)) * (hi - lo), side="right")
    sku = np.clip(sku, catalog.merchant_sku_start[merchant], catalog.merchant_sku_end[merchant] - 1)
    sku[first] = first_sku

    day = rng.choice(7, n_orders, p=day_w / day_w.sum())
    secs = rng.integers(0, HOUR, n_orders)
    hour = rng.choice(24, n_orders, p=HOUR_OF_DAY)
    ordered_o = week_start_s + day * 86400 + hour * HOUR + secs
    on_promo = promo_day[day]
    province_o = rng.choice(len(PROVINCE_NAMES), n_orders, p=PROVINCE_P)
    carrier_o = rng.choice(len(CARRIER_NAMES), n_orders, p=CARRIER_P)
    buyer_o = np.floor(n_buyers * rng.random(n_orders) ** 1.6).astype(np.int64)

    # unique (order, sku): drop repeated draws of one SKU within an order
    key = order_of_line.astype(np.int64) * (catalog.n_skus + 1) + sku
    _, keep = np.unique(key, return_index=True)
    keep = np.sort(keep)[:target]
    order_of_line, sku, merchant = order_of_line[keep], sku[keep], merchant[keep]
    n = len(sku)

    quantity = np.where(rng.random(n) < 0.86, 1, rng.integers(2, 6, n))
    discount = np.where(
        on_promo[order_of_line], rng.uniform(0.72, 0.9, n), rng.uniform(0.9, 1.0, n)
    )
    paid = np.round(catalog.sku_price[sku] * quantity * discount, 2)
    free = rng.random(n) < 0.003  # gifts and full coupons
    paid[free] = 0.0

    ordered = ordered_o[order_of_line]
    ship_med = catalog.merchant_ship_hours[catalog.sku_merchant[sku]]
    ship_o = rng.lognormal(0.0, 0.5, n_orders)
    shipped = ordered + (ship_med * ship_o[order_of_line] * HOUR).astype(np.int64)
    carrier = carrier_o[order_of_line]
    province = province_o[order_of_line]
    transit = CARRIER_HOURS[carrier] * np.where(REMOTE[province], 2.0, 1.0)
    transit_o = rng.lognormal(0.0, 0.35, n_orders)[order_of_line]
    delivered = shipped + (transit * transit_o * HOUR).astype(np.int64)
    cancelled = rng.random(n_orders)[order_of_line] < 0.01  # paid, never shipped (refunded)
    shipped = np.where(cancelled | (shipped > as_of_s), -1, shipped)
    delivered = np.where((shipped < 0) | (delivered > as_of_s), -1, delivered)

    return OrderLines(
        order_num=ORDER_ID_BASE
        + week * 10_000_000_000
        + part * 100_000_000
        + order_of_line * 7
        + 3,
        sku=sku,
        quantity=quantity.astype(np.int64),
        paid=paid,
        ordered=ordered,
        shipped=shipped,
        delivered=delivered,
        buyer=buyer_o[order_of_line],
        province=province,
        carrier=carrier,
    )
