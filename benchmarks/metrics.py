"""Pairwise clustering metrics for near-duplicate and family detection.

A labelling assigns every document a cluster label; two documents form a
*pair* of a labelling when they carry the same label.  Pairwise precision is
the share of predicted pairs that are gold pairs, recall the share of gold
pairs that are predicted, F1 their harmonic mean.  Everything is computed
from contingency counts (sums of ``C(n, 2)`` over clusters and over the cells
of the gold x predicted table), never by enumerating pairs, so it runs on
millions of documents.

Conventions: precision is 1.0 when nothing is predicted as a pair, recall is
1.0 when there is no gold pair, F1 is 0.0 when both precision and recall are
0.  Labels can be any hashable values; only equality matters.

Per variant kind (:func:`per_variant_prf`), for a kind ``V`` and the
reference kind ``R`` (``"original"`` by default):

* **recall(V)**: over the gold pairs *of kind V*, i.e. same-gold-cluster
  pairs ``(R, V)`` (a family's original with one of its ``V`` members) plus
  pairs ``(V, V)`` (two ``V`` members of one family; for ``template``
  families, which have no original, these are all the family's pairs).
  Pairs between two different non-reference kinds (say ``spun15`` with
  ``spun50``) have no kind: they count in the overall figures only.
  Undefined (``nan``) when there is no gold pair of kind ``V``.
* **precision(V)**: over the predicted pairs *involving* a document of kind
  ``V`` (at least one endpoint of kind ``V``, the other anything): the share
  that are gold pairs.  For negatives (``same_topic``, ``unrelated``, whose
  gold clusters are singletons) every such pair is a false positive.
* **f1(V)**: harmonic mean of the two (``nan`` if recall is undefined).
* **false_merge(V)**: share of documents of kind ``V`` whose predicted
  cluster contains a document of another gold cluster.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "adjusted_rand",
    "false_pairs",
    "joined",
    "pairwise_prf",
    "pair_counts",
    "per_variant_prf",
    "per_variant_recall",
    "VariantScore",
]


def _encode(labels: Sequence[Hashable], name: str) -> np.ndarray:
    if isinstance(labels, (str, bytes)):
        raise TypeError(f"{name} must be a sequence of labels, not a single str")
    if isinstance(labels, np.ndarray) and labels.dtype.kind in "iub":
        _, inv = np.unique(labels, return_inverse=True)
        return inv.astype(np.int64).ravel()
    index: dict[Hashable, int] = {}
    out = np.fromiter((index.setdefault(x, len(index)) for x in labels), dtype=np.int64)
    return out


def _c2(n: np.ndarray) -> np.ndarray:
    n = np.asarray(n, dtype=np.int64)
    return n * (n - 1) // 2


def _check(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[np.ndarray, np.ndarray]:
    g = _encode(gold, "gold_labels")
    p = _encode(pred, "pred_labels")
    if len(g) != len(p):
        raise ValueError(
            f"gold_labels and pred_labels differ in length: {len(g)} != {len(p)}"
        )
    return g, p


def _cells(g: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Cell id of every document in the gold x predicted contingency table."""
    return g * (int(p.max()) + 1 if len(p) else 1) + p


def pair_counts(
    gold_labels: Sequence[Hashable], pred_labels: Sequence[Hashable]
) -> tuple[int, int, int]:
    """Return ``(true_pairs, gold_pairs, pred_pairs)``.

    ``gold_pairs`` is the number of same-cluster pairs in the gold labelling,
    ``pred_pairs`` in the predicted one and ``true_pairs`` in both.
    """
    g, p = _check(gold_labels, pred_labels)
    if len(g) == 0:
        return 0, 0, 0
    tp = int(_c2(np.unique(_cells(g, p), return_counts=True)[1]).sum())
    gp = int(_c2(np.bincount(g)).sum())
    pp = int(_c2(np.bincount(p)).sum())
    return tp, gp, pp


def _prf(tp: int, gp: int, pp: int) -> tuple[float, float, float]:
    precision = tp / pp if pp else 1.0
    recall = tp / gp if gp else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pairwise_prf(
    gold_labels: Sequence[Hashable], pred_labels: Sequence[Hashable]
) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a predicted clustering.

    Parameters
    ----------
    gold_labels, pred_labels : sequence of hashable
        A cluster label per document, in the same document order.

    Returns
    -------
    (precision, recall, f1) : tuple of float
        See the module docstring for the conventions on empty pair sets.
    """
    return _prf(*pair_counts(gold_labels, pred_labels))


@dataclass(frozen=True)
class VariantScore:
    """Pairwise scores of one variant kind (definitions: module docstring).

    Attributes
    ----------
    n_docs : int
        Documents of this kind.
    gold_pairs, found_pairs : int
        Gold pairs of this kind, and those also predicted (recall = ratio).
    pred_pairs, true_pairs : int
        Predicted pairs involving this kind, and those that are gold pairs
        (precision = ratio).
    recall, precision, f1, false_merge : float
    """

    n_docs: int
    gold_pairs: int
    found_pairs: int
    recall: float
    pred_pairs: int
    true_pairs: int
    precision: float
    f1: float
    false_merge: float


def per_variant_prf(
    gold_labels: Sequence[Hashable],
    pred_labels: Sequence[Hashable],
    variants: Sequence[str],
    *,
    reference: str = "original",
) -> dict[str, VariantScore]:
    """Pairwise precision, recall and F1 per variant kind.

    Parameters
    ----------
    gold_labels, pred_labels : sequence of hashable
        A cluster label per document.
    variants : sequence of str
        The variant kind of every document (``original``, ``spun30``, ...).
    reference : str, default="original"
        The kind that recall pairs are anchored on (see the module docstring).

    Returns
    -------
    dict
        Variant kind -> :class:`VariantScore`, in order of first appearance,
        followed by ``"all"`` (overall pairwise figures).
    """
    g, p = _check(gold_labels, pred_labels)
    if isinstance(variants, str):
        raise TypeError("variants must be a sequence of kinds, not a single str")
    kinds = list(variants)
    if len(kinds) != len(g):
        raise ValueError(f"variants has {len(kinds)} entries for {len(g)} documents")
    out: dict[str, VariantScore] = {}
    if len(g) == 0:
        return out
    cell = _cells(g, p)
    cell_ids, cell_inv, cell_n = np.unique(cell, return_inverse=True, return_counts=True)
    cell_inv = cell_inv.ravel()
    pred_n = np.bincount(p)
    # documents whose predicted cluster holds documents of another gold cluster
    wrong = pred_n[p] > cell_n[cell_inv]
    kind_arr = np.asarray(kinds, dtype=object)
    is_ref = kind_arr == reference
    ref_gold = np.bincount(g, weights=is_ref, minlength=g.max() + 1).astype(np.int64)
    ref_cell = np.bincount(cell_inv, weights=is_ref, minlength=len(cell_ids)).astype(np.int64)
    for v in dict.fromkeys(kinds):
        is_v = kind_arr == v
        v_gold = np.bincount(g, weights=is_v, minlength=g.max() + 1).astype(np.int64)
        v_cell = np.bincount(cell_inv, weights=is_v, minlength=len(cell_ids)).astype(np.int64)
        v_pred = np.bincount(p, weights=is_v, minlength=p.max() + 1).astype(np.int64)
        if v == reference:
            gold_pairs = int(_c2(v_gold).sum())
            found = int(_c2(v_cell).sum())
        else:
            gold_pairs = int((ref_gold * v_gold + _c2(v_gold)).sum())
            found = int((ref_cell * v_cell + _c2(v_cell)).sum())
        pred_pairs = int((_c2(pred_n) - _c2(pred_n - v_pred)).sum())
        true_pairs = int((_c2(cell_n) - _c2(cell_n - v_cell)).sum())
        recall = found / gold_pairs if gold_pairs else math.nan
        precision = true_pairs / pred_pairs if pred_pairs else 1.0
        if math.isnan(recall):
            f1 = math.nan
        else:
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        n_v = int(is_v.sum())
        out[v] = VariantScore(
            n_docs=n_v, gold_pairs=gold_pairs, found_pairs=found, recall=recall,
            pred_pairs=pred_pairs, true_pairs=true_pairs, precision=precision, f1=f1,
            false_merge=float(wrong[is_v].sum()) / n_v if n_v else 0.0,
        )
    tp, gp, pp = pair_counts(g, p)
    precision, recall, f1 = _prf(tp, gp, pp)
    out["all"] = VariantScore(
        n_docs=len(g), gold_pairs=gp, found_pairs=tp, recall=recall, pred_pairs=pp,
        true_pairs=tp, precision=precision, f1=f1,
        false_merge=float(wrong.sum()) / len(g),
    )
    return out


def per_variant_recall(
    gold_labels: Sequence[Hashable],
    pred_labels: Sequence[Hashable],
    variants: Sequence[str],
    *,
    reference: str = "original",
) -> dict[str, float]:
    """Recall per variant kind (see :func:`per_variant_prf`); ``nan`` if undefined."""
    scores = per_variant_prf(gold_labels, pred_labels, variants, reference=reference)
    return {v: s.recall for v, s in scores.items() if v != "all"}


def adjusted_rand(gold_labels: Sequence[Hashable], pred_labels: Sequence[Hashable]) -> float:
    """Adjusted Rand index (``sklearn.metrics.adjusted_rand_score``) of any hashable labels.

    1.0 for the gold partition, about 0 for a random one; 1.0 as well when
    both labellings put every document alone (sklearn's convention).
    """
    from sklearn.metrics import adjusted_rand_score

    g, p = _check(gold_labels, pred_labels)
    return float(adjusted_rand_score(g, p))


def joined(pred_labels: Sequence[Hashable], pairs: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """How many of ``pairs`` (document indices) share a predicted cluster.

    Returns ``(joined, total)``: e.g. answers paired with their source, to
    give the share of cut answers found, or the count of independent
    answers wrongly joined to a source.
    """
    p = _encode(pred_labels, "pred_labels")
    pairs = list(pairs)
    for a, b in pairs:
        if not (0 <= a < len(p) and 0 <= b < len(p)):
            raise IndexError(f"pair ({a}, {b}) outside {len(p)} documents")
    return sum(1 for a, b in pairs if p[a] == p[b]), len(pairs)


def false_pairs(
    gold_labels: Sequence[Hashable],
    pred_labels: Sequence[Hashable],
    category: Callable[[int, int], str],
) -> Counter:
    """Predicted pairs that are not gold pairs, counted by ``category(i, j)``.

    ``category`` names the kind of a wrong pair ``i < j`` (say ``"same
    generator"`` or ``"with a negative"``).  The pairs are enumerated inside
    predicted clusters, so the cost is the sum of squared predicted cluster
    sizes: meant for evaluation sets, not for millions of documents.
    """
    g, p = _check(gold_labels, pred_labels)
    members: dict[int, list[int]] = {}
    for i, label in enumerate(p.tolist()):
        members.setdefault(label, []).append(i)
    out: Counter = Counter()
    for docs in members.values():
        for k, i in enumerate(docs):
            for j in docs[k + 1:]:
                if g[i] != g[j]:
                    out[category(i, j)] += 1
    return out
