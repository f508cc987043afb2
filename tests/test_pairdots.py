"""Pair dot products over rows read batch by batch, in memory or one column slice at a time."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.signals.pairdots import pair_dots, slices_for, stack_rows
from spindetect.signals.tfidf import TfidfSimilarity

TEXTS = [
    "the garden needs water in summer and the tomatoes need sun every single day",
    "in summer the garden needs water and tomatoes need sun every day of the week",
    "interest rates rise when the central bank fights inflation with tight money",
    "a bicycle chain should be cleaned and oiled after a ride through wet mud",
    "the garden needs water in summer and the tomatoes need sun every single day",
    "Ünïcode tëxt: the garden needs wäter in summer, naïve café résumé",
]


def _rows(n_docs: int, n_features: int, seed: int) -> sp.csr_matrix:
    x = sp.random(n_docs, n_features, density=0.2, format="csr", dtype=np.float32, random_state=seed)
    return x


def _batches(x: sp.csr_matrix, order: np.ndarray, size: int):
    for s in range(0, len(order), size):
        part = order[s : s + size]
        yield part, x[part]


@given(
    n_docs=st.integers(2, 30),
    n_features=st.integers(1, 70),
    n_slices=st.sampled_from([1, 2, 3, 8]),
    size=st.integers(1, 7),
    seed=st.integers(0, 1000),
)
@settings(max_examples=30, deadline=None)
def test_sliced_dots_equal_the_dots_of_whole_rows(n_docs, n_features, n_slices, size, seed, tmp_path_factory):
    x = _rows(n_docs, n_features, seed)
    rng = np.random.default_rng(seed)
    pairs = rng.integers(0, n_docs, size=(40, 2))
    order = rng.permutation(n_docs)  # batches in any order of documents
    got = pair_dots(_batches(x, order, size), pairs, n_docs, n_features, n_slices=n_slices,
                    work_dir=str(tmp_path_factory.mktemp("rows")))
    dense = x.toarray().astype(np.float64)
    want = (dense[pairs[:, 0]] * dense[pairs[:, 1]]).sum(axis=1)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_slice_files_are_removed(tmp_path):
    x = _rows(10, 32, 0)
    pair_dots(_batches(x, np.arange(10), 3), np.array([[0, 1]]), 10, 32, n_slices=4, work_dir=str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_a_document_missing_from_the_batches_is_an_error():
    x = _rows(4, 8, 0)
    with pytest.raises(ValueError, match="no batch"):
        pair_dots(_batches(x, np.arange(3), 2), np.array([[0, 3]]), 4, 8, n_slices=2)


def test_slices_grow_with_the_rows():
    assert slices_for(10, 10**9) == 1
    assert slices_for(10**6, 18 * 10**6 // 4) == 4
    assert slices_for(10**6, 1) >= 10**6


def test_stack_rows_equals_vstack():
    blocks = [_rows(3, 16, s) for s in range(4)] + [sp.csr_matrix((0, 16), dtype=np.float32)]
    want = sp.vstack(blocks, format="csr")
    got = stack_rows(list(blocks), 16)
    assert (got != want).nnz == 0 and got.shape == want.shape
    assert stack_rows([], 16).shape == (0, 16)


def test_char_cosine_is_the_same_sliced_through_files(tmp_path):
    pairs = np.array([[0, 1], [0, 4], [2, 3], [1, 5], [3, 3]])
    whole = TfidfSimilarity().fit(TEXTS).char_cosine(pairs)
    sliced = TfidfSimilarity(char_max_bytes=20000, char_max_docs=2, work_dir=str(tmp_path)).fit(TEXTS).char_cosine(pairs)
    np.testing.assert_allclose(sliced, whole, atol=1e-6)
    assert whole[1] == pytest.approx(1.0, abs=1e-5) and whole[4] == pytest.approx(1.0, abs=1e-5)
    assert list(tmp_path.iterdir()) == []


def test_char_cosine_slices_when_the_rows_exceed_the_memory(tmp_path, monkeypatch):
    import spindetect.signals.tfidf as tfidf

    seen = []
    real = tfidf.pair_dots
    monkeypatch.setattr(tfidf, "pair_dots", lambda *a, **k: seen.append(k["n_slices"]) or real(*a, **k))
    sim = TfidfSimilarity(char_max_bytes=2000, work_dir=str(tmp_path)).fit(TEXTS)
    sim.char_cosine(np.array([[0, 1]]))
    TfidfSimilarity().fit(TEXTS).char_cosine(np.array([[0, 1]]))
    assert seen[0] > 1 and seen[1] == 1


@given(
    n_docs=st.integers(2, 30),
    budget=st.integers(1, 12),
    seed=st.integers(0, 1000),
)
@settings(max_examples=40, deadline=None)
def test_pair_blocks_cover_every_pair_once_within_the_budget(n_docs, budget, seed):
    from spindetect.signals.pairdots import pair_blocks

    rng = np.random.default_rng(seed)
    pairs = rng.integers(0, n_docs, size=(int(rng.integers(0, 50)), 2))
    blocks = pair_blocks(pairs, np.ones(n_docs), budget)
    taken = np.sort(np.concatenate(blocks)) if blocks else np.zeros(0, np.int64)
    assert taken.tolist() == list(range(len(pairs)))
    for block in blocks:
        assert len(np.unique(pairs[block])) <= max(budget, 2)


def test_char_cosine_is_the_same_a_block_of_pairs_at_a_time(tmp_path, monkeypatch):
    import spindetect.signals.tfidf as tfidf

    pairs = np.array([[0, 1], [0, 4], [2, 3], [1, 5], [3, 3], [4, 5], [2, 0]])
    whole = TfidfSimilarity().fit(TEXTS).char_cosine(pairs)
    seen = []
    real = tfidf.pair_dots
    monkeypatch.setattr(tfidf, "pair_dots", lambda *a, **k: seen.append(len(a[1])) or real(*a, **k))
    blocked = TfidfSimilarity(char_max_disk=2000, work_dir=str(tmp_path)).fit(TEXTS).char_cosine(pairs)
    assert len(seen) > 2 and sum(seen) == len(pairs)
    np.testing.assert_allclose(blocked, whole, atol=1e-6)
    assert list(tmp_path.iterdir()) == []
