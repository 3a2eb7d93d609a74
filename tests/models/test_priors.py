"""The ranking prior: maximum likelihood checked against scipy's beta-binomial on fixtures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import betabinom

from flows import priors
from flows.priors import fit_beta_binomial, fit_window_priors
from tests.models.prior_reference import newton_step, root_resolution, searched_fit
from tests.models.prior_reference import scipy_fit as _scipy_fit

FLOOR = 50.0


def _category(rng: np.random.Generator, name: str, merchants: int, a: float, b: float):
    n = rng.integers(200, 4000, size=merchants)
    k = rng.binomial(n, rng.beta(a, b, size=merchants))
    return pd.DataFrame({"category": name, "order_lines": n, "defect_lines": k})


@pytest.fixture(scope="module")
def fixture_windows() -> pd.DataFrame:
    """Two categories with spread between merchants, one with too few merchants for its own prior,
    and small merchants that must not enter any fit."""
    rng = np.random.default_rng(20261204)
    frames = [
        _category(rng, "home", 40, 2.0, 150.0),
        _category(rng, "beauty", 25, 3.0, 120.0),
        _category(rng, "toys", 3, 2.0, 60.0),
        pd.DataFrame({"category": "home", "order_lines": [1, 3, 150], "defect_lines": [1, 3, 40]}),
    ]
    out = pd.concat(frames, ignore_index=True)
    out["window_end_week"] = pd.Timestamp("2026-06-01")
    return out


def _assert_close(fitted, reference):
    alpha, beta = reference
    assert fitted.alpha == pytest.approx(alpha, rel=1e-6)
    assert fitted.beta == pytest.approx(beta, rel=1e-6)


def test_category_priors_match_scipy(fixture_windows):
    priors = fit_window_priors(fixture_windows, min_volume=200, min_merchants=5, floor=FLOOR)
    priors = priors.set_index("category")
    for category in ("home", "beauty"):
        own = fixture_windows[
            (fixture_windows["category"] == category) & (fixture_windows["order_lines"] >= 200)
        ]
        k, n = own["defect_lines"].to_numpy(), own["order_lines"].to_numpy()
        reference = _scipy_fit(k, n)
        row = priors.loc[category]
        assert row["prior_source"] == "category"
        assert row["n_merchants_fitted"] == len(own)
        assert row["prior_strength"] > FLOOR  # an interior optimum: the floor plays no part
        _assert_close(
            type("P", (), {"alpha": row["prior_alpha"], "beta": row["prior_beta"]}), reference
        )
        # No point of scipy's search is more likely than the fit.
        mine = betabinom.logpmf(k, n, row["prior_alpha"], row["prior_beta"]).sum()
        assert mine >= betabinom.logpmf(k, n, *reference).sum() - 1e-9


def test_small_category_falls_back_to_the_platform_prior(fixture_windows):
    priors = fit_window_priors(fixture_windows, min_volume=200, min_merchants=5, floor=FLOOR)
    toys = priors.set_index("category").loc["toys"]
    assert toys["prior_source"] == "platform"
    eligible = fixture_windows[fixture_windows["order_lines"] >= 200]
    assert toys["n_merchants_fitted"] == len(eligible) == 68
    reference = _scipy_fit(eligible["defect_lines"].to_numpy(), eligible["order_lines"].to_numpy())
    _assert_close(
        type("P", (), {"alpha": toys["prior_alpha"], "beta": toys["prior_beta"]}), reference
    )


def test_no_spread_gives_the_cap_and_few_lines_the_floor():
    # Identical rates: no between-merchant spread, the likelihood rises towards an infinitely
    # strong prior, so the strength stops at the cap (the merchants' lines).
    n = np.array([1000, 1000, 1000, 1000, 1000])
    k = np.array([10, 10, 10, 10, 10])
    prior = fit_beta_binomial(k, n, floor=FLOOR)
    assert prior.strength == pytest.approx(n.sum())
    assert prior.alpha / prior.strength == pytest.approx(0.01, rel=0.02)
    # Wildly different rates: the likelihood wants a weak prior; never below the floor.
    prior = fit_beta_binomial(np.array([0, 200, 0, 150, 1]), np.array([200] * 5), floor=FLOOR)
    assert prior.strength == pytest.approx(FLOOR)
    # No defect anywhere: mean 0, nothing to spread.
    prior = fit_beta_binomial(np.zeros(5), np.full(5, 300), floor=FLOOR)
    assert prior.alpha == 0 and prior.strength == pytest.approx(1500)


def test_the_fit_does_not_depend_on_the_order_of_its_rows(fixture_windows):
    """Engines hand a Python model its rows in scan order; two orders must fit the same prior
    to the last digit, or two builds of the same data would grade differently."""
    fitted = fit_window_priors(fixture_windows, min_volume=200, min_merchants=5, floor=FLOOR)
    for seed in (1, 2, 3):
        shuffled = fixture_windows.sample(frac=1.0, random_state=seed)
        again = fit_window_priors(shuffled, min_volume=200, min_merchants=5, floor=FLOOR)
        pd.testing.assert_frame_equal(again, fitted, check_exact=True)


def _datasets() -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Random categories of every shape the builds meet, and the edge cases of the fit."""
    rng = np.random.default_rng(18)
    out = [
        ("no spread", np.full(5, 10), np.full(5, 1000)),
        ("all zero", np.zeros(6), np.full(6, 300)),
        ("all defective", np.full(4, 250), np.full(4, 250)),
        ("one merchant", np.array([7]), np.array([400])),
        ("cap under the floor", np.array([1, 0]), np.array([20, 10])),
        ("floor", np.array([0, 200, 0, 150, 1]), np.full(5, 200)),
        ("huge n", np.array([10_000, 52_000, 31_000, 9_000]), np.full(4, 5_000_000)),
    ]
    sizes = ((200, 4000), (200, 300), (10_000, 2_000_000), (200, 50_000))
    for case in range(40):
        merchants = int(rng.choice([2, 3, 5, 12, 40, 300]))
        low, high = sizes[case % len(sizes)]
        n = rng.integers(low, high + 1, size=merchants)
        a = float(np.exp(rng.uniform(-2, 4)))
        b = a * float(np.exp(rng.uniform(1, 6)))
        if case % 5 == 4:  # no spread beyond the binomial's: the cap
            k = rng.binomial(n, a / (a + b))
        else:
            k = rng.binomial(n, rng.beta(a, b, size=merchants))
        out.append((f"random {case}", k, n))
    return out


@pytest.mark.parametrize(("k", "n"), [pytest.param(k, n, id=name) for name, k, n in _datasets()])
def test_the_fast_fit_gives_the_searches_answer(k, n):
    """The fast fit (distinct pairs, moments, Newton) against the nested searches it replaced.

    Equal to 1e-10 relative, or, where the likelihood is so flat in the strength that double
    precision pins its stationary point less closely, to that resolution. Where the searches'
    own Newton's method stopped short of the stationary point (its line search finds no gain
    beyond rounding, or it halts just inside the floor), the fast fit must be the stationary
    point or the bound itself and at least as likely."""
    fitted = fit_beta_binomial(k, n, floor=FLOOR)
    alpha, beta = searched_fit(k, n, FLOOR)
    if alpha == 0 or beta == 0:
        assert (fitted.alpha, fitted.beta) == (alpha, beta)
        return
    cap = float(np.sum(n))

    def on_a_bound(strength: float) -> bool:
        return any(strength == pytest.approx(bound, rel=1e-12) for bound in (FLOOR, cap))

    if on_a_bound(alpha + beta) or newton_step(k, n, alpha, beta) <= root_resolution(
        k, n, alpha, beta
    ):
        tolerance = (
            1e-10 if on_a_bound(alpha + beta) else max(1e-10, root_resolution(k, n, alpha, beta))
        )
        assert fitted.alpha == pytest.approx(alpha, rel=tolerance, abs=0)
        assert fitted.beta == pytest.approx(beta, rel=tolerance, abs=0)
        return
    mine = betabinom.logpmf(k, n, fitted.alpha, fitted.beta).sum()
    assert mine >= betabinom.logpmf(k, n, alpha, beta).sum() - 1e-9 * abs(mine)
    assert on_a_bound(fitted.strength) or newton_step(
        k, n, fitted.alpha, fitted.beta
    ) <= root_resolution(k, n, fitted.alpha, fitted.beta)


def test_the_fast_fit_needs_no_search_inside_the_bounds(fixture_windows, monkeypatch):
    """An interior optimum is found by Newton's method alone; the searches are left for the
    bounds (where their answer is the one kept)."""

    def no_search(*args):
        raise AssertionError("the nested searches ran")

    monkeypatch.setattr(priors, "_fit_by_search", no_search)
    fitted = fit_window_priors(fixture_windows, min_volume=200, min_merchants=5, floor=FLOOR)
    assert (fitted["prior_strength"] > FLOOR).all()
