"""Out-of-fold evaluation of the pair model (benchmarks/pairdata.py, benchmarks/pair_oof.py).

Small named corpora whose groups and partitions are known; the real sets are
not needed (the generator's corpus stands in for them).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks import pair_oof, pairdata  # noqa: E402
from benchmarks.generate import generate_corpus  # noqa: E402
from benchmarks.realsets import Dataset  # noqa: E402


def _dataset(gold, groups, name="toy"):
    ids = tuple(f"d{k}" for k in range(len(gold)))
    return Dataset(name, ids, tuple(f"text {i}" for i in ids), tuple(gold), tuple(groups), ("x",) * len(gold))


def test_folds_keep_groups_whole_and_deal_families_in_turn():
    # groups g1..g3 hold families, g4..g9 only lone documents
    gold = ["f1", "f1", "f2", "f2", "f3", "f3", "a", "b", "c", "d", "e", "f"]
    groups = ["g1", "g1", "g2", "g2", "g3", "g3", "g4", "g5", "g6", "g7", "g8", "g9"]
    folds = pairdata.folds_of(_dataset(gold, groups), k=3)
    for g in set(groups):
        assert len({folds[i] for i, x in enumerate(groups) if x == g}) == 1
    assert sorted({folds[0], folds[2], folds[4]}) == [0, 1, 2]  # one family group per fold


def test_folds_are_fewer_when_groups_are_few():
    folds = pairdata.folds_of(_dataset(["t", "t", "u", "u"], ["a", "a", "b", "b"]), k=5)
    assert sorted(set(folds.tolist())) == [0, 1]


def test_a_pair_is_never_trained_on_with_its_folds():
    folds = np.array([0, 0, 1, 1, 2, 2])
    pairs = np.array([[0, 1], [0, 2], [2, 3], [3, 4], [4, 5], [1, 5]])
    assert pair_oof.outside(pairs, folds, (0, 1)).tolist() == [False, False, False, False, True, False]
    assert pair_oof.outside(pairs, folds, (2,)).tolist() == [True, True, True, False, False, False]


@pytest.fixture(scope="module")
def generated():
    docs = generate_corpus(n_families=6, seed=0)
    gold = tuple(d["cluster"] for d in docs)
    data = Dataset("toy", tuple(d["id"] for d in docs), tuple(d["text"] for d in docs), gold, gold,
                   tuple(d["variant"] for d in docs))
    return pairdata.featurise(data)


def test_oof_probability_covers_every_scan_pair(generated, monkeypatch):
    seen = []

    def fit(X, y, w=None):
        seen.append(len(y))
        return pairdata.fit_model(X, y, w)

    monkeypatch.setattr(pair_oof, "fit_model", fit)
    base = pairdata.featurise(pairdata.synthetic_outline_families(pairdata.real_sentences(), n_families=4))
    prob = pair_oof.oof_probability(generated, [base])
    assert prob.shape == (len(generated.scan.pairs.index),)
    assert np.all((prob >= 0) & (prob <= 1))
    n_folds = len(set(generated.folds.tolist()))
    assert 1 <= len(seen) <= n_folds * (n_folds + 1) // 2
    # the decision runs through the detector: a family with a clear copy ends in one cluster
    labels = pair_oof.decide(generated, prob).labels
    gold = generated.data.gold
    exact = [i for i, v in enumerate(generated.data.variants) if v == "exact"]
    ids = generated.data.ids
    assert exact and all(labels[i] == labels[ids.index(gold[i])] for i in exact)


def test_same_topic_set_is_singletons_on_few_topics_and_deterministic():
    data = pairdata.same_topic_set(60, seed=3)
    assert len(data) == 60 and len(set(data.texts)) == 60
    assert data.gold == data.ids == data.groups  # every article its own cluster and CV group
    assert pairdata.same_topic_set(60, seed=3).texts == data.texts
    assert pairdata.same_topic_set(60, seed=4).texts != data.texts
