"""Cost of explaining, saving, loading and re-thresholding a scan, next to the scan, in one run.

None of these refits: ``ScanResult.explain`` reads the stored pair and aligns
two texts (plus one family template of at most 40 members),
``Detector.explain`` of a pair the scan never proposed scores it with the
fitted indexes, ``save``/``load`` write and read JSON + npz, and
``rethreshold`` re-decides the stored pairs and re-clusters them.  The issue
measured 28 s per explained pair on 3,000 documents when explaining refitted.

Measured on the development machine (2 cores, shared with other jobs), 3,000
generated documents, 12,708 pairs: scan 40.7 s; explain of a stored pair
103 ms (mean of 7, 0.003 of the scan), of an unscored pair 103 ms; save
0.57 s, load 0.28 s (10.8 MB); rethreshold 1.04 s (0.03 of the scan).

Usage::

    python benchmarks/notebook.py                      # 3,000 generated documents
    python benchmarks/notebook.py --input ../shared/data/licenses-dev/docs.jsonl
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import spindetect as sd  # noqa: E402
from benchmarks.costcorpus import corpus_options, load_corpus  # noqa: E402


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print one line of figures."""
    name, corpus = load_corpus(corpus_options(__doc__.splitlines()[0], argv))
    det, scan = _timed(lambda: sd.Detector().fit(corpus))
    result = det.result_
    family = result.clusters.multi()[0].members[:8]
    _, explain = _timed(lambda: [result.explain(family[0], m) for m in family[1:]])
    explain /= max(len(family) - 1, 1)
    _, unscored = _timed(lambda: det.explain(result.ids[0], result.ids[-1]))
    with tempfile.TemporaryDirectory() as folder:
        _, save = _timed(lambda: result.save(folder))
        size = sum(f.stat().st_size for f in Path(folder).iterdir())
        loaded, load = _timed(lambda: sd.ScanResult.load(folder))
    assert loaded.to_records() == result.to_records()
    _, rethreshold = _timed(lambda: result.rethreshold(linkage=0.6))
    print(
        f"{name}: {len(corpus)} documents, {len(result.pairs)} pairs; scan {scan:.1f} s; "
        f"explain {explain * 1000:.0f} ms (/scan {explain / scan:.3f}), unscored pair {unscored * 1000:.0f} ms; "
        f"save {save:.2f} s, load {load:.2f} s ({size / 1e6:.1f} MB); "
        f"rethreshold {rethreshold:.2f} s (/scan {rethreshold / scan:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
