"""Issue 10: 2,000 unrelated pages that share one 479-character footer.

Site chrome is not content: pages with nothing in common but a footer must
not be clustered, whatever the order they come in.  Before the footer was
masked from the word-shingle overlap, the shared footer put 431 of them in
204 multi-member clusters.  The footer lines are chrome (held by pages of at
least ``SITE_CHROME_DF`` near-copy groups).  Masked from the word-shingle
overlap only, the scan still put 6-10 pages in 3-5 clusters: the footer
also carried the word TF-IDF cosine, the layout and the outline scores (the
pair model's reasons: ``cosine_word`` +1.3 to +2.4, ``skeleton_info``,
``outline_runs``) and made 20,047 candidates instead of the 8,746 of the
bare articles.  Now it is masked before those indexes too: 8,871
candidates, as without the footer.  With the pair model of 1ed70e8 that left no
cluster; with main's set-weighted model (0ed7b32) the pages come out as the
bare articles do (56 pages in 28 clusters; bare articles: 62 in 31): the
model accepts same-topic generated articles, so the test stays a strict xfail
(measured 2026-12-01).  What carries them (``benchmarks/footer_study.py``, 06d3d62: 37
accepted pairs, every one of one topic): ``cosine_word`` ~.14 (+1.97; the model's response
is flat from .10 up, where templated-dev's family pairs sit), one shared word 5-gram
(``jaccard`` .002, +.74) and for the last ones one rare 8-word phrase the generator wrote
twice.  Training on 1,500 independent same-topic generated articles
(``benchmarks/recipe_study.py same-topic-x4``) leaves 1 cluster of 2 pages but costs
templated-dev out of fold R .347 -> .268 and dragnet-train 25 -> 48 wrongly joined page
pairs (x1: 5 pairs accepted, R .310, dragnet 33): not shipped.
Candidates break ties by content (``tests/test_input_order.py``), so a
shuffled input gives the same partition.
Runtime: two 2,000-page scans, about 11 s of CPU each (15-80 s wall on the
shared machine).
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


@pytest.mark.xfail(strict=True, reason="issue 10: the pair model joins same-topic generated articles, footer or not")
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
