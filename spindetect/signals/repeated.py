"""Lines that many documents share (site chrome), and the texts without them.

Navigation menus, footers, cookie notices and sharing widgets repeat the same
lines, word for word, on every page of a site.  They say nothing about whether
two pages are copies or members of one generated family, yet they inflate
every lexical similarity between the pages of a site.  :class:`RepeatedLines`
counts, for every distinct line (case-folded ``\\w`` runs), how many documents
hold it; lines held by at least ``min_df`` documents are *repeated* and are
removed before the lexical pair signals that must ignore site chrome (the
character TF-IDF cosine, the style profiles).  Copies are still found: the
word-shingle Jaccard and containment read the full texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import numpy as np
from sklearn.exceptions import NotFittedError

from .._validation import Interval, reject_bare_str, validate_params
from ..text.tokens import hash_terms
from .layout import _words
from .lookup import HashTable, run_starts

__all__ = ["RepeatedLines"]


def _line_keys(text: str) -> tuple[list[str], list[str]]:
    """Non-blank lines of a text and their normalised keys."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return lines, [" ".join(_words(ln)) for ln in lines]


class RepeatedLines:
    """Document frequency of every line of a corpus; texts without the repeated ones.

    Parameters
    ----------
    min_df : int, default=3
        A line held by at least this many documents is repeated (chrome).
        Three: two pages may share a line by chance or by copying; a line on
        three or more pages is furniture of a site or of a template (the
        outline signals keep template headings; only lexical signals drop them).

    Attributes
    ----------
    n_docs_ : int
    n_repeated_ : int
        Number of distinct repeated lines.
    """

    _parameter_constraints: dict = {"min_df": [Interval(Integral, 2, None, closed="left")]}

    def __init__(self, *, min_df: int = 3) -> None:
        self.min_df = min_df

    def fit(self, texts: Sequence[str]) -> RepeatedLines:
        """Count the documents that hold each distinct line.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        self
        """
        reject_bare_str(texts, 'RepeatedLines.fit')
        validate_params(self)
        per_doc = []
        for text in texts:
            _, keys = _line_keys(text)
            per_doc.append(np.unique(hash_terms([k for k in keys if k])))
        self.n_docs_ = len(per_doc)
        allkeys = np.sort(np.concatenate(per_doc)) if per_doc else np.zeros(0, np.uint64)
        starts = run_starts(allkeys)
        counts = np.diff(np.r_[starts, len(allkeys)])
        repeated = allkeys[starts][counts >= self.min_df]
        self._table = HashTable(repeated.astype(np.uint64))
        self.n_repeated_ = len(repeated)
        return self

    def strip(self, texts: Sequence[str]) -> list[str]:
        """The texts without their repeated lines.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        list of str
            Each text's other lines, joined by newlines.
        """
        if not hasattr(self, "_table"):
            raise NotFittedError("this RepeatedLines is not fitted yet; call fit() first")
        out = []
        for text in texts:
            lines, keys = _line_keys(text)
            if not lines or len(self._table) == 0:
                out.append("\n".join(lines))
                continue
            hashes = hash_terms([k or " " for k in keys])
            hit = self._table.find(hashes) >= 0
            out.append("\n".join(ln for ln, k, h in zip(lines, keys, hit) if not (k and h)))
        return out
