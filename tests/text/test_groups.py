"""Grouping descriptions: deterministic, labelled, and measured against the generator's issue types.

The generator writes each complaint's text from templates of its true issue type, and classified
complaints carry that type in the export: grouping their descriptions with the type hidden and
comparing the groups with the types measures how well the grouping sorts what buyers say.
"""

from __future__ import annotations

import numpy as np
import pytest

from flows.generator.catalog import CATEGORY_NAMES
from flows.generator.complaints import ISSUES
from flows.generator.descriptions import describe, fake_phones
from flows.generator.vocabulary import CARRIERS, CATEGORIES
from flows.text.groups import group_descriptions


def purity(truth: np.ndarray, labels: np.ndarray) -> float:
    return sum(
        np.unique(truth[labels == g], return_counts=True)[1].max() for g in set(labels)
    ) / len(truth)


@pytest.fixture(scope="module")
def generated_texts() -> tuple[list[str], np.ndarray]:
    """3 000 descriptions as the generator writes them, with their true issue types."""
    rng = np.random.default_rng(5)
    n = 3000
    issues = ISSUES[rng.integers(0, len(ISSUES), n)]
    cats = [CATEGORY_NAMES[i] for i in rng.integers(0, len(CATEGORY_NAMES), n)]
    l2 = [list(CATEGORIES[c]["l2"])[rng.integers(0, len(CATEGORIES[c]["l2"]))] for c in cats]
    brands = [CATEGORIES[c]["brands"][0] for c in cats]
    carriers = list(CARRIERS)
    texts, _ = describe(rng, issues, cats, l2, [f"{b}{x}" for b, x in zip(brands, l2, strict=True)],
                        brands, [carriers[i % len(carriers)] for i in range(n)],
                        fake_phones(rng, n))  # fmt: skip
    return texts, issues


def test_groups_match_the_issue_types(generated_texts):
    from sklearn.metrics import adjusted_rand_score

    texts, issues = generated_texts
    grouping = group_descriptions(texts, n_groups=12, seed=0)
    ari = adjusted_rand_score(issues, grouping.labels)
    pure = purity(issues, grouping.labels)
    print(f"adjusted Rand index {ari:.3f}, purity {pure:.3f}")
    assert ari >= 0.3, ari
    assert pure >= 0.7, pure
    assert sum(grouping.sizes) == len(texts)
    assert all(1 <= len(terms) <= 3 for terms in grouping.top_terms)


def test_groups_are_deterministic(generated_texts):
    texts, _ = generated_texts
    first = group_descriptions(texts[:800], n_groups=6, seed=3)
    again = group_descriptions(texts[:800], n_groups=6, seed=3)
    assert (first.labels == again.labels).all() and first.top_terms == again.top_terms


def test_labels_are_the_words_of_the_group():
    texts = ["快递外箱压坏了"] * 5 + ["衣服洗一次就掉色"] * 5 + ["怀疑是假货，防伪码查不到"] * 5
    grouping = group_descriptions(texts, n_groups=3, seed=0)
    by_text = {texts[i]: set(grouping.top_terms[g]) for i, g in enumerate(grouping.labels)}
    assert "压坏" in by_text["快递外箱压坏了"]
    assert "掉色" in by_text["衣服洗一次就掉色"]
    assert "假货" in by_text["怀疑是假货，防伪码查不到"]
    assert len(set(grouping.labels)) == 3


def test_fewer_texts_than_groups():
    assert group_descriptions([], 5).sizes == []
    one = group_descriptions(["包裹破损"], 5)
    assert one.sizes == [1] and one.top_terms == [["包裹", "破损"]]
