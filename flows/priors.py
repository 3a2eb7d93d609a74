"""Empirical-Bayes priors for the rankings: a beta-binomial fitted by maximum likelihood.

The data contract ranks merchants by a shrunk defect rate whose beta prior is fitted by maximum
likelihood over a category's merchants at or above the minimum volume, falling back to the
platform-wide prior when a category has too few of them. DuckDB has no digamma and no optimiser,
so the fit runs here, called by the dbt Python model ``int_grade_priors_fitted``.

The prior is parametrised by its mean ``mu`` and strength ``s = alpha + beta`` (the number of
order lines it weighs like). ``s`` is kept within [floor, cap]: the floor stops a noisy category
from getting no shrinkage at all (docs/decisions.md), the cap (the fitted merchants' own lines)
bounds the fit when the data show no spread between merchants (the likelihood then rises towards
an infinitely strong prior).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar
from scipy.special import betaln, polygamma, psi

# Tolerances of the nested one-dimensional searches (mean, then log strength); Newton's method
# on the score equations then refines the interior optimum to machine precision (the likelihood
# is too flat in the strength for a search on its values alone to get beyond ~1e-5).
_MU_TOL = 1e-10
_LOG_S_TOL = 1e-6
_NEWTON_STEPS = 50


@dataclass(frozen=True)
class Prior:
    """A fitted beta prior."""

    alpha: float
    beta: float
    n_merchants: int

    @property
    def strength(self) -> float:
        return self.alpha + self.beta


def log_likelihood(mu: float, strength: float, k: np.ndarray, n: np.ndarray) -> float:
    """Beta-binomial log-likelihood of k defects out of n lines (binomial constants dropped)."""
    a, b = mu * strength, (1.0 - mu) * strength
    return float(np.sum(betaln(k + a, n - k + b) - betaln(a, b)))


def _best_mean(strength: float, k: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    found = minimize_scalar(
        lambda mu: -log_likelihood(mu, strength, k, n),
        bounds=(1e-12, 1.0 - 1e-12),
        method="bounded",
        options={"xatol": _MU_TOL, "maxiter": 500},
    )
    return float(found.x), -float(found.fun)


def fit_beta_binomial(
    k: np.ndarray, n: np.ndarray, floor: float, cap: float | None = None
) -> Prior:
    """Maximum-likelihood beta prior of the rates k / n, its strength kept within [floor, cap].

    ``cap`` defaults to the total lines. With no defect at all (or all lines defective) the mean
    is 0 (or 1) and the strength the cap: there is no spread to measure.
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    if len(k) == 0 or n.sum() <= 0:
        raise ValueError("a prior needs at least one merchant with order lines")
    cap = float(n.sum()) if cap is None else float(cap)
    cap = max(cap, floor)
    if k.sum() == 0 or k.sum() == n.sum():
        mu = 0.0 if k.sum() == 0 else 1.0
        return Prior(alpha=mu * cap, beta=(1.0 - mu) * cap, n_merchants=len(k))
    if cap <= floor:
        mu, _ = _best_mean(floor, k, n)
        return Prior(alpha=mu * floor, beta=(1.0 - mu) * floor, n_merchants=len(k))
    found = minimize_scalar(
        lambda log_s: -_best_mean(math.exp(log_s), k, n)[1],
        bounds=(math.log(floor), math.log(cap)),
        method="bounded",
        options={"xatol": _LOG_S_TOL, "maxiter": 500},
    )
    strength = math.exp(float(found.x))
    mu, _ = _best_mean(strength, k, n)
    a, b = _newton(mu * strength, (1.0 - mu) * strength, k, n)
    if floor < a + b < cap:
        return Prior(alpha=a, beta=b, n_merchants=len(k))
    # The optimum lies on a bound of the strength: the best mean at that bound.
    best = max((floor, cap), key=lambda bound: _best_mean(bound, k, n)[1])
    mu, _ = _best_mean(best, k, n)
    return Prior(alpha=mu * best, beta=(1.0 - mu) * best, n_merchants=len(k))


def _newton(a: float, b: float, k: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Newton's method on the score equations of (alpha, beta), halving steps that do not help."""
    current = log_likelihood(a / (a + b), a + b, k, n)
    for _ in range(_NEWTON_STEPS):
        ab = a + b
        common = psi(ab) - psi(n + ab)
        grad = np.array(
            [np.sum(psi(k + a) - psi(a) + common), np.sum(psi(n - k + b) - psi(b) + common)]
        )
        off = np.sum(polygamma(1, ab) - polygamma(1, n + ab))
        hess = np.array(
            [
                [np.sum(polygamma(1, k + a) - polygamma(1, a)) + off, off],
                [off, np.sum(polygamma(1, n - k + b) - polygamma(1, b)) + off],
            ]
        )
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            break
        if abs(step[0]) / a + abs(step[1]) / b < 1e-3:
            # Near the optimum the likelihood is flat to rounding: take the full step.
            na, nb = a - step[0], b - step[1]
            if na <= 0 or nb <= 0:
                break
            a, b = na, nb
            if abs(step[0]) / a + abs(step[1]) / b < 1e-15:
                break
            continue
        scale = 1.0
        while scale > 1e-6:
            na, nb = a - scale * step[0], b - scale * step[1]
            if na > 0 and nb > 0:
                value = log_likelihood(na / (na + nb), na + nb, k, n)
                if value >= current:
                    break
            scale /= 2
        else:
            break
        a, b, current = na, nb, value
    return a, b


def to_pandas(relation) -> pd.DataFrame:
    """A dbt Python model's input as pandas: a DuckDB relation (``.df()``) on the DuckDB target,
    a Spark DataFrame (``.toPandas()``) on the Spark target (docs/spark.md)."""
    return relation.toPandas() if hasattr(relation, "toPandas") else relation.df()


def fit_window_priors(
    windows: pd.DataFrame, min_volume: int, min_merchants: int, floor: float
) -> pd.DataFrame:
    """One prior per (window_end_week, category) of ``windows``.

    ``windows`` has window_end_week, category, order_lines, defect_lines (one row per ranked
    entity, a merchant or a SKU, and window). Each category is fitted over its entities with at
    least ``min_volume`` lines when it has ``min_merchants`` of them, else it takes the platform
    prior fitted over all such entities of the window. A window without any such entity gets no
    prior (nobody is ranked there). Merchants and SKUs are fitted by this one function.
    """
    # Sorted by value first: a fit sums its rows, and the engine hands them over in whatever order
    # its parallel scan left them; in one fixed order two builds of the same data fit the same prior
    # to the last digit, on DuckDB and on Spark alike.
    windows = windows.sort_values(
        ["window_end_week", "order_lines", "defect_lines"], kind="mergesort", ignore_index=True
    )
    rows = []
    for end_week, window in windows.groupby("window_end_week", sort=True):
        eligible = window[window["order_lines"] >= min_volume]
        if eligible.empty:
            continue
        platform = fit_beta_binomial(
            eligible["defect_lines"].to_numpy(), eligible["order_lines"].to_numpy(), floor
        )
        categories = window["category"].drop_duplicates().sort_values(na_position="last")
        for category in categories:
            own = eligible[_same_category(eligible["category"], category)]
            if len(own) >= min_merchants:
                prior = fit_beta_binomial(
                    own["defect_lines"].to_numpy(), own["order_lines"].to_numpy(), floor
                )
                source = "category"
            else:
                prior, source = platform, "platform"
            rows.append(
                {
                    "window_end_week": end_week,
                    "category": None if pd.isna(category) else category,
                    "prior_alpha": prior.alpha,
                    "prior_beta": prior.beta,
                    "prior_strength": prior.strength,
                    "prior_source": source,
                    "n_merchants_fitted": prior.n_merchants,
                }
            )
    columns = [
        "window_end_week",
        "category",
        "prior_alpha",
        "prior_beta",
        "prior_strength",
        "prior_source",
        "n_merchants_fitted",
    ]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype(
        {
            "window_end_week": "datetime64[us]",
            "category": object,
            "prior_alpha": float,
            "prior_beta": float,
            "prior_strength": float,
            "prior_source": object,
            "n_merchants_fitted": "int64",
        }
    )


def _same_category(values: pd.Series, category) -> pd.Series:
    return values.isna() if pd.isna(category) else values == category
