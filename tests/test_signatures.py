"""Tests for spindetect.signals.stopsigs: SpotSigs and masked shingles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.signals.stopsigs import (
    SPOT_ANTECEDENTS,
    STOPWORDS,
    masked_shingles,
    masked_terms,
    spot_signatures,
)

ORIGINAL = (
    "The most common mistake is watering too often. Roots need air as much as they need moisture, "
    "so let the top layer of soil dry before you water again. A pot with drainage holes prevents "
    "standing water and keeps the roots healthy. Light matters even more than water for the plants."
)
# every content word swap is one word for one word; stopwords untouched
SPUN = (
    "The most frequent error is watering too frequently. Roots require air as much as they require dampness, "
    "so let the upper layer of earth dry before you water again. A container with drainage openings stops "
    "standing water and keeps the roots strong. Light matters even more than water for the greenery."
)
OTHER = (
    "Cycling to work saves money on fuel and parking. A good lock, bright lights and a waterproof jacket "
    "are all a commuter needs in the first month, and most riders are surprised how quickly the hills "
    "become easy once the legs adapt to the daily distance."
)


def _set(sh, i):
    return set(sh.doc(i).tolist())


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def test_constants_are_lowercase_function_words():
    assert SPOT_ANTECEDENTS <= STOPWORDS
    assert {"the", "a", "is", "of"} <= SPOT_ANTECEDENTS
    assert all(w == w.casefold() for w in STOPWORDS)
    assert "water" not in STOPWORDS


def test_masked_shingles_survive_synonym_swaps():
    sh = masked_shingles([ORIGINAL, SPUN, OTHER])
    assert _jaccard(_set(sh, 0), _set(sh, 1)) == 1.0
    assert _jaccard(_set(sh, 0), _set(sh, 2)) < 0.1


def test_spotsigs_closer_for_lightly_spun_than_for_unrelated():
    light = ORIGINAL.replace("mistake", "error").replace("healthy", "strong")
    sh = spot_signatures([ORIGINAL, light, OTHER])
    assert _jaccard(_set(sh, 0), _set(sh, 1)) > 0.5
    assert _jaccard(_set(sh, 0), _set(sh, 2)) == 0.0


def test_spotsigs_ignore_case_punctuation_and_stopword_gaps():
    sh = spot_signatures(["the big dog barked", "The BIG, dog; barked!", "the big and the dog barked"])
    assert _set(sh, 0) == _set(sh, 1)
    # "the big and the dog": the chain after the first "the" skips the stopwords "and the"
    assert _set(sh, 0) <= _set(sh, 2)


def test_masked_terms_classes():
    assert masked_terms(["the", "cat", "of", "2024", "x1"]) == ["the", "\x00w", "of", "\x00num", "\x00num"]


def test_empty_and_stopword_free_documents():
    sh = spot_signatures(["", "Kratom capsules", "the cat sat on the mat"])
    assert sh.n_docs == 3
    assert sh.counts().tolist()[0] == 0
    assert sh.counts().tolist()[1] == 1  # no antecedent: one signature of the whole text
    assert sh.counts().tolist()[2] >= 1
    ms = masked_shingles(["", "of the", "Home News Sports Weather Login Register Contact Help Search"])
    assert ms.counts().tolist() == [0, 1, 0]  # a menu of content words has no frame


def test_masked_shingles_need_stopwords():
    menu = "Home News Sports Weather Login Register Contact Help Search Archive Video Photos"
    other_menu = "Products Pricing Blog Careers Press Partners Support Docs Status Legal Privacy Terms"
    sh = masked_shingles([menu, other_menu], min_stopwords=0)
    assert _set(sh, 0) == _set(sh, 1)  # without the filter, any two menus look alike
    assert masked_shingles([menu, other_menu]).counts().tolist() == [0, 0]


def test_batches_return_csr_of_uint32():
    for sh in (spot_signatures([ORIGINAL, OTHER]), masked_shingles([ORIGINAL, OTHER])):
        assert sh.hashes.dtype == np.uint32
        assert sh.indptr.dtype == np.int64
        assert len(sh.indptr) == 3 and sh.indptr[0] == 0 and sh.indptr[-1] == len(sh.hashes)


@pytest.mark.parametrize("fn", [spot_signatures, masked_shingles])
def test_rejects_bare_str_and_non_str(fn):
    with pytest.raises(TypeError, match="single str"):
        fn("a text")
    with pytest.raises(TypeError, match="document 1"):
        fn(["ok", 3])


def test_parameter_validation():
    with pytest.raises(ValueError):
        spot_signatures(["a b"], k=0)
    with pytest.raises(ValueError):
        masked_shingles(["a b"], ngram=0)


_WORDS = st.sampled_from(["the", "a", "of", "is", "cat", "dog", "runs", "fast", "in", "7", "Big", "ÉTÉ", "to"])
_DOC = st.lists(_WORDS, max_size=40).map(" ".join)


@settings(max_examples=50, deadline=None)
@given(st.lists(_DOC, min_size=1, max_size=5))
def test_batch_equals_one_by_one_and_is_deterministic(docs):
    for fn in (spot_signatures, masked_shingles):
        batch = fn(docs)
        again = fn(list(docs))
        assert np.array_equal(batch.hashes, again.hashes)
        for i, d in enumerate(docs):
            assert np.array_equal(batch.doc(i), fn([d]).doc(0))


def test_masked_shingles_hash_the_masked_terms():
    from spindetect.signals.stopsigs import masked_shingles_from_terms
    from spindetect.text.tokens import hash_terms, shingle_hashes, word_tokens

    terms = list(word_tokens(ORIGINAL).terms)
    indptr = np.array([0, len(terms)])
    expected = shingle_hashes(hash_terms(masked_terms(terms)), indptr, 8)
    got = masked_shingles_from_terms(terms, indptr, ngram=8, min_stopwords=0)
    assert np.array_equal(expected.hashes, got.hashes)
    with pytest.raises(ValueError, match="term_hashes"):
        masked_shingles_from_terms(terms, indptr, term_hashes=np.zeros(3, dtype=np.uint64))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=list("ab1 ٣①½THE the of Of is\n.éß日本"), max_size=40), max_size=5))
def test_batch_classes_equal_term_classes(texts):
    from spindetect.signals.stopsigs import batch_classes, _term_classes
    from spindetect.text.tokens import token_batch, word_tokens

    terms = [t for text in texts for t in word_tokens(text).terms]
    th, stop, ante, num = _term_classes(terms)
    batch = token_batch(texts)
    got = batch_classes(batch)
    assert np.array_equal(batch.hashes, th)
    for a, b in zip(got, (stop, ante, num)):
        assert a.tolist() == b.tolist()
