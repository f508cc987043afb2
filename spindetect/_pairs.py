"""Pair helpers shared by the stages: pairs inside buckets, unique pairs, set overlaps.

Every index that proposes candidate pairs (MinHash LSH bands, structure
signatures, shared passages) groups documents into buckets of one key and
emits the pairs of each bucket; every score that compares two sets of hashes
counts their intersection.  Both live here once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .text.tokens import fmix64

__all__ = [
    "run_pairs", "pairs_in_sorted_runs", "pair_ranks", "unique_pairs", "intersection_sizes", "set_jaccard",
]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def pair_ranks(pairs: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """A 64-bit key per pair from the content keys of its two documents, whatever their order.

    Parameters
    ----------
    pairs : numpy.ndarray of int, shape (m, 2)
    ranks : numpy.ndarray of uint64
        A key per document that depends on its content only
        (:func:`spindetect.text.tokens.content_ranks`).

    Returns
    -------
    numpy.ndarray of uint64, shape (m,)
        Breaks ties between pairs the same way in any input order.
    """
    a, b = ranks[pairs[:, 0]], ranks[pairs[:, 1]]
    with np.errstate(over="ignore"):
        return fmix64(np.minimum(a, b) ^ fmix64(np.maximum(a, b) + _GOLDEN))


def _ranked_members(members: np.ndarray, ranks: np.ndarray | None) -> np.ndarray:
    """Rows of bucket members ordered by content key (then position), or as given without keys."""
    if ranks is None:
        return members
    members = np.sort(members, axis=1)
    return np.take_along_axis(members, np.argsort(ranks[members], axis=1, kind="stable"), axis=1)


def run_pairs(
    docs: np.ndarray, starts: np.ndarray, sizes: np.ndarray, max_run: int, ranks: np.ndarray | None = None
) -> np.ndarray:
    """Pairs of documents in each run (bucket) of ``docs``.

    Parameters
    ----------
    docs : numpy.ndarray of int
        Documents, bucket after bucket.
    starts, sizes : numpy.ndarray of int
        Start and size of each bucket in ``docs``.
    max_run : int
        Buckets of up to ``max_run`` documents emit all their pairs; larger
        ones emit a star around their first member plus the chain of
        neighbours (``2 (s - 1)`` pairs), which still connects them.
    ranks : numpy.ndarray of uint64, optional
        A content key per document (:func:`spindetect.text.tokens.content_ranks`):
        the members of a large bucket are put in the order of their keys before
        the star and the chain are drawn, so the pairs do not depend on the
        input order.  Without it they keep their order in ``docs``.

    Returns
    -------
    numpy.ndarray of int64, shape (m, 2)
        Pairs, not deduplicated.
    """
    out = []
    for size in np.unique(sizes[sizes >= 2]).tolist():
        first_of_run = starts[sizes == size]
        if size <= max_run:
            ii, jj = np.triu_indices(size, k=1)
            a = docs[first_of_run[:, None] + ii[None, :]].reshape(-1)
            b = docs[first_of_run[:, None] + jj[None, :]].reshape(-1)
        else:
            members = _ranked_members(docs[first_of_run[:, None] + np.arange(size)[None, :]], ranks)
            first = np.repeat(members[:, 0], size - 1)
            rest = members[:, 1:].reshape(-1)
            prev = members[:, :-1].reshape(-1)
            a = np.concatenate([first, prev])
            b = np.concatenate([rest, rest])
        out.append(np.stack([a, b], axis=1))
    if not out:
        return np.zeros((0, 2), dtype=np.int64)
    return np.concatenate(out).astype(np.int64)


def pairs_in_sorted_runs(
    order: np.ndarray, keys_sorted: np.ndarray, max_run: int, ranks: np.ndarray | None = None
) -> np.ndarray:
    """Pairs of documents with equal keys, given ``order`` that sorts the keys; see :func:`run_pairs`."""
    if len(keys_sorted) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, keys_sorted[1:] != keys_sorted[:-1]])
    sizes = np.diff(np.concatenate([starts, [len(keys_sorted)]]))
    return run_pairs(order, starts, sizes, max_run, ranks)


def unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """Order each pair as ``(min, max)``, drop self-pairs and duplicates, sort."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if len(pairs) == 0:
        return pairs
    lo = np.minimum(pairs[:, 0], pairs[:, 1])
    hi = np.maximum(pairs[:, 0], pairs[:, 1])
    keep = lo != hi
    packed = np.unique((lo[keep].astype(np.uint64) << np.uint64(32)) | hi[keep].astype(np.uint64))
    return np.stack([(packed >> np.uint64(32)).astype(np.int64), (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)], axis=1)


def intersection_sizes(
    sets: Sequence[np.ndarray] | Mapping[int, np.ndarray], pairs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sizes of the intersection and of both sets, for each pair.

    Parameters
    ----------
    sets : sequence of numpy.ndarray, or mapping of int to numpy.ndarray
        Sorted unique hashes of each document (of the documents in ``pairs``).
    pairs : numpy.ndarray of int, shape (m, 2)
        Positions in ``sets``.

    Returns
    -------
    inter, size_a, size_b : numpy.ndarray of int64, shape (m,)
    """
    m = len(pairs)
    inter = np.zeros(m, dtype=np.int64)
    size_a = np.zeros(m, dtype=np.int64)
    size_b = np.zeros(m, dtype=np.int64)
    for row, (i, j) in enumerate(np.asarray(pairs).tolist()):
        a, b = sets[i], sets[j]
        size_a[row], size_b[row] = len(a), len(b)
        if len(a) and len(b):
            inter[row] = len(np.intersect1d(a, b, assume_unique=True))
    return inter, size_a, size_b


def set_jaccard(inter: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """Jaccard similarity from intersection and set sizes; two empty sets give 0."""
    union = size_a + size_b - inter
    out = np.zeros(len(inter), dtype=np.float64)
    np.divide(inter, union, out=out, where=union > 0)
    return out
