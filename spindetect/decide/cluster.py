"""Clustering of accepted pairs: union-find for strong edges, a linkage rule for families.

Strong edges (by default ``exact`` pairs and ``near_duplicate`` pairs whose
shingle Jaccard is high; the caller decides) say that two documents are
versions of one text, which is transitive enough to merge with union-find.
Every other accepted edge (a lighter near-duplicate, ``spun``, ``templated``) is
weaker evidence, and merging on every one of them would let a single hub chain
unrelated documents together (single linkage: on real licence texts, where
notices of different licences share most of their words, it merges whole
licence families).  Groups are therefore grown by *average linkage* over the
weak edges: two groups merge only when the
accepted edges between them are at least ``linkage`` of the pairs across them,
where a pair scored ``unrelated`` counts fully against the merge and a pair no
index proposed counts a quarter (``unexamined_weight``: it is unknown, not
rejected), and the accepted edges number at least ``min_links`` and at least
``support`` per member of the smaller group.  A document linked to one member of a group is not enough to join
it; a document linked to most of its members is.  So a hub with one templated
edge to each of several unrelated pages joins at most one of them.

Representatives follow one deterministic rule that does not depend on input
order: the member with the longest text, ties broken by the smallest id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Real

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .._validation import Interval, check_param
from .kinds import KIND_ORDER, STRONG_KINDS
from .pairs import pair_strength

__all__ = [
    "UnionFind",
    "connected_labels",
    "STRONG_KINDS",
    "KIND_ORDER",
    "cluster_pairs",
    "family_labels",
    "choose_representatives",
]



class UnionFind:
    """Disjoint sets over ``0 .. n-1``: iterative, path halving, union by size.

    Parameters
    ----------
    n : int
        Number of elements.
    """

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, i: int) -> int:
        """Root of the set holding ``i``."""
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> int:
        """Merge the sets of ``i`` and ``j``; return the new root."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return ri
        if self.size[ri] < self.size[rj]:
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.size[ri] += self.size[rj]
        return ri

    def labels(self) -> np.ndarray:
        """Root of every element."""
        return np.fromiter((self.find(i) for i in range(len(self.parent))), np.int64, len(self.parent))


def connected_labels(n: int, pairs: np.ndarray) -> np.ndarray:
    """Connected-component id of each of ``n`` nodes, given undirected edges.

    Parameters
    ----------
    n : int
    pairs : numpy.ndarray of int, shape (m, 2)

    Returns
    -------
    numpy.ndarray of int64
        Component ids ``0 .. k-1``, numbered by their smallest node.
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, raw = connected_components(graph, directed=False)
    # Renumber by smallest member so that ids do not depend on the library's order.
    first = np.full(raw.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, raw, np.arange(n))
    rank = np.empty_like(first)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[raw].astype(np.int64)


def choose_representatives(labels: np.ndarray, ids: Sequence[str], lengths: Sequence[int]) -> np.ndarray:
    """Index of each cluster's representative: longest text, then smallest id.

    Parameters
    ----------
    labels : numpy.ndarray of int
        Cluster id of each document.
    ids : sequence of str
    lengths : sequence of int
        Text length of each document.

    Returns
    -------
    numpy.ndarray of int64
        For each document, the index of its cluster's representative.
    """
    best: dict[int, int] = {}
    for i, lab in enumerate(labels.tolist()):
        cur = best.get(lab)
        if cur is None or (-lengths[i], ids[i]) < (-lengths[cur], ids[cur]):
            best[lab] = i
    return np.fromiter((best[lab] for lab in labels.tolist()), np.int64, len(labels))


def cluster_pairs(
    n: int,
    pairs: np.ndarray,
    kinds: np.ndarray | Sequence[str],
    scores: np.ndarray,
    ids: Sequence[str],
    *,
    strong: np.ndarray | None = None,
    linkage: float = 0.5,
    min_links: int = 2,
    unexamined_weight: float = 0.25,
    support: float = 1.0,
) -> np.ndarray:
    """Cluster documents from classified pairs.

    Parameters
    ----------
    n : int
        Number of documents.
    pairs : numpy.ndarray of int, shape (m, 2)
    kinds : sequence of str
        Kind of each pair; ``unrelated`` pairs are ignored.
    scores : numpy.ndarray of float, shape (m,)
        Strength of each pair, used to order family merges.
    strong : numpy.ndarray of bool, shape (m,), optional
        Which pairs are merged by union-find; the others that are not
        ``unrelated`` go through average linkage.  Default: the pairs whose kind
        is in :data:`STRONG_KINDS`.
    ids : sequence of str
        Document ids, used only to break ties deterministically.
    linkage : float, default=0.5
        Share of cross pairs that must be templated edges for two groups to merge.
    min_links : int, default=2
        Weak edges needed between two groups to merge them, unless the groups
        have fewer cross pairs than that (two lone documents need one).
    unexamined_weight : float, default=0.25
        How much a cross pair that no index proposed (never scored) counts
        against a merge, relative to a pair scored ``unrelated`` (1.0 = all
        cross pairs count fully, 0.0 = only examined pairs count).  0.25 is
        the best value on the licence development set; it lets families of up
        to roughly a hundred members grow from per-document candidate lists,
        while larger ones may stay split into several clusters.
    support : float, default=1.0
        Weak edges needed per member of the smaller group: a group does not
        join another through one or two of its members.

    Returns
    -------
    numpy.ndarray of int64
        Cluster id of each document (``0 .. k-1``, numbered by smallest member).
    """
    check_param("linkage", linkage, [Interval(Real, 0, 1, closed="right")], "cluster_pairs")
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    kinds_arr = np.asarray(kinds, dtype=object)
    if strong is None:
        strong = np.fromiter((k in STRONG_KINDS for k in kinds_arr), bool, len(kinds_arr))
    strong = np.asarray(strong, dtype=bool) & (kinds_arr != "unrelated")
    uf = UnionFind(n)
    for i, j in pairs[strong].tolist():
        uf.union(i, j)
    weak = (kinds_arr != "unrelated") & ~strong
    wp = pairs[weak]
    ws = np.asarray(scores, dtype=float)[weak]
    rejected = pairs[kinds_arr == "unrelated"]
    if len(wp):
        _average_linkage(uf, wp, ws, rejected, ids, linkage, min_links, unexamined_weight, support)
    return connected_labels(n, np.stack([np.arange(n), uf.labels()], axis=1))


def _average_linkage(
    uf: UnionFind,
    pairs: np.ndarray,
    scores: np.ndarray,
    rejected: np.ndarray,
    ids: Sequence[str],
    linkage: float,
    min_links: int,
    unexamined_weight: float,
    support: float,
) -> None:
    """Merge groups joined by weak edges, densest links first, round by round."""
    # The smallest member id names each group, whatever the input order.
    name: dict[int, str] = {}
    for node in range(len(uf.parent)):
        r = uf.find(node)
        if r not in name or ids[node] < name[r]:
            name[r] = ids[node]
    while True:
        roots = [(uf.find(i), uf.find(j)) for i, j in pairs.tolist()]
        links: dict[tuple[int, int], list[float]] = {}
        for (ri, rj), s in zip(roots, scores.tolist()):
            if ri == rj:
                continue
            key = (ri, rj) if ri < rj else (rj, ri)
            acc = links.setdefault(key, [0.0, 0.0])
            acc[0] += 1.0
            acc[1] += s
        against: dict[tuple[int, int], int] = {}
        for i, j in rejected.tolist():
            ri, rj = uf.find(i), uf.find(j)
            if ri != rj:
                key = (ri, rj) if ri < rj else (rj, ri)
                if key in links:
                    against[key] = against.get(key, 0) + 1
        candidates = []
        for (ri, rj), (count, total) in links.items():
            cross = uf.size[ri] * uf.size[rj]
            examined = count + against.get((ri, rj), 0)
            density = count / (examined + unexamined_weight * max(cross - examined, 0))
            support_needed = support * min(uf.size[ri], uf.size[rj])
            if density >= linkage and count >= max(min(min_links, cross), support_needed):
                # Densest first; then stronger; then by ids, so input order never matters.
                tie = min(name[ri], name[rj]), max(name[ri], name[rj])
                candidates.append((-density, -total / count, tie, ri, rj))
        if not candidates:
            return
        candidates.sort()
        touched: set[int] = set()
        merged = False
        for _, _, _, ri, rj in candidates:
            if ri in touched or rj in touched:
                continue
            touched.update((ri, rj))
            name[uf.union(ri, rj)] = min(name[ri], name[rj])
            merged = True
        if not merged:
            return


def family_labels(
    n: int,
    pairs: np.ndarray,
    kinds: Sequence[str] | np.ndarray,
    scores: Mapping[str, np.ndarray],
    ids: Sequence[str],
    *,
    strong_jaccard: float = 0.7,
    linkage: float = 0.5,
) -> np.ndarray:
    """Clusters from decided pairs: the clustering step of the detector.

    Exact pairs and near-duplicates with a shingle Jaccard of at least
    ``strong_jaccard`` merge outright; every other accepted pair goes through
    :func:`cluster_pairs` (average linkage), ordered by its ``probability``
    (or, without a pair model, the mean of its scores).

    Returns
    -------
    numpy.ndarray of int64
        Cluster id of each document.
    """
    kind_arr = np.asarray(kinds, dtype=object)
    if "probability" in scores:
        strength = np.asarray(scores["probability"], dtype=float)
    else:
        strength = pair_strength(scores, kind_arr)
    jac = np.asarray(scores["jaccard"], dtype=float) if len(kind_arr) else np.zeros(0)
    strong = (kind_arr == "exact") | ((kind_arr == "near_duplicate") & (jac >= strong_jaccard))
    return cluster_pairs(n, pairs, kind_arr, strength, ids, strong=strong, linkage=linkage)

