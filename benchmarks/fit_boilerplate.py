"""Fit the segment model of spindetect.boilerplate and write its weights.

Reproduces ``spindetect/resources/boilerplate_weights.json`` byte for byte::

    python benchmarks/fit_boilerplate.py            # writes the shipped weights
    python benchmarks/fit_boilerplate.py --check    # refits and compares with the shipped file
    python benchmarks/fit_boilerplate.py -o w.json  # somewhere else

Data: ``../shared/data/dragnet-train/docs.jsonl`` (Dragnet training pages,
AGPL-3.0 data, third-party pages).  Only numbers leave this script: feature
names, means and scales, logistic-regression coefficients.  No text of the
pages is written anywhere.

Procedure
---------
1. Group the pages by *site*: pages that share at least five rare lines (3+
   words, in 2-30 pages) are joined (union-find).  Groups are never split
   between training and test pages (``GroupKFold``).
2. Fit the corpus statistics of a :class:`~spindetect.boilerplate.scorer.BoilerplateScorer`
   on *all* pages (unsupervised: no labels, what a user does when scoring a crawl).
3. Label every segment (sentence): a word is content when it is inside a word
   trigram that also occurs in the page's gold article or comments; a segment
   is boilerplate when fewer than half its words are content.
4. Evidence stage: a logistic regression (standardised, weighted by
   characters) over :data:`~spindetect.boilerplate.model.EVIDENCE_FEATURES`.
   It also sees every training page judged alone (no corpus evidence: a page
   whose site has no other page in the corpus) and content-only documents made
   from the gold of the training pages (the whole gold article, and its first
   one to three lines), so that prose without page furniture is not called chrome.
5. Context stage: a logistic regression over
   :data:`~spindetect.boilerplate.model.CONTEXT_FEATURES`, trained on the
   evidence-stage logits of its training pages computed *out of fold*
   (site-grouped, 5 folds), so that it learns how far to trust them on pages it
   has not seen.
6. Corpus regime (:func:`~spindetect.boilerplate.model.corpus_regime`): a
   second pair of stages fitted the same way on the pages scored together
   only (no page judged alone, no content-only document).  It decides the
   documents of at least ``GATE_WORDS`` words whose shared coverage
   ``doc_shared_cov`` is at least ``GATE_SHARED``; the weights of steps 4-5
   (the lone regime) decide the rest.  Out of fold on these pages a
   ``GATE_SHARED`` of 0.0 to 0.1 gives the same figures (MAE within 0.001);
   0.05 keeps a page that shares a stock phrase or two with the corpus in the
   lone regime, whose training saw chrome-free prose.  ``GATE_WORDS = 100``
   costs nothing here (99% of the pages have 169 words or more) and keeps
   short documents, unlike anything this regime was fitted on, in the lone
   regime: without it the one-sentence story of a three-line page between a
   shared menu and footer is called chrome.

:func:`fit_weights` fits on any subset of pages; ``benchmarks/boilerplate.py``
calls it once per site-grouped fold to report out-of-fold figures, and
:func:`main` fits the shipped weights on all pages.
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
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

from spindetect.boilerplate import analyse, evidence, hashing, model
from spindetect.boilerplate.scorer import BoilerplateScorer
from spindetect.signals.lookup import isin_sorted, sorted_unique

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.shipped import write_or_check  # noqa: E402

DRAGNET = ROOT.parent / "shared" / "data" / "dragnet-train" / "docs.jsonl"
OUT = ROOT / "spindetect" / "resources" / "boilerplate_weights.json"
N_FOLDS = 5
# Documents with at least this share of their words in shared passages, and at least this many
# words, use the corpus regime (step 6, where the numbers come from).
GATE_SHARED = 0.05
GATE_WORDS = 100


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


def segment_table(texts: list[str], gold: list[str], corpus: bool = True) -> dict[str, np.ndarray]:
    """Named evidence features, gold labels and characters of every segment of ``texts``.

    With ``corpus`` the texts are scored against each other (as one fitted
    corpus); without, each is judged on its own.  ``gold`` (the gold article
    and comments of each text) gives the labels.
    """
    scorer = BoilerplateScorer(page_chrome=False).fit(texts)
    b = analyse._analyse(texts, scorer.ngram)
    stats = scorer.stats_ if corpus else None
    ev = evidence._evidence(b, stats, np.ones(len(texts), np.int64), None, scorer.ngram, scorer.min_docs)
    y = _labels(b, gold)
    return {
        "x": model.evidence_features(ev),
        "y": y,
        "chars": (b.seg_end - b.seg_start).astype(np.float64),
        "doc": b.seg_doc,
        "n_docs": len(texts),
    }


def _labels(b: analyse._Batch, gold: list[str]) -> np.ndarray:
    """1 for segments with fewer than half their words inside a gold word trigram."""
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
    return (content < 0.5).astype(np.int64)


def content_only_docs(rows: list[dict]) -> tuple[list[str], list[int]]:
    """Documents without any chrome made from the gold of ``rows``, and the row of each.

    Each page contributes its gold article (plus comments) as a page of its
    own, and its first one to three gold lines as a short document, so that
    the model also sees prose without page furniture (short texts, single
    paragraphs) and does not call every short document chrome.
    """
    docs, owner = [], []
    for i, r in enumerate(rows):
        if not r["main_text"]:
            continue
        docs.append(r["main_text"] + ("\n" + r["comments_text"] if r["comments_text"] else ""))
        lines = [line for line in r["main_text"].splitlines() if line.strip()]
        k = 1 + zlib.crc32(r["id"].encode("utf-8")) % 3
        docs.append("\n".join(lines[:k]))
        owner += [i, i]
    return docs, owner


def build_tables(rows: list[dict]) -> tuple[dict, dict, np.ndarray]:
    """Segment tables of the pages scored together, and of documents judged alone.

    The second table holds every page judged on its own (no corpus: what a
    page from a site with no other page in the corpus looks like) and the
    content-only documents.  Returns ``(pages, alone, alone_owner)``,
    ``alone_owner[k]`` being the page the ``k``-th lone document was made from.
    """
    texts = [r["text"] for r in rows]
    gold = [(r["main_text"] or "") + "\n" + (r["comments_text"] or "") for r in rows]
    pages = segment_table(texts, gold)
    docs, owner = content_only_docs(rows)
    # A content-only document is its own gold: every segment is labelled content.
    alone = segment_table(texts + docs, gold + docs, corpus=False)
    return pages, alone, np.r_[np.arange(len(rows)), np.asarray(owner, dtype=np.int64)]


def _rows(table: dict, pages: np.ndarray) -> np.ndarray:
    return np.isin(table["doc"], pages)


def _matrix(features: dict[str, np.ndarray], names: tuple[str, ...], mask: np.ndarray) -> np.ndarray:
    return np.column_stack([features[n][mask] for n in names])


def _fit_lr(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: tuple[str, ...]) -> dict:
    scaler = StandardScaler().fit(x)
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(x), y, sample_weight=w)
    return {
        "features": list(names),
        "mean": scaler.mean_.round(6).tolist(),
        "scale": scaler.scale_.round(6).tolist(),
        "coef": lr.coef_[0].round(6).tolist(),
        "intercept": round(float(lr.intercept_[0]), 6),
    }


def fit_evidence(pages: dict, extra: dict, extra_owner: np.ndarray, train: np.ndarray) -> dict:
    """Evidence-stage model fitted on the segments of the pages ``train`` (indices)."""
    names = model.EVIDENCE_FEATURES
    m = _rows(pages, train)
    e = np.isin(extra_owner[extra["doc"]], train)
    x = np.vstack([_matrix(pages["x"], names, m), _matrix(extra["x"], names, e)])
    y = np.r_[pages["y"][m], extra["y"][e]]
    w = np.r_[pages["chars"][m], extra["chars"][e]]
    return _fit_lr(x, y, w, names)


def _evidence_logit(weights: dict, table: dict) -> np.ndarray:
    return model._logit(weights, table["x"])


def _oof_evidence_logits(fit, tables: list[tuple[dict, np.ndarray]], train: np.ndarray,
                         groups: np.ndarray) -> list[np.ndarray]:
    """Evidence-stage logits, out of fold, of every ``(table, owner)`` of ``tables``.

    ``fit(pages)`` fits an evidence model on the pages ``pages``; ``owner``
    gives the page of each row of its table.  Rows of pages outside ``train`` get 0.
    """
    zs = [np.zeros(len(table["y"])) for table, _ in tables]
    for inner_tr, inner_te in GroupKFold(N_FOLDS).split(train, groups=groups[train]):
        w_in = fit(train[inner_tr])
        for z, (table, owner) in zip(zs, tables):
            m = np.isin(owner, train[inner_te])
            z[m] = _evidence_logit(w_in, table)[m]
    return zs


def _fit_context(parts: list[tuple[dict, np.ndarray, np.ndarray]]) -> dict:
    """Context stage over ``(table, out-of-fold evidence logits, training rows)`` parts."""
    names = model.CONTEXT_FEATURES
    x, y, w = [], [], []
    for table, z, rows in parts:
        ctx = model.context_features(z, table["chars"], table["doc"], table["n_docs"])
        x.append(_matrix(ctx, names, rows))
        y.append(table["y"][rows])
        w.append(table["chars"][rows])
    return _fit_lr(np.vstack(x), np.concatenate(y), np.concatenate(w), names)


def fit_lone_regime(tables: tuple[dict, dict, np.ndarray], groups: np.ndarray, train: np.ndarray) -> tuple[dict, dict]:
    """Both stages of the lone regime (steps 4-5) on the pages ``train`` and the documents made from them."""
    pages, extra, extra_owner = tables
    evidence_model = fit_evidence(pages, extra, extra_owner, train)
    fit = lambda tr: fit_evidence(pages, extra, extra_owner, tr)  # noqa: E731
    z, z_extra = _oof_evidence_logits(fit, [(pages, pages["doc"]), (extra, extra_owner[extra["doc"]])], train, groups)
    context_model = _fit_context(
        [(pages, z, _rows(pages, train)), (extra, z_extra, np.isin(extra_owner[extra["doc"]], train))]
    )
    return evidence_model, context_model


def fit_corpus_regime(pages: dict, groups: np.ndarray, train: np.ndarray) -> tuple[dict, dict]:
    """Both stages of the corpus regime (step 6) on the pages ``train`` scored together."""
    names = model.EVIDENCE_FEATURES

    def fit(tr: np.ndarray) -> dict:
        m = _rows(pages, tr)
        return _fit_lr(_matrix(pages["x"], names, m), pages["y"][m], pages["chars"][m], names)

    (z,) = _oof_evidence_logits(fit, [(pages, pages["doc"])], train, groups)
    return fit(train), _fit_context([(pages, z, _rows(pages, train))])


def fit_weights(rows: list[dict], tables: tuple[dict, dict, np.ndarray], groups: np.ndarray,
                train: np.ndarray) -> dict:
    """Fit both regimes on the pages ``train`` (indices into ``rows``); return the weights dict."""
    pages, extra, extra_owner = tables
    train = np.sort(np.asarray(train))
    evidence_model, context_model = fit_lone_regime(tables, groups, train)
    corpus_evidence_model, corpus_context_model = fit_corpus_regime(pages, groups, train)
    return {
        "about": (
            "Segment model of spindetect.boilerplate.model: an evidence stage and a context stage, "
            "two logistic regressions over named features, for lone pages and (corpus_*) for pages "
            "with corpus evidence (gate). Fitted by benchmarks/fit_boilerplate.py on "
            "the Dragnet training pages (Moz, 2012; data AGPL-3.0, pages third-party), site-grouped. "
            "Only these numbers are shipped, no text."
        ),
        "evidence_model": evidence_model,
        "context_model": context_model,
        "gate": {"doc_shared_cov": GATE_SHARED, "doc_log_tokens": round(float(np.log1p(GATE_WORDS)), 6)},
        "corpus_evidence_model": corpus_evidence_model,
        "corpus_context_model": corpus_context_model,
        "fit": {
            "n_pages": int(len(train)),
            "n_segments": int(_rows(pages, train).sum()),
            "n_segments_judged_alone": int(np.isin(extra_owner[extra["doc"]], train).sum()),
            "label": "segment is boilerplate when < 50% of its words lie in a gold word trigram",
        },
    }


def fractions(rows: list[dict], weights: dict | None = None) -> np.ndarray:
    """Predicted boilerplate fraction of every page, scoring all pages together."""
    return np.array([r.fraction for r in reports(rows, weights)])


def reports(rows: list[dict], weights: dict | None = None) -> list:
    """Boilerplate reports of every page, scoring all pages together."""
    return BoilerplateScorer(weights=weights).fit_score([r["text"] for r in rows])


def oof_reports(rows: list[dict], groups: np.ndarray) -> list:
    """Out-of-fold reports: each page scored with weights fitted on the other sites' pages."""
    tables = build_tables(rows)
    out: list = [None] * len(rows)
    for train, test in GroupKFold(N_FOLDS).split(np.arange(len(rows)), groups=groups):
        fold = reports(rows, fit_weights(rows, tables, groups, train))
        for i in test:
            out[i] = fold[i]
    return out


def oof_fractions(rows: list[dict], groups: np.ndarray) -> np.ndarray:
    """Out-of-fold fractions (see :func:`oof_reports`)."""
    return np.array([r.fraction for r in oof_reports(rows, groups)])


def dumps(obj, indent: int = 0) -> str:
    """JSON with one key per line and every list on a single line (easy to read and diff)."""
    if isinstance(obj, dict):
        pad = " " * (indent + 2)
        items = [f"{pad}{json.dumps(k)}: {dumps(v, indent + 2)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    return json.dumps(obj, ensure_ascii=False)


def shipped_weights(rows: list[dict]) -> str:
    """The JSON text of the shipped weights: both stages fitted on every page."""
    groups = site_groups([r["text"] for r in rows])
    weights = fit_weights(rows, build_tables(rows), groups, np.arange(len(rows)))
    return dumps(weights) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    ap.add_argument("--data", type=Path, default=DRAGNET)
    ap.add_argument("--check", action="store_true", help="refit and compare with --output instead of writing it")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"dragnet data not found at {args.data}", file=sys.stderr)
        return 1
    text = shipped_weights(load_dragnet(args.data))
    return write_or_check(args.output, text, check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
