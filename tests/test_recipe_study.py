"""benchmarks/recipe_study.py: recipe settings are applied and restored; the per-family table.

Small named corpora; neither the real sets nor a scan are needed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks import pairdata, recipe_study  # noqa: E402


def test_recipe_settings_override_features_and_restore_them():
    before = (pairdata.FEATURES, dict(pairdata.PARAMS), dict(pairdata.SET_WEIGHTS))
    spec = {"without": ("skeleton_info",), "monotone": {"cosine_word": 0},
            "params": {"max_depth": 4}, "weights": {"templated-dev": 2.0}}
    with recipe_study.recipe_settings(spec):
        features = dict(pairdata.FEATURES)
        assert "skeleton_info" not in features and features["cosine_word"] == 0
        assert features["jaccard"] == 1 and len(features) == len(before[0]) - 1
        assert pairdata.PARAMS["max_depth"] == 4 and pairdata.SET_WEIGHTS == {"templated-dev": 2.0}
        assert pairdata.matrix({f: np.zeros(3) for f, _ in before[0]}).shape == (3, len(before[0]) - 1)
    assert (pairdata.FEATURES, pairdata.PARAMS, pairdata.SET_WEIGHTS) == before


def test_recipe_settings_restore_after_an_error():
    before = pairdata.FEATURES
    with pytest.raises(RuntimeError), recipe_study.recipe_settings({"without": ("jaccard",)}):
        raise RuntimeError
    assert pairdata.FEATURES == before


def test_every_named_recipe_names_known_features():
    names = {f for f, _ in pairdata.FEATURES}
    for spec in recipe_study.RECIPES.values():
        assert set(spec.get("without", ())) <= names and set(spec.get("monotone", {})) <= names


def test_family_line_gives_each_familys_median_and_share_accepted():
    # documents 0-2 family "f", 3-4 family "g", 5 alone; pairs in scan order
    gold = ("f", "f", "f", "g", "g", "x")
    index = np.array([[0, 1], [0, 2], [1, 2], [3, 4], [2, 3], [4, 5]])
    prob = np.array([0.9, 0.1, 0.5, 0.2, 0.4, 0.1])
    target = SimpleNamespace(data=SimpleNamespace(gold=gold), scan=SimpleNamespace(pairs=SimpleNamespace(index=index)))
    line = recipe_study.family_line(target, prob, 0.3)
    assert line == "f 0.50/0.67 | g 0.20/0.00 | across families >= 0.3: 1"
