"""Result objects: frozen, with ``to_records()``, ``to_pandas()`` and an escaped HTML repr.

:class:`ScanResult` is what :meth:`spindetect.Detector.fit_detect` returns.  Its
:meth:`~ScanResult.to_records` is the record format of ``spindetect scan -o``:
one JSON object per input document, in input order, with at least

``id``
    the document id;
``cluster``
    the id of the representative of the document's cluster (a lone document
    is its own representative);
``kind``
    why the document is in its cluster: the kind of its strongest accepted pair
    inside the cluster (``exact``, ``near_duplicate``, ``spun``, ``templated``),
    or ``null`` for a lone document;
``boilerplate``
    the estimated fraction of the document's characters that are boilerplate.

Further fields extend the record and may be added to, never renamed.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._html import html_table
from .._terminal import printable
from ..decide.kinds import KindRules
from ..decide.pairs import Pairs
from ..text.corpus import Corpus

if TYPE_CHECKING:  # pragma: no cover
    from .explain import Explanation

__all__ = ["Cluster", "Clusters", "ScanResult"]


@dataclass(frozen=True)
class Cluster:
    """One cluster of documents.

    Attributes
    ----------
    id : str
        Id of the representative (the longest member; ties: smallest id).
    members : tuple of str
        Member ids, representative first, then in input order.
    kind : str or None
        The weakest kind of evidence needed to hold the cluster together
        (``exact`` < ``near_duplicate`` < ``spun`` < ``templated``); ``None``
        for a lone document.
    edge_kinds : tuple of (str, int)
        How many accepted pairs of each kind lie inside the cluster.
    mean_scores : tuple of (str, float)
        Mean of every score over those pairs: which signals fired, and how strongly.
    """

    id: str
    members: tuple[str, ...]
    kind: str | None
    edge_kinds: tuple[tuple[str, int], ...] = ()
    mean_scores: tuple[tuple[str, float], ...] = ()

    def __len__(self) -> int:
        return len(self.members)

    def _repr_html_(self) -> str:
        from .html import cluster_html, fragment_style

        return fragment_style() + cluster_html(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form."""
        return {
            "id": self.id,
            "size": len(self.members),
            "kind": self.kind,
            "members": list(self.members),
            "edge_kinds": dict(self.edge_kinds),
            "mean_scores": {k: round(v, 4) for k, v in self.mean_scores},
        }


@dataclass(frozen=True, eq=False)
class Clusters(Sequence[Cluster]):
    """All clusters of a corpus, largest first (ties: representative id)."""

    items: tuple[Cluster, ...]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Cluster]:
        return iter(self.items)

    def __getitem__(self, key):
        if isinstance(key, str):
            for c in self.items:
                if c.id == key:
                    return c
            raise KeyError(f"no cluster with representative {key!r}")
        return self.items[key]

    def groups(self, *, min_size: int = 1) -> list[list[str]]:
        """Member ids of each cluster with at least ``min_size`` members."""
        return [list(c.members) for c in self.items if len(c) >= min_size]

    def multi(self) -> "Clusters":
        """Only the clusters with more than one member."""
        return Clusters(tuple(c for c in self.items if len(c) > 1))

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per cluster."""
        return [c.to_dict() for c in self.items]

    def to_pandas(self):
        """Clusters as a ``pandas.DataFrame`` with flat columns (requires pandas).

        Columns: ``id``, ``size``, ``kind``, ``members`` (a list), then
        ``edges_<kind>`` (accepted pairs of each kind inside the cluster) and
        ``mean_<score>`` (mean of each score over those pairs); a cluster
        without such a pair or score has 0 edges and a ``NaN`` mean.
        """
        from .._compat import require_pandas

        kinds = sorted({k for c in self.items for k, _ in c.edge_kinds})
        names = sorted({k for c in self.items for k, _ in c.mean_scores})
        rows = []
        for c in self.items:
            row: dict[str, Any] = {"id": c.id, "size": len(c), "kind": c.kind, "members": list(c.members)}
            edges, means = dict(c.edge_kinds), dict(c.mean_scores)
            row.update({f"edges_{k}": int(edges.get(k, 0)) for k in kinds})
            row.update({f"mean_{k}": float(means.get(k, np.nan)) for k in names})
            rows.append(row)
        columns = ["id", "size", "kind", "members"] + [f"edges_{k}" for k in kinds] + [f"mean_{k}" for k in names]
        return require_pandas().DataFrame(rows, columns=columns)

    def __repr__(self) -> str:
        multi = sum(1 for c in self.items if len(c) > 1)
        return f"Clusters({len(self.items)} clusters, {multi} with more than one member)"

    def _repr_html_(self) -> str:
        recs = [
            {"id": c.id, "size": len(c), "kind": c.kind, "members": _clip_members(c.members, _SHOWN_MEMBERS)}
            for c in self.items
            if len(c) > 1
        ]
        return f"<p><b>{html.escape(repr(self))}</b></p>" + html_table(recs[:50], more=len(recs) - 50)


@dataclass(frozen=True, eq=False)
class ScanResult:
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
        Estimated boilerplate fraction of each document, in [0, 1]; ``None``
        for every document when boilerplate scoring was off (never 0).
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

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    kinds: tuple[str | None, ...]
    boilerplate: tuple[float | None, ...]
    notes: tuple[tuple[str, ...], ...]
    pairs: Pairs = field(repr=False)
    clusters: Clusters = field(repr=False)
    boilerplate_reports: tuple | None = field(default=None, repr=False)
    matches: tuple[str | None, ...] = field(default=(), repr=False)
    boilerplate_method: str = "corpus+page"
    corpus: Corpus | None = field(default=None, repr=False)
    input_index: Any = field(default=None, repr=False)
    settings: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def to_records(self) -> list[dict[str, Any]]:
        """The ``scan -o`` records, one per document, in input order."""
        size = {c.id: len(c) for c in self.clusters}
        ckind = {c.id: c.kind for c in self.clusters}
        out = []
        for i, doc_id in enumerate(self.ids):
            lab = self.labels[i]
            frac = self.boilerplate[i]
            rec: dict[str, Any] = {
                "id": doc_id,
                "cluster": lab,
                "kind": self.kinds[i],
                "boilerplate": None if frac is None else round(float(frac), 4),
                "cluster_size": size.get(lab, 1),
                "cluster_kind": ckind.get(lab),
                "match": self.matches[i] if self.matches else None,
                "note": "; ".join(self.notes[i]) if self.notes[i] else None,
            }
            if self.boilerplate_reports is not None:
                rec["boilerplate_spans"] = len(self.boilerplate_reports[i].spans)
            out.append(rec)
        return out

    def to_pandas(self, *, meta: bool = False):
        """Per-document records as a ``pandas.DataFrame`` (requires pandas).

        Parameters
        ----------
        meta : bool, default=False
            Add the documents' other input fields (JSONL/CSV fields, the other
            DataFrame columns) as columns; a field named like a record column
            becomes ``meta_<name>``.  Off by default so that
            ``df.join(result.to_pandas())`` has no overlapping columns.

        Returns
        -------
        pandas.DataFrame
            Indexed like the input when a pandas object was scanned (the
            ``id`` column is kept), otherwise by ``id``.
        """
        from .._compat import require_pandas

        frame = require_pandas().DataFrame(self.to_records())
        if meta and self.corpus is not None:
            for name, values in _meta_columns(self.corpus, set(frame.columns)).items():
                frame[name] = values
        if self.input_index is not None and len(self.input_index) == len(frame):
            frame.index = self.input_index
            return frame
        return frame.set_index("id")

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

        return load_result(path)

    def rethreshold(
        self,
        rules: KindRules | None = None,
        *,
        threshold: float | None = None,
        strong_jaccard: float | None = None,
        linkage: float | None = None,
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

        Returns
        -------
        ScanResult
            New kinds, clusters, labels and matches.  Only pairs the scan
            scored can be accepted, and the boilerplate fractions and spans
            are the scan's (they are not recomputed).
        """
        from ..detector import Detector

        if threshold is not None and (rules is not None or not 0.0 <= threshold <= 1.0):
            raise ValueError(f"threshold must be in [0, 1] and cannot be given with rules, got {threshold!r}")
        settings = {k: v for k, v in (("strong_jaccard", strong_jaccard), ("linkage", linkage)) if v is not None}
        rules = self.pairs.rules if rules is None else rules
        return Detector(rules=rules, **{**dict(self.settings), **settings})._rethreshold(self, threshold)

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

    def summary(self, *, max_rows: int = 30, width: int = 100) -> str:
        """A plain-text table of the clusters with more than one member."""
        multi = [c for c in self.clusters if len(c) > 1]
        frac = dict(zip(self.ids, self.boilerplate))
        lines = [
            f"{len(self.ids)} documents, {len(multi)} clusters with more than one member, "
            f"{sum(len(c) for c in multi)} documents in them; "
            f"{len(self.pairs.accepted())} accepted pairs of {len(self.pairs)} scored.",
        ]
        if multi:
            lines.append("")
            lines.append(f"{'cluster':<28} {'size':>4}  {'kind':<15} {'boilerpl.':>9}  members")
            for c in multi[:max_rows]:
                mean_bp = _mean_scored([frac[m] for m in c.members])
                members = ", ".join(c.members)
                row = f"{_clip(c.id, 28):<28} {len(c):>4}  {str(c.kind):<15} {mean_bp:>9.2f}  "
                lines.append(row + _clip(members, max(20, width - len(row))))
            if len(multi) > max_rows:
                lines.append(f"... and {len(multi) - max_rows} more clusters")
        noted = [(d, n) for d, n in zip(self.ids, self.notes) if n]
        if noted:
            lines.append("")
            lines.append(f"{len(noted)} documents with notes:")
            for d, n in noted[:max_rows]:
                lines.append(f"  {_clip(d, 40)}: {printable('; '.join(n))}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        multi = sum(1 for c in self.clusters if len(c) > 1)
        return f"ScanResult({len(self.ids)} documents, {multi} clusters with more than one member)"

    def _repr_html_(self) -> str:
        return f"<p><b>{html.escape(repr(self))}</b></p>" + self.clusters._repr_html_()

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


def _meta_columns(corpus: Corpus, taken: set[str]) -> dict[str, list[Any]]:
    """Every meta field of the documents as a column (``None`` where a document lacks it)."""
    metas = [doc.meta_dict() for doc in corpus]
    names: dict[str, None] = {}
    for m in metas:
        names.update(dict.fromkeys(m))
    return {f"meta_{name}" if name in taken else name: [m.get(name) for m in metas] for name in names}


#: Members listed per cluster in the HTML repr; the rest are counted.
_SHOWN_MEMBERS = 8


def _clip_members(members: Sequence[str], shown: int) -> list[str]:
    """The first ``shown`` members, then ``"… +N more"`` when some are left out."""
    head = list(members[:shown])
    if len(members) > shown:
        head.append(f"… +{len(members) - shown} more")
    return head


def _clip(s: str, n: int) -> str:
    """``s`` escaped for the terminal (ids come from the input) and cut to ``n``."""
    s = printable(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def _mean_scored(values: Sequence[float | None]) -> float:
    """Mean of the boilerplate fractions that were scored (NaN when none was)."""
    scored = [float(v) for v in values if v is not None]
    return float(np.mean(scored)) if scored else float("nan")
