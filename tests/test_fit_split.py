"""benchmarks/fit_split.py: the choice rule, the grid and the shipped file's fields."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import fit_split as fs  # noqa: E402
from spindetect.decide.split import split_clusters  # noqa: E402


def _table(licences: list[float], templated: list[float], wrong: list[float]) -> dict[str, list]:
    n = len(fs.GRID)
    pad = lambda xs, v: xs + [v] * (n - len(xs))  # noqa: E731
    return {"licenses-dev": pad(licences, 0.0), "templated-dev": pad(templated, 0.0),
            "clough-dev": [0.9] * n, "dragnet-train": pad(wrong, 1e9), "_labels": [None] * n}


def test_settings_that_cost_another_set_are_not_admissible():
    table = _table([0.5, 0.7, 0.6, 0.65], [0.5, 0.49, 0.5, 0.5], [10, 10, 10, 11])
    ok = fs.admissible(table)
    assert ok[:2] == [0, 2] and 1 not in ok and 3 not in ok
    assert fs.best(ok, lambda k: table["licenses-dev"][k]) == 2


def test_best_keeps_the_earlier_setting_on_ties():
    assert fs.best([0, 1, 2], lambda k: 0.5) == 0


def test_reference_comes_first_and_never_splits():
    assert fs.GRID[0] == fs.REFERENCE and len(set(fs.GRID)) == len(fs.GRID)
    texts = ["version 2 of the licence, holder a b c"] * 10 + ["version 2.1 of the licence, holder d e f"] * 10
    labels = split_clusters(np.zeros(20, dtype=np.int64), texts, fs.rules_of(fs.REFERENCE))
    assert len(set(labels.tolist())) == 1


def test_shipped_split_names_its_script_and_an_admissible_grid_setting():
    doc = json.loads((ROOT / "spindetect" / "resources" / "split.json").read_text(encoding="utf-8"))
    assert doc["fitted_by"] == "benchmarks/fit_split.py"
    rules = doc["rules"]
    setting = [rules["min_side"], rules["min_terms"], rules["agreement"], rules["versions"], rules["names"]]
    assert setting in doc["grid"] and doc["grid"].index(setting) in doc["admissible"]
