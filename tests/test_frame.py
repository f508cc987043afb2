"""Tests for spindetect.signals.frame: the short lines a pair shares at its start and end."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from spindetect.signals.frame import FRAME_SCORES, SHORT_WORDS, EdgeFrame
from spindetect.signals.layout import _words

MENU = "Home\nAbout us\nContact\nArchive"
FOOTER = "Leave a comment\nName (required)\nNovember 2012\nOctober 2012\nSeptember 2012\n(c) 2012 A small blog"
ROSES = "Pruning roses in spring keeps them strong, and a sharp pair of secateurs makes clean cuts that heal fast."
SAW = "Sharpening an old saw takes a triangular file, a vice to hold the blade and a steady hand for every tooth."
SPUN_ROSES = "Trimming roses in springtime keeps them sturdy, and a keen pair of secateurs makes neat cuts that mend quickly."
LICENCE = (
    "Permission is hereby granted, free of charge, to any person obtaining a copy\n"
    "of this software and associated documentation files (the Software), to deal\n"
    "in the Software without restriction, including without limitation the rights\n"
    "{holder}\n"
    "to use, copy, modify, merge, publish, distribute, sublicense, and or sell\n"
    "copies of the Software, and to permit persons to whom the Software is"
)


def _page(body: str) -> str:
    return f"{MENU}\n{body}\n{FOOTER}"


def _all_pairs(n: int) -> np.ndarray:
    return np.array(list(itertools.combinations(range(n), 2)), dtype=np.int64).reshape(-1, 2)


def test_two_pages_of_one_site_are_mostly_frame():
    frame = EdgeFrame().fit([_page(ROSES), _page(SAW)])
    assert frame.score_pairs(np.array([[0, 1]]))["edge_chrome"][0] > 0.7


def test_copies_share_their_middle():
    texts = [_page(ROSES), _page(ROSES), _page(ROSES.replace("fast", "quickly")), _page(SPUN_ROSES)]
    s = EdgeFrame().fit(texts).score_pairs(np.array([[0, 1], [0, 2], [0, 3]]))["edge_chrome"]
    assert s[0] == 0.0  # an exact copy is all frame: no middle to differ
    assert s[1] < 0.15  # one word changed
    assert s[2] < 0.7 * EdgeFrame().fit([_page(ROSES), _page(SAW)]).score_pairs(np.array([[0, 1]]))["edge_chrome"][0]


def test_long_shared_lines_are_body_not_chrome():
    # Two licence variants differing in one line: their wrapped prose lines are longer than SHORT_WORDS.
    texts = [LICENCE.format(holder="Copyright 2004 Jane Doe"), LICENCE.format(holder="Copyright 2011 Acme Widgets Ltd")]
    assert EdgeFrame().fit(texts).score_pairs(np.array([[0, 1]]))["edge_chrome"][0] == 0.0


def test_pairs_without_shared_edges_and_empty_texts_score_zero():
    texts = [_page(ROSES), SAW, "", "Home\n" + SAW, "   \n\n"]
    s = EdgeFrame().fit(texts).score_pairs(_all_pairs(len(texts)))["edge_chrome"]
    assert s.shape == (10,)
    # (0, 3) share the first line "Home" only; (1, 3) share a long line: body, not chrome.
    assert 0.0 < s[2] < 0.2
    assert s[[0, 1, 3, 4, 5, 6, 7, 8, 9]].tolist() == [0.0] * 9  # nothing short shared at an edge, or an empty side
    assert 0.0 <= s.min() and s.max() <= 1.0


def test_symmetric_and_names():
    texts = [_page(ROSES), _page(SAW), MENU + "\n" + SAW]
    frame = EdgeFrame().fit(texts)
    pairs = _all_pairs(3)
    assert set(frame.score_pairs(pairs)) == set(FRAME_SCORES)
    a = frame.score_pairs(pairs)["edge_chrome"]
    b = frame.score_pairs(pairs[:, ::-1])["edge_chrome"]
    np.testing.assert_allclose(a, b)
    assert frame.score_pairs(np.zeros((0, 2), np.int64))["edge_chrome"].shape == (0,)


def test_not_fitted_and_bare_string():
    with pytest.raises(NotFittedError):
        EdgeFrame().score_pairs(np.array([[0, 1]]))
    with pytest.raises(TypeError):
        EdgeFrame().fit("one text")


def _reference(a: str, b: str) -> float:
    """One pair the slow way: walk both line lists from each end."""
    la = [tuple(_words(x)) for x in a.split("\n") if _words(x)]
    lb = [tuple(_words(x)) for x in b.split("\n") if _words(x)]
    n = min(len(la), len(lb))
    p = 0
    while p < n and la[p] == lb[p]:
        p += 1
    s = 0
    while s < n - p and la[-1 - s] == lb[-1 - s]:
        s += 1
    if not la or not lb:
        return 0.0

    def short(lines):
        edge = lines[:p] + lines[len(lines) - s:]
        return sum(len(x) <= SHORT_WORDS for x in edge) / len(lines)

    c = min(short(la), short(lb))
    wa = {w for x in la[p: len(la) - s] for w in x}
    wb = {w for x in lb[p: len(lb) - s] for w in x}
    overlap = len(wa & wb) / len(wa | wb) if wa and wb else 1.0
    return c * (1.0 - overlap)


_LINES = st.sampled_from(["Home", "About us", "Contact", "November 2012", ROSES, SAW, "Leave a comment", "roses", ""])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_LINES, max_size=8).map("\n".join), min_size=2, max_size=6))
def test_vectorised_equals_the_reference(texts):
    pairs = _all_pairs(len(texts))
    got = EdgeFrame().fit(texts).score_pairs(pairs)["edge_chrome"]
    want = [_reference(texts[i], texts[j]) for i, j in pairs.tolist()]
    np.testing.assert_allclose(got, want)
