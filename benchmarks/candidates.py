"""Candidate recall on the real sets: how many gold pairs the detector ever scores.

A pair that is no candidate can never be joined, whatever the pair model
says.  For each real set (:mod:`benchmarks.realsets`; dragnet-train with 100
spun copies, seed 0, as in ``quality.py``) this prints, side by side in one
run, the default detector and the detector with the opt-in
:class:`spindetect.signals.neighbours.LsaNeighbours` candidates: candidate
pairs, gold pairs among them (recall; templated-dev also without the stretch
family ``hp-humanized``) and the scan's wall time.

Usage::

    python benchmarks/candidates.py [--datasets templated-dev,clough-dev,...] [--k 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks import realsets  # noqa: E402
from spindetect.detector import Detector  # noqa: E402
from spindetect.signals.neighbours import LsaNeighbours  # noqa: E402


def gold_codes(gold: Sequence[str], keep: np.ndarray | None = None) -> np.ndarray:
    """``i * n + j`` of every gold pair ``i < j`` (documents in ``keep`` only)."""
    n = len(gold)
    by: dict[str, list[int]] = {}
    for i, g in enumerate(gold):
        if keep is None or keep[i]:
            by.setdefault(g, []).append(i)
    out = [np.array(m)[:, None] * n + np.array(m)[None, :] for m in by.values() if len(m) > 1]
    codes = np.concatenate([c[np.triu_indices(len(c), 1)] for c in out]) if out else np.zeros(0, np.int64)
    return np.sort(codes)


def candidate_recall(data: realsets.Dataset, detector: Detector) -> dict:
    """Candidates of ``detector`` on ``data`` and the share of gold pairs among them."""
    t0 = time.perf_counter()
    det = detector.fit(list(data.texts), ids=list(data.ids))
    secs = time.perf_counter() - t0
    n = len(data)
    cand = np.sort(det.pairs_.index[:, 0] * n + det.pairs_.index[:, 1])
    out = {"candidates": len(cand), "seconds": secs}
    rows = {"gold pairs": None}
    if "stretch" in data.variants:
        rows["w/o hp-humanized"] = np.array([v != "stretch" for v in data.variants])
    for name, keep in rows.items():
        gold = gold_codes(data.gold, keep)
        hit = int(np.isin(gold, cand).sum())
        out[f"{name}: candidates"] = f"{hit / max(len(gold), 1):.3f} ({hit}/{len(gold)})"
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", default=",".join(realsets.REAL_SETS))
    ap.add_argument("--k", type=int, default=10, help="LsaNeighbours budget per document")
    args = ap.parse_args(argv)
    for name in args.datasets.split(","):
        data = realsets.load(name, **({"n_spun": 100} if name == "dragnet-train" else {}))
        if data is None:
            print(f"== {name}: skipped (not found) ==")
            continue
        base = candidate_recall(data, Detector(boilerplate=False))
        lsa = candidate_recall(data, Detector(boilerplate=False, neighbours=LsaNeighbours(k=args.k)))
        print(f"== {name}: {len(data)} docs ==")
        print(f"{'':28s} {'default':>22s} {'+ LsaNeighbours(k=%d)' % args.k:>22s}")
        for key in base:
            a, b = base[key], lsa[key]
            fa, fb = (f"{a:.1f}", f"{b:.1f}") if isinstance(a, float) else (str(a), str(b))
            print(f"{key:28s} {fa:>22s} {fb:>22s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
