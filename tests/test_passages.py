"""Tests for spindetect.signals.passages: aligned shared passages and the rarity-weighted index."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from spindetect.signals.passages import PassageIndex, SharedPassage, shared_passages
from spindetect.text.tokens import word_tokens

STOCK = "Choosing the right equipment can feel overwhelming, but it does not have to be."
A = (
    "Solar panels cut the electricity bill of a family home for decades. "
    + STOCK
    + " Photovoltaic cells release electrons when light strikes their silicon wafers."
)
B = (
    "Electric bikes flatten hills and shorten the daily commute for many riders. "
    + STOCK.upper()
    + " A pedal-assist motor only adds power while the rider turns the cranks."
)


def _terms(text: str) -> tuple[str, ...]:
    return word_tokens(text).terms


def test_finds_the_shared_sentence_with_offsets_in_both_texts():
    found = shared_passages(A, B)
    assert len(found) == 1
    p = found[0]
    assert isinstance(p, SharedPassage)
    assert _terms(A[p.a_start : p.a_end]) == _terms(STOCK)
    assert _terms(B[p.b_start : p.b_end]) == _terms(STOCK)
    assert p.text == A[p.a_start : p.a_end]
    assert p.n_words == len(_terms(STOCK))
    assert p.n_gaps == 0
    assert p.to_dict()["n_words"] == p.n_words


def test_min_words_filters_short_runs():
    assert shared_passages(A, B, min_words=len(_terms(STOCK)) + 1) == []
    assert shared_passages("red green blue", "red green blue", min_words=3)[0].n_words == 3


def test_nothing_shared_between_unrelated_texts():
    assert shared_passages(A, "Nothing in common here at all, really nothing whatsoever.") == []
    assert shared_passages("", A) == []


def test_bridge_merges_runs_across_a_one_word_slot():
    a = "Our team compared dozens of solar panels so that you do not have to worry about anything."
    b = "Our team compared dozens of espresso machines so that you do not have to worry about anything."
    exact = shared_passages(a, b, min_words=4)
    assert len(exact) == 2  # "solar panels" vs "espresso machines": two words differ
    c = "Our team compared dozens of bikes so that you do not have to worry about anything."
    bridged = shared_passages(a.replace("solar panels", "heaters"), c, min_words=10, bridge=1)
    assert len(bridged) == 1
    assert bridged[0].n_gaps == 1
    assert bridged[0].n_words == len(_terms(c))
    assert shared_passages(a.replace("solar panels", "heaters"), c, min_words=11, bridge=0) == []


def test_moved_passages_are_found_and_sorted_by_a():
    s1 = "the quick brown fox jumps over the lazy dog again"
    s2 = "pack my box with five dozen liquor jugs right now"
    found = shared_passages(s1 + " filler words " + s2, s2 + " other stuff " + s1, min_words=5)
    assert [p.n_words for p in found] == [10, 10]
    assert found[0].a_start < found[1].a_start
    assert found[0].b_start > found[1].b_start


def test_argument_validation():
    with pytest.raises(TypeError, match="a must be a str"):
        shared_passages(["x"], "y")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        shared_passages("a", "b", min_words=0)
    with pytest.raises(ValueError):
        shared_passages("a", "b", bridge=2)


def test_index_weights_common_passages_down():
    rare_pair = [A, B]
    boiler = "Copyright all rights reserved by the publishing house and its many partners"
    corpus = [t + "\n" + boiler for t in rare_pair] + [
        f"Unrelated text number {k} about a different subject entirely, with its own words.\n{boiler}"
        for k in range(6)
    ]
    idx = PassageIndex().fit(corpus)
    assert idx.n_docs_ == 8
    last = idx._occ.indptr[1]  # the last passage of document 0 is an n-gram of the boilerplate line
    w_boiler = idx.weights(idx._occ.hashes[last - 1 : last])
    assert 0.0 <= float(w_boiler[0]) < 0.3
    scores = idx.score_pairs(np.array([[0, 1], [2, 3], [1, 0]]))
    assert scores[0] > 0.3  # the stock sentence: rare, long
    assert scores[1] < scores[0]  # only boilerplate in common
    assert scores[0] == scores[2]  # symmetric
    assert np.all((scores >= 0) & (scores <= 1))


def test_index_identical_texts_score_high_and_unknown_hashes_weigh_zero():
    idx = PassageIndex().fit([A, A, B, "something else entirely, with words"])
    assert idx.score_pairs(np.array([[0, 1]]))[0] > 0.6
    assert idx.weights(np.array([12345], dtype=np.uint32))[0] in (0.0, 1.0)


def test_index_not_fitted_and_bad_input():
    with pytest.raises(NotFittedError):
        PassageIndex().score_pairs(np.array([[0, 1]]))
    with pytest.raises(TypeError, match="single str"):
        PassageIndex().fit("one text")
    with pytest.raises(TypeError, match="document 1"):
        PassageIndex().fit(["ok", None])


_WORD = st.sampled_from(["alpha", "beta", "gamma", "delta", "The", "BETA", "½", "é", "x1", "of", "ﬁ"])
_SEP = st.sampled_from([" ", ", ", ". ", "\n", " - "])


@st.composite
def _texts(draw):
    words = draw(st.lists(_WORD, max_size=40))
    seps = draw(st.lists(_SEP, min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps))


@settings(max_examples=80, deadline=None)
@given(_texts(), _texts(), st.integers(1, 6), st.sampled_from([0, 1]))
@example("alpha alpha alpha alpha alpha alpha beta gamma alpha beta ", "gamma beta beta ", 1, 1)
def test_shared_passage_invariants(a, b, min_words, bridge):
    found = shared_passages(a, b, min_words=min_words, bridge=bridge)
    assert found == shared_passages(a, b, min_words=min_words, bridge=bridge)  # deterministic
    starts = [p.a_start for p in found]
    assert starts == sorted(starts)
    for p, q in zip(found, found[1:]):
        assert p.a_end <= q.a_start  # no overlap in a
    spans_b = sorted((p.b_start, p.b_end) for p in found)
    for (s1, e1), (s2, e2) in zip(spans_b, spans_b[1:]):
        assert e1 <= s2  # no overlap in b
    for p in found:
        assert p.n_words >= min_words
        ta, tb = _terms(a[p.a_start : p.a_end]), _terms(b[p.b_start : p.b_end])
        assert len(ta) == p.n_words
        if p.n_gaps == 0:
            assert ta == tb
        else:
            assert len(ta) == len(tb)
            assert sum(x != y for x, y in zip(ta, tb)) <= p.n_gaps


@settings(max_examples=30, deadline=None)
@given(st.lists(_texts(), min_size=2, max_size=5))
def test_index_scores_in_range_and_symmetric(texts):
    idx = PassageIndex(ngram=3).fit(texts)
    n = len(texts)
    pairs = np.array([(i, j) for i in range(n) for j in range(n)])
    s = idx.score_pairs(pairs).reshape(n, n)
    assert np.all((s >= 0) & (s <= 1))
    assert np.allclose(s, s.T)


def _dense_coverage(idx: PassageIndex, d: int, other: int) -> float:
    """Reference: every word's largest weight among d's passages that other also has."""
    occ = idx._occ
    held = [set(occ.hashes[occ.indptr[e] : occ.indptr[e + 1]].tolist()) for e in range(idx.n_docs_)]
    theirs = held[other]
    cover = np.zeros(int(idx._n_tokens[d]))
    for k in range(occ.indptr[d], occ.indptr[d + 1]):
        if int(occ.hashes[k]) in theirs:
            a, b = int(occ.start[k]), int(occ.end[k])
            df = sum(int(occ.hashes[k]) in h for h in held)
            w = min(1.0, np.log((idx.n_docs_ + 1) / df) / np.log(2.0))
            cover[a:b] = np.maximum(cover[a:b], w)
    return float(cover.sum())


@settings(max_examples=40, deadline=None)
@given(st.lists(_texts(), min_size=2, max_size=6))
def test_index_coverage_equals_the_dense_reference(texts):
    idx = PassageIndex(ngram=3, min_sentence_words=2).fit(texts)
    assert np.all(idx.df_ >= 2)  # passages of one document are not kept
    occ = idx._occ
    for d in range(len(texts)):  # passages sorted by start within each document
        assert np.all(np.diff(occ.start[occ.indptr[d] : occ.indptr[d + 1]]) >= 0)
    for d in range(len(texts)):
        for o in range(len(texts)):
            assert idx._coverage(d, o) == pytest.approx(_dense_coverage(idx, d, o))


def _index_state(idx: PassageIndex, pairs: np.ndarray) -> tuple:
    occ = idx._occ
    return (
        [np.asarray(a).tolist() for a in occ],
        idx._doc_keys.tolist(),
        idx._doc_indptr.tolist(),
        idx.vocab_.tolist(),
        idx.df_.tolist(),
        idx.score_pairs(pairs).tolist(),
        [r.tolist() for r in idx._runs(2, 10)],
    )


def test_index_fitted_batch_by_batch_and_spilled_is_the_same_index(monkeypatch):
    import pickle

    import spindetect.signals.passages as passages
    from spindetect.text import tokens

    texts = [A, B, A + " " + B, "Unrelated text about a different subject entirely, with its own words.", "", B]
    pairs = np.array([(i, j) for i in range(len(texts)) for j in range(len(texts))])
    whole = _index_state(PassageIndex(ngram=3, min_sentence_words=2).fit(texts), pairs)
    # One document a batch, every occurrence spilled to a mapped file, pages released after every pair.
    monkeypatch.setattr(tokens, "BATCH_DOCS", 1)
    monkeypatch.setattr(tokens.text_batches, "__defaults__", (1,))
    monkeypatch.setattr(passages, "_OCC_MEMORY_BYTES", 0)
    monkeypatch.setattr(passages, "_RELEASE_PAIRS", 1)
    monkeypatch.setattr(passages, "_FIND_CHUNK", 2)
    spilled = PassageIndex(ngram=3, min_sentence_words=2).fit(texts)
    assert spilled._occ_maps  # mapped, not in memory
    assert _index_state(spilled, pairs) == whole
    assert _index_state(pickle.loads(pickle.dumps(spilled)), pairs) == whole
