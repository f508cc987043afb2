"""Cost of the HTML report next to the scan it reports, measured in one run.

The report is rendered from a finished scan: a family template per detailed
cluster (at most 40 members each), the shared passages of up to three pairs
per cluster, boilerplate highlighting of ten documents and three SVG plots.
This prints the scan time, the report time, their ratio and the size of the
file, on the generated corpus (``benchmarks/generate.py``) and on any JSONL
file given.

Measured on the development machine (2 cores, shared): 3,000 generated
documents, scan 30.0 s, report 2.2 s (0.07 of the scan), 1.1 MB;
licenses-dev (4,191 documents, 257 clusters), scan 100.4 s, report 19.3 s
(0.19: licence texts are long, and most of the time goes to the 30 family
templates), 1.0 MB.

Usage::

    python benchmarks/report.py                      # 3,000 generated documents
    python benchmarks/report.py --input ../shared/data/licenses-dev/docs.jsonl
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import spindetect as sd  # noqa: E402
from benchmarks.costcorpus import corpus_options, load_corpus  # noqa: E402
from spindetect.report.html import render  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print one line of figures."""
    name, corpus = load_corpus(corpus_options(__doc__.splitlines()[0], argv))
    t0 = time.perf_counter()
    result = sd.Detector(progress=False).fit_detect(corpus)
    t1 = time.perf_counter()
    page = render(result)
    t2 = time.perf_counter()
    scan, report = t1 - t0, t2 - t1
    multi = sum(1 for c in result.clusters if len(c) > 1)
    print(f"{name}: {len(corpus)} documents, {multi} clusters; scan {scan:.1f} s, report {report:.1f} s "
          f"(report/scan {report / scan:.2f}), {len(page.encode()) / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
