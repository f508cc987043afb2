"""Clustering quality on the real labelled sets and the generator, side by side.

One run prints, for every set, pairwise precision (P), recall (R), F1 and the
adjusted Rand index (ARI) of spindetect next to three plain baselines, plus
the rows issue 10 asks of each set, and the set's wall time.

Sets (``--datasets``; the real ones load through :mod:`benchmarks.realsets`
and are skipped with a message when ``../shared`` is absent)
-----------------------------------------------------------------------
``templated-dev``
    Also scored leaving out the stretch family ``hp-humanized``, which gets
    its own line (recall of its pairs, share of its pages merged elsewhere).
    Wrong pairs are split into: two families of one generator, families of
    different generators, a family page with a standalone page, and two
    standalone pages.
``clough-dev``
    Share of cut / light / heavy answers in their source's cluster; ``non``
    answers joined to their task's source (must be 0) and ``non`` answers in
    any multi-member cluster.
``dragnet-train``
    The 966 pages plus spun copies of 100 of them (``--n-spun``;
    :func:`benchmarks.realsets.spun_copies`).  Page pairs joined other than
    the three allowed copies, allowed pairs joined, share of spun copies in
    their source's cluster, spun copies joined to other pages.
``licenses-dev``
    Recall per kind (``text``, ``notice``: pairs with the canonical text and
    with each other).
``generated``
    :func:`benchmarks.generate.generate_corpus` (``--n-families``): recall per
    variant and the share of hard negatives merged into a cluster.
``seeds``
    The five pages of ``data/`` among generated same-topic articles, a
    generated template family on their topic and unrelated articles; whether
    the seed pages form one cluster of exactly themselves.

Methods (``--methods``)
-----------------------
``spindetect``
    ``spindetect.Detector().fit_detect(texts, ids=ids).labels`` (defaults).
``oof``
    Out-of-fold labels from ``benchmarks/fit_pairs.py``, when that module
    defines ``oof_labels(data: Dataset) -> Sequence[Hashable]``: one label per
    document of ``data`` (a :class:`benchmarks.realsets.Dataset`), each
    predicted by a model that never trained on the document's group
    (``data.groups``).  Listed by default only when the hook exists.
``minhash``
    datasketch ``MinHash(num_perm=128, seed=1, scheme="affine32")`` over
    lower-cased word 5-grams, ``MinHashLSH(threshold=0.5)``, connected
    components of every LSH hit (no verification).
``word-tfidf``
    scikit-learn ``TfidfVectorizer`` (word unigrams and bigrams), cosine
    >= 0.5, connected components.
``char-tfidf``
    ``TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5))``, cosine
    >= 0.35, connected components.

Usage::

    python benchmarks/quality.py [--datasets templated-dev,clough-dev,...]
                                 [--methods spindetect,minhash,...]
                                 [--n-families 100] [--n-spun 100] [--seed 0]
                                 [--json OUT.json]
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import random
import re
import sys
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks import realsets  # noqa: E402
from benchmarks.generate import generate_corpus, make_article, template_family  # noqa: E402
from benchmarks.metrics import (  # noqa: E402
    adjusted_rand,
    false_pairs,
    joined,
    pair_counts,
    per_variant_prf,
)
from benchmarks.realsets import Dataset  # noqa: E402

SEED_DIRS = (_ROOT / "data", _ROOT.parent / "shared" / "seeds")
DATASETS = ("templated-dev", "clough-dev", "dragnet-train", "licenses-dev", "generated", "seeds")
METHODS = ("spindetect", "oof", "minhash", "word-tfidf", "char-tfidf")
OOF_HOOK = "benchmarks.fit_pairs:oof_labels"

#: A method: a dataset in, one cluster label per document out.
Method = Callable[[Dataset], Sequence[Hashable]]
#: One report line: (metric name, value); values are float, int or str.
Row = tuple[str, object]

_WORD_RE = re.compile(r"\w+")


# ---------------------------------------------------------------------------
# Generated sets
# ---------------------------------------------------------------------------
def load_generated(n_families: int, seed: int) -> Dataset:
    """The generator corpus (group = gold family)."""
    docs = generate_corpus(n_families=n_families, seed=seed)
    gold = tuple(d["cluster"] for d in docs)
    return Dataset(
        name="generated", ids=tuple(d["id"] for d in docs), texts=tuple(d["text"] for d in docs),
        gold=gold, groups=gold, variants=tuple(d["variant"] for d in docs),
        note=f"n_families={n_families}, seed={seed}",
    )


def _seed_paths() -> list[Path]:
    for d in SEED_DIRS:
        paths = sorted(d.glob("*.txt"))
        if paths:
            return paths
    return []


def _seed_distractors(seed: int) -> list[tuple[str, str | None]]:
    """(text, family) of the generated pages the seed pages are mixed with."""
    rng = random.Random(f"quality-seeds/{seed}")
    topic = "herbal remedies"
    out: list[tuple[str, str | None]] = [
        (make_article(topic, rng, keyword="kratom"), None) for _ in range(10)]
    out += [(page, "template") for page in template_family(
        topic, rng, n_members=5,
        keywords=["kratom", "turmeric capsules", "willow bark", "CBD oil", "ginger tea"])]
    out += [(make_article(t, rng), None)
            for t in ("cat care", "woodworking", "sleep", "running", "camping")]
    return out


def load_seeds(seed: int = 0) -> Dataset | None:
    """Seed pages (variant ``seed``) plus generated same-topic, template and unrelated texts."""
    paths = _seed_paths()
    if not paths:
        return None
    ids = [p.stem for p in paths]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    gold, variants = [ids[0]] * len(ids), ["seed"] * len(ids)
    template_head = None
    for n, (text, family) in enumerate(_seed_distractors(seed)):
        doc_id = f"gen{n:03d}"
        template_head = template_head or (doc_id if family else None)
        ids.append(doc_id)
        texts.append(text)
        gold.append(template_head if family else doc_id)
        variants.append("template" if family else ("same_topic" if n < 10 else "unrelated"))
    return Dataset("seeds", tuple(ids), tuple(texts), tuple(gold), tuple(gold), tuple(variants),
                   note=f"{len(paths)} seed pages from {paths[0].parent}")


def load_dataset(name: str, args: argparse.Namespace) -> Dataset | None:
    """The set ``name`` with the command-line options; ``None`` when absent."""
    if name == "generated":
        return load_generated(args.n_families, args.seed)
    if name == "seeds":
        return load_seeds(args.seed)
    if name == "dragnet-train":
        return realsets.load_dragnet(n_spun=args.n_spun, seed=args.seed)
    return realsets.load(name)


# ---------------------------------------------------------------------------
# Methods
# ---------------------------------------------------------------------------
def _components(n: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    """Connected components (scipy); label = component number."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges = np.asarray(list(pairs), dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(edges), np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[1].tolist()


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
    pairs = [(i, j) for i, m in enumerate(sigs) for j in lsh.query(m) if j > i]
    return _components(len(texts), pairs)


def _cosine_pairs(x, threshold: float, block: int) -> np.ndarray:
    """Row pairs of L2-normalised sparse ``x`` with cosine >= ``threshold``.

    Exact, but split for speed: features in more than 2 % of the rows (the
    common char n-grams, which make a sparse product nearly dense) are
    multiplied as a dense matrix, the rest as sparse (licenses-dev char
    TF-IDF: 17 s instead of 120 s).
    """
    n = x.shape[0]
    common = np.bincount(x.indices, minlength=x.shape[1]) > 0.02 * n
    dense = x[:, np.flatnonzero(common)].toarray()
    rare = x[:, np.flatnonzero(~common)].tocsr()
    rare_t = rare.T.tocsr()
    pairs: list[np.ndarray] = [np.zeros((0, 2), np.int64)]
    for start in range(0, n, block):
        sim = dense[start:start + block] @ dense.T
        sim += (rare[start:start + block] @ rare_t).toarray()
        r, c = np.nonzero(sim >= threshold)
        pairs.append(np.stack([r.astype(np.int64) + start, c.astype(np.int64)], axis=1))
    return np.concatenate(pairs)


def cosine_labels(texts: Sequence[str], *, threshold: float, block: int = 1024,
                  **vectorizer) -> list[int]:
    """Connected components of TF-IDF cosine >= ``threshold``.

    ``vectorizer`` goes to scikit-learn's ``TfidfVectorizer``; the
    similarities are computed ``block`` rows at a time.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(**vectorizer).fit_transform(list(texts)).tocsr()
    return _components(x.shape[0], _cosine_pairs(x, threshold, block))


def word_tfidf_labels(texts: Sequence[str]) -> list[int]:
    """Word unigram+bigram TF-IDF, cosine >= 0.5."""
    return cosine_labels(texts, threshold=0.5, ngram_range=(1, 2))


def char_tfidf_labels(texts: Sequence[str]) -> list[int]:
    """Char 3-5-gram (``char_wb``) TF-IDF, cosine >= 0.35."""
    return cosine_labels(texts, threshold=0.35, analyzer="char_wb", ngram_range=(3, 5))


def spindetect_labels(data: Dataset) -> list:
    """``spindetect.Detector().fit_detect(texts, ids=ids).labels``."""
    import spindetect as sd

    return list(sd.Detector().fit_detect(list(data.texts), ids=list(data.ids)).labels)


def oof_method(hook: str | None = None) -> Method | None:
    """The out-of-fold labelling ``module:function`` (default :data:`OOF_HOOK`), or ``None``."""
    module, _, name = (hook or OOF_HOOK).partition(":")
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def default_methods() -> list[str]:
    """Every method, ``oof`` only when its hook exists."""
    return [m for m in METHODS if m != "oof" or oof_method() is not None]


def get_methods(names: Sequence[str]) -> dict[str, Method | None]:
    """Name -> method; ``None`` for ``oof`` when its hook is missing."""
    table: dict[str, Callable[[], Method | None]] = {
        "spindetect": lambda: spindetect_labels,
        "oof": oof_method,
        "minhash": lambda: lambda d: minhash_labels(d.texts),
        "word-tfidf": lambda: lambda d: word_tfidf_labels(d.texts),
        "char-tfidf": lambda: lambda d: char_tfidf_labels(d.texts),
    }
    unknown = [n for n in names if n not in table]
    if unknown:
        raise ValueError(f"unknown method {unknown[0]!r}; choose from {', '.join(METHODS)}")
    return {n: table[n]() for n in names}


# ---------------------------------------------------------------------------
# Rows of each set
# ---------------------------------------------------------------------------
def core_rows(gold: Sequence[Hashable], pred: Sequence[Hashable], prefix: str = "") -> list[Row]:
    """Pairwise P, R, F1, ARI and the number of multi-member predicted clusters."""
    tp, gp, pp = pair_counts(gold, pred)
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    sizes = np.unique(np.asarray([str(x) for x in pred]), return_counts=True)[1]
    return [(f"{prefix}P", p), (f"{prefix}R", r), (f"{prefix}F1", f1),
            (f"{prefix}ARI", adjusted_rand(gold, pred)),
            (f"{prefix}clusters > 1 (docs)", f"{int((sizes > 1).sum())} ({int(sizes[sizes > 1].sum())})")]


def _share(found: int, total: int) -> str:
    return f"{found / total:.3f} ({found}/{total})" if total else "-"


def _templated_category(data: Dataset) -> Callable[[int, int], str]:
    gen = data.labels["generator"]
    member = [v != "negative" for v in data.variants]

    def category(i: int, j: int) -> str:
        if member[i] and member[j]:
            return "same generator" if gen[i] == gen[j] else "other generator"
        return "family-standalone" if member[i] or member[j] else "standalone-standalone"

    return category


def templated_rows(data: Dataset, pred: Sequence[Hashable]) -> list[Row]:
    """templated-dev: headline without the stretch family, the stretch family, wrong pairs."""
    keep = np.asarray([v != "stretch" for v in data.variants])
    rows = core_rows(data.gold, pred, "all docs: ")
    rows += core_rows(data.subset(keep).gold, [p for p, k in zip(pred, keep) if k],
                      "w/o hp-humanized: ")
    stretch = per_variant_prf(data.gold, pred, data.variants).get("stretch")
    if stretch is not None:
        rows += [("hp-humanized: pairs found", _share(stretch.found_pairs, stretch.gold_pairs)),
                 ("hp-humanized: pages merged elsewhere", stretch.false_merge)]
    wrong = false_pairs(data.gold, pred, _templated_category(data))
    rows += [(f"wrong pairs: {c}", wrong.get(c, 0)) for c in
             ("same generator", "other generator", "family-standalone", "standalone-standalone")]
    return rows


def _source_of(data: Dataset) -> dict[str, int]:
    """Task -> index of its source text (``orig``)."""
    return {t: i for i, (t, v) in enumerate(zip(data.labels["task"], data.variants))
            if v == "orig"}


def clough_rows(data: Dataset, pred: Sequence[Hashable]) -> list[Row]:
    """clough-dev: share of each instruction found with its source; ``non`` joined."""
    source = _source_of(data)
    tasks = data.labels["task"]
    rows = core_rows(data.gold, pred)
    for kind in ("cut", "light", "heavy"):
        pairs = [(i, source[t]) for i, (t, v) in enumerate(zip(tasks, data.variants))
                 if v == kind and t in source]
        rows.append((f"{kind} found with source", _share(*joined(pred, pairs))))
    non = [i for i, v in enumerate(data.variants) if v == "non" and tasks[i] in source]
    rows.append(("non joined to source (must be 0)",
                 joined(pred, [(i, source[data.labels["task"][i]]) for i in non])[0]))
    sizes = {}
    for p in pred:
        sizes[p] = sizes.get(p, 0) + 1
    rows.append(("non in any cluster", sum(1 for i in non if sizes[pred[i]] > 1)))
    return rows


def dragnet_rows(data: Dataset, pred: Sequence[Hashable]) -> list[Row]:
    """dragnet-train: pages joined beyond the allowed copies; spun copies found."""
    index = {doc_id: i for i, doc_id in enumerate(data.ids)}
    wrong = false_pairs(data.gold, pred, lambda i, j: "+".join(
        sorted((data.variants[i], data.variants[j]))))
    allowed = [(index[a], index[b]) for a, b in realsets.ALLOWED_DRAGNET_PAIRS]
    spun = [(i, index[src]) for i, src in enumerate(data.labels["source"]) if src is not None]
    pages = np.asarray([v == "page" for v in data.variants])
    merged = per_variant_prf(data.subset(pages).gold, [p for p, k in zip(pred, pages) if k],
                             ["page"] * int(pages.sum()))["page"]
    return core_rows(data.gold, pred) + [
        ("page pairs joined, not allowed (must be 0)", wrong.get("page+page", 0)),
        ("pages in such pairs", round(merged.false_merge * merged.n_docs)),
        ("allowed pairs joined", _share(*joined(pred, allowed))),
        ("spun copies found", _share(*joined(pred, spun))),
        ("spun copies: wrong pairs", wrong.get("page+spun", 0) + wrong.get("spun+spun", 0)),
    ]


def _recall_rows(data: Dataset, pred: Sequence[Hashable], kinds: Iterable[str]) -> list[Row]:
    scores = per_variant_prf(data.gold, pred, data.variants)
    return [(f"R {k}", _share(scores[k].found_pairs, scores[k].gold_pairs))
            for k in kinds if k in scores and scores[k].gold_pairs]


def licenses_rows(data: Dataset, pred: Sequence[Hashable]) -> list[Row]:
    """licenses-dev: overall figures and recall per kind."""
    return core_rows(data.gold, pred) + _recall_rows(data, pred, ("text", "notice"))


def generated_rows(data: Dataset, pred: Sequence[Hashable]) -> list[Row]:
    """generated: recall per variant, hard negatives merged."""
    scores = per_variant_prf(data.gold, pred, data.variants)
    kinds = [k for k in dict.fromkeys(data.variants) if k not in ("original", "all")]
    rows = core_rows(data.gold, pred) + _recall_rows(data, pred, kinds)
    return rows + [(f"merged share {k}", scores[k].false_merge)
                   for k in ("same_topic", "unrelated") if k in scores]


def seeds_rows(data: Dataset, pred: Sequence[Hashable]) -> list[Row]:
    """seeds: figures, and whether the seed pages are one cluster of exactly themselves."""
    seeds = {p for p, v in zip(pred, data.variants) if v == "seed"}
    exact = len(seeds) == 1 and sum(1 for p in pred if p in seeds) == data.variants.count("seed")
    return core_rows(data.gold, pred) + [("seed pages = one cluster", "yes" if exact else "no")]


ROWS: dict[str, Callable[[Dataset, Sequence[Hashable]], list[Row]]] = {
    "templated-dev": templated_rows,
    "clough-dev": clough_rows,
    "dragnet-train": dragnet_rows,
    "licenses-dev": licenses_rows,
    "generated": generated_rows,
    "seeds": seeds_rows,
}


# ---------------------------------------------------------------------------
# Running and printing
# ---------------------------------------------------------------------------
def run_method(method: Method | None, data: Dataset) -> tuple[list | None, float, str]:
    """``(labels or None, seconds, message)``; a failing method does not stop the run."""
    if method is None:
        return None, 0.0, f"n/a: {OOF_HOOK} does not exist"
    t0 = time.perf_counter()
    try:
        labels = list(method(data))
    except Exception as exc:  # report and go on with the other methods
        return None, time.perf_counter() - t0, f"failed: {type(exc).__name__}: {exc}"
    if len(labels) != len(data):
        return None, time.perf_counter() - t0, f"failed: {len(labels)} labels for {len(data)} docs"
    return labels, time.perf_counter() - t0, ""


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.3f}"
    return str(value)


def format_table(results: dict[str, list[Row] | str]) -> str:
    """Rows = metrics, columns = methods; a failed method shows its message once."""
    methods = list(results)
    names: list[str] = []
    for rows in results.values():
        if not isinstance(rows, str):
            names += [n for n, _ in rows if n not in names]
    width = max([len(n) for n in names] + [6])
    cols = {m: dict(r) if not isinstance(r, str) else {} for m, r in results.items()}
    colw = {m: max([len(m)] + [len(_cell(v)) for v in cols[m].values()]) for m in methods}
    lines = [f"{'':<{width}}  " + "  ".join(f"{m:>{colw[m]}}" for m in methods)]
    for n in names:
        lines.append(f"{n:<{width}}  " + "  ".join(
            f"{_cell(cols[m].get(n, '')):>{colw[m]}}" for m in methods))
    lines += [f"{m}: {r}" for m, r in results.items() if isinstance(r, str)]
    return "\n".join(lines)


def evaluate(data: Dataset, methods: dict[str, Method | None]) -> dict:
    """Run ``methods`` on ``data``, print its table and wall time; return the figures."""
    t0 = time.perf_counter()
    rows_of = ROWS.get(data.name, lambda d, p: core_rows(d.gold, p))
    results: dict[str, list[Row] | str] = {}
    for name, method in methods.items():
        labels, secs, msg = run_method(method, data)
        results[name] = msg if labels is None else rows_of(data, labels) + [("seconds", secs)]
    wall = time.perf_counter() - t0
    print(f"\n== {data.name}: {len(data)} docs, {len(set(data.gold))} gold clusters "
          f"({data.note}); wall {wall:.1f} s ==")
    print(format_table(results))
    return {"dataset": data.name, "n_docs": len(data), "wall_seconds": wall,
            "methods": {m: (r if isinstance(r, str) else dict(r)) for m, r in results.items()}}


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="quality.py",
        description="Pairwise P/R/F1 and ARI on the real sets and the generator: spindetect "
        "side by side with MinHash LSH, word TF-IDF and char TF-IDF.")
    p.add_argument("--datasets", default=",".join(DATASETS),
                   help=f"comma-separated, from {', '.join(DATASETS)} (default: all)")
    p.add_argument("--methods", default=None,
                   help=f"comma-separated, from {', '.join(METHODS)} (default: all; "
                   f"'oof' only when {OOF_HOOK} exists)")
    p.add_argument("--n-families", type=int, default=100,
                   help="families in the generated corpus (default: 100, ~730 docs)")
    p.add_argument("--n-spun", type=int, default=100,
                   help="spun copies of dragnet-train pages (default: 100)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", default=None, metavar="PATH",
                   help="also write every figure and timing as JSON")
    return p.parse_args(argv)


def _split(arg: str) -> list[str]:
    return [x.strip() for x in arg.split(",") if x.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    args = _parse_args(argv)
    datasets = _split(args.datasets)
    names = _split(args.methods) if args.methods else default_methods()
    bad = [d for d in datasets if d not in DATASETS]
    try:
        methods = get_methods(names)
    except ValueError as exc:
        bad.append(str(exc))
    if bad:
        print(f"unknown dataset/method: {', '.join(bad)}", file=sys.stderr)
        return 2
    print("Pairwise P/R/F1 over same-cluster pairs, ARI = adjusted Rand index; "
          "'clusters > 1 (docs)' = predicted clusters with two or more members.")
    out = []
    for name in datasets:
        data = load_dataset(name, args)
        if data is None:
            print(f"\n== {name}: skipped (not found under {realsets.DATA_DIR.parent}) ==")
            continue
        out.append(evaluate(data, methods))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
