"""An independent reading of the ranking prior (data contract, "Grades and rankings judge mature
data only"): scipy's beta-binomial maximised directly, no code shared with flows/priors.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.optimize import minimize, minimize_scalar, root
from scipy.special import betaln, digamma, expit, logit, polygamma
from scipy.stats import betabinom


def scipy_fit(k: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Unconstrained maximum likelihood over (log alpha, log beta), Nelder-Mead."""

    def loss(x):
        return -betabinom.logpmf(k, n, np.exp(x[0]), np.exp(x[1])).sum()

    def score(x):
        # d loss / d log(alpha), d log(beta): the beta-binomial score equations.
        a, b = np.exp(x)
        common = digamma(a + b) - digamma(n + a + b)
        return -np.array(
            [
                a * np.sum(digamma(k + a) - digamma(a) + common),
                b * np.sum(digamma(n - k + b) - digamma(b) + common),
            ]
        )

    found = minimize(
        loss,
        [0.0, 3.0],
        method="Nelder-Mead",
        options={"xatol": 1e-13, "fatol": 1e-15, "maxiter": 50_000, "maxfev": 100_000},
    )
    # The likelihood is so flat along the strength that logpmf's rounding (~1e-10) stops the
    # simplex short of the optimum: polish its point by solving the score equations.
    polished = root(score, found.x, method="hybr")
    x = polished.x if polished.success else found.x
    alpha, beta = np.exp(x)
    return float(alpha), float(beta)


def bounded_fit(k: np.ndarray, n: np.ndarray, floor: float) -> tuple[float, float]:
    """Maximum likelihood with the strength alpha + beta kept within [floor, total lines]."""
    k, n = np.asarray(k, float), np.asarray(n, float)
    cap = max(float(n.sum()), floor)
    if k.sum() == 0:
        return 0.0, cap
    alpha, beta = scipy_fit(k, n)
    if floor <= alpha + beta <= cap:
        return alpha, beta
    # Outside the bounds: the best mean at the nearer bound of the strength.
    strength = floor if alpha + beta < floor else cap
    found = minimize(
        lambda x: (
            -betabinom.logpmf(k, n, expit(x[0]) * strength, (1 - expit(x[0])) * strength).sum()
        ),
        [logit(k.sum() / n.sum())],
        method="Nelder-Mead",
        options={"xatol": 1e-13, "fatol": 1e-15},
    )
    mu = float(expit(found.x[0]))
    return mu * strength, (1 - mu) * strength


def shrunk_ranks(
    entities: pd.DataFrame, key: str, min_volume: int, min_fitted: int, floor: float
) -> pd.DataFrame:
    """``entities`` (key, category, order_lines, defect_lines) of one window with the reference
    prior per category (own fit with ``min_fitted`` entities at the minimum volume, else the
    platform fit), the shrunk rate, and the category rank of the entities at the minimum volume."""
    eligible = entities[entities["order_lines"] >= min_volume]
    platform = bounded_fit(eligible["defect_lines"], eligible["order_lines"], floor)
    rows = []
    for category, group in entities.groupby("category", dropna=False):
        own = eligible[eligible["category"] == category]
        prior = (
            bounded_fit(own["defect_lines"], own["order_lines"], floor)
            if len(own) >= min_fitted
            else platform
        )
        rows.append(group.assign(prior_alpha=prior[0], prior_beta=prior[1]))
    out = pd.concat(rows, ignore_index=True)
    out["shrunk_defect_rate"] = (out["defect_lines"] + out["prior_alpha"]) / (
        out["order_lines"] + out["prior_alpha"] + out["prior_beta"]
    )
    ranked = out[out["order_lines"] >= min_volume].sort_values(
        ["shrunk_defect_rate", key], ascending=[False, True]
    )
    out["category_rank"] = ranked.groupby("category").cumcount().add(1).reindex(out.index)
    return out


# The nested searches the ranking prior was first fitted by (a bounded search of the mean inside
# one of the log strength, then Newton's method on the score equations): slow, but needing no
# starting point, so the reference the fast fit must reproduce.
_MU_TOL, _LOG_S_TOL, _NEWTON_STEPS = 1e-10, 1e-6, 50


def _log_likelihood(mu: float, strength: float, k: np.ndarray, n: np.ndarray) -> float:
    a, b = mu * strength, (1.0 - mu) * strength
    return float(np.sum(betaln(k + a, n - k + b) - betaln(a, b)))


def _best_mean(strength: float, k: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    found = minimize_scalar(
        lambda mu: -_log_likelihood(mu, strength, k, n),
        bounds=(1e-12, 1.0 - 1e-12),
        method="bounded",
        options={"xatol": _MU_TOL, "maxiter": 500},
    )
    return float(found.x), -float(found.fun)


def _score_newton(a: float, b: float, k: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    current = _log_likelihood(a / (a + b), a + b, k, n)
    for _ in range(_NEWTON_STEPS):
        grad, hess = _score_and_hessian(k, n, a, b)
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            break
        if abs(step[0]) / a + abs(step[1]) / b < 1e-3:
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
                value = _log_likelihood(na / (na + nb), na + nb, k, n)
                if value >= current:
                    break
            scale /= 2
        else:
            break
        a, b, current = na, nb, value
    return a, b


def searched_fit(k, n, floor: float) -> tuple[float, float]:
    """(alpha, beta) by the nested searches, the strength kept within [floor, total lines]."""
    k, n = np.asarray(k, float), np.asarray(n, float)
    cap = max(float(n.sum()), floor)
    if k.sum() == 0 or k.sum() == n.sum():
        mu = 0.0 if k.sum() == 0 else 1.0
        return mu * cap, (1.0 - mu) * cap
    if cap <= floor:
        mu, _ = _best_mean(floor, k, n)
        return mu * floor, (1.0 - mu) * floor
    found = minimize_scalar(
        lambda log_s: -_best_mean(math.exp(log_s), k, n)[1],
        bounds=(math.log(floor), math.log(cap)),
        method="bounded",
        options={"xatol": _LOG_S_TOL, "maxiter": 500},
    )
    strength = math.exp(float(found.x))
    mu, _ = _best_mean(strength, k, n)
    a, b = _score_newton(mu * strength, (1.0 - mu) * strength, k, n)
    if floor < a + b < cap:
        return a, b
    best = max((floor, cap), key=lambda bound: _best_mean(bound, k, n)[1])
    mu, _ = _best_mean(best, k, n)
    return mu * best, (1.0 - mu) * best


def _score_and_hessian(k, n, alpha: float, beta: float) -> tuple[np.ndarray, np.ndarray]:
    s = alpha + beta
    common = digamma(s) - digamma(n + s)
    grad = np.array(
        [
            np.sum(digamma(k + alpha) - digamma(alpha) + common),
            np.sum(digamma(n - k + beta) - digamma(beta) + common),
        ]
    )
    off = np.sum(polygamma(1, s) - polygamma(1, n + s))
    hess = np.array(
        [
            [np.sum(polygamma(1, k + alpha) - polygamma(1, alpha)) + off, off],
            [off, np.sum(polygamma(1, n - k + beta) - polygamma(1, beta)) + off],
        ]
    )
    return grad, hess


def newton_step(k, n, alpha: float, beta: float) -> float:
    """The relative size of a Newton step on the score equations from (alpha, beta): how far
    the point is from the likelihood's stationary point."""
    k, n = np.asarray(k, float), np.asarray(n, float)
    grad, hess = _score_and_hessian(k, n, alpha, beta)
    step = np.linalg.solve(hess, grad)
    return float(max(abs(step[0]) / alpha, abs(step[1]) / beta))


def root_resolution(k, n, alpha: float, beta: float) -> float:
    """How closely double precision pins the likelihood's stationary point (alpha, beta), relative:
    each score equation is a sum of digamma terms, each rounded to a few ulps of its size, and
    the inverse Hessian turns that rounding into a spread of the root. Where the likelihood is
    nearly flat in the strength this exceeds 1e-10, and two exact implementations can differ by
    as much."""
    k, n = np.asarray(k, float), np.asarray(n, float)
    s = alpha + beta
    eps = np.finfo(float).eps
    shared = np.abs(digamma(s)) + np.abs(digamma(n + s))
    rounding = (
        4
        * eps
        * np.array(
            [
                np.sum(np.abs(digamma(k + alpha)) + abs(digamma(alpha)) + shared),
                np.sum(np.abs(digamma(n - k + beta)) + abs(digamma(beta)) + shared),
            ]
        )
    )
    _, hess = _score_and_hessian(k, n, alpha, beta)
    spread = np.abs(np.linalg.inv(hess)) @ rounding
    return float(max(spread[0] / alpha, spread[1] / beta))
