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
from scipy.special import betaln, psi, zeta

# Tolerances of the nested one-dimensional searches (mean, then log strength); Newton's method
# on the score equations then refines the interior optimum to machine precision (the likelihood
# is too flat in the strength for a search on its values alone to get beyond ~1e-5).
_MU_TOL = 1e-10
_LOG_S_TOL = 1e-6
_NEWTON_STEPS = 50


def _trigamma(x):
    """polygamma(1, x) without its wrapper's overhead (the fit calls it thousands of times)."""
    return zeta(2.0, x)


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

    Newton's method over the distinct (k, n) pairs (many entities share them) from a
    method-of-moments start finds the optimum; an optimum beyond a bound of the strength takes
    the best mean at that bound by the one search over the rows the nested searches
    (``_fit_by_search``) end with, so both give the same answer; the nested searches themselves
    run only when Newton's method does not settle (docs/decisions.md, "The prior fit").
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
    pairs = _Pairs.of(k, n)
    found = _fast_newton(pairs, floor, cap)
    if found is None:
        return _fit_by_search(k, n, floor, cap)
    a, b = found
    if floor < a + b < cap:
        return Prior(alpha=a, beta=b, n_merchants=len(k))
    bound = cap if a + b >= cap else floor
    mu, _ = _best_mean(bound, k, n)
    # The likelihood must still rise towards the bound there, or the optimum is not beyond it.
    slope = pairs.strength_slope(mu * bound, (1.0 - mu) * bound)
    if slope >= 0 if bound == cap else slope <= 0:
        return Prior(alpha=mu * bound, beta=(1.0 - mu) * bound, n_merchants=len(k))
    return _fit_by_search(k, n, floor, cap)


def _fit_by_search(k: np.ndarray, n: np.ndarray, floor: float, cap: float) -> Prior:
    """Nested bounded searches (the best mean inside a search of the log strength), then
    Newton's method: slow, but needing no good start; the fallback of ``fit_beta_binomial``."""
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


@dataclass(frozen=True)
class _Pairs:
    """A fit's data as its distinct (k, n) pairs and how many entities have each (sorted, so
    independent of the rows' order)."""

    k: np.ndarray
    n: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, k: np.ndarray, n: np.ndarray) -> _Pairs:
        top = float(n.max()) + 1.0
        if (
            top * top < 2.0**53
            and np.array_equal(n, np.round(n))
            and np.array_equal(k, np.round(k))
        ):
            # Whole counts: one exact number per pair sorts faster than rows of two.
            keys, count = np.unique(n * top + k, return_counts=True)
            pair_n = np.floor(keys / top)
            return cls(k=keys - pair_n * top, n=pair_n, count=count.astype(float))
        pairs, count = np.unique(np.stack([n, k], axis=1), axis=0, return_counts=True)
        return cls(k=pairs[:, 1], n=pairs[:, 0], count=count.astype(float))

    def log_likelihood(self, a: float, b: float) -> float:
        return float(self.count @ (betaln(self.k + a, self.n - self.k + b) - betaln(a, b)))

    def score_and_hessian(self, a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
        """Gradient and Hessian of the log-likelihood in (alpha, beta)."""
        s = a + b
        common = psi(s) - psi(self.n + s)
        grad = np.array(
            [
                self.count @ (psi(self.k + a) - psi(a) + common),
                self.count @ (psi(self.n - self.k + b) - psi(b) + common),
            ]
        )
        off = self.count @ (_trigamma(s) - _trigamma(self.n + s))
        hess = np.array(
            [
                [self.count @ (_trigamma(self.k + a) - _trigamma(a)) + off, off],
                [off, self.count @ (_trigamma(self.n - self.k + b) - _trigamma(b)) + off],
            ]
        )
        return grad, hess

    def strength_slope(self, a: float, b: float) -> float:
        """d log-likelihood / d strength at a fixed mean."""
        grad, _ = self.score_and_hessian(a, b)
        return float((a * grad[0] + b * grad[1]) / (a + b))

    def start(self, cap: float) -> tuple[float, float]:
        """Method of moments: the spread of the rates beyond the binomial's gives the strength."""
        rows = self.count.sum()
        mu = float(self.count @ self.k / (self.count @ self.n))
        rates = self.k / self.n
        spread = float(self.count @ (rates - self.count @ rates / rows) ** 2 / rows)
        inverse_n = float(self.count @ (1.0 / self.n) / rows)
        excess = spread / (mu * (1.0 - mu)) - inverse_n
        rho = excess / (1.0 - inverse_n) if inverse_n < 1.0 else 0.0
        strength = 1.0 / rho - 1.0 if 0.0 < rho < 1.0 else cap
        strength = min(max(strength, 1e-2), cap)
        return mu * strength, (1.0 - mu) * strength


# Newton's method in (logit mean, log strength): at most this many steps, each at most this long.
_FAST_STEPS = 100
_LONGEST_STEP = 2.0
# A Newton step of this relative size or less that does not shrink is rounding, not progress.
_ROUNDING_STEP = 1e-4


def _fast_newton(pairs: _Pairs, floor: float, cap: float) -> tuple[float, float] | None:
    """The likelihood's maximum by Newton's method in (logit mean, log strength), where the two
    are nearly independent, with a line search, then polished in (alpha, beta) as ``_newton``
    ends; None when it does not settle.

    A strength at or beyond the cap with the likelihood still rising in it (no spread: the
    likelihood rises towards an infinitely strong prior), or at or below the floor and falling,
    is returned as it is: the optimum then lies beyond that bound (the caller checks at the
    bound)."""
    a, b = pairs.start(cap)
    x = np.array([math.log(a / b), math.log(a + b)])
    current = pairs.log_likelihood(a, b)
    for _ in range(_FAST_STEPS):
        mu, strength = 1.0 / (1.0 + math.exp(-x[0])), math.exp(x[1])
        a, b = mu * strength, (1.0 - mu) * strength
        grad, hess = pairs.score_and_hessian(a, b)
        # The chain rule from (alpha, beta) to (u, v) = (logit mu, log s).
        spread = strength * mu * (1.0 - mu)
        jac = np.array([[spread, a], [-spread, b]])
        g = jac.T @ grad
        diff = grad[0] - grad[1]
        h = jac.T @ hess @ jac + np.array(
            [
                [spread * (1.0 - 2.0 * mu) * diff, spread * diff],
                [spread * diff, a * grad[0] + b * grad[1]],
            ]
        )
        if (strength >= cap and g[1] > 0) or (strength <= floor and g[1] < 0):
            return a, b
        values, vectors = np.linalg.eigh(h)
        concave = bool(np.all(values < 0))
        # Where the likelihood is not concave, Newton's step with the curvatures' signs turned
        # (a step uphill along every axis of the Hessian).
        curvature = np.maximum(np.abs(values), 1e-12 * float(np.max(np.abs(values))) + 1e-300)
        step = vectors @ ((vectors.T @ g) / curvature)
        longest = float(np.max(np.abs(step)))
        if not math.isfinite(longest):
            return None
        if longest > _LONGEST_STEP:
            step *= _LONGEST_STEP / longest
        if concave and longest < 1e-6:
            return _polish(pairs, a, b)
        scale = 1.0
        while scale > 1e-6:
            trial = x + scale * step
            t_mu, t_strength = 1.0 / (1.0 + math.exp(-trial[0])), math.exp(trial[1])
            value = pairs.log_likelihood(t_mu * t_strength, (1.0 - t_mu) * t_strength)
            if value > current:
                break
            scale /= 2
        else:
            # No step gains beyond rounding: the likelihood is flat here, so near its optimum
            # if concave (the score then still finds it), else lost.
            return _polish(pairs, a, b) if concave else None
        x, current = trial, value
    return None


def _polish(pairs: _Pairs, a: float, b: float) -> tuple[float, float] | None:
    """Full Newton steps in (alpha, beta) to machine precision, as ``_newton`` ends; None if
    they leave the positive quadrant or do not settle."""
    previous = math.inf
    for _ in range(_NEWTON_STEPS):
        grad, hess = pairs.score_and_hessian(a, b)
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            return None
        na, nb = a - step[0], b - step[1]
        if not (na > 0 and nb > 0):
            return None
        size = abs(step[0]) / na + abs(step[1]) / nb
        if size >= previous and size < _ROUNDING_STEP:
            # The steps stopped shrinking: down to the rounding of the score, where the
            # likelihood is flat in the strength and further steps only wander along it.
            return a, b
        a, b, previous = na, nb, size
        if size < 1e-15:
            return a, b
    return None


def _newton(a: float, b: float, k: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Newton's method on the score equations of (alpha, beta), halving steps that do not help."""
    current = log_likelihood(a / (a + b), a + b, k, n)
    for _ in range(_NEWTON_STEPS):
        ab = a + b
        common = psi(ab) - psi(n + ab)
        grad = np.array(
            [np.sum(psi(k + a) - psi(a) + common), np.sum(psi(n - k + b) - psi(b) + common)]
        )
        off = np.sum(_trigamma(ab) - _trigamma(n + ab))
        hess = np.array(
            [
                [np.sum(_trigamma(k + a) - _trigamma(a)) + off, off],
                [off, np.sum(_trigamma(n - k + b) - _trigamma(b)) + off],
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


# The columns of a grading window table the fit reads.
WINDOW_COLUMNS = ["window_end_week", "category", "order_lines", "defect_lines"]


def to_pandas(relation, columns: list[str] | None = None) -> pd.DataFrame:
    """A dbt Python model's input as pandas: a DuckDB relation (``.df()``) on the DuckDB target,
    a Spark DataFrame (``.toPandas()``) on the Spark target (docs/spark.md); only ``columns``
    when given, chosen by the engine before anything is converted."""
    if hasattr(relation, "toPandas"):
        return (relation.select(*columns) if columns else relation).toPandas()
    return (relation.project(", ".join(columns)) if columns else relation).df()


# What one fit gives each (window, category), before its entity count.
_FITTED_COLUMNS = [
    "window_end_week",
    "category",
    "prior_alpha",
    "prior_beta",
    "prior_strength",
    "prior_source",
]


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
    out = pd.DataFrame(rows, columns=[*_FITTED_COLUMNS, "n_merchants_fitted"])
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


# What a priors table keeps of each window besides its priors (int_*_priors_fitted).
FINGERPRINT_COLUMNS = ["window_rows", "window_fingerprint"]


def refit_changed_windows(
    dbt,
    session,
    windows,
    fingerprints,
    *,
    min_volume: int,
    min_merchants: int,
    floor: float,
    count_column: str = "n_merchants_fitted",
) -> pd.DataFrame:
    """The body of the priors' dbt Python models: refit only the grading windows of ``windows``
    (a grading window table's relation) whose rows changed since the model's table was built
    (docs/incremental.md, "Priors refitted by window").

    On an incremental DuckDB build (``fingerprints``' incremental_since set) a window is kept
    when ``fingerprints`` (rows and an order-independent hash per window_end_week,
    macros/prior_refits.sql) matches what the previous table holds for it; only the other
    windows' rows are read and fitted, and the result is the whole table, kept windows and
    refitted ones (dbt replaces the previous table only after the model ran). A full build, and
    every Spark build (dbt-spark drops a table before its Python model runs), fits every window.
    Each row carries its window's fingerprint and ``fitted_since``: the incremental_since of the
    build that fitted it (null: a full build). The models pass their config: dbt hands a Python
    model only the config keys its own code reads.
    """
    current = to_pandas(fingerprints)
    current["window_end_week"] = _weeks(current["window_end_week"])
    since = current.pop("incremental_since")
    since = since.iloc[0] if len(since) and pd.notna(since.iloc[0]) else None
    spark = hasattr(session, "sparkContext")
    previous = _previous_priors(dbt, session) if since and not spark else None
    if previous is None:
        kept = previous = pd.DataFrame(columns=[*_PRIOR_COLUMNS, count_column])
        refit, since = current, None
    else:
        previous["window_end_week"] = _weeks(previous["window_end_week"])
        same = current.merge(
            previous[["window_end_week", *FINGERPRINT_COLUMNS]].drop_duplicates(),
            on=["window_end_week", *FINGERPRINT_COLUMNS],
        )["window_end_week"]
        kept = previous[previous["window_end_week"].isin(same)]
        refit = current[~current["window_end_week"].isin(same)]
    if refit.empty:
        rows = pd.DataFrame(columns=WINDOW_COLUMNS)
    elif len(refit) == len(current):
        rows = to_pandas(windows, WINDOW_COLUMNS)
    else:
        days = ", ".join(f"date '{week:%Y-%m-%d}'" for week in refit["window_end_week"])
        rows = to_pandas(windows.filter(f"window_end_week in ({days})"), WINDOW_COLUMNS)
    fitted = fit_window_priors(rows, min_volume, min_merchants, floor)
    fitted = fitted.rename(columns={"n_merchants_fitted": count_column})
    fitted = fitted.merge(refit, on="window_end_week", how="left")
    fitted["fitted_since"] = pd.Series([since] * len(fitted), dtype=object)
    fitted["fitted_since"] = pd.to_datetime(fitted["fitted_since"], utc=True)
    if not kept.empty:
        fitted = pd.concat([kept[fitted.columns], fitted], ignore_index=True)
        fitted = fitted.sort_values(["window_end_week", "category"], ignore_index=True)
    return fitted.astype(
        {
            "window_end_week": "datetime64[us]",
            count_column: "int64",
            "window_rows": "int64",
            "window_fingerprint": "int64",
        }
    )


_PRIOR_COLUMNS = [*_FITTED_COLUMNS, *FINGERPRINT_COLUMNS, "fitted_since"]


def _previous_priors(dbt, session) -> pd.DataFrame | None:
    """The model's table as the previous build left it (DuckDB keeps it in place until the new
    one replaces it), or None when there is none."""
    try:
        return to_pandas(session.sql(f"select * from {dbt.this}"))
    except Exception as missing:  # the first build since the table was dropped or renamed
        if "does not exist" in str(missing):
            return None
        raise


def _weeks(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).astype("datetime64[us]")
