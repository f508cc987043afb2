"""The pair model: JSON round trip, numpy evaluation equal to scikit-learn, contributions."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

import spindetect as sd
from spindetect.decide.model import PairModel


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = rng.random((600, 4))
    X[rng.random(X.shape) < 0.05] = np.nan  # missing values take the learnt side
    y = np.nan_to_num(X[:, 0]) + 0.5 * np.nan_to_num(X[:, 1]) - 0.3 * np.nan_to_num(X[:, 3]) > 0.6
    clf = HistGradientBoostingClassifier(max_depth=3, max_iter=30, monotonic_cst=[1, 1, 0, -1], random_state=0)
    return clf.fit(X, y)


def test_numpy_evaluator_equals_sklearn(fitted):
    model = PairModel.from_sklearn(fitted, ["a", "b", "c", "d"])
    X = np.random.default_rng(1).random((500, 4))
    X[::7, 2] = np.nan
    assert np.allclose(model.predict_proba(X), fitted.predict_proba(X)[:, 1], atol=1e-9)


def test_json_round_trip_is_byte_stable(fitted):
    model = PairModel.from_sklearn(fitted, ["a", "b", "c", "d"], threshold=0.3, meta={"note": "test"})
    text = model.to_json()
    again = PairModel.from_json(text)
    assert again.to_json() == text
    X = np.random.default_rng(2).random((50, 4))
    assert np.array_equal(again.predict_proba(X), model.predict_proba(X))
    assert again.threshold == 0.3


def test_contributions_add_up_to_the_log_odds(fitted):
    model = PairModel.from_sklearn(fitted, ["a", "b", "c", "d"])
    X = np.random.default_rng(3).random((40, 4))
    contrib = model.contributions(X)
    assert np.allclose(model.root_value() + contrib.sum(axis=1), model.decision_function(X))


def test_not_a_model_is_rejected():
    with pytest.raises(ValueError, match="not a spindetect pair model"):
        PairModel.from_json('{"format": "other"}')


def test_missing_score_is_named(fitted):
    model = PairModel.from_sklearn(fitted, ["a", "b", "c", "d"])
    with pytest.raises(KeyError, match="missing"):
        model.matrix({"a": np.zeros(2)})


def test_shipped_model_loads():
    model = PairModel.load()
    assert model.features and 0.0 < model.threshold < 1.0


def test_reasons_name_the_features_that_moved_the_model():
    """A model-decided pair's reason gives its probability and the features that raised it most."""
    result = sd.Detector(boilerplate=False).fit_detect(sd.Corpus.from_dir("data/"))
    model = sd.Detector()._pair_model()
    for kind, why in zip(result.pairs.kinds, result.pairs.reasons):
        assert why.startswith(f"{kind}: pair model probability ")
        named = why[why.index("(") + 1 : why.rindex(")")].split(", ")
        assert named and all(n.rsplit(" ", 1)[0] in model.features for n in named)
        assert all(float(n.rsplit(" ", 1)[1]) > 0 for n in named)
    assert result.explain(result.ids[0], result.ids[1]).reasons[0] == result.pairs.reasons[0]


def test_spin_that_keeps_every_frame_is_accepted_whatever_the_model_says():
    """A pair whose sentence frames are all kept while its words changed is spun, even past the model."""
    import dataclasses
    import random

    from benchmarks import generate as g
    from spindetect.decide.kinds import frames_kept

    rng = random.Random(3)
    source = g.make_article("gardening", rng)
    texts = [source, g.spin(source, 0.3, rng), g.make_article("sleep", rng)]
    deaf = dataclasses.replace(sd.Detector()._pair_model(), threshold=1.01)  # accepts nothing
    result = sd.Detector(boilerplate=False, model=deaf).fit_detect(texts, ids=["src", "spun", "other"])
    assert frames_kept(result.pairs.scores).any()
    assert result.labels[0] == result.labels[1] != result.labels[2]
    assert result.kinds[1] == "spun"
    row = result.pairs.find(0, 1)
    assert row is not None and "sentence frames kept" in result.pairs.reasons[row]
