"""Order volume over time: weekly rhythm, slow growth, promotion peaks (6.18, 11.11, 12.12).

Promotions change how many lines are ordered, never how likely a line is to be defective.
"""

from __future__ import annotations

import numpy as np

# Monday..Sunday
DAY_OF_WEEK = np.array([0.95, 0.92, 0.93, 0.97, 1.05, 1.12, 1.06])
HOUR_OF_DAY = np.array(
    [
        3,
        1.5,
        0.8,
        0.5,
        0.4,
        0.5,
        1.2,
        2.5,
        4,
        5.5,
        6.5,
        6,
        5.5,
        5,
        5,
        5,
        5,
        5,
        5.5,
        6.5,
        8,
        9,
        8.5,
        5.5,
    ]
)
HOUR_OF_DAY = HOUR_OF_DAY / HOUR_OF_DAY.sum()

# (month, day) -> multiplier on that day
PROMOTION_DAYS: dict[tuple[int, int], float] = {
    (11, 11): 7.0,
    (11, 10): 2.0,
    (6, 18): 5.0,
    (6, 17): 1.6,
    (12, 12): 3.0,
    (1, 1): 1.3,
}
PRESALE = {11: range(1, 10), 6: range(1, 17)}  # warm-up days before the big promotions
SPRING_FESTIVAL = np.datetime64("2026-02-17")


def day_weights(start: np.datetime64, weeks: int) -> np.ndarray:
    """Relative order volume of each day of the period."""
    days = start + np.arange(weeks * 7).astype("timedelta64[D]")
    months = days.astype("datetime64[M]")
    month = (months.astype(int) % 12) + 1
    dom = (days - months).astype(int) + 1
    weekday = (days.astype(int) + 3) % 7  # 1970-01-01 was a Thursday
    w = DAY_OF_WEEK[weekday] * (1.0 + 0.25 * np.arange(len(days)) / max(len(days), 1))
    for (m, d), mult in PROMOTION_DAYS.items():
        w[(month == m) & (dom == d)] *= mult
    for m, rng_days in PRESALE.items():
        w[(month == m) & np.isin(dom, list(rng_days))] *= 1.3
    gap = np.abs((days - SPRING_FESTIVAL).astype(int))
    w[gap <= 7] *= 0.45
    return w


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Integer counts proportional to weights that sum exactly to ``total`` (largest remainder)."""
    raw = total * weights / weights.sum()
    counts = np.floor(raw).astype(np.int64)
    short = int(total - counts.sum())
    if short > 0:
        counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return counts
