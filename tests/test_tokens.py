"""Tokens, token hashes and word shingles: the hot path equals the reference path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.text.normalize import NormConfig
from spindetect.text.tokens import (
    _clean_piece,
    hash_shingles,
    hash_terms,
    hash_tokens,
    shingle_hashes,
    word_tokens,
)

CONFIGS = [
    NormConfig(),
    NormConfig(fold_digits=True),
    NormConfig(casefold=False),
    NormConfig(nfkc=False),
]

# Text drawn from a mix of scripts: ASCII, Latin with accents (composed and
# combining), CJK, kana, hangul, compatibility characters, punctuation, spaces.
_ALPHABET = st.sampled_from(
    list("abcXYZ019_ ")
    + list(" \n\t.,;-'\"")
    + list("éÉßçøİıǰ\u0301\u0308\u00a0\u2019\u2014")
    + list("日本語中文字のテキストカナ한국어\u3040\u30fb")
    + list("ﬁ½①™Ａｂ\u3000")
    + list("αβΣσςжЖ")
    + list("ไทยहिन्दीᄀ\u1161\uff61\u0800")
)
unicode_texts = st.text(alphabet=_ALPHABET, max_size=60) | st.text(max_size=40)


def reference_shingles(text: str, ngram: int = 5, config: NormConfig | None = None) -> np.ndarray:
    tokens = word_tokens(text, config)
    hashes = hash_terms(tokens.terms)
    return shingle_hashes(hashes, np.array([0, len(hashes)]), ngram).hashes


# -- word_tokens ------------------------------------------------------------------


def test_word_tokens_ascii_offsets_and_case():
    text = "The cat, the HAT_2 and 42."
    tok = word_tokens(text)
    assert tok.terms == ("the", "cat", "the", "hat_2", "and", "42")
    assert [text[s:e] for s, e in zip(tok.starts, tok.ends)] == [
        "The", "cat", "the", "HAT_2", "and", "42"
    ]


def test_word_tokens_normalises_before_tokenising():
    composed = word_tokens("Crème brûlée")
    decomposed = word_tokens("Cre\u0300me bru\u0302le\u0301e")
    assert composed.terms == decomposed.terms == ("crème", "brûlée")
    # offsets cover the decomposed characters too
    text = "Cre\u0300me bru\u0302le\u0301e"
    assert [text[s:e] for s, e in zip(decomposed.starts, decomposed.ends)] == [
        "Cre\u0300me", "bru\u0302le\u0301e"
    ]
    assert word_tokens("ﬁne ™ ①").terms == ("fine", "tm", "1")


def test_word_tokens_cjk_one_token_per_character():
    tok = word_tokens("東京は晴れ, ok")
    assert tok.terms == ("東", "京", "は", "晴", "れ", "ok")
    assert tok.starts.tolist() == [0, 1, 2, 3, 4, 7]


def test_word_tokens_empty_and_punctuation_only():
    assert len(word_tokens("")) == 0
    assert len(word_tokens("  ... -- !! ")) == 0


def test_word_tokens_digit_folding():
    assert word_tokens("page 12 of 47", NormConfig(fold_digits=True)).terms == (
        "page", "00", "of", "00"
    )


def test_word_tokens_rejects_non_str():
    with pytest.raises(TypeError):
        word_tokens(b"bytes")  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(unicode_texts)
def test_word_token_spans_normalise_to_contain_their_term(text):
    tok = word_tokens(text)
    assert len(tok.starts) == len(tok.ends) == len(tok.terms)
    for term, s, e in zip(tok.terms, tok.starts.tolist(), tok.ends.tolist()):
        assert 0 <= s < e <= len(text)
        assert term in _clean_piece(text[s:e], NormConfig())


# -- hashing ------------------------------------------------------------------------


def test_hash_terms_equal_terms_equal_hashes():
    h = hash_terms(["alpha", "beta", "alpha", "", "x" * 100, "alphA"])
    assert h[0] == h[2]
    assert len({int(v) for v in h[[0, 1, 3, 4, 5]]}) == 5


def test_hash_terms_do_not_depend_on_neighbours():
    long_term = "supercalifragilistic" * 4  # longer than the word loop
    alone = hash_terms([long_term, "mid", "x" * 33])
    mixed = hash_terms(["a", long_term, "b", "mid", "x" * 33])
    assert alone[0] == mixed[1]
    assert alone[1] == mixed[3]
    assert alone[2] == mixed[4]


def test_hash_terms_lengths_around_word_boundaries():
    terms = ["a" * k for k in range(0, 70)]
    h = hash_terms(terms)
    assert len({int(v) for v in h}) == len(terms)
    # the hot path hashes the same strings identically
    text = " ".join(terms[1:])
    sh = hash_shingles([text], ngram=1)
    expected = shingle_hashes(h[1:], np.array([0, len(h) - 1]), 1).hashes
    assert np.array_equal(sh.hashes, expected)


@settings(max_examples=300, deadline=None)
@given(unicode_texts, st.integers(min_value=1, max_value=6), st.sampled_from(CONFIGS))
def test_hash_shingles_equals_reference_path(text, ngram, config):
    got = hash_shingles([text], ngram=ngram, config=config)
    assert np.array_equal(got.hashes, reference_shingles(text, ngram, config))
    assert got.indptr.tolist() == [0, len(got.hashes)]


@settings(max_examples=100, deadline=None)
@given(st.lists(unicode_texts, max_size=6))
def test_hash_shingles_batch_equals_one_by_one(texts):
    batch = hash_shingles(texts)
    assert batch.n_docs == len(texts)
    for i, text in enumerate(texts):
        assert np.array_equal(batch.doc(i), hash_shingles([text]).hashes)


def test_short_and_empty_documents():
    sh = hash_shingles(["", "one", "one two three", "a b c d e f", "!!!"], ngram=5)
    assert sh.counts().tolist() == [0, 1, 1, 2, 0]
    # a short document is one shingle of all its tokens: order matters
    a = hash_shingles(["one two"]).hashes
    b = hash_shingles(["two one"]).hashes
    assert len(a) == len(b) == 1 and a[0] != b[0]


def test_shingles_do_not_cross_documents():
    joined = hash_shingles(["a b c d e f g h"]).hashes
    split = hash_shingles(["a b c d", "e f g h"])
    assert split.counts().tolist() == [1, 1]
    assert not set(split.hashes.tolist()) & set(joined.tolist())


def test_case_and_width_variants_share_shingles():
    a = hash_shingles(["The quick brown fox jumps over the lazy dog"]).hashes
    b = hash_shingles(["THE  quick\nbrown FOX jumps over the lazy dog!"]).hashes
    c = hash_shingles(["Ｔｈｅ quick brown fox jumps over the lazy dog"]).hashes
    assert np.array_equal(a, b)
    assert np.array_equal(a, c)


def test_hash_shingles_rejects_a_bare_string_and_non_str():
    with pytest.raises(TypeError, match="single str"):
        hash_shingles("a text")
    with pytest.raises(TypeError, match="document 1"):
        hash_shingles(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        hash_shingles(["a b"], ngram=0)


def test_shingle_hashes_ngram_one_is_token_hashes():
    th = hash_terms(["x", "y", "z"])
    sh = shingle_hashes(th, np.array([0, 2, 2, 3]), 1)
    assert sh.counts().tolist() == [2, 0, 1]


@pytest.mark.parametrize("ngram", [3, 12, 13, 30])
def test_long_ngrams_equal_window_by_window(ngram):
    th = hash_terms([f"w{i % 17}" for i in range(80)])
    whole = shingle_hashes(th, np.array([0, 50, 80]), ngram)
    by_window = [
        shingle_hashes(th[s + i : s + i + ngram], np.array([0, ngram]), ngram).hashes[0]
        for s, e in ((0, 50), (50, 80))
        for i in range(e - s - ngram + 1)
    ]
    assert whole.hashes.tolist() == by_window
    # a document of exactly n tokens: the same shingle whether n is the
    # n-gram size or the document is "short" for a larger one
    doc = np.array([0, ngram])
    assert shingle_hashes(th[:ngram], doc, ngram).hashes[0] == shingle_hashes(th[:ngram], doc, ngram + 1).hashes[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(unicode_texts, max_size=5), st.sampled_from(CONFIGS))
def test_hash_tokens_equal_hashes_of_word_tokens(texts, config):
    hashes, indptr = hash_tokens(texts, config=config)
    assert len(indptr) == len(texts) + 1
    for i, text in enumerate(texts):
        expected = hash_terms(word_tokens(text, config).terms)
        assert np.array_equal(hashes[indptr[i] : indptr[i + 1]], expected)


def test_hash_tokens_rejects_a_bare_string():
    with pytest.raises(TypeError, match="not a single str"):
        hash_tokens("a text")
