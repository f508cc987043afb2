"""What the clusters are: the cluster objects, and the description of a labelling.

:func:`cluster_documents` is the clustering step of a scan and of
:meth:`~spindetect.report.results.ScanResult.rethreshold`: from decided pairs
to clusters (:func:`~spindetect.decide.cluster.family_labels`), their
representatives, each cluster's kind, and why each document is in its cluster
(the kind of its strongest pair inside it, and the member it is paired with).
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from .._html import cluster_fragment, fragment_style, html_table
from .cluster import UnionFind, choose_representatives, family_labels
from .kinds import KIND_ORDER
from .pairs import Pairs, pair_strength
from .split import SplitRules, copy_clusters, split_clusters

__all__ = ["CLUSTER_DEFAULTS", "Cluster", "Clusters", "Clustering", "cluster_documents", "cluster_kind", "describe_clusters"]

#: The clustering settings of :class:`~spindetect.Detector` by default (its
#: ``strong_jaccard`` and ``linkage``): what a stored scan without settings is
#: re-clustered with.
CLUSTER_DEFAULTS = MappingProxyType({"strong_jaccard": 0.7, "linkage": 0.5})

_RANK = {k: r for r, k in enumerate(KIND_ORDER)}

#: Members listed per cluster in the HTML repr; the rest are counted.
_SHOWN_MEMBERS = 8


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
        return fragment_style() + cluster_fragment(self.id, self.members, self.kind, self.edge_kinds, self.mean_scores)

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


def _clip_members(members: Sequence[str], shown: int) -> list[str]:
    """The first ``shown`` members, then ``"… +N more"`` when some are left out."""
    head = list(members[:shown])
    if len(members) > shown:
        head.append(f"… +{len(members) - shown} more")
    return head


@dataclass(frozen=True, eq=False)
class Clustering:
    """What the cluster stage gives the report.

    Attributes
    ----------
    representatives : numpy.ndarray of int64
        Position of each document's cluster representative.
    clusters : Clusters
    kinds : tuple of str or None
        Why each document is in its cluster (None when alone).
    matches : tuple of str or None
        The member each document is most strongly paired with.
    """

    representatives: np.ndarray
    clusters: Clusters
    kinds: tuple[str | None, ...]
    matches: tuple[str | None, ...]


def cluster_documents(
    ids: Sequence[str],
    lengths: Sequence[int],
    pairs: Pairs,
    *,
    strong_jaccard: float,
    linkage: float,
    texts: Sequence[str] | None = None,
    split: SplitRules | None = None,
) -> Clustering:
    """Clusters of the accepted pairs, and why each document is in its cluster.

    Parameters
    ----------
    ids : sequence of str
        Document ids in input order.
    lengths : sequence of int
        Text length of each document (the longest member represents a cluster).
    pairs : Pairs
        The decided pairs.
    strong_jaccard, linkage : float
        The clustering settings of :class:`~spindetect.Detector`.
    texts : sequence of str, optional
        The documents' texts: when given, clusters of copies
        (:func:`spindetect.decide.split.copy_clusters`) are then split along
        coherent variant axes (:func:`spindetect.decide.split.split_clusters`);
        template families are never split.
    split : SplitRules, optional
        Bars of that split (default: the shipped ones; ``SplitRules()`` never splits).

    Returns
    -------
    Clustering
    """
    ids = tuple(ids)
    index, kinds, scores = pairs.index, pairs.kinds, pairs.scores
    strength = scores["probability"] if "probability" in scores else pair_strength(scores, kinds)
    raw = family_labels(len(ids), index, kinds, scores, ids, strong_jaccard=strong_jaccard, linkage=linkage)
    if texts is not None:
        raw = split_clusters(raw, texts, split, only=copy_clusters(raw, index, kinds))
    rep = choose_representatives(raw, ids, lengths)
    clusters, doc_kinds, matches = describe_clusters(ids, rep, index, kinds, strength, dict(scores))
    return Clustering(rep, clusters, tuple(doc_kinds), tuple(matches))


def describe_clusters(
    ids: tuple[str, ...],
    rep: np.ndarray,
    pairs: np.ndarray,
    kinds: np.ndarray,
    strength: np.ndarray,
    scores: Mapping[str, np.ndarray],
) -> tuple[Clusters, list[str | None], list[str | None]]:
    """The clusters of a labelling, and each document's kind and closest member.

    Parameters
    ----------
    ids : tuple of str
    rep : numpy.ndarray of int64
        Position of each document's representative.
    pairs : numpy.ndarray of int64, shape (m, 2)
    kinds : numpy.ndarray of object, shape (m,)
    strength : numpy.ndarray of float, shape (m,)
        Orders pairs of one kind (the strongest names the match).
    scores : mapping of str to numpy.ndarray
        Averaged over each cluster's pairs.

    Returns
    -------
    clusters : Clusters
        Largest first, ties by representative id.
    kinds : list of str or None
        Per document: the kind of its strongest pair inside its cluster, else
        the cluster's kind (``None`` when alone).
    matches : list of str or None
        Per document: the member of its strongest pair inside its cluster.
    """
    inside = np.zeros(len(pairs), dtype=bool)
    if len(pairs):
        inside = (rep[pairs[:, 0]] == rep[pairs[:, 1]]) & (kinds != "unrelated")
    rows_inside = np.flatnonzero(inside).tolist()
    doc_kind, matches = _strongest_partners(ids, pairs, kinds, strength, rows_inside)
    members: dict[int, list[int]] = {}
    for i, r in enumerate(rep.tolist()):
        members.setdefault(r, []).append(i)
    edges_of: dict[int, list[int]] = {}
    for row in rows_inside:
        edges_of.setdefault(int(rep[int(pairs[row, 0])]), []).append(row)
    items = []
    for r, mem in members.items():
        cluster = _cluster(ids, r, mem, edges_of.get(r, []), pairs, kinds, scores)
        items.append(cluster)
        for m in mem:
            if doc_kind[m] is None:
                doc_kind[m] = cluster.kind
    items.sort(key=lambda c: (-len(c), c.id))
    return Clusters(tuple(items)), doc_kind, matches


def _strongest_partners(
    ids: tuple[str, ...], pairs: np.ndarray, kinds: np.ndarray, strength: np.ndarray, rows: list[int]
) -> tuple[list[str | None], list[str | None]]:
    """Each document's strongest pair among ``rows`` (strongest kind, then strength): its kind and partner."""
    n = len(ids)
    doc_kind: list[str | None] = [None] * n
    doc_best: list[tuple[int, float] | None] = [None] * n
    matches: list[str | None] = [None] * n
    for row in rows:
        i, j = pairs[row].tolist()
        k = str(kinds[row])
        key = (_RANK[k], -float(strength[row]))
        for a, b in ((i, j), (j, i)):
            best = doc_best[a]
            if best is None or key < best:
                doc_best[a] = key
                doc_kind[a] = k
                matches[a] = ids[b]
    return doc_kind, matches


def _cluster(
    ids: tuple[str, ...],
    r: int,
    mem: list[int],
    rows: list[int],
    pairs: np.ndarray,
    kinds: np.ndarray,
    scores: Mapping[str, np.ndarray],
) -> Cluster:
    """The cluster represented by ``r``: members (representative first), kind, pair counts and mean scores."""
    if len(mem) == 1:
        return Cluster(ids[r], (ids[r],), None)
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(kinds[row])] = counts.get(str(kinds[row]), 0) + 1
    means = tuple(
        (name, float(np.nanmean(vals)))
        for name, vals in ((k, np.asarray(v, dtype=float)[rows]) for k, v in sorted(scores.items()))
        if np.any(~np.isnan(vals))
    )
    return Cluster(
        ids[r],
        tuple(ids[m] for m in [r] + [m for m in mem if m != r]),
        cluster_kind(mem, pairs[rows], kinds[rows]),
        tuple(sorted(counts.items(), key=lambda kv: _RANK[kv[0]])),
        means,
    )


def cluster_kind(members: list[int], pairs: np.ndarray, kinds: np.ndarray) -> str:
    """The weakest kind of evidence needed to connect all ``members``."""
    local = {m: k for k, m in enumerate(members)}
    ranks = np.array([_RANK[str(k)] for k in kinds], dtype=int)
    for level, name in enumerate(KIND_ORDER):
        uf = UnionFind(len(members))
        for (i, j), r in zip(pairs.tolist(), ranks.tolist()):
            if r <= level:
                uf.union(local[i], local[j])
        if len({uf.find(k) for k in range(len(members))}) == 1:
            return name
    return KIND_ORDER[-1]
