"""Generator style: function-word, punctuation and length profiles of each document.

Pages from one generator (one LLM prompt, one farm script) share a voice even
when they share no sentence: how often they use each function word, which
punctuation they favour (dashes, colons, parentheses), how long their
sentences and their lines are.  :class:`StyleProfiles` computes, for every
document, four profiles (vectorised over batches of tokens and bytes, with
one regex split per document for the length histograms):

``style_function``
    cosine of the relative frequencies of English function words
    (:data:`spindetect._constants.FUNCTION_WORDS`);
``style_punct``
    cosine of the rates of :data:`PUNCTUATION` characters;
``sentence_len_dist``
    total-variation distance of the histograms of sentence lengths in words
    (0 = same distribution, 1 = disjoint);
``line_len_dist``
    total-variation distance of the histograms of line (paragraph) lengths.

Feed it texts with site chrome removed (:class:`~spindetect.signals.repeated.RepeatedLines`):
menus would otherwise make every page of a site look alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.exceptions import NotFittedError

from .._constants import FUNCTION_WORDS
from .._validation import reject_bare_str
from ..text.tokens import TokenBatch, hash_terms, token_batches
from .lookup import HashTable

__all__ = ["StyleProfiles", "STYLE_SCORES", "PUNCTUATION"]

#: Names of the scores of :meth:`StyleProfiles.score_pairs`.
STYLE_SCORES = ("style_function", "style_punct", "sentence_len_dist", "line_len_dist")
#: Punctuation characters whose rates make the punctuation profile (ASCII only: one byte each).
PUNCTUATION = ",.;:!?()\"'-*#|/&%$[]"
_FUNCTION_WORDS = tuple(sorted(FUNCTION_WORDS))
# Upper bounds (words) of the length histogram bins; longer is the last bin.
_SENTENCE_BINS = np.array([5, 10, 15, 20, 25, 30, 40, 60])
_LINE_BINS = np.array([1, 3, 8, 15, 30, 60, 100, 200])
_SENTENCE_RE = re.compile(r"[.!?]+(?:\s|$)")


def _histogram(lengths: list[int], bins: np.ndarray) -> np.ndarray:
    counts = np.bincount(np.searchsorted(bins, lengths), minlength=len(bins) + 1).astype(float)
    return counts / max(counts.sum(), 1.0)


def _row_normalise(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


#: Pairs scored at a time: the profile rows of both sides are gathered per block (a few KB a
#: pair), where gathering them for all 300k candidates of 100k documents took some 1.1 GB.
_PAIR_BLOCK = 16384


class StyleProfiles:
    """Style profiles of a corpus and their pair similarities.

    Attributes
    ----------
    function_ : numpy.ndarray, shape (n_docs, n_function_words)
        L2-normalised function-word frequencies.
    punct_ : numpy.ndarray, shape (n_docs, len(PUNCTUATION))
        L2-normalised punctuation rates.
    sentence_lengths_, line_lengths_ : numpy.ndarray
        Length histograms (rows sum to 1, or 0 for an empty document).
    """

    def fit(self, texts: Sequence[str]) -> StyleProfiles:
        """Compute the profiles of every text.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        self
        """
        reject_bare_str(texts, 'StyleProfiles.fit')
        texts = list(texts)
        table = HashTable(hash_terms(list(_FUNCTION_WORDS)), np.arange(len(_FUNCTION_WORDS)))
        func, punct = [], []
        for batch in token_batches(texts):
            f, p = self._batch_counts(batch, table)
            func.append(f)
            punct.append(p)
        nf, npunct = len(_FUNCTION_WORDS), len(PUNCTUATION)
        self.function_ = _row_normalise(np.concatenate(func) if func else np.zeros((0, nf)))
        self.punct_ = _row_normalise(np.concatenate(punct) if punct else np.zeros((0, npunct)))
        self.sentence_lengths_ = np.array(
            [_histogram([len(s.split()) for s in _SENTENCE_RE.split(t) if s.strip()], _SENTENCE_BINS) for t in texts]
        ).reshape(len(texts), len(_SENTENCE_BINS) + 1)
        self.line_lengths_ = np.array(
            [_histogram([len(ln.split()) for ln in t.split("\n") if ln.strip()], _LINE_BINS) for t in texts]
        ).reshape(len(texts), len(_LINE_BINS) + 1)
        return self

    @staticmethod
    def _batch_counts(batch: TokenBatch, table: HashTable) -> tuple[np.ndarray, np.ndarray]:
        """Function-word counts and punctuation counts of a batch, one row per document."""
        n, nf = batch.n_docs, len(_FUNCTION_WORDS)
        docs = np.repeat(np.arange(n), np.diff(batch.indptr))
        pos = table.find(batch.hashes)
        hit = pos >= 0
        func = np.bincount(docs[hit] * nf + table.values[pos[hit]], minlength=n * nf).reshape(n, nf)
        code = np.full(256, -1, np.int64)
        code[np.frombuffer(PUNCTUATION.encode(), np.uint8)] = np.arange(len(PUNCTUATION))
        where = batch.byte_positions(PUNCTUATION.encode())
        pdoc = np.searchsorted(batch.doc_offsets, where, side="right") - 1
        npunct = len(PUNCTUATION)
        punct = np.bincount(pdoc * npunct + code[batch.buf[where]], minlength=n * npunct).reshape(n, npunct)
        return func.astype(float), punct.astype(float)

    def score_pairs(self, pairs: np.ndarray) -> dict[str, np.ndarray]:
        """The style scores of each pair (see the module docstring).

        Parameters
        ----------
        pairs : array-like of int, shape (m, 2)

        Returns
        -------
        dict of str to numpy.ndarray of float64
        """
        if not hasattr(self, "function_"):
            raise NotFittedError("this StyleProfiles is not fitted yet; call fit() first")
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        parts = [self._score_block(pairs[lo : lo + _PAIR_BLOCK]) for lo in range(0, len(pairs), _PAIR_BLOCK)]
        if not parts:
            return self._score_block(pairs)
        return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}

    def _score_block(self, pairs: np.ndarray) -> dict[str, np.ndarray]:
        """The scores of a block of pairs (their profile rows are gathered for the block only)."""
        a, b = pairs[:, 0], pairs[:, 1]
        return {
            "style_function": np.einsum("ij,ij->i", self.function_[a], self.function_[b]),
            "style_punct": np.einsum("ij,ij->i", self.punct_[a], self.punct_[b]),
            "sentence_len_dist": 0.5 * np.abs(self.sentence_lengths_[a] - self.sentence_lengths_[b]).sum(axis=1),
            "line_len_dist": 0.5 * np.abs(self.line_lengths_[a] - self.line_lengths_[b]).sum(axis=1),
        }
