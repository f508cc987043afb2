"""Every snippet of the README runs: Python blocks in order, CLI lines on data/, the record example.

The two quick-start commands (between the ``main-command`` and ``test-command``
markers) create a virtual environment; ``.ci/run`` runs them verbatim, so here
they are only checked to be found.  The layout tree is the one block that is
not code.  Any other fenced block fails this test until it is run here.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from spindetect.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def _blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _FENCE.finditer(README.read_text(encoding="utf-8"))]


def _quick_start() -> set[str]:
    text = README.read_text(encoding="utf-8")
    found = set()
    for name in ("main-command", "test-command"):
        part = re.search(rf"<!-- {name} -->\n```\n(.*?)```\n<!-- /{name} -->", text, re.S)
        assert part, f"README has no {name} block"
        found.add(part.group(1))
    return found


def _is_cli(body: str) -> bool:
    lines = [x for x in body.splitlines() if x.strip()]
    return bool(lines) and all(x.startswith("spindetect ") for x in lines)


def _is_layout(body: str) -> bool:
    return body.startswith("spindetect/\n")


def test_every_block_is_run_here_or_by_ci():
    quick = _quick_start()
    for lang, body in _blocks():
        assert lang in ("python", "json") or body in quick or _is_cli(body) or _is_layout(body), body[:200]


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_python_snippets_run_in_order(workdir):
    pytest.importorskip("pandas")
    namespace: dict = {"__name__": "readme"}
    blocks = [body for lang, body in _blocks() if lang == "python"]
    assert blocks
    for k, body in enumerate(blocks):
        exec(compile(body, f"README.md python block {k + 1}", "exec"), namespace)  # noqa: S102


def _cli_lines() -> list[str]:
    return [x for lang, body in _blocks() if not lang and _is_cli(body) for x in body.splitlines() if x.strip()]


def _concrete(line: str, ids: list[str]) -> list[str]:
    """A README command line with its placeholders filled: INPUT is data/, files go to the work dir."""
    line = line.split("  #")[0].strip()
    line = re.sub(r"\[([^\]]*)\]", r"\1", line)  # optional parts are run too
    words = shlex.split(line)[1:]
    fill = {"INPUT": "data", "ID_A": ids[0], "ID_B": ids[1], "SCAN_DIR": "scan"}
    return [fill.get(w, w) for w in words]


def test_cli_snippets_run_on_data(workdir, capsys):
    ids = sorted(p.stem for p in (workdir / "data").glob("*.txt"))
    lines = _cli_lines()
    assert any(x.startswith("spindetect scan") for x in lines)
    for line in lines:  # in order: the scan with --save comes before explain --from
        argv = _concrete(line, ids)
        assert main(argv + ["--no-progress"]) == 0, line
    capsys.readouterr()


def test_record_example_matches_a_real_record(workdir):
    (body,) = [body for lang, body in _blocks() if lang == "json"]
    shown = json.loads(body.replace(", ...}", "}"))
    assert main(["scan", "data", "-o", "out.jsonl", "-q"]) == 0
    records = [json.loads(x) for x in (workdir / "out.jsonl").read_text().splitlines()]
    real = next(r for r in records if r["id"] == shown["id"])
    for key, value in shown.items():  # fractions move with the boilerplate model: their range is checked
        if isinstance(value, float):
            assert isinstance(real[key], float) and 0.0 <= real[key] <= 1.0, key
        else:
            assert real[key] == value, key
