"""Fit the small segment model of spindetect.boilerplate.scorer and write its weights.

Reproduces ``spindetect/resources/boilerplate_weights.json``::

    python benchmarks/fit_boilerplate.py            # writes the shipped weights
    python benchmarks/fit_boilerplate.py -o w.json  # somewhere else

Data: ``../shared/data/dragnet-train/docs.jsonl`` (Dragnet training pages,
AGPL-3.0 data, third-party pages).  Only numbers leave this script: feature
means and scales, logistic-regression coefficients and one blend constant.  No
text of the pages is written anywhere.

Procedure
---------
1. Split the pages by *site* so that pages of one site never sit on both sides:
   pages that share at least five rare lines (3+ words, in 2-30 pages) are
   joined (union-find); each group goes to the tuning part when
   ``crc32(id of its first page) % 10 < 6``, else to the held-out part.
   ``benchmarks/boilerplate.py`` reports on the held-out part.
2. Fit the corpus statistics of a :class:`~spindetect.boilerplate.BoilerplateScorer`
   on *all* pages (unsupervised: no labels are used, exactly what a user does
   when scoring a crawl).
3. Label every segment (sentence) of the tuning pages: a word is content when
   it is inside a word trigram that also occurs in the page's gold article or
   comments; a segment is boilerplate when fewer than half its words are content.
4. Fit two logistic regressions on the tuning segments, weighted by characters:
   the page model (single-page features, standardised) and the combined model
   (page-model logit + corpus features).  The page model also sees
   content-only documents made from the gold of the tuning pages (the whole
   gold article, and its first one to three lines), labelled content, so that
   short texts without any page furniture are not called chrome.  The per-document blend constant is
   picked on the tuning pages by the mean absolute error of the fraction.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from spindetect.boilerplate import analyse, chrome, evidence, hashing
from spindetect.boilerplate.scorer import BoilerplateScorer
from spindetect.signals.lookup import isin_sorted, sorted_unique

ROOT = Path(__file__).resolve().parents[1]
DRAGNET = ROOT.parent / "shared" / "data" / "dragnet-train" / "docs.jsonl"
OUT = ROOT / "spindetect" / "resources" / "boilerplate_weights.json"
BLEND_GRID = (0.05, 0.1, 0.2, 0.3, 0.5)


def load_dragnet(path: Path = DRAGNET) -> list[dict]:
    """Read the Dragnet pages (id, text, main_text, comments_text, boilerplate_frac)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def site_groups(texts: list[str]) -> np.ndarray:
    """Group pages that share at least five rare lines; returns the first page of each group."""
    b = analyse._analyse(texts, 8)
    ntok = np.diff(b.seg_tok)
    ok = ntok >= 3
    pairs = sorted(set(zip(b.seg_hash[ok].tolist(), b.seg_doc[ok].tolist())))
    docs_of: dict[int, list[int]] = defaultdict(list)
    for h, d in pairs:
        docs_of[h].append(d)
    links: Counter = Counter()
    for ds in docs_of.values():
        if 2 <= len(ds) <= 30:
            for other in ds[1:]:
                links[(ds[0], other)] += 1
    parent = list(range(len(texts)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, c), k in sorted(links.items()):
        if k >= 5:
            ra, rc = find(a), find(c)
            if ra != rc:
                parent[max(ra, rc)] = min(ra, rc)
    return np.array([find(i) for i in range(len(texts))])


def tune_mask(rows: list[dict]) -> np.ndarray:
    """True for pages of the tuning part, False for the held-out part (split by site)."""
    groups = site_groups([r["text"] for r in rows])
    return np.array([zlib.crc32(rows[g]["id"].encode("utf-8")) % 10 < 6 for g in groups])


def segment_table(scorer: BoilerplateScorer, rows: list[dict]) -> dict[str, np.ndarray]:
    """Evidence and gold labels of every segment of the fitted corpus (one batch)."""
    texts = list(scorer.texts_)
    b = analyse._analyse(texts, scorer.ngram)
    ev = evidence._evidence(b, scorer.stats_, np.ones(len(texts), np.int64), None, scorer.ngram, scorer.min_docs)
    gold = [(r["main_text"] or "") + "\n" + (r["comments_text"] or "") for r in rows]
    g = analyse._analyse(gold, 3)

    def trigram_keys(batch: analyse._Batch) -> tuple[np.ndarray, np.ndarray]:
        n = len(batch.tok_hash)
        st = np.arange(max(n - 2, 0))
        doc = batch.line_doc[batch.tok_line[st]]
        return hashing._doc_keys(hashing._range_hashes(batch.tok_hash, st, st + 3), doc), st

    page_keys, st = trigram_keys(b)
    gold_keys, _ = trigram_keys(g)
    hit = isin_sorted(page_keys, sorted_unique(gold_keys)).astype(np.float64)
    content_tok = np.zeros(len(b.tok_hash))
    for j in range(3):
        content_tok[st + j] = np.maximum(content_tok[st + j], hit)
    ntok = np.diff(b.seg_tok)
    content = np.bincount(b.tok_seg, weights=content_tok, minlength=len(ntok)) / np.maximum(ntok, 1)
    return {
        "page": ev.page,
        "corpus": ev.corpus,
        "shared_cov": ev.shared_cov,
        "repeated_cov": ev.repeated_cov,
        "y": (content < 0.5).astype(np.int64),
        "chars": (b.seg_end - b.seg_start).astype(np.float64),
        "doc": b.seg_doc,
    }


def content_only_docs(rows: list[dict], tune: np.ndarray) -> list[str]:
    """Documents without any chrome, made from the gold of the tuning pages.

    Each tuning page contributes its gold article (plus comments) as a page of
    its own, and its first one to three gold lines as a short document, so
    that the page model also sees prose without page furniture (short texts,
    single paragraphs) and does not call every short document chrome.
    """
    docs = []
    for r, is_tune in zip(rows, tune):
        if not is_tune or not r["main_text"]:
            continue
        docs.append(r["main_text"] + ("\n" + r["comments_text"] if r["comments_text"] else ""))
        lines = [line for line in r["main_text"].splitlines() if line.strip()]
        k = 1 + zlib.crc32(r["id"].encode("utf-8")) % 3
        docs.append("\n".join(lines[:k]))
    return docs


def page_table(texts: list[str]) -> np.ndarray:
    """Page features of every segment of ``texts`` (no corpus needed)."""
    b = analyse._analyse(texts, 8)
    ev = evidence._evidence(b, None, np.zeros(len(texts), np.int64), None, 8, 2)
    return ev.page, (b.seg_end - b.seg_start).astype(np.float64)


def fit_weights(rows: list[dict], tune: np.ndarray) -> dict:
    """Fit the page and combined models on the tuning pages; return the weights dict."""
    scorer = BoilerplateScorer(page_chrome=False).fit([r["text"] for r in rows])
    t = segment_table(scorer, rows)
    tr = tune[t["doc"]]
    w = t["chars"]
    extra_x, extra_w = page_table(content_only_docs(rows, tune))
    x_page = np.vstack([t["page"][tr], extra_x])
    y_page = np.r_[t["y"][tr], np.zeros(len(extra_x), dtype=np.int64)]
    w_page = np.r_[w[tr], extra_w]
    scaler = StandardScaler().fit(x_page)
    page_lr = LogisticRegression(C=1.0, max_iter=5000).fit(
        scaler.transform(x_page), y_page, sample_weight=w_page
    )
    z_page = page_lr.decision_function(scaler.transform(t["page"]))
    xc = np.column_stack([z_page, t["corpus"]])
    comb_lr = LogisticRegression(C=1.0, max_iter=5000).fit(xc[tr], t["y"][tr], sample_weight=w[tr])
    weights = {
        "about": (
            "Segment model of spindetect.boilerplate.model: two logistic regressions. "
            "Fitted by benchmarks/fit_boilerplate.py on the tuning part (split by site) of the "
            "Dragnet training pages (Moz, 2012; data AGPL-3.0, pages third-party). Only these "
            "numbers are shipped, no text."
        ),
        "page_model": {
            "features": list(chrome.PAGE_FEATURES + evidence.SEGMENT_FEATURES),
            "mean": scaler.mean_.round(6).tolist(),
            "scale": scaler.scale_.round(6).tolist(),
            "coef": page_lr.coef_[0].round(6).tolist(),
            "intercept": round(float(page_lr.intercept_[0]), 6),
        },
        "combined_model": {
            "features": ["page_logit", *evidence.CORPUS_FEATURES],
            "coef": comb_lr.coef_[0].round(6).tolist(),
            "intercept": round(float(comb_lr.intercept_[0]), 6),
        },
        "blend_doc_coverage": BLEND_GRID[0],
        "fit": {
            "n_pages_tune": int(tune.sum()),
            "n_segments_tune": int(tr.sum()),
            "n_segments_content_only_docs": int(len(extra_x)),
            "label": "segment is boilerplate when < 50% of its words lie in a gold word trigram",
        },
    }
    # Pick the blend constant on the tuning pages.
    gold = np.array([r["boilerplate_frac"] for r in rows])
    best = None
    for kappa in BLEND_GRID:
        weights["blend_doc_coverage"] = kappa
        frac = fractions(rows, weights)
        mae = float(np.abs(frac[tune] - gold[tune]).mean())
        if best is None or mae < best[0] - 1e-9:
            best = (mae, kappa)
    weights["blend_doc_coverage"] = best[1]
    return weights


def fractions(rows: list[dict], weights: dict | None = None) -> np.ndarray:
    """Predicted boilerplate fraction of every page, scoring all pages together."""
    reports = BoilerplateScorer(weights=weights).fit_score([r["text"] for r in rows])
    return np.array([r.fraction for r in reports])


def dumps(obj, indent: int = 0) -> str:
    """JSON with one key per line and every list on a single line (easy to read and diff)."""
    if isinstance(obj, dict):
        pad = " " * (indent + 2)
        items = [f"{pad}{json.dumps(k)}: {dumps(v, indent + 2)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    return json.dumps(obj, ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    ap.add_argument("--data", type=Path, default=DRAGNET)
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"dragnet data not found at {args.data}", file=sys.stderr)
        return 1
    rows = load_dragnet(args.data)
    tune = tune_mask(rows)
    weights = fit_weights(rows, tune)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(dumps(weights) + "\n", encoding="utf-8")
    print(f"wrote {args.output} (tuning pages: {int(tune.sum())}/{len(rows)}, "
          f"blend_doc_coverage={weights['blend_doc_coverage']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
