"""Parameter constraints and the not-fitted check (spindetect._validation)."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

import spindetect as sd
from spindetect._validation import InvalidParameterError, Interval, Options, check_param

BAD = [
    (sd.Detector, "threshold", 1.5, "a number in (0, 1)"),
    (sd.Detector, "linkage", 0.0, "a number in (0, 1]"),
    (sd.Detector, "structure", "yes", "a StructureIndex or a bool or None"),
    (sd.MinHasher, "num_perm", 0, "an int >= 1"),
    (sd.MinHasher, "ngram", 2.5, "an int >= 1"),
    (sd.StructureIndex, "max_frame_df", 0, "a number in (0, 1]"),
    (sd.StructureIndex, "passage_ngram", 1, "an int >= 2"),
    (sd.TfidfSimilarity, "max_postings", 1, "an int >= 2"),
    (sd.Deduplicator, "verify", "fast", "one of 'estimate', 'exact'"),
    (sd.Deduplicator, "n_jobs", 0, "an int >= 1 or an int <= -1 or None"),
    (sd.BoilerplateScorer, "ngram", True, "an int >= 1"),
    (sd.BoilerplateScorer, "min_coverage", 0.0, "a number in (0, 1]"),
]


@pytest.mark.parametrize("cls, name, value, expected", BAD, ids=[f"{c.__name__}.{n}" for c, n, _, _ in BAD])
def test_bad_parameters_are_named_with_value_and_range_at_fit(cls, name, value, expected):
    est = cls(**{name: value})  # __init__ only stores
    texts = ["one two three four five six seven", "eight nine ten eleven twelve thirteen"]
    with pytest.raises(InvalidParameterError) as info:
        est.fit(texts)
    msg = str(info.value)
    assert f"{cls.__name__}: {name} must be {expected}, got {value!r}" == msg
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)


@pytest.mark.parametrize(
    "make, call",
    [
        (sd.MinHasher, lambda e: e.transform(["a b c"])),
        (sd.TfidfSimilarity, lambda e: e.word_cosine(np.zeros((0, 2), np.int64))),
        (sd.StructureIndex, lambda e: e.score_pairs(np.zeros((0, 2), np.int64))),
        (sd.BoilerplateScorer, lambda e: e.score(["a b c"])),
        (sd.Deduplicator, lambda e: e.query(["a b c"])),
        (sd.Detector, lambda e: e.explain("a", "b")),
    ],
)
def test_every_estimator_says_it_is_not_fitted(make, call):
    with pytest.raises(NotFittedError, match=f"This {make.__name__} instance is not fitted yet"):
        call(make())


def test_defaults_pass_their_own_constraints():
    for cls in (sd.Detector, sd.MinHasher, sd.StructureIndex, sd.TfidfSimilarity, sd.Deduplicator, sd.BoilerplateScorer):
        est = cls()
        for name, allowed in est._parameter_constraints.items():
            check_param(name, getattr(est, name), allowed)


@given(st.floats(allow_nan=True), st.sampled_from(["left", "right", "both", "neither"]))
def test_interval_membership_follows_the_bounds(x, closed):
    iv = Interval(Real, 0, 1, closed=closed)
    inside = (0 < x < 1) or (x == 0 and closed in ("left", "both")) or (x == 1 and closed in ("right", "both"))
    assert (x in iv) == inside


def test_ints_bools_and_options():
    assert 3 in Interval(Integral, 1, None, closed="left") and np.int64(3) in Interval(Integral, 1, None, closed="left")
    assert True not in Interval(Integral, 0, None, closed="left")
    assert 2.0 not in Interval(Integral, 0, None, closed="left")
    assert "exact" in Options(("estimate", "exact")) and 1 not in Options((True,))


@pytest.mark.parametrize(
    "cls",
    [sd.Detector, sd.MinHasher, sd.StructureIndex, sd.TfidfSimilarity, sd.Deduplicator, sd.BoilerplateScorer],
    ids=lambda c: c.__name__,
)
def test_estimators_follow_scikit_learn_conventions(cls):
    from sklearn.base import clone
    from sklearn.utils.estimator_checks import check_no_attributes_set_in_init, check_parameters_default_constructible

    est = cls()
    check_no_attributes_set_in_init(cls.__name__, est)
    check_parameters_default_constructible(cls.__name__, est)
    assert clone(est).get_params() == est.get_params()
    assert set(est._parameter_constraints) <= set(est.get_params())


def test_kind_rules_declare_a_constraint_for_every_threshold():
    from dataclasses import fields

    assert {f.name for f in fields(sd.KindRules)} == set(sd.KindRules._parameter_constraints)
    sd.KindRules(template_generic=2.0, template_strong=4.0)  # sums of two ratios may exceed 1
    for name, value, expected in [
        ("near_jaccard", 1.5, "a number in [0, 1]"),
        ("template_masked", 0.0, "a number in (0, 1]"),
        ("template_strong", 0, "a number > 0"),
        ("spun_masked", "0.5", "a number in [0, 1]"),
    ]:
        with pytest.raises(InvalidParameterError) as info:
            sd.KindRules(**{name: value})
        assert str(info.value) == f"KindRules: {name} must be {expected}, got {value!r}"


def test_cluster_linkage_and_index_storage_are_checked_by_constraints():
    from spindetect.decide.cluster import cluster_pairs

    with pytest.raises(InvalidParameterError, match=r"cluster_pairs: linkage must be a number in \(0, 1\], got 0.0"):
        cluster_pairs(2, np.array([[0, 1]]), ["templated"], np.ones(1), ["a", "b"], linkage=0.0)
    with pytest.raises(InvalidParameterError, match="storage_config\\['type'\\] must be one of 'dict', 'redis'"):
        sd.LSHIndex(storage_config={"type": "cassandra"})
    with pytest.raises(InvalidParameterError, match="storage_config must be a dict"):
        sd.LSHIndex(storage_config="redis")
