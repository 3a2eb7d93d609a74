"""An independent reading of the ranking prior (data contract, "Grades and rankings judge mature
data only"): scipy's beta-binomial maximised directly, no code shared with flows/priors.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize, root
from scipy.special import digamma, expit, logit
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
