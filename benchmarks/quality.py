"""Pairwise quality of spindetect against two plain baselines, per variant kind.

Datasets
--------
``generated``
    :func:`benchmarks.generate.generate_corpus` (copies, light edits, spins
    at 15/30/50 %, template families, same-topic hard negatives, unrelated).
``licenses``
    ``../shared/data/licenses-dev/docs.jsonl`` (real licence texts; gold =
    ``cluster``; kinds ``canonical`` -> reported as ``original``, ``text``,
    ``notice``).  Skipped with a message when absent.
``seeds``
    The five seed pages (``data/*.txt``, one template family; kind
    ``template``) mixed with generated texts: independent same-topic
    articles that mention the same product (``same_topic``), a generated
    template family on the same topic (``template``) and ``unrelated`` ones.

Methods
-------
``spindetect``
    ``spindetect.Detector().fit_detect(texts, ids=ids).labels``.
``minhash``
    datasketch ``MinHash(num_perm=128, seed=1, scheme="affine32")`` over
    lower-cased word 5-gram shingles, ``MinHashLSH(threshold=0.5)``,
    union-find over every LSH hit (no verification).
``tfidf``
    scikit-learn ``TfidfVectorizer`` (word unigrams + bigrams), cosine >= 0.5,
    connected components.

For each dataset a table gives pairwise precision (P), recall (R), F1 and
false-merge rate (FM) per variant kind and overall; definitions in
:mod:`benchmarks.metrics` (recall of kind V: gold pairs original-V and V-V;
precision of kind V: predicted pairs with at least one document of kind V).

Usage::

    python benchmarks/quality.py [--n-families 100] [--seed 0]
                                 [--datasets generated,licenses,seeds]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks.generate import (  # noqa: E402
    generate_corpus,
    make_article,
    template_family,
)
from benchmarks.metrics import VariantScore, per_variant_prf  # noqa: E402

SHARED = _ROOT.parent / "shared"
LICENSES = SHARED / "data" / "licenses-dev" / "docs.jsonl"
SEED_DIRS = (_ROOT / "data", SHARED / "seeds")
DATASETS = ("generated", "licenses", "seeds")
METHODS = ("spindetect", "minhash", "tfidf")

_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Dataset:
    """A labelled benchmark set."""

    name: str
    ids: tuple[str, ...]
    texts: tuple[str, ...]
    gold: tuple[str, ...]
    variants: tuple[str, ...]
    note: str = ""


# ---------------------------------------------------------------------------
# Datasets
# ---------------------------------------------------------------------------
def load_generated(n_families: int, seed: int) -> Dataset:
    """The generator corpus."""
    docs = generate_corpus(n_families=n_families, seed=seed)
    return Dataset(
        name="generated",
        ids=tuple(d["id"] for d in docs),
        texts=tuple(d["text"] for d in docs),
        gold=tuple(d["cluster"] for d in docs),
        variants=tuple(d["variant"] for d in docs),
        note=f"n_families={n_families}, seed={seed}",
    )


def load_licenses(path: Path = LICENSES) -> Dataset | None:
    """The licences development set, or ``None`` when it is absent."""
    if not path.is_file():
        return None
    ids, texts, gold, variants = [], [], [], []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            ids.append(str(rec["id"]))
            texts.append(rec["text"])
            gold.append(str(rec["cluster"]))
            kind = rec.get("kind", "text")
            variants.append("original" if kind == "canonical" else kind)
    return Dataset("licenses", tuple(ids), tuple(texts), tuple(gold), tuple(variants),
                   note=str(path))


def _seed_paths() -> list[Path]:
    for d in SEED_DIRS:
        paths = sorted(d.glob("*.txt"))
        if paths:
            return paths
    return []


def load_seeds(seed: int = 0) -> Dataset | None:
    """Seed pages plus generated same-topic, template and unrelated texts."""
    paths = _seed_paths()
    if not paths:
        return None
    ids = [p.stem for p in paths]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    gold = [ids[0]] * len(ids)
    variants = ["template"] * len(ids)
    rng = random.Random(f"quality-seeds/{seed}")
    topic = "herbal remedies"
    n = 0

    def add(text: str, cluster: str | None, variant: str) -> str:
        nonlocal n
        doc_id = f"gen{n:03d}"
        n += 1
        ids.append(doc_id)
        texts.append(text)
        gold.append(cluster or doc_id)
        variants.append(variant)
        return doc_id

    for _ in range(10):
        add(make_article(topic, rng, keyword="kratom"), None, "same_topic")
    head = None
    for page in template_family(topic, rng, n_members=5,
                                keywords=["kratom", "turmeric capsules", "willow bark",
                                          "CBD oil", "ginger tea"]):
        head = head or f"gen{n:03d}"
        add(page, head, "template")
    for t in ("cat care", "woodworking", "sleep", "running", "camping"):
        add(make_article(t, rng), None, "unrelated")
    return Dataset("seeds", tuple(ids), tuple(texts), tuple(gold), tuple(variants),
                   note=f"{len(paths)} seed pages from {paths[0].parent}")


# ---------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------
def _components(n: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    """Union-find (iterative, path halving, union by size); label = root index."""
    parent = list(range(n))
    size = [1] * n

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if size[ra] < size[rb]:
            ra, rb = rb, ra
        parent[rb] = ra
        size[ra] += size[rb]
    return [find(i) for i in range(n)]


def _shingles(text: str, n: int = 5) -> list[bytes]:
    words = _WORD_RE.findall(text.lower())
    if len(words) < n:
        return [" ".join(words).encode("utf-8")]
    return list({" ".join(words[i:i + n]).encode("utf-8") for i in range(len(words) - n + 1)})


def minhash_labels(texts: Sequence[str], *, threshold: float = 0.5,
                   num_perm: int = 128) -> list[int]:
    """Plain datasketch MinHashLSH clustering (see the module docstring)."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    sigs = []
    for i, text in enumerate(texts):
        m = MinHash(num_perm=num_perm, seed=1, scheme="affine32")
        m.update_batch(_shingles(text))
        lsh.insert(i, m)
        sigs.append(m)
    pairs = ((i, j) for i, m in enumerate(sigs) for j in lsh.query(m) if j > i)
    return _components(len(texts), pairs)


def tfidf_labels(texts: Sequence[str], *, threshold: float = 0.5,
                 block: int = 1024) -> list[int]:
    """Plain TF-IDF cosine-threshold clustering (see the module docstring)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    x = TfidfVectorizer(ngram_range=(1, 2)).fit_transform(list(texts))
    n = x.shape[0]
    xt = x.T.tocsr()
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for start in range(0, n, block):
        sim = (x[start:start + block] @ xt).tocoo()
        keep = sim.data >= threshold
        rows.append(sim.row[keep].astype(np.int64) + start)
        cols.append(sim.col[keep].astype(np.int64))
    r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    graph = coo_matrix((np.ones(len(r), np.int8), (r, c)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels.tolist()


def spindetect_labels(texts: Sequence[str], ids: Sequence[str]) -> list[str]:
    """``spindetect.Detector().fit_detect(texts, ids=ids).labels``."""
    import spindetect as sd

    res = sd.Detector().fit_detect(list(texts), ids=list(ids))
    return list(res.labels)


def _spindetect_available() -> str | None:
    try:
        import spindetect as sd
    except ImportError as exc:
        return f"import failed ({exc})"
    if not hasattr(sd, "Detector"):
        return "spindetect.Detector does not exist yet"
    return None


# ---------------------------------------------------------------------------
# Running and printing
# ---------------------------------------------------------------------------
def run_method(method: str, data: Dataset) -> tuple[list | None, float, str]:
    """Return ``(labels or None, seconds, message)``."""
    fn: Callable[[], list]
    if method == "spindetect":
        why = _spindetect_available()
        if why:
            return None, 0.0, f"not available: {why}"
        fn = lambda: spindetect_labels(data.texts, data.ids)  # noqa: E731
    elif method == "minhash":
        fn = lambda: minhash_labels(data.texts)  # noqa: E731
    elif method == "tfidf":
        fn = lambda: tfidf_labels(data.texts)  # noqa: E731
    else:
        raise ValueError(f"unknown method {method!r}; choose from {METHODS}")
    t0 = time.perf_counter()
    try:
        labels = fn()
    except Exception as exc:  # report and go on with the other methods
        return None, time.perf_counter() - t0, f"failed: {type(exc).__name__}: {exc}"
    return labels, time.perf_counter() - t0, ""


def _fmt(x: float) -> str:
    return "    -" if isinstance(x, float) and math.isnan(x) else f"{x:5.3f}"


def format_table(data: Dataset, results: dict[str, dict[str, VariantScore] | None]) -> str:
    """Render per-variant P/R/F1/FM of every method side by side."""
    methods = list(results)
    kinds: list[str] = list(dict.fromkeys(data.variants)) + ["all"]
    order = ["original", "exact", "light_edit", "spun15", "spun30", "spun50", "template",
             "same_topic", "unrelated"]
    kinds.sort(key=lambda k: (k == "all", order.index(k) if k in order else len(order), k))
    ref = next((r for r in results.values() if r is not None), None)
    head1 = f"{'variant':<12}{'docs':>6}{'gold pairs':>11} |"
    head2 = f"{'':<12}{'':>6}{'':>11} |"
    for m in methods:
        head1 += f" {m:^25} |"
        head2 += f" {'P':>5} {'R':>5} {'F1':>5} {'FM':>5}  |"
    lines = [head1, head2, "-" * len(head1)]
    for k in kinds:
        n_docs = len(data.variants) if k == "all" else data.variants.count(k)
        gold_pairs = ref[k].gold_pairs if ref is not None and k in ref else 0
        row = f"{k:<12}{n_docs:>6}{gold_pairs:>11} |"
        for m in methods:
            res = results[m]
            if res is None or k not in res:
                row += f" {'n/a':^25} |"
            else:
                s = res[k]
                row += (f" {_fmt(s.precision)} {_fmt(s.recall)} {_fmt(s.f1)} "
                        f"{_fmt(s.false_merge)}  |")
        lines.append(row)
    return "\n".join(lines)


def evaluate(data: Dataset, methods: Sequence[str] = METHODS) -> dict:
    """Run ``methods`` on ``data``; print the table; return scores and timings."""
    n_clusters = len(set(data.gold))
    print(f"\n== {data.name}: {len(data.ids)} docs, {n_clusters} gold clusters"
          f"{' (' + data.note + ')' if data.note else ''} ==")
    scores: dict[str, dict[str, VariantScore] | None] = {}
    timings: dict[str, float] = {}
    for m in methods:
        labels, secs, msg = run_method(m, data)
        timings[m] = secs
        if labels is None:
            print(f"{m}: {msg}")
            scores[m] = None
            continue
        scores[m] = per_variant_prf(data.gold, labels, data.variants)
        n_pred = len(set(labels))
        print(f"{m}: {secs:.2f} s, {n_pred} predicted clusters")
    print(format_table(data, scores))
    return {"dataset": data.name, "n_docs": len(data.ids), "timings": timings,
            "scores": {m: (None if s is None else {k: v.__dict__ for k, v in s.items()})
                       for m, s in scores.items()}}


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="quality.py",
        description="Pairwise precision/recall/F1 per variant kind: spindetect vs "
        "MinHashLSH vs TF-IDF baselines.",
    )
    p.add_argument("--n-families", type=int, default=100,
                   help="families in the generated corpus (default: 100, ~730 docs)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--datasets", default=",".join(DATASETS),
                   help=f"comma-separated, from {', '.join(DATASETS)} (default: all)")
    p.add_argument("--methods", default=",".join(METHODS),
                   help=f"comma-separated, from {', '.join(METHODS)} (default: all)")
    p.add_argument("--json", default=None, metavar="PATH",
                   help="also write all scores and timings as JSON")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    args = _parse_args(argv)
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    bad = [d for d in datasets if d not in DATASETS] + [m for m in methods if m not in METHODS]
    if bad:
        print(f"unknown dataset/method: {', '.join(bad)}", file=sys.stderr)
        return 2
    print("Pairwise metrics per variant kind. P = precision over predicted pairs "
          "involving a doc of that kind;\nR = recall over gold pairs (original, kind) "
          "and (kind, kind); F1; FM = share of docs of that kind\nmerged with a doc of "
          "another gold cluster. 'all' = overall pairwise figures.")
    out = []
    for name in datasets:
        if name == "generated":
            data = load_generated(args.n_families, args.seed)
        elif name == "licenses":
            data = load_licenses()
            if data is None:
                print(f"\n== licenses: skipped ({LICENSES} not found) ==")
                continue
        else:
            data = load_seeds(args.seed)
            if data is None:
                print("\n== seeds: skipped (no seed pages found) ==")
                continue
        out.append(evaluate(data, methods))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
