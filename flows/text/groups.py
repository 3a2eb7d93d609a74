"""Unclassified complaints grouped by what they say, so an agent can classify a group at once.

TF-IDF over the segmenter's terms without product nouns (they say which product, not what is
wrong), reduced to ``LSA_DIMENSIONS`` latent dimensions (truncated SVD: words used in the same
descriptions fall together), rows L2-normalised so k-means groups by the angle between
descriptions; scikit-learn with a fixed seed, so the same descriptions give the same groups. Each
group is labelled by the terms with the highest TF-IDF weight in its descriptions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from flows.text.segment import Segmenter, default_segmenter

log = logging.getLogger(__name__)
LSA_DIMENSIONS = 30


@dataclass(frozen=True)
class Grouping:
    """One group number per description, and each group's label terms and size."""

    labels: np.ndarray
    top_terms: list[list[str]]
    sizes: list[int]


def group_descriptions(
    texts: list[str],
    n_groups: int,
    seed: int = 0,
    label_terms: int = 3,
    segmenter: Segmenter | None = None,
) -> Grouping:
    """Group ``texts`` into at most ``n_groups`` groups (fewer when there are fewer texts)."""
    if not texts:
        return Grouping(np.zeros(0, dtype=int), [], [])
    from sklearn.cluster import KMeans  # heavy import: only when grouping
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    segmenter = segmenter or default_segmenter()
    products = segmenter.product_words
    terms = [[t for t in doc if t not in products] for doc in segmenter.segment_many(texts)]
    distinct = len({tuple(doc) for doc in terms})
    k = min(n_groups, distinct)
    if not any(terms):
        return Grouping(np.zeros(len(texts), dtype=int), [[]], [len(texts)])
    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, sublinear_tf=True)
    matrix = vectorizer.fit_transform(terms)
    vocabulary = vectorizer.get_feature_names_out()
    if k <= 1:
        weights = np.asarray(matrix.mean(axis=0)).ravel()
        return Grouping(
            np.zeros(len(texts), dtype=int), [_top(weights, vocabulary, label_terms)], [len(texts)]
        )
    dims = min(LSA_DIMENSIONS, matrix.shape[1] - 1)
    points = (
        normalize(TruncatedSVD(dims, random_state=seed).fit_transform(matrix))
        if dims >= 2
        else matrix
    )
    labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(points).labels_.astype(int)
    top = [
        _top(np.asarray(matrix[labels == g].mean(axis=0)).ravel(), vocabulary, label_terms)
        for g in range(k)
    ]
    return Grouping(labels, top, np.bincount(labels, minlength=k).tolist())


def _top(weights: np.ndarray, vocabulary: np.ndarray, n: int) -> list[str]:
    return [str(vocabulary[i]) for i in np.argsort(-weights, kind="stable")[:n] if weights[i] > 0]


GROUPS_DDL = """create or replace table meta.unclassified_groups (
    complaint_id varchar not null,
    group_id integer not null,
    group_terms varchar not null,
    group_size integer not null
)"""


def group_unclassified(
    con: duckdb.DuckDBPyConnection, n_groups: int, seed: int, label_terms: int = 3
) -> int:
    """Rewrite ``meta.unclassified_groups`` from the counted complaints without an issue type."""
    rows = unclassified_descriptions(con)
    grouping = group_descriptions([r[1] for r in rows], n_groups, seed, label_terms)
    return write_groups(con, rows, grouping)


def unclassified_descriptions(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Empty ``meta.unclassified_groups``; return the (complaint_id, description) pairs to group."""
    con.execute("create schema if not exists meta")
    con.execute(GROUPS_DDL)
    found = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'raw' and table_name = 'complaints'"
    ).fetchone()
    if not found or not found[0]:
        return []
    rows = con.execute(
        """
        select complaint_id, description from raw.complaints
        where nullif(trim(issue_type), '') is null
            and status is distinct from 'withdrawn'
            and description is not null
        order by complaint_id
        """
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def write_groups(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str]], grouping: Grouping
) -> int:
    """Store each complaint's group (``grouping`` of the descriptions of ``rows``, in order)."""
    if not rows:
        return 0
    frame = pd.DataFrame(
        {
            "complaint_id": [r[0] for r in rows],
            "group_id": grouping.labels,
            "group_terms": [" / ".join(grouping.top_terms[g]) for g in grouping.labels],
            "group_size": [grouping.sizes[g] for g in grouping.labels],
        }
    )
    con.register("new_groups", frame)
    con.execute("insert into meta.unclassified_groups select * from new_groups")
    con.unregister("new_groups")
    log.info(
        "grouped %d unclassified complaint(s) into %d group(s)", len(rows), len(grouping.sizes)
    )
    return len(rows)
