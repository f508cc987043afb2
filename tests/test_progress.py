"""The progress bar: tqdm.auto, weighted steps, 100 % at the end, logs written above the bar."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import spindetect as sd
from spindetect._progress import STEP_SHARES, Progress

DATA = Path(__file__).resolve().parents[1] / "data"


class _Bar:
    """Stands in for tqdm.auto.tqdm and records what the bar was told."""

    made: list["_Bar"] = []

    def __init__(self, *, total, **kwargs):
        self.total, self.n, self.updates, self.postfixes, self.closed = total, 0.0, [], [], False
        _Bar.made.append(self)

    def update(self, k):
        self.updates.append((self.postfixes[-1] if self.postfixes else "", k))
        self.n += k

    def set_postfix_str(self, s):
        self.postfixes.append(s)

    def close(self):
        self.closed = True


@pytest.fixture()
def bars(monkeypatch):
    import tqdm.auto

    _Bar.made = []
    monkeypatch.setattr(tqdm.auto, "tqdm", _Bar)
    return _Bar.made


def test_steps_move_the_bar_by_their_share_and_close_at_100(bars):
    p = Progress(True, ("signatures", "scores"))
    total = STEP_SHARES["signatures"] + STEP_SHARES["scores"]
    p.start("signatures")
    p.start("scores")
    assert bars[0].n == pytest.approx(100 * STEP_SHARES["signatures"] / total)
    p.advance(0.5)
    assert bars[0].n == pytest.approx(100 * (STEP_SHARES["signatures"] + STEP_SHARES["scores"] / 2) / total)
    p.advance(5.0)  # never past the step's share
    assert bars[0].n == pytest.approx(100.0)
    p.close()
    assert bars[0].n == pytest.approx(100.0) and bars[0].closed
    assert all(k > 0 for _, k in bars[0].updates)


def test_a_fit_with_progress_reaches_100_percent(bars):
    sd.Detector(progress=True).fit(sd.Corpus.from_dir(DATA))
    (bar,) = bars
    assert bar.n == pytest.approx(100.0) and bar.closed
    assert bar.postfixes == ["boilerplate", "signatures", "candidates", "scores", "clusters"]
    for slow in ("candidates", "scores"):  # the bar moves inside the slow steps, not only between them
        assert sum(step == slow for step, _ in bar.updates) >= 3, bar.updates


def test_logs_go_through_tqdm_while_the_bar_is_shown(bars):
    log = logging.getLogger("spindetect")
    before = list(log.handlers)
    p = Progress(True, ("scores",))
    assert any(type(h).__name__ == "_TqdmLoggingHandler" for h in log.handlers)
    p.close()
    assert log.handlers == before


def test_no_bar_unless_asked(bars):
    sd.Detector().fit(sd.Corpus.from_dir(DATA))
    assert bars == []
