"""Nearest neighbours in a reduced TF-IDF space as candidates, in linear time.

Pages of one farm often share neither sentences nor rare words: their word
cosine is that of any two pages on the topic, and MinHash, the word TF-IDF
neighbours and the outline keys miss some of their pairs (templated-dev: 33
of the 429 gold pairs outside ``hp-humanized`` were no candidate).  In a
reduced space (latent semantic analysis: a truncated SVD of the TF-IDF rows)
they are still among each other's nearest neighbours: with each document's
10 nearest, 31 of the 33 become candidates (character 3-5-gram TF-IDF does as
well, 30 of 33, but costs about ten times more: every document's character
vector must be built; the word vectors are the detector's own).

:class:`LsaNeighbours` proposes each document's ``k`` nearest neighbours
without comparing all pairs:

1. the TF-IDF rows (``vectors="word"``: the fitted
   :class:`~spindetect.signals.tfidf.TfidfSimilarity`'s word matrix;
   ``"char"``: its character vectors, site chrome removed) are reduced to
   ``n_components`` dimensions by a truncated SVD learnt on a seeded sample
   of ``sample`` documents, a chunk of documents at a time (only the reduced
   rows are kept: 4 bytes a dimension);
2. the reduced rows are grouped into buckets of about ``bucket_size``
   documents by k-means (scikit-learn ``MiniBatchKMeans``); every document
   joins the buckets of its ``n_probe`` nearest centres;
3. within a bucket all pairs are compared (a dense product of the reduced
   rows); a pair is kept when it is among the ``k`` best of either document
   (:func:`~spindetect.signals.lsh.top_k_pairs`).

The work grows with ``N * n_probe * bucket_size``, and at most ``k`` pairs a
document are added, so scoring stays linear too.  The reduced cosine only
ranks; the pair is then scored like any other candidate.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD

from .._validation import Interval, Options, validate_params
from .lsh import top_k_pairs
from .tfidf import TfidfSimilarity

__all__ = ["LsaNeighbours"]

#: Documents vectorised at once when reducing (bounds the sparse rows held).
_CHUNK = 2000


class LsaNeighbours(BaseEstimator):
    """Each document's nearest neighbours in reduced TF-IDF, as candidate pairs.

    Parameters
    ----------
    k : int, default=10
        Neighbours kept per document (a pair stays when it is among the ``k``
        best of either document).  10 reaches 31 of the 33 templated-dev
        family pairs the other candidate sources miss (5: 19).
    vectors : {"word", "char"}, default="word"
        The TF-IDF rows reduced (see the module docstring).
    n_components : int, default=64
        Dimensions of the reduced vectors.
    bucket_size : int, default=512
        Documents per k-means bucket on average (one bucket below twice this).
    n_probe : int, default=2
        Buckets each document joins (its nearest centres).
    sample : int, default=2000
        Documents the SVD and the k-means centres are learnt on.
    random_state : int, default=0

    Attributes
    ----------
    candidate_pairs_ : numpy.ndarray of int64, shape (m, 2)
        Pairs ``i < j``.
    similarity_ : numpy.ndarray of float32, shape (m,)
        Their cosine in the reduced space.
    """

    _parameter_constraints: dict = {
        "k": [Interval(Integral, 1, None, closed="left")],
        "vectors": [Options(("word", "char"))],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "bucket_size": [Interval(Integral, 2, None, closed="left")],
        "n_probe": [Interval(Integral, 1, None, closed="left")],
        "sample": [Interval(Integral, 2, None, closed="left")],
        "random_state": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(
        self, *, k: int = 10, vectors: str = "word", n_components: int = 64, bucket_size: int = 512, n_probe: int = 2, sample: int = 2000,
        random_state: int = 0,
    ) -> None:
        self.k = k
        self.vectors = vectors
        self.n_components = n_components
        self.bucket_size = bucket_size
        self.n_probe = n_probe
        self.sample = sample
        self.random_state = random_state

    def fit(self, tfidf: TfidfSimilarity) -> LsaNeighbours:
        """Find the neighbour pairs of the documents ``tfidf`` was fitted on.

        Parameters
        ----------
        tfidf : TfidfSimilarity
            Fitted; its word matrix (or character vectors) is read.

        Returns
        -------
        self
        """
        validate_params(self)
        n = tfidf.n_documents
        if n <= int(self.k) + 1:  # every other document is among the k best
            ii, jj = np.triu_indices(n, 1)
            self.candidate_pairs_ = np.stack([ii, jj], axis=1).astype(np.int64)
            self.similarity_ = np.ones(len(ii), np.float32)
            return self
        z = self._reduce(tfidf, n)
        pairs, sims = self._bucket_pairs(z, self._buckets(z))
        keep = top_k_pairs(pairs, sims, int(self.k))
        self.candidate_pairs_, self.similarity_ = pairs[keep], sims[keep]
        return self

    def _sample(self, n: int) -> np.ndarray:
        rng = np.random.default_rng(self.random_state)
        return np.sort(rng.choice(n, size=min(n, int(self.sample)), replace=False))

    def _vectors(self, tfidf: TfidfSimilarity, docs: np.ndarray) -> sp.csr_matrix:
        if self.vectors == "char":
            return tfidf.char_vectors(docs)
        return tfidf.word_matrix_[docs]

    def _reduce(self, tfidf: TfidfSimilarity, n: int) -> np.ndarray:
        """L2-normalised reduced character vectors, one row per document (float32).

        The SVD sees only the n-grams held by at least two sampled documents
        (the hashing space has 2**20 columns, nearly all empty, and an n-gram
        of one document says nothing about which documents are alike).
        """
        learn = self._vectors(tfidf, self._sample(n))
        cols = np.flatnonzero(learn.getnnz(axis=0) >= 2)
        dims = min(int(self.n_components), learn.shape[0] - 1, len(cols) - 1)
        if dims < 1:
            return np.ones((n, 1), np.float32)
        svd = TruncatedSVD(n_components=dims, n_iter=3, random_state=self.random_state)
        svd.fit(learn[:, cols])
        rows = [svd.transform(self._vectors(tfidf, np.arange(s, min(n, s + _CHUNK)))[:, cols]) for s in range(0, n, _CHUNK)]
        z = np.concatenate(rows).astype(np.float32)
        norm = np.linalg.norm(z, axis=1, keepdims=True)
        return z / np.where(norm > 0, norm, 1)

    def _buckets(self, z: np.ndarray) -> list[np.ndarray]:
        """Member documents of every bucket (each document in ``n_probe`` of them)."""
        n = len(z)
        n_buckets = n // int(self.bucket_size)
        if n_buckets < 2:
            return [np.arange(n)]
        km = MiniBatchKMeans(n_clusters=n_buckets, random_state=self.random_state, n_init=1, batch_size=4096)
        km.fit(z[self._sample(n)] if n > int(self.sample) else z)
        dist = km.transform(z)
        probe = min(int(self.n_probe), n_buckets)
        nearest = np.argpartition(dist, probe - 1, axis=1)[:, :probe]
        bucket = nearest.ravel()
        docs = np.repeat(np.arange(n), probe)
        order = np.argsort(bucket, kind="stable")
        bounds = np.flatnonzero(np.diff(bucket[order])) + 1
        return [m for m in np.split(docs[order], bounds) if len(m) > 1]

    def _bucket_pairs(self, z: np.ndarray, buckets: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` most similar partners of each document within each of its buckets."""
        found, sims = [np.zeros((0, 2), np.int64)], [np.zeros(0, np.float32)]
        for members in buckets:
            k = min(int(self.k), len(members) - 1)
            for s in range(0, len(members), _CHUNK):
                rows = members[s : s + _CHUNK]
                sim = z[rows] @ z[members].T
                sim[np.arange(len(rows)), np.arange(s, s + len(rows))] = -np.inf
                top = np.argpartition(-sim, k - 1, axis=1)[:, :k]
                found.append(np.stack([np.repeat(rows, k), members[top.ravel()]], axis=1))
                sims.append(np.take_along_axis(sim, top, axis=1).ravel())
        pairs = np.sort(np.concatenate(found), axis=1)
        sim = np.concatenate(sims)
        order = np.lexsort((-sim, pairs[:, 1], pairs[:, 0]))
        pairs, sim = pairs[order], sim[order]
        first = np.ones(len(pairs), bool)
        first[1:] = np.any(pairs[1:] != pairs[:-1], axis=1)
        pairs, sim = pairs[first], sim[first]
        ok = pairs[:, 0] != pairs[:, 1]
        return pairs[ok], sim[ok]
