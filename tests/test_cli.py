"""The command line, driven through main(argv) as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spindetect.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"


def _folder(tmp_path: Path) -> Path:
    base = (
        "Keep the soil of a vegetable garden loose and feed it with compost every spring, "
        "because roots need air as much as they need water and the worms do the rest of the work. "
    ) * 3
    files = {
        "a": base,
        "b": base,  # exact copy
        "c": base.replace("every spring", "each spring"),  # light edit
        "d": "Interest rates move with inflation, and a central bank raises them when prices climb too fast. " * 3,
        "empty": "",
    }
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    return folder


def test_scan_writes_one_record_per_document(tmp_path, capsys):
    folder = _folder(tmp_path)
    out = tmp_path / "out.jsonl"
    assert main(["scan", str(folder), "-o", str(out), "--no-progress"]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "b", "binary", "c", "d", "empty"]
    by_id = {r["id"]: r for r in records}
    assert by_id["a"]["cluster"] == by_id["b"]["cluster"] == by_id["c"]["cluster"]
    assert by_id["d"]["cluster"] == "d" and by_id["d"]["kind"] is None
    assert by_id["binary"]["note"] and by_id["empty"]["note"]
    err = capsys.readouterr().err
    assert "binary" in err and "empty" in err  # named on stderr


def test_scan_without_output_prints_a_summary(capsys):
    assert main(["scan", str(DATA), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "5 documents" in out and "templated" in out


def test_scan_jsonl_input_with_custom_keys(tmp_path):
    src = tmp_path / "in.jsonl"
    rows = [{"doc": f"n{i}", "body": f"text number {i} " + "with some shared words here " * 3} for i in range(3)]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["scan", str(src), "--text-key", "body", "--id-key", "doc", "-o", str(out)]) == 0
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["n0", "n1", "n2"]


def test_pairs_and_explain(tmp_path, capsys):
    folder = _folder(tmp_path)
    assert main(["pairs", str(folder)]) == 0
    pairs = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {(p["a"], p["b"]) for p in pairs} >= {("a", "b"), ("a", "c")}
    assert all(p["kind"] != "unrelated" for p in pairs)
    assert main(["explain", str(folder), "a", "c"]) == 0
    text = capsys.readouterr().out
    assert "kind:" in text and "shared passages" in text
    assert main(["explain", str(folder), "a", "c", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["same_cluster"] is True and data["shared_passages"]


def test_usage_and_runtime_errors(tmp_path, capsys):
    assert main([]) == 2
    assert main(["scan"]) == 2
    assert main(["scan", str(tmp_path / "missing")]) == 1
    assert "missing" in capsys.readouterr().err
    folder = _folder(tmp_path)
    assert main(["explain", str(folder), "a", "nope"]) == 2
    assert "nope" in capsys.readouterr().err


def test_version(capsys):
    assert main(["--version"]) == 0
    assert "spindetect" in capsys.readouterr().out


def test_dedup_keeps_one_document_per_cluster(tmp_path):
    folder = _folder(tmp_path)
    kept = tmp_path / "kept.jsonl"
    clusters = tmp_path / "clusters.jsonl"
    assert main(["dedup", str(folder), "-o", str(kept), "--clusters", str(clusters)]) == 0
    kept_ids = [json.loads(x)["id"] for x in kept.read_text().splitlines()]
    assignment = {r["id"]: r for r in map(json.loads, clusters.read_text().splitlines())}
    assert len(assignment) == 6  # every input document, the unreadable ones too
    assert assignment["a"]["cluster"] == assignment["b"]["cluster"]
    assert ("a" in kept_ids) != ("b" in kept_ids)
    assert "d" in kept_ids
    assert all(assignment[k]["kept"] for k in kept_ids)


def test_scan_quiet_prints_no_summary(tmp_path, capsys):
    folder = _folder(tmp_path)
    out = tmp_path / "out.jsonl"
    assert main(["scan", str(folder), "-o", str(out), "-q"]) == 0
    assert main(["scan", str(folder), "-q"]) == 0
    captured = capsys.readouterr()
    assert "documents" not in captured.err and "cluster" not in captured.err
    assert captured.out == ""
