"""Out-of-fold cluster labels of the pair model (the ``oof`` column of ``quality.py``).

How a set is scored
-------------------
1. The set is scanned once with the default :class:`spindetect.Detector`
   (:func:`benchmarks.pairdata.featurise`): candidates and their scores are
   exactly a scan's.
2. Every candidate pair ``(i, j)`` gets its probability from a pair model
   trained on every other set's pairs and on this set's pairs whose two
   documents lie outside the folds of ``i`` and ``j`` (one model per pair of
   folds met; folds hold whole CV groups: generator, task, site, cluster).
   So no model scores a pair of a group it trained on, and pairs that join
   two folds (wrong joins across generators or sites) are scored too.
3. The scan's pairs are re-decided with those probabilities and clustered
   by the detector's own path (:meth:`ScanResult.rethreshold
   <spindetect.report.results.ScanResult.rethreshold>` at the shipped
   threshold, after the shipped corpus-relative acceptance
   (:func:`spindetect.decide.decision.relative_probability`), as a scan does:
   exact pairs and kept sentence frames still bypass the model).

Sets that are not real (``generated``, ``seeds``: made by the generator) are
scored by one model trained on every set but the generator's.

Featurised sets are kept for the life of the process (:class:`PairLibrary`),
so ``quality.py`` featurises each set once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Hashable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks.pairdata import (  # noqa: E402
    THRESHOLD,
    PairSet,
    featurise,
    fit_model,
    generator_set,
    real_sentences,
    real_sets,
    synthetic_outline_families,
    training_rows,
)
from benchmarks.realsets import Dataset  # noqa: E402
from spindetect.decide.decision import relative_probability  # noqa: E402
from spindetect.decide.pairs import Pairs  # noqa: E402
from spindetect.decide.split import SplitRules  # noqa: E402

#: Environment variable naming a folder that keeps featurised sets between runs (a development
#: aid: :func:`benchmarks.pairdata.featurise`).
CACHE_ENV = "SPINDETECT_PAIR_CACHE"
#: Sets built by the generator: scored by models that never saw the generator's set.
GENERATED = ("generated", "seeds")


class PairLibrary:
    """Every training set, featurised on first use."""

    def __init__(self, cache: Path | None = None) -> None:
        self.cache = cache
        self._sets: dict[str, PairSet] = {}
        self._data: dict[str, Dataset] | None = None

    def datasets(self) -> dict[str, Dataset]:
        """Name -> dataset of every training set (real ones found, generator, synthetic)."""
        if self._data is None:
            sets = [*real_sets(), generator_set(), synthetic_outline_families(real_sentences())]
            self._data = {d.name: d for d in sets}
        return self._data

    def get(self, name: str) -> PairSet:
        """The featurised set ``name``."""
        if name not in self._sets:
            self._sets[name] = featurise(self.datasets()[name], self.cache)
        return self._sets[name]

    def target(self, data: Dataset) -> PairSet:
        """``data`` featurised: the library's own set when it is the same corpus."""
        own = self.datasets().get(data.name)
        if own is not None and own.ids == data.ids and own.texts == data.texts:
            return self.get(data.name)
        return featurise(data, self.cache)

    def others(self, name: str) -> list[PairSet]:
        """Every training set a model scoring ``name`` may train on."""
        skip = {name, "generator"} if name in GENERATED else {name}
        return [self.get(n) for n in self.datasets() if n not in skip]


@lru_cache(maxsize=1)
def library() -> PairLibrary:
    """The process's :class:`PairLibrary` (featurised sets kept on disk in ``$SPINDETECT_PAIR_CACHE`` if set)."""
    cache = os.environ.get(CACHE_ENV)
    return PairLibrary(Path(cache) if cache else None)


def _stack(rows: Sequence[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
    return tuple(np.concatenate([r[k] for r in rows]) for k in range(len(rows[0])))


def outside(pairs: np.ndarray, folds: np.ndarray, held: Sequence[int]) -> np.ndarray:
    """Mask of the ``pairs`` whose two documents both lie outside the ``held`` folds."""
    return ~np.isin(folds[pairs[:, 0]], held) & ~np.isin(folds[pairs[:, 1]], held)


def oof_probability(target: PairSet, others: Sequence[PairSet], own: bool = True) -> np.ndarray:
    """Out-of-fold probability of every pair of ``target``'s scan (in the scan's pair order).

    ``own=False``: ``target``'s pairs are not trained on at all (one model).
    """
    base = _stack([training_rows(o) for o in others])
    index = target.scan.pairs.index
    n = len(target.data)
    where = np.searchsorted(target.pairs[:, 0] * n + target.pairs[:, 1], index[:, 0] * n + index[:, 1])
    X = target.X[where]
    if not own:
        return fit_model(*base).predict_proba(X)[:, 1] if len(X) else np.zeros(0)
    folds = target.folds
    lo = np.minimum(folds[index[:, 0]], folds[index[:, 1]])
    hi = np.maximum(folds[index[:, 0]], folds[index[:, 1]])
    prob = np.zeros(len(index))
    tp = target.pairs
    for a, b in sorted(set(zip(lo.tolist(), hi.tolist()))):
        clf = fit_model(*_stack([base, training_rows(target, outside(tp, folds, (a, b)))]))
        sel = (lo == a) & (hi == b)
        prob[sel] = clf.predict_proba(X[sel])[:, 1]
    return prob


def decide(target: PairSet, prob: np.ndarray, threshold: float = THRESHOLD, split: SplitRules | None = None):
    """``target``'s scan re-decided with ``prob`` and clustered by the detector (a ScanResult).

    ``split``: bars of the cluster-level variant split (default: the shipped ones).
    """
    old = target.scan.pairs
    scores = dict(old.scores)
    scores["probability"] = relative_probability(scores, prob, old.index, len(old.ids))
    pairs = Pairs(old.ids, old.index, old.kinds, scores, rules=None, model=None)
    return replace(target.scan, pairs=pairs).rethreshold(threshold=threshold, split=split)


def oof_labels(data: Dataset) -> list[Hashable]:
    """Out-of-fold cluster label of every document of ``data`` (see the module docstring)."""
    lib = library()
    target = lib.target(data)
    own = data.name not in GENERATED and len(set(target.folds.tolist())) > 1
    prob = oof_probability(target, lib.others(data.name), own=own)
    return list(decide(target, prob).labels)
