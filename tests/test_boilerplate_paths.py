"""One code path: scan, the boilerplate command and BoilerplateScorer agree; unscored is null."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import spindetect as sd
from spindetect.boilerplate.scorer import BoilerplateScorer
from spindetect.cli import main

NAV = "Home | Recipes | Baking | About us | Contact"
FOOTER = "Copyright 2024 Harbor Street Bakery. All rights reserved."
STORIES = [
    "Our sourdough starter is older than the shop itself. Every morning the bakers feed it with rye flour.",
    "The croissant dough rests overnight in the cold room, folded six times, before it is cut into triangles.",
    "Apple cake comes out of the oven at ten; by noon the whole tray has usually been sold to the neighbours.",
    "We close on Mondays so that the ovens can be cleaned and the flour delivery can be counted and stored.",
]


def _corpus() -> dict[str, str]:
    """Pages of one site (shared menu and footer), an exact copy, and two unrelated notes."""
    docs = {f"page{i}": f"{NAV}\n{story}\n{FOOTER}" for i, story in enumerate(STORIES)}
    docs["copy0"] = docs["page0"]
    docs["note1"] = "A short note about bicycles, brakes and the cost of new tyres in the city this year."
    docs["note2"] = "Share on Facebook\nHow to plant tulips in autumn so that they flower early next spring.\nReply"
    return docs


def _write(folder: Path, docs: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in docs.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _jsonl(path: Path) -> dict[str, dict]:
    return {rec["id"]: rec for rec in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_scan_boilerplate_command_and_api_agree_on_every_document(tmp_path):
    docs = _corpus()
    folder = _write(tmp_path / "in", docs)
    corpus = sd.Corpus.from_dir(folder)
    api = dict(zip(corpus.ids, BoilerplateScorer().fit_score(list(corpus.texts))))
    assert any(r.fraction > 0 for r in api.values()) and any(r.spans for r in api.values())

    assert main(["scan", str(folder), "-o", str(tmp_path / "scan.jsonl"), "--no-progress"]) == 0
    assert main(["boilerplate", str(folder), "-o", str(tmp_path / "bp.jsonl"), "--no-progress"]) == 0
    scan = _jsonl(tmp_path / "scan.jsonl")
    command = _jsonl(tmp_path / "bp.jsonl")
    detector = sd.Detector().fit_detect(corpus)
    assert set(scan) == set(command) == set(api) == set(docs)
    for i, doc_id in enumerate(corpus.ids):
        report = api[doc_id]
        assert scan[doc_id]["boilerplate"] == round(report.fraction, 4)
        assert scan[doc_id]["boilerplate_chars"] == round(report.char_fraction, 4)
        assert scan[doc_id]["boilerplate_spans"] == len(report.spans)
        assert command[doc_id]["fraction"] == report.fraction
        assert command[doc_id]["char_fraction"] == report.char_fraction
        assert command[doc_id]["spans"] == [s.to_dict() for s in report.spans]
        assert detector.boilerplate_reports[i] == report
        assert detector.boilerplate[i] == report.fraction


def test_an_exact_copy_changes_nothing():
    docs = _corpus()
    with_copy = dict(zip(docs, BoilerplateScorer().fit_score(list(docs.values()))))
    del docs["copy0"]
    without = dict(zip(docs, BoilerplateScorer().fit_score(list(docs.values()))))
    assert with_copy["copy0"] == with_copy["page0"]
    assert all(with_copy[k] == without[k] for k in docs)


@pytest.mark.parametrize("flag", [[], ["--no-boilerplate"]])
def test_no_boilerplate_writes_null_never_zero(tmp_path, flag):
    folder = _write(tmp_path / "in", _corpus())
    out = tmp_path / "scan.jsonl"
    assert main(["scan", str(folder), "-o", str(out), "--no-progress", *flag]) == 0
    records = _jsonl(out).values()
    for field in ("boilerplate", "boilerplate_chars"):
        values = [rec[field] for rec in records]
        if flag:
            assert values == [None] * len(values)
        else:
            assert all(isinstance(v, float) and 0.0 <= v <= 1.0 for v in values)


def test_detector_without_boilerplate_has_no_fractions():
    docs = _corpus()
    result = sd.Detector(boilerplate=False).fit_detect(list(docs.values()), ids=list(docs))
    assert result.boilerplate == (None,) * len(docs)
    assert all(rec["boilerplate"] is None and rec["boilerplate_chars"] is None for rec in result.to_records())
    result.summary()
