"""The result of a scan: :class:`ScanResult`.

Its fields, records and text summary are those of
:class:`~spindetect.report.scan.ScanData` (the record format of
``spindetect scan -o`` is described in :mod:`spindetect.report.scan`);
:class:`ScanResult` adds the methods that reach the other report modules:
HTML, plots, explanations, storage and re-clustering.  Those modules read a
``ScanData`` and never import this one, so the report has no import circle.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..decide.decision import redecide
from ..decide.describe import CLUSTER_DEFAULTS, Cluster, Clusters, cluster_documents
from ..decide.kinds import KindRules
from ..decide.split import SplitRules
from .scan import ScanData

if TYPE_CHECKING:  # pragma: no cover
    from .explain import Explanation

__all__ = ["Cluster", "Clusters", "ScanResult"]


class ScanResult(ScanData):
    """Everything a scan found.

    Attributes
    ----------
    ids : tuple of str
        Document ids in input order.
    labels : tuple of str
        For each document, the id of its cluster's representative.
    kinds : tuple of (str or None)
        For each document, why it is in its cluster (``None`` when alone).
    boilerplate : tuple of float or None
        Estimated boilerplate fraction of each document as a share of its
        words, in [0, 1]; ``None`` for every document when boilerplate scoring
        was off (never 0).  The share of characters is each report's
        ``char_fraction`` (the record's ``boilerplate_chars``).
    notes : tuple of tuple of str
        Problems noticed in each document (empty, too short, undecodable, ...).
    pairs : Pairs
        Every scored pair with its kind and scores.
    clusters : Clusters
    boilerplate_reports : tuple or None
        Per-document :class:`~spindetect.boilerplate.BoilerplateReport` with spans.
    matches : tuple of (str or None)
        For each document, the cluster member it is most strongly paired with.
    corpus : Corpus or None
        The documents scanned (texts and meta), for explanations and
        :meth:`to_pandas` with ``meta=True``.
    input_index : pandas.Index or None
        The index of the pandas object that was scanned, if any: it becomes
        the index of :meth:`to_pandas`, so ``df.join(result.to_pandas())``
        lines up with the input.
    settings : mapping
        The clustering settings the scan used (``strong_jaccard``,
        ``linkage``), for :meth:`rethreshold`.
    """

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Save the scan into the folder ``path``: JSON and ``.npz``, no pickle.

        Everything is kept (texts, pairs with every score, clusters,
        boilerplate spans), so :meth:`load` gives back an equal result that
        :meth:`explain`, :meth:`rethreshold` and ``spindetect explain --from``
        use without refitting.  See :mod:`spindetect.report.store`.

        Returns
        -------
        pathlib.Path
            The folder.
        """
        from .store import save_result

        return save_result(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ScanResult:
        """Load a scan saved by :meth:`save` (reads no pickle, runs no code from the files)."""
        from .store import load_result

        return load_result(path, cls)

    def rethreshold(
        self,
        rules: KindRules | None = None,
        *,
        threshold: float | None = None,
        strong_jaccard: float | None = None,
        linkage: float | None = None,
        split: SplitRules | None = None,
    ) -> ScanResult:
        """Re-label the stored pairs and re-cluster, without refitting anything.

        Parameters
        ----------
        rules : KindRules, optional
            Thresholds that name a pair's kind (default: the ones of the scan;
            ``KindRules()`` for the defaults).  Scores the scan did not compute
            (``NaN``, e.g. ``cosine_char`` of pairs whose sentence frames
            differ) count as 0.
        threshold : float, optional
            For scans decided by the pair model: the probability from which a
            stored pair is accepted (the model's own threshold otherwise).
        strong_jaccard, linkage : float, optional
            The clustering settings of :class:`~spindetect.Detector` (default:
            the ones of the scan).
        split : SplitRules, optional
            Bars of the cluster-level split of near-miss variants (default:
            the shipped ones; ``SplitRules()`` never splits).

        Returns
        -------
        ScanResult
            New kinds, clusters, labels and matches.  Only pairs the scan
            scored can be accepted, and the boilerplate fractions and spans
            are the scan's (they are not recomputed).
        """
        if threshold is not None and (rules is not None or not 0.0 <= threshold <= 1.0):
            raise ValueError(f"threshold must be in [0, 1] and cannot be given with rules, got {threshold!r}")
        if self.corpus is None:
            raise ValueError("this ScanResult kept no texts (corpus=None): rethreshold needs their lengths")
        given = {k: v for k, v in (("strong_jaccard", strong_jaccard), ("linkage", linkage)) if v is not None}
        settings = {**CLUSTER_DEFAULTS, **dict(self.settings), **given}
        pairs = redecide(self.pairs, rules=self.pairs.rules if rules is None else rules, threshold=threshold)
        lengths = [len(t) for t in self.corpus.texts]
        clustering = cluster_documents(self.ids, lengths, pairs, texts=self.corpus.texts, split=split, **settings)
        return replace(
            self,
            labels=tuple(self.ids[r] for r in clustering.representatives.tolist()),
            kinds=clustering.kinds,
            pairs=pairs,
            clusters=clustering.clusters,
            matches=clustering.matches,
            settings=settings,
        )

    def explain(self, a: str, b: str) -> Explanation:
        """Why documents ``a`` and ``b`` were (or were not) put together, without refitting.

        Parameters
        ----------
        a, b : str
            Document ids.

        Returns
        -------
        Explanation
            Scores, kind and reasons of the pair as scanned, shared passages,
            and the family template when they share a cluster.  A pair the
            scan never proposed has no scores (``kind="not scored"``);
            :meth:`spindetect.Detector.explain` scores it.
        """
        from .explain import explain_pair

        return explain_pair(self, a, b)

    def to_html(
        self, path: str | os.PathLike[str] | None = None, *, texts: Sequence[str] | None = None, **options: Any
    ) -> str | None:
        """Write the shareable, self-contained HTML report of this scan.

        Parameters
        ----------
        path : str or path-like, optional
            Output file; the HTML is returned when omitted.
        texts : sequence of str, optional
            Document texts in input order, for templates, shared passages and
            boilerplate highlighting; by default those of :attr:`corpus`.
        **options
            See :func:`spindetect.report.html.to_html`.

        Returns
        -------
        str or None
            The HTML when ``path`` is None.
        """
        from .html import to_html

        return to_html(self, path, texts=texts, **options)

    def plot(self, what: str | Sequence[str] = ("sizes", "scores", "boilerplate"), *, axes: Any = None) -> Any:
        """Plot cluster sizes, scores by pair kind and boilerplate with matplotlib.

        Parameters
        ----------
        what : str or sequence of {"sizes", "scores", "boilerplate"}
        axes : sequence of matplotlib Axes, optional
            One per plot; a new figure when omitted.

        Returns
        -------
        matplotlib.figure.Figure

        Raises
        ------
        ImportError
            If matplotlib is missing (``pip install spindetect[plot]``).
        """
        from .plots import plot

        return plot(self, what, axes=axes)


