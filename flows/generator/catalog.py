"""Merchants and SKUs: heavy-tailed shop sizes, Chinese names, latent defect propensities."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from flows.generator.vocabulary import CATEGORIES, SHOP_PREFIXES, SHOP_SUFFIXES

CATEGORY_NAMES = tuple(CATEGORIES)


@dataclass
class Catalog:
    """Master data plus the latent traits that drive orders and complaints."""

    merchants: pd.DataFrame  # contract columns
    skus: pd.DataFrame  # contract columns
    merchant_share: np.ndarray  # share of order lines per merchant
    merchant_slow: np.ndarray  # bool: systematically slow evidence
    merchant_ship_hours: np.ndarray  # median hours from order to shipment
    sku_merchant: np.ndarray  # merchant index per SKU (SKUs sorted by merchant)
    sku_share: np.ndarray  # share of order lines per SKU (sums to 1)
    sku_price: np.ndarray
    sku_category: np.ndarray  # index into CATEGORY_NAMES
    sku_propensity: np.ndarray  # base probability that a line draws a defect complaint
    sku_hot: np.ndarray  # bool: hit products with a large, steady share of the volume
    merchant_sku_start: np.ndarray  # first SKU index of each merchant
    merchant_sku_end: np.ndarray  # one past the last SKU index

    @property
    def n_skus(self) -> int:
        return len(self.sku_share)


def build_catalog(rng: np.random.Generator, n_merchants: int, start_day: np.datetime64) -> Catalog:
    """Merchants with Pareto sizes, 3–120 SKUs each, and per-SKU latent propensity."""
    size = rng.pareto(1.1, n_merchants) + 1.0
    merchant_share = size / size.sum()
    main_cat = rng.integers(0, len(CATEGORY_NAMES), n_merchants)
    quality = rng.lognormal(0.0, 0.45, n_merchants)
    slow = rng.random(n_merchants) < 0.08
    if n_merchants >= 5 and not slow.any():
        slow[rng.integers(0, n_merchants)] = True
    ship_hours = rng.uniform(8.0, 36.0, n_merchants)

    rel = (size / np.median(size)) ** 0.35
    n_skus = np.clip(np.round(rng.lognormal(2.4, 0.5, n_merchants) * rel), 3, 120).astype(int)

    names, seen = [], set()
    for i in range(n_merchants):
        prefix = SHOP_PREFIXES[i % len(SHOP_PREFIXES)]
        brand = CATEGORIES[CATEGORY_NAMES[main_cat[i]]]["brands"][rng.integers(0, 6)]
        name = f"{brand}{prefix}{SHOP_SUFFIXES[rng.integers(0, len(SHOP_SUFFIXES))]}"
        while name in seen:
            name = f"{name[:-1]}{rng.integers(2, 9)}店"
        seen.add(name)
        names.append(name)
    onboard_days = rng.integers(60, 3000, n_merchants)
    onboarded = start_day - onboard_days.astype("timedelta64[D]")
    merchants = pd.DataFrame(
        {
            "merchant_id": [f"M{i + 1:05d}" for i in range(n_merchants)],
            "merchant_name": names,
            "category": [CATEGORY_NAMES[c] for c in main_cat],
            "onboarded_on": np.datetime_as_string(onboarded, unit="D"),
        }
    )

    sku_merchant = np.repeat(np.arange(n_merchants), n_skus)
    total = len(sku_merchant)
    own = rng.random(total) < 0.85
    sku_cat = np.where(own, main_cat[sku_merchant], rng.integers(0, len(CATEGORY_NAMES), total))
    within = rng.lognormal(0.0, 1.1, total)
    within_sum = np.bincount(sku_merchant, weights=within)
    sku_share = merchant_share[sku_merchant] * within / within_sum[sku_merchant]
    sku_share = sku_share / sku_share.sum()
    # a few hit products (爆款) carry a large share of the volume, as on real marketplaces
    n_hot = int(min(np.clip(round(total / 150), 4, 10), total))
    hot = rng.choice(total, n_hot, replace=False, p=sku_share)
    hot_share = rng.uniform(0.03, 0.045, n_hot)
    sku_share = sku_share * (1.0 - hot_share.sum()) / (1.0 - sku_share[hot].sum())
    sku_share[hot] = hot_share
    sku_hot = np.zeros(total, dtype=bool)
    sku_hot[hot] = True
    merchant_share = np.bincount(sku_merchant, weights=sku_share, minlength=n_merchants)

    base = np.array([CATEGORIES[c]["base"] for c in CATEGORY_NAMES])[sku_cat]
    propensity = base * quality[sku_merchant] * rng.lognormal(0.0, 0.5, total)
    propensity = np.clip(propensity, 0.0005, 0.06)
    propensity[hot] = np.maximum(propensity[hot], rng.uniform(0.010, 0.016, n_hot))
    mu = np.array([CATEGORIES[c]["price"][0] for c in CATEGORY_NAMES])[sku_cat]
    sd = np.array([CATEGORIES[c]["price"][1] for c in CATEGORY_NAMES])[sku_cat]
    price = np.round(np.exp(mu + sd * rng.standard_normal(total)), 1) + 0.9

    sku_rows = []
    for j in range(total):
        cat = CATEGORIES[CATEGORY_NAMES[sku_cat[j]]]
        l2_names = list(cat["l2"])
        l2 = l2_names[rng.integers(0, len(l2_names))]
        specs = cat["l2"][l2]
        brand = cat["brands"][rng.integers(0, len(cat["brands"]))]
        spec = specs[rng.integers(0, len(specs))]
        model = f"{chr(65 + rng.integers(0, 26))}{rng.integers(1, 99)}"
        sku_rows.append((brand, f"{brand} {spec}{l2} {model}", CATEGORY_NAMES[sku_cat[j]], l2))
    skus = pd.DataFrame(
        {
            "sku_id": [f"SKU{j + 1:06d}" for j in range(total)],
            "merchant_id": merchants["merchant_id"].to_numpy()[sku_merchant],
            "sku_name": [row[1] for row in sku_rows],
            "category_l1": [row[2] for row in sku_rows],
            "category_l2": [row[3] for row in sku_rows],
            "brand": [row[0] for row in sku_rows],
        }
    )
    ends = np.cumsum(n_skus)
    return Catalog(
        merchants=merchants,
        skus=skus,
        merchant_share=merchant_share,
        merchant_slow=slow,
        merchant_ship_hours=ship_hours,
        sku_merchant=sku_merchant,
        sku_share=sku_share,
        sku_price=price,
        sku_category=sku_cat,
        sku_propensity=propensity,
        sku_hot=sku_hot,
        merchant_sku_start=ends - n_skus,
        merchant_sku_end=ends,
    )
