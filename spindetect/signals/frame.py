"""Chrome a pair shares by position: the short lines at its start and end.

Two pages of one site share a frame: the menu above the article, the
sidebar, archive list, comment form and footer below it, as runs of short
lines, line for line the same.  On a site of two or three pages the corpus
cannot tell that frame from copied text (a line held by three pages is not
"held by many documents"), so word overlap and the word cosine join the two
pages.  The pair can: its frame is the run of lines equal in both texts from
the first line on (the common prefix) and from the last line back (the
common suffix).  What is left in between, the *middle*, is each page's own
text.  A copy, spun copy or near duplicate shares its middle too (or has
none: an exact copy is all frame); two pages of one site do not.

``edge_chrome``
    ``c * (1 - s)``: ``c`` is the share of each text's lines that are short
    lines (at most :data:`SHORT_WORDS` words) of the shared frame, the
    smaller of the two texts' shares; ``s`` is the Jaccard overlap of the
    word sets of the two middles (1 when either middle is empty).  0 when
    the pair shares no short lines at its edges (most pairs) or shares its
    middle's words; near 1 when the pair is a common frame of menus round
    two unrelated articles.  The shipped pair model reads it as a monotone
    -1 feature (``benchmarks/pairdata.py`` has the out-of-fold figures).

Only short frame lines count towards ``c``: a licence or an article copied
with one changed line shares long lines of prose before and after it, and
that is body, not chrome; its wrapped lines run 10-14 words.  The words of
the frame's long lines are in neither middle.  Lines are compared by their
case-folded words (white space and punctuation aside); lines without words
are skipped.

:data:`SHORT_WORDS` (5) was set by hand, not fitted: menu items, archive
months, "Leave a comment", "Name (required)" are 1-4 words on the dragnet-train
pages that share such frames, wrapped prose lines of licenses-dev 10-14.
Measured on the detector's candidate pairs of dragnet-train with 100 spun
copies (issue 10, 2026-12-01, before the pair model read it): the 5 % quantile
is .03 for pairs of one gold page (.40 at 1 %) and .43 for the others; of the
25 page pairs the shipped model then joined, 10 scored .5 or more (a blog's
five pages around one sidebar, two pages of one site whose 212 last lines are
equal), none of the pairs of one page.

Cost: one pass over the lines of every text at fit (a hash and a word count
a line, the words' hashes); scoring walks the common prefix and suffix of
all pairs at once and compares the middles' word sets only for the pairs
whose frame holds a short line.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.exceptions import NotFittedError

from .._validation import reject_bare_str
from ..text.tokens import fmix64, hash_terms
from .layout import _words

__all__ = ["EdgeFrame", "FRAME_SCORES", "SHORT_WORDS"]

#: Names of the scores of :meth:`EdgeFrame.score_pairs`.
FRAME_SCORES = ("edge_chrome",)
#: Longest line, in words, that counts as chrome when a pair shares it at an edge (see the module docstring).
SHORT_WORDS = 5
# Texts split into lines of words at once at fit: the word strings of one batch are the fit's peak memory.
_FIT_DOCS = 1000
# Words of both middles held in memory at once while scoring pairs.
_CHUNK_WORDS = 1 << 22
_WORD_BITS = 40


class EdgeFrame:
    """Lines of every text, for the frame of short lines a pair shares at its start and end.

    Attributes
    ----------
    line_ptr_ : numpy.ndarray of int64, shape (n_docs + 1,)
        Document ``d``'s lines (those with words) are ``line_ptr_[d]:line_ptr_[d + 1]``.
    line_keys_ : numpy.ndarray of uint64
        Hash of each line's case-folded words.
    short_ : numpy.ndarray of bool
        Whether each line has at most :data:`SHORT_WORDS` words.
    word_ptr_ : numpy.ndarray of int64, shape (n_lines + 1,)
        Line ``k``'s word hashes are ``words_[word_ptr_[k]:word_ptr_[k + 1]]``.
    words_ : numpy.ndarray of uint64
        Hashes of the words of every line, line after line.
    """

    def fit(self, texts: Sequence[str]) -> EdgeFrame:
        """Split every text into lines of words.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        EdgeFrame
            ``self``, fitted.
        """
        reject_bare_str(texts, "texts")
        texts = list(texts)
        parts = [_line_arrays([])] + [_line_arrays(texts[lo : lo + _FIT_DOCS]) for lo in range(0, len(texts), _FIT_DOCS)]
        n_lines, sizes, line_keys, words = (np.concatenate([part[k] for part in parts]) for k in range(4))
        self.line_ptr_ = np.concatenate([[0], np.cumsum(n_lines)]).astype(np.int64)
        self.line_keys_ = line_keys
        self.short_ = sizes <= SHORT_WORDS
        self.word_ptr_ = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.words_ = words
        self._short_cum = np.concatenate([[0], np.cumsum(self.short_)]).astype(np.int64)
        return self

    def score_pairs(self, pairs: np.ndarray) -> dict[str, np.ndarray]:
        """``edge_chrome`` of each pair of fitted documents (see the module docstring).

        Parameters
        ----------
        pairs : numpy.ndarray of int, shape (m, 2)
            Positions of fitted documents.

        Returns
        -------
        dict of str to numpy.ndarray of float
            ``{"edge_chrome": ...}``, in [0, 1].
        """
        if not hasattr(self, "line_ptr_"):
            raise NotFittedError("EdgeFrame is not fitted: call fit(texts) first")
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        start = self.line_ptr_[pairs]
        n = self.line_ptr_[pairs + 1] - start
        prefix = self._common_run(start, n, forward=True)
        suffix = self._common_run(start, n, forward=False, limit=(n.min(axis=1) if len(n) else np.zeros(0, np.int64)) - prefix)
        share = self._short_share(start, n, prefix, suffix)
        chrome = share.min(axis=1) if len(pairs) else np.zeros(0)
        out = np.zeros(len(pairs))
        framed = np.flatnonzero(chrome > 0)
        if len(framed):
            lo, hi = start + prefix[:, None], start + n - suffix[:, None]
            out[framed] = chrome[framed] * (1.0 - self._middle_overlap(lo[framed], hi[framed]))
        return {"edge_chrome": out}

    def _common_run(self, start: np.ndarray, n: np.ndarray, *, forward: bool, limit: np.ndarray | None = None) -> np.ndarray:
        """Per pair: how many lines from the first (``forward``) or the last are equal in both texts, at most ``limit``."""
        if limit is None:
            limit = n.min(axis=1) if len(n) else np.zeros(0, np.int64)
        run = np.zeros(len(start), np.int64)
        live = np.flatnonzero(limit > 0)
        while len(live):
            step = run[live]
            at = start[live] + (step[:, None] if forward else n[live] - 1 - step[:, None])
            same = self.line_keys_[at[:, 0]] == self.line_keys_[at[:, 1]]
            run[live[same]] += 1
            live = live[same & (run[live] < limit[live])]
        return run

    def _short_share(self, start: np.ndarray, n: np.ndarray, prefix: np.ndarray, suffix: np.ndarray) -> np.ndarray:
        """Per pair and side: the share of the text's lines that are short lines of the frame."""
        cum = self._short_cum
        end = start + n
        short = (cum[start + prefix[:, None]] - cum[start]) + (cum[end] - cum[end - suffix[:, None]])
        out = np.zeros(n.shape)
        np.divide(short, n, out=out, where=n > 0)
        return out

    def _middle_overlap(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Jaccard overlap of the word sets of lines ``lo:hi`` of both sides (1 when a side has none), by chunks."""
        w_lo, w_hi = self.word_ptr_[lo], self.word_ptr_[hi]
        per_pair = (w_hi - w_lo).sum(axis=1) + 1  # + 1: at most _CHUNK_WORDS pairs a chunk, too
        out = np.ones(len(lo))
        first = 0
        while first < len(lo):
            last = first + max(1, int(np.searchsorted(np.cumsum(per_pair[first:]), _CHUNK_WORDS, side="right")))
            out[first:last] = self._overlap_chunk(w_lo[first:last], w_hi[first:last])
            first = last
        return out

    def _overlap_chunk(self, w_lo: np.ndarray, w_hi: np.ndarray) -> np.ndarray:
        m = len(w_lo)
        sides = [_distinct(*self._gather(w_lo[:, k], w_hi[:, k])) for k in (0, 1)]
        size = [np.bincount((codes >> _WORD_BITS).astype(np.int64), minlength=m) for codes in sides]
        at = np.minimum(np.searchsorted(sides[1], sides[0]), max(len(sides[1]) - 1, 0))
        both = sides[0][sides[1][at] == sides[0]] if len(sides[1]) else sides[1]
        inter = np.bincount((both >> _WORD_BITS).astype(np.int64), minlength=m)
        union = size[0] + size[1] - inter
        out = np.ones(m)
        np.divide(inter, union, out=out, where=(size[0] > 0) & (size[1] > 0))
        return out

    def _gather(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pair numbers and word hashes of the word ranges ``lo[k]:hi[k]``."""
        sizes = hi - lo
        within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return np.repeat(np.arange(len(lo)), sizes), self.words_[np.repeat(lo, sizes) + within]


def _line_arrays(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Lines per text, words per line, line hashes and word hashes of a batch of texts."""
    lines = [[ws for ws in (_words(line) for line in str(t).split("\n")) if ws] for t in texts]
    n_lines = np.fromiter((len(d) for d in lines), np.int64, len(lines))
    flat = [ws for d in lines for ws in d]
    sizes = np.fromiter((len(ws) for ws in flat), np.int64, len(flat))
    if not flat:
        return n_lines, sizes, np.zeros(0, np.uint64), np.zeros(0, np.uint64)
    return n_lines, sizes, hash_terms([" ".join(ws) for ws in flat]), hash_terms([w for ws in flat for w in ws])


def _distinct(pid: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The distinct (pair, word) rows, sorted, as codes: the pair number above :data:`_WORD_BITS` bits of the word's hash.

    A chunk holds fewer than 2 ** 22 words, so its pair numbers fit in the
    top 64 - :data:`_WORD_BITS` bits; two words of one pair collide with a
    chance of about one in 2 ** 40 / (its words) ** 2.
    """
    codes = (pid.astype(np.uint64) << np.uint64(_WORD_BITS)) | (fmix64(words) >> np.uint64(64 - _WORD_BITS))
    codes = np.sort(codes)
    keep = np.ones(len(codes), bool)
    keep[1:] = codes[1:] != codes[:-1]
    return codes[keep]
