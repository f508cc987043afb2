"""One progress bar over a whole scan: steps weighted by their share of the time, moving inside them.

:class:`Progress` shows a ``tqdm.auto`` bar (a widget in Jupyter, text on a
terminal) from 0 to 100 %.  Each step of :meth:`spindetect.Detector.fit` owns a
share of the bar (:data:`STEP_SHARES`); a step that works in chunks moves the
bar with :meth:`Progress.advance`, and :meth:`Progress.start` of the next step
fills whatever the previous one left.  :meth:`Progress.close` fills the bar to
100 % before closing it.  While the bar is shown, the ``spindetect`` logger
writes through ``tqdm`` (:func:`tqdm.contrib.logging.logging_redirect_tqdm`)
so warnings are printed above the bar, not inside it.

Step durations are logged at INFO level whether or not the bar is shown.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Mapping
from typing import Any

__all__ = ["Progress", "STEP_SHARES"]

log = logging.getLogger("spindetect")

#: Share of the bar of each step of a scan: the step times of
#: ``spindetect scan gen3k.jsonl -v`` on the 2,876-document generated corpus
#: (``benchmarks/generate.py --n-families 400``): signatures 0.8 s,
#: candidates 10.3 s, scores 19.7 s, clusters 0.8 s, boilerplate 9.0 s.
STEP_SHARES: Mapping[str, float] = {
    "signatures": 0.8,
    "candidates": 10.3,
    "scores": 19.7,
    "clusters": 0.8,
    "boilerplate": 9.0,
}


class Progress:
    """A bar over the steps of one scan (or nothing but step timings when disabled).

    Parameters
    ----------
    enabled : bool
        Show the bar.
    steps : sequence of str
        The steps that will run, in order (keys of :data:`STEP_SHARES`).
    """

    def __init__(self, enabled: bool, steps: tuple[str, ...]) -> None:
        total = sum(STEP_SHARES.get(s, 1.0) for s in steps)
        self.shares = {s: 100.0 * STEP_SHARES.get(s, 1.0) / total for s in steps}
        self.name = ""
        self.t0 = time.perf_counter()
        self.done = 0.0  # percent reached at the start of the current step, plus its advances
        self.step_end = 0.0
        self.bar: Any = None
        self._redirect: contextlib.ExitStack | None = None
        if enabled:
            self._open()

    def _open(self) -> None:
        from tqdm.auto import tqdm
        from tqdm.contrib.logging import logging_redirect_tqdm

        self._redirect = contextlib.ExitStack()
        self._redirect.enter_context(logging_redirect_tqdm(loggers=[log]))
        fmt = "{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}{postfix}]"
        self.bar = tqdm(total=100.0, desc="spindetect", bar_format=fmt, leave=False)

    def start(self, name: str) -> None:
        """Begin step ``name``: log the previous step's time and fill its share."""
        now = time.perf_counter()
        if self.name:
            log.info("%s: %.1f s", self.name, now - self.t0)
        self._move_to(self.step_end)
        self.t0, self.name = now, name
        self.step_end = min(self.step_end + self.shares.get(name, 0.0), 100.0)
        if self.bar is not None:
            self.bar.set_postfix_str(name)

    def advance(self, fraction: float) -> None:
        """Move the bar by ``fraction`` (0..1) of the current step's share."""
        self._move_to(min(self.done + fraction * self.shares.get(self.name, 0.0), self.step_end))

    def close(self) -> None:
        """Log the last step's time, fill the bar to 100 % and close it."""
        if self.name:
            log.info("%s: %.1f s", self.name, time.perf_counter() - self.t0)
            self.name = ""
        self._move_to(100.0)
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        if self._redirect is not None:
            self._redirect.close()
            self._redirect = None

    def _move_to(self, percent: float) -> None:
        if percent > self.done:
            if self.bar is not None:
                self.bar.update(percent - self.done)
            self.done = percent
