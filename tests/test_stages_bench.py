"""benchmarks/stages.py times every stage of a scan and leaves the scan's output unchanged."""

from __future__ import annotations

from pathlib import Path

from benchmarks import stages

DATA = Path(__file__).resolve().parents[1] / "data"


def test_every_stage_is_printed_and_the_scan_writes_its_records(tmp_path, capsys, monkeypatch):
    originals = {(m, c, f): getattr(__import__(m, fromlist=[c]), c).__dict__[f] for m, c, f, _ in stages.STAGES}
    try:
        out = tmp_path / "out.jsonl"
        assert stages.main([str(DATA), "-o", str(out)]) == 0
        printed = capsys.readouterr().out
        assert len(out.read_text().splitlines()) == 5
        for label in ("boilerplate", "signatures", "candidates", "character cosine", "clusters"):
            assert f"\n{label} " in printed or f" {label} " in printed
        assert "exit code 0" in printed
    finally:
        for (m, c, f), fn in originals.items():
            setattr(getattr(__import__(m, fromlist=[c]), c), f, fn)
