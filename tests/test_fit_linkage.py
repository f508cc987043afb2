"""benchmarks/fit_linkage.py: the choice rule and the shipped file's fields."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import fit_linkage as fl  # noqa: E402


def _table(templated: list[float], wrong: list[float]) -> dict[str, list[float]]:
    n = len(fl.GRID)
    pad = lambda xs, v: xs + [v] * (n - len(xs))  # noqa: E731
    return {"templated-dev": pad(templated, 0.0), "clough-dev": [0.9] * n, "licenses-dev": [0.5] * n,
            "dragnet-train": pad(wrong, 1e9)}


def test_choose_takes_the_best_f1_that_joins_no_more_dragnet_pages():
    # setting 1 is better but joins more dragnet pages; setting 2 is better and joins fewer
    table = _table([0.5, 0.7, 0.6], [10, 12, 9])
    assert fl.choose(table) == fl.GRID[2]


def test_choose_keeps_the_first_setting_on_ties():
    table = _table([0.5, 0.5, 0.5], [10, 10, 10])
    assert fl.choose(table) == fl.GRID[0]


def test_shipped_linkage_names_its_script_and_a_grid_setting():
    doc = json.loads((ROOT / "spindetect" / "resources" / "linkage.json").read_text(encoding="utf-8"))
    assert doc["fitted_by"] == "benchmarks/fit_linkage.py"
    assert [doc[name] for name in doc["settings"]] in doc["grid"]


def test_sparse_family_check_needs_unproposed_pairs_to_count_little():
    # each of 50 members compared with 5 random others: whole only when unproposed pairs weigh little
    assert fl.sparse_family_whole((0.05, 1.01, 0.0, 0.0))
    assert not fl.sparse_family_whole((0.25, 1.01, 0.0, 0.0))


def test_reference_setting_comes_first():
    assert fl.GRID[0] == fl.REFERENCE and len(set(fl.GRID)) == len(fl.GRID)


def test_choose_skips_settings_that_split_the_sparse_family():
    table = _table([0.5, 0.7, 0.6], [10, 10, 10])
    table["sparse-family-50"] = [1.0, 0.0] + [1.0] * (len(fl.GRID) - 2)
    assert fl.choose(table) == fl.GRID[2]


def test_star_hub_check_holds_for_the_reference_setting():
    assert fl.star_hub_apart(fl.REFERENCE)


def test_choose_skips_settings_that_chain_the_star_hub():
    table = _table([0.5, 0.7, 0.6], [10, 10, 10])
    table["star-hub-apart"] = [1.0, 0.0] + [1.0] * (len(fl.GRID) - 2)
    assert fl.choose(table) == fl.GRID[2]


def test_shipped_lift_is_a_lift_grid_entry_and_the_first_is_none():
    doc = json.loads((ROOT / "spindetect" / "resources" / "linkage.json").read_text(encoding="utf-8"))
    assert fl.LIFT_GRID[0] == fl.NO_LIFT
    assert [doc["lift_z"], doc["lift_to"]] in doc["lift_grid"]
    assert [list(t) for t in fl.LIFT_GRID] == doc["lift_grid"]


def test_choose_a_lift_that_joins_no_more_dragnet_pages_than_none():
    n = len(fl.LIFT_GRID)
    table = {"templated-dev": [0.5, 0.8, 0.6] + [0.0] * (n - 3), "clough-dev": [0.9] * n,
             "licenses-dev": [0.5] * n, "dragnet-train": [10, 11, 10] + [0.0] * (n - 3)}
    table["dragnet-train"][3:] = [1e9] * (n - 3)
    assert fl.choose(table, fl.LIFT_GRID) == fl.LIFT_GRID[2]


def test_lift_checks_run_on_made_up_graphs():
    for lifted in fl.LIFT_GRID:
        assert fl.star_hub_apart(fl.REFERENCE, lifted)
        assert fl.sparse_family_whole(fl.REFERENCE, lifted)
