"""TF-IDF cosine similarity and its neighbour search."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from spindetect.signals.tfidf import TfidfSimilarity, word_ngram_counts
from spindetect.text.tokens import word_tokens

TEXTS = [
    "the garden needs water in summer and the tomatoes need sun every single day",
    "in summer the garden needs water and tomatoes need sun every day of the week",
    "interest rates rise when the central bank fights inflation with tight money",
    "a bicycle chain should be cleaned and oiled after a ride through wet mud",
]


def test_similar_texts_are_neighbours_and_others_are_not():
    sim = TfidfSimilarity(min_shared=1, top_terms=20).fit(TEXTS)
    pairs, cos = sim.neighbour_pairs(threshold=0.3)
    assert [tuple(p) for p in pairs.tolist()] == [(0, 1)]
    assert 0.3 <= cos[0] <= 1.0


def test_cosines_are_symmetric_and_bounded():
    sim = TfidfSimilarity().fit(TEXTS)
    pairs = np.array([[0, 1], [1, 0], [0, 2], [2, 3]])
    w = sim.word_cosine(pairs)
    c = sim.char_cosine(pairs)
    assert w[0] == pytest.approx(w[1])
    assert c[0] == pytest.approx(c[1])
    assert np.all((w >= 0) & (w <= 1)) and np.all((c >= 0) & (c <= 1))
    assert w[0] > w[2] and c[0] > c[3]


def test_identical_texts_have_cosine_one():
    sim = TfidfSimilarity().fit([TEXTS[0], TEXTS[0], TEXTS[2]])
    assert sim.word_cosine(np.array([[0, 1]]))[0] == pytest.approx(1.0, abs=1e-5)


def test_rejects_a_bare_string_and_requires_fit():
    with pytest.raises(TypeError, match="single str"):
        TfidfSimilarity().fit("one text")
    with pytest.raises(NotFittedError):
        TfidfSimilarity().word_cosine(np.array([[0, 1]]))


def test_neighbours_skip_terms_common_to_many_documents():
    texts = ["alpha beta gamma delta epsilon"] * 10 + ["zeta eta theta iota kappa"] * 2
    crowded = TfidfSimilarity(max_postings=3, top_terms=5).fit(texts)
    pairs, _ = crowded.neighbour_pairs(threshold=0.0)
    # the first ten share terms held by too many documents to propose pairs
    assert [tuple(p) for p in pairs.tolist()] == [(10, 11)]
    roomy = TfidfSimilarity(max_postings=64, top_terms=5, max_neighbours=20).fit(texts)
    pairs, cos = roomy.neighbour_pairs(threshold=0.0)
    assert len(pairs) == 45 + 1
    assert np.allclose(cos, 1.0, atol=1e-5)


def test_each_document_keeps_a_bounded_number_of_neighbours():
    texts = ["shared topic words about gardens and soil and water"] * 30
    sim = TfidfSimilarity(max_neighbours=3, max_postings=100).fit(texts)
    pairs, _ = sim.neighbour_pairs(threshold=0.0)
    counts = np.bincount(pairs.ravel(), minlength=30)
    assert len(pairs) <= 30 * 3 * 2  # all tied: the 3 best and the tied ones, up to 6 a document
    assert counts.min() >= 3  # nobody is left without neighbours


def test_word_ngram_counts_count_every_unigram_and_bigram():
    texts = [*TEXTS, "", "one", "Two words", "the the the"]
    x = word_ngram_counts(texts, ngram_range=(1, 2), n_features=2**20)
    assert x.shape == (len(texts), 2**20)
    for i, text in enumerate(texts):
        n = len(word_tokens(text))
        assert x[i].sum() == n + max(n - 1, 0)
    # a repeated term is one feature counted three times, its bigram twice
    assert sorted(x[len(texts) - 1].data.tolist()) == [2.0, 3.0]


def test_word_ngram_counts_do_not_depend_on_batches_or_neighbours():
    texts = [*TEXTS, "Interest RATES rise"]
    whole = word_ngram_counts(texts)
    small = word_ngram_counts(texts, batch_size=2)
    assert (whole != small).nnz == 0
    alone = word_ngram_counts([texts[2]])
    assert (whole[2] != alone[0]).nnz == 0
    # case and width are normalised as in the shingles
    assert (word_ngram_counts(["interest rates rise"])[0] != word_ngram_counts(["ＩＮＴＥＲＥＳＴ Rates RISE"])[0]).nnz == 0


def test_word_ngram_counts_reject_a_bad_range():
    with pytest.raises(ValueError, match="ngram_range"):
        word_ngram_counts(TEXTS, ngram_range=(2, 1))


def _matrix_state(x) -> tuple:
    x = x.tocsr()
    return x.shape, x.indptr.tolist(), x.indices.tolist(), x.data.tobytes()


def test_word_rows_streamed_and_spilled_equal_the_whole_matrix_transform(monkeypatch):
    import pickle

    from sklearn.feature_extraction.text import TfidfTransformer

    from spindetect.signals import tfidf as tfidf_module
    from spindetect.signals import wordrows

    texts = TEXTS * 3 + ["", "one more text about dogs and cats"]
    counts = word_ngram_counts(texts, n_features=2**12)
    whole = TfidfTransformer(sublinear_tf=True).fit(counts)
    expected = whole.transform(counts.copy()).tocsr()
    pairs = np.array([(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts))])
    fitted = TfidfSimilarity(n_features=2**12).fit(texts)
    assert fitted.word_tfidf_.idf_.tobytes() == whole.idf_.tobytes()
    assert _matrix_state(fitted.word_matrix_) == _matrix_state(expected)
    cosines = fitted.word_cosine(pairs)
    neighbours = fitted.neighbour_pairs(0.3)
    # Two documents a batch, every row mapped from a file, pages released after every step.
    monkeypatch.setattr(wordrows, "BATCH_DOCS", 2)
    monkeypatch.setattr(wordrows, "MEMORY_BYTES", 0)
    monkeypatch.setattr(tfidf_module, "_WORD_DOT_STEP", 3)
    monkeypatch.setattr(tfidf_module, "_RELEASE_ROWS", 1)
    spilled = TfidfSimilarity(n_features=2**12).fit(texts)
    assert spilled._word_maps
    assert _matrix_state(spilled.word_matrix_) == _matrix_state(expected)
    assert spilled.word_cosine(pairs).tolist() == cosines.tolist()
    assert [a.tolist() for a in spilled.neighbour_pairs(0.3)] == [a.tolist() for a in neighbours]
    again = pickle.loads(pickle.dumps(spilled))
    assert again.word_cosine(pairs).tolist() == cosines.tolist()


def test_neighbour_search_a_block_of_rows_at_a_time_finds_the_same_pairs(monkeypatch):
    from spindetect.signals import tfidf as tfidf_module

    texts = TEXTS * 4 + ["cats and dogs", "dogs and cats and birds"]
    whole = [a.tolist() for a in TfidfSimilarity(min_shared=1).fit(texts).neighbour_pairs(0.1)]
    monkeypatch.setattr(tfidf_module, "_SHARING_ROWS", 3)
    assert [a.tolist() for a in TfidfSimilarity(min_shared=1).fit(texts).neighbour_pairs(0.1)] == whole
    assert len(whole[0])
