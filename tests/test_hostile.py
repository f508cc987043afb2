"""Hostile and broken input (issue 12): no crash, nothing lost, nothing leaked.

Every case runs the command line as a user would (``main(argv)``) and checks
the exit code, that no traceback reaches stderr, and, for input cases, one
record per input document in input order with a ``note`` naming the problem.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spindetect import cli
from spindetect.cli import main, parse_args

GARDEN = (
    "Keep the soil of a vegetable garden loose and feed it with compost every spring, "
    "because roots need air as much as they need water and the worms do the rest of the work. "
) * 3
RATES = "Interest rates move with inflation, and a central bank raises them when prices climb too fast. " * 3


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command; never a traceback."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    return code, out, err


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- #
# Arguments: usage errors (exit 2) before any input is read
# --------------------------------------------------------------------------- #

# The input does not exist: reading it would be a runtime error (exit 1), so
# exit 2 proves the arguments were checked first.
_MISSING = "no-such-input-folder"

USAGE_ERRORS = {
    "ngram 0": (["scan", _MISSING, "--ngram", "0"], "--ngram"),
    "ngram -3": (["scan", _MISSING, "--ngram", "-3"], "--ngram"),
    "ngram not a number": (["scan", _MISSING, "--ngram", "five"], "--ngram"),
    "num-perm 0": (["scan", _MISSING, "--num-perm", "0"], "--num-perm"),
    "threshold 2": (["scan", _MISSING, "--threshold", "2"], "--threshold"),
    "threshold nan": (["scan", _MISSING, "--threshold", "nan"], "--threshold"),
    "threshold inf": (["pairs", _MISSING, "--threshold", "inf"], "--threshold"),
    "threshold 0": (["explain", _MISSING, "a", "b", "--threshold", "0"], "--threshold"),
    "seed -1": (["scan", _MISSING, "--seed", "-1"], "--seed"),
    "seed 2**32": (["scan", _MISSING, "--seed", str(2**32)], "--seed"),
    "dedup threshold 1.5": (["dedup", _MISSING, "-o", "-", "--threshold", "1.5"], "--threshold"),
    "dedup num-perm 0": (["dedup", _MISSING, "-o", "-", "--num-perm", "0"], "--num-perm"),
    "boilerplate top -1": (["boilerplate", _MISSING, "--top", "-1"], "--top"),
    "output folder missing": (["scan", _MISSING, "-o", "no/such/folder/out.jsonl"], "does not exist"),
    "output is a folder": (["scan", _MISSING, "-o", "."], "is a folder"),
    "dedup clusters folder missing": (["dedup", _MISSING, "-o", "-", "--clusters", "nope/c.jsonl"], "--clusters"),
    "empty output path": (["boilerplate", _MISSING, "-o", ""], "empty output path"),
}


@pytest.mark.parametrize("argv, expected", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_error_before_any_work(argv, expected, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert expected in err
    assert "input not found" not in err  # the input was never looked at


def test_output_that_is_the_input_is_a_usage_error(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": GARDEN}) + "\n")
    code, _, err = run(["scan", src, "-o", src], capsys)
    assert code == 2 and "is the input file" in err
    assert json.loads(src.read_text())["id"] == "a"


def test_dedup_outputs_must_differ(tmp_path, capsys):
    folder = _folder(tmp_path, {"a": GARDEN})
    out = tmp_path / "kept.jsonl"
    code, _, err = run(["dedup", folder, "-o", out, "--clusters", out], capsys)
    assert code == 2 and "same file" in err


def test_parse_args_returns_checked_values():
    args = parse_args(["scan", "in", "--threshold", "0.7", "--seed", "0", "-o", "-"])
    assert (args.command, args.threshold, args.seed, args.output) == ("scan", 0.7, 0, "-")


# --------------------------------------------------------------------------- #
# Output files: written under a temporary name, renamed at the end
# --------------------------------------------------------------------------- #


def test_failed_run_keeps_the_previous_output(tmp_path, capsys, monkeypatch):
    folder = _folder(tmp_path, {"a": GARDEN, "b": RATES})
    out = tmp_path / "out.jsonl"
    assert run(["scan", folder, "-o", out], capsys)[0] == 0
    good = out.read_bytes()

    def broken_records(self):
        yield {"id": "a"}
        raise RuntimeError("disk full")

    from spindetect.report.results import ScanResult

    monkeypatch.setattr(ScanResult, "to_records", broken_records)
    code, _, err = run(["scan", folder, "-o", out], capsys)
    assert code == 1 and "disk full" in err
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "out.jsonl"]  # no temp file left


def test_output_file_gets_the_usual_mode(tmp_path, capsys):
    folder = _folder(tmp_path, {"a": GARDEN})
    out = tmp_path / "out.jsonl"
    assert run(["scan", folder, "-o", out, "--no-boilerplate"], capsys)[0] == 0
    assert out.stat().st_mode & 0o044  # readable by others, as open() would make it (umask 022)


# --------------------------------------------------------------------------- #
# Terminal output: ids are escaped
# --------------------------------------------------------------------------- #

FORGED = "a\x1b[31mRED\nforged line"


def test_scan_summary_escapes_ids(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    rows = [{"id": FORGED, "text": GARDEN}, {"id": "b", "text": GARDEN}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, out, err = run(["scan", src], capsys)
    assert code == 0
    assert "\x1b" not in out + err and "\nforged line" not in out
    assert "\\x1b[31mRED\\nforged line" in out


def test_explain_escapes_ids(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    rows = [{"id": FORGED, "text": GARDEN}, {"id": "b", "text": GARDEN}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, out, err = run(["explain", src, FORGED, "b"], capsys)
    assert code == 0
    assert "\x1b" not in out + err and "\nforged line" not in out


def test_boilerplate_table_escapes_ids(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    rows = [{"id": FORGED, "text": GARDEN}, {"id": "b", "text": RATES}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, out, err = run(["boilerplate", src], capsys)
    assert code == 0 and "\x1b" not in out + err


# --------------------------------------------------------------------------- #
# Notes in every kind of output record
# --------------------------------------------------------------------------- #


def test_dedup_records_carry_notes(tmp_path, capsys):
    folder = _folder(tmp_path, {"a": GARDEN, "b": GARDEN, "empty": ""})
    (folder / "bin.txt").write_bytes(b"\x00\x01binary\x00")
    kept, clusters = tmp_path / "kept.jsonl", tmp_path / "clusters.jsonl"
    assert run(["dedup", folder, "-o", kept, "--clusters", clusters], capsys)[0] == 0
    kept_recs = {r["id"]: r for r in records(kept)}
    assert "binary file" in kept_recs["bin"]["note"]
    assert "empty document" in kept_recs["empty"]["note"]
    assert "note" not in kept_recs["a"]
    assignment = records(clusters)
    assert [r["id"] for r in assignment] == ["a", "b", "bin", "empty"]
    notes = {r["id"]: r["note"] for r in assignment}
    assert notes["a"] is None and "binary file" in notes["bin"]


def test_boilerplate_records_carry_notes(tmp_path, capsys):
    folder = _folder(tmp_path, {"a": GARDEN, "empty": ""})
    out = tmp_path / "bp.jsonl"
    assert run(["boilerplate", folder, "-o", out], capsys)[0] == 0
    recs = records(out)
    assert [r["id"] for r in recs] == ["a", "empty"]
    assert recs[0]["note"] is None and "empty document" in recs[1]["note"]


def test_many_noted_documents_give_few_stderr_lines(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": f"e{i}", "text": ""}) for i in range(1500)]
    lines += [json.dumps({"id": f"s{i}", "text": "two words"}) for i in range(1500)]
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    code, _, err = run(["scan", src, "-o", out, "--no-boilerplate"], capsys)
    assert code == 0
    assert len(records(out)) == 3000
    assert len(err.splitlines()) < 40
    assert "1500 documents: empty document" in err
