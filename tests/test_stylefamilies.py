"""Synthetic style families (benchmarks/stylefamilies.py): shape of the training set.

A fixed list of plain sentences stands in for dragnet-train's (real_sentences
falls back to a filler without ../shared; the tests need neither).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks.stylefamilies import PREFIX_CHARS, style_families  # noqa: E402

_WORDS = ("river stone market garden window letter engine harbor village winter "
          "copper lantern meadow signal ladder canvas orchard thunder pocket").split()
_VOICE = ("you", "we", "they", "i", "it", "not", "can", "should", "this", "is", "was", "were")
SENTENCES = [
    f"{_VOICE[k % len(_VOICE)].capitalize()} " + " ".join(_WORDS[(k * 7 + j) % len(_WORDS)] for j in range(4 + k % 20)) + "."
    for k in range(600)
]


def _families(data):
    by = defaultdict(list)
    for k, (g, v) in enumerate(zip(data.gold, data.variants)):
        if v == "family":
            by[g].append(k)
    return by


def test_same_seed_same_set_other_seed_other_set():
    a = style_families(SENTENCES, n_families=4, seed=3)
    assert a.texts == style_families(SENTENCES, n_families=4, seed=3).texts
    assert a.texts != style_families(SENTENCES, n_families=4, seed=4).texts


def test_families_of_four_to_ten_and_one_negative_each():
    data = style_families(SENTENCES, n_families=5, seed=0, siblings=(0, 0))
    fams = _families(data)
    assert len(fams) == 5 and all(4 <= len(m) <= 10 for m in fams.values())
    negatives = [k for k, v in enumerate(data.variants) if v == "negative"]
    assert len(negatives) == sum(len(m) for m in fams.values())
    assert all(data.gold[k] == data.ids[k] for k in negatives)  # a negative is alone
    assert len(style_families(SENTENCES, n_families=5, seed=0, negatives=False, siblings=(0, 0))) == len(data) - len(negatives)
    with_siblings = style_families(SENTENCES, n_families=5, seed=0)
    assert 5 * 2 <= len(with_siblings) - len(data) <= 5 * 5


def test_members_share_few_heading_lines():
    # paraphrased headings: two members share far fewer lines than their heading count
    data = style_families(SENTENCES, n_families=6, seed=1, truncated=0.0)
    for members in _families(data).values():
        for i, j in combinations(members, 2):
            a, b = (set(data.texts[k].splitlines()) for k in (i, j))
            assert len(a & b) <= 0.5 * min(len(a), len(b))


def test_truncated_members_are_prefixes():
    data = style_families(SENTENCES, n_families=8, seed=2, truncated=1.0)
    members = [t for t, v in zip(data.texts, data.variants) if v == "family"]
    assert all(len(t) <= PREFIX_CHARS for t in members)
    full = style_families(SENTENCES, n_families=8, seed=2, truncated=0.0)
    assert max(len(t) for t, v in zip(full.texts, full.variants) if v == "family") > PREFIX_CHARS
