"""Locality-sensitive hashing over MinHash signatures.

Two ways in:

* :func:`candidate_pairs` takes the signatures of a whole corpus and returns the
  candidate pairs in one pass per band.  Band keys are sorted, so only runs of
  equal keys are looked at (as datatrove does), and a run of ``s`` documents
  emits all its ``s * (s - 1) / 2`` pairs only while ``s`` is small; a larger run
  emits a star around its first member plus the chain of neighbours, which keeps
  the number of candidates linear and still connects the run.
* :class:`~spindetect.signals.index.LSHIndex` (re-exported here) wraps
  datasketch's ``MinHashLSH`` for an index that lives on, in memory or shared
  through Redis, and is queried with new documents (incremental dedup).

The number of bands ``b`` and rows per band ``r`` come from a Jaccard
threshold exactly as datasketch derives them: the split that minimises the
weighted sum of the false-positive and false-negative areas under the
S-curve ``1 - (1 - s**r)**b``.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np

from .._pairs import pair_ranks, pairs_in_sorted_runs, unique_pairs
from .._validation import Interval, check_param
from ..text.tokens import fmix64
from .index import LSHIndex
from .minhash import Signatures

__all__ = ["top_k_pairs", "signature_ranks", "optimal_bands", "candidate_pairs", "LSHIndex"]


def _trapezoid(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    dx = np.diff(x)
    return ((y[..., 1:] + y[..., :-1]) * dx).sum(axis=-1) / 2.0


def optimal_bands(
    threshold: float,
    num_perm: int,
    *,
    false_positive_weight: float = 0.5,
    false_negative_weight: float = 0.5,
) -> tuple[int, int]:
    """Bands and rows per band for a Jaccard ``threshold``, as datasketch chooses them.

    Parameters
    ----------
    threshold : float
        Jaccard similarity in (0, 1) at which pairs should become candidates.
    num_perm : int
        Signature length; ``bands * rows <= num_perm``.
    false_positive_weight, false_negative_weight : float
        Relative cost of the two kinds of error.

    Returns
    -------
    (bands, rows) : tuple of int
        The split minimising the weighted false-positive and false-negative
        areas under the S-curve ``1 - (1 - s**rows)**bands`` (first minimum in
        the order bands = 1, 2, ..., rows = 1, 2, ..., as datasketch scans).
    """
    check_param("threshold", threshold, [Interval(Real, 0, 1, closed="neither")])
    check_param("num_perm", num_perm, [Interval(Integral, 1, None, closed="left")])
    x_fp = np.linspace(0.0, threshold, 2001)
    x_fn = np.linspace(threshold, 1.0, 2001)
    best = (np.inf, 1, 1)
    for b in range(1, num_perm + 1):
        # every rows-per-band value for this number of bands at once
        rs = np.arange(1, num_perm // b + 1, dtype=np.float64)[:, None]
        fp = _trapezoid(1 - (1 - x_fp[None, :] ** rs) ** b, x_fp)
        fn = _trapezoid((1 - x_fn[None, :] ** rs) ** b, x_fn)
        err = fp * false_positive_weight + fn * false_negative_weight
        k = int(np.argmin(err))
        if err[k] < best[0]:
            best = (float(err[k]), b, k + 1)
    return best[1], best[2]


def _band_keys(values: np.ndarray, start: int, rows: int) -> np.ndarray:
    """A 64-bit key per document for the band ``values[:, start:start + rows]``."""
    key = np.zeros(len(values), dtype=np.uint64)
    col = np.empty(len(values), dtype=np.uint64)
    for c in range(rows):
        col[:] = values[:, start + c]
        col |= np.uint64(c + 1) << np.uint64(32)
        key ^= col
        key = fmix64(key)
    return key


def signature_ranks(signatures: Signatures) -> np.ndarray:
    """A 64-bit key per document from its signature alone (its content, never its position).

    Parameters
    ----------
    signatures : Signatures

    Returns
    -------
    numpy.ndarray of uint64, shape (n,)
        Equal signatures get equal keys.
    """
    return _band_keys(signatures.values, 0, signatures.values.shape[1]) if len(signatures.values) else np.zeros(0, np.uint64)


def candidate_pairs(
    signatures: Signatures,
    *,
    threshold: float = 0.5,
    bands: int | None = None,
    rows: int | None = None,
    max_run: int = 64,
    ranks: np.ndarray | None = None,
) -> np.ndarray:
    """Candidate pairs of documents that collide in at least one LSH band.

    Parameters
    ----------
    signatures : Signatures
        Signatures of the whole corpus.
    threshold : float, default=0.5
        Jaccard threshold from which ``bands`` and ``rows`` are derived.
    bands, rows : int, optional
        Override the derived split (both or neither).
    max_run : int, default=64
        Largest bucket that emits all its pairs; larger buckets emit a star and
        a chain, which connect them with a linear number of pairs.
    ranks : numpy.ndarray of uint64, optional
        A content key per document that orders the members of a large
        bucket before its star and chain are drawn (default:
        :func:`signature_ranks`), so the pairs do not depend on the input order.

    Returns
    -------
    numpy.ndarray of int64, shape (m, 2)
        Unique pairs ``i < j``, sorted.  Documents without shingles never take part.
    """
    if (bands is None) != (rows is None):
        raise ValueError("give both bands and rows, or neither")
    if bands is None or rows is None:
        bands, rows = optimal_bands(threshold, signatures.num_perm)
    if bands * rows > signatures.num_perm:
        raise ValueError(
            f"bands * rows = {bands * rows} exceeds num_perm = {signatures.num_perm}"
        )
    empty = signatures.empty
    active = np.flatnonzero(~empty) if empty.any() else None
    if ranks is None:
        ranks = signature_ranks(signatures)
    found = []
    for band in range(bands):
        keys = _band_keys(signatures.values, band * rows, rows)
        if active is not None:
            keys = keys[active]
        order = np.argsort(keys, kind="stable")
        pairs = pairs_in_sorted_runs(order, keys[order], max_run, ranks if active is None else ranks[active])
        if len(pairs):
            found.append(pairs if active is None else active[pairs])
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return unique_pairs(np.concatenate(found))


def top_k_pairs(pairs: np.ndarray, score: np.ndarray, k: int, ranks: np.ndarray | None = None) -> np.ndarray:
    """Mask of the pairs that are among the ``k`` best of at least one of their documents.

    Bounds the number of candidate pairs to ``k`` per document, whatever the
    corpus looks like.  With ``ranks``, the mask does not depend on the input
    order: a pair whose score equals the document's ``k``-th best is as good
    as that one and is kept too, up to ``2 k`` pairs a document, and the ties
    beyond are broken by the content keys of the two documents.  Without
    ``ranks``, ties are broken by pair order.  The mask is deterministic either
    way.

    Parameters
    ----------
    pairs : numpy.ndarray of int64, shape (m, 2)
    score : numpy.ndarray of float, shape (m,)
        Higher is better.
    k : int
    ranks : numpy.ndarray of uint64, optional
        A content key per document (:func:`spindetect.text.tokens.content_ranks`).

    Returns
    -------
    numpy.ndarray of bool, shape (m,)
    """
    if len(pairs) == 0:
        return np.zeros(0, dtype=bool)
    m = len(pairs)
    doc = np.concatenate([pairs[:, 0], pairs[:, 1]])
    row = np.concatenate([np.arange(m), np.arange(m)])
    s = np.concatenate([score, score])
    tie = np.tile(pair_ranks(pairs, ranks), 2) if ranks is not None else row
    order = np.lexsort((row, tie, -s, doc))  # by document, best first, ties by content (then pair order)
    doc_sorted = doc[order]
    first = np.searchsorted(doc_sorted, doc_sorted, side="left")
    rank = np.arange(len(order)) - first
    keep = np.zeros(m, dtype=bool)
    within = rank < k
    if ranks is not None:  # a pair tied with the k-th best is as good as it: kept, up to 2 k a document
        s_sorted = s[order]
        last = np.searchsorted(doc_sorted, doc_sorted, side="right") - 1
        kth = s_sorted[np.minimum(first + k - 1, last)]
        within |= (s_sorted == kth) & (rank < 2 * k)
    keep[row[order][within]] = True
    return keep
