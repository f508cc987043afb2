"""Fast near-duplicate removal for pipelines: MinHash, LSH, verification, clusters.

:class:`Deduplicator` is the path behind ``spindetect dedup``.  It streams the
input in batches and keeps only the MinHash signature of each document
(``num_perm`` 32-bit values, 512 bytes at the default 128), so the corpus never
has to fit in memory:

1. **sign** every batch (:func:`spindetect.tokens.hash_shingles` and
   :meth:`spindetect.minhash.MinHasher.sign_shingles`; no Python object per
   token or shingle), on ``n_jobs`` threads;
2. **LSH**: band keys of all signatures, sorted, so that only adjacent equal
   keys emit candidate pairs (:func:`spindetect.lsh.candidate_pairs`);
3. **verify** every candidate: the Jaccard similarity estimated from the full
   signatures (or, with ``verify="exact"``, the exact Jaccard of the shingle
   sets) must reach ``threshold``;
4. **cluster** the verified pairs into connected components (union-find).

Representative rule: the representative of a cluster is its *first document in
input order* (smallest index), so streaming pipelines keep the first copy they
saw.  Which documents belong together does not depend on input order; which one
is kept does.  Documents without any word (empty or punctuation only) have no
shingles, are never paired, and are kept.

The signature index can be saved (``.npz`` with a JSON config, no pickle),
loaded, and extended with new documents (:meth:`Deduplicator.partial_fit`) or
queried without changing it (:meth:`Deduplicator.query`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral, Real
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin

from ._pairs import intersection_sizes, set_jaccard
from ._parallel import N_JOBS, resolve_jobs
from ._validation import Interval, Options, check_fitted, validate_params
from .decide.cluster import connected_labels
from .dedupfile import FORMAT, read_index, write_index
from .indexfile import IndexFileError
from .signals.index import LSHIndex
from .signals.lookup import sorted_unique
from .signals.lsh import candidate_pairs, optimal_bands
from .signals.minhash import SCHEME, MinHasher, Signatures
from .text.normalize import NormConfig
from .text.tokens import hash_shingles

__all__ = ["Deduplicator", "sign_texts", "default_bands", "exact_jaccard"]

# Every LSH candidate is verified, so a false positive of the banding costs a
# cheap signature comparison while a false negative is a missed duplicate: the
# band split is chosen with datasketch's rule, weighting misses 19:1
# (threshold 0.8, 128 permutations: 16 bands of 8 rows, which finds 95 % of
# pairs at Jaccard 0.8 where datasketch's equal weights, 9 x 13, find 40 %).
_FALSE_POSITIVE_WEIGHT = 0.05


def default_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """The LSH split :class:`Deduplicator` uses when ``bands``/``rows`` are omitted.

    Parameters
    ----------
    threshold : float
        Jaccard threshold in (0, 1).
    num_perm : int
        Signature length.

    Returns
    -------
    (bands, rows) : tuple of int
        datasketch's optimal split with false negatives weighted 0.95 and false
        positives 0.05 (every candidate is verified afterwards).
    """
    return optimal_bands(
        float(threshold),
        int(num_perm),
        false_positive_weight=_FALSE_POSITIVE_WEIGHT,
        false_negative_weight=1.0 - _FALSE_POSITIVE_WEIGHT,
    )


def _json_storage_config(config: dict | None) -> dict | None:
    """``config`` with a bytes ``basename`` as str, so that it can be saved as JSON."""
    if config is None:
        return None
    out = dict(config)
    if isinstance(out.get("basename"), bytes):
        out["basename"] = out["basename"].decode("utf-8")
    return out


def _check_texts_arg(texts: object, name: str) -> None:
    if isinstance(texts, (str, bytes)):
        raise TypeError(
            f"{name} expects a collection of texts, not a single str; wrap it in a list"
        )


def _batches(texts: Iterable[str], size: int, start: int = 0) -> Iterator[list[str]]:
    """Lists of at most ``size`` texts; each text is checked to be a ``str``."""
    batch: list[str] = []
    for i, t in enumerate(texts, start):
        if not isinstance(t, str):
            raise TypeError(f"document {i} is {type(t).__name__}, not str")
        batch.append(t)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Growing:
    """A 2-D array filled by row blocks, grown in place (no list of copies)."""

    def __init__(self, width: int, dtype: Any, capacity: int = 0) -> None:
        self.data = np.empty((max(capacity, 0), width), dtype=dtype)
        self.n = 0

    def put(self, lo: int, rows: np.ndarray) -> None:
        hi = lo + len(rows)
        if hi > len(self.data):
            cap = max(hi, int(len(self.data) * 1.5) + 1024)
            self.data.resize((cap, self.data.shape[1]), refcheck=False)
        self.data[lo:hi] = rows
        self.n = max(self.n, hi)

    def result(self) -> np.ndarray:
        if self.n < len(self.data):
            self.data.resize((self.n, self.data.shape[1]), refcheck=False)
        return self.data


def sign_texts(
    texts: Iterable[str],
    hasher: MinHasher,
    *,
    batch_size: int = 128,
    n_jobs: int | None = None,
    start: int = 0,
) -> Signatures:
    """MinHash signatures of a stream of texts, batch by batch, optionally in parallel.

    Only the signatures are kept: memory is ``num_perm * 4`` bytes a document
    plus the batches in flight.  The result does not depend on ``batch_size``
    or ``n_jobs``.

    Parameters
    ----------
    texts : iterable of str
        Any iterable (a list, a generator reading a file, ...); consumed once.
    hasher : MinHasher
        A fitted :class:`~spindetect.minhash.MinHasher`.
    batch_size : int, default=128
        Documents signed at once.
    n_jobs : int, optional
        Threads; ``None`` or 1 signs in the calling thread, -1 uses every
        core.  Each thread pulls its next batch from ``texts`` itself (under a
        lock) and signs it; the numpy kernels release the GIL.  Python work
        in ``texts`` (parsing a file, say) holds the GIL, so the gain depends
        on how much of the time is spent there.
    start : int, default=0
        Index of the first document (for error messages).

    Returns
    -------
    Signatures
    """
    _check_texts_arg(texts, "sign_texts")
    jobs = resolve_jobs(n_jobs)
    size = len(texts) if isinstance(texts, Sequence) else 0
    values = _Growing(int(hasher.num_perm), np.uint32, capacity=size)
    counts = _Growing(1, np.int64, capacity=size)
    batches = enumerate(_batches(texts, batch_size, start))
    out_lock = threading.Lock()

    def store(k: int, sig: Signatures) -> None:
        with out_lock:
            values.put(k * batch_size, sig.values)
            counts.put(k * batch_size, sig.n_shingles[:, None])

    if jobs == 1:
        for k, batch in batches:
            store(k, hasher.transform(batch))
    else:
        _in_threads(batches, lambda k, batch: store(k, hasher.transform(batch)), jobs)
    return Signatures(values.result(), counts.result()[:, 0].copy(), dict(hasher.config_))


def _in_threads(items: Iterator[tuple[int, list[str]]], handle: Callable[[int, list[str]], None], jobs: int) -> None:
    """Call ``handle(k, batch)`` on every item in ``jobs`` threads.

    Each thread pulls its next item from ``items`` itself, under a lock; the
    first error (reading ``items`` or handling one) stops every thread and is
    raised.
    """
    in_lock = threading.Lock()
    failed = threading.Event()

    def work() -> None:
        while not failed.is_set():
            with in_lock:
                try:
                    k, batch = next(items)
                except StopIteration:
                    return
                except BaseException:
                    failed.set()
                    raise
            try:
                handle(k, batch)
            except BaseException:
                failed.set()
                raise

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(work) for _ in range(jobs)]
        for f in futures:
            f.result()


def exact_jaccard(
    texts: Sequence[str], pairs: np.ndarray, hasher: MinHasher, *, batch_size: int = 128
) -> np.ndarray:
    """Exact Jaccard similarity of the shingle sets of each pair of documents.

    Parameters
    ----------
    texts : sequence of str
    pairs : numpy.ndarray of int, shape (m, 2)
        Indices into ``texts``.
    hasher : MinHasher
        A fitted hasher; its ``ngram`` and normalisation define the shingles.
    batch_size : int, default=128

    Returns
    -------
    numpy.ndarray of float64, shape (m,)
        Two documents without shingles have similarity 0.
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    out = np.zeros(len(pairs))
    if not len(pairs):
        return out
    docs = sorted_unique(pairs)
    sets: dict[int, np.ndarray] = {}
    for s in range(0, len(docs), batch_size):
        chunk = docs[s : s + batch_size].tolist()
        sh = hash_shingles([texts[i] for i in chunk], ngram=int(hasher.ngram), config=hasher.norm_)
        for k, i in enumerate(chunk):
            sets[i] = sorted_unique(sh.doc(k))
    return set_jaccard(*intersection_sizes(sets, pairs))


class Deduplicator(ClusterMixin, BaseEstimator):
    """Near-duplicate removal with MinHash and LSH, streaming and verified.

    Parameters
    ----------
    threshold : float, default=0.8
        Jaccard similarity of word-shingle sets from which two documents are
        duplicates.  Every LSH candidate is verified: its Jaccard estimated
        from the full signatures must be at least ``threshold``.
    num_perm : int, default=128
        MinHash permutations (signature length).
    ngram : int, default=5
        Words per shingle.
    seed : int, default=1
        Seed of the permutations; results are identical for a seed.
    norm : NormConfig, optional
        Normalisation before tokenising (default: NFKC and case folding).
    bands, rows : int, optional
        LSH split.  When omitted it is derived from ``threshold`` with
        datasketch's rule (:func:`spindetect.lsh.optimal_bands`), weighting
        missed pairs 19 times more than false candidates, since every
        candidate is verified: 16 bands x 8 rows at the default 0.8 and 128
        permutations.
    batch_size : int, default=128
        Documents signed at once; bounds working memory (about 12 bytes per
        input byte of a batch, per worker).
    n_jobs : int, optional
        Worker threads for signing (the numpy kernels release the GIL);
        ``None`` or 1 works in the calling thread, -1 uses every core.
        Results do not depend on it.
    max_run : int, default=64
        LSH buckets larger than this emit a linear number of candidates (a star
        and a chain) instead of all their pairs.
    verify : {"estimate", "exact"}, default="estimate"
        How :meth:`fit` verifies a candidate: ``"estimate"`` compares the full
        signatures (streaming, nothing but signatures kept); ``"exact"``
        re-shingles the documents that have a candidate and computes the exact
        Jaccard of their shingle sets (needs a sequence of texts with random
        access; about a tenth more time when a tenth of the corpus has
        candidates).  :meth:`partial_fit` and :meth:`query` always estimate,
        since the indexed texts are gone.
    storage_config : dict, optional
        Also publish every fitted document to a shared
        :class:`~spindetect.signals.index.LSHIndex` with this datasketch
        storage config, e.g. ``{"type": "redis", "redis": {"host": ...,
        "port": ...}, "basename": "crawl-2026"}`` (needs the ``redis``
        extra).  Several processes that fit their shards with the same config
        insert into one index; :meth:`query_shared` asks it which documents a
        text duplicates, whichever process inserted them.  Ids are required.
        The local attributes below still describe this process's documents.

    Attributes
    ----------
    signatures_ : Signatures
        The signature index (one row per document seen).
    ids_ : list of str or None
        Document ids given to :meth:`fit` / :meth:`partial_fit`, if any.
    bands_, rows_ : int
        The LSH split in use.
    pairs_ : numpy.ndarray of int64, shape (m, 2)
        Verified duplicate pairs ``(i, j)``, ``i < j``, sorted.
    scores_ : numpy.ndarray of float64, shape (m,)
        Jaccard similarity of each verified pair (estimated, or exact with
        ``verify="exact"``).
    n_candidates_ : int
        LSH candidates examined in the last call (before verification).
    labels_ : numpy.ndarray of int64, shape (n_docs,)
        Cluster of each document, named by the index of its representative.
    representatives_ : numpy.ndarray of int64
        Indices of the kept documents (one per cluster), increasing.
    keep_ : numpy.ndarray of bool, shape (n_docs,)
        ``True`` for the representative of each cluster.
    n_docs_ : int
        Documents in the index.
    index_ : LSHIndex or None
        The shared index when ``storage_config`` is set, else ``None``.

    Examples
    --------
    >>> docs = ["the cat sat on the mat today", "the cat sat on the mat today",
    ...         "a completely different sentence about dogs"]
    >>> dd = Deduplicator(threshold=0.8).fit(docs)
    >>> dd.keep_.tolist()
    [True, False, True]
    >>> dd.labels_.tolist()
    [0, 0, 2]
    """

    def __init__(  # noqa: PLR0913 (settings are keyword-only parameters, as in scikit-learn)
        self,
        *,
        threshold: float = 0.8,
        num_perm: int = 128,
        ngram: int = 5,
        seed: int = 1,
        norm: NormConfig | None = None,
        bands: int | None = None,
        rows: int | None = None,
        batch_size: int = 128,
        n_jobs: int | None = None,
        max_run: int = 64,
        verify: str = "estimate",
        storage_config: dict | None = None,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.ngram = ngram
        self.seed = seed
        self.norm = norm
        self.bands = bands
        self.rows = rows
        self.batch_size = batch_size
        self.n_jobs = n_jobs
        self.max_run = max_run
        self.verify = verify
        self.storage_config = storage_config

    # -- parameters -----------------------------------------------------------

    _parameter_constraints: dict = {
        "threshold": [Interval(Real, 0, 1, closed="neither")],
        "bands": [Interval(Integral, 1, None, closed="left"), None],
        "rows": [Interval(Integral, 1, None, closed="left"), None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "max_run": [Interval(Integral, 2, None, closed="left")],
        "verify": [Options(("estimate", "exact"))],
        "n_jobs": N_JOBS,
    }  # num_perm, ngram, seed, norm: checked by the MinHasher

    def _validate(self) -> None:
        validate_params(self)
        self.hasher_ = MinHasher(
            num_perm=self.num_perm, seed=self.seed, ngram=self.ngram, norm=self.norm
        ).fit()
        if (self.bands is None) != (self.rows is None):
            raise ValueError("give both bands and rows, or neither")
        if self.bands is None or self.rows is None:
            self.bands_, self.rows_ = default_bands(self.threshold, self.num_perm)
        else:
            if self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm:
                raise ValueError(
                    f"need bands >= 1, rows >= 1 and bands * rows <= num_perm = {self.num_perm}, "
                    f"got bands={self.bands}, rows={self.rows}"
                )
            self.bands_, self.rows_ = int(self.bands), int(self.rows)
        self.index_ = self._shared_index()

    def _shared_index(self) -> LSHIndex | None:
        if self.storage_config is None:
            return None
        if self.bands_ < 2:
            raise ValueError(f"a shared index needs at least 2 bands, got {self.bands_}")
        return LSHIndex(
            threshold=float(self.threshold), minhasher=self.hasher_,
            storage_config=self.storage_config, bands=self.bands_, rows=self.rows_,
        )

    def _check_ids(self, ids: Sequence[str] | None, n: int) -> list[str] | None:
        if ids is None:
            if self.storage_config is not None and n:
                raise ValueError(
                    "a Deduplicator with a storage_config needs ids: the shared index is keyed by them"
                )
            return None
        _check_texts_arg(ids, "ids")
        ids = [str(i) for i in ids]
        if len(ids) != n:
            raise ValueError(f"got {len(ids)} ids for {n} documents")
        return ids

    # -- fitting --------------------------------------------------------------

    def fit(self, texts: Iterable[str], ids: Sequence[str] | None = None) -> "Deduplicator":
        """Sign, index, verify and cluster a corpus.

        Parameters
        ----------
        texts : iterable of str
            The documents; any iterable, consumed once in batches of
            ``batch_size`` (a generator over a huge file is fine).
        ids : sequence of str, optional
            One id per document, kept in ``ids_`` and saved with the index.

        Returns
        -------
        self
        """
        _check_texts_arg(texts, "Deduplicator.fit")
        self._validate()
        if self.verify == "exact" and not isinstance(texts, Sequence):
            raise ValueError(
                "verify='exact' needs a sequence of texts (it re-reads the candidates); "
                f"got {type(texts).__name__}; pass a list or use verify='estimate'"
            )
        sig = sign_texts(texts, self.hasher_, batch_size=int(self.batch_size), n_jobs=self.n_jobs)
        self.ids_ = self._check_ids(ids, len(sig))
        return self._fit_index(
            sig, np.zeros((0, 2), np.int64), np.zeros(0), n_old=0,
            texts=texts if self.verify == "exact" else None,  # type: ignore[arg-type]
        )

    def fit_signatures(self, signatures: Signatures, ids: Sequence[str] | None = None) -> "Deduplicator":
        """Deduplicate precomputed signatures (made with this deduplicator's settings).

        Raises
        ------
        ValueError
            If ``signatures`` were made with other settings (num_perm, seed,
            ngram, normalisation or scheme).
        """
        self._validate()
        self._check_config(signatures)
        self.ids_ = self._check_ids(ids, len(signatures))
        return self._fit_index(signatures, np.zeros((0, 2), np.int64), np.zeros(0), n_old=0)

    def _check_config(self, signatures: Signatures) -> None:
        if not isinstance(signatures, Signatures):
            raise TypeError(f"expected Signatures, got {type(signatures).__name__}")
        if signatures.config != self.hasher_.config_:
            raise ValueError(
                "cannot mix signatures made with different settings: index has "
                f"{self.hasher_.config_}, got {signatures.config}; sign both with the same "
                "num_perm, seed, ngram and normalisation"
            )

    def _fit_index(
        self,
        sig: Signatures,
        old_pairs: np.ndarray,
        old_scores: np.ndarray,
        n_old: int,
        texts: Sequence[str] | None = None,
    ) -> "Deduplicator":
        cand = candidate_pairs(
            sig, bands=self.bands_, rows=self.rows_, max_run=int(self.max_run)
        )
        if n_old:
            cand = cand[cand[:, 1] >= n_old]  # pairs among old documents are known
        if texts is None:
            scores = sig.jaccard(cand)
        else:
            scores = exact_jaccard(texts, cand, self.hasher_, batch_size=int(self.batch_size))
        ok = scores >= self.threshold
        pairs = np.concatenate([old_pairs, cand[ok]])
        scores = np.concatenate([old_scores, scores[ok]])
        if n_old and len(pairs):
            order = np.lexsort((pairs[:, 1], pairs[:, 0]))
            pairs, scores = pairs[order], scores[order]
        self.signatures_ = sig
        self.n_docs_ = len(sig)
        self.n_candidates_ = int(len(cand))
        self.pairs_ = pairs.astype(np.int64).reshape(-1, 2)
        self.scores_ = scores.astype(np.float64)
        self._set_clusters()
        if self.index_ is not None and self.ids_ is not None:
            self.index_.insert_signatures(self.ids_[n_old:], sig.subset(np.arange(n_old, len(sig))))
        return self

    def _set_clusters(self) -> None:
        n = self.n_docs_
        comp = connected_labels(n, self.pairs_)
        first = np.full(int(comp.max()) + 1 if n else 0, n, dtype=np.int64)
        np.minimum.at(first, comp, np.arange(n, dtype=np.int64))
        self.labels_ = first[comp]
        self.keep_ = self.labels_ == np.arange(n)
        self.representatives_ = np.flatnonzero(self.keep_).astype(np.int64)

    def partial_fit(self, texts: Iterable[str], ids: Sequence[str] | None = None) -> "Deduplicator":
        """Add new documents to the index and deduplicate them against it.

        The new documents get the next indices.  A new document that joins an
        existing cluster is not kept (the cluster's first document is); a new
        document that links two existing clusters merges them, and the later
        representative stops being kept.  On an unfitted deduplicator this is
        :meth:`fit`.

        Parameters
        ----------
        texts : iterable of str
        ids : sequence of str, optional
            Ids of the new documents; needed if the index has ids.

        Returns
        -------
        self
        """
        _check_texts_arg(texts, "Deduplicator.partial_fit")
        if not hasattr(self, "signatures_"):
            return self.fit(texts, ids=ids)
        new = sign_texts(
            texts, self.hasher_, batch_size=int(self.batch_size), n_jobs=self.n_jobs,
            start=self.n_docs_,
        )
        return self._extend(new, ids)

    def partial_fit_signatures(
        self, signatures: Signatures, ids: Sequence[str] | None = None
    ) -> "Deduplicator":
        """Add precomputed signatures to the index (see :meth:`partial_fit`).

        Raises
        ------
        ValueError
            If ``signatures`` were made with other settings than the index.
        """
        if not hasattr(self, "signatures_"):
            return self.fit_signatures(signatures, ids=ids)
        self._check_config(signatures)
        return self._extend(signatures, ids)

    def _extend(self, new: Signatures, ids: Sequence[str] | None) -> "Deduplicator":
        new_ids = self._check_ids(ids, len(new))
        if (self.ids_ is None) != (new_ids is None) and self.n_docs_ and len(new):
            raise ValueError(
                "the index has ids and the new documents have none, or the other way round"
            )
        n_old = self.n_docs_
        merged = Signatures.concat([self.signatures_, new])
        if self.ids_ is not None or new_ids is not None:
            self.ids_ = (self.ids_ or []) + (new_ids or [])
        return self._fit_index(merged, self.pairs_, self.scores_, n_old=n_old)

    def query(self, texts: Iterable[str]) -> np.ndarray:
        """Match new documents against the index without adding them.

        Parameters
        ----------
        texts : iterable of str

        Returns
        -------
        numpy.ndarray of int64
            For each text, the representative (``labels_`` value) of the indexed
            document it matches best (highest estimated Jaccard, at least
            ``threshold``), or -1 when it duplicates nothing in the index.
        """
        check_fitted(self, "signatures_", "call fit() or Deduplicator.load() first")
        _check_texts_arg(texts, "Deduplicator.query")
        new = sign_texts(texts, self.hasher_, batch_size=int(self.batch_size), n_jobs=self.n_jobs)
        return self._query_signatures(new)

    def _query_signatures(self, new: Signatures) -> np.ndarray:
        n_old = self.n_docs_
        out = np.full(len(new), -1, dtype=np.int64)
        if not len(new) or not n_old:
            return out
        merged = Signatures.concat([self.signatures_, new])
        cand = candidate_pairs(merged, bands=self.bands_, rows=self.rows_, max_run=int(self.max_run))
        cand = cand[(cand[:, 0] < n_old) & (cand[:, 1] >= n_old)]
        scores = merged.jaccard(cand)
        ok = scores >= self.threshold
        cand, scores = cand[ok], scores[ok]
        # Best match per query: sort by (query, -score, old index), take the first.
        order = np.lexsort((cand[:, 0], -scores, cand[:, 1]))
        cand = cand[order]
        first = np.ones(len(cand), dtype=bool)
        first[1:] = cand[1:, 1] != cand[:-1, 1]
        out[cand[first, 1] - n_old] = self.labels_[cand[first, 0]]
        return out

    def query_shared(self, texts: Iterable[str]) -> list[str | None]:
        """Match texts against the shared index (``storage_config``) without adding them.

        Parameters
        ----------
        texts : iterable of str

        Returns
        -------
        list of (str or None)
            For each text, the id of the shared document it matches best
            (highest estimated Jaccard, at least ``threshold``; ties: smallest
            id), whichever process inserted it, or ``None``.

        Raises
        ------
        ValueError
            If this deduplicator has no ``storage_config``.
        """
        _check_texts_arg(texts, "Deduplicator.query_shared")
        if self.storage_config is None:
            raise ValueError("query_shared needs a Deduplicator built with a storage_config")
        if not hasattr(self, "index_"):
            self._validate()
        assert self.index_ is not None
        new = sign_texts(texts, self.hasher_, batch_size=int(self.batch_size), n_jobs=self.n_jobs)
        matches = self.index_.duplicates_signatures(new, float(self.threshold))
        return [m[0][0] if m else None for m in matches]

    # -- persistence ----------------------------------------------------------

    def get_config(self) -> dict[str, Any]:
        """The JSON-serialisable settings of this deduplicator."""
        return {
            "threshold": float(self.threshold),
            "num_perm": int(self.num_perm),
            "ngram": int(self.ngram),
            "seed": int(self.seed),
            "norm": (self.norm or NormConfig()).to_dict(),
            "bands": None if self.bands is None else int(self.bands),
            "rows": None if self.rows is None else int(self.rows),
            "batch_size": int(self.batch_size),
            "max_run": int(self.max_run),
            "verify": str(self.verify),
            "storage_config": _json_storage_config(self.storage_config),
        }

    def save(self, path: str | os.PathLike) -> None:
        """Save the index to ``path`` (``.npz``; settings as JSON, no pickle).

        The file is written under a temporary name and renamed at the end.

        Parameters
        ----------
        path : str or path-like
            Target file; ``.npz`` is appended if missing.
        """
        check_fitted(self, "signatures_", "call fit() or Deduplicator.load() first")
        meta = {
            "format": FORMAT,
            "params": self.get_config(),
            "signature_config": self.signatures_.config,
            "bands": self.bands_,
            "rows": self.rows_,
        }
        arrays = {
            "values": np.ascontiguousarray(self.signatures_.values, dtype="<u4"),
            "n_shingles": np.ascontiguousarray(self.signatures_.n_shingles, dtype="<i8"),
            "pairs": np.ascontiguousarray(self.pairs_, dtype="<i8").reshape(-1, 2),
            "scores": np.ascontiguousarray(self.scores_, dtype="<f8"),
        }
        write_index(path, meta, arrays, self.ids_)

    @classmethod
    def load(cls, path: str | os.PathLike, *, n_jobs: int | None = None) -> "Deduplicator":
        """Load an index written by :meth:`save`.

        Every part of the file is checked before it is used (settings,
        shapes, dtypes and sizes against the settings, then the values), so a
        damaged or tampered file is a clear error, never a huge allocation.

        Parameters
        ----------
        path : str or path-like
        n_jobs : int, optional
            Worker threads for later calls (not stored in the file).

        Returns
        -------
        Deduplicator
            Fitted, ready for :meth:`partial_fit` and :meth:`query`.

        Raises
        ------
        IndexFileError
            A ``ValueError`` naming the file and the field that is wrong.
        """
        meta, arrays, ids = read_index(path)
        values, n_shingles = arrays["values"], arrays["n_shingles"]
        pairs, scores = arrays["pairs"], arrays["scores"]
        p = dict(meta["params"])
        norm = NormConfig(**p.pop("norm"))
        dd = cls(norm=norm, n_jobs=n_jobs, **p)
        sig = Signatures(values, n_shingles, meta["signature_config"])
        try:
            dd._validate()
            dd._check_config(sig)
        except ValueError as exc:
            raise IndexFileError(f"{os.fspath(path)!r} is not a spindetect dedup index: {exc}") from None
        if sig.config.get("scheme") != SCHEME:
            raise IndexFileError(f"{os.fspath(path)!r}: unsupported MinHash scheme {sig.config.get('scheme')!r}")
        dd.ids_ = ids
        dd.signatures_ = sig
        dd.n_docs_ = len(sig)
        dd.n_candidates_ = 0
        dd.pairs_ = pairs.astype(np.int64).reshape(-1, 2)
        dd.scores_ = scores.astype(np.float64)
        dd._set_clusters()
        return dd
