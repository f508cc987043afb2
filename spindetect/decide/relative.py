"""Corpus-relative pair scores: how a pair stands out among its documents' candidates.

The pair model's absolute probabilities do not transfer between corpora
(design notes, "Calibration does not transfer"): real family pairs score
p .01-.30 while same-topic independent pages sit nearby.  What might
transfer is whether a pair stands out from each member's *other*
candidates.  For any pair score ``name``, :func:`relative_scores` gives

``{name}_rank``
    the mean over the two documents of ``1 / (1 + r)``, where ``r`` counts
    the document's candidates with a strictly higher score (ties share the
    better rank, so the value does not depend on input order): 1 for a
    pair that is both documents' best, falling towards 0;
``{name}_z``
    the lower of the two documents' robust z-scores, ``(s - median) /
    max(MAD, floor)`` over the document's candidate scores; the floor is
    half the MAD of every candidate score of the corpus (at least
    :data:`MIN_FLOOR`), so a document with two candidates does not get an
    unbounded z.

Backgrounds are always the detector's *candidate* table: a pair that is not
a candidate is placed against the candidate lists of its two documents.
Cost: a sort of the ``2m`` candidate scores per name (``m`` candidates).

The scan uses :func:`standing` (the z of the pair model's probability) for
the corpus-relative acceptance :func:`lift`, whose setting
``benchmarks/fit_linkage.py`` chooses out of fold; the shipped choice is
*off* (2026-12-01): every setting tried joined many more dragnet-train pages
(see ``lift_out_of_fold`` in ``spindetect/resources/linkage.json``).  As pair
model features (rank and z of ``cosine_char``, ``shared_rare``,
``style_function`` and ``outline_runs``) they did not help either (see the
note under ``FEATURES`` in ``benchmarks/pairdata.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["MIN_FLOOR", "relative_scores", "standing", "lift"]

#: Smallest MAD a z-score divides by (scores are similarities in [0, 1]).
MIN_FLOOR = 1e-3


class _Lists:
    """Every document's candidate scores of one name, sorted, in one flat array."""

    def __init__(self, index: np.ndarray, values: np.ndarray, n_docs: int, codes: np.ndarray, n_codes: int) -> None:
        docs = np.concatenate([index[:, 0], index[:, 1]])
        codes = np.concatenate([codes, codes])
        order = np.lexsort((codes, docs))
        self.values = np.concatenate([values, values])[order]
        self.keys = docs[order] * (n_codes + 1) + codes[order]
        self.n_codes = n_codes
        self.start = np.searchsorted(docs[order], np.arange(n_docs), "left")
        self.end = np.searchsorted(docs[order], np.arange(n_docs), "right")

    def higher(self, docs: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Number of ``docs``' candidate scores strictly above the score of code ``codes``."""
        return self.end[docs] - np.searchsorted(self.keys, docs * (self.n_codes + 1) + codes, "right")

    def medians(self, values: np.ndarray | None = None) -> np.ndarray:
        """Median of every document's list (``values`` sorted like the lists; 0 for an empty list)."""
        values = self.values if values is None else values
        count = self.end - self.start
        lo = np.minimum(self.start + np.maximum(count - 1, 0) // 2, max(len(values) - 1, 0))
        hi = np.minimum(self.start + count // 2, max(len(values) - 1, 0))
        if not len(values):
            return np.zeros(len(count))
        return np.where(count > 0, (values[lo] + values[hi]) / 2, 0.0)

    def mads(self, medians: np.ndarray) -> np.ndarray:
        """Median absolute deviation of every document's list from its median."""
        doc = np.repeat(np.arange(len(self.start)), self.end - self.start)
        dev = np.abs(self.values - medians[doc])
        return self.medians(dev[np.lexsort((dev, doc))])


def _clean(values: np.ndarray) -> np.ndarray:
    return np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)


def _relative_one(
    cand_index: np.ndarray, cand_values: np.ndarray, n_docs: int, index: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rank and z of every pair of ``index`` (scores ``values``) against the candidate lists."""
    uniq, codes = np.unique(np.concatenate([cand_values, values]), return_inverse=True)
    lists = _Lists(cand_index, cand_values, n_docs, codes[: len(cand_values)], len(uniq))
    own = codes[len(cand_values) :]
    ranks = [lists.higher(index[:, side], own) for side in (0, 1)]
    rank = (1.0 / (1.0 + ranks[0]) + 1.0 / (1.0 + ranks[1])) / 2.0
    med = lists.medians()
    mad = lists.mads(med)
    overall = np.median(np.abs(cand_values - np.median(cand_values))) if len(cand_values) else 0.0
    floor = max(overall / 2.0, MIN_FLOOR)
    zs = [(values - med[index[:, side]]) / np.maximum(mad[index[:, side]], floor) for side in (0, 1)]
    return rank, np.minimum(zs[0], zs[1])


def relative_scores(
    cand_index: np.ndarray,
    cand_scores: Mapping[str, np.ndarray],
    n_docs: int,
    index: np.ndarray | None = None,
    scores: Mapping[str, np.ndarray] | None = None,
    *,
    names: Sequence[str],
) -> dict[str, np.ndarray]:
    """Corpus-relative scores of pairs against the candidate table (see the module docstring).

    Parameters
    ----------
    cand_index : numpy.ndarray of int64, shape (m, 2)
        The detector's candidate pairs (positions ``i < j``).
    cand_scores : mapping of str to numpy.ndarray
        Their raw scores (at least ``names``; NaN counts as 0).
    n_docs : int
        Number of documents of the corpus.
    index, scores : optional
        The pairs to score and their raw scores (default: the candidates).
    names : sequence of str
        Raw scores to place.

    Returns
    -------
    dict of str to numpy.ndarray
        ``{name}_rank`` and ``{name}_z`` of every pair, in ``index`` order.
    """
    cand_index = np.asarray(cand_index, dtype=np.int64).reshape(-1, 2)
    if index is None or scores is None:
        index, scores = cand_index, cand_scores
    index = np.asarray(index, dtype=np.int64).reshape(-1, 2)
    out: dict[str, np.ndarray] = {}
    for name in names:
        rank, z = _relative_one(cand_index, _clean(cand_scores[name]), n_docs, index, _clean(scores[name]))
        out[f"{name}_rank"], out[f"{name}_z"] = rank, z
    return out


def standing(index: np.ndarray, probability: np.ndarray, n_docs: int) -> np.ndarray:
    """How far each pair's probability stands out in its documents' candidate lists.

    The lower of the two documents' robust z-scores of the pair's probability
    among the probabilities of every candidate pair of that document (see
    the module docstring): high when the pair is clearly above both
    documents' other candidates, whatever the absolute scale.
    """
    placed = relative_scores(index, {"probability": probability}, n_docs, names=("probability",))
    return placed["probability_z"]


def lift(probability: np.ndarray, z: np.ndarray, *, z_min: float | None, to: float) -> np.ndarray:
    """``probability`` raised to at least ``to`` where the pair stands out (``z >= z_min``; None: never).

    The corpus-relative acceptance: the model's absolute probabilities do
    not transfer between corpora, its ranking within a document's
    candidates does.  ``z_min`` and ``to`` are chosen out of fold by
    ``benchmarks/fit_linkage.py`` (``spindetect/resources/linkage.json``).
    """
    probability = np.asarray(probability, dtype=float)
    if z_min is None or not len(probability):
        return probability
    return np.where(np.asarray(z) >= z_min, np.maximum(probability, to), probability)
