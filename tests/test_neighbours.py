"""LsaNeighbours: character TF-IDF nearest neighbours as candidate pairs."""

from __future__ import annotations

import random

import numpy as np
import pytest

from spindetect.signals.neighbours import LsaNeighbours
from spindetect.signals.tfidf import TfidfSimilarity

WORDS = ("garden soil water light seed root leaf pot compost mulch prune bloom shade frost weed "
         "river stone bridge tower market coffee engine wheel signal cable window paper ladder").split()


def _corpus(n_families: int = 6, size: int = 5, seed: int = 0) -> tuple[list[str], list[int]]:
    """Families: pages sharing a stock of phrases in their own order; plus unrelated pages."""
    rng = random.Random(seed)
    texts, gold = [], []
    for f in range(n_families):
        stock = [" ".join(rng.choice(WORDS) for _ in range(6)) + f" fam{f}x" for _ in range(12)]
        for _ in range(size):
            texts.append(". ".join(rng.sample(stock, 8)) + ".")
            gold.append(f)
    for k in range(n_families * size):
        texts.append(" ".join(rng.choice(WORDS) for _ in range(60)) + f" lone{k}")
        gold.append(-1 - k)
    return texts, gold


def _fit(texts, **kw):
    return LsaNeighbours(**kw).fit(TfidfSimilarity().fit(texts))


@pytest.mark.parametrize("bucket_size", [512, 8])  # one bucket; k-means buckets
def test_family_pages_are_each_others_neighbours(bucket_size):
    texts, gold = _corpus()
    nb = _fit(texts, k=4, bucket_size=bucket_size)
    pairs = {tuple(p) for p in nb.candidate_pairs_.tolist()}
    fam_pairs = [(i, j) for i in range(len(gold)) for j in range(i + 1, len(gold)) if gold[i] == gold[j]]
    assert sum(p in pairs for p in fam_pairs) / len(fam_pairs) >= 0.9
    assert np.all(nb.candidate_pairs_[:, 0] < nb.candidate_pairs_[:, 1])


def test_budget_bounds_the_pairs_and_the_result_is_deterministic():
    texts, _ = _corpus()
    a = _fit(texts, k=3, bucket_size=8)
    b = _fit(texts, k=3, bucket_size=8)
    assert len(a.candidate_pairs_) <= 3 * len(texts)
    assert np.array_equal(a.candidate_pairs_, b.candidate_pairs_)


def test_tiny_corpora():
    assert _fit(["one text only"]).candidate_pairs_.shape == (0, 2)
    assert _fit(["a b c", "a b c"]).candidate_pairs_.tolist() == [[0, 1]]


def test_invalid_k_is_rejected():
    with pytest.raises(ValueError, match="k"):
        _fit(["a text", "another text"], k=0)
