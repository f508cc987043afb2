"""The pair table: every scored pair of documents, its kind and every score.

:class:`PairScorer` gathers the per-pair signals from the feature extractors
(exact word-shingle overlap, TF-IDF cosines, layout and stopword signatures,
shared rare passages) and names each pair's kind with
:func:`spindetect.kinds.classify`.  Nothing is thrown away: the :class:`Pairs`
table keeps every score of every candidate pair, including the ones judged
``unrelated``, so a user can see why a pair was or was not accepted.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np

from .._pairs import intersection_sizes, set_jaccard
from ..signals.lookup import row_unique, split_rows
from ..text.tokens import Shingles
from .kinds import KindRules
from .model import PairModel
from .reasons import model_reasons, rule_reasons

__all__ = ["Pairs", "shingle_overlap", "pair_strength"]


@dataclass(frozen=True, eq=False)
class Pairs:
    """Scored pairs of documents.

    Attributes
    ----------
    ids : tuple of str
        Ids of the corpus documents (pairs refer to them by position).
    index : numpy.ndarray of int64, shape (m, 2)
        Positions ``(i, j)`` with ``i < j``.
    kinds : numpy.ndarray of object, shape (m,)
        ``exact``, ``near_duplicate``, ``spun``, ``templated`` or ``unrelated``.
    scores : mapping of str to numpy.ndarray
        Every score of every pair, by name (``jaccard``, ``cosine_word``, ...).
    rules : KindRules or None
        The thresholds the kinds were named with (``None``: the defaults);
        :attr:`reasons` reads them.
    model : PairModel or None
        The pair model that decided the kinds, when one did (``None`` with
        ``probability`` scores: the shipped model, e.g. for a loaded scan);
        :attr:`reasons` names the features that moved its probability.
    """

    ids: tuple[str, ...]
    index: np.ndarray = field(repr=False)
    kinds: np.ndarray = field(repr=False)
    scores: Mapping[str, np.ndarray] = field(repr=False)
    rules: KindRules | None = field(default=None, repr=False)
    model: PairModel | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scores", MappingProxyType(dict(self.scores)))

    # A mappingproxy cannot be pickled: the state holds a plain dict and the
    # read-only view is rebuilt on load (pickle, copy.deepcopy, joblib, Dask).
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["scores"] = dict(self.scores)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "scores", MappingProxyType(dict(self.scores)))

    def __len__(self) -> int:
        return len(self.index)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.kind_counts().items())
        return f"Pairs({len(self)} pairs: {counts})"

    def kind_counts(self) -> dict[str, int]:
        """Number of pairs of each kind."""
        if not len(self):
            return {}
        kinds, counts = np.unique(self.kinds.astype(str), return_counts=True)
        return {str(k): int(c) for k, c in zip(kinds, counts)}

    def select(self, mask: np.ndarray) -> "Pairs":
        """The pairs where ``mask`` is true."""
        scores = {k: v[mask] for k, v in self.scores.items()}
        return Pairs(self.ids, self.index[mask], self.kinds[mask], scores, rules=self.rules, model=self.model)

    @cached_property
    def reasons(self) -> tuple[str, ...]:
        """Why each pair got its kind: the clause of the rule that fired, with its numbers.

        Written on first use (see :func:`spindetect.decide.reasons.rule_reasons`).
        Pairs decided by a pair model (a ``probability`` score and no
        ``rules``) give the model's probability and the features that moved
        it most (see :func:`spindetect.decide.reasons.model_reasons`): the
        rule's clauses did not decide them (exact pairs are accepted without
        the model).
        """
        if self.rules is None and "probability" in self.scores:
            model = self.model or PairModel.load()
            return tuple(model_reasons(self.scores, [str(k) for k in self.kinds.tolist()], model))
        return tuple(rule_reasons(self.scores, self.rules))

    def find(self, i: int, j: int) -> int | None:
        """Row of the pair of documents at positions ``i`` and ``j`` (either order), or None."""
        a, b = min(i, j), max(i, j)
        hit = np.flatnonzero((self.index[:, 0] == a) & (self.index[:, 1] == b))
        return int(hit[0]) if len(hit) else None

    def of_kind(self, *kinds: str) -> "Pairs":
        """The pairs of the given kinds."""
        return self.select(np.isin(self.kinds.astype(str), list(kinds)))

    def accepted(self) -> "Pairs":
        """The pairs whose kind is not ``unrelated``."""
        return self.select(self.kinds != "unrelated")

    def involving(self, doc_id: str) -> "Pairs":
        """The pairs that involve document ``doc_id``."""
        i = self.ids.index(doc_id)
        return self.select((self.index[:, 0] == i) | (self.index[:, 1] == i))

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per pair: ``a``, ``b``, ``kind`` and every score (rounded to 4 places)."""
        names = sorted(self.scores)
        cols = {n: np.asarray(self.scores[n]) for n in names}
        out = []
        for row, (i, j) in enumerate(self.index.tolist()):
            rec: dict[str, Any] = {"a": self.ids[i], "b": self.ids[j], "kind": str(self.kinds[row])}
            for n in names:
                v = cols[n][row]
                if cols[n].dtype == bool:
                    rec[n] = bool(v)
                else:  # NaN means "not computed for this pair": null in JSON
                    rec[n] = None if np.isnan(v) else round(float(v), 4)
            out.append(rec)
        return out

    def to_pandas(self):
        """The table as a ``pandas.DataFrame`` (requires pandas).

        Columns: ``a``, ``b``, ``kind``, ``reason`` (see :attr:`reasons`) and
        every score.
        """
        from .._compat import require_pandas

        pd = require_pandas()
        data = {
            "a": [self.ids[i] for i in self.index[:, 0].tolist()],
            "b": [self.ids[j] for j in self.index[:, 1].tolist()],
            "kind": self.kinds.astype(str),
            "reason": list(self.reasons),
        }
        for n in sorted(self.scores):
            data[n] = np.asarray(self.scores[n])
        return pd.DataFrame(data)

    def _repr_html_(self) -> str:
        from .._html import html_table

        recs = self.to_records()
        head = f"<p><b>Pairs</b>: {html.escape(repr(self))}</p>"
        return head + html_table(recs[:50], more=len(recs) - 50)


def shingle_overlap(shingles: Sequence[np.ndarray], pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact Jaccard and containment of the shingle sets of each pair.

    Parameters
    ----------
    shingles : sequence of numpy.ndarray
        Sorted unique shingle hashes of each document.
    pairs : numpy.ndarray of int64, shape (m, 2)

    Returns
    -------
    jaccard, containment : numpy.ndarray of float
        Containment is ``|A & B| / min(|A|, |B|)``.  Empty sets give 0.
    """
    inter, size_a, size_b = intersection_sizes(shingles, pairs)
    jac = set_jaccard(inter, size_a, size_b)
    smaller = np.minimum(size_a, size_b)
    con = np.zeros(len(inter))
    np.divide(inter, smaller, out=con, where=smaller > 0)
    return jac, con


def unique_shingle_sets(parts: Sequence[Shingles]) -> list[np.ndarray]:
    """Sorted unique shingle hashes of every document, batch after batch."""
    out: list[np.ndarray] = []
    for sh in parts:
        out.extend(split_rows(*row_unique(sh.hashes, sh.indptr)))
    return out


def pair_strength(scores: Mapping[str, np.ndarray], kinds: np.ndarray) -> np.ndarray:
    """One number per pair to order merges: the mean of its computed [0, 1] scores."""
    cols = [np.asarray(v, dtype=float) for v in scores.values() if np.asarray(v).dtype != bool]
    if not cols or len(kinds) == 0:
        return np.zeros(len(kinds))
    stacked = np.stack(cols, axis=1)
    counts = np.maximum((~np.isnan(stacked)).sum(axis=1), 1)
    return np.nansum(stacked, axis=1) / counts
