"""Tests for spindetect.decide.split: a cluster-level split of near-miss variants."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

import spindetect as sd
from spindetect.decide.split import SplitRules, _member, copy_clusters, default_split, split_clusters, variant_axis

ROOT = Path(__file__).resolve().parents[1]

HOLDERS = ["Jane Doe", "Acme Widgets Ltd", "Oskar Nilsson", "the Foo Project", "Mia Wong", "Raj Patel",
           "Blue Sky Inc", "Lena Fischer", "Tom Okafor", "Zed Labs", "Ana Silva", "Kim Park"]
BASE = (
    "Copyright (c) {year} {holder}. All rights reserved. Redistribution and use in source and binary forms, "
    "with or without modification, are permitted provided that the following conditions are met: "
    "Redistributions of source code must retain the above copyright notice, this list of conditions and "
    "the following disclaimer. Redistributions in binary form must reproduce the above copyright notice, "
    "this list of conditions and the following disclaimer in the documentation and/or other materials "
    "provided with the distribution. {clause}THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND "
    "CONTRIBUTORS AS IS AND ANY EXPRESS OR IMPLIED WARRANTIES ARE DISCLAIMED."
)
#: The clause one variant has and the other lacks (a three-clause vs two-clause licence).
CLAUSE = (
    "Neither the name of the copyright holder nor the names of its contributors may be used to endorse or "
    "promote products derived from this software without specific prior written permission. "
)
TEMPLATE = (
    "Best {kw} guide for {year}. Looking for the right {kw}? Our team reviewed dozens of {kw} options so "
    "you do not have to. Why {kw} matters: picking a good {kw} saves time and money. How we tested each "
    "{kw}: we used every {kw} for a week. Final thoughts on {kw}: the {kw} market keeps changing."
)
KEYWORDS = ["blender", "kettle", "toaster", "air fryer", "rice cooker", "juicer", "mixer", "grill",
            "slow cooker", "coffee maker", "waffle iron", "food processor", "steamer", "dehydrator"]


def two_variants(copies: int = 8) -> tuple[list[str], list[int]]:
    """``copies`` notices of a two-clause and of a three-clause licence, other holders and years each."""
    texts, variant = [], []
    for v, clause in enumerate(("", CLAUSE)):
        for k in range(copies):
            holder = HOLDERS[(k + 5 * v) % len(HOLDERS)]
            texts.append(BASE.format(year=1990 + 3 * k + v, holder=holder, clause=clause))
            variant.append(v)
    return texts, variant


def template_family() -> list[str]:
    """One templated family: the same sentences, a keyword and a year of its own on every page."""
    return [TEMPLATE.format(kw=kw, year=2000 + k) for k, kw in enumerate(KEYWORDS)]


RULES = SplitRules(min_size=8, min_side=0.1, min_terms=20, agreement=0.9)


def partition(labels) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, lab in enumerate(np.asarray(labels).tolist()):
        groups.setdefault(lab, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def test_two_licence_variants_in_one_cluster_are_split():
    texts, variant = two_variants()
    out = split_clusters(np.zeros(len(texts), dtype=np.int64), texts, RULES)
    assert partition(out) == partition(variant)


def test_template_family_with_page_keywords_is_not_split():
    texts = template_family()
    out = split_clusters(np.zeros(len(texts), dtype=np.int64), texts, RULES)
    assert len(set(out.tolist())) == 1


def test_identical_copies_are_not_split():
    texts = [BASE.format(year=2001, holder="Jane Doe", clause=CLAUSE)] * 14
    assert variant_axis([_member(t) for t in texts], RULES) is None


def test_small_clusters_and_zero_min_terms_never_split():
    texts, _ = two_variants(copies=3)
    assert len(set(split_clusters(np.zeros(6, dtype=np.int64), texts, RULES).tolist())) == 1
    texts, _ = two_variants()
    off = SplitRules()
    assert len(set(split_clusters(np.zeros(len(texts), dtype=np.int64), texts, off).tolist())) == 1


def test_each_cluster_is_split_on_its_own():
    texts, variant = two_variants()
    family = template_family()
    labels = np.array([0] * len(texts) + [1] * len(family))
    out = split_clusters(labels, texts + family, RULES)
    expected = partition(variant + [2] * len(family))
    assert partition(out) == expected


def test_a_lone_odd_member_is_not_a_side():
    # one three-clause notice among 13 two-clause ones: a side needs min_side of the cluster and 3 members
    texts, variant = two_variants(copies=13)
    keep = [k for k, v in enumerate(variant) if v == 0] + [variant.index(1)]
    out = split_clusters(np.zeros(len(keep), dtype=np.int64), [texts[k] for k in keep], RULES)
    assert len(set(out.tolist())) == 1


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_split_does_not_depend_on_input_order(rnd):
    texts, variant = two_variants()
    family = template_family()
    docs = texts + family
    labels = [0] * len(texts) + [1] * len(family)
    order = list(range(len(docs)))
    rnd.shuffle(order)
    out = split_clusters(np.array([labels[k] for k in order]), [docs[k] for k in order], RULES)
    back = np.empty(len(docs), dtype=np.int64)
    back[order] = out
    assert partition(back) == partition(split_clusters(np.array(labels), docs, RULES))
    assert partition(back) == partition(variant + [2] * len(family))


def test_split_is_deterministic():
    texts, _ = two_variants()
    labels = np.zeros(len(texts), dtype=np.int64)
    assert split_clusters(labels, texts, RULES).tolist() == split_clusters(labels, texts, RULES).tolist()


@pytest.mark.parametrize("field, value", [("min_size", 1), ("min_side", 0.0), ("min_side", 0.7),
                                          ("min_terms", -1), ("agreement", 0.0), ("max_terms", 0)])
def test_bad_rules_name_the_setting(field, value):
    with pytest.raises(ValueError, match=field):
        SplitRules(**{field: value})


def test_shipped_rules_come_from_the_fit_script():
    doc = json.loads((ROOT / "spindetect" / "resources" / "split.json").read_text(encoding="utf-8"))
    assert doc["fitted_by"] == "benchmarks/fit_split.py"
    rules = default_split()
    assert [rules.min_side, rules.min_terms, rules.agreement, rules.versions, rules.names] in doc["grid"]


def test_shipped_rules_split_the_two_variants():
    texts, variant = two_variants(copies=max(8, default_split().min_size))
    out = split_clusters(np.zeros(len(texts), dtype=np.int64), texts)
    assert partition(out) == partition(variant)


def test_detector_takes_split_rules_and_clones():
    det = sd.Detector(split=SplitRules(min_terms=5))
    assert clone(det).get_params()["split"] == SplitRules(min_terms=5)
    texts, _ = two_variants()
    off = sd.Detector(split=SplitRules()).fit_detect(texts)
    on = sd.Detector(split=RULES).fit_detect(texts)
    # the split only ever cuts the clusters the pairs made
    assert len(set(on.labels)) >= len(set(off.labels))
    assert off.rethreshold(split=RULES).labels == on.labels


NOTICE = (
    "This {what} is free software; you can redistribute it and/or modify it under the terms of the GNU "
    "{name}General Public License as published by the Free Software Foundation; either version {version} "
    "of the License, or (at your option) any later version. Copyright (C) {year} {holder}."
)
VERSIONS = RULES.__class__(min_size=8, min_side=0.1, min_terms=20, agreement=0.9, versions=True)


def version_variants(copies: int = 8) -> tuple[list[str], list[int]]:
    """Notices that differ in the version number (and wording that varies inside each variant)."""
    texts, variant = [], []
    for v, version in enumerate(("2", "2.1")):
        for k in range(copies):
            texts.append(NOTICE.format(what=("program", "library", "file")[k % 3], name=("", "Lesser ")[k % 2],
                                       version=version, year=1995 + k, holder=HOLDERS[(k + v) % len(HOLDERS)]))
            variant.append(v)
    return texts, variant


def test_notices_differing_in_version_are_split_by_the_version_slot():
    texts, variant = version_variants()
    labels = np.zeros(len(texts), dtype=np.int64)
    assert partition(split_clusters(labels, texts, VERSIONS)) == partition(variant)
    # the number alone is not a coherent term axis of 20 terms
    assert len(set(split_clusters(labels, texts, RULES).tolist())) == 1


def test_a_number_that_differs_on_every_page_is_not_a_version_axis():
    texts = [f"Top {k % 9 + 1} tips for {kw}: step {k % 9 + 1} of the guide." for k, kw in enumerate(KEYWORDS)]
    out = split_clusters(np.zeros(len(texts), dtype=np.int64), texts, VERSIONS)
    assert len(set(out.tolist())) == 1


def _generated_families() -> tuple[list[str], list[int]]:
    """A 16-page template family and an original with 14 spins (benchmarks/generate.py)."""
    import random

    from benchmarks.generate import make_article, make_skeleton, spin, template_family as make_family

    rng = random.Random(7)
    family = make_family("dog training", rng, n_members=16, skeleton=make_skeleton(random.Random(1), topic="dog training"))
    original = make_article("home insulation", rng)
    spins = [original] + [spin(original, 0.15 + 0.025 * k, rng) for k in range(14)]
    return family + spins, [0] * len(family) + [1] * len(spins)


def test_shipped_rules_keep_generated_template_and_spun_families_whole():
    import sys

    sys.path.insert(0, str(ROOT))
    texts, labels = _generated_families()
    out = split_clusters(np.array(labels), texts)
    assert partition(out) == partition(labels)


def test_only_clusters_of_copies_are_examined():
    """Cluster 0 is held by copy pairs, cluster 1 by templated pairs: only 0 counts as copies."""
    labels = np.array([0, 0, 0, 1, 1, 1])
    index = np.array([[0, 1], [0, 2], [1, 2], [3, 4], [3, 5], [4, 5], [2, 3]])
    kinds = np.array(["near_duplicate", "exact", "templated", "templated", "templated", "near_duplicate",
                      "near_duplicate"], dtype=object)
    assert copy_clusters(labels, index, kinds) == {0}
    assert copy_clusters(labels, index[:0], kinds[:0]) == set()
    assert copy_clusters(labels, index, np.array(["unrelated"] * 7, dtype=object)) == set()


def test_a_family_that_is_not_copies_is_never_split():
    """The two licence variants split as copies; decided as a templated family they stay whole."""
    texts, variant = two_variants()
    labels = np.zeros(len(texts), dtype=np.int64)
    assert partition(split_clusters(labels, texts, RULES, only={0})) == partition(variant)
    assert len(set(split_clusters(labels, texts, RULES, only=set()).tolist())) == 1


def test_detector_still_splits_copies_of_two_variants():
    texts, variant = two_variants()
    result = sd.Detector(split=RULES).fit_detect(texts)
    assert partition(np.unique(result.labels, return_inverse=True)[1]) == partition(variant)


NAMES = SplitRules(min_size=8, min_side=0.1, min_terms=20, agreement=0.9, versions=True, names=True)


def name_variants(copies: int = 8) -> tuple[list[str], list[int]]:
    """Notices of one version that differ in the licence's name: "GNU General" vs "GNU Library General"."""
    texts, variant = [], []
    for v, name in enumerate(("", "Library ")):
        for k in range(copies):
            texts.append(NOTICE.format(what=("program", "file")[k % 2], name=name, version="2",
                                       year=1995 + k, holder=HOLDERS[(k + v) % len(HOLDERS)]))
            variant.append(v)
    return texts, variant


def test_notices_differing_in_a_name_qualifier_are_split_by_the_name_slot():
    texts, variant = name_variants()
    labels = np.zeros(len(texts), dtype=np.int64)
    assert partition(split_clusters(labels, texts, NAMES)) == partition(variant)
    # one inserted word is neither a version slot nor a term axis of 20 terms
    assert len(set(split_clusters(labels, texts, VERSIONS).tolist())) == 1
    # the name slot alone (no version slots) finds it too
    alone = SplitRules(min_size=8, min_side=0.1, min_terms=0, agreement=0.9, names=True)
    assert partition(split_clusters(labels, texts, alone)) == partition(variant)


def test_a_qualifier_inside_a_name_only_counts_when_capitalised():
    texts, _ = name_variants()
    lowered = [t.replace("GNU Library General Public License", "GNU general public library license") for t in texts]
    out = split_clusters(np.zeros(len(texts), dtype=np.int64), lowered, NAMES)
    assert len(set(out.tolist())) == 1


def test_names_that_differ_on_every_page_are_not_a_name_axis():
    """Holders with and without a middle name: each form held by one page, never ``min_side`` of them."""
    texts = [NOTICE.format(what="program", name="", version="2", year=1990 + k,
                           holder=f"Ann {chr(65 + k)} Lee" if k % 2 else f"Ann Lee{k}") for k in range(16)]
    out = split_clusters(np.zeros(len(texts), dtype=np.int64), texts, NAMES)
    assert len(set(out.tolist())) == 1


def test_a_qualifier_whose_holders_also_hold_the_bare_name_is_no_axis():
    """Half the notices name the Library GPL and the GPL both: the forms are not two groups."""
    texts, _ = name_variants()
    both = [t + " See also the GNU General Public License." if "Library" in t else t for t in texts]
    out = split_clusters(np.zeros(len(texts), dtype=np.int64), both, NAMES)
    assert len(set(out.tolist())) == 1
