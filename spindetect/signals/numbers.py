"""Version-like numbers that only one document of a pair has.

Two texts can say nearly the same thing in nearly the same words and still be
different documents because a short number changed: "version 2" against
"version 2.1" (GPL-2.0-or-later against LGPL-2.1-or-later notices), "clause
3", "1.1" against "2.0".  Word overlap and the cosines hardly move for one
token; this signal reads nothing else.  :class:`VersionNumbers` keeps, for
every document, the set of its *version-like* numbers (a run of digits with
dots such as ``2.1`` or ``1.0.2``, or a single digit, standing
as a token of its own, maybe after a ``v`` as in ``v1.2``) and scores each pair with

``numbers_differ``
    the share of the pair's version-like numbers that only one of the two
    texts has, ``|A ^ B| / |A | B|`` (0 = the same numbers, or none in
    either; 1 = nothing in common).

Longer plain numbers (years, street numbers, postcodes, prices) are left out:
inside one licence they are what changes from copy to copy (copyright years,
the FSF's old and new address, 59 Temple Place or 51 Franklin Street), so they
say nothing about which licence a text is.  On licenses-dev, counting two-digit
numbers too put 35 % of the pairs within a licence at 0.5 or more (19 % with
single digits), against 99 % of the GPL-2.0+ / LGPL-2.1+ pairs either way.  On licenses-dev (4,191 documents, 2026-12-01) the median of the
score over candidate pairs with word cosine above 0.6 is 0 within a licence
and 1 between GPL-2.0+ and LGPL-2.1+ notices (the pairs of ``benchmarks/pairdata.py``).

A spun copy keeps its numbers, so the score stays 0 for it.  Pages of one
template family do not (numbered lists, counts, prices): the shipped pair
model does not read this score (see ``benchmarks/pairdata.FEATURES``: refitted
with it, the data/ seed family split and licenses-dev did not gain); it is
in every pair's scores as evidence, for ``explain`` and the pair table.  Cost: one regex
pass a document; pairs are scored a chunk at a time by sorting their numbers
(no loop over pairs in Python).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.exceptions import NotFittedError

from .._validation import reject_bare_str
from ..text.tokens import hash_terms

__all__ = ["VersionNumbers", "NUMBER_SCORES", "version_numbers"]

#: Names of the scores of :meth:`VersionNumbers.score_pairs`.
NUMBER_SCORES = ("numbers_differ",)
# A dotted number (2.1, 1.0.2) or one digit, maybe after a "v", not glued to a word character.
_NUMBER_RE = re.compile(r"(?<![\w.])[vV]?(\d+(?:\.\d+)+|\d)(?![\w]|\.\d)")
# Numbers of both documents held in memory at once while scoring pairs.
_CHUNK_VALUES = 1 << 22


def version_numbers(text: str) -> list[str]:
    """The version-like numbers of ``text``, in order of appearance (see the module docstring)."""
    return [m.group(1) for m in _NUMBER_RE.finditer(text)]


class VersionNumbers:
    """Sets of version-like numbers of a corpus and the share a pair does not share.

    Attributes
    ----------
    values_ : numpy.ndarray of uint64
        Hashes of every document's unique numbers, sorted within a document,
        document after document.
    indptr_ : numpy.ndarray of int64, shape (n_docs + 1,)
        Document ``d``'s numbers are ``values_[indptr_[d]:indptr_[d + 1]]``.
    """

    def fit(self, texts: Sequence[str]) -> VersionNumbers:
        """Find the numbers of every text.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        VersionNumbers
            ``self``, fitted.
        """
        reject_bare_str(texts, "texts")
        sets = [np.unique(hash_terms(version_numbers(str(t)))) for t in texts]
        sizes = np.fromiter((len(s) for s in sets), np.int64, len(sets))
        self.indptr_ = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.values_ = np.concatenate(sets) if sets else np.zeros(0, np.uint64)
        return self

    def score_pairs(self, pairs: np.ndarray) -> dict[str, np.ndarray]:
        """``numbers_differ`` of each pair of fitted documents.

        Parameters
        ----------
        pairs : numpy.ndarray of int, shape (m, 2)
            Positions of fitted documents.

        Returns
        -------
        dict of str to numpy.ndarray of float
            ``{"numbers_differ": ...}``, in [0, 1].
        """
        if not hasattr(self, "indptr_"):
            raise NotFittedError("VersionNumbers is not fitted: call fit(texts) first")
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        sizes = np.diff(self.indptr_)
        per_pair = sizes[pairs[:, 0]] + sizes[pairs[:, 1]]
        out = np.zeros(len(pairs))
        start = 0
        while start < len(pairs):
            stop = _chunk_end(per_pair, start)
            out[start:stop] = self._differ(pairs[start:stop])
            start = stop
        return {"numbers_differ": out}

    def _differ(self, pairs: np.ndarray) -> np.ndarray:
        """``|A ^ B| / |A | B|`` of each pair (0 when both sets are empty)."""
        sizes = np.diff(self.indptr_)
        size_a, size_b = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
        rows = np.concatenate([np.repeat(np.arange(len(pairs)), size_a), np.repeat(np.arange(len(pairs)), size_b)])
        values = np.concatenate([self._gather(pairs[:, 0]), self._gather(pairs[:, 1])])
        order = np.lexsort((values, rows))
        rows, values = rows[order], values[order]
        both = (rows[1:] == rows[:-1]) & (values[1:] == values[:-1])
        inter = np.bincount(rows[1:][both], minlength=len(pairs))
        union = size_a + size_b - inter
        out = np.zeros(len(pairs))
        np.divide(union - inter, union, out=out, where=union > 0)
        return out

    def _gather(self, docs: np.ndarray) -> np.ndarray:
        """The numbers of ``docs``, document after document."""
        starts = self.indptr_[docs]
        sizes = self.indptr_[docs + 1] - starts
        offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return self.values_[np.repeat(starts, sizes) + offsets]


def _chunk_end(per_pair: np.ndarray, start: int) -> int:
    """End of the chunk of pairs from ``start`` whose numbers fit in :data:`_CHUNK_VALUES` (at least one pair)."""
    total = np.cumsum(per_pair[start:])
    return start + max(1, int(np.searchsorted(total, _CHUNK_VALUES, side="right")))
