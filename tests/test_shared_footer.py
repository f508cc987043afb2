"""Issue 10: 2,000 unrelated pages that share one 479-character footer.

Site chrome is not content: pages with nothing in common but a footer must
not be clustered, whatever the order they come in.  Today the shared footer
puts 1,238 of them in 447 multi-member clusters (measured 2026-11-30; without
the footer: none), so the test is a strict xfail until chrome is masked before
the lexical pair signals.  Runtime: one 2,000-page scan, about 11 s of CPU
(15-40 s wall on the shared machine); a second, shuffled scan runs once the
first assertion holds.
"""

from __future__ import annotations

import random

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


@pytest.mark.xfail(strict=True, reason="issue 10: chrome masking")
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
