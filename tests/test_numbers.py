"""Tests for spindetect.signals.numbers: version-like numbers a pair does not share."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from corpora import spun_family
import spindetect as sd
from spindetect.signals.numbers import NUMBER_SCORES, VersionNumbers, version_numbers

NOTICE = (
    "This library is free software; you can redistribute it and/or modify it under the terms of the "
    "GNU {name} General Public License as published by the Free Software Foundation; either version "
    "{version} of the License, or (at your option) any later version. Copyright 2004 {holder}, "
    "59 Temple Place, Suite 330, Boston, MA 02111-1307 USA."
)


def _notice(version: str, holder: str = "Jane Doe", name: str = "Lesser") -> str:
    return NOTICE.format(version=version, holder=holder, name=name)


def _all_pairs(n: int) -> np.ndarray:
    return np.array(list(itertools.combinations(range(n), 2)), dtype=np.int64).reshape(-1, 2)


def test_version_like_numbers_only():
    text = "version 2.1 (v1.0.2), clause 3, year 2004, suite 330, 59 Temple Place, x2 2nd 12.5x, 02111-1307"
    assert version_numbers(text) == ["2.1", "1.0.2", "3"]


def test_licence_notices_differing_in_version_differ():
    texts = [
        _notice("2.1"),
        _notice("2.1", holder="Acme Widgets Ltd"),  # same licence, another holder and year
        _notice("2"),  # the same words but version 2: another licence
        _notice("2.1").replace("2004", "1999"),  # a year is not a version
    ]
    s = VersionNumbers().fit(texts).score_pairs(np.array([[0, 1], [0, 2], [0, 3], [1, 2]]))
    # {2.1} against {2}: the street number, the year and the postcode do not count
    assert s["numbers_differ"].tolist() == [0.0, 1.0, 0.0, 1.0]


def test_share_of_numbers_one_text_has():
    texts = ["release 1.2 and 1.3", "release 1.2 and 1.4", "no numbers", "none either"]
    s = VersionNumbers().fit(texts).score_pairs(np.array([[0, 1], [0, 2], [2, 3]]))
    # {1.2, 1.3} vs {1.2, 1.4}: 2 of 3 not shared; numbers against none: 1; no numbers at all: 0
    assert np.allclose(s["numbers_differ"], [2 / 3, 1.0, 0.0])


def test_spun_copies_keep_their_numbers():
    docs, partition = spun_family()
    texts = [t for _, t in docs]
    ids = [i for i, _ in docs]
    family = max(partition, key=len)
    pairs = np.array([[ids.index(a), ids.index(b)] for a, b in itertools.combinations(sorted(family), 2)])
    assert np.all(VersionNumbers().fit(texts).score_pairs(pairs)["numbers_differ"] == 0.0)


def test_not_fitted_and_bare_string():
    with pytest.raises(NotFittedError):
        VersionNumbers().score_pairs(np.array([[0, 1]]))
    with pytest.raises(TypeError):
        VersionNumbers().fit("one text, not a corpus")


def test_empty_pairs_and_score_names():
    s = VersionNumbers().fit(["a 1", "b 2"]).score_pairs(np.zeros((0, 2), np.int64))
    assert tuple(s) == NUMBER_SCORES and len(s["numbers_differ"]) == 0


def test_chunks_give_the_same_scores(monkeypatch):
    import spindetect.signals.numbers as numbers

    texts = [" ".join(str(k) for k in range(d % 7, d % 7 + 9)) + f" v{d % 3}.1" for d in range(30)]
    pairs = _all_pairs(len(texts))
    whole = VersionNumbers().fit(texts).score_pairs(pairs)["numbers_differ"]
    monkeypatch.setattr(numbers, "_CHUNK_VALUES", 5)
    assert np.array_equal(VersionNumbers().fit(texts).score_pairs(pairs)["numbers_differ"], whole)


_WORDS = st.sampled_from(["version", "2", "2.1", "3", "1.0.2", "licence", "v4", "2004", "12", "the"])
_TEXTS = st.lists(st.lists(_WORDS, max_size=12).map(" ".join), min_size=2, max_size=8)


@settings(max_examples=60, deadline=None)
@given(_TEXTS)
def test_symmetric_bounded_deterministic(texts):
    pairs = _all_pairs(len(texts))
    fitted = VersionNumbers().fit(texts)
    s = fitted.score_pairs(pairs)["numbers_differ"]
    assert np.all((s >= 0) & (s <= 1))
    assert np.array_equal(fitted.score_pairs(pairs[:, ::-1])["numbers_differ"], s)
    assert np.array_equal(VersionNumbers().fit(texts).score_pairs(pairs)["numbers_differ"], s)
    same = np.array([[i, i] for i in range(len(texts))])
    assert np.all(fitted.score_pairs(same)["numbers_differ"] == 0)


def test_detector_scores_every_pair_and_still_finds_spins():
    docs, partition = spun_family()
    extra = [("lgpl", _notice("2.1")), ("gpl", _notice("2", name="Library"))]
    ids = [i for i, _ in docs] + [i for i, _ in extra]
    result = sd.Detector(boilerplate=False).fit_detect([t for _, t in docs + extra], ids=ids)
    label = dict(zip(ids, result.labels))
    family = max(partition, key=len)
    assert len({label[i] for i in family}) == 1
    pairs = result.pairs
    assert len(pairs.scores["numbers_differ"]) == len(pairs)
    row = pairs.find(ids.index("lgpl"), ids.index("gpl"))
    assert row is not None and pairs.scores["numbers_differ"][row] == 1.0
