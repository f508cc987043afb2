"""Locality-sensitive hashing over MinHash signatures.

Two ways in:

* :func:`candidate_pairs` takes the signatures of a whole corpus and returns the
  candidate pairs in one pass per band.  Band keys are sorted, so only runs of
  equal keys are looked at (as datatrove does), and a run of ``s`` documents
  emits all its ``s * (s - 1) / 2`` pairs only while ``s`` is small; a larger run
  emits a star around its first member plus the chain of neighbours, which keeps
  the number of candidates linear and still connects the run.
* :class:`LSHIndex` wraps datasketch's ``MinHashLSH`` for an index that lives on
  and is queried with new documents one at a time (incremental dedup).

The number of bands ``b`` and rows per band ``r`` come from a Jaccard
threshold exactly as datasketch derives them: the split that minimises the
weighted sum of the false-positive and false-negative areas under the
S-curve ``1 - (1 - s**r)**b``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .minhash import MinHasher, Signatures
from .tokens import fmix64

__all__ = ["optimal_bands", "candidate_pairs", "LSHIndex"]


def _integrate(f, a: float, b: float, n: int = 2001) -> float:
    x = np.linspace(a, b, n)
    trapezoid = getattr(np, "trapezoid", None) or np.trapz
    return float(trapezoid(f(x), x))


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
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold!r}")
    best = (float("inf"), 1, 1)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = _integrate(lambda s: 1 - (1 - s ** float(r)) ** float(b), 0.0, threshold)
            fn = _integrate(lambda s: 1 - (1 - (1 - s ** float(r)) ** float(b)), threshold, 1.0)
            err = fp * false_positive_weight + fn * false_negative_weight
            if err < best[0]:
                best = (err, b, r)
    return best[1], best[2]


def _band_keys(values: np.ndarray, start: int, rows: int) -> np.ndarray:
    band = values[:, start : start + rows].astype(np.uint64)
    key = np.zeros(len(values), dtype=np.uint64)
    for c in range(rows):
        key = fmix64(key ^ band[:, c] ^ np.uint64(c + 1) << np.uint64(32))
    return key


def _pairs_from_sorted_runs(order: np.ndarray, keys_sorted: np.ndarray, max_run: int) -> np.ndarray:
    """Pairs of documents whose band keys are equal, from keys in sorted order."""
    n = len(keys_sorted)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    boundary = np.flatnonzero(np.diff(keys_sorted) != 0) + 1
    starts = np.concatenate(([0], boundary))
    ends = np.concatenate((boundary, [n]))
    sizes = ends - starts
    out = []
    # Chain of neighbours for every run (connects each run in O(s) edges).
    same_as_next = np.zeros(n, dtype=bool)
    same_as_next[:-1] = keys_sorted[1:] == keys_sorted[:-1]
    idx = np.flatnonzero(same_as_next)
    if len(idx):
        out.append(np.stack([order[idx], order[idx + 1]], axis=1))
    # Small runs: all pairs.  Large runs: a star around the first member.
    for s, e, size in zip(starts[sizes > 2], ends[sizes > 2], sizes[sizes > 2]):
        members = order[s:e]
        if size <= max_run:
            i, j = np.triu_indices(size, k=2)
            out.append(np.stack([members[i], members[j]], axis=1))
        else:
            out.append(np.stack([np.full(size - 2, members[0]), members[2:]], axis=1))
    if not out:
        return np.zeros((0, 2), dtype=np.int64)
    return np.concatenate(out).astype(np.int64)


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


def candidate_pairs(
    signatures: Signatures,
    *,
    threshold: float = 0.5,
    bands: int | None = None,
    rows: int | None = None,
    max_run: int = 64,
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

    Returns
    -------
    numpy.ndarray of int64, shape (m, 2)
        Unique pairs ``i < j``, sorted.  Documents without shingles never take part.
    """
    if (bands is None) != (rows is None):
        raise ValueError("give both bands and rows, or neither")
    if bands is None:
        bands, rows = optimal_bands(threshold, signatures.num_perm)
    if bands * rows > signatures.num_perm:
        raise ValueError(
            f"bands * rows = {bands * rows} exceeds num_perm = {signatures.num_perm}"
        )
    active = np.flatnonzero(~signatures.empty)
    values = signatures.values[active]
    found = []
    for band in range(bands):
        keys = _band_keys(values, band * rows, rows)
        order = np.argsort(keys, kind="stable")
        pairs = _pairs_from_sorted_runs(order, keys[order], max_run)
        if len(pairs):
            found.append(active[pairs])
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    return unique_pairs(np.concatenate(found))


class LSHIndex:
    """A MinHash LSH index that lives on: insert documents, query new ones.

    A thin layer over ``datasketch.MinHashLSH`` that signs texts with a
    :class:`~spindetect.minhash.MinHasher`, so callers deal in texts and ids.

    Parameters
    ----------
    threshold : float, default=0.5
        Jaccard threshold of the index.
    minhasher : MinHasher, optional
        How texts are signed; a default ``MinHasher()`` when omitted.
    """

    def __init__(self, *, threshold: float = 0.5, minhasher: MinHasher | None = None) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.minhasher = (minhasher or MinHasher()).fit()
        self._lsh = MinHashLSH(threshold=threshold, num_perm=self.minhasher.num_perm)

    def __len__(self) -> int:
        return len(self._lsh.keys)

    def insert(self, ids: Iterable[str], texts: Iterable[str]) -> None:
        """Add documents to the index; ids must be new."""
        ids = list(ids)
        texts = list(texts)
        if len(ids) != len(texts):
            raise ValueError(f"got {len(ids)} ids for {len(texts)} texts")
        sigs = self.minhasher.transform(texts)
        with self._lsh.insertion_session() as session:
            for i, key in enumerate(ids):
                if sigs.empty[i]:
                    continue
                session.insert(key, self.minhasher.to_datasketch(sigs, i))

    def query(self, text: str) -> list[str]:
        """Ids of indexed documents that collide with ``text``, sorted."""
        if not isinstance(text, str):
            raise TypeError(f"query expects one str, got {type(text).__name__}")
        sigs = self.minhasher.transform([text])
        if sigs.empty[0]:
            return []
        return sorted(self._lsh.query(self.minhasher.to_datasketch(sigs, 0)))
