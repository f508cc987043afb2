"""Tests for spindetect.signals.layout: blocks, skeletons and their similarity."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.signals.layout import (
    BLOCK_TYPES,
    Skeleton,
    blocks,
    pairwise_skeleton_similarity,
    skeleton,
    skeleton_info,
    skeleton_shingles,
    skeleton_similarity,
)

DATA = Path(__file__).resolve().parents[1] / "data"

PAGE = """Winter Care for Potted Roses

Roses in containers feel the cold far more than roses in the ground, because their roots have only a thin wall of clay between them and the frost.
- Move the pots against a sheltered wall
- Wrap the containers in burlap
- Water lightly on mild days
Move the pots against a sheltered wall

A wall that faces south stores heat during the day and gives it back at night, which is often enough to keep the roots alive through a hard week.
Posted in December.
"""


def page(keyword: str, items: tuple[str, str]) -> str:
    """A tiny two-section template page with list items echoed as section titles."""
    a, b = items
    return (
        f"Everything you need to know about {keyword} is in this short guide, written for beginners and experts alike.\n"
        f"- {a}\n- {b}\n"
        f"{a}\n"
        f"Here we look closely at the first question about {keyword} and explain what matters most in daily practice.\n"
        f"{b}\n"
        f"Here we look closely at the second question about {keyword} and explain what matters most in daily practice.\n"
    )


def test_block_types_and_offsets():
    blks = blocks(PAGE)
    assert [b.type for b in blks] == [
        "heading",
        "paragraph",
        "list_item",
        "list_item",
        "list_item",
        "heading",
        "paragraph",
        "short",
    ]
    for b in blks:
        assert b.type in BLOCK_TYPES
        assert PAGE[b.start : b.end] == b.text
        assert b.text == b.text.strip() and b.text


def test_blank_lines_are_separators_not_blocks():
    assert blocks("\n\n  \n") == ()
    assert blocks("") == ()
    assert len(blocks("First Heading\n\n\n\nSecond Heading")) == 2


def test_hard_wrapped_paragraph_is_one_block():
    text = (
        "This paragraph was wrapped by an old editor at a fixed width so\n"
        "that every line ends in the middle of a sentence, and the reader\n"
        "should still see one paragraph.\n\nA Heading Here"
    )
    blks = blocks(text)
    assert [b.type for b in blks] == ["paragraph", "heading"]
    assert blks[0].text.endswith("one paragraph.")


def test_indented_continuation_of_list_item():
    blks = blocks("- first item that is long\n  and continues here\n- second item")
    assert [b.type for b in blks] == ["list_item", "list_item"]
    assert "continues" in blks[0].text


def test_blocks_rejects_non_str():
    with pytest.raises(TypeError, match="str"):
        blocks(b"bytes")  # type: ignore[arg-type]


def test_echo_marks_point_back_without_text():
    sk = skeleton(PAGE)
    assert sk.codes == ("H", "P", "L", "L", "L", "H^3", "P", "S")
    assert sk.echoes == (0, 0, 0, 0, 0, 3, 0, 0)
    assert len(sk.buckets) == len(sk.codes)
    assert all("wall" not in c for c in sk.codes)


def test_template_pages_with_different_keywords_share_a_skeleton():
    a = skeleton(page("sourdough", ("Feeding the starter", "Shaping the loaf")))
    b = skeleton(page("espresso", ("Grinding the beans", "Steaming the milk")))
    assert a.codes == b.codes
    assert skeleton_similarity(a, b) == 1.0


def test_similarity_identical_empty_and_range():
    a = skeleton(PAGE)
    empty = skeleton("")
    assert skeleton_similarity(a, a) == 1.0
    assert skeleton_similarity(empty, empty) == 1.0
    assert skeleton_similarity(a, empty) == 0.0
    other = skeleton("Just one paragraph of prose that goes on for quite a while without any structure at all.")
    s = skeleton_similarity(a, other)
    assert 0.0 <= s < 0.5


def test_similarity_orders_near_and_far_layouts():
    base = skeleton(PAGE)
    # one block removed is closer than a page of paragraphs only
    near = skeleton(PAGE.replace("Posted in December.\n", ""))
    far = skeleton("\n\n".join(["A long enough paragraph of text that keeps going and going for a while."] * 8))
    assert skeleton_similarity(base, near) > skeleton_similarity(base, far)


def test_skeleton_to_dict_and_types():
    sk = skeleton(PAGE)
    d = sk.to_dict()
    assert d["codes"] == list(sk.codes)
    assert sk.types == ("H", "P", "L", "L", "L", "H", "P", "S")


def test_skeleton_shingles_hashable_and_deterministic():
    sk = skeleton(PAGE)
    sh = skeleton_shingles(sk, 3)
    assert sh == skeleton_shingles(skeleton(PAGE), 3)
    assert hash(sh) == hash(skeleton_shingles(sk, 3))
    assert "L|L|H^3" in sh
    assert skeleton_shingles(skeleton(""), 3) == ()
    assert skeleton_shingles(Skeleton(("P",), (0,), (4,)), 3) == ("P",)
    with pytest.raises(ValueError):
        skeleton_shingles(sk, 0)


def test_skeleton_info():
    prose = "A paragraph long enough to count as prose, with many words in it, {} more words to follow here."
    plain = skeleton("\n".join(prose.format(k) for k in range(5)))
    assert skeleton_info(plain) == 0.0
    rich = skeleton(PAGE)
    assert 0.5 < skeleton_info(rich) <= 1.0


def test_pairwise_equals_single():
    texts = [PAGE, page("tea", ("Water", "Leaves")), "", "One short line", PAGE.upper()]
    sks = [skeleton(t) for t in texts]
    pairs = np.array(list(itertools.combinations(range(len(texts)), 2)))
    batch = pairwise_skeleton_similarity(sks, pairs)
    single = np.array([skeleton_similarity(sks[i], sks[j]) for i, j in pairs])
    assert np.array_equal(batch, single)
    assert pairwise_skeleton_similarity(sks, np.zeros((0, 2), dtype=np.int64)).shape == (0,)


def test_seed_pages_share_one_skeleton():
    paths = sorted(DATA.glob("*.txt"))
    if not paths:
        pytest.skip("seed pages missing")
    sks = [skeleton(p.read_text(encoding="utf-8")) for p in paths]
    for a, b in itertools.combinations(sks, 2):
        assert skeleton_similarity(a, b) >= 0.9
    for sk in sks:
        # the list items come back as section titles: as many echoes as list items
        assert sum(1 for e in sk.echoes if e) == sum(1 for c in sk.codes if c == "L") > 0
        assert skeleton_info(sk) > 0.8


_LINE = st.one_of(
    st.just(""),
    st.sampled_from(["- item one", "* other item", "1. numbered", "A Title Line", "ok.", "lower case start"]),
    st.text(alphabet="abc XYZ.,-\n", max_size=80),
)
_TEXT = st.lists(_LINE, max_size=12).map("\n".join)


@settings(max_examples=60, deadline=None)
@given(_TEXT, _TEXT)
def test_similarity_invariants(a, b):
    sa, sb = skeleton(a), skeleton(b)
    s = skeleton_similarity(sa, sb)
    assert 0.0 <= s <= 1.0
    assert s == skeleton_similarity(sb, sa)
    assert skeleton_similarity(sa, sa) == 1.0
    assert skeleton(a) == sa  # deterministic
    for blk in blocks(a):
        assert a[blk.start : blk.end] == blk.text


def test_markdown_headings():
    blks = blocks("### Soaking the seeds overnight\n\nSome text follows here.\n# a lower case title")
    assert [b.type for b in blks] == ["heading", "short", "heading"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("abcXYZ019_ -.,;:!?'\"()[]#*+•\t\x1c\x0béİß日本"), max_size=40))
def test_fast_word_split_equals_the_regex(text):
    import re

    from spindetect.signals.layout import Block, _echo_key, _n_words, _words

    assert _words(text) == re.sub(r"[^\w]+", " ", text.casefold()).split()
    for kind in ("paragraph", "list_item"):
        block = Block(start=0, end=len(text), type=kind, text=text)
        assert _n_words(block, _echo_key(block)) == len(re.findall(r"\w+", text))
