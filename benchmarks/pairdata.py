"""Labelled pairs for the pair model: the sets, their folds, their features.

Shared by ``benchmarks/fit_pairs.py`` (which fits the shipped model) and
``benchmarks/pair_oof.py`` (which scores every set out of fold), so both
read one definition of the training data.

Sets
----
The four real sets load through :mod:`benchmarks.realsets` (dragnet-train
with :data:`N_SPUN` spun copies of its pages, seed :data:`SPUN_SEED`); two more are made here: the generator
(:func:`generator_set`) and families poured from real sentences into
outlines (:func:`synthetic_outline_families`).  ``synthetic-style`` (farms
that share a style and a structure but few heading lines,
:func:`benchmarks.stylefamilies.style_families`) is not trained on by
default: ``benchmarks/recipe_study.py`` measures it; nor is ``same-topic``
(:func:`same_topic_set`: independent generated articles on few topics,
negatives only; the recipe study measured what it costs).

Folds
-----
:func:`folds_of`: a set's CV groups (templated-dev generator, clough-dev task,
dragnet-train site, licenses-dev cluster) are dealt into at most
:data:`N_FOLDS` folds, the groups that hold a multi-document gold cluster in
turn (so every fold gets families), the others by a hash of their name.  A
group never spans two folds.

Features
--------
:func:`featurise` scans a set with the default :class:`spindetect.Detector`
(no boilerplate scoring: it does not change pairs or clusters) and scores, with
the fitted detector, its candidates plus training pairs: all pairs of the
small sets; for the large ones, up to 10 gold pairs and the 10 nearest word
TF-IDF neighbours of each document (hard negatives).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402

from benchmarks import realsets  # noqa: E402
from benchmarks.generate import TOPIC_NAMES, generate_corpus, make_article  # noqa: E402
from benchmarks.realsets import Dataset  # noqa: E402
from spindetect.detector import Detector  # noqa: E402
from spindetect.report.results import ScanResult  # noqa: E402
from spindetect.signals.lsh import unique_pairs  # noqa: E402

#: Features the model reads, and their monotone constraint (+1 similarity, -1 distance, 0 none).
FEATURES = (
    ("jaccard", 1), ("jaccard_body", 1), ("containment_body", 1), ("containment_body_min", 1),
    ("cosine_word", 1), ("cosine_char", 1),
    ("skeleton", 1), ("skeleton_info", 0), ("spotsig", 1), ("masked", 1), ("shared_rare", 1),
    ("outline", 1), ("outline_shared", 1), ("outline_runs", 1), ("style_function", 1), ("style_punct", 1),
    ("sentence_len_dist", -1), ("line_len_dist", -1), ("edge_chrome", -1),
)
# ``edge_chrome`` (-1, signals/frame.py: short lines shared at both ends of a pair, against what is left between)
# is read since 2026-12-01 (lead refit on 567bd38, fresh cache; fit_pairs -> fit_linkage -> fit_split): out of
# fold as fit_linkage.py prints it, templated-dev F1 .558 (.514 without), dragnet-train wrongly joined page pairs
# 13 (27 without), licenses-dev .495 before the split (.4966), clough-dev .9055.
# Not read: ``outline_body`` (+1, signals/outline.py).  Appended with edge_chrome (2026-12-01, 06d3d62):
# templated-dev P .943 R .308 F1 .464, dragnet-train 10; alone .954 / .336 / .497 (main then .514): it lifts the
# kubaik families in sample only.
# Not read: ``numbers_differ`` (spindetect/signals/numbers.py), the share of version-like numbers only one
# text of a pair has.  Appended here as a -1 feature (2026-12-01, a23cc9a's candidates and linkage.json, one
# featurised cache, out of fold as fit_pairs.py prints it), with / without: licenses-dev F1 .498 / .496,
# templated-dev .332 / .439, clough-dev .543 / .848, dragnet-train P .528 / .604; the five data/ seed pages
# (numbered lists) split in two.  Licence clusters are chained by many near-miss licence pairs: even a hard
# veto of every pair with numbers_differ >= 0.5 leaves licenses-dev P at .40 (F1 .44).
# Not read either: corpus-relative forms of raw scores (spindetect/decide/relative.py: ``{name}_rank``, the
# mean reciprocal rank of the pair in its two documents' candidate lists, and ``{name}_z``, the lower robust z)
# of cosine_char, shared_rare, style_function and outline_runs, appended as eight +1 features (2026-12-01,
# e48e78b, out of fold as quality.py reports it): templated-dev w/o hp-humanized P .936 R .340 F1 .499 (without:
# .943 / .345 / .505), dragnet-train wrongly joined page pairs 35 (without: 29), clough-dev unchanged (F1 .905);
# and the 2,000 generated pages sharing a footer (tests/test_shared_footer.py) got 426 accepted pairs, 320 pages
# clustered (without: 139, 159).  Real families dominate their members' candidate lists, so the family pairs'
# ranks and z are not high (median z of the missed family pairs' probability: 0).
PARAMS = dict(max_depth=3, max_iter=100, learning_rate=0.1, random_state=0, early_stopping=False)
#: Acceptance threshold shipped with the model.  Out of fold (2026-11-30), 0.30 was the best
#: trade-off: templated-dev P 0.97 / R 0.35 (0.25: P 0.92 / R 0.41, 0.35: P 0.99 / R 0.30) and
#: clough-dev keeps cut 1.0 / light 1.0 / heavy 0.71 (0.35 drops heavy to 0.57).
THRESHOLD = 0.3
#: Training pairs kept per set at most (a seeded sample), so no set outweighs the others by its size.
MAX_TRAIN = 30000
#: Total sample weight of each set's training rows (:func:`row_weights`): each set counts the same.
SET_WEIGHT = 10000.0
#: Multiplier of :data:`SET_WEIGHT` for some sets (the others: 1; benchmarks/recipe_study.py varies it).
SET_WEIGHTS: dict[str, float] = {}
#: Folds of a real set at most (fewer when it has fewer groups).
N_FOLDS = 5
#: Spun copies of dragnet-train pages in its training set, and their seed: not ``quality.py``'s
#: seed 0, so the copies it scores are new to the shipped model (its out-of-fold column trains on
#: seed-0 copies of other sites only).
N_SPUN = 100
SPUN_SEED = 1
#: Articles in :func:`same_topic_set`.
N_SAME_TOPIC = 1500
#: Sets whose every pair is a training pair (the others: candidates, gold pairs, neighbours).
ALL_PAIRS = ("templated-dev", "clough-dev", "generator", "synthetic", "synthetic-style")


@dataclass(frozen=True, eq=False)
class PairSet:
    """A set scanned by the detector, with its labelled pairs.

    Attributes
    ----------
    data : Dataset
        The documents, gold clusters and CV groups.
    folds : numpy.ndarray of int
        Fold of every document (:func:`folds_of`).
    pairs : numpy.ndarray of int64, shape (m, 2)
        Every scored pair (candidates and training pairs), ``i < j``.
    scores : dict of str to numpy.ndarray
        Every score of every pair.
    y : numpy.ndarray of bool
        Whether the pair is in one gold cluster.
    is_cand : numpy.ndarray of bool
        Whether the detector proposed the pair.
    scan : ScanResult or None
        The detector's scan of the set (kept for out-of-fold decisions).
    """

    data: Dataset
    folds: np.ndarray = field(repr=False)
    pairs: np.ndarray = field(repr=False)
    scores: dict[str, np.ndarray] = field(repr=False)
    y: np.ndarray = field(repr=False)
    is_cand: np.ndarray = field(repr=False)
    scan: Any = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def X(self) -> np.ndarray:  # noqa: N802 (scikit-learn's name for the feature matrix)
        return matrix(self.scores)


def matrix(scores: dict) -> np.ndarray:
    """The model's feature matrix (columns in :data:`FEATURES` order)."""
    return np.stack([np.asarray(scores[f], dtype=float) for f, _ in FEATURES], axis=1)


def _hash(key: str, k: int) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % k


def folds_of(data: Dataset, k: int = N_FOLDS) -> np.ndarray:
    """Fold of every document: whole CV groups, families dealt in turn (see the module docstring)."""
    names = sorted(set(data.groups))
    k = max(1, min(k, len(names)))
    sizes: dict[str, int] = {}
    for g in data.gold:
        sizes[g] = sizes.get(g, 0) + 1
    family = sorted({grp for grp, g in zip(data.groups, data.gold) if sizes[g] > 1})
    fold = {grp: n % k for n, grp in enumerate(family)}
    fold.update({grp: _hash(grp, k) for grp in names if grp not in fold})
    return np.array([fold[g] for g in data.groups], dtype=np.int64)


# ---------------------------------------------------------------------------
# Sets
# ---------------------------------------------------------------------------
def real_sets() -> list[Dataset]:
    """The real sets found under ``../shared`` (dragnet-train with its spun copies)."""
    out = []
    for name in realsets.REAL_SETS:
        kwargs = {"n_spun": N_SPUN, "seed": SPUN_SEED} if name == "dragnet-train" else {}
        data = realsets.load(name, **kwargs)
        if data is not None:
            out.append(data)
    return out


def generator_set(seed: int = 0) -> Dataset:
    """The generator's corpus (40 families; group = family)."""
    docs = generate_corpus(n_families=40, seed=seed)
    gold = tuple(d["cluster"] for d in docs)
    return Dataset(name="generator", ids=tuple(d["id"] for d in docs), texts=tuple(d["text"] for d in docs),
                   gold=gold, groups=gold, variants=tuple(d["variant"] for d in docs))


def same_topic_set(n: int | None = None, seed: int = 0) -> Dataset:
    """``n`` independent generated articles on few topics, every one its own cluster.

    Each article has a random topic of :data:`benchmarks.generate.TOPIC_NAMES`
    and a new random writer: a corpus of many same-topic texts with a shared
    small vocabulary and nothing else in common, so pairs of it reach a word
    TF-IDF cosine of .1-.2 and share a stray word 5-gram without being a
    family.  The real sets hold few such pairs (templated-dev's same-topic
    negatives are 101 pages; clough-dev's ``non`` answers 19); the generator
    set holds one same-topic article a family.  Negatives only: its training
    pairs are the detector's candidates and each page's 10 nearest word
    TF-IDF neighbours (:func:`featurise`), the hardest of them.
    """
    n = N_SAME_TOPIC if n is None else n
    rng = random.Random(f"spindetect-pairs/same-topic/{seed}")
    texts = tuple(make_article(rng.choice(TOPIC_NAMES), rng) for _ in range(n))
    ids = tuple(f"topic-{k:05d}" for k in range(n))
    return Dataset(name="same-topic", ids=ids, texts=texts, gold=ids, groups=ids,
                   variants=("same_topic",) * n, note=f"benchmarks/pairdata.same_topic_set(n={n}, seed={seed})")


def real_sentences() -> list[str]:
    """Sentences of dragnet-train's gold article texts (a fixed filler without the set)."""
    path = realsets.DATA_DIR / "dragnet-train" / "docs.jsonl"
    if not path.exists():
        return ["A plain sentence about nothing in particular was written here."] * 50
    out = []
    for line in path.open(encoding="utf-8"):
        text = json.loads(line).get("main_text") or ""
        out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 6 <= len(s.split()) <= 40)
    return out


def synthetic_outline_families(sentences: list[str], *, n_families: int = 30, seed: int = 0) -> Dataset:
    """Families sharing only an outline or a layout, from real sentences.

    Even families draw 5-9 headings (short phrases cut from real sentences, a
    third with a ``{kw}`` slot) and write 4-10 pages, each with its own
    keyword and its own sentences under each heading.  Odd families are
    layout-only farms like the seed pages: every page has headings of its own,
    listed as bullets after an intro paragraph and then echoed as section
    titles, and all pages open with one stock sentence.  As many negatives are
    written with an outline of their own, half of them with an echoed list.
    """
    rng = random.Random(seed)
    words = [s.split() for s in sentences if 6 <= len(s.split()) <= 40]
    texts: list[str] = []
    gold: list[str | None] = []

    def heading() -> str:
        w = rng.choice(words)
        start = rng.randrange(0, max(1, len(w) - 5))
        h = " ".join(w[start : start + rng.randint(2, 6)]).strip(".,;:").capitalize()
        return h + (" {kw}" if rng.random() < 0.33 else "")

    def body() -> str:
        return " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))

    def page(outline: list[str], kw: str, echo: bool = False, stock: str = "") -> str:
        lines = [f"{kw.title()}: {rng.choice(outline).format(kw=kw)}"]
        if echo:
            lines += [f"{stock} {body()}".strip(), *(f"- {h.format(kw=kw)}" for h in outline)]
        for h in outline:
            lines += [h.format(kw=kw), body()]
        return "\n".join(lines)

    def keyword() -> str:
        kw = " ".join(rng.choice(rng.choice(words)).lower() for _ in range(2))
        return re.sub(r"\W+", " ", kw).strip() or "topic"

    for f in range(n_families):
        outline = [heading() for _ in range(rng.randint(5, 9))]
        stock = rng.choice(sentences)
        for _ in range(rng.randint(4, 10)):
            if f % 2:
                texts.append(page([heading() for _ in range(len(outline))], keyword(), echo=True, stock=stock))
            else:
                texts.append(page(outline, keyword()))
            gold.append(f"syn{f}")
    for k in range(len(texts)):
        texts.append(page([heading() for _ in range(rng.randint(5, 9))], keyword(), echo=k % 2 == 1))
        gold.append(None)
    ids = tuple(f"syn-{k:05d}" for k in range(len(texts)))
    gold_ids = tuple(g if g is not None else i for g, i in zip(gold, ids))
    return Dataset(name="synthetic", ids=ids, texts=tuple(texts), gold=gold_ids, groups=gold_ids,
                   variants=tuple("family" if g else "negative" for g in gold))


# ---------------------------------------------------------------------------
# Features
# ---------------------------------------------------------------------------
def _gold_pairs(gold: Sequence[str], per_doc: int, rng: np.random.Generator) -> np.ndarray:
    by: dict = {}
    for d, g in enumerate(gold):
        by.setdefault(g, []).append(d)
    out = []
    for members in by.values():
        members = np.array(members)
        for d in members:
            others = members[members != d]
            if len(others) > per_doc:
                others = rng.choice(others, per_doc, replace=False)
            out.extend((min(d, o), max(d, o)) for o in others.tolist())
    return np.array(out, np.int64).reshape(-1, 2)


def _word_neighbours(det: Detector, n: int, k: int = 10) -> np.ndarray:
    """Each document's ``k`` nearest neighbours by word TF-IDF cosine (hard negatives)."""
    x = det.tfidf_.word_matrix_
    out = []
    for s in range(0, n, 2000):
        sims = (x[s : s + 2000] @ x.T).toarray()
        sims[np.arange(len(sims)), np.arange(s, s + len(sims))] = -1
        top = np.argpartition(-sims, min(k, n - 1) - 1, axis=1)[:, :k]
        rows = np.repeat(np.arange(s, s + len(sims)), top.shape[1])
        out.append(np.stack([rows, top.ravel()], 1))
    p = np.sort(np.concatenate(out), axis=1)
    return p[p[:, 0] != p[:, 1]]


def _digest(data: Dataset) -> str:
    h = hashlib.sha1()
    for doc_id, text, gold in zip(data.ids, data.texts, data.gold):
        h.update(f"{doc_id}\0{gold}\0{text}\0".encode())
    return h.hexdigest()[:16]


def featurise(data: Dataset, cache: Path | None = None) -> PairSet:
    """Scan ``data`` with the default detector; score its candidates and training pairs.

    ``cache``: a folder keeping each featurised set (keyed by the set's
    content, *not* by the code: a development aid, empty it when the
    detector changes).
    """
    if cache is None:
        return _featurise(data)
    folder = cache / f"{data.name}-{_digest(data)}"
    if (folder / "pairs.npz").is_file():
        z = np.load(folder / "pairs.npz", allow_pickle=False)
        scores = {k[2:]: z[k] for k in z.files if k.startswith("s_")}
        return PairSet(data, folds_of(data), z["pairs"], scores, z["y"], z["is_cand"], ScanResult.load(folder / "scan"))
    out = _featurise(data)
    out.scan.save(folder / "scan")
    np.savez(folder / "pairs.npz", pairs=out.pairs, y=out.y, is_cand=out.is_cand,
             **{f"s_{k}": np.asarray(v) for k, v in out.scores.items()})
    return out


def _featurise(data: Dataset) -> PairSet:
    det = Detector(boilerplate=False)
    scan = det.fit_detect(list(data.texts), ids=list(data.ids))
    n = len(data)
    cand = det.pairs_.index
    found = [cand]
    if data.name in ALL_PAIRS:
        ii, jj = np.triu_indices(n, 1)
        found.append(np.stack([ii, jj], 1))
    else:
        found.append(_gold_pairs(data.gold, 10, np.random.default_rng(0)))
        found.append(_word_neighbours(det, n))
    pairs = unique_pairs(np.concatenate(found).astype(np.int64))
    scores = det.score_pairs(pairs)
    gold = np.asarray(data.gold, dtype=object)
    y = gold[pairs[:, 0]] == gold[pairs[:, 1]]
    is_cand = np.isin(pairs[:, 0] * n + pairs[:, 1], cand[:, 0] * n + cand[:, 1])
    return PairSet(data, folds_of(data), pairs, scores, y, is_cand, scan)


def row_weights(s: PairSet, rows: np.ndarray) -> np.ndarray:
    """Sample weight of each of ``s``'s training ``rows``.

    Every set's rows weigh :data:`SET_WEIGHT` in all (licenses-dev's 30,000
    sampled rows count no more than clough-dev's 780), each row
    ``SET_WEIGHT / len(rows)`` but that the positives' share is split evenly
    among the gold clusters they join (one large licence cluster does not
    stand for all positives).  Out of fold (2026-12-01, leave one group out,
    threshold 0.3), against unweighted rows: templated-dev w/o hp-humanized
    F1 0.473 -> 0.478, dragnet-train wrongly joined page pairs 76 -> 26,
    clough-dev unchanged (benchmarks/fit_pairs.py prints the table).
    """
    y = s.y[rows]
    total = SET_WEIGHT * SET_WEIGHTS.get(s.name, 1.0)
    w = np.full(len(rows), total / max(1, len(rows)))
    if y.any():
        cluster = np.asarray(s.data.gold, dtype=object)[s.pairs[rows[y], 0]].astype(str)
        _, inverse, counts = np.unique(cluster, return_inverse=True, return_counts=True)
        w[y] = total * y.mean() / len(counts) / counts[inverse]
    return w


def training_rows(s: PairSet, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``X``, ``y`` and sample weights of a set's training pairs (those in ``mask``).

    At most :data:`MAX_TRAIN` of them (a seeded sample); weights by :func:`row_weights`.
    """
    rows = np.flatnonzero(np.ones(len(s.y), bool) if mask is None else mask)
    if len(rows) > MAX_TRAIN:
        rows = np.sort(np.random.default_rng(0).choice(rows, MAX_TRAIN, replace=False))
    X = matrix({k: np.asarray(v)[rows] for k, v in s.scores.items() if k in dict(FEATURES)})
    return X, s.y[rows], row_weights(s, rows)


def fit_model(X: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> HistGradientBoostingClassifier:
    """The pair classifier (:data:`PARAMS`, monotone in :data:`FEATURES`) fitted on ``X``, ``y``, weights ``w``."""
    clf = HistGradientBoostingClassifier(monotonic_cst=[c for _, c in FEATURES], **PARAMS)
    return clf.fit(X, y, sample_weight=w)
