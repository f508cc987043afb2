"""Site chrome: lines that many otherwise unrelated documents share, and the texts without them.

Navigation menus, footers, cookie notices and sharing widgets repeat the same
lines, word for word, on every page of a site.  They say nothing about whether
two pages are copies or members of one generated family, yet they inflate
every lexical similarity between the pages of a site.  :class:`RepeatedLines`
counts, for every distinct line (case-folded ``\\w`` runs), how many
*unrelated* documents hold it, and masks such lines.

A line is chrome when all of these hold:

* **breadth**: it is held by documents of at least ``min_df`` different
  near-copy groups (the caller's ``groups``, e.g. connected pairs of word
  shingle Jaccard >= 0.5).  Lines that the variants of one licence or the
  copies of one page share are content of that group, not chrome;
* **placement**: it sits in a run of at least ``min_run`` consecutive
  repeated lines (a menu, a footer, a sidebar), or in the run of repeated
  lines that opens or closes the page.  A heading that a family's pages share
  between paragraphs of their own stays;
* **the page keeps content**: when the chrome would cover more than
  ``max_share`` of a document's words, nothing of that document is masked
  (a page made of shared lines, such as a licence notice, is its content).

The detector uses two: every line on three or more pages, removed from the
*body* (the character cosine, the ``*_body`` overlaps, the style profiles);
and the chrome of many unrelated pages (``SITE_CHROME_DF`` groups, with the
placement and share rules), removed before the word-shingle overlap
(``jaccard``, ``containment``).  Every count is over
sets of documents and lines, so the masked texts do not depend on the order
of the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real

import numpy as np
from sklearn.exceptions import NotFittedError

from .._validation import Interval, reject_bare_str, validate_params
from ..text.tokens import hash_terms
from .layout import _words
from .lookup import HashTable, run_starts, sorted_unique

__all__ = ["RepeatedLines"]


def _line_keys(text: str) -> tuple[list[str], list[str]]:
    """Non-blank lines of a text and their normalised keys."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return lines, [" ".join(_words(ln)) for ln in lines]


def _run_flags(hit: np.ndarray, min_run: int) -> np.ndarray:
    """Lines of ``hit`` in a run of at least ``min_run`` hits, or in a run touching either end."""
    n = len(hit)
    if n == 0:
        return hit
    change = np.ones(n, dtype=bool)
    change[1:] = hit[1:] != hit[:-1]
    run_id = np.cumsum(change) - 1
    sizes = np.bincount(run_id)
    at_edge = (run_id == run_id[0]) | (run_id == run_id[-1])
    return hit & ((sizes[run_id] >= min_run) | at_edge)


def _breadth_keys(per_doc: list[np.ndarray], groups: np.ndarray, min_df: int) -> np.ndarray:
    """Line keys held by documents of at least ``min_df`` distinct groups."""
    if not per_doc:
        return np.zeros(0, np.uint64)
    sizes = np.fromiter((len(k) for k in per_doc), np.int64, len(per_doc))
    keys = np.concatenate(per_doc)
    owner = np.repeat(groups.astype(np.int64), sizes)
    order = np.lexsort((owner, keys))
    keys, owner = keys[order], owner[order]
    new = np.ones(len(keys), dtype=bool)
    new[1:] = (keys[1:] != keys[:-1]) | (owner[1:] != owner[:-1])
    distinct = keys[new]  # one entry per (key, group)
    starts = run_starts(distinct)
    counts = np.diff(np.r_[starts, len(distinct)])
    return distinct[starts][counts >= min_df]


class RepeatedLines:
    """Lines that many unrelated documents share (site chrome); texts without them.

    Parameters
    ----------
    min_df : int, default=3
        A line held by documents of at least this many near-copy groups is
        repeated.  Three: two pages may share a line by chance or by copying;
        a line on three or more unrelated pages is furniture of a site.
    min_run : int, default=3
        A repeated line is chrome inside a page when it is in a run of at
        least this many repeated lines (menus, footers: several lines; a
        heading that a family shares stands alone between paragraphs); the
        run of repeated lines that opens or closes a page is chrome at any
        length.
    max_share : float, default=0.8
        Documents whose chrome would cover more than this share of their
        words keep every line (dragnet-train pages: chrome covers at most
        0.91 of a page when every repeated line counts, half of them 0.25
        or less; a licence notice made of common lines is covered whole).

    Attributes
    ----------
    n_docs_ : int
    n_repeated_ : int
        Number of distinct repeated lines.
    """

    _parameter_constraints: dict = {
        "min_df": [Interval(Integral, 2, None, closed="left")],
        "min_run": [Interval(Integral, 1, None, closed="left")],
        "max_share": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(self, *, min_df: int = 3, min_run: int = 3, max_share: float = 0.8) -> None:
        self.min_df = min_df
        self.min_run = min_run
        self.max_share = max_share

    def fit(self, texts: Sequence[str], groups: Sequence[int] | np.ndarray | None = None) -> RepeatedLines:
        """Find the lines held by documents of at least ``min_df`` groups.

        Parameters
        ----------
        texts : sequence of str
        groups : sequence of int or numpy.ndarray, optional
            Near-copy group of each document (documents of one group count
            once); default: every document its own group.

        Returns
        -------
        self
        """
        reject_bare_str(texts, "RepeatedLines.fit")
        validate_params(self)
        per_doc = [sorted_unique(hash_terms([k for k in _line_keys(t)[1] if k])) for t in texts]
        if groups is None:
            labels = np.arange(len(per_doc), dtype=np.int64)
        else:
            labels = np.asarray(groups, dtype=np.int64)
            if labels.shape != (len(per_doc),):
                raise ValueError(f"RepeatedLines.fit: {len(labels)} groups for {len(per_doc)} texts")
        repeated = _breadth_keys(per_doc, labels, self.min_df)
        self._table = HashTable(repeated.astype(np.uint64))
        self.n_docs_ = len(per_doc)
        self.n_repeated_ = len(repeated)
        return self

    def chrome_lines(self, text: str) -> tuple[list[str], np.ndarray]:
        """The non-blank lines of a text and which of them are chrome.

        Parameters
        ----------
        text : str

        Returns
        -------
        lines : list of str
        chrome : numpy.ndarray of bool
        """
        if not hasattr(self, "_table"):
            raise NotFittedError("this RepeatedLines is not fitted yet; call fit() first")
        lines, keys = _line_keys(text)
        if not lines or len(self._table) == 0:
            return lines, np.zeros(len(lines), dtype=bool)
        hit = (self._table.find(hash_terms([k or " " for k in keys])) >= 0) & np.array([bool(k) for k in keys])
        chrome = _run_flags(hit, self.min_run)
        words = np.array([len(k.split()) for k in keys], dtype=np.int64)
        if words[chrome].sum() > self.max_share * max(int(words.sum()), 1):
            chrome[:] = False
        return lines, chrome

    def strip(self, texts: Sequence[str]) -> list[str]:
        """The texts without their chrome lines.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        list of str
            Each text's other non-blank lines, joined by newlines.
        """
        out = []
        for text in texts:
            lines, chrome = self.chrome_lines(text)
            out.append("\n".join(ln for ln, c in zip(lines, chrome.tolist()) if not c))
        return out
