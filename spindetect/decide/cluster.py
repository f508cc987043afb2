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

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from numbers import Real

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
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
    "default_linkage",
    "default_lift",
    "local_means",
    "closed_neighbourhoods",
    "LINKAGE_FILE",
]

#: The file of :func:`default_linkage`, written by ``benchmarks/fit_linkage.py``.
LINKAGE_FILE = "linkage.json"
#: The settings of :func:`family_labels` stored in :data:`LINKAGE_FILE`.
LINKAGE_SETTINGS = ("mean_link", "weak_link", "unexamined_weight", "local_link")
#: Rows of pairs whose neighbourhood sums are taken at once by :func:`local_means` (bounds memory).
_LOCAL_CHUNK = 65_536


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


def cluster_pairs(  # noqa: PLR0913 (keyword-only settings of the linkage rule)
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
    mean_link: float = 0.0,
    support_links: np.ndarray | None = None,
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
    mean_link : float, default=0.0
        Mean ``scores`` over the examined cross pairs (accepted and
        ``unrelated`` alike) two groups need to merge: with pair-model
        probabilities as ``scores``, average linkage on the probability
        graph, so that a group whose accepted edges are weak and whose other
        examined cross pairs are clearly unrelated stays apart.  0 turns the
        gate off.
    support_links : numpy.ndarray of bool, shape (m,), optional
        Pairs judged ``unrelated`` that still count as links between groups
        (weaker evidence: e.g. a pair probability a little under the
        acceptance threshold).  A merge still needs at least one accepted
        edge between the two groups, so two lone documents never join on
        such a pair alone.

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
    extra = np.zeros(len(pairs), bool) if support_links is None else np.asarray(support_links, dtype=bool)
    unrelated = (kinds_arr == "unrelated") & ~extra
    weak = ~unrelated & ~strong
    all_scores = np.asarray(scores, dtype=float)
    edges = _Edges(pairs[weak], all_scores[weak], ~extra[weak], pairs[unrelated], all_scores[unrelated])
    if len(edges.pairs):
        rule = _LinkRule(linkage, min_links, unexamined_weight, support, mean_link)
        _average_linkage(uf, edges, ids, rule)
    return connected_labels(n, np.stack([np.arange(n), uf.labels()], axis=1))


@dataclass(frozen=True)
class _Edges:
    """The pairs average linkage reads: links (``firm`` when accepted) and examined unrelated pairs."""

    pairs: np.ndarray
    scores: np.ndarray
    firm: np.ndarray
    rejected: np.ndarray
    rejected_scores: np.ndarray


@dataclass(frozen=True)
class _LinkRule:
    """When two groups merge (see :func:`cluster_pairs` for each setting)."""

    linkage: float
    min_links: int
    unexamined_weight: float
    support: float
    mean_link: float

    def passes(self, sizes: tuple[int, int], links: list[float], against: int, total: float) -> float | None:
        """Density of the merge when it passes, else None.

        ``links`` holds the number of links, their score sum and the number
        of accepted (firm) links between the groups; ``against`` examined
        ``unrelated`` pairs join them too; ``total`` is the sum of the scores
        of both.
        """
        count, firm = int(links[0]), links[2]
        cross = sizes[0] * sizes[1]
        examined = count + against
        density = count / (examined + self.unexamined_weight * max(cross - examined, 0))
        needed = max(min(self.min_links, cross), self.support * min(sizes))
        if firm < 1 or density < self.linkage or count < needed or total / examined < self.mean_link:
            return None
        return density


def _average_linkage(uf: UnionFind, edges: _Edges, ids: Sequence[str], rule: _LinkRule) -> None:
    """Merge groups joined by weak edges, densest links first, round by round."""
    # The smallest member id names each group, whatever the input order.
    name: dict[int, str] = {}
    for node in range(len(uf.parent)):
        r = uf.find(node)
        if r not in name or ids[node] < name[r]:
            name[r] = ids[node]
    while True:
        roots = [(uf.find(i), uf.find(j)) for i, j in edges.pairs.tolist()]
        links: dict[tuple[int, int], list[float]] = {}
        for (ri, rj), s, firm in zip(roots, edges.scores.tolist(), edges.firm.tolist()):
            if ri == rj:
                continue
            key = (ri, rj) if ri < rj else (rj, ri)
            acc = links.setdefault(key, [0.0, 0.0, 0.0])
            acc[0] += 1.0
            acc[1] += s
            acc[2] += firm
        against: dict[tuple[int, int], list[float]] = {}
        for (i, j), s in zip(edges.rejected.tolist(), edges.rejected_scores.tolist()):
            ri, rj = uf.find(i), uf.find(j)
            if ri != rj:
                key = (ri, rj) if ri < rj else (rj, ri)
                if key in links:
                    acc = against.setdefault(key, [0.0, 0.0])
                    acc[0] += 1.0
                    acc[1] += s
        candidates = []
        for (ri, rj), acc in links.items():
            n_against, s_against = against.get((ri, rj), (0.0, 0.0))
            density = rule.passes((uf.size[ri], uf.size[rj]), acc, int(n_against), acc[1] + s_against)
            if density is not None:
                # Densest first; then stronger; then by ids, so input order never matters.
                tie = min(name[ri], name[rj]), max(name[ri], name[rj])
                candidates.append((-density, -acc[1] / acc[0], tie, ri, rj))
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


def _symmetric(n: int, pairs: np.ndarray, values: np.ndarray) -> csr_matrix:
    """``n`` x ``n`` matrix holding ``values`` at both ``(i, j)`` and ``(j, i)`` of each pair."""
    m = coo_matrix((values, (pairs[:, 0], pairs[:, 1])), shape=(n, n)).tocsr()
    return (m + m.T).tocsr()


def _row_dots(left: csr_matrix, right: csr_matrix, rows_l: np.ndarray, rows_r: np.ndarray) -> np.ndarray:
    """``left[rows_l[k]] . right[rows_r[k]]`` for every ``k``, a chunk of rows at a time."""
    out = np.zeros(len(rows_l))
    for lo in range(0, len(rows_l), _LOCAL_CHUNK):
        hi = lo + _LOCAL_CHUNK
        out[lo:hi] = np.asarray(left[rows_l[lo:hi]].multiply(right[rows_r[lo:hi]]).sum(axis=1)).ravel()
    return out


def local_means(n: int, pairs: np.ndarray, scores: np.ndarray, linked: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Mean score of the examined pairs around each pair of ``rows``: the local density of the graph.

    For a pair ``(i, j)``, the pairs examined between ``i`` and the linked
    neighbours of ``j`` (``j`` included) and between ``j`` and those of ``i``
    (``i`` included; the pair itself counts twice).  On a family, most such
    pairs are likely too; a hub whose partners belong to different groups
    meets the pairs (examined and unlikely) between one partner and the
    other's group, and pages of one site that share only chrome meet their
    siblings' low scores.  Examined means scored: a pair no index proposed
    says nothing and is left out.

    Parameters
    ----------
    n : int
        Number of documents.
    pairs : numpy.ndarray of int, shape (m, 2)
        Every examined pair.
    scores : numpy.ndarray of float, shape (m,)
        Score (pair probability) of each pair.
    linked : numpy.ndarray of bool, shape (m,)
        Which pairs make two documents neighbours.
    rows : numpy.ndarray of int
        The pairs to compute the mean for.

    Returns
    -------
    numpy.ndarray of float, shape (len(rows),)
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return np.zeros(0)
    near = (_adjacency(n, pairs, linked) + _symmetric(n, np.stack([np.arange(n)] * 2, axis=1), np.full(n, 0.5))).tocsr()
    score = _symmetric(n, pairs, np.asarray(scores, dtype=float))
    seen = _symmetric(n, pairs, np.ones(len(pairs)))
    i, j = pairs[rows, 0], pairs[rows, 1]
    total = _row_dots(score, near, i, j) + _row_dots(score, near, j, i)
    count = _row_dots(seen, near, i, j) + _row_dots(seen, near, j, i)
    return total / np.maximum(count, 1.0)


def closed_neighbourhoods(n: int, pairs: np.ndarray, linked: np.ndarray, rows: np.ndarray, *,
                          min_shared: int = 1) -> np.ndarray:
    """Whether each pair of ``rows`` sits in a closed group of links: a triangle, nothing examined against it.

    True when the two documents share ``min_shared`` linked neighbours and every examined
    pair :func:`local_means` reads around the pair is a link: the pair lies
    inside a group whose members were all accepted with each other (a
    family whose pairs the model scores alike, just over its threshold),
    not on a hub's edge into a group nor between pages whose siblings were
    rejected.

    Parameters
    ----------
    n : int
        Number of documents.
    pairs : numpy.ndarray of int, shape (m, 2)
        Every examined pair.
    linked : numpy.ndarray of bool, shape (m,)
        Which pairs are links.
    rows : numpy.ndarray of int
        The pairs to examine.
    min_shared : int, default=1
        Linked neighbours the two documents must share.

    Returns
    -------
    numpy.ndarray of bool, shape (len(rows),)
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return np.zeros(0, dtype=bool)
    adjacent = _adjacency(n, pairs, linked)
    shared = _row_dots(adjacent, adjacent, pairs[rows, 0], pairs[rows, 1])
    all_linked = local_means(n, pairs, linked.astype(float), linked, rows) >= 1.0
    return (shared >= min_shared) & all_linked


def _adjacency(n: int, pairs: np.ndarray, linked: np.ndarray) -> csr_matrix:
    """Symmetric 0/1 matrix of the documents the ``linked`` pairs make neighbours."""
    adjacent = _symmetric(n, pairs[linked], np.ones(int(linked.sum())))
    adjacent.data[:] = 1.0
    return adjacent


def _locally_weak(n: int, pairs: np.ndarray, kinds: np.ndarray, strength: np.ndarray,
                  strong: np.ndarray, support: np.ndarray, local_link: float,
                  closed_min_shared: int | None = None) -> np.ndarray:
    """Accepted non-strong pairs whose neighbourhood is sparse.

    Their :func:`local_means` (neighbours: every link) is under ``local_link``
    and, when ``closed_min_shared`` is given, they do not sit in a closed group
    of links (:func:`closed_neighbourhoods`).
    """
    weak = (kinds != "unrelated") & ~strong
    if local_link <= 0.0 or not weak.any():
        return np.zeros(len(kinds), dtype=bool)
    linked = (kinds != "unrelated") | support
    rows = np.flatnonzero(weak)
    rows = rows[local_means(n, pairs, strength, linked, rows) < local_link]
    if closed_min_shared is not None:
        rows = rows[~closed_neighbourhoods(n, pairs, linked, rows, min_shared=closed_min_shared)]
    out = np.zeros(len(kinds), dtype=bool)
    out[rows] = True
    return out


def family_labels(  # noqa: PLR0913 (keyword-only settings of the clustering)
    n: int,
    pairs: np.ndarray,
    kinds: Sequence[str] | np.ndarray,
    scores: Mapping[str, np.ndarray],
    ids: Sequence[str],
    *,
    strong_jaccard: float = 0.7,
    linkage: float = 0.5,
    mean_link: float | None = None,
    weak_link: float | None = None,
    unexamined_weight: float | None = None,
    local_link: float | None = None,
    closed_min_shared: int | None = None,
) -> np.ndarray:
    """Clusters from decided pairs: the clustering step of the detector.

    Exact pairs and near-duplicates with a shingle Jaccard of at least
    ``strong_jaccard`` merge outright; every other accepted pair goes through
    :func:`cluster_pairs` (average linkage), ordered by its ``probability``
    (or, without a pair model, the mean of its scores).  Pairs decided by the
    pair model also need a mean probability over the examined cross pairs of
    at least ``mean_link`` (default: :func:`default_linkage`, chosen out of
    fold by ``benchmarks/fit_linkage.py``), and pairs the model did not
    accept but scored at least ``weak_link`` (same default source) count as
    links too, though never the only one between two groups, and a cross
    pair no index proposed counts ``unexamined_weight`` against a merge
    (same default source; 0.25 for pairs decided by rules).  An accepted pair
    whose neighbourhood is sparse (:func:`local_means` under ``local_link``,
    same default source; 0 = off) counts as a pair the model did not accept:
    a hub's edges into groups it does not belong to, pages of one site joined
    by chrome among siblings the model rejects.  ``closed_min_shared`` (default
    None: off) keeps a pair in a closed group of links whose documents share at
    least that many linked neighbours (:func:`closed_neighbourhoods`); out of
    fold it joins more Dragnet pages, so the detector does not use it (see
    ``benchmarks/cluster_study.py``).  Pairs decided by rules have
    no probability and skip all but the unexamined weight.

    Returns
    -------
    numpy.ndarray of int64
        Cluster id of each document.
    """
    kind_arr = np.asarray(kinds, dtype=object)
    jac = np.asarray(scores["jaccard"], dtype=float) if len(kind_arr) else np.zeros(0)
    strong = (kind_arr == "exact") | ((kind_arr == "near_duplicate") & (jac >= strong_jaccard))
    if "probability" not in scores:
        unseen = 0.25 if unexamined_weight is None else unexamined_weight
        return cluster_pairs(n, pairs, kind_arr, pair_strength(scores, kind_arr), ids, strong=strong,
                             linkage=linkage, unexamined_weight=unseen)
    given = {"mean_link": mean_link, "weak_link": weak_link, "unexamined_weight": unexamined_weight,
             "local_link": local_link}
    knob = {k: float(v) if (v := given[k]) is not None else shipped for k, shipped in default_linkage().items()}
    strength = np.asarray(scores["probability"], dtype=float)
    extra = (kind_arr == "unrelated") & (strength >= knob["weak_link"])
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    sparse = _locally_weak(n, pairs, kind_arr, strength, strong, extra, knob["local_link"], closed_min_shared)
    if sparse.any():
        kind_arr = np.where(sparse, "unrelated", kind_arr).astype(object)
        extra = extra | (sparse & (strength >= knob["weak_link"]))
    return cluster_pairs(
        n, pairs, kind_arr, strength, ids, strong=strong, linkage=linkage, mean_link=knob["mean_link"],
        support_links=extra, unexamined_weight=knob["unexamined_weight"],
    )


def default_linkage() -> dict[str, float]:
    """The shipped ``mean_link``, ``weak_link``, ``unexamined_weight`` and ``local_link`` of :func:`family_labels`.

    Read from ``spindetect/resources/linkage.json``.

    Chosen out of fold by ``benchmarks/fit_linkage.py`` (which rebuilds the
    file byte for byte): the value with the best mean out-of-fold F1 over the
    real dev sets, pair probabilities from models that never saw the fold.
    """
    text = resources.files("spindetect.resources").joinpath(LINKAGE_FILE).read_text(encoding="utf-8")
    doc = json.loads(text)
    return {k: float(doc[k]) for k in LINKAGE_SETTINGS}


def default_lift() -> tuple[float | None, float]:
    """The shipped corpus-relative acceptance ``(z_min, to)`` of :func:`spindetect.decide.relative.lift`.

    Read from ``spindetect/resources/linkage.json`` (``lift_z``, ``lift_to``;
    ``lift_z`` null or absent: off), chosen out of fold by
    ``benchmarks/fit_linkage.py``.
    """
    text = resources.files("spindetect.resources").joinpath(LINKAGE_FILE).read_text(encoding="utf-8")
    doc = json.loads(text)
    z_min = doc.get("lift_z")
    return (None if z_min is None else float(z_min)), float(doc.get("lift_to", 0.0))

