"""The loaders of the real labelled sets (benchmarks/realsets.py)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks import realsets as rs  # noqa: E402

needs_data = pytest.mark.skipif(not rs.DATA_DIR.is_dir(),
                                reason=f"{rs.DATA_DIR} is absent")

CHROME = ["Home page of the Example Gazette", "Sections and departments", "Subscribe today",
          "Contact the newsroom", "Terms of service"]


def _page(body: str, chrome=CHROME) -> str:
    return "\n".join([body.split(".")[0], *chrome, body])


# ---------------------------------------------------------------------------
# Without the shared data
# ---------------------------------------------------------------------------
def test_absent_folder_gives_none(tmp_path):
    for name in rs.REAL_SETS:
        assert rs.load(name, tmp_path) is None


def test_unknown_set_is_named():
    with pytest.raises(ValueError, match="no-such-set"):
        rs.load("no-such-set")


def test_dataset_checks_lengths_and_ids():
    with pytest.raises(ValueError, match="gold has 1 entries for 2 ids"):
        rs.Dataset("x", ("a", "b"), ("t", "u"), ("a",), ("g", "g"), ("v", "v"))
    with pytest.raises(ValueError, match="duplicate id 'a'"):
        rs.Dataset("x", ("a", "a"), ("t", "u"), ("a", "a"), ("g", "g"), ("v", "v"))


def test_subset_keeps_columns_aligned():
    d = rs.Dataset("x", ("a", "b", "c"), ("ta", "tb", "tc"), ("a", "a", "c"), ("g1", "g1", "g2"),
                   ("orig", "cut", "non"), labels={"task": ("p", "q", "r")})
    s = d.subset([True, False, True])
    assert s.ids == ("a", "c") and s.texts == ("ta", "tc") and s.gold == ("a", "c")
    assert s.groups == ("g1", "g2") and s.variants == ("orig", "non")
    assert s.labels["task"] == ("p", "r")
    with pytest.raises(TypeError):
        s.labels["task"] = ()  # read-only


def test_sites_from_chrome_and_title():
    texts = [
        _page("Rates rise again. The bank said so on Monday."),
        _page("Snow in April. Forecasters were surprised."),
        _page("A new bridge opens. Traffic eases downtown."),
        "Cooking with lentils | Green Kitchen\nLentils are cheap.",
        "Soup for winter | Green Kitchen\nSoup warms you.",
        "An unrelated page\nNothing shared here at all.",
    ]
    ids = [f"p{i}" for i in range(6)]
    sites = rs.dragnet_sites(ids, texts)
    assert sites[0] == sites[1] == sites[2] == "site:p0"
    assert sites[3] == sites[4] == "site:p3"
    assert sites[5] == "site:p5"
    joined = rs.dragnet_sites(ids, texts, same=[("p5", "p4")])
    assert joined[5] == joined[3]


def test_spun_copies_are_seeded_and_spun():
    words = "the careful reporter wrote about the important market and the quick change "
    texts = [f"Title {i}\n" + words * 12 for i in range(5)]
    ids = [f"d{i}" for i in range(5)]
    a = rs.spun_copies(ids, texts, n=3, seed=1)
    assert a == rs.spun_copies(ids, texts, n=3, seed=1)
    assert len(a) == 3 and all(cid == f"{ids[i]}~spun" for i, cid, _ in a)
    assert all(text != texts[i] for i, _, text in a)
    with pytest.raises(ValueError, match="6 spun copies of 5 pages"):
        rs.spun_copies(ids, texts, n=6)


# ---------------------------------------------------------------------------
# On the shared data
# ---------------------------------------------------------------------------
@needs_data
def test_templated_dev_groups_keep_generators_together():
    d = rs.load("templated-dev")
    assert len(d) == 244 and Counter(d.variants) == {"family": 135, "negative": 101,
                                                     "stretch": 8}
    by_family: dict[str, set[str]] = {}
    for c, g in zip(d.labels["cluster"], d.groups):
        if c is not None:
            by_family.setdefault(c, set()).add(g)
    assert all(len(groups) == 1 for groups in by_family.values())
    kubaik = {g for c, g in zip(d.labels["cluster"], d.groups) if c and c.startswith("kubaik")}
    assert len(kubaik) == 1  # six families of one generator: one group
    # standalone pages are singletons in gold; same-site pages join their site's generator
    for i, c in enumerate(d.labels["cluster"]):
        if c is None:
            assert d.gold[i] == d.ids[i]
            if d.labels["generator"][i].startswith("site:"):
                assert not d.groups[i].startswith("site:")


@needs_data
def test_clough_dev_groups_are_tasks():
    d = rs.load("clough-dev")
    assert len(d) == 40 and set(d.groups) == {"a", "b"}
    assert Counter(d.variants) == {"non": 18, "cut": 7, "heavy": 7, "light": 6, "orig": 2}
    assert len(set(d.gold)) == 2 + 18  # two sources with their answers, 18 lone answers


@needs_data
def test_dragnet_allowed_pairs_and_spun_copies():
    d = rs.load("dragnet-train", n_spun=20, seed=0)
    assert len(d) == 966 + 20
    where = {doc_id: i for i, doc_id in enumerate(d.ids)}
    for a, b in rs.ALLOWED_DRAGNET_PAIRS:
        assert d.gold[where[a]] == d.gold[where[b]]
        assert d.groups[where[a]] == d.groups[where[b]]
    assert len(set(d.gold[:966])) == 966 - len(rs.ALLOWED_DRAGNET_PAIRS)
    for i in range(966, len(d)):
        src = where[d.labels["source"][i]]
        assert d.variants[i] == "spun" and d.gold[i] == d.gold[src]
        assert d.groups[i] == d.groups[src]
    sizes = Counter(d.groups[:966])
    assert 1 < len(sizes) and max(sizes.values()) < 100  # sites, not one chained blob


@needs_data
def test_licenses_dev_groups_are_clusters():
    d = rs.load("licenses-dev")
    assert len(d) == 4191 and len(set(d.gold)) == 323 and d.groups == d.gold
    assert Counter(d.variants)["original"] == 323
