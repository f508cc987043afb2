"""LSH banding: datasketch's band split, candidate pairs from sorted band keys."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch.lsh import _optimal_param

from spindetect.signals.lsh import LSHIndex, candidate_pairs, optimal_bands, unique_pairs
from spindetect.signals.minhash import MinHasher, Signatures
from spindetect.text.tokens import hash_shingles

_SYLLABLES = ["ba", "do", "ki", "mu", "ne", "po", "ra", "si", "tu", "ve", "zo", "ly", "qua", "fen"]


def make_corpus(n_base: int, words: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    vocab = ["".join(rng.choice(_SYLLABLES, size=rng.integers(2, 4))) for _ in range(2000)]
    docs = []
    for _ in range(n_base):
        base = rng.choice(vocab, size=words)
        docs.append(" ".join(base))
        for edits in (0, 1, 2, 6):  # an exact copy and copies with a few words changed
            copy = base.copy()
            pos = rng.choice(words, size=edits, replace=False)
            copy[pos] = rng.choice(vocab, size=edits)
            docs.append(" ".join(copy))
    return docs


def exact_jaccard(a: str, b: str) -> float:
    x, y = set(hash_shingles([a]).hashes.tolist()), set(hash_shingles([b]).hashes.tolist())
    return len(x & y) / len(x | y) if x | y else 0.0


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, 0.8, 0.9])
@pytest.mark.parametrize("num_perm", [64, 128])
def test_bands_and_rows_match_datasketch(threshold, num_perm):
    assert optimal_bands(threshold, num_perm) == tuple(_optimal_param(threshold, num_perm, 0.5, 0.5))


def test_weighted_bands_match_datasketch():
    for fp in (0.05, 0.2):
        got = optimal_bands(0.8, 128, false_positive_weight=fp, false_negative_weight=1 - fp)
        assert got == tuple(_optimal_param(0.8, 128, fp, 1 - fp))


def test_optimal_bands_validates():
    with pytest.raises(ValueError):
        optimal_bands(1.0, 128)
    with pytest.raises(ValueError):
        optimal_bands(0.0, 128)


def test_candidate_pairs_find_every_pair_above_0_9():
    docs = make_corpus(30, 200, seed=11)
    sig = MinHasher().fit_transform(docs)
    for kwargs in ({"threshold": 0.5}, {"bands": 16, "rows": 8}):
        found = {tuple(p) for p in candidate_pairs(sig, **kwargs).tolist()}
        high = 0
        for i in range(len(docs)):
            for j in range(i + 1, min(i + 6, len(docs))):
                if exact_jaccard(docs[i], docs[j]) >= 0.9:
                    high += 1
                    assert (i, j) in found
        assert high >= 60  # the corpus does contain such pairs


def test_candidate_pairs_are_unique_sorted_and_skip_empty_documents():
    docs = ["alpha beta gamma delta epsilon zeta"] * 3 + ["", "", "unrelated words in this one here"]
    sig = MinHasher().fit_transform(docs)
    pairs = candidate_pairs(sig, threshold=0.5)
    assert pairs.tolist() == [[0, 1], [0, 2], [1, 2]]


def test_large_bucket_emits_linear_pairs_and_stays_connected():
    docs = ["the same words repeated in every single document here"] * 200
    sig = MinHasher().fit_transform(docs)
    pairs = candidate_pairs(sig, threshold=0.5, max_run=16)
    assert len(pairs) <= 2 * 200  # star + chain, not 200 * 199 / 2
    from spindetect.decide.cluster import connected_labels

    assert len(set(connected_labels(200, pairs).tolist())) == 1


def test_bands_rows_override_validation():
    sig = MinHasher(num_perm=16).fit_transform(["a b c d e f"])
    with pytest.raises(ValueError):
        candidate_pairs(sig, bands=4)
    with pytest.raises(ValueError):
        candidate_pairs(sig, bands=5, rows=4)


def test_candidate_pairs_do_not_depend_on_order():
    docs = make_corpus(8, 120, seed=12)
    sig = MinHasher().fit_transform(docs)
    perm = np.random.default_rng(0).permutation(len(docs))
    shuffled = Signatures(sig.values[perm], sig.n_shingles[perm], sig.config)
    a = candidate_pairs(sig, threshold=0.7)
    b = perm[candidate_pairs(shuffled, threshold=0.7)]
    assert np.array_equal(a, unique_pairs(b))


def test_unique_pairs():
    got = unique_pairs(np.array([[3, 1], [1, 3], [2, 2], [0, 5]]))
    assert got.tolist() == [[0, 5], [1, 3]]


def test_lsh_index_insert_and_query():
    docs = make_corpus(3, 100, seed=13)
    index = LSHIndex(threshold=0.5)
    index.insert([f"d{i}" for i in range(len(docs))], docs)
    assert len(index) == len(docs)
    assert "d0" in index.query(docs[0]) and "d1" in index.query(docs[0])
    assert "d5" not in index.query(docs[0])
    with pytest.raises(TypeError):
        index.query(["not", "a", "str"])  # type: ignore[arg-type]
