"""Issue 10: 2,000 unrelated pages that share one 479-character footer.

Site chrome is not content: pages with nothing in common but a footer must
not be clustered, whatever the order they come in.  Before the footer was
masked from the word-shingle overlap, the shared footer put 431 of them in
204 multi-member clusters.  Now the footer lines are chrome (held by pages of
at least ``SITE_CHROME_DF`` near-copy groups) and the word overlap of the
pages is the overlap of their articles; the scan still puts 10 pages in 5
clusters, and 8 pages in 4 clusters *without* the footer: the pair model
accepts a few pairs of same-topic generated articles (probability 0.30-0.67,
on their shared 5-grams and word cosine), so the whole test stays a strict
xfail until the pair decision rejects them (measured 2026-11-30).
Runtime: one 2,000-page scan, about 11 s of CPU (15-60 s wall on the shared
machine); a second, shuffled scan runs once the first assertion holds.
"""
from __future__ import annotations

import random

import numpy as np
import pytest
from corpora import SHARED_FOOTER, shared_footer_pages

import spindetect as sd


def _partition(ids, labels) -> set[frozenset[str]]:
    blocks: dict[object, set[str]] = {}
    for doc_id, label in zip(ids, labels):
        blocks.setdefault(label, set()).add(doc_id)
    return {frozenset(b) for b in blocks.values()}


def test_footer_is_479_characters():
    assert len(SHARED_FOOTER) == 479


@pytest.mark.xfail(strict=True, reason="issue 10: the pair model joins a few same-topic generated pairs, footer or not")
def test_shared_footer_pages_are_not_clustered_in_any_order():
    corpus = shared_footer_pages(2000, seed=0)
    result = sd.Detector().fit_detect(corpus.texts, ids=corpus.ids)
    multi = [b for b in _partition(corpus.ids, result.labels) if len(b) > 1]
    assert multi == [], f"{sum(map(len, multi))} pages in {len(multi)} clusters"

    order = list(range(len(corpus.docs)))
    random.Random(1).shuffle(order)
    ids = [corpus.ids[i] for i in order]
    shuffled = sd.Detector().fit_detect([corpus.texts[i] for i in order], ids=ids)
    assert _partition(ids, shuffled.labels) == _partition(corpus.ids, result.labels)


def test_the_footer_adds_nothing_to_the_word_overlap_in_any_order():
    """The footer lines are chrome: the pages' word overlap is their articles', in any order."""
    corpus = shared_footer_pages(300, seed=0)
    bare = [t[: -len(SHARED_FOOTER)].rstrip() for t in corpus.texts]
    det = sd.Detector(boilerplate=False).fit(corpus.texts, ids=corpus.ids)
    assert det.chrome_.n_repeated_ == len(SHARED_FOOTER.splitlines())
    pairs = np.array([[i, j] for i in range(0, 300, 7) for j in range(i + 1, 300, 11)])
    with_footer = det.score_pairs(pairs)
    without = sd.Detector(boilerplate=False).fit(bare, ids=corpus.ids).score_pairs(pairs)
    for name in ("jaccard", "containment", "containment_min"):
        assert np.array_equal(with_footer[name], without[name]), name

    # The masking does not depend on the input order (nor do the candidate pairs: large
    # buckets and per-document budgets break ties by content, see test_input_order.py).
    order = list(range(300))
    random.Random(2).shuffle(order)
    where = np.argsort(order)
    shuffled = sd.Detector(boilerplate=False).fit([corpus.texts[i] for i in order])
    again = shuffled.score_pairs(np.sort(where[pairs], axis=1))
    for name in ("jaccard", "containment", "containment_min"):
        assert np.array_equal(again[name], with_footer[name]), name
