"""Outlines: the heading-like lines of each document with its topic words masked.

Pages written from one prompt or one skeleton share their section titles
("Why I wrote this (the problem I kept hitting)", "Prerequisites", "Fix 1 --
the most common cause") with the page's keyword filled in, but almost no
sentences.  :class:`OutlineIndex` keeps, for every document, the sequence of
its heading-like blocks (headings, short lines, list items; see
:func:`spindetect.signals.layout.blocks`) as *keys*: the case-folded words of
the line with numbers replaced by ``#`` and the document's *topic words*
replaced by ``_``.  A topic word is frequent in its document (at least
``topic_min_count`` times) and rare in the corpus (in at most
``topic_max_df`` of the documents, and at least 2): the keyword a farm pours
into its skeleton.  So "Best Bars in Austin" and "Best Bars in Denver" give one
key.

Pair scores (all symmetric; see :meth:`OutlineIndex.score_pairs`):

``outline``
    the rarity-weighted Jaccard of the two key sets (a key's weight is its
    inverse document frequency, so "Conclusion" counts less than a farm's own
    section title);
``outline_shared``
    the number of distinct keys both documents hold (at most 20);
``outline_runs``
    in how many separate runs the shared keys appear, in document order, in
    the document where they are fewer (at most 20).  A template's headings
    alternate with its free text (many runs); site chrome (menus, footers)
    sits in one or two blocks at the top and the bottom (one or two runs);
``outline_body``
    the shared keys that head *different prose* in both documents: a key
    counts when, in each document, one of its blocks is followed within two
    blocks by a paragraph the other document does not hold.  Each key
    counts by its rarity (its inverse document frequency over that of a key
    of two documents, at most 1), summed (at most 20).  A template's section
    titles head each page's own text; site chrome (menus, sidebars, comment
    forms) sits among lines and blurbs every page of the site repeats, and
    generic chrome ("About", "0 Comments") is held by many documents.
    Measured (issue 10, 2026-12-01, :class:`OutlineIndex` on templated-dev
    and on dragnet-train with its site chrome masked): the six kubaik
    families' pairs share a median of 5 such keys (weighted 3.9), same-site
    dragnet page pairs 0 (90th percentile 3, weighted 1.9), same-topic
    independent templated-dev pages 0 (the plain ``outline_shared``:
    kubaik 7-10, same-site dragnet 57).

Candidates: documents sharing at least ``min_shared`` keys held by at most
``max_df`` documents, the best ``max_candidates`` a document, within a pair
budget (:func:`spindetect.signals.structure.shared_key_pairs`), so a family
whose pages share only an outline becomes candidates in linear time.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real

import numpy as np
from sklearn.exceptions import NotFittedError

from .._validation import Interval, reject_bare_str, validate_params
from ..text.tokens import fmix64, given_or_content_ranks, hash_terms, token_batches
from .layout import _words, blocks
from .lookup import HashTable, run_starts
from .structure import shared_key_pairs

__all__ = ["OutlineIndex", "OUTLINE_SCORES"]

#: Names of the scores of :meth:`OutlineIndex.score_pairs`.
OUTLINE_SCORES = ("outline", "outline_shared", "outline_runs", "outline_body")
#: Blocks after a heading-like block in which a paragraph makes it the head of that paragraph.
_HEAD_REACH = 2
_CAP = 20


def _count_runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of ``keys`` and how often each occurs."""
    keys = np.sort(keys)
    starts = run_starts(keys)
    return keys[starts], np.diff(np.r_[starts, len(keys)])


class _DocFrequency:
    """Document frequency of word hashes, merged batch by batch (sorted keys + counts)."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, np.uint64)
        self.counts = np.zeros(0, np.int64)

    def add(self, distinct: np.ndarray) -> None:
        keys = np.concatenate([self.keys, distinct])
        counts = np.concatenate([self.counts, np.ones(len(distinct), np.int64)])
        order = np.argsort(keys, kind="stable")
        keys, counts = keys[order], counts[order]
        starts = run_starts(keys)
        self.keys = keys[starts]
        self.counts = np.add.reduceat(counts, starts) if len(starts) else counts[:0]

    def of(self, queries: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(self.keys, queries)
        pos = np.minimum(pos, max(len(self.keys) - 1, 0))
        hit = (self.keys[pos] == queries) if len(self.keys) else np.zeros(len(queries), bool)
        return np.where(hit, self.counts[pos] if len(self.keys) else 0, 0)


class OutlineIndex:
    """Heading keys of every document, their rarity, candidate pairs and pair scores.

    Parameters
    ----------
    topic_min_count : int, default=2
        Occurrences in a document from which a rare word is one of its topic words.
    topic_max_df : float, default=0.05
        Largest share of the documents holding a topic word.
    max_df : float, default=0.05
        Keys held by more than this share of the documents and more than
        ``max_run`` documents propose no candidates.
    min_shared : int, default=2
        Distinct shared keys two documents need to become candidates.
    max_candidates : int, default=5
        Candidates kept per document (and those tied with the last of them, up to twice as many).
    pair_budget : int, default=64
        Pairs emitted per document at most, rarest keys first.
    max_run : int, default=64
        Largest key run that emits all its pairs (larger runs emit a star and a chain).

    Attributes
    ----------
    n_docs_ : int
    keys_ : list of numpy.ndarray of uint64
        One key per block of each document, in document order (0 for a
        paragraph or a line of topic words and numbers only).
    candidate_pairs_ : numpy.ndarray of int64, shape (m, 2)
    """

    _parameter_constraints: dict = {
        "topic_min_count": [Interval(Integral, 1, None, closed="left")],
        "topic_max_df": [Interval(Real, 0, 1, closed="right")],
        "max_df": [Interval(Real, 0, 1, closed="right")],
        "min_shared": [Interval(Integral, 1, None, closed="left")],
        "max_candidates": [Interval(Integral, 1, None, closed="left")],
        "pair_budget": [Interval(Integral, 1, None, closed="left")],
        "max_run": [Interval(Integral, 2, None, closed="left")],
    }

    def __init__(
        self,
        *,
        topic_min_count: int = 2,
        topic_max_df: float = 0.05,
        max_df: float = 0.05,
        min_shared: int = 2,
        max_candidates: int = 5,
        pair_budget: int = 64,
        max_run: int = 64,
    ) -> None:
        self.topic_min_count = topic_min_count
        self.topic_max_df = topic_max_df
        self.max_df = max_df
        self.min_shared = min_shared
        self.max_candidates = max_candidates
        self.pair_budget = pair_budget
        self.max_run = max_run

    def fit(self, texts: Sequence[str], ranks: np.ndarray | None = None) -> OutlineIndex:
        """Compute every document's heading keys and the candidate pairs.

        Parameters
        ----------
        texts : sequence of str
        ranks : numpy.ndarray of uint64, optional
            ``content_ranks(texts)`` (:func:`~spindetect.text.tokens.content_ranks`)
            when the caller has them already; computed when not given.

        Returns
        -------
        self
        """
        reject_bare_str(texts, 'OutlineIndex.fit')
        validate_params(self)
        texts = list(texts)
        n = len(texts)
        self.n_docs_ = n
        topics = self._topic_words(texts)
        self.keys_, heads, paras = [], [], []
        for text, topic in zip(texts, topics):
            keys, para = self._keys(text, topic)
            self.keys_.append(keys)
            heads.append(_heads(keys, para))
            paras.append(np.unique(para[para != 0]))
        self._heads = _flat(heads)
        self._paras = _flat([(p,) for p in paras])
        self._sets = [np.unique(k[k != 0]) for k in self.keys_]
        keys, counts = _count_runs(np.concatenate(self._sets) if self._sets else np.zeros(0, np.uint64))
        self._weight = HashTable(keys, np.log((n + 1.0) / (counts + 1.0)))
        self._df = HashTable(keys, counts)
        self._flatten()
        self._ranks = given_or_content_ranks(ranks, texts, 0, "OutlineIndex.fit")  # ties by content, not position
        self.candidate_pairs_ = self._candidates()
        return self

    def _topic_words(self, texts: list[str]) -> list[np.ndarray]:
        """Per document: hashes of words frequent in it and rare in the corpus."""
        df = _DocFrequency()
        frequent: list[np.ndarray] = []
        for batch in token_batches(texts):
            docs = np.repeat(np.arange(batch.n_docs), np.diff(batch.indptr))
            order = np.lexsort((batch.hashes, docs))
            h, d = batch.hashes[order], docs[order]
            new = np.r_[True, (h[1:] != h[:-1]) | (d[1:] != d[:-1])] if len(h) else np.zeros(0, bool)
            starts = np.flatnonzero(new)
            counts = np.diff(np.r_[starts, len(h)])
            df.add(h[starts])
            keep = counts >= self.topic_min_count
            bounds = np.searchsorted(d[starts][keep], np.arange(batch.n_docs + 1))
            frequent.extend(np.split(h[starts][keep], bounds[1:-1]))
        max_df = max(2.0, self.topic_max_df * len(texts))
        return [np.sort(f[df.of(f) <= max_df]) for f in frequent]

    @staticmethod
    def _keys(text: str, topic: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One key and one paragraph hash per block of a document, in document order.

        The key is 0 for a paragraph (and a line of topic words and numbers
        only); the paragraph hash (of its case-folded words) is 0 for any
        other block.
        """
        found = blocks(text)
        if not found:
            return np.zeros(0, np.uint64), np.zeros(0, np.uint64)
        para = _paragraph_hashes(found)
        lines = [[] if b.type == "paragraph" else _words(b.text) for b in found]
        flat = [w for ws in lines for w in ws]
        is_topic = np.isin(hash_terms(flat), topic) if len(topic) and flat else np.zeros(len(flat), bool)
        keys, k = [], 0
        for ws in lines:
            masked = ["#" if w.isdigit() else ("_" if is_topic[k + x] else w) for x, w in enumerate(ws)]
            k += len(ws)
            keys.append(" ".join(masked) if any(w not in ("#", "_") for w in masked) else "")
        out = hash_terms([key or " " for key in keys])
        out[np.array([not key for key in keys])] = 0
        return out, para

    def _flatten(self) -> None:
        """Key sets and block sequences as flat arrays with offsets, for vectorised scoring."""
        set_ptr = np.zeros(len(self._sets) + 1, np.int64)
        np.cumsum([len(k) for k in self._sets], out=set_ptr[1:])
        set_keys = np.concatenate(self._sets) if self._sets else np.zeros(0, np.uint64)
        set_w = self._weight.values[self._weight.find(set_keys)].astype(float)
        self._flat_sets = (set_ptr, set_keys, set_w)
        owner = np.repeat(np.arange(len(self._sets)), np.diff(set_ptr))
        self._total_w = np.bincount(owner, weights=set_w, minlength=len(self._sets))
        # A key's rarity relative to a key of two documents (the largest weight a shared key can have).
        top = np.log((self.n_docs_ + 1.0) / 3.0)
        self._rarity = np.minimum(set_w / top, 1.0) if top > 0 else np.ones(len(set_w))
        seq_ptr = np.zeros(len(self.keys_) + 1, np.int64)
        np.cumsum([len(k) for k in self.keys_], out=seq_ptr[1:])
        self._flat_seq = (seq_ptr, np.concatenate(self.keys_) if self.keys_ else np.zeros(0, np.uint64))

    def _candidates(self) -> np.ndarray:
        n = self.n_docs_
        if n < 2:
            return np.zeros((0, 2), np.int64)
        keys = np.concatenate(self._sets)
        docs = np.repeat(np.arange(n, dtype=np.int64), [len(s) for s in self._sets])
        df = self._df.values[self._df.find(keys)]
        keep = (df >= 2) & (df <= max(self.max_df * n, self.max_run))
        return shared_key_pairs(
            keys[keep], docs[keep], n, min_shared=int(self.min_shared), max_candidates=int(self.max_candidates),
            pair_budget=int(self.pair_budget), max_run=int(self.max_run), ranks=self._ranks,
        )

    def score_pairs(self, pairs: np.ndarray) -> dict[str, np.ndarray]:
        """``outline``, ``outline_shared``, ``outline_runs`` and ``outline_body`` of each pair (see the module docstring).

        Vectorised over chunks of pairs: the key sets of both documents of
        every pair are sorted together, so the keys they share are adjacent.

        Parameters
        ----------
        pairs : array-like of int, shape (m, 2)

        Returns
        -------
        dict of str to numpy.ndarray of float64
        """
        if not hasattr(self, "keys_"):
            raise NotFittedError("this OutlineIndex is not fitted yet; call fit() first")
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        out = {name: np.zeros(len(pairs)) for name in OUTLINE_SCORES}
        for s in range(0, len(pairs), _PAIR_CHUNK):
            chunk = self._score_chunk(pairs[s : s + _PAIR_CHUNK])
            for name in OUTLINE_SCORES:
                out[name][s : s + _PAIR_CHUNK] = chunk[name]
        return out

    def _score_chunk(self, pairs: np.ndarray) -> dict[str, np.ndarray]:
        m = len(pairs)
        set_ptr, set_keys, set_w = self._flat_sets
        pid, keys, w, rarity = _gather(set_ptr, (set_keys, set_w, self._rarity), pairs)
        order = np.lexsort((keys, pid))
        pid, keys, w, rarity = pid[order], keys[order], w[order], rarity[order]
        dup = np.flatnonzero((pid[1:] == pid[:-1]) & (keys[1:] == keys[:-1]))
        shared = np.bincount(pid[dup], minlength=m)
        inter_w = np.bincount(pid[dup], weights=w[dup], minlength=m)
        union_w = self._total_w[pairs[:, 0]] + self._total_w[pairs[:, 1]] - inter_w
        shared_codes = np.sort(_pair_codes(pid[dup], keys[dup]))
        runs = np.minimum(*(self._runs(pairs[:, side], shared_codes, m) for side in (0, 1)))
        body = self._body(pairs, pid[dup], keys[dup], rarity[dup], m)
        return {
            "outline": np.where(union_w > 0, inter_w / np.maximum(union_w, 1e-12), 0.0),
            "outline_shared": np.minimum(shared, _CAP).astype(float),
            "outline_runs": np.minimum(runs, _CAP).astype(float),
            "outline_body": np.minimum(body, _CAP),
        }

    def _body(self, pairs: np.ndarray, pid: np.ndarray, keys: np.ndarray, rarity: np.ndarray, m: int) -> np.ndarray:
        """Per pair: the rarity-weighted count of the shared keys (``pid``, ``keys``) that head new prose on both sides."""
        # Only the pairs that share a key are looked at (most candidates of a large scan share none).
        live, pos = np.unique(pid, return_inverse=True)
        codes = _pair_codes(pos, keys)
        keep = np.ones(len(codes), bool)
        for side in (0, 1):
            keep &= np.isin(codes, self._fresh_heads(pairs[live, side], pairs[live, 1 - side]))
        return np.bincount(pid[keep], weights=rarity[keep], minlength=m)

    def _fresh_heads(self, docs: np.ndarray, others: np.ndarray) -> np.ndarray:
        """Codes of the (pair, key) whose block in ``docs[k]`` heads a paragraph ``others[k]`` does not hold."""
        pid, head_keys, head_paras = _gather(self._heads[0], self._heads[1:], docs[:, None])
        other_pid, other_paras = _gather(self._paras[0], self._paras[1:], others[:, None])
        held = np.isin(_pair_codes(pid, head_paras), _pair_codes(other_pid, other_paras))
        return np.unique(_pair_codes(pid[~held], head_keys[~held]))

    def _runs(self, docs: np.ndarray, shared_codes: np.ndarray, m: int) -> np.ndarray:
        """Per pair: runs of consecutive blocks of ``docs[k]`` whose key the pair shares."""
        seq_ptr, seq_keys = self._flat_seq
        pid, keys = _gather(seq_ptr, (seq_keys,), docs[:, None])
        codes = _pair_codes(pid, keys)
        pos = np.minimum(np.searchsorted(shared_codes, codes), max(len(shared_codes) - 1, 0))
        flag = (keys != 0) & (shared_codes[pos] == codes) if len(shared_codes) else np.zeros(len(keys), bool)
        first = np.r_[True, pid[1:] != pid[:-1]] if len(pid) else np.zeros(0, bool)
        starts = flag & (first | ~np.r_[False, flag[:-1]])
        return np.bincount(pid[starts], minlength=m)


_PAIR_CHUNK = 50000
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _pair_codes(pid: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """One uint64 per (pair, key): the key mixed with the pair number."""
    return fmix64(keys ^ fmix64((pid.astype(np.uint64) + np.uint64(1)) * _GOLDEN))


def _paragraph_hashes(found: Sequence) -> np.ndarray:
    """One hash per block: of a paragraph's case-folded words, 0 for any other block."""
    para = np.zeros(len(found), np.uint64)
    prose = [(x, " ".join(_words(b.text))) for x, b in enumerate(found) if b.type == "paragraph"]
    prose = [(x, words) for x, words in prose if words]
    if prose:
        para[[x for x, _ in prose]] = hash_terms([words for _, words in prose])
    return para


def _heads(keys: np.ndarray, para: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (key, paragraph hash) of a document where the paragraph follows the key's block closely.

    Within :data:`_HEAD_REACH` blocks: a heading, then a short line or a
    list, then its prose still heads that prose.
    """
    found_keys, found_paras = [], []
    for step in range(1, _HEAD_REACH + 1):
        hit = (keys[:-step] != 0) & (para[step:] != 0)
        found_keys.append(keys[:-step][hit])
        found_paras.append(para[step:][hit])
    return np.concatenate(found_keys), np.concatenate(found_paras)


def _flat(rows: Sequence[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
    """Per-document tuples of equally long arrays as offsets plus one flat array per column."""
    ptr = np.zeros(len(rows) + 1, np.int64)
    np.cumsum([len(r[0]) for r in rows], out=ptr[1:])
    width = len(rows[0]) if rows else 1
    return (ptr, *(np.concatenate([r[c] for r in rows]) if rows else np.zeros(0, np.uint64) for c in range(width)))


def _gather(ptr: np.ndarray, columns: tuple, docs: np.ndarray):
    """Rows of every document of ``docs`` (shape (m, k)), tagged with their pair number."""
    docs = np.asarray(docs, dtype=np.int64)
    m = len(docs)
    flat = docs.reshape(-1)
    lengths = ptr[flat + 1] - ptr[flat]
    pid = np.repeat(np.repeat(np.arange(m), docs.shape[1]), lengths)
    starts = np.repeat(ptr[flat], lengths)
    within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    rows = starts + within
    return (pid, *(c[rows] for c in columns))
