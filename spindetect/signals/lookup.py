"""Vectorised lookups of hash keys in large static tables.

``numpy.searchsorted`` of millions of *unsorted* needles in a table of
millions of keys is a cache miss per binary-search step (about 1 µs a needle
here).  :class:`HashTable` buckets the sorted keys by their top bits, about
one key per bucket, so a lookup reads one bucket offset and compares a key or
two.  Keys are hashes, so their top bits are uniform.

:func:`sorted_unique` and :func:`row_unique` are sort-based distinct values:
since numpy 2.3, ``numpy.unique`` without ``return_*`` arguments takes a
hash-based path that is about 20 times slower than a sort on millions of
integers (20 s against 0.85 s for 12M uint64 here).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["HashTable", "SmallSet", "isin_sorted", "run_starts", "sorted_unique", "row_unique", "split_rows"]


class HashTable:
    """A static table of unsigned integer keys (hashes) with integer values.

    Parameters
    ----------
    keys : numpy.ndarray of uint32 or uint64
        Distinct keys, in any order.
    values : numpy.ndarray of int, optional
        One value per key (default 1: a set).
    """

    def __init__(self, keys: np.ndarray, values: np.ndarray | None = None) -> None:
        keys = np.asarray(keys)
        if keys.dtype not in (np.uint32, np.uint64):
            raise TypeError(f"keys must be uint32 or uint64, got {keys.dtype}")
        values = np.ones(len(keys), np.int64) if values is None else np.asarray(values)
        if len(values) != len(keys):
            raise ValueError(f"{len(values)} values for {len(keys)} keys")
        order = np.argsort(keys, kind="stable") if len(keys) and np.any(keys[1:] < keys[:-1]) else None
        self.keys = keys if order is None else keys[order]
        self.values = values if order is None else values[order]
        n = len(self.keys)
        width = 8 * self.keys.dtype.itemsize
        self.bits = int(min(28, max(1, math.ceil(math.log2(max(n, 2))))))
        self.shift = self.keys.dtype.type(width - self.bits)
        self.starts = _bucket_starts(self.keys, self.shift, self.bits)

    def __len__(self) -> int:
        return len(self.keys)

    def find(self, queries: np.ndarray) -> np.ndarray:
        """Position of every query in the sorted ``keys``, ``-1`` when absent."""
        queries = np.asarray(queries).astype(self.keys.dtype, copy=False)
        out = np.full(len(queries), -1, dtype=np.int64)
        if len(self.keys) == 0 or len(queries) == 0:
            return out
        bucket = (queries >> self.shift).astype(np.int64)
        pos = self.starts[bucket]
        end = self.starts[bucket + 1]
        active = np.flatnonzero(pos < end)
        while len(active):
            p = pos[active]
            k = self.keys[p]
            hit = k == queries[active]
            out[active[hit]] = p[hit]
            pos[active] = p + 1
            # Keys are sorted within a bucket: stop once past the query.
            more = ~hit & (k < queries[active]) & (p + 1 < end[active])
            active = active[more]
        return out

    def get(self, queries: np.ndarray, default: int = 0) -> np.ndarray:
        """Value of every query key, ``default`` when absent."""
        pos = self.find(queries)
        out = np.full(len(pos), default, dtype=self.values.dtype)
        hit = pos >= 0
        out[hit] = self.values[pos[hit]]
        return out


#: Keys bucketed at a time while a :class:`HashTable` is built (bounds its
#: working memory to a few arrays of this many keys, besides the table).
_BUCKET_CHUNK = 1 << 22


def _bucket_starts(keys: np.ndarray, shift: np.integer, bits: int) -> np.ndarray:
    """Start of each bucket (the top ``bits`` of a key) in the sorted ``keys``, plus the end.

    The keys are bucketed a chunk at a time: sorted keys of a chunk fall in a
    narrow range of buckets, counted on their own, so the working memory is a
    few chunk-sized arrays however many keys there are.
    """
    n = len(keys)
    starts = np.zeros((1 << bits) + 1, dtype=np.int32 if n < 2**31 else np.int64)
    counts = starts[1:]
    for lo in range(0, n, _BUCKET_CHUNK):
        bucket = (keys[lo : lo + _BUCKET_CHUNK] >> shift).astype(np.int64)
        first = int(bucket[0])
        per = np.bincount(bucket - first)
        counts[first : first + len(per)] += per.astype(counts.dtype)
    np.cumsum(counts, out=counts)
    return starts


def isin_sorted(values: np.ndarray, sorted_table: np.ndarray) -> np.ndarray:
    """``numpy.isin`` for a sorted table of distinct keys (binary search).

    Fast when the table is small or ``values`` are few; for millions of
    needles in a large table use :class:`HashTable`.
    """
    if len(sorted_table) == 0:
        return np.zeros(len(values), dtype=bool)
    idx = np.minimum(np.searchsorted(sorted_table, values), len(sorted_table) - 1)
    return sorted_table[idx] == values


def run_starts(sorted_values: np.ndarray) -> np.ndarray:
    """Positions where a run of equal values starts in a sorted 1-D array."""
    keep = np.ones(len(sorted_values), dtype=bool)
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=keep[1:])
    return np.flatnonzero(keep)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a 1-D array (``numpy.unique``, by sorting)."""
    s = np.sort(np.asarray(values).reshape(-1))
    return s[run_starts(s)]


def row_unique(values: np.ndarray, indptr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct uint32 values of every row of a CSR layout.

    Parameters
    ----------
    values : numpy.ndarray of uint32
        Row ``i`` is ``values[indptr[i]:indptr[i + 1]]``.
    indptr : numpy.ndarray of int

    Returns
    -------
    values, indptr : numpy.ndarray
        The same layout with each row sorted and without repeats.
    """
    values = np.asarray(values, dtype=np.uint32)
    indptr = np.asarray(indptr, dtype=np.int64)
    n_rows = len(indptr) - 1
    row = np.repeat(np.arange(n_rows, dtype=np.uint64), np.diff(indptr))
    keys = sorted_unique((row << np.uint64(32)) | values.astype(np.uint64))
    out_indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=n_rows), out=out_indptr[1:])
    return (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32), out_indptr


def split_rows(values: np.ndarray, indptr: np.ndarray) -> list[np.ndarray]:
    """The rows of a CSR layout as a list of arrays (views)."""
    return np.split(values, indptr[1:-1]) if len(indptr) > 1 else []


class SmallSet:
    """Exact membership in a small fixed set of 64-bit hashes, one table read a query.

    The table is indexed by the low bits of a hash; the number of bits is the
    smallest (at least 10, at most 22) at which the keys do not collide, so a
    query compares one slot.  (Binary search of 60M tokens in the ~150
    stopwords takes seconds; this takes a fraction.)

    Parameters
    ----------
    keys : numpy.ndarray of uint64
    """

    def __init__(self, keys: np.ndarray) -> None:
        keys = sorted_unique(np.asarray(keys, dtype=np.uint64))
        self.keys = keys
        self.bits = 0
        for bits in range(10, 23):
            slots = keys & np.uint64((1 << bits) - 1)
            if len(sorted_unique(slots)) == len(keys):
                self.bits = bits
                break
        if self.bits:
            size = 1 << self.bits
            self.mask = np.uint64(size - 1)
            self.table = np.zeros(size, dtype=np.uint64)
            self.filled = np.zeros(size, dtype=bool)
            slots = (keys & self.mask).astype(np.int64)
            self.table[slots] = keys
            self.filled[slots] = True

    def contains(self, queries: np.ndarray) -> np.ndarray:
        """Whether each query is one of the keys."""
        queries = np.asarray(queries, dtype=np.uint64)
        if not self.bits:  # the keys collide at every table size: binary search
            return isin_sorted(queries, self.keys)
        slot = (queries & self.mask).astype(np.intp)
        return self.filled[slot] & (self.table[slot] == queries)
