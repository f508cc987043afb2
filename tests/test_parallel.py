"""Threads change nothing but speed: n_jobs gives the same results as one thread, in order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect._parallel import ordered_map, resolve_jobs
from spindetect._validation import InvalidParameterError
from spindetect.boilerplate.scorer import BoilerplateScorer, score_corpus
from spindetect.signals.tfidf import TfidfSimilarity

from tests.test_boilerplate import BAKERY, PAGE_WITH_CHROME, STORIES
from tests.test_pairdots import TEXTS


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(), max_size=40), st.sampled_from([None, 1, 2, 3, -1]))
def test_ordered_map_keeps_the_input_order(items, n_jobs):
    assert list(ordered_map(lambda x: 2 * x, iter(items), n_jobs)) == [2 * x for x in items]


def test_ordered_map_runs_in_several_threads_and_raises_at_the_failing_item():
    def work(x: int) -> int:
        if x == 7:
            raise ValueError("item 7")
        return x

    got = []
    with pytest.raises(ValueError, match="item 7"):
        for x in ordered_map(work, range(20), 2):
            got.append(x)
    assert got == list(range(7))
    assert list(ordered_map(work, range(7), 1)) == list(range(7))


def test_resolve_jobs():
    assert resolve_jobs(None) == 1 and resolve_jobs(3) == 3
    assert resolve_jobs(-1) >= 1 and resolve_jobs(-2) == max(resolve_jobs(-1) - 1, 1)
    with pytest.raises(InvalidParameterError):
        resolve_jobs(0)


def _corpus() -> tuple[list[str], list[str | None], list[str | None]]:
    texts = BAKERY + [PAGE_WITH_CHROME, BAKERY[0], STORIES[1], BAKERY[2], PAGE_WITH_CHROME] + STORIES
    families = (["bakery"] * 4 + [None, "bakery", None, "bakery", None] + [None] * len(STORIES))[: len(texts)]
    groups = (["g0", None, "g2", None, "gp", "g0", None, "g2", "gp"] + [None] * len(STORIES))[: len(texts)]
    return texts, families, groups


@pytest.mark.parametrize("batch_chars", [1, 300, 500_000])
def test_boilerplate_reports_do_not_depend_on_n_jobs(batch_chars):
    texts, families, groups = _corpus()
    one = BoilerplateScorer(batch_chars=batch_chars, n_jobs=1)
    expected = one.fit_score(texts, families, groups)
    for n_jobs in (2, 3, -1):
        many = BoilerplateScorer(batch_chars=batch_chars, n_jobs=n_jobs)
        assert many.fit_score(texts, families, groups) == expected
        assert (many.n_units_, many.top_passages_) == (one.n_units_, one.top_passages_)
        assert many.score(texts[:5]) == one.score(texts[:5])
        assert score_corpus(many, texts) == score_corpus(one, texts)


def test_boilerplate_spilled_in_threads_gives_the_same_reports(monkeypatch):
    from spindetect.boilerplate import evidence

    texts, families, groups = _corpus()
    expected = BoilerplateScorer(batch_chars=300, n_jobs=1).fit_score(texts, families, groups)
    monkeypatch.setattr(evidence, "_SPILL_BYTES", 0)
    monkeypatch.setattr(evidence, "_KEEP_BYTES", 0)
    assert BoilerplateScorer(batch_chars=300, n_jobs=2).fit_score(texts, families, groups) == expected


@pytest.mark.parametrize("char_max_bytes", [2**27, 20000])
def test_char_cosine_does_not_depend_on_n_jobs(tmp_path, char_max_bytes):
    pairs = np.array([[0, 1], [0, 4], [2, 3], [1, 5], [3, 3], [2, 5]])
    settings = dict(char_max_docs=1, char_max_bytes=char_max_bytes, work_dir=str(tmp_path))
    one = TfidfSimilarity(n_jobs=1, **settings).fit(TEXTS).char_cosine(pairs)
    for n_jobs in (2, -1):
        many = TfidfSimilarity(n_jobs=n_jobs, **settings).fit(TEXTS).char_cosine(pairs)
        assert np.array_equal(many, one)
