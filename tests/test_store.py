"""Saving and loading scans (JSON + npz, no pickle), re-thresholding, and explain --from."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import spindetect as sd
from spindetect.cli import main
from spindetect.decide.model import PairModel
from tests.test_detector import _copies_corpus

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def scanned() -> sd.ScanResult:
    return sd.Detector().fit_detect(sd.Corpus.from_dir(DATA))


def _same(a: sd.ScanResult, b: sd.ScanResult) -> None:
    assert a.to_records() == b.to_records()
    assert a.pairs.to_records() == b.pairs.to_records()
    assert a.clusters.to_records() == b.clusters.to_records()
    assert a.boilerplate_reports == b.boilerplate_reports
    assert a.corpus == b.corpus


def test_save_and_load_give_back_the_same_scan(scanned, tmp_path):
    folder = scanned.save(tmp_path / "scan")
    assert sorted(p.name for p in folder.iterdir()) == ["arrays.npz", "documents.jsonl", "scan.json"]
    loaded = sd.ScanResult.load(folder)
    _same(loaded, scanned)
    a, b = scanned.ids[0], scanned.ids[3]
    assert loaded.explain(a, b) == scanned.explain(a, b)
    for name, values in scanned.pairs.scores.items():
        np.testing.assert_array_equal(loaded.pairs.scores[name], values)


def test_saved_arrays_load_without_pickle(scanned, tmp_path):
    folder = scanned.save(tmp_path / "scan")
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        assert all(npz[k].dtype != object for k in npz.files)
    head = json.loads((folder / "scan.json").read_text())
    assert head["format"] == "spindetect.ScanResult" and head["version"] == 1


def test_a_scan_saved_with_character_fractions_loads_with_shares_of_words(scanned, tmp_path):
    folder = scanned.save(tmp_path / "scan")
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["bp_fraction"] = arrays.pop("bp_char_fraction")  # as saved before the unit changed
    np.savez_compressed(folder / "arrays.npz", **arrays)
    head = json.loads((folder / "scan.json").read_text())
    head["boilerplate"] = [r.char_fraction for r in scanned.boilerplate_reports]
    (folder / "scan.json").write_text(json.dumps(head))
    _same(sd.ScanResult.load(folder), scanned)


def test_meta_notes_and_pandas_index_survive(tmp_path):
    pd = pytest.importorskip("pandas")
    ids, texts, _ = _copies_corpus()
    df = pd.DataFrame({"text": texts + [""], "site": [f"s{k % 3}" for k in range(len(texts) + 1)]})
    df.index = pd.Index([100 + k for k in range(len(df))], name="row")
    result = sd.Detector(boilerplate=False).fit_detect(df)
    loaded = sd.ScanResult.load(result.save(tmp_path / "scan"))
    _same(loaded, result)
    assert any(loaded.notes)
    assert loaded.boilerplate_reports is None
    pd.testing.assert_frame_equal(loaded.to_pandas(meta=True), result.to_pandas(meta=True))


def test_load_rejects_what_is_not_a_saved_scan(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a saved scan"):
        sd.ScanResult.load(tmp_path)
    (tmp_path / "scan.json").write_text('{"format": "other"}')
    with pytest.raises(ValueError, match="not a spindetect.ScanResult"):
        sd.ScanResult.load(tmp_path)


#: Rules under which only exact copies are related.
ONLY_EXACT = sd.KindRules(
    near_jaccard=1.0,
    near_containment=1.0,
    substitution_masked=1.0,
    spun_masked=1.0,
    spun_frame_excess=1.0,
    template_skeleton=1.0,
    template_info_min=1.0,
    template_shared_rare=1.0,
    template_masked=1.0,
    template_generic=1000.0,
    template_strong=1000.0,
    template_info=1.0,
    template_skeleton_topic=1.0,
    template_cosine=1.0,
)


def test_rethreshold_relabels_and_reclusters_without_refitting(monkeypatch):
    ids, texts, expected = _copies_corpus()
    result = sd.Detector(boilerplate=False).fit_detect(texts, ids=ids)

    def refit(*args, **kwargs):
        raise AssertionError("rethreshold refitted")

    monkeypatch.setattr(sd.Detector, "fit", refit)
    same = result.rethreshold()
    assert same.to_records() == result.to_records()
    strict = result.rethreshold(ONLY_EXACT)
    groups = {frozenset(g) for g in strict.clusters.groups()}
    assert {"orig0", "copy0"} in groups  # exact copies stay together
    assert not any({"orig0", "edit0"} <= g for g in groups)  # the light edit no longer joins
    assert strict.pairs.kind_counts()["exact"] == 3 and set(strict.pairs.kind_counts()) == {"exact", "unrelated"}
    assert strict.boilerplate == result.boilerplate
    back = strict.rethreshold(sd.KindRules())
    assert back.to_records() == result.to_records()
    assert {frozenset(g) for g in back.clusters.groups()} == {frozenset(g) for g in expected}


def test_rethreshold_linkage_is_kept_unless_given(scanned):
    assert scanned.rethreshold().settings == scanned.settings
    assert scanned.rethreshold(linkage=0.9).settings["linkage"] == 0.9


def test_cli_scan_save_then_explain_from(tmp_path, capsys):
    scan_dir = tmp_path / "scan"
    assert main(["scan", str(DATA), "-o", str(tmp_path / "out.jsonl"), "--save", str(scan_dir), "-q"]) == 0
    ids = [json.loads(x)["id"] for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    capsys.readouterr()
    assert main(["explain", "--from", str(scan_dir), ids[0], ids[1]]) == 0
    saved = capsys.readouterr().out
    assert main(["explain", str(DATA), ids[0], ids[1]]) == 0
    assert capsys.readouterr().out == saved
    assert main(["explain", "--from", str(scan_dir), ids[0], ids[1], "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "templated" and data["reasons"]
    assert main(["explain", "--from", str(scan_dir), ids[0], "nope"]) == 2
    assert "nope" in capsys.readouterr().err


def test_cli_explain_needs_input_or_saved_scan(tmp_path, capsys):
    assert main(["explain", "a", "b"]) == 2
    assert main(["explain", str(DATA), "a", "b", "--from", str(tmp_path)]) == 2
    assert "--from" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert main(["scan", str(DATA), "--save", str(tmp_path / "file")]) == 2


def test_rethreshold_by_the_pair_model_probability(scanned):
    if "probability" not in scanned.pairs.scores:
        pytest.skip("this scan was decided by rules")
    assert scanned.rethreshold(threshold=0.0).pairs.kind_counts().get("unrelated", 0) == 0
    none = scanned.rethreshold(threshold=1.0)
    assert set(none.pairs.kind_counts()) <= {"exact", "near_duplicate", "partial_copy", "unrelated"}
    with pytest.raises(ValueError, match="threshold"):
        scanned.rethreshold(sd.KindRules(), threshold=0.5)


def test_rethreshold_keeps_the_scan_s_own_pair_model():
    """A scan decided by a custom model is re-decided by that model, not the shipped one."""
    ids, texts, _ = _copies_corpus()
    strict = replace(PairModel.load(), threshold=1.0)  # accepts only exact copies and kept frames
    result = sd.Detector(boilerplate=False, model=strict).fit_detect(texts, ids=ids)
    again = result.rethreshold()
    assert again.pairs.model is strict
    assert again.to_records() == result.to_records()
    assert list(again.pairs.kinds) == list(result.pairs.kinds)
