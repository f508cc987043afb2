"""Outline keys, candidates and scores; repeated lines; style profiles."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from spindetect.signals.layout import _words, blocks
from spindetect.signals.outline import OUTLINE_SCORES, OutlineIndex
from spindetect.signals.repeated import RepeatedLines
from spindetect.signals.style import STYLE_SCORES, StyleProfiles

_SECTIONS = ("Why {k} matters right now", "What we tried first", "The approach that worked", "Fix 1 the common cause",
             "What I would do differently", "Frequently asked questions")


def _page(keyword: str, seed: int, sections=_SECTIONS) -> str:
    rng = np.random.default_rng(seed)
    vocab = [f"w{int(x)}" for x in rng.integers(0, 5000, 400)]
    lines = [f"Guide to {keyword}"]
    for s in sections:
        lines.append(s.format(k=keyword))
        words = rng.choice(vocab, 40)
        lines.append(f"The {keyword} " + " ".join(words) + f" {keyword}.")
    return "\n".join(lines)


# Four pages of one outline (keyword slot) and four with outlines of their own.
FAMILY = [_page(k, i) for i, k in enumerate(("kafka", "redis", "nginx", "postgres"))]
OTHERS = [
    _page(("gardening", "cooking", "sailing", "knitting")[i], 10 + i, sections=tuple(f"{w}{i} notes" for w in ("Alpha", "Beta", "Gamma")))
    for i in range(4)
]
TEXTS = FAMILY + OTHERS

# Two articles of one site: the same sidebar (headings over the same blurbs) and comment form, own article text.
_SIDEBAR = ("About the author",
            "Jo writes about gardens, old tools and the people who mend them, from a small shed in the hills.",
            "Subscribe by email",
            "Get every new post in your inbox once a week, never more often than that, and leave at any time.",
            "Leave a reply",
            "Your email address will not be published, and comments are read by a person before they appear.")


def _site_page(n: int) -> str:
    rng = np.random.default_rng(100 + n)
    article = " ".join(f"w{int(x)}" for x in rng.integers(0, 5000, 60))
    title = ("Pruning roses in spring", "Sharpening an old saw")[n]
    return "\n".join((title, f"The {article}.", *_SIDEBAR))


SITE = [_site_page(0), _site_page(1)]


def test_outline_family_pairs_become_candidates_and_score_high():
    idx = OutlineIndex().fit(TEXTS)
    cand = {tuple(p) for p in idx.candidate_pairs_.tolist()}
    assert {(0, 1), (0, 2), (0, 3)} <= cand
    assert all(i < 4 and j < 4 for i, j in cand)
    s = idx.score_pairs(np.array([[0, 1], [0, 5]]))
    assert tuple(s) == OUTLINE_SCORES
    assert s["outline"][0] > 0.5 and s["outline"][1] == 0.0
    assert s["outline_shared"][0] >= 5 and s["outline_runs"][0] >= 5


def test_outline_body_counts_titles_over_new_prose_not_shared_chrome():
    # Six other pages, so that the site's keys are rare (held by 2 of 10 documents).
    texts = SITE + FAMILY + OTHERS[:2] + [f"Other page {k}\nIts own text {k} goes here, plainly." for k in range(2)]
    idx = OutlineIndex().fit(texts)
    s = idx.score_pairs(np.array([[0, 1], [2, 3]]))
    assert s["outline_shared"][0] >= 3  # the sidebar's headings are shared ...
    assert s["outline_body"][0] == 0.0  # ... over the same blurbs
    assert s["outline_body"][1] >= 3  # the family's titles head each page's own text (held by 4 of 10: 0.6 each)


def test_topic_words_are_masked_in_headings():
    idx = OutlineIndex().fit(TEXTS)
    # "Why kafka matters right now" and "Why redis matters right now" are one key.
    assert len(np.intersect1d(idx.keys_[0], idx.keys_[1])) >= len(_SECTIONS)


def test_outline_not_fitted():
    with pytest.raises(NotFittedError):
        OutlineIndex().score_pairs(np.zeros((1, 2), int))


def test_repeated_lines_are_stripped():
    footer = "Copyright 2024 Example Corp. All rights reserved. Privacy policy"
    texts = [f"Article number {i} about topic {i}\nBody text {i} here.\n{footer}" for i in range(5)]
    rl = RepeatedLines().fit(texts)
    out = rl.strip(texts)
    assert all(footer not in t for t in out)
    assert out[2] == "Article number 2 about topic 2\nBody text 2 here."
    assert rl.n_repeated_ == 1
    with pytest.raises(ValueError):
        RepeatedLines(min_df=1).fit(texts)


def test_style_profiles_are_bounded_and_symmetric():
    st = StyleProfiles().fit(TEXTS)
    pairs = np.array([[0, 1], [1, 0], [0, 0], [0, 7]])
    s = st.score_pairs(pairs)
    assert tuple(s) == STYLE_SCORES
    for name in STYLE_SCORES:
        assert np.all((s[name] >= -1e-9) & (s[name] <= 1 + 1e-9))
        assert s[name][0] == pytest.approx(s[name][1])
    assert s["style_function"][2] == pytest.approx(1.0) or s["style_function"][2] == 0.0
    assert s["sentence_len_dist"][2] == 0.0


def _fresh_heads(text: str, keys: np.ndarray, other: str) -> set[int]:
    """Keys of ``text`` whose block is followed within two blocks by a paragraph ``other`` lacks."""
    def prose(t):
        return [" ".join(_words(b.text)) if b.type == "paragraph" else "" for b in blocks(t)]

    own, held = prose(text), set(prose(other))
    return {k for x, k in enumerate(keys.tolist()) if k and any(p and p not in held for p in own[x + 1 : x + 3])}


def _reference_scores(idx: OutlineIndex, texts: list[str], i: int, j: int) -> tuple[float, int, int, float]:
    """One pair, the slow way: set operations and a walk over both block sequences."""
    a = set(idx.keys_[i][idx.keys_[i] != 0].tolist())
    b = set(idx.keys_[j][idx.keys_[j] != 0].tolist())
    inter = a & b
    if not inter:
        return 0.0, 0, 0, 0.0
    w = dict(zip(idx._flat_sets[1].tolist(), idx._flat_sets[2].tolist()))
    outline = sum(w[k] for k in inter) / sum(w[k] for k in a | b)
    runs = []
    for seq in (idx.keys_[i].tolist(), idx.keys_[j].tolist()):
        flags = [k in inter for k in seq]
        runs.append(sum(1 for x, f in enumerate(flags) if f and (x == 0 or not flags[x - 1])))
    body = inter & _fresh_heads(texts[i], idx.keys_[i], texts[j]) & _fresh_heads(texts[j], idx.keys_[j], texts[i])
    top = np.log((len(texts) + 1) / 3)
    return outline, min(len(inter), 20), min(min(runs), 20), min(sum(min(w[k] / top, 1.0) for k in body), 20)


def test_vectorised_scores_equal_the_reference():
    texts = TEXTS + ["", "One line only", "Title\nWhat we tried first\nFrequently asked questions\nbody text here.",
                     SITE[0], SITE[1], "Why kafka matters right now\n" + SITE[0].split("\n", 2)[2]]
    idx = OutlineIndex().fit(texts)
    n = len(texts)
    ii, jj = np.triu_indices(n, 1)
    pairs = np.stack([ii, jj], 1)
    got = idx.score_pairs(pairs)
    for row, (i, j) in enumerate(pairs.tolist()):
        ref = _reference_scores(idx, texts, i, j)
        assert got["outline"][row] == pytest.approx(ref[0])
        assert (got["outline_shared"][row], got["outline_runs"][row]) == ref[1:3]
        assert got["outline_body"][row] == pytest.approx(ref[3])


def test_style_scores_a_block_of_pairs_at_a_time_are_the_same(monkeypatch):
    from spindetect.signals import style
    from spindetect.signals.style import StyleProfiles

    texts = [
        "First line here.\nAnd a second one, with commas; and more!",
        "Another text. Short sentences. Very short.",
        "A long line that goes on and on without stopping at all for quite a while",
        "",
        "Q? A! Maybe: yes.\n\nNew paragraph here.",
    ]
    pairs = np.array([(i, j) for i in range(5) for j in range(i + 1, 5)])
    profiles = StyleProfiles().fit(texts)
    whole = {k: v.tolist() for k, v in profiles.score_pairs(pairs).items()}
    monkeypatch.setattr(style, "_PAIR_BLOCK", 3)
    assert {k: v.tolist() for k, v in profiles.score_pairs(pairs).items()} == whole
    assert {k: v.tolist() for k, v in profiles.score_pairs(pairs[:0]).items()} == {k: [] for k in whole}
