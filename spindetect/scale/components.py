"""Connected components of a Dask DataFrame of edges, computed on the cluster.

Min-label propagation with pointer jumping: every node starts with its own
label; each round every edge offers the smaller label of its two ends to both,
each node keeps the smallest offer, and then takes its label's label
(``L[v] = min(L[v], L[L[v]])``), which halves the distance to the root of a
chain.  Labels only decrease; a round where no node's label went down is
the fixed point (one count per round).  At the fixed point every component carries its smallest node, i.e.
the first document in input order.  Rounds grow with the log of the longest
path, not with the number of nodes; every round is persisted, so the graph
stays small.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["connected_components"]


def _initial_labels(edges: Any) -> Any:
    import dask.dataframe as dd

    nodes = dd.concat([edges["a"], edges["b"]]).rename("node").to_frame()
    nodes = nodes.drop_duplicates(split_out=max(int(edges.npartitions), 1))
    return nodes.assign(label=nodes["node"]).set_index("node", sort=False)


def _offer(edges: Any, labels: Any) -> Any:
    """Every edge offers ``min(label[a], label[b])`` to both ends; each node keeps the least.

    Returns a frame indexed by node with the new ``label`` and the ``old`` one.
    """
    import dask.dataframe as dd

    e = edges.merge(labels.rename(columns={"label": "la"}), left_on="a", right_index=True)
    e = e.merge(labels.rename(columns={"label": "lb"}), left_on="b", right_index=True)
    low = e["la"].where(e["la"] < e["lb"], e["lb"])
    old = labels.reset_index()
    offers = dd.concat([
        _pairs_frame(e["a"], low, -1), _pairs_frame(e["b"], low, -1),
        old.assign(old=old["label"]),
    ])
    parts = max(int(edges.npartitions), 1)  # fixed: a concat would add up the partitions every round
    return offers.groupby("node").agg({"label": "min", "old": "max"}, split_out=parts)


def _pairs_frame(node: Any, label: Any, old: int) -> Any:
    """A frame ``(node, label, old)`` from two aligned series and a constant."""
    return node.rename("node").to_frame().assign(label=label, old=old)


def _jump(labels: Any) -> Any:
    """``L[v] = min(L[v], L[L[v]])`` (the ``old`` column rides along)."""
    hop = labels.merge(labels[["label"]].rename(columns={"label": "hop"}), left_on="label",
                       right_index=True, how="left")
    hop["hop"] = hop["hop"].fillna(hop["label"]).astype(np.int64)
    return hop.assign(label=hop["label"].where(hop["label"] < hop["hop"], hop["hop"]))[["label", "old"]]


def connected_components(
    edges: Any, *, max_rounds: int = 100, on_round: Callable[[int], None] | None = None
) -> Any:
    """Label of every node that has an edge: the smallest node of its component.

    Parameters
    ----------
    edges : dask.dataframe.DataFrame
        Columns ``a`` and ``b`` (int64 node ids).
    max_rounds : int, default=100
        Safety stop; pointer jumping needs about ``2 log2`` of the longest
        path, far fewer.
    on_round : callable, optional
        Called after every round with the number of labels it lowered.

    Returns
    -------
    dask.dataframe.DataFrame
        Index ``node``, column ``label`` (int64), persisted.

    Raises
    ------
    RuntimeError
        If the labels still change after ``max_rounds`` rounds.
    """
    edges = edges[["a", "b"]].persist()
    labels = _initial_labels(edges).persist()
    for _ in range(int(max_rounds)):
        # two persists a round: optimising offer and jump as one expression
        # takes dask-expr several seconds (measured: 17 s against 4 s for 2 rounds)
        step = _jump(_offer(edges, labels).persist()).persist()
        changed = int((step["label"] < step["old"]).sum().compute())
        if on_round is not None:
            on_round(changed)
        labels = step[["label"]].persist()
        if not changed:
            return labels
    raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
