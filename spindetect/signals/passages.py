"""Shared passages: aligned word runs between two texts, and their rarity in a corpus.

Two tools live here.

:func:`shared_passages` aligns two texts and returns the maximal word runs they
share (exact after normalisation: same :func:`spindetect.tokens.word_tokens`
terms, so case, punctuation and white space do not matter), with character
offsets into both *original* texts.  Runs are chosen greedily, longest first,
so that they do not overlap in either text, and are returned sorted by their
position in ``a``.  With ``bridge=1`` two runs that are separated by exactly one
differing word in *both* texts (a template sentence with a one-word slot, "the
best {keyword} for beginners") are merged into one passage; the merged passage
reports the number of bridged gaps in ``n_gaps``.  Exact passages have
``n_gaps == 0`` and their two slices have equal normalised terms.

:class:`PassageIndex` indexes the passages of a whole corpus -- every word
``ngram``-gram (a long run) and every sentence of ``min_sentence_words`` to
``ngram - 1`` words; n-grams do not cross sentence breaks -- with their
document frequency, and scores a pair of documents by the shared passages
weighted by rarity.  The weight of a passage
seen in ``df`` of ``N`` documents is ``min(1, log((N + 1) / df) / log 2)``: 1 for
a passage in at most about half of the documents, falling to 0 as it
approaches all of them (site-wide boilerplate is not template evidence).
Because passages are at least ``min_sentence_words`` long and mostly
``ngram`` words long, topic words and stock two- or three-word phrases ("in
this article") are never passages on their own.  A pair's evidence is the
number of words of each document covered by shared passages, each word counted
with the largest weight of a passage covering it, averaged over the two
documents; ``shared_rare = 1 - exp(-evidence / scale)`` turns it into
``[0, 1]`` (a shared rare sentence of ``scale`` words scores 0.63).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator

from .._constants import SENTENCE_END
from .._validation import Interval, Options, check_fitted, check_param, check_texts, validate_params
from ..text.tokens import TokenBatch, Tokens, fmix64, range_sums, token_batches, window_sums, word_tokens
from .lookup import HashTable, isin_sorted, run_starts, sorted_unique
from .spill import Mapped, Spill

__all__ = ["SharedPassage", "shared_passages", "PassageIndex"]



@dataclass(frozen=True)
class SharedPassage:
    """A passage two texts share.

    Attributes
    ----------
    a_start, a_end : int
        Character offsets of the passage in text ``a``.
    b_start, b_end : int
        Character offsets of the passage in text ``b``.
    text : str
        The passage as written in ``a`` (``a[a_start:a_end]``).
    n_words : int
        Number of word tokens of the passage in ``a``.
    n_gaps : int
        Number of one-word gaps bridged inside the passage (0: exact).
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    text: str
    n_words: int
    n_gaps: int = 0

    def to_dict(self) -> dict:
        """Return the passage as a JSON-serialisable dict."""
        return {
            "a_start": self.a_start,
            "a_end": self.a_end,
            "b_start": self.b_start,
            "b_end": self.b_end,
            "text": self.text,
            "n_words": self.n_words,
            "n_gaps": self.n_gaps,
        }


def maximal_runs(ta: Sequence[str], tb: Sequence[str], seed: int) -> list[tuple[int, int, int]]:
    """All maximal common runs ``(i, j, length)`` with ``length >= seed``."""
    if len(ta) < seed or len(tb) < seed:
        return []
    index: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(tb) - seed + 1):
        index.setdefault(tuple(tb[j : j + seed]), []).append(j)
    runs = []
    na, nb = len(ta), len(tb)
    for i in range(na - seed + 1):
        hits = index.get(tuple(ta[i : i + seed]))
        if not hits:
            continue
        for j in hits:
            if i > 0 and j > 0 and ta[i - 1] == tb[j - 1]:
                continue  # not left-maximal: found from an earlier start
            length = seed
            while i + length < na and j + length < nb and ta[i + length] == tb[j + length]:
                length += 1
            runs.append((i, j, length))
    return runs


def clean_bounds(tok: Tokens) -> tuple[np.ndarray, np.ndarray]:
    """Which token indices may start / end a passage (NFKC can split one token in pieces)."""
    n = len(tok)
    first = np.ones(n, dtype=bool)
    last = np.ones(n, dtype=bool)
    if n > 1:
        same = tok.starts[1:] == tok.starts[:-1]
        first[1:] = ~same
        last[:-1] = ~same
    return first, last


def select_runs(
    runs: list[tuple[int, int, int]],
    na: int,
    nb: int,
    clean_a: tuple[np.ndarray, np.ndarray],
    clean_b: tuple[np.ndarray, np.ndarray],
    min_len: int,
) -> list[tuple[int, int, int]]:
    """Greedy longest-first choice of runs that overlap in neither text."""
    used_a = np.zeros(na, dtype=bool)
    used_b = np.zeros(nb, dtype=bool)
    chosen = []
    for i, j, length in sorted(runs, key=lambda r: (-r[2], r[0], r[1])):
        free = ~used_a[i : i + length] & ~used_b[j : j + length]
        if not free.all():
            # keep the longest free stretch of the run
            best_s, best_l, s = 0, 0, None
            for k, f in enumerate(np.append(free, False)):
                if f and s is None:
                    s = k
                elif not f and s is not None:
                    if k - s > best_l:
                        best_s, best_l = s, k - s
                    s = None
            i, j, length = i + best_s, j + best_s, best_l
        # trim to clean token boundaries in both texts
        while length > 0 and not (clean_a[0][i] and clean_b[0][j]):
            i, j, length = i + 1, j + 1, length - 1
        while length > 0 and not (clean_a[1][i + length - 1] and clean_b[1][j + length - 1]):
            length -= 1
        if length < min_len:
            continue
        used_a[i : i + length] = True
        used_b[j : j + length] = True
        chosen.append((i, j, length))
    chosen.sort()
    return chosen


def shared_passages(
    a: str,
    b: str,
    *,
    min_words: int = 8,
    bridge: int = 0,
    seed_words: int = 4,
) -> list[SharedPassage]:
    """Aligned maximal word runs that two texts share.

    Parameters
    ----------
    a, b : str
        The two original texts.
    min_words : int, default=8
        Shortest passage returned, in words.
    bridge : int, default=0
        0 for exact passages only.  1 to merge two runs separated by exactly
        one differing word in both texts (a slot) when that word of ``b`` is
        not part of another passage; runs of at least ``seed_words`` words
        are then merged before the ``min_words`` filter.
    seed_words : int, default=4
        Shortest run that may take part in a bridged passage (only used when
        ``bridge > 0``).

    Returns
    -------
    list of SharedPassage
        Sorted by ``a_start``; no two overlap in ``a`` nor in ``b``, and their
        order in ``b`` may differ from their order in ``a`` (moved passages are
        found too).

    Raises
    ------
    TypeError
        If ``a`` or ``b`` is not a ``str``.
    ValueError
        If ``min_words < 1``, ``bridge`` is not 0 or 1, or ``seed_words < 1``.
    """
    for name, t in (("a", a), ("b", b)):
        if not isinstance(t, str):
            raise TypeError(f"shared_passages: {name} must be a str, got {type(t).__name__}")
    check_param("min_words", min_words, [Interval(Integral, 1, None, closed="left")])
    check_param("bridge", bridge, [Options((0, 1))])
    check_param("seed_words", seed_words, [Interval(Integral, 1, None, closed="left")])
    tok_a, tok_b = word_tokens(a), word_tokens(b)
    ta, tb = tok_a.terms, tok_b.terms
    seed = min(min_words, seed_words) if bridge else min_words
    runs = maximal_runs(ta, tb, seed)
    chosen = select_runs(runs, len(ta), len(tb), clean_bounds(tok_a), clean_bounds(tok_b), seed)
    merged = _bridged(chosen, len(tb)) if bridge else [(i, j, n, n, 0) for i, j, n in chosen]
    return [_passage(a, tok_a, tok_b, run) for run in merged if run[2] >= min_words]


def _bridged(chosen: Sequence[tuple[int, int, int]], n_b: int) -> list[tuple[int, int, int, int, int]]:
    """Runs ``(i, j, length)`` merged across one differing word: ``(i, j, length_a, length_b, gaps)``.

    Two consecutive runs merge when exactly one word separates them in both
    texts and that word of ``b`` belongs to no other run.
    """
    used_b = np.zeros(n_b, dtype=bool)
    for i, j, length in chosen:
        used_b[j : j + length] = True
    merged: list[tuple[int, int, int, int, int]] = []
    for i, j, length in chosen:
        if merged:
            pi, pj, pla, plb, pg = merged[-1]
            if i == pi + pla + 1 and j == pj + plb + 1 and not used_b[j - 1]:
                merged[-1] = (pi, pj, pla + 1 + length, plb + 1 + length, pg + 1)
                continue
        merged.append((i, j, length, length, 0))
    return merged


def _passage(a: str, tok_a: Tokens, tok_b: Tokens, run: tuple[int, int, int, int, int]) -> SharedPassage:
    """The passage of a run ``(i, j, length_a, length_b, gaps)``: character bounds in both texts."""
    i, j, la, lb, gaps = run
    a0, a1 = int(tok_a.starts[i]), int(tok_a.ends[i + la - 1])
    b0, b1 = int(tok_b.starts[j]), int(tok_b.ends[j + lb - 1])
    return SharedPassage(a_start=a0, a_end=a1, b_start=b0, b_end=b1, text=a[a0:a1], n_words=la, n_gaps=gaps)


_SENT_BREAKS = SENTENCE_END.encode() + b";:\n"  # sentence breaks in the normalised text (NFKC turns U+2026 into "...")
_SENT_SALT = np.uint64(0xC2B2AE3D27D4EB4F)


class _Csr(NamedTuple):
    """Passages of many documents: hash and token span, document after document."""

    hashes: np.ndarray
    start: np.ndarray
    end: np.ndarray
    indptr: np.ndarray

    @staticmethod
    def concat(parts: Sequence[_Csr]) -> _Csr:
        if not parts:
            empty = np.zeros(0, np.int32)
            return _Csr(np.zeros(0, np.uint32), empty, empty, np.zeros(1, np.int64))
        sizes = [len(p.hashes) for p in parts]
        shifts = np.repeat(np.r_[0, np.cumsum(sizes)[:-1]], [len(p.indptr) - 1 for p in parts])
        indptr = np.r_[np.concatenate([p.indptr[:-1] for p in parts]) + shifts, sum(sizes)].astype(np.int64)
        return _Csr(
            np.concatenate([p.hashes for p in parts]),
            np.concatenate([p.start for p in parts]),
            np.concatenate([p.end for p in parts]),
            indptr,
        )


_LOW32 = np.uint64(0xFFFFFFFF)


def _merge_by_start(a: _Csr, b: _Csr) -> _Csr:
    """Merge two passage layouts of the same documents, each sorted by start within a document."""
    n_docs = len(a.indptr) - 1
    ka = (np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(a.indptr)) << 32) | a.start.astype(np.int64)
    kb = (np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(b.indptr)) << 32) | b.start.astype(np.int64)
    pos_a = np.arange(len(ka)) + np.searchsorted(kb, ka, side="left")
    pos_b = np.arange(len(kb)) + np.searchsorted(ka, kb, side="right")
    del ka, kb
    out = []
    for name in ("hashes", "start", "end"):
        x, y = getattr(a, name), getattr(b, name)
        z = np.empty(len(x) + len(y), dtype=x.dtype)
        z[pos_a] = x
        z[pos_b] = y
        out.append(z)
    return _Csr(out[0], out[1], out[2], a.indptr + b.indptr)


def _distinct_per_doc(occ: _Csr) -> tuple[np.ndarray, np.ndarray]:
    """Every document's distinct passage hashes (sorted, document after document) and their number."""
    n_docs = len(occ.indptr) - 1
    occ_doc = np.repeat(np.arange(n_docs, dtype=np.uint64), np.diff(occ.indptr))
    keys = sorted_unique((occ_doc << np.uint64(32)) | occ.hashes.astype(np.uint64))
    del occ_doc
    counts = np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=n_docs)
    return (keys & _LOW32).astype(np.uint32), counts


#: Passage occurrences (hash, start, end: 12 bytes each) kept in memory up to this many bytes;
#: beyond, they are written to temporary files and mapped back read-only
#: (:mod:`spindetect.signals.spill`): 100,000 generated documents have some 60M (700 MB).
_OCC_MEMORY_BYTES = 64 << 20

#: Keys looked up in the passage table at a time (its ``find`` holds about 40 bytes a key).
_FIND_CHUNK = 1 << 22

#: Pairs scored between two releases of the mapped occurrences' pages.
_RELEASE_PAIRS = 4096


class _OccStore:
    """Passage occurrences of a corpus, batch after batch: in memory, then spilled past the budget."""

    def __init__(self) -> None:
        self.parts: list[_Csr] = []
        self.counts: list[np.ndarray] = []
        self.n_bytes = 0
        self.spills: tuple[Spill, Spill, Spill] | None = None

    def add(self, occ: _Csr) -> None:
        self.counts.append(np.diff(occ.indptr))
        self.n_bytes += occ.hashes.nbytes + occ.start.nbytes + occ.end.nbytes
        self.parts.append(occ)
        if self.spills is None and self.n_bytes > _OCC_MEMORY_BYTES:
            self.spills = (Spill(np.uint32), Spill(np.int32), Spill(np.int32))
        if self.spills is not None:
            for part in self.parts:
                for spill, values in zip(self.spills, part[:3]):
                    spill.append(values)
            self.parts = []

    def finish(self) -> tuple[_Csr, tuple[Mapped, ...]]:
        """The occurrences of every document, and the maps to release after reading (none in memory)."""
        indptr = np.zeros(sum(len(c) for c in self.counts) + 1, dtype=np.int64)
        if self.counts:
            np.cumsum(np.concatenate(self.counts), out=indptr[1:])
        if self.spills is None:
            whole = _Csr.concat(self.parts)
            return _Csr(whole.hashes, whole.start, whole.end, indptr), ()
        maps = tuple(spill.mapped() for spill in self.spills)
        return _Csr(maps[0].array, maps[1].array, maps[2].array, indptr), maps


def _indptr(doc: np.ndarray, n_docs: int) -> np.ndarray:
    out = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(doc, minlength=n_docs), out=out[1:])
    return out


class PassageIndex(BaseEstimator):
    """Corpus index of passages with document frequencies.

    Parameters
    ----------
    ngram : int, default=8
        Words per long-run passage (word n-gram).
    min_sentence_words : int, default=5
        Sentences of ``min_sentence_words`` to ``ngram - 1`` words are passages
        too (longer sentences are covered by their n-grams).
    scale : float, default=20.0
        Words of rare shared passage that give ``shared_rare = 1 - 1/e``.

    Attributes
    ----------
    n_docs_ : int
        Number of indexed documents.
    vocab_ : numpy.ndarray of uint32
        Sorted distinct hashes of the passages of two or more documents (a
        passage of one document is never shared, so it is not kept).
    df_ : numpy.ndarray of int64
        Document frequency of each hash in ``vocab_``.
    """

    def __init__(self, *, ngram: int = 8, min_sentence_words: int = 5, scale: float = 20.0):
        self.ngram = ngram
        self.min_sentence_words = min_sentence_words
        self.scale = scale

    def fit(self, texts: Sequence[str]) -> PassageIndex:
        """Index the passages of a corpus.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        self
        """
        return self._fit_batches(token_batches(check_texts(texts, "PassageIndex.fit")))

    _parameter_constraints: dict = {
        "ngram": [Interval(Integral, 2, None, closed="left")],
        "min_sentence_words": [Interval(Integral, 1, None, closed="left")],
        "scale": [Interval(Real, 0, None, closed="neither")],
    }

    def _fit_batches(self, batches: Iterable[TokenBatch]) -> PassageIndex:
        """Fit on the token batches of the corpus, in document order, one batch at a time.

        Each batch's passages are merged by position and stored (spilled to a
        mapped file past :data:`_OCC_MEMORY_BYTES`); only every document's
        distinct passage hashes stay in memory for the frequencies.
        """
        validate_params(self)
        store = _OccStore()
        doc_keys: list[np.ndarray] = []
        key_counts: list[np.ndarray] = []
        n_tokens: list[np.ndarray] = []
        for b in batches:
            ngram, sent, nt = self._batch_passages(b)
            occ = _merge_by_start(ngram, sent)
            del ngram, sent
            keys, counts = _distinct_per_doc(occ)
            doc_keys.append(keys)
            key_counts.append(counts)
            n_tokens.append(nt)
            store.add(occ)
        self._occ, self._occ_maps = store.finish()
        self._n_tokens = np.concatenate(n_tokens) if n_tokens else np.zeros(0, np.int64)
        n_docs = len(self._n_tokens)
        self.n_docs_ = n_docs
        # every document's distinct passages, document-major
        self._doc_keys = np.concatenate(doc_keys) if doc_keys else np.zeros(0, np.uint32)
        self._doc_indptr = np.zeros(n_docs + 1, dtype=np.int64)
        if key_counts:
            np.cumsum(np.concatenate(key_counts), out=self._doc_indptr[1:])
        del doc_keys, key_counts
        self._keep_shared()
        # passages in more than half of the documents weigh less than 1 (few of them)
        heavy = self.df_ > (n_docs + 1) / 2
        self._heavy = self.vocab_[heavy]
        return self

    def _keep_shared(self) -> None:
        """Document frequencies of the passages of two or more documents; drop every other passage's keys.

        Only shared passages are ever looked up (a pair's coverage, candidate
        runs), and most passages of a corpus occur once: on 100,000 generated
        documents the full vocabulary took ~1 GB.  The documents of each
        passage are not kept (only candidate search reads them, see _runs).
        """
        row_hash = np.sort(self._doc_keys)
        repeat = row_hash[1:][row_hash[1:] == row_hash[:-1]]  # every occurrence after a passage's first
        del row_hash
        first = run_starts(repeat)
        self.vocab_ = repeat[first]
        self.df_ = np.diff(np.r_[first, len(repeat)]).astype(np.int64) + 1
        del repeat, first
        self._table = HashTable(self.vocab_, self.df_)
        shared = np.empty(len(self._doc_keys), dtype=bool)
        for lo in range(0, len(shared), _FIND_CHUNK):  # a chunk at a time: find() holds 5 int64 a key
            shared[lo : lo + _FIND_CHUNK] = self._table.find(self._doc_keys[lo : lo + _FIND_CHUNK]) >= 0
        kept = np.zeros(len(shared) + 1, dtype=np.int32 if len(shared) < 2**31 else np.int64)
        np.cumsum(shared, out=kept[1:])
        self._doc_keys = self._doc_keys[shared]
        self._doc_indptr = kept[self._doc_indptr].astype(np.int64)

    def _runs(self, min_df: int, max_df: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Passages held by ``min_df`` to ``max_df`` documents: ``(docs, hashes, starts, sizes)``.

        ``docs[starts[k] : starts[k] + sizes[k]]`` are the documents of passage
        ``hashes[k]``, in increasing order.
        """
        check_fitted(self, "vocab_")
        doc = np.repeat(np.arange(self.n_docs_, dtype=np.uint64), np.diff(self._doc_indptr))
        rows = np.sort((self._doc_keys.astype(np.uint64) << np.uint64(32)) | doc)
        del doc
        row_doc = (rows & _LOW32).astype(np.int64)
        del rows
        row_start = np.cumsum(self.df_) - self.df_
        ok = (self.df_ >= min_df) & (self.df_ <= max_df)
        return row_doc, self.vocab_[ok], row_start[ok], self.df_[ok]

    def _batch_passages(self, b: TokenBatch) -> tuple[_Csr, _Csr, np.ndarray]:
        """N-grams and short sentences of a batch: hashes, token positions, per-document offsets."""
        n = int(self.ngram)
        th, indptr = b.hashes, b.indptr
        n_docs = b.n_docs
        nt = np.diff(indptr)
        n_tok = len(th)
        doc = np.repeat(np.arange(n_docs, dtype=np.int64), nt)
        first = indptr[:-1]
        # sentence number of every token: sentence breaks counted before it
        sid = np.searchsorted(b.byte_positions(_SENT_BREAKS), b.starts)
        # n-grams: windows inside one document and one sentence
        m = max(n_tok - n + 1, 0)
        start = np.arange(m, dtype=np.int64)
        ok = (start + n <= indptr[1:][doc[:m]]) & (sid[:m] == sid[n - 1 : n - 1 + m])
        g_start = start[ok]
        g_hash = (fmix64(window_sums(th, n, m)[ok] ^ np.uint64(n)) >> np.uint64(32)).astype(np.uint32)
        g_doc = doc[g_start]
        # sentences: runs of one sentence number inside a document
        new_run = np.ones(n_tok, dtype=bool)
        if n_tok:
            new_run[1:] = (sid[1:] != sid[:-1]) | (doc[1:] != doc[:-1])
        s_start = np.flatnonzero(new_run)
        s_end = np.r_[s_start[1:], n_tok].astype(np.int64)
        s_len = s_end - s_start
        s_doc = doc[s_start]
        whole = (s_len == nt[s_doc]) & (s_len < n)  # a short document of one sentence
        keep = ((s_len >= self.min_sentence_words) & (s_len < n)) | whole
        s_start, s_end, s_len, s_doc = s_start[keep], s_end[keep], s_len[keep], s_doc[keep]
        s_hash = (
            (fmix64(range_sums(th, s_start, s_end) ^ (s_len.astype(np.uint64) * _SENT_SALT)) >> np.uint64(32))
            .astype(np.uint32)
        ) ^ np.uint32(0x5BD1E995)
        ngram = _Csr(
            hashes=g_hash,
            start=(g_start - first[g_doc]).astype(np.int32),
            end=(g_start - first[g_doc] + n).astype(np.int32),
            indptr=_indptr(g_doc, n_docs),
        )
        sent = _Csr(
            hashes=s_hash,
            start=(s_start - first[s_doc]).astype(np.int32),
            end=(s_end - first[s_doc]).astype(np.int32),
            indptr=_indptr(s_doc, n_docs),
        )
        return ngram, sent, nt.astype(np.int64)

    def weights(self, hashes: np.ndarray) -> np.ndarray:
        """Rarity weight of passage hashes, in ``[0, 1]`` (0 for hashes not in ``vocab_``).

        A passage of a single document weighs 0 here, like an unknown one: it
        is not kept (see ``vocab_``); it is never shared by two documents.

        Parameters
        ----------
        hashes : numpy.ndarray of uint32

        Returns
        -------
        numpy.ndarray of float64
        """
        check_fitted(self, "vocab_")
        return self._weights(np.asarray(hashes, dtype=np.uint32), unknown_df=0)

    def _weights(self, hashes: np.ndarray, unknown_df: int) -> np.ndarray:
        """Rarity weights; a hash not in ``vocab_`` counts as in ``unknown_df`` documents.

        1 for the passages of the fitted documents themselves: a passage not
        in ``vocab_`` is in one document only.
        """
        w = np.zeros(len(hashes), dtype=np.float64)
        df = self._table.get(hashes) if len(self.vocab_) else np.zeros(len(hashes), np.int64)
        df[df == 0] = unknown_df
        ok = df > 0
        w[ok] = np.minimum(1.0, np.log((self.n_docs_ + 1) / df[ok]) / math.log(2.0))
        return w

    def _coverage(self, d: int, other: int) -> float:
        """Rarity-weighted number of words of ``d`` covered by passages shared with ``other``.

        Each word counts with the largest weight of a shared passage covering
        it.  Usually every shared passage weighs 1 (it is in at most half of
        the documents) and the count is the length of the union of their
        token spans.
        """
        occ = self._occ
        lo, hi = occ.indptr[d], occ.indptr[d + 1]
        if d == other:  # every passage is shared with the document itself
            shared = np.ones(hi - lo, dtype=bool)
        else:
            theirs = self._doc_keys[self._doc_indptr[other] : self._doc_indptr[other + 1]]
            if hi == lo or len(theirs) == 0:
                return 0.0
            shared = isin_sorted(occ.hashes[lo:hi], theirs)
        starts, ends = occ.start[lo:hi][shared], occ.end[lo:hi][shared]
        if len(starts) == 0:
            return 0.0
        w = None
        if len(self._heavy):
            hashes = occ.hashes[lo:hi][shared]
            if isin_sorted(hashes, self._heavy).any():
                w = self._weights(hashes, unknown_df=1)
        if w is None:
            # starts are sorted: a span adds what lies past every earlier span's end
            reach = np.maximum.accumulate(ends)
            return float(np.maximum(ends[1:] - np.maximum(starts[1:], reach[:-1]), 0).sum() + (ends[0] - starts[0]))
        cover = np.zeros(int(self._n_tokens[d]), dtype=np.float64)
        for a, b, wt in zip(starts.tolist(), ends.tolist(), w.tolist()):
            np.maximum(cover[a:b], wt, out=cover[a:b])
        return float(cover.sum())

    def evidence(self, pairs: np.ndarray) -> np.ndarray:
        """Rarity-weighted shared words of each pair (mean of both sides).

        Parameters
        ----------
        pairs : array-like of int, shape (m, 2)

        Returns
        -------
        numpy.ndarray of float64, shape (m,)
        """
        check_fitted(self, "vocab_")
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        out = np.zeros(len(pairs), dtype=np.float64)
        for p, (i, j) in enumerate(pairs.tolist()):
            if i == j:
                out[p] = self._coverage(i, i)
            else:
                out[p] = 0.5 * (self._coverage(i, j) + self._coverage(j, i))
            if p % _RELEASE_PAIRS == _RELEASE_PAIRS - 1:
                self._release()
        self._release()
        return out

    def _release(self) -> None:
        """Drop the pages of the spilled occurrences read so far (they are read again when needed)."""
        for m in getattr(self, "_occ_maps", ()):
            m.release()

    def score_pairs(self, pairs: np.ndarray) -> np.ndarray:
        """``shared_rare`` of each pair: ``1 - exp(-evidence / scale)``, in ``[0, 1]``.

        Parameters
        ----------
        pairs : array-like of int, shape (m, 2)

        Returns
        -------
        numpy.ndarray of float64, shape (m,)
        """
        ev = self.evidence(pairs)
        return np.clip(1.0 - np.exp(-ev / self.scale), 0.0, 1.0)
