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
    the estimated share of the document's words that are boilerplate
    (``boilerplate_chars``: the same spans as a share of characters).

Further fields extend the record and may be added to, never renamed.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._terminal import printable
from ..decide.describe import Clusters
from ..decide.pairs import Pairs
from ..text.corpus import Corpus

__all__ = ["ScanData", "mean_scored"]


@dataclass(frozen=True, eq=False)
class ScanData:
    """The fields of a :class:`~spindetect.report.results.ScanResult` and their plain views.

    Records, pandas and the text summary; the report modules (HTML, plots,
    explanations, storage) read this, and
    :class:`~spindetect.report.results.ScanResult` adds the methods that reach
    them.  See :class:`~spindetect.report.results.ScanResult` for the fields.
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
                "boilerplate_chars": self._char_fraction(i),
                "cluster_size": size.get(lab, 1),
                "cluster_kind": ckind.get(lab),
                "match": self.matches[i] if self.matches else None,
                "note": "; ".join(self.notes[i]) if self.notes[i] else None,
            }
            if self.boilerplate_reports is not None:
                rec["boilerplate_spans"] = len(self.boilerplate_reports[i].spans)
            out.append(rec)
        return out

    def _char_fraction(self, i: int) -> float | None:
        """Document ``i``'s boilerplate share of characters, rounded as in the record; None when not scored."""
        if self.boilerplate_reports is None or self.boilerplate[i] is None:
            return None
        return round(float(self.boilerplate_reports[i].char_fraction), 4)

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
            lines.append(f"{'cluster':<28} {'size':>4}  {'kind':<15} {'bp words':>9}  members")
            for c in multi[:max_rows]:
                mean_bp = mean_scored([frac[m] for m in c.members])
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


def _meta_columns(corpus: Corpus, taken: set[str]) -> dict[str, list[Any]]:
    """Every meta field of the documents as a column (``None`` where a document lacks it)."""
    metas = [doc.meta_dict() for doc in corpus]
    names: dict[str, None] = {}
    for m in metas:
        names.update(dict.fromkeys(m))
    return {f"meta_{name}" if name in taken else name: [m.get(name) for m in metas] for name in names}


def _clip(s: str, n: int) -> str:
    """``s`` escaped for the terminal (ids come from the input) and cut to ``n``."""
    s = printable(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def mean_scored(values: Sequence[float | None]) -> float:
    """Mean of the boilerplate fractions that were scored (NaN when none was)."""
    scored = [float(v) for v in values if v is not None]
    return float(np.mean(scored)) if scored else float("nan")
