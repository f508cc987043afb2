"""Wall time, CPU time and resident memory of each stage of ``spindetect scan`` (issue 14).

Runs ``spindetect scan INPUT -o OUT`` in this process with the stage methods
of the detector and of its indexes wrapped: when a stage ends it prints its
wall and CPU seconds and the resident size (VmRSS, sampled every 20 ms by a
thread) before it, after it and at its peak, in MB above the interpreter with
its imports (the loaded texts are part of it).  Nested stages are indented.
The last line gives the whole run and the load average (on a shared machine
the wall time is mostly waiting: compare CPU times).  Lines are flushed as
they come, so a run stopped half way (a 1M-document scan) still shows the
stages it finished.

Usage::

    python benchmarks/stages.py CORPUS.jsonl            # output to a temporary file
    python benchmarks/stages.py CORPUS.jsonl -o OUT.jsonl
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

#: (module, class or None, method, label) of every stage timed, outermost first.
STAGES: tuple[tuple[str, str, str, str], ...] = (
    ("spindetect.detector", "Detector", "_boilerplate", "boilerplate"),
    ("spindetect.detector", "Detector", "_signatures", "signatures"),
    ("spindetect.detector", "Detector", "_candidates", "candidates"),
    ("spindetect.signals.repeated", "RepeatedLines", "fit", "repeated lines fit"),
    ("spindetect.signals.repeated", "RepeatedLines", "strip", "repeated lines strip"),
    ("spindetect.detector", "Detector", "_shingle_sets", "body shingle sets"),
    ("spindetect.detector", "Detector", "_mask_site_chrome", "site chrome"),
    ("spindetect.signals.tfidf", "TfidfSimilarity", "fit", "word tf-idf fit"),
    ("spindetect.signals.tfidf", "TfidfSimilarity", "neighbour_pairs", "word tf-idf neighbours"),
    ("spindetect.signals.structure", "StructureIndex", "fit", "structure fit"),
    ("spindetect.signals.outline", "OutlineIndex", "fit", "outline fit"),
    ("spindetect.signals.style", "StyleProfiles", "fit", "style fit"),
    ("spindetect.detector", "Detector", "_pairs", "pairs"),
    ("spindetect.detector", "Detector", "_exact", "exact"),
    ("spindetect.signals.tfidf", "TfidfSimilarity", "word_cosine", "word cosine"),
    ("spindetect.signals.structure", "StructureIndex", "score_pairs", "structure scores"),
    ("spindetect.signals.outline", "OutlineIndex", "score_pairs", "outline scores"),
    ("spindetect.signals.style", "StyleProfiles", "score_pairs", "style scores"),
    ("spindetect.signals.tfidf", "TfidfSimilarity", "char_cosine", "character cosine"),
    ("spindetect.detector", "Detector", "_cluster", "clusters"),
)


def rss_mb() -> int:
    """Resident size of this process (MB)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    raise RuntimeError("VmRSS not in /proc/self/status (Linux only)")


class Sampler:
    """Highest resident size seen since the last :meth:`restart`, sampled by a daemon thread."""

    def __init__(self, every: float = 0.02) -> None:
        self.peak = rss_mb()
        self.every = every
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, rss_mb())

    def stop(self) -> None:
        """End the sampling thread."""
        self._stop.set()

    def restart(self) -> int:
        """Start a new peak from now; return the peak so far."""
        old, self.peak = self.peak, rss_mb()
        return old


def timed(fn: Callable[..., Any], label: str, sampler: Sampler, base: int, depth: list[int]) -> Callable[..., Any]:
    """``fn``, printing its wall, CPU and memory when it returns."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        outer = sampler.restart()
        before = rss_mb()
        t, c = time.perf_counter(), time.process_time()
        depth[0] += 1
        try:
            return fn(*args, **kwargs)
        finally:
            depth[0] -= 1
            peak = max(sampler.peak, rss_mb())
            print(f"{'  ' * depth[0]}{label:<24s}{time.perf_counter() - t:9.1f}{time.process_time() - c:9.1f}"
                  f"{before - base:11d}{rss_mb() - base:9d}{peak - base:9d}", flush=True)
            sampler.peak = max(outer, peak)

    return run


def wrap_stages(sampler: Sampler, base: int) -> None:
    """Wrap every method of :data:`STAGES` that exists."""
    import importlib

    depth = [0]
    for module, cls, method, label in STAGES:
        owner = getattr(importlib.import_module(module), cls)
        fn = getattr(owner, method, None)
        if fn is None:
            print(f"(no {cls}.{method}: not timed)")
            continue
        setattr(owner, method, timed(fn, label, sampler, base, depth))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="what 'spindetect scan' reads (a folder, JSONL or CSV)")
    ap.add_argument("-o", "--output", help="the scan's JSONL output (default: a temporary file)")
    args = ap.parse_args(argv)
    import spindetect.cli

    base = rss_mb()
    sampler = Sampler()
    wrap_stages(sampler, base)
    print(f"{'stage':<24s}{'wall s':>9s}{'cpu s':>9s}{'MB before':>11s}{'after':>9s}{'peak':>9s}"
          f"   (MB above the interpreter; load average {os.getloadavg()[0]:.1f} at the start)", flush=True)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.output or str(Path(tmp) / "scan.jsonl")
        try:
            rc = spindetect.cli.main(["scan", args.input, "-o", out])
        finally:
            sampler.stop()
    with open("/proc/self/status") as f:
        hwm = next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmHWM:"))
    print(f"total {time.perf_counter() - t0:.1f} s wall, {time.process_time():.1f} s CPU, peak {hwm - base} MB "
          f"above the interpreter; load average {os.getloadavg()[0]:.1f} at the end; exit code {rc}", flush=True)
    return int(rc or 0)


if __name__ == "__main__":
    raise SystemExit(main())
