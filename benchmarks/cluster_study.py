"""How each clustering of the pair-probability graph does on the real sets, out of fold (issue 10).

The pair probabilities are out of fold (:func:`benchmarks.pair_oof.oof_probability`:
no model scores a pair of a group it trained on) and the pairs are decided as
the detector decides them; only the clustering changes.  Columns: pairwise
P/R/F1 on templated-dev (without the ``hp-humanized`` stretch family),
clough-dev and licenses-dev; on dragnet-train the number of wrongly joined
page pairs (``w``) and the pair recall (its spun copies and 3 gold copies).
Rows:

* ``shipped``: :func:`spindetect.decide.cluster.family_labels` with
  ``resources/linkage.json`` (average linkage, mean-probability gate, local gate);
* ``average linkage, no local gate``: the same with ``local_link=0``;
* ``closed groups kept``: the shipped clustering with ``closed_min_shared=1``
  (:func:`spindetect.decide.cluster.closed_neighbourhoods`: the local gate
  spares a pair whose documents share a linked neighbour and around which
  every examined pair is a link).  Measured (2026-12-01, 06d3d62's model and
  linkage.json, ``benchmarks/fit_linkage.py``'s sweep with it on): at the
  shipped setting templated-dev .514 -> .537 (a 5-page stub family scored
  .34 throughout, under ``local_link`` .35, comes out whole) but
  dragnet-train 27 -> 36 wrongly joined page pairs (33 with
  ``closed_min_shared=3``); at fit_linkage's choice with it on (local gate
  .35, no weak links) templated-dev .530, dragnet-train 29, licenses-dev
  .494 (.497).  So it is off;
* ``components p>=c``: connected components of the accepted pairs scoring at
  least ``c`` (plus exact and near-duplicate pairs);
* ``shared >= s``: components of the accepted pairs whose ends share at least
  ``s`` accepted neighbours, or are each other's only one (shared nearest neighbours);
* ``core m``: components of the accepted pairs whose ends both have at least
  ``m`` accepted neighbours, or share one (core points);
* ``mutual top-k``: components of the accepted pairs each in the other end's
  ``k`` most probable;
* ``oracle accepted`` / ``oracle candidates``: components of the accepted
  (resp. all candidate) pairs that join two documents of one gold group: the
  best any clustering of those edges can do.

Usage::

    python benchmarks/cluster_study.py [--cache DIR]    # about 8 minutes on 2 loaded cores
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks import fit_pairs as fp  # noqa: E402
from benchmarks.fit_linkage import STRETCH  # noqa: E402
from benchmarks.pair_oof import CACHE_ENV, library, oof_probability  # noqa: E402
from benchmarks.pairdata import THRESHOLD  # noqa: E402
from spindetect.decide.cluster import connected_labels, family_labels  # noqa: E402
from spindetect.decide.kinds import frames_kept, name_kinds  # noqa: E402

SETS = ("templated-dev", "dragnet-train", "clough-dev", "licenses-dev")


class Graph:
    """One set's decided candidate pairs: index, probability, kinds, gold."""

    def __init__(self, name: str) -> None:
        s = library().get(name)
        self.name, self.ids, self.gold = name, list(s.data.ids), np.asarray([str(g) for g in s.data.gold])
        self.index = s.scan.pairs.index
        scores = {k: np.asarray(v) for k, v in s.scan.pairs.scores.items()}
        self.prob = oof_probability(s, library().others(name))
        scores["probability"] = self.prob
        self.kinds = np.asarray(name_kinds(scores, (self.prob >= THRESHOLD) | frames_kept(scores)), dtype=object)
        self.jaccard = scores["jaccard"]
        self.strong = (self.kinds == "exact") | ((self.kinds == "near_duplicate") & (self.jaccard >= 0.7))
        self.accepted = self.kinds != "unrelated"

    @property
    def n(self) -> int:
        return len(self.ids)

    def components(self, keep: np.ndarray) -> np.ndarray:
        """Connected components of the kept pairs and the strong ones."""
        return connected_labels(self.n, self.index[keep | self.strong])

    def adjacency(self) -> csr_matrix:
        """0/1 adjacency of the accepted pairs."""
        e = self.index[self.accepted]
        a = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(self.n, self.n)).tocsr()
        a = (a + a.T).tocsr()
        a.data[:] = 1.0
        return a


def shipped(g: Graph, **kw: float | int) -> np.ndarray:
    return family_labels(g.n, g.index, g.kinds, {"probability": g.prob, "jaccard": g.jaccard}, g.ids, **kw)


def shared_rule(g: Graph, s: int) -> np.ndarray:
    a = g.adjacency()
    deg = np.asarray(a.sum(axis=1)).ravel()
    i, j = g.index[:, 0], g.index[:, 1]
    shared = np.asarray(a[i].multiply(a[j]).sum(axis=1)).ravel()
    lone = (deg[i] == 1) & (deg[j] == 1)
    return g.components(g.accepted & ((shared >= s) | lone))


def core_rule(g: Graph, m: int) -> np.ndarray:
    a = g.adjacency()
    deg = np.asarray(a.sum(axis=1)).ravel()
    i, j = g.index[:, 0], g.index[:, 1]
    shared = np.asarray(a[i].multiply(a[j]).sum(axis=1)).ravel()
    lone = (deg[i] == 1) & (deg[j] == 1)
    return g.components(g.accepted & (((deg[i] >= m) & (deg[j] >= m)) | (shared >= 1) | lone))


def mutual_top(g: Graph, k: int) -> np.ndarray:
    ranked: list[list[tuple[float, int]]] = [[] for _ in range(g.n)]
    for (i, j), p in zip(g.index[g.accepted].tolist(), g.prob[g.accepted].tolist()):
        ranked[i].append((-p, j))
        ranked[j].append((-p, i))
    top = [{x[1] for x in sorted(r)[:k]} for r in ranked]
    keep = np.array([j in top[i] and i in top[j] for i, j in g.index.tolist()], dtype=bool)
    return g.components(g.accepted & keep)


def oracle(g: Graph, edges: np.ndarray) -> np.ndarray:
    same = g.gold[g.index[:, 0]] == g.gold[g.index[:, 1]]
    return connected_labels(g.n, g.index[edges & same])


def rules() -> list[tuple[str, Callable[[Graph], np.ndarray]]]:
    """Every clustering compared, by name."""
    out: list[tuple[str, Callable[[Graph], np.ndarray]]] = [
        ("shipped", shipped), ("average linkage, no local gate", lambda g: shipped(g, local_link=0.0)),
        ("closed groups kept", lambda g: shipped(g, closed_min_shared=1))]
    out += [(f"components p>={c}", lambda g, c=c: g.components(g.accepted & (g.prob >= c))) for c in (0.3, 0.5, 0.7)]
    out += [(f"shared >= {s}", lambda g, s=s: shared_rule(g, s)) for s in (1, 2)]
    out += [(f"core {m}", lambda g, m=m: core_rule(g, m)) for m in (3, 5)]
    out += [(f"mutual top-{k}", lambda g, k=k: mutual_top(g, k)) for k in (2, 3, 5)]
    out += [("oracle accepted", lambda g: oracle(g, g.accepted)),
            ("oracle candidates", lambda g: oracle(g, np.ones(len(g.index), dtype=bool)))]
    return out


def cell(g: Graph, labels: np.ndarray) -> str:
    """P/R/F1, or on dragnet-train wrongly joined page pairs and pair recall."""
    gold = g.gold.tolist()
    if g.name == "dragnet-train":
        wrong = fp.wrong_pairs(labels, gold)
        return f"{wrong}w R{fp.pairwise(labels, gold)[1]:.2f}"
    keep = [k for k, x in enumerate(gold) if x != STRETCH]
    p, r, f = fp.pairwise(labels[keep], [gold[k] for k in keep])
    return f"{p:.2f}/{r:.2f}/{f:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, help="keep featurised sets here (see fit_pairs.py --cache)")
    args = ap.parse_args(argv)
    if args.cache:
        os.environ[CACHE_ENV] = str(args.cache)
    graphs = [Graph(n) for n in SETS if n in library().datasets()]
    print(f"{'clustering':32s}" + "".join(f"{g.name:>18s}" for g in graphs))
    for name, rule in rules():
        print(f"{name:32s}" + "".join(f"{cell(g, rule(g)):>18s}" for g in graphs), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
