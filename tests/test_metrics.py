"""Pairwise precision/recall/F1 helpers of benchmarks/metrics.py."""

from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks.metrics import (  # noqa: E402
    pair_counts,
    pairwise_prf,
    per_variant_prf,
    per_variant_recall,
)

# Two families and a singleton: {a1, a2, a3}, {b1, b2}, {c}.
GOLD = ["a", "a", "a", "b", "b", "c"]


def brute_prf(gold, pred):
    n = len(gold)
    gp = {(i, j) for i, j in itertools.combinations(range(n), 2) if gold[i] == gold[j]}
    pp = {(i, j) for i, j in itertools.combinations(range(n), 2) if pred[i] == pred[j]}
    tp = len(gp & pp)
    p = tp / len(pp) if pp else 1.0
    r = tp / len(gp) if gp else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def test_perfect_labelling():
    assert pairwise_prf(GOLD, GOLD) == (1.0, 1.0, 1.0)
    assert pairwise_prf(GOLD, [7, 7, 7, 3, 3, 1]) == (1.0, 1.0, 1.0)


def test_all_merged():
    p, r, f = pairwise_prf(GOLD, ["x"] * 6)
    assert p == pytest.approx(4 / 15)  # 3 + 1 gold pairs out of C(6, 2)
    assert r == 1.0
    assert f == pytest.approx(2 * p / (p + 1))


def test_all_split():
    assert pairwise_prf(GOLD, list(range(6))) == (1.0, 0.0, 0.0)


def test_hand_made_partial():
    # predicted: {a1, a2}, {a3, b1, b2}, {c}
    pred = [0, 0, 1, 1, 1, 2]
    assert pair_counts(GOLD, pred) == (2, 4, 4)
    p, r, f = pairwise_prf(GOLD, pred)
    assert (p, r, f) == (0.5, 0.5, 0.5)


def test_empty_and_singletons():
    assert pairwise_prf([], []) == (1.0, 1.0, 1.0)
    assert pairwise_prf([1, 2, 3], [1, 2, 3]) == (1.0, 1.0, 1.0)


def test_bad_input():
    with pytest.raises(ValueError, match="length"):
        pairwise_prf([1, 2], [1])
    with pytest.raises(TypeError, match="str"):
        pairwise_prf("aab", [1, 1, 2])
    with pytest.raises(ValueError, match="variants"):
        per_variant_prf([1, 2], [1, 2], ["original"])


def test_numpy_integer_labels():
    import numpy as np

    assert pairwise_prf(np.array([5, 5, 9]), np.array([1, 1, 1])) == pytest.approx(
        (1 / 3, 1.0, 0.5)
    )


labelings = st.integers(min_value=0, max_value=25).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(labelings)
def test_matches_brute_force(lab):
    gold, pred = lab
    assert pairwise_prf(gold, pred) == pytest.approx(brute_prf(gold, pred))


@settings(max_examples=100, deadline=None)
@given(labelings, st.permutations(range(6)), st.permutations(range(6)))
def test_invariant_to_label_renaming(lab, perm_g, perm_p):
    gold, pred = lab
    renamed_gold = [f"g{perm_g[x]}" for x in gold]
    renamed_pred = [("p", perm_p[x]) for x in pred]
    assert pairwise_prf(renamed_gold, renamed_pred) == pytest.approx(pairwise_prf(gold, pred))


@settings(max_examples=100, deadline=None)
@given(labelings)
def test_swapping_gold_and_pred_swaps_precision_and_recall(lab):
    gold, pred = lab
    p, r, f = pairwise_prf(gold, pred)
    p2, r2, f2 = pairwise_prf(pred, gold)
    assert (p, r, f) == pytest.approx((r2, p2, f2))
    assert 0.0 <= p <= 1.0 and 0.0 <= r <= 1.0 and 0.0 <= f <= 1.0


# ---------------------------------------------------------------------------
# per variant
# ---------------------------------------------------------------------------
KINDS = ("original", "spun30", "template", "unrelated")


def brute_per_variant(gold, pred, kinds, reference="original"):
    n = len(gold)
    pairs = list(itertools.combinations(range(n), 2))
    out = {}
    for v in dict.fromkeys(kinds):
        def kind_of(i, j):
            a, b = kinds[i], kinds[j]
            if a == reference and b != reference:
                return b
            if b == reference and a != reference:
                return a
            return a if a == b else None

        gold_v = [(i, j) for i, j in pairs if gold[i] == gold[j] and kind_of(i, j) == v]
        found = [(i, j) for i, j in gold_v if pred[i] == pred[j]]
        pred_v = [(i, j) for i, j in pairs if pred[i] == pred[j] and v in (kinds[i], kinds[j])]
        true = [(i, j) for i, j in pred_v if gold[i] == gold[j]]
        recall = len(found) / len(gold_v) if gold_v else math.nan
        precision = len(true) / len(pred_v) if pred_v else 1.0
        idx = [i for i in range(n) if kinds[i] == v]
        wrong = [i for i in idx if any(pred[j] == pred[i] and gold[j] != gold[i] for j in range(n))]
        out[v] = (len(gold_v), len(found), recall, len(pred_v), len(true), precision,
                  len(wrong) / len(idx))
    return out


def test_per_variant_hand_made():
    gold = ["a", "a", "a", "b", "b", "c"]
    kinds = ["original", "exact", "spun30", "original", "spun30", "unrelated"]
    pred = [0, 0, 1, 2, 2, 1]  # spun30 of a merged with the unrelated doc
    s = per_variant_prf(gold, pred, kinds)
    assert (s["exact"].recall, s["exact"].precision) == (1.0, 1.0)
    assert s["spun30"].gold_pairs == 2 and s["spun30"].found_pairs == 1
    assert s["spun30"].recall == 0.5 and s["spun30"].precision == 0.5
    assert s["unrelated"].precision == 0.0 and s["unrelated"].false_merge == 1.0
    assert math.isnan(s["unrelated"].recall) and math.isnan(s["original"].recall)
    assert (s["all"].precision, s["all"].recall) == pytest.approx(pairwise_prf(gold, pred)[:2])
    assert per_variant_recall(gold, pred, kinds)["spun30"] == 0.5


def test_template_pairs_are_all_member_pairs():
    gold = ["t", "t", "t", "t", "u"]
    kinds = ["template"] * 4 + ["same_topic"]
    s = per_variant_prf(gold, ["x", "x", "x", "y", "y"], kinds)
    assert s["template"].gold_pairs == 6 and s["template"].found_pairs == 3
    assert s["same_topic"].false_merge == 1.0


per_variant_cases = st.integers(min_value=1, max_value=18).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 4), min_size=n, max_size=n),
        st.lists(st.integers(0, 4), min_size=n, max_size=n),
        st.lists(st.sampled_from(KINDS), min_size=n, max_size=n),
    )
)


@settings(max_examples=150, deadline=None)
@given(per_variant_cases)
def test_per_variant_matches_brute_force(case):
    gold, pred, kinds = case
    got = per_variant_prf(gold, pred, kinds)
    want = brute_per_variant(gold, pred, kinds)
    assert set(got) == set(want) | {"all"}
    for v, (gp, found, recall, pp, tp, precision, fm) in want.items():
        s = got[v]
        assert (s.gold_pairs, s.found_pairs, s.pred_pairs, s.true_pairs) == (gp, found, pp, tp)
        assert s.precision == pytest.approx(precision)
        assert s.false_merge == pytest.approx(fm)
        if math.isnan(recall):
            assert math.isnan(s.recall)
        else:
            assert s.recall == pytest.approx(recall)
