"""Benchmark: predicted boilerplate fraction against the Dragnet gold, beside jusText and a baseline.

    python benchmarks/boilerplate.py
    python benchmarks/boilerplate.py --scale 20000   # timing on synthetic pages

Reads ``../shared/data/dragnet-train/docs.jsonl`` and compares, per page, the
predicted fraction with the gold ``boilerplate_frac`` (1 - aligned gold words /
page words): mean absolute error and Pearson r, overall, on the pages whose
site has at least 3 pages in the corpus and on the rest.  Every figure is out
of fold: sites (groups of pages sharing rare lines, see
``fit_boilerplate.site_groups``) are split into 5 folds and each page is scored
with weights fitted on the other folds' sites only.

Rows (one run, same text for every system):

* ``spindetect`` - ``BoilerplateScorer(weights=fold weights).fit_score(all pages)``
  (the corpus statistics are unsupervised, so all pages are scored together,
  as a user would score a crawl); each report's ``fraction``, the share of the
  page's words inside boilerplate spans: what ``scan`` writes as
  ``boilerplate``, and the gold's unit.
* ``jusText`` - jusText 3 with its English stoplist and default settings, fed
  each page as HTML with one ``<p>`` per non-empty line (the text carries no
  markup); fraction = characters of its non-good paragraphs / characters of
  all paragraphs.  Needs the ``bench`` extra.
* ``baseline`` - a line is boilerplate when the same normalised line occurs in
  another page; fraction = characters of such lines / characters.
* ``spindetect, share of chars`` - the same out-of-fold spans as the first
  row as a share of characters (``char_fraction``; ``scan``'s
  ``boilerplate_chars``), spaces and separators included; shown to separate
  the model's errors from the difference of units.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_boilerplate import DRAGNET, load_dragnet, oof_reports, site_groups  # noqa: E402

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


def justext_fractions(texts: list[str]) -> np.ndarray:
    """jusText's boilerplate fraction of each text, one ``<p>`` per non-empty line."""
    import html

    import justext

    stoplist = justext.get_stoplist("English")
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            continue
        page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
        paragraphs = justext.justext(page.encode("utf-8"), stoplist, encoding="utf-8")
        total = sum(len(p.text) for p in paragraphs)
        bad = sum(len(p.text) for p in paragraphs if p.is_boilerplate)
        out[i] = bad / total if total else 0.0
    return out


def quality(rows: list[dict]) -> None:
    texts = [r["text"] for r in rows]
    gold = np.array([r["boilerplate_frac"] for r in rows])
    groups = site_groups(texts)
    big = np.bincount(groups, minlength=len(groups))[groups] >= 3
    systems: list[tuple[str, np.ndarray, float]] = []
    t0 = time.perf_counter()
    oof = oof_reports(rows, groups)
    secs = time.perf_counter() - t0
    systems.append(("spindetect (out of fold)", np.array([r.fraction for r in oof]), secs))
    for name, run in [
        ("jusText (one <p> per line)", lambda: justext_fractions(texts)),
        ("baseline (line in another page)", lambda: baseline_fractions(texts)),
    ]:
        t0 = time.perf_counter()
        systems.append((name, run(), time.perf_counter() - t0))
    systems.append(("spindetect, share of chars", np.array([r.char_fraction for r in oof]), secs))
    print(f"Dragnet training pages: {len(rows)} in {len(set(groups.tolist()))} sites; "
          f"{int(big.sum())} pages of sites with >= 3 pages, {int((~big).sum())} others; 5 site-grouped folds")
    print(f"{'system':34s} {'all MAE':>8s} {'all r':>6s} {'>=3 MAE':>8s} {'>=3 r':>6s} "
          f"{'rest MAE':>9s} {'rest r':>7s} {'seconds':>8s}")
    for name, pred, secs in systems:
        cells = []
        for m in (np.ones(len(rows), bool), big, ~big):
            mae, r = metrics(pred[m], gold[m])
            cells.append(f"{mae:8.3f} {r:6.3f}")
        print(f"{name:34s} {cells[0]} {cells[1]} {cells[2].replace(' ', '  ', 1)} {secs:8.1f}")
    print("targets for spindetect: all MAE <= 0.07, r >= 0.85; sites with >= 3 pages MAE <= 0.06, r >= 0.90; "
          "better than jusText on both")


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
    else:
        quality(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
