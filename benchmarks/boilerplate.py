"""Benchmark: predicted boilerplate fraction against the Dragnet gold.

    python benchmarks/boilerplate.py
    python benchmarks/boilerplate.py --scale 20000   # timing on synthetic pages

Reads ``../shared/data/dragnet-train/docs.jsonl`` and compares, per page, the
predicted fraction with the gold ``boilerplate_frac`` (1 - aligned gold words /
page words): mean absolute error and Pearson r, on the held-out pages (split by
site, see ``benchmarks/fit_boilerplate.py``; the shipped weights were fitted on
the tuning pages only) and, for reference, on the tuning pages.

Rows:

* ``baseline`` - a line is boilerplate when the same normalised line occurs in
  another page; fraction = characters of such lines / characters.
* ``spindetect`` - ``BoilerplateScorer().fit_score(all pages)`` (the corpus
  statistics are unsupervised, so all pages are scored together, as a user
  would score a crawl).
* ``spindetect, page only`` - ``use_corpus=False``: single-page evidence and
  in-page repeats, every page judged on its own.
* ``spindetect, corpus only`` - ``page_chrome=False``: shared and repeated
  passages only.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_boilerplate import DRAGNET, load_dragnet, tune_mask  # noqa: E402

from spindetect.boilerplate.scorer import BoilerplateScorer  # noqa: E402
from spindetect.text.normalize import NormConfig, normalize  # noqa: E402


def baseline_fractions(texts: list[str]) -> np.ndarray:
    """A line is boilerplate when its normalised form occurs in another document."""
    cfg = NormConfig(fold_punctuation=True)
    per_doc = [[normalize(line, cfg) for line in t.splitlines()] for t in texts]
    df = Counter(n for lines in per_doc for n in set(lines) if n)
    out = np.zeros(len(texts))
    for i, (t, lines) in enumerate(zip(texts, per_doc)):
        raw = t.splitlines()
        bad = sum(len(r.strip()) for r, n in zip(raw, lines) if n and df[n] >= 2)
        out[i] = bad / len(t) if t else 0.0
    return out


def metrics(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    mae = float(np.abs(pred - gold).mean())
    r = float(np.corrcoef(pred, gold)[0, 1]) if pred.std() > 0 else float("nan")
    return mae, r


def synthetic_corpus(rows: list[dict], n_docs: int, doc_chars: int = 3700, seed: int = 0) -> list[str]:
    """``n_docs`` pages of about ``doc_chars`` characters made of random Dragnet lines.

    Half of the lines get a page-specific suffix, so about half of every page
    is unique and half is shared with other pages.  Used only for timing.
    """
    lines = [line for r in rows for line in r["text"].splitlines() if line.strip()]
    rng = np.random.default_rng(seed)
    docs = []
    for i in range(n_docs):
        out: list[str] = []
        size = 0
        while size < doc_chars:
            line = lines[rng.integers(len(lines))]
            if rng.random() < 0.5:
                line = f"{line} {i}"
            out.append(line)
            size += len(line) + 1
        docs.append("\n".join(out))
    return docs


def time_scale(rows: list[dict], n_docs: int) -> None:
    import resource

    docs = synthetic_corpus(rows, n_docs)
    mb = sum(map(len, docs)) / 1e6
    t0 = time.perf_counter()
    scorer = BoilerplateScorer().fit(docs)
    t1 = time.perf_counter()
    scorer.score()
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"synthetic corpus: {n_docs} pages, {mb:.1f} M characters: fit {t1 - t0:.1f} s, "
          f"score {t2 - t1:.1f} s, peak RSS {rss:.2f} GB")


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Boilerplate fraction against the Dragnet gold.")
    ap.add_argument("--scale", type=int, default=0, metavar="N",
                    help="instead, time fit+score on N synthetic pages of ~3.7 KB")
    args = ap.parse_args(argv)
    if not DRAGNET.exists():
        print(f"dragnet data not found at {DRAGNET}; nothing to benchmark", file=sys.stderr)
        return 1
    rows = load_dragnet(DRAGNET)
    if args.scale:
        time_scale(rows, args.scale)
        return 0
    texts = [r["text"] for r in rows]
    gold = np.array([r["boilerplate_frac"] for r in rows])
    tune = tune_mask(rows)
    held = ~tune
    systems: list[tuple[str, np.ndarray, float]] = []
    t0 = time.perf_counter()
    systems.append(("baseline (line in another page)", baseline_fractions(texts), time.perf_counter() - t0))
    for name, params in [
        ("spindetect", {}),
        ("spindetect, page only", {"use_corpus": False}),
        ("spindetect, corpus only", {"page_chrome": False}),
    ]:
        t0 = time.perf_counter()
        reports = BoilerplateScorer(**params).fit_score(texts)
        systems.append((name, np.array([r.fraction for r in reports]), time.perf_counter() - t0))
    print(f"Dragnet training pages: {len(rows)} ({int(held.sum())} held out, {int(tune.sum())} tuning; split by site)")
    print(f"{'system':34s} {'held MAE':>9s} {'held r':>7s} {'tune MAE':>9s} {'tune r':>7s} {'seconds':>8s}")
    for name, pred, secs in systems:
        hm, hr = metrics(pred[held], gold[held])
        tm, tr = metrics(pred[tune], gold[tune])
        print(f"{name:34s} {hm:9.3f} {hr:7.3f} {tm:9.3f} {tr:7.3f} {secs:8.1f}")
    print("target on held-out pages: MAE <= 0.12, r >= 0.75")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
