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
    """JSON lines split on ``\n`` only, as a JSONL reader does."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    return [json.loads(line) for line in lines[:-1]]


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
    "pattern reaching out": (["scan", _MISSING, "--pattern", "../*.txt"], "--pattern"),
    "absolute pattern": (["scan", _MISSING, "--pattern", "/etc/*"], "--pattern"),
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


# --------------------------------------------------------------------------- #
# Broken and hostile input: one record per document, in order, with a note
# --------------------------------------------------------------------------- #


def _jsonl(tmp_path: Path, lines: list[str | bytes], name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return path


def _row(doc_id: str, text: str) -> str:
    return json.dumps({"id": doc_id, "text": text})


def case_deep_nesting(tmp_path):
    path = _jsonl(tmp_path, [_row("a", GARDEN), "[" * 100_000, _row("c", GARDEN)])
    return path, [("a", None), ("line:2", "nested too deeply"), ("c", None)]


def case_deep_nesting_in_text(tmp_path):
    path = _jsonl(tmp_path, [_row("a", GARDEN), '{"id": "b", "text": ' + "[" * 5000 + "]" * 5000 + "}"])
    return path, [("a", None), ("line:2", "nested too deeply")]


def case_long_int_text(tmp_path):
    path = _jsonl(tmp_path, [_row("a", GARDEN), '{"id": "b", "text": ' + "9" * 5000 + "}"])
    return path, [("a", None), ("b", "integer of 5000 digits")]


def case_long_int_id(tmp_path):
    path = _jsonl(tmp_path, [_row("a", GARDEN), '{"id": ' + "7" * 5000 + ', "text": "x y"}'])
    return path, [("a", None), ("7" * 5000, "shorter than")]


def case_invalid_json(tmp_path):
    path = _jsonl(tmp_path, [_row("a", GARDEN), "{not json", _row("c", RATES)])
    return path, [("a", None), ("line:2", "invalid JSON"), ("c", None)]


def case_not_an_object(tmp_path):
    path = _jsonl(tmp_path, [_row("a", GARDEN), "[1, 2]", "null", _row("d", RATES)])
    return path, [("a", None), ("line:2", "not an object"), ("line:3", "not an object"), ("d", None)]


def case_invalid_utf8_line(tmp_path):
    path = _jsonl(tmp_path, [_row("a", GARDEN), b'{"id": "b", "text": "caf\xe9 ok"}'])
    return path, [("a", None), ("b", "invalid UTF-8")]


def case_lone_surrogate_escape(tmp_path):
    path = _jsonl(tmp_path, [_row("a", GARDEN), '{"id": "b\\ud800", "text": "x \\udfff y"}'])
    return path, [("a", None), ("b\ufffd", "U+FFFD")]


def case_missing_and_null_text(tmp_path):
    path = _jsonl(tmp_path, [_row("a", GARDEN), '{"id": "b"}', '{"id": "c", "text": null}'])
    return path, [("a", None), ("b", "missing text key"), ("c", "is null")]


def case_duplicate_ids(tmp_path):
    path = _jsonl(tmp_path, [_row("a", GARDEN), _row("a", RATES)])
    return path, [("a", None), ("a#2", "duplicate id")]


def case_control_characters_in_id(tmp_path):
    path = _jsonl(tmp_path, [_row(FORGED, GARDEN), _row("b", RATES)])
    return path, [(FORGED, None), ("b", None)]


def case_truncated_gzip(tmp_path):
    import gzip

    body = "".join(_row(f"d{i}", f"{GARDEN} {i}") + "\n" for i in range(50)).encode()
    data = gzip.compress(body)
    path = tmp_path / "in.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    return path, None  # checked separately: how many lines survive depends on zlib


def case_utf16_jsonl(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes((_row("a", GARDEN) + "\n" + _row("b", "caf\u00e9 " + RATES) + "\n").encode("utf-16"))
    return path, [("a", None), ("b", None)]


def case_utf16_text_file(tmp_path):
    folder = _folder(tmp_path, {"a": GARDEN})
    (folder / "u.txt").write_bytes(GARDEN.encode("utf-16"))
    return folder, [("a", None), ("u", "UTF-16")]


def case_utf32_text_file(tmp_path):
    folder = _folder(tmp_path, {"a": GARDEN})
    (folder / "u.txt").write_bytes(GARDEN.encode("utf-32"))
    return folder, [("a", None), ("u", "UTF-32")]


def case_binary_file(tmp_path):
    folder = _folder(tmp_path, {"a": GARDEN})
    (folder / "b.txt").write_bytes(b"\x7fELF\x00\x01\x02" * 100)
    return folder, [("a", None), ("b", "binary file")]


def case_empty_and_blank_files(tmp_path):
    folder = _folder(tmp_path, {"a": GARDEN, "e": "", "w": " \n\t "})
    return folder, [("a", None), ("e", "empty document"), ("w", "whitespace only")]


def case_symlink_loop(tmp_path):
    folder = _folder(tmp_path, {"a": GARDEN})
    (folder / "loop.txt").symlink_to("loop.txt")
    return folder, [("a", None), ("loop", "symlink loop")]


def case_dangling_symlink(tmp_path):
    folder = _folder(tmp_path, {"a": GARDEN})
    (folder / "gone.txt").symlink_to("nowhere.txt")
    return folder, [("a", None), ("gone", "dangling symlink")]


def case_symlink_outside(tmp_path):
    folder = _folder(tmp_path, {"a": GARDEN})
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash " * 5)
    (folder / "passwd.txt").symlink_to(secret)
    return folder, [("a", None), ("passwd", "outside the input folder")]


def case_symlink_inside(tmp_path):
    folder = _folder(tmp_path, {"a": GARDEN})
    (folder / "link.txt").symlink_to(folder / "a.txt")
    return folder, [("a", None), ("link", None)]


def case_fifo(tmp_path):
    import os

    folder = _folder(tmp_path, {"a": GARDEN})
    os.mkfifo(folder / "pipe.txt")
    return folder, [("a", None), ("pipe", "not a regular file")]


def case_invalid_utf8_file_name(tmp_path):
    import os

    folder = _folder(tmp_path, {"a": GARDEN})
    with open(os.path.join(os.fsencode(folder), b"bad\xffname.txt"), "wb") as fh:
        fh.write(RATES.encode())
    return folder, [("a", None), ("bad\ufffdname", "file name is not valid UTF-8")]


def case_invalid_utf8_text_file(tmp_path):
    folder = _folder(tmp_path, {"a": GARDEN})
    (folder / "b.txt").write_bytes(b"caf\xe9 " + RATES.encode())
    return folder, [("a", None), ("b", "invalid UTF-8")]


def case_csv_ragged_rows(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(f'id,text\na,"{GARDEN}"\nb,"{RATES}",extra\nc\n')
    return path, [("a", None), ("b", "more fields"), ("c", "fewer fields")]


def case_csv_huge_field(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(f'id,text\na,"{GARDEN}"\nb,"{"word " * 100_000}"\n')
    return path, [("a", None), ("b", None)]


INPUT_CASES = {name[5:]: fn for name, fn in dict(globals()).items() if name.startswith("case_")}


@pytest.mark.parametrize("make", INPUT_CASES.values(), ids=INPUT_CASES.keys())
def test_scan_keeps_every_document_with_a_note(make, tmp_path, capsys):
    src, expected = make(tmp_path)
    out = tmp_path / "out.jsonl"
    code, _, err = run(["scan", src, "-o", out, "--no-progress"], capsys)
    assert code == 0, err
    recs = records(out)
    if expected is None:
        return
    assert [r["id"] for r in recs] == [doc_id for doc_id, _ in expected]
    for rec, (_, note) in zip(recs, expected):
        if note is None:
            assert rec["note"] is None or "not read" not in rec["note"]
        else:
            assert rec["note"] and note in rec["note"], rec


def test_truncated_gzip_keeps_what_was_read_and_names_the_file(tmp_path, capsys):
    src, _ = case_truncated_gzip(tmp_path)
    out = tmp_path / "out.jsonl"
    code, _, err = run(["scan", src, "-o", out], capsys)
    assert code == 0
    recs = records(out)
    assert [r["id"] for r in recs[:-1]] == [f"d{i}" for i in range(len(recs) - 1)]
    assert "truncated" in recs[-1]["note"] and "in.jsonl.gz" in err


def test_pattern_reaching_out_of_the_folder_reads_nothing_outside(tmp_path):
    from spindetect import Corpus

    folder = _folder(tmp_path, {"a": GARDEN})
    (tmp_path / "secret.txt").write_text("root:x:0:0 " * 20)
    corpus = Corpus.from_dir(folder, pattern="../*.txt")
    assert [d.text for d in corpus] == [""]
    assert "outside the input folder" in corpus[0].notes[0]


def test_symlink_outside_is_never_copied(tmp_path, capsys):
    src, _ = case_symlink_outside(tmp_path)
    kept = tmp_path / "kept.jsonl"
    assert run(["dedup", src, "-o", kept], capsys)[0] == 0
    assert "root:x:0:0" not in kept.read_text()
    assert "outside the input folder" in {r["id"]: r for r in records(kept)}["passwd"]["note"]


@pytest.mark.parametrize(
    "name, content",
    [("empty.jsonl", b""), ("empty.csv", b""), ("header.csv", b"id,text\n"), ("blank.jsonl", b"\n\n  \n")],
)
def test_empty_inputs_warn(name, content, tmp_path, capsys):
    src = tmp_path / name
    src.write_bytes(content)
    out = tmp_path / "out.jsonl"
    code, _, err = run(["scan", src, "-o", out], capsys)
    assert code == 0 and out.read_text() == ""
    assert "no records" in err and name in err


@pytest.mark.parametrize("command", ["scan", "dedup", "boilerplate", "pairs"])
def test_every_command_survives_the_worst_folder(command, tmp_path, capsys):
    folder = _folder(tmp_path, {"a": GARDEN, "b": GARDEN, "e": ""})
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "bin.txt").write_bytes(b"\x00" * 10)
    (folder / "u.txt").write_bytes(RATES.encode("utf-16"))
    out = tmp_path / "out.jsonl"
    argv = [command, folder, "-o", out]
    code, _, _ = run(argv, capsys)
    assert code == 0
    if command in ("scan", "boilerplate"):
        assert [r["id"] for r in records(out)] == ["a", "b", "bin", "e", "loop", "u"]


# --------------------------------------------------------------------------- #
# Evasion: invisible characters inside words
# --------------------------------------------------------------------------- #


def _sprinkle(text: str, chars: str) -> str:
    """``chars`` inserted in the middle of every word longer than three letters."""
    words = []
    for i, w in enumerate(text.split(" ")):
        if len(w) > 3:
            k = len(w) // 2
            w = w[:k] + chars[i % len(chars)] + w[k:]
        words.append(w)
    return " ".join(words)


INVISIBLE = {
    "zero-width space": "\u200b",
    "soft hyphen": "\u00ad",
    "zero-width joiner": "\u200d",
    "zero-width non-joiner": "\u200c",
    "word joiner": "\u2060",
    "byte-order mark": "\ufeff",
    "bidi marks": "\u200e\u200f\u202a\u202c",
    "mixed": "\u200b\u00ad\u200d\u2060",
}


@pytest.mark.parametrize("chars", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_characters_do_not_hide_a_copy(chars, tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    rows = [("orig", GARDEN), ("copy", _sprinkle(GARDEN, chars)), ("other", RATES)]
    src.write_text("".join(_row(i, t) + "\n" for i, t in rows))
    out = tmp_path / "out.jsonl"
    assert run(["scan", src, "-o", out], capsys)[0] == 0
    recs = {r["id"]: r for r in records(out)}
    assert recs["copy"]["cluster"] == recs["orig"]["cluster"]
    assert recs["copy"]["kind"] in ("exact", "near_duplicate")
    assert recs["other"]["cluster"] == "other"


def test_token_spans_still_point_into_the_original_text():
    from spindetect.text.normalize import strip_invisible
    from spindetect.text.tokens import word_tokens

    copy = _sprinkle(GARDEN, "\u200b\u00ad")
    tokens = word_tokens(copy)
    assert tokens.terms == word_tokens(GARDEN).terms
    for term, start, end in zip(tokens.terms, tokens.starts, tokens.ends):
        assert strip_invisible(copy[start:end]).casefold() == term


def test_shared_passages_of_a_sprinkled_copy_have_original_offsets():
    import spindetect as sd

    copy = _sprinkle(GARDEN, "\u200b")
    passages = sd.shared_passages(GARDEN, copy)
    assert passages
    for p in passages:
        assert "\u200b" not in GARDEN[p.a_start : p.a_end]
        assert copy[p.b_start : p.b_end].replace("\u200b", "") == GARDEN[p.a_start : p.a_end]


# --------------------------------------------------------------------------- #
# explain on documents without text
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("texts", [("", ""), ("", GARDEN), ("...", "!!"), ("\u200b", "\u00ad")])
def test_explain_documents_without_words(texts, tmp_path, capsys):
    folder = _folder(tmp_path, {"a": texts[0], "b": texts[1], "c": RATES})
    code, out, _ = run(["explain", folder, "a", "b"], capsys)
    assert code == 0 and "vs" in out
    code, out, _ = run(["explain", folder, "a", "b", "--json"], capsys)
    assert code == 0 and json.loads(out)


# --------------------------------------------------------------------------- #
# Dedup index files: tampered files fail clearly, naming the file and field
# --------------------------------------------------------------------------- #


def _good_index(tmp_path: Path) -> Path:
    from spindetect.dedup import Deduplicator

    texts = [GARDEN, GARDEN + " again", RATES, "a short one here"]
    path = tmp_path / "good.npz"
    Deduplicator(threshold=0.5).fit(texts, ids=["a", "b", "c", "d"]).save(path)
    return path


def _arrays(path: Path) -> dict:
    import numpy as np

    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def _meta(arrays: dict) -> dict:
    return json.loads(arrays["meta"].tobytes())


def _with_meta(arrays: dict, meta: dict) -> dict:
    import numpy as np

    return {**arrays, "meta": np.frombuffer(json.dumps(meta).encode(), np.uint8)}


def _set_param(name, value):
    def tamper(a):
        meta = _meta(a)
        meta["params"][name] = value
        return _with_meta(a, meta)

    return tamper


def _replace(name, fn):
    return lambda a: {**a, name: fn(a[name])}


def _drop(name):
    return lambda a: {k: v for k, v in a.items() if k != name}


def _ids(value):
    import numpy as np

    return lambda a: {**a, "ids_json": np.frombuffer(json.dumps(value).encode(), np.uint8)}


def _np():
    import numpy as np

    return np


TAMPERED = {
    "missing meta": (_drop("meta"), "meta: missing"),
    "meta not JSON": (lambda a: {**a, "meta": _np().frombuffer(b"{oops", _np().uint8)}, "meta: not UTF-8 JSON"),
    "meta a list": (lambda a: _with_meta(a, [1, 2]), "meta: a JSON list"),
    "meta float": (_replace("meta", lambda m: m.astype(float)), "meta: dtype"),
    "wrong format": (lambda a: _with_meta(a, {**_meta(a), "format": "other/9"}), "format is 'other/9'"),
    "num_perm 1e9 float": (_set_param("num_perm", 1e9), "params.num_perm"),
    "num_perm 1e9 int": (_set_param("num_perm", 10**9), "params.num_perm"),
    "num_perm str": (_set_param("num_perm", "128"), "params.num_perm"),
    "threshold nan": (_set_param("threshold", float("nan")), "params.threshold"),
    "seed negative": (_set_param("seed", -1), "params.seed"),
    "unknown param": (_set_param("evil", 1), "unknown settings"),
    "norm not booleans": (_set_param("norm", {"nfkc": "yes"}), "params.norm"),
    "missing values": (_drop("values"), "values: missing"),
    "values float": (_replace("values", lambda v: v.astype(float)), "values: dtype"),
    "values narrow": (_replace("values", lambda v: v.astype("<u2")), "values: dtype"),
    "values object": (_replace("values", lambda v: v.astype(object)), "values"),
    "values wrong width": (_replace("values", lambda v: v[:, :64]), "values: shape"),
    "n_shingles short": (_replace("n_shingles", lambda v: v[:-1]), "n_shingles: 3 counts for 4 documents"),
    "n_shingles float": (_replace("n_shingles", lambda v: v.astype(float)), "n_shingles: dtype"),
    "pairs out of range": (_replace("pairs", lambda p: p + 100), "pairs: positions outside"),
    "pairs wrong shape": (_replace("pairs", lambda p: p.reshape(-1)), "pairs: shape"),
    "scores short": (_replace("scores", lambda s: s[:-1]), "scores: "),
    "scores above 1": (_replace("scores", lambda s: s + 5), "scores: values outside"),
    "ids too few": (_ids(["a", "b"]), "ids: 2 ids for 4 documents"),
    "ids not strings": (_ids([1, 2, 3, 4]), "ids: expected a list of strings"),
}


@pytest.mark.parametrize("tamper, message", TAMPERED.values(), ids=TAMPERED.keys())
def test_tampered_index_fails_naming_file_and_field(tamper, message, tmp_path):
    from spindetect.dedup import Deduplicator
    from spindetect.indexfile import IndexFileError

    arrays = _arrays(_good_index(tmp_path))
    bad = tmp_path / "bad.npz"
    _np().savez(bad, **tamper(arrays))
    with pytest.raises(IndexFileError) as info:
        Deduplicator.load(bad)
    assert message in str(info.value) and "bad.npz" in str(info.value)


@pytest.mark.parametrize(
    "content", [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40], ids=["empty", "text", "zip header only"]
)
def test_index_that_is_not_a_zip(content, tmp_path):
    from spindetect.dedup import Deduplicator
    from spindetect.indexfile import IndexFileError

    bad = tmp_path / "bad.npz"
    bad.write_bytes(content)
    with pytest.raises(IndexFileError, match="bad.npz"):
        Deduplicator.load(bad)


def test_truncated_index(tmp_path):
    from spindetect.dedup import Deduplicator
    from spindetect.indexfile import IndexFileError

    data = _good_index(tmp_path).read_bytes()
    bad = tmp_path / "bad.npz"
    bad.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(IndexFileError, match="bad.npz"):
        Deduplicator.load(bad)


def test_header_claiming_a_huge_array_is_refused_before_reading(tmp_path):
    import io
    import zipfile

    from spindetect.dedup import Deduplicator
    from spindetect.indexfile import IndexFileError

    good = _good_index(tmp_path)
    bad = tmp_path / "bad.npz"
    header = io.BytesIO()
    _np().lib.format.write_array_header_1_0(
        header, {"descr": "<u4", "fortran_order": False, "shape": (10**9, 128)}
    )
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, header.getvalue() + b"\x00" * 64 if name == "values.npy" else data)
    with pytest.raises(IndexFileError, match="values: shape .* needs 512000000000 bytes"):
        Deduplicator.load(bad)


def test_index_round_trip_keeps_awkward_ids(tmp_path):
    from spindetect.dedup import Deduplicator

    ids = ["a\x00", "b\x00\x00", "\u200bc", "d\ufffd"]
    path = tmp_path / "idx.npz"
    Deduplicator().fit([GARDEN, GARDEN, RATES, "x y z"], ids=ids).save(path)
    assert Deduplicator.load(path).ids_ == ids


def test_index_save_leaves_no_temporary_file(tmp_path):
    from spindetect.dedup import Deduplicator

    Deduplicator().fit([GARDEN, RATES]).save(tmp_path / "idx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx.npz"]


def test_index_written_before_ids_json_still_loads(tmp_path):
    from spindetect.dedup import Deduplicator

    arrays = _arrays(_good_index(tmp_path))
    ids = json.loads(arrays.pop("ids_json").tobytes())
    old = tmp_path / "old.npz"
    _np().savez(old, **arrays, ids=_np().array(ids, dtype=str))
    assert Deduplicator.load(old).ids_ == ["a", "b", "c", "d"]


# --------------------------------------------------------------------------- #
# Random input (hypothesis): random bytes, random JSON, random Unicode
# --------------------------------------------------------------------------- #

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4),
    max_leaves=12,
)


@_FAST
@given(blobs=st.lists(st.binary(max_size=300), min_size=1, max_size=4))
def test_random_bytes_files_are_kept_in_order(blobs, tmp_path_factory, capsys):
    folder = tmp_path_factory.mktemp("bytes")
    names = [f"f{i:02d}" for i in range(len(blobs))]
    for name, blob in zip(names, blobs):
        (folder / f"{name}.txt").write_bytes(blob)
    out = folder / "out.jsonl"
    code, _, _ = run(["scan", folder, "-o", out, "--no-boilerplate"], capsys)
    assert code == 0
    assert [r["id"] for r in records(out)] == names


@_FAST
@given(
    lines=st.lists(
        st.one_of(
            st.fixed_dictionaries({"id": _json_values, "text": _json_values}).map(json.dumps),
            _json_values.map(json.dumps),
            st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" ").decode("latin-1")),
        ),
        min_size=1,
        max_size=8,
    )
)
@example(lines=["\xa0"])  # an undecodable byte: a bad record, kept and reported
@example(lines=["\xc2\xa0", "\"x\""])  # a UTF-8 no-break space: a blank line
def test_random_json_lines_give_one_record_each(lines, tmp_path_factory, capsys):
    folder = tmp_path_factory.mktemp("json")
    src = folder / "in.jsonl"
    raw = b"".join(line.encode("latin-1", "replace") + b"\n" for line in lines)
    src.write_bytes(raw)
    # Blank means blank once decoded as the reader decodes (UTF-8, undecodable bytes kept): a lone
    # 0xA0 byte is an undecodable character, reported as a bad record, not a no-break space.
    decoded = raw.decode("utf-8-sig", "surrogateescape").split("\n")[:-1]
    expected = sum(1 for line in decoded if line.strip())
    out = folder / "out.jsonl"
    code, _, err = run(["scan", src, "-o", out, "--no-boilerplate"], capsys)
    if code == 1:  # only when no record has the text key at all: a clear error, no output
        assert "text key" in err and not out.exists()
        return
    assert code == 0
    recs = records(out)
    assert len(recs) == expected
    assert len({r["id"] for r in recs}) == len(recs)  # ids unique, duplicates renamed


_cf = st.sampled_from("\u200b\u200c\u200d\u2060\u00ad\ufeff\u200e\u202e")


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=80), inserts=st.lists(st.tuples(st.integers(0, 80), _cf), max_size=6))
def test_invisible_characters_never_change_tokens(text, inserts):
    from spindetect.text.tokens import hash_tokens, word_tokens

    sprinkled = text
    for pos, ch in sorted(inserts, reverse=True):
        pos = min(pos, len(sprinkled))
        sprinkled = sprinkled[:pos] + ch + sprinkled[pos:]
    assert word_tokens(sprinkled).terms == word_tokens(text).terms
    assert hash_tokens([sprinkled])[0].tolist() == hash_tokens([text])[0].tolist()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(st.text(max_size=12), min_size=1, max_size=5), texts=st.data())
def test_random_unicode_ids_and_texts_are_written_and_escaped(ids, texts, tmp_path_factory, capsys):
    folder = tmp_path_factory.mktemp("uni")
    rows = [{"id": i, "text": texts.draw(st.text(max_size=60))} for i in ids]
    src = folder / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = folder / "out.jsonl"
    code, stdout, err = run(["scan", src, "-o", out, "--no-boilerplate"], capsys)
    assert code == 0 and len(records(out)) == len(rows)
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(rows)  # no raw U+2028, U+0085...
    assert "\x1b" not in stdout + err


# --------------------------------------------------------------------------- #
# Peak memory of a 10 MB document (a subprocess; a generous bound, no timing)
# --------------------------------------------------------------------------- #

_MEASURE = """
import resource, subprocess, sys
subprocess.run([sys.executable, "-m", "spindetect.cli", *sys.argv[1:]], check=True,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def test_peak_memory_of_a_10_mb_document(tmp_path):
    import random
    import subprocess
    import sys

    rng = random.Random(1)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(20_000)]
    text = " ".join(rng.choice(vocab) for _ in range(1_700_000))[:10_000_000]
    folder = _folder(tmp_path, {"big": text, "small": GARDEN})
    out = tmp_path / "out.jsonl"
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, "scan", str(folder), "-o", str(out)],
        capture_output=True, text=True, cwd=root, check=True,
    )
    peak_mib = int(done.stdout.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux
    recs = records(out)
    assert [r["id"] for r in recs] == ["big", "small"]
    assert "large document (10.0 MB)" in recs[0]["note"]
    # Measured 1.0 GiB (scan with defaults); the bound catches a blow-up, not noise.
    assert peak_mib < 3 * 1024, f"peak {peak_mib:.0f} MiB for a 10 MB document"
