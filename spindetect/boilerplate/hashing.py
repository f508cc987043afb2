"""Hashing helpers of the boilerplate scorer: polynomial slice hashes and keyed unit hashes.

Words, segments and word n-grams are hashed with one polynomial hash over
prefix sums (:class:`_PrefixHash`), so every slice hash costs O(1) and does
not depend on where the slice sits.  Units are keyed per document or family
with :func:`_doc_keys` and :func:`_family_keys`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from .._constants import HASH_MULT
from ..text.tokens import fmix64

_U64 = np.uint64
_CHAR_MULT = _U64(0x100000001B3)
_SEQ_MULT = _U64(HASH_MULT)
_LEN_MULT = _U64(0xC2B2AE3D27D4EB4F)
_SEGMENT_SALT = _U64(0x5BD1E9955BD1E995)
_VARIANT_SALT = _U64(0x2545F4914F6CDD1D)
_DOC_SALT = _U64(0x27D4EB2F165667C5)
_FAMILY_SALT = _U64(0x94D049BB133111EB)


class _PrefixHash:
    """Prefix sums of a polynomial hash over a sequence, for O(1) slice hashes.

    ``raw(s, e) = sum_j values[j] * M**(j - s)`` modulo 2**64 (the multiplier
    ``M`` is odd, hence invertible), so the hash of a slice does not depend on
    where the slice sits.
    """

    powers: np.ndarray
    prefix: np.ndarray
    inv: np.ndarray

    def __init__(self, values: np.ndarray, like: _PrefixHash | None = None) -> None:
        n = len(values)
        if like is not None and len(like.powers) > n:
            # Same multiplier: reuse the powers of a longer sequence.
            powers, inv = like.powers[: n + 1], like.inv[: n + 1]
        else:
            powers = np.empty(n + 1, dtype=_U64)
            powers[0] = 1
            powers[1:] = _SEQ_MULT
            np.cumprod(powers, out=powers)
            inv = np.empty(n + 1, dtype=_U64)
            inv[0] = 1
            inv[1:] = _U64(pow(int(_SEQ_MULT), -1, 1 << 64))
            np.cumprod(inv, out=inv)
        prefix = np.zeros(n + 1, dtype=_U64)
        np.cumsum(values.astype(_U64, copy=False) * powers[:n], out=prefix[1:])
        self.powers, self.prefix, self.inv = powers, prefix, inv

    def raw(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        return (self.prefix[ends] - self.prefix[starts]) * self.inv[starts]

    def raw_without(self, starts: np.ndarray, ends: np.ndarray, skip: np.ndarray) -> np.ndarray:
        """Raw hash of ``values[starts:ends]`` with the element at ``skip`` deleted."""
        return self.raw(starts, skip) + self.raw(skip + 1, ends) * self.powers[skip - starts]


def _finish(raw: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    return fmix64(raw ^ (lengths.astype(_U64) * _LEN_MULT))


def _range_hashes(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Order-sensitive 64-bit hash of every slice ``values[starts[i]:ends[i]]``."""
    return _finish(_PrefixHash(values).raw(starts, ends), ends - starts)


def _hash_words(words: Sequence[str]) -> np.ndarray:
    """Hash words exactly as the batch tokeniser does (lower-cased code points)."""
    if not words:
        return np.zeros(0, dtype=_U64)
    text = " ".join(w.lower() for w in words)
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(_U64) + _U64(1)
    lengths = np.array([len(w.lower()) for w in words], dtype=np.int64)
    starts = np.zeros(len(words), dtype=np.int64)
    starts[1:] = np.cumsum(lengths + 1)[:-1]
    return _range_hashes(cp, starts, starts + lengths)


def _text_hash(text: str) -> int:
    """64-bit fingerprint of a whole text (to recognise fitted documents)."""
    data = text.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def _doc_keys(hashes: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """One key per (unit, document) pair."""
    return fmix64(hashes ^ ((docs.astype(_U64) + _U64(1)) * _DOC_SALT))


def _family_keys(hashes: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """One key per (unit, family) pair; ``codes`` < 0 means no family."""
    return fmix64(hashes ^ fmix64((codes.astype(_U64) + _U64(1)) * _FAMILY_SALT))
