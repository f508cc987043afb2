"""MinHash signatures for whole corpora at once, compatible with datasketch.

The reference definition is datasketch 2's ``MinHash`` with
``scheme="affine32"``: each 32-bit shingle hash ``h`` is pre-mixed with the
MurmurHash3 32-bit finaliser, and permutation ``k`` maps it to
``a_k * fmix32(h) + b_k  (mod 2**32)`` with ``a_k`` odd.  The signature is the
minimum per permutation over the document's shingles.  ``a`` and ``b`` are drawn
exactly as datasketch draws them from ``numpy.random.RandomState(seed)``, so a
signature row here equals ``datasketch.MinHash(num_perm, seed=seed,
scheme="affine32", hashfunc=<identity on our shingle hash>)`` updated with the same
shingles (the test-suite checks this).

Instead of a Python loop per shingle, the permutation is applied to all shingles
of a batch at once, one permutation at a time (a multiply and an add over a
uint32 array that stays in cache), and the minimum per document is taken with
``numpy.minimum.reduceat``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator

from .._validation import Interval, check_fitted, reject_bare_str, validate_params
from ..text.normalize import NormConfig
from ..text.tokens import HASH_VERSION, Shingles, hash_shingles

__all__ = ["MinHasher", "Signatures", "SCHEME", "EMPTY_VALUE"]

SCHEME = "affine32"
EMPTY_VALUE = np.uint32(0xFFFFFFFF)  # datasketch's sentinel for "no shingle seen"
_U32 = np.uint32


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (the pre-mix of datasketch's affine schemes)."""
    h = h ^ (h >> _U32(16))
    h = h * _U32(0x85EBCA6B)
    h = h ^ (h >> _U32(13))
    h = h * _U32(0xC2B2AE35)
    return h ^ (h >> _U32(16))


def datasketch_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the ``(a, b)`` permutation parameters datasketch draws for ``affine32``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * _U32(2) + _U32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


@dataclass(frozen=True, eq=False)
class Signatures:
    """MinHash signatures of a corpus: one row of ``num_perm`` uint32 values a document.

    Attributes
    ----------
    values : numpy.ndarray of uint32, shape (n_docs, num_perm)
        A document without shingles has every value equal to ``EMPTY_VALUE``.
    n_shingles : numpy.ndarray of int64, shape (n_docs,)
        Number of shingles (with repeats) each document had.
    config : dict
        The settings that produced the values (num_perm, seed, ngram, scheme,
        normalisation, version of the shingle hash).  Signatures with different
        configs cannot be compared.
    """

    values: np.ndarray = field(repr=False)
    n_shingles: np.ndarray = field(repr=False)
    config: dict

    def __len__(self) -> int:
        return self.values.shape[0]

    @property
    def num_perm(self) -> int:
        """Number of permutations."""
        return int(self.values.shape[1])

    @property
    def empty(self) -> np.ndarray:
        """Boolean mask of documents without shingles."""
        return self.n_shingles == 0

    def check_compatible(self, other: "Signatures") -> None:
        """Raise ``ValueError`` if ``other`` was made with different settings."""
        if self.config != other.config:
            raise ValueError(
                "cannot compare signatures made with different settings: "
                f"{self.config} vs {other.config}; re-sign both corpora with one MinHasher"
            )

    def jaccard(self, pairs: np.ndarray) -> np.ndarray:
        """Estimated Jaccard similarity of each ``(i, j)`` row of ``pairs``.

        Two empty documents have similarity 0 (nothing is shared).
        """
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if len(pairs) == 0:
            return np.zeros(0)
        out = np.empty(len(pairs))
        step = 4096  # pairs at a time: two (step, num_perm) gathers stay small
        for s in range(0, len(pairs), step):
            p = pairs[s : s + step]
            out[s : s + step] = (self.values[p[:, 0]] == self.values[p[:, 1]]).mean(axis=1)
        both_empty = self.empty[pairs[:, 0]] | self.empty[pairs[:, 1]]
        out[both_empty] = 0.0
        return out

    def subset(self, index: np.ndarray) -> "Signatures":
        """Signatures of the documents at ``index``."""
        return Signatures(self.values[index], self.n_shingles[index], dict(self.config))

    def save(self, path: str) -> None:
        """Save to ``path`` (``.npz``; the config is stored as JSON, no pickle).

        Not compressed: MinHash values are close to random and do not shrink.
        """
        np.savez(
            path,
            values=self.values,
            n_shingles=self.n_shingles,
            config=np.frombuffer(json.dumps(self.config, sort_keys=True).encode(), dtype=np.uint8),
        )

    @classmethod
    def load(cls, path: str) -> "Signatures":
        """Load signatures written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as z:
            config = json.loads(z["config"].tobytes().decode())
            return cls(z["values"], z["n_shingles"], config)

    @classmethod
    def concat(cls, parts: Sequence["Signatures"]) -> "Signatures":
        """Stack the signatures of several batches made with one configuration."""
        if not parts:
            raise ValueError("nothing to concatenate")
        for p in parts[1:]:
            parts[0].check_compatible(p)
        return cls(
            np.concatenate([p.values for p in parts]),
            np.concatenate([p.n_shingles for p in parts]),
            dict(parts[0].config),
        )


class MinHasher(BaseEstimator):
    """Compute MinHash signatures of word n-gram shingles for many documents at once.

    Parameters
    ----------
    num_perm : int, default=128
        Number of permutations (signature length).
    seed : int, default=1
        Seed of the permutations (datasketch's default is 1).
    ngram : int, default=5
        Words per shingle.
    norm : NormConfig, optional
        Normalisation applied before tokenising.
    batch_size : int, default=2000
        Documents hashed at once; bounds working memory.

    Attributes
    ----------
    a_, b_ : numpy.ndarray of uint32
        Permutation parameters, equal to datasketch's for the same seed.

    Examples
    --------
    >>> sig = MinHasher(num_perm=64).fit_transform(["a b c d e f", "a b c d e g"])
    >>> sig.values.shape
    (2, 64)
    """

    def __init__(
        self,
        *,
        num_perm: int = 128,
        seed: int = 1,
        ngram: int = 5,
        norm: NormConfig | None = None,
        batch_size: int = 2000,
    ) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self.ngram = ngram
        self.norm = norm
        self.batch_size = batch_size

    _parameter_constraints: dict = {
        "num_perm": [Interval(Integral, 1, None, closed="left")],
        "seed": [Interval(Integral, 0, None, closed="left")],
        "ngram": [Interval(Integral, 1, None, closed="left")],
        "norm": [NormConfig, None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
    }

    def fit(self, texts: object = None) -> "MinHasher":
        """Validate the parameters and draw the permutations; ``texts`` is ignored."""
        validate_params(self)
        self.a_, self.b_ = datasketch_permutations(int(self.num_perm), int(self.seed))
        self.norm_ = self.norm or NormConfig()
        self.config_ = {
            "num_perm": int(self.num_perm),
            "seed": int(self.seed),
            "ngram": int(self.ngram),
            "scheme": SCHEME,
            "shingle_hash": HASH_VERSION,
            "norm": self.norm_.to_dict(),
        }
        return self

    def sign_shingles(self, shingles: Shingles) -> Signatures:
        """Signatures of already hashed shingles.

        Parameters
        ----------
        shingles : Shingles

        Returns
        -------
        Signatures
        """
        check_fitted(self, "a_")
        counts = shingles.counts()
        n = shingles.n_docs
        values = np.full((n, self.num_perm), EMPTY_VALUE, dtype=np.uint32)
        nonempty = np.flatnonzero(counts > 0)
        if len(nonempty):
            hv = fmix32(shingles.hashes.astype(np.uint32, copy=False))
            starts = shingles.indptr[:-1][nonempty]
            tmp = np.empty_like(hv)
            block = np.empty((len(nonempty), self.num_perm), dtype=np.uint32)
            for k in range(self.num_perm):
                np.multiply(hv, self.a_[k], out=tmp)
                np.add(tmp, self.b_[k], out=tmp)
                block[:, k] = np.minimum.reduceat(tmp, starts)
            values[nonempty] = block
        return Signatures(values, counts.astype(np.int64), dict(self.config_))

    def shingle(self, texts: Sequence[str]) -> list[Shingles]:
        """Hashed shingles of ``texts``, one :class:`~spindetect.text.tokens.Shingles` per batch.

        For callers that need the shingles themselves (exact Jaccard) as well
        as the signatures: ``Signatures.concat([sign_shingles(s) for s in
        shingle(texts)])`` equals ``transform(texts)``.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        list of Shingles
            Batches of at most ``batch_size`` documents, in order.
        """
        return list(self._batches(texts))

    def shingle_batches(self, texts: Sequence[str]) -> Iterator[Shingles]:
        """The batches of :meth:`shingle`, made one at a time as they are consumed."""
        return self._batches(texts)

    def transform(self, texts: Sequence[str]) -> Signatures:
        """Signatures of ``texts``.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        Signatures
        """
        return Signatures.concat([self.sign_shingles(sh) for sh in self._batches(texts)])

    def _batches(self, texts: Sequence[str]) -> Iterator[Shingles]:
        check_fitted(self, "a_")
        reject_bare_str(texts, 'MinHasher.transform')
        texts = list(texts)
        for s in range(0, max(len(texts), 1), self.batch_size):
            yield hash_shingles(texts[s : s + self.batch_size], ngram=int(self.ngram), config=self.norm_)

    def fit_transform(self, texts: Sequence[str]) -> Signatures:
        """Fit, then transform ``texts``."""
        return self.fit().transform(texts)

    def to_datasketch(self, signatures: Signatures, i: int):
        """Return document ``i`` as a ``datasketch.LeanMinHash`` (scheme ``affine32``)."""
        from datasketch import LeanMinHash, MinHash

        check_fitted(self, "a_")
        m = MinHash(
            num_perm=self.num_perm,
            seed=self.seed,
            hashvalues=signatures.values[i],
            scheme=SCHEME,
        )
        return LeanMinHash(m)
