"""Union-find, connected components, family linkage and representatives."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.decide.cluster import (
    UnionFind,
    choose_representatives,
    cluster_pairs,
    connected_labels,
)


def _partition(labels) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, lab in enumerate(np.asarray(labels).tolist()):
        groups.setdefault(lab, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def test_union_find_merges_and_finds():
    uf = UnionFind(5)
    uf.union(0, 1)
    uf.union(3, 4)
    uf.union(1, 4)
    assert uf.find(0) == uf.find(3)
    assert uf.find(2) == 2
    assert _partition(uf.labels()) == {frozenset({0, 1, 3, 4}), frozenset({2})}


def test_union_find_long_chain_is_iterative():
    n = 200_000
    uf = UnionFind(n)
    for i in range(n - 1):
        uf.union(i + 1, i)
    assert uf.find(0) == uf.find(n - 1)


def test_connected_labels_numbered_by_smallest_member():
    labels = connected_labels(6, np.array([[4, 5], [1, 2]]))
    assert labels.tolist() == [0, 1, 1, 2, 3, 3]


def test_strong_edges_chain_but_templated_hub_does_not():
    ids = [f"d{i}" for i in range(5)]
    # 0-1 near duplicates; 2 is a hub with one templated edge to 3 and one to 4.
    pairs = np.array([[0, 1], [2, 3], [2, 4]])
    kinds = ["exact", "templated", "templated"]
    labels = cluster_pairs(5, pairs, kinds, np.array([0.9, 0.5, 0.5]), ids)
    part = _partition(labels)
    assert frozenset({0, 1}) in part
    # the hub joins one of its neighbours at most, never both
    assert frozenset({2, 3, 4}) not in part


def test_dense_templated_family_merges():
    ids = [f"t{i}" for i in range(5)]
    pairs = np.array([[i, j] for i in range(5) for j in range(i + 1, 5) if (i, j) != (0, 4)])
    kinds = ["templated"] * len(pairs)
    labels = cluster_pairs(5, pairs, kinds, np.full(len(pairs), 0.7), ids)
    assert _partition(labels) == {frozenset(range(5))}


def test_unrelated_pairs_are_ignored():
    labels = cluster_pairs(3, np.array([[0, 1], [1, 2]]), ["unrelated", "unrelated"], np.zeros(2), ["a", "b", "c"])
    assert _partition(labels) == {frozenset({0}), frozenset({1}), frozenset({2})}


def test_representative_is_longest_then_smallest_id():
    labels = np.array([0, 0, 0, 1])
    reps = choose_representatives(labels, ["b", "a", "c", "d"], [10, 10, 5, 1])
    assert reps.tolist() == [1, 1, 1, 3]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=12).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.tuples(
                    st.integers(0, n - 1),
                    st.integers(0, n - 1),
                    st.sampled_from(["exact", "near_duplicate", "spun", "templated", "unrelated"]),
                ),
                max_size=30,
            ),
            st.randoms(use_true_random=False),
        )
    )
)
def test_partition_does_not_depend_on_input_order(case):
    n, edges, rnd = case
    edges = [(i, j, k) for i, j, k in edges if i != j]
    ids = [f"doc{i:02d}" for i in range(n)]
    pairs = np.array([[i, j] for i, j, _ in edges], dtype=np.int64).reshape(-1, 2)
    kinds = [k for _, _, k in edges]
    scores = np.array([((i * 7 + j * 3) % 10) / 10 for i, j, _ in edges])
    base = _partition(cluster_pairs(n, pairs, kinds, scores, ids))

    perm = list(range(n))
    rnd.shuffle(perm)  # perm[new] = old
    inv = {old: new for new, old in enumerate(perm)}
    pairs2 = np.array([[inv[i], inv[j]] for i, j, _ in edges], dtype=np.int64).reshape(-1, 2)
    order = list(range(len(edges)))
    rnd.shuffle(order)
    ids2 = [ids[perm[k]] for k in range(n)]
    labels2 = cluster_pairs(n, pairs2[order], [kinds[o] for o in order], scores[order], ids2)
    back = {frozenset(perm[k] for k in g) for g in _partition(labels2)}
    assert back == base


def test_pairs_judged_unrelated_count_against_a_merge():
    ids = [f"d{i}" for i in range(4)]
    # {0,1} and {2,3} are families; two templated cross edges, two cross pairs judged unrelated.
    pairs = np.array([[0, 1], [2, 3], [0, 2], [1, 3], [0, 3], [1, 2]])
    kinds = ["exact", "exact", "templated", "templated", "unrelated", "unrelated"]
    scores = np.full(6, 0.5)
    labels = cluster_pairs(4, pairs, kinds, scores, ids, linkage=0.6)
    assert _partition(labels) == {frozenset({0, 1}), frozenset({2, 3})}
    merged = cluster_pairs(4, pairs[:4], kinds[:4], scores[:4], ids, linkage=0.6)
    assert _partition(merged) == {frozenset(range(4))}
