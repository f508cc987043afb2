"""Site chrome masking (signals/repeated.py): which shared lines are chrome, and which are content."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spindetect as sd
from spindetect.detector import SITE_CHROME_DF
from spindetect.signals.repeated import RepeatedLines

NAV = ["Home", "News", "Sport", "Weather"]
FOOTER = ["About us | Contact | Jobs", "Copyright 2024 Example Media. All rights reserved."]


def _article(k: int, heading: str = "") -> list[str]:
    """Two paragraphs of words of this article only (and a heading between them)."""
    body = [f"Paragraph one of article {k} says w{k}a w{k}b w{k}c.", f"Paragraph two of article {k} adds w{k}d w{k}e."]
    return [body[0], heading, body[1]] if heading else body


def _page(k: int, heading: str = "") -> str:
    return "\n".join(NAV + _article(k, heading) + FOOTER)


def test_menus_and_footers_of_unrelated_pages_are_masked():
    texts = [_page(k) for k in range(5)]
    out = RepeatedLines().fit(texts).strip(texts)
    assert out == ["\n".join(_article(k)) for k in range(5)]


def test_a_heading_shared_between_paragraphs_stays():
    texts = [_page(k, heading="Frequently asked questions") for k in range(5)]
    out = RepeatedLines().fit(texts).strip(texts)
    assert all("Frequently asked questions" in t for t in out)
    assert not any("Home" in t or "Copyright" in t for t in out)


def test_a_short_run_inside_the_page_stays_a_long_one_goes():
    texts = ["\n".join(_article(k)[:1] + NAV[:2] + _article(k)[1:]) for k in range(4)]
    assert all("Home\nNews" in t for t in RepeatedLines().fit(texts).strip(texts))
    texts = ["\n".join(_article(k)[:1] + NAV + _article(k)[1:]) for k in range(4)]
    assert not any("Home" in t for t in RepeatedLines().fit(texts).strip(texts))


def test_lines_of_one_near_copy_group_are_content():
    texts = [_page(k) for k in range(5)]
    # Pages 0-2 are one group (near-copies), 3 and 4 their own: three groups hold the chrome.
    rl = RepeatedLines().fit(texts, groups=[0, 0, 0, 1, 2])
    assert rl.n_repeated_ == len(NAV) + len(FOOTER)
    rl = RepeatedLines().fit(texts, groups=[0, 0, 0, 1, 1])
    assert rl.n_repeated_ == 0
    assert rl.strip(texts) == texts


def test_a_page_made_of_shared_lines_keeps_them():
    notice = ["Licensed under the Apache License", "You may not use this file except in compliance",
              "Unless required by applicable law", "See the License for the specific language"]
    texts = ["\n".join(notice + [f"Copyright {2000 + k} holder {k}"]) for k in range(6)]
    assert RepeatedLines().fit(texts).strip(texts) == texts
    # Under a higher cap (the shared lines cover 26 of its 30 words) they go.
    assert RepeatedLines(max_share=0.9).fit(texts).strip(texts)[0] == "Copyright 2000 holder 0"


def test_groups_must_match_texts():
    with pytest.raises(ValueError, match="2 groups for 3 texts"):
        RepeatedLines().fit(["a", "b", "c"], groups=[0, 1])
    with pytest.raises(ValueError):
        RepeatedLines(max_share=1.5).fit(["a"])


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(8))), st.lists(st.integers(0, 3), min_size=8, max_size=8))
def test_masking_does_not_depend_on_input_order(order, groups):
    texts = [_page(k, heading="Conclusion" if k % 2 else "") for k in range(6)] + ["Home\nNews", "\n".join(FOOTER)]
    base = RepeatedLines().fit(texts, groups=groups).strip(texts)
    shuffled = RepeatedLines().fit([texts[i] for i in order], groups=[groups[i] for i in order])
    assert shuffled.strip([texts[i] for i in order]) == [base[i] for i in order]


def _site(n: int) -> list[str]:
    """``n`` unrelated articles of one site: the same menu on top, the same footer below."""
    rng = np.random.default_rng(7)
    pages = []
    for k in range(n):
        words = [f"t{k}w{int(x)}" for x in rng.integers(0, 10**6, 120)]
        paras = [" ".join(words[s : s + 40]) + "." for s in (0, 40, 80)]
        pages.append("\n".join(NAV + [f"Article {k}", *paras] + FOOTER))
    return pages


def test_detector_masks_chrome_of_many_pages_before_the_word_overlap():
    pages = _site(SITE_CHROME_DF + 10)
    texts = pages + [pages[0]]  # an exact copy of the first page stays exact
    det = sd.Detector(boilerplate=False).fit(texts)
    assert det.chrome_.n_repeated_ == len(NAV) + len(FOOTER)
    scores = det.score_pairs(np.array([[0, 1], [2, 3], [0, len(pages)]]))
    assert scores["jaccard"][:2].tolist() == [0.0, 0.0]
    assert scores["exact"].tolist() == [False, False, True]
    assert det.labels_[len(pages)] == det.labels_[0]
    assert len(set(det.labels_[: len(pages)].tolist())) == len(pages)


def test_chrome_of_a_few_pages_is_left_to_the_pair_model():
    det = sd.Detector(boilerplate=False).fit(_site(5))
    assert det.chrome_.n_repeated_ == 0
    assert det.score_pairs(np.array([[0, 1]]))["jaccard"][0] > 0
