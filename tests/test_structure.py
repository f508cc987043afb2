"""Tests for spindetect.structure.StructureIndex: candidates and structure scores."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from corpora import spun_family, template_family_mixed
from spindetect.signals.structure import SCORE_NAMES, StructureIndex


def _same_cluster_pairs(corpus) -> set[tuple[int, int]]:
    labels = corpus.labels()
    n = len(labels)
    return {(i, j) for i, j in itertools.combinations(range(n), 2) if labels[i] == labels[j]}


def _all_pairs(n: int) -> np.ndarray:
    return np.array(list(itertools.combinations(range(n), 2)), dtype=np.int64).reshape(-1, 2)


@pytest.fixture(scope="module")
def templates():
    corpus = template_family_mixed()
    return corpus, StructureIndex().fit(corpus.texts)


@pytest.fixture(scope="module")
def spun():
    corpus = spun_family()
    return corpus, StructureIndex().fit(corpus.texts)


def test_candidates_cover_template_families(templates):
    corpus, idx = templates
    cand = idx.candidate_pairs_
    assert cand.dtype == np.int64 and cand.ndim == 2 and cand.shape[1] == 2
    assert np.all(cand[:, 0] < cand[:, 1])
    assert len(np.unique(cand, axis=0)) == len(cand)
    assert _same_cluster_pairs(corpus) <= set(map(tuple, cand.tolist()))


def test_candidates_cover_spun_family(spun):
    corpus, idx = spun
    assert _same_cluster_pairs(corpus) <= set(map(tuple, idx.candidate_pairs_.tolist()))


def test_scores_separate_families_from_same_topic_texts(templates):
    corpus, idx = templates
    pairs = _all_pairs(len(corpus.texts))
    s = idx.score_pairs(pairs)
    labels = corpus.labels()
    same = np.array([labels[i] == labels[j] for i, j in pairs])
    # template pages share rare passages and frames; independent texts do not
    assert s["shared_rare"][same].min() > s["shared_rare"][~same].max()
    assert s["masked"][same].min() > s["masked"][~same].max()
    assert s["skeleton"][same].min() >= 0.75


def test_spun_pairs_keep_their_frames(spun):
    corpus, idx = spun
    pairs = _all_pairs(len(corpus.texts))
    s = idx.score_pairs(pairs)
    labels = corpus.labels()
    same = np.array([labels[i] == labels[j] for i, j in pairs])
    assert s["masked"][same].min() >= 0.9
    assert s["masked"][~same].max() < 0.1
    assert s["skeleton"][same].min() == 1.0


def test_score_pairs_contract(templates):
    corpus, idx = templates
    pairs = _all_pairs(len(corpus.texts))
    s = idx.score_pairs(pairs)
    r = idx.score_pairs(pairs[:, ::-1])
    assert tuple(s) == SCORE_NAMES
    for name in SCORE_NAMES:
        assert s[name].dtype == np.float64 and s[name].shape == (len(pairs),)
        assert np.all((s[name] >= 0.0) & (s[name] <= 1.0)), name
        assert np.array_equal(s[name], r[name]), name  # symmetric
    empty = idx.score_pairs(np.zeros((0, 2), dtype=np.int64))
    assert all(v.shape == (0,) for v in empty.values())


def test_identical_texts_score_one():
    corpus = template_family_mixed()
    text = corpus.texts[0]
    idx = StructureIndex().fit([text, text, corpus.texts[1]])
    s = idx.score_pairs(np.array([[0, 1]]))
    assert s["skeleton"][0] == 1.0
    assert s["spotsig"][0] == 1.0
    assert s["masked"][0] == 1.0
    assert s["shared_rare"][0] > 0.9
    assert [0, 1] in idx.candidate_pairs_.tolist()


def test_deterministic_and_order_independent():
    corpus = template_family_mixed()
    texts = corpus.texts
    a = StructureIndex().fit(texts)
    b = StructureIndex().fit(list(texts))
    assert np.array_equal(a.candidate_pairs_, b.candidate_pairs_)
    perm = list(range(len(texts)))
    random.Random(5).shuffle(perm)
    c = StructureIndex().fit([texts[p] for p in perm])
    inv = {p: k for k, p in enumerate(perm)}
    mapped = {tuple(sorted((inv[i], inv[j]))) for i, j in a.candidate_pairs_.tolist()}
    assert mapped == set(map(tuple, c.candidate_pairs_.tolist()))
    pairs = _all_pairs(len(texts))
    sa = a.score_pairs(pairs)
    sc = c.score_pairs(np.array([[inv[i], inv[j]] for i, j in pairs]))
    for name in SCORE_NAMES:
        assert np.allclose(sa[name], sc[name]), name


def test_unrelated_articles_give_few_candidates():
    from benchmarks.generate import TOPIC_NAMES, make_article

    rng = random.Random(11)
    texts = [make_article(TOPIC_NAMES[k % len(TOPIC_NAMES)], rng) for k in range(40)]
    idx = StructureIndex().fit(texts)
    assert len(idx.candidate_pairs_) < 0.1 * len(texts) * (len(texts) - 1) / 2


def test_small_and_empty_corpora():
    for texts in ([], ["only one"], ["", ""]):
        idx = StructureIndex().fit(texts)
        assert idx.n_docs_ == len(texts)
        assert idx.candidate_pairs_.shape[1] == 2
    s = StructureIndex().fit(["", ""]).score_pairs(np.array([[0, 1]]))
    assert s["skeleton"][0] == 1.0 and s["masked"][0] == 1.0


def test_errors():
    with pytest.raises(NotFittedError):
        StructureIndex().score_pairs(np.array([[0, 1]]))
    with pytest.raises(TypeError, match="single str"):
        StructureIndex().fit("a text")
    with pytest.raises(TypeError, match="document 1"):
        StructureIndex().fit(["a", 2])
    with pytest.raises(ValueError, match="masked_ngram"):
        StructureIndex(masked_ngram=0).fit(["a", "b"])
    with pytest.raises(ValueError, match="min_shared_frames"):
        StructureIndex(min_shared_frames=0).fit(["a", "b"])
    with pytest.raises(ValueError, match="spotsig_threshold"):
        StructureIndex(spotsig_threshold=1.5).fit(["a", "b"])
    idx = StructureIndex().fit(["a b c", "d e f"])
    with pytest.raises(IndexError):
        idx.score_pairs(np.array([[0, 2]]))


def test_init_only_stores_params():
    idx = StructureIndex(masked_ngram=-3)
    assert idx.masked_ngram == -3
    assert not hasattr(idx, "candidate_pairs_")


_WORD = st.sampled_from(["the", "a", "of", "cat", "dog", "runs", "Fast", "in", "7", "- item", "Title Case"])
_SEP = st.sampled_from([" ", ". ", "\n", "\n\n"])


@st.composite
def _text(draw):
    words = draw(st.lists(_WORD, max_size=30))
    seps = draw(st.lists(_SEP, min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps))


@settings(max_examples=25, deadline=None)
@given(st.lists(_text(), min_size=2, max_size=5))
def test_invariants_on_random_corpora(texts):
    idx = StructureIndex().fit(texts)
    n = len(texts)
    pairs = np.array([(i, j) for i in range(n) for j in range(n)])
    s = idx.score_pairs(pairs)
    for name in SCORE_NAMES:
        m = s[name].reshape(n, n)
        assert np.all((m >= 0.0) & (m <= 1.0)), name
        assert np.array_equal(m, m.T), name
    for name in ("skeleton", "spotsig", "masked"):
        assert np.all(np.diag(s[name].reshape(n, n)) == 1.0), name


def _filler(rng: random.Random, n: int) -> str:
    return " ".join("".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(3)) for _ in range(n))


def test_pair_budget_takes_the_rarest_shared_passages_first():
    rng = random.Random(3)
    common = [
        "every page of this site ends with the very same long sentence about our shipping terms.",
        "a second stock sentence also appears on twelve of these pages in exactly this form.",
    ]
    rare = [
        "only the first two pages carry this particular sentence about the blue lighthouse keeper.",
        "and they alone also share this remark on the old harbour wall near the fish market.",
    ]
    texts = []
    for k in range(30):
        parts = [_filler(rng, 40)]
        if k < 12:
            parts += common
        if k < 2:
            parts += rare
        parts.append(_filler(rng, 40))
        texts.append("\n\n".join(parts))
    loose = StructureIndex(max_candidates=50).fit(texts)._passage_candidates().tolist()
    assert len(loose) == 12 * 11 // 2  # every pair of the twelve pages
    tight = StructureIndex(max_candidates=50, pair_budget=1).fit(texts)._passage_candidates().tolist()
    assert tight == [[0, 1]]  # the common sentences (66 pairs each) do not fit in 30 pairs
    with pytest.raises(ValueError, match="pair_budget"):
        StructureIndex(pair_budget=0).fit(texts)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 11)), max_size=60),
    st.integers(1, 3),
    st.sampled_from([2, 3, 64]),
)
def test_pairs_from_runs_counted_chunk_by_chunk_are_the_same(rows, min_shared, max_run):
    import spindetect.signals.structure as structure

    keys = np.array([k for k, _ in rows], dtype=np.uint32)
    docs = np.array([d for _, d in rows], dtype=np.int64)
    if len(rows):
        distinct = np.unique(np.stack([keys.astype(np.int64), docs], axis=1), axis=0)
        keys, docs = distinct[:, 0].astype(np.uint32), distinct[:, 1]

    def pairs() -> list:
        return structure.shared_key_pairs(
            keys, docs, 12, min_shared=min_shared, max_candidates=3, pair_budget=4, max_run=max_run
        ).tolist()

    whole = pairs()
    original = structure._PAIR_CHUNK, structure._CODE_SPAN
    try:
        structure._PAIR_CHUNK = 1  # one run at a time
        assert pairs() == whole
        structure._CODE_SPAN = 30  # pair codes filed in parts of two documents
        assert pairs() == whole
    finally:
        structure._PAIR_CHUNK, structure._CODE_SPAN = original
