"""Union-find, connected components, family linkage and representatives."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.decide.cluster import (
    UnionFind,
    choose_representatives,
    closed_neighbourhoods,
    cluster_pairs,
    connected_labels,
    default_linkage,
    family_labels,
    local_means,
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


def _two_families_with_weak_bridge() -> tuple[np.ndarray, list[str], np.ndarray]:
    """{0,1,2} and {3,4,5}: strong inside; across, six weak accepted edges and three clearly unrelated pairs."""
    inside = [[0, 1], [0, 2], [1, 2], [3, 4], [3, 5], [4, 5]]
    across = [[i, j] for i in range(3) for j in range(3, 6)]
    pairs = np.array(inside + across)
    kinds = ["templated"] * 12 + ["unrelated"] * 3
    prob = np.array([0.9] * 6 + [0.31, 0.32, 0.31, 0.32, 0.31, 0.32, 0.02, 0.02, 0.02])
    return pairs, kinds, prob


def test_mean_probability_gate_keeps_weakly_bridged_families_apart():
    pairs, kinds, prob = _two_families_with_weak_bridge()
    ids = [f"d{i}" for i in range(6)]
    # density 6/9 and six links pass the linkage rule; the mean cross probability (0.22) does not pass 0.25
    apart = cluster_pairs(6, pairs, kinds, prob, ids, mean_link=0.25, support=0.0)
    assert _partition(apart) == {frozenset({0, 1, 2}), frozenset({3, 4, 5})}
    joined = cluster_pairs(6, pairs, kinds, prob, ids, mean_link=0.0, support=0.0)
    assert _partition(joined) == {frozenset(range(6))}


def test_mean_gate_does_not_stop_a_family_whose_cross_pairs_are_all_likely():
    ids = [f"t{i}" for i in range(6)]
    pairs = np.array([[i, j] for i in range(6) for j in range(i + 1, 6)])
    kinds = ["templated"] * len(pairs)
    labels = cluster_pairs(6, pairs, kinds, np.full(len(pairs), 0.35), ids, mean_link=0.25)
    assert _partition(labels) == {frozenset(range(6))}


def test_hub_with_strong_edges_to_unrelated_pages_joins_one_of_them_at_most():
    ids = ["hub", "a", "b", "c"]
    # the hub resembles each page; the pages were compared with one another and are unrelated
    pairs = np.array([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]])
    kinds = ["templated"] * 3 + ["unrelated"] * 3
    prob = np.array([0.95, 0.95, 0.95, 0.01, 0.01, 0.01])
    scores = {"probability": prob, "jaccard": np.zeros(6)}
    part = _partition(family_labels(4, pairs, kinds, scores, ids, mean_link=0.25))
    assert max(len(g) for g in part) <= 2


def test_family_labels_reads_the_shipped_mean_link_only_for_model_decided_pairs():
    shipped = default_linkage()
    assert 0.0 <= shipped["mean_link"] < 1.0 and shipped["weak_link"] > 0.0
    pairs, kinds, prob = _two_families_with_weak_bridge()
    ids = [f"d{i}" for i in range(6)]
    rules_scores = {"jaccard": np.zeros(15), "cosine_word": np.full(15, 0.5)}
    # without a probability (opt-in rules) the gate is off: the model default does not apply
    by_rules = family_labels(6, pairs, kinds, rules_scores, ids, linkage=0.5)
    assert _partition(by_rules) == {frozenset(range(6))}


def test_weak_links_grow_a_family_but_never_join_two_lone_documents():
    ids = [f"d{i}" for i in range(4)]
    # 0-1 and 2-3 accepted; across, one accepted edge and three pairs a little under the threshold
    pairs = np.array([[0, 1], [2, 3], [0, 2], [0, 3], [1, 2], [1, 3]])
    kinds = ["templated", "templated", "templated", "unrelated", "unrelated", "unrelated"]
    prob = np.array([0.6, 0.6, 0.35, 0.25, 0.25, 0.25])
    scores = {"probability": prob, "jaccard": np.zeros(6)}
    alone = family_labels(4, pairs, kinds, scores, ids, mean_link=0.0, weak_link=1.01)
    assert frozenset(range(4)) not in _partition(alone)
    grown = family_labels(4, pairs, kinds, scores, ids, mean_link=0.0, weak_link=0.2)
    assert _partition(grown) == {frozenset(range(4))}
    lone = family_labels(2, np.array([[0, 1]]), ["unrelated"], {"probability": np.array([0.25]), "jaccard": np.zeros(1)},
                         ids[:2], mean_link=0.0, weak_link=0.2)
    assert _partition(lone) == {frozenset({0}), frozenset({1})}


# --- named probability graphs with a known partition (issue 10) --------------------------------


def _graph(n: int, edges: dict[tuple[int, int], float], threshold: float = 0.3):
    """Pairs, kinds (templated when accepted) and scores of a probability graph."""
    pairs = np.array(sorted(edges), dtype=np.int64).reshape(-1, 2)
    prob = np.array([edges[tuple(p)] for p in pairs.tolist()], dtype=float)
    kinds = np.where(prob >= threshold, "templated", "unrelated").astype(object)
    return pairs, kinds, {"probability": prob, "jaccard": np.zeros(len(pairs))}


def _family(members: range, prob: float, edges: dict, *, every: int = 1) -> None:
    for a in members:
        for b in members:
            if a < b and (b - a) % every == 0:
                edges[(a, b)] = prob


def test_local_means_read_the_examined_pairs_around_each_pair():
    # 0-1 and 1-2 accepted; 0-2 examined at 0.1.  Around 0-1: 0 with 1's neighbours {0, 1, 2}
    # gives (0,1) and (0,2); 1 with 0's neighbours {0, 1} gives (0,1) again
    pairs = np.array([[0, 1], [1, 2], [0, 2]])
    prob = np.array([0.8, 0.6, 0.1])
    means = local_means(3, pairs, prob, np.array([True, True, False]), np.array([0, 1]))
    assert np.isclose(means[0], (0.8 * 2 + 0.1) / 3)
    # around 1-2: 1 with 2's {1, 2} gives (1,2); 2 with 1's {0, 1, 2} gives (0,2), (1,2)
    assert np.isclose(means[1], (0.6 * 2 + 0.1) / 3)


def test_a_star_hub_does_not_chain_two_families():
    # families {0..5} and {6..11}, dense inside; hub 12 strongly paired with one member of each,
    # and examined, unlikely, with the rest
    edges: dict = {}
    _family(range(6), 0.6, edges)
    _family(range(6, 12), 0.6, edges)
    edges.update({(0, 12): 0.9, (6, 12): 0.9})
    edges.update({(k, 12): 0.05 for k in (*range(1, 6), *range(7, 12))})
    pairs, kinds, scores = _graph(13, edges)
    ids = [f"d{i:02d}" for i in range(13)]
    part = _partition(family_labels(13, pairs, kinds, scores, ids, local_link=0.35))
    assert not any(({0, 6} <= g) for g in part)
    assert frozenset(range(1, 6)) <= next(g for g in part if 1 in g)


def test_a_hub_edge_into_a_family_it_does_not_belong_to_is_sparse_locally():
    edges: dict = {}
    _family(range(6), 0.6, edges)
    edges.update({(0, 6): 0.9})
    edges.update({(k, 6): 0.05 for k in range(1, 6)})
    pairs, kinds, scores = _graph(7, edges)
    ids = [f"d{i}" for i in range(7)]
    alone = _partition(family_labels(7, pairs, kinds, scores, ids, local_link=0.35, mean_link=0.0))
    assert frozenset({6}) in alone and frozenset(range(6)) in alone


def test_a_loose_family_of_50_compared_sparsely_is_one_cluster():
    # each member compared with 4 random others only, all accepted at a modest probability
    n = 50
    rng = np.random.default_rng(3)
    edges = {tuple(sorted((i, int(o)))): 0.45 for i in range(n) for o in rng.choice(np.delete(np.arange(n), i), 4, replace=False)}
    pairs, kinds, scores = _graph(n, edges)
    ids = [f"m{i:02d}" for i in range(n)]
    labels = family_labels(n, pairs, kinds, scores, ids)
    assert _partition(labels) == {frozenset(range(n))}


def test_two_sibling_families_of_one_generator_stay_apart():
    # {0..7} and {8..15}: likely inside; across, a few accepted pairs and many examined, unlikely ones
    edges: dict = {}
    _family(range(8), 0.6, edges)
    _family(range(8, 16), 0.6, edges)
    edges.update({(i, j): 0.1 for i in range(8) for j in range(8, 16)})
    edges.update({(0, 8): 0.4, (1, 9): 0.35, (2, 10): 0.32})
    pairs, kinds, scores = _graph(16, edges)
    ids = [f"s{i:02d}" for i in range(16)]
    assert _partition(family_labels(16, pairs, kinds, scores, ids)) == {frozenset(range(8)), frozenset(range(8, 16))}


def test_closed_neighbourhoods_need_a_triangle_and_no_examined_pair_against():
    # 0-1-2 a triangle of links, 2-3 a link with 3 examined (unlinked) against 0, 4-5 an isolated link
    pairs = np.array([[0, 1], [0, 2], [1, 2], [2, 3], [0, 3], [4, 5]])
    linked = np.array([True, True, True, True, False, True])
    closed = closed_neighbourhoods(6, pairs, linked, np.arange(6))
    # 0-2: 3 is 2's linked neighbour and 0-3 was examined unlinked, so only 0-1 and 1-2 are closed
    assert closed.tolist() == [True, False, True, False, False, False]


def test_closed_groups_keep_a_family_scored_alike_just_over_the_threshold():
    # five short stubs of one skeleton, every pair accepted at 0.34, each examined (0.05) with
    # three pages outside; the local gate (0.35) reads only the family around each pair
    edges: dict = {}
    _family(range(5), 0.34, edges)
    edges.update({(k, 5 + (k + d) % 6): 0.05 for k in range(5) for d in range(3)})
    pairs, kinds, scores = _graph(11, edges)
    ids = [f"d{i:02d}" for i in range(11)]
    gated = _partition(family_labels(11, pairs, kinds, scores, ids, local_link=0.35, mean_link=0.0))
    assert frozenset(range(5)) not in gated  # the shipped rule: the local mean .34 is under .35
    part = _partition(family_labels(11, pairs, kinds, scores, ids, local_link=0.35, mean_link=0.0,
                                    closed_min_shared=1))
    assert frozenset(range(5)) in part
    apart = _partition(family_labels(11, pairs, kinds, scores, ids, local_link=0.35, mean_link=0.0,
                                     closed_min_shared=4))
    assert frozenset(range(5)) not in apart  # members share 3 linked neighbours, not 4


def test_a_pair_of_pages_whose_siblings_were_rejected_stays_gated():
    # 0-1 accepted just over the threshold; both were examined and rejected with 2 and 3, which
    # are linked with each other: not a closed group, so the local gate drops 0-1
    edges = {(0, 1): 0.33, (0, 2): 0.05, (1, 2): 0.05, (0, 3): 0.05, (1, 3): 0.05, (2, 3): 0.9}
    pairs, kinds, scores = _graph(4, edges)
    part = _partition(family_labels(4, pairs, kinds, scores, ["a", "b", "c", "d"], local_link=0.35, mean_link=0.0,
                                    closed_min_shared=1))
    assert frozenset({0, 1}) not in part


def test_an_isolated_spun_pair_is_joined_whatever_the_local_gate():
    pairs, kinds, scores = _graph(3, {(0, 1): 0.55, (1, 2): 0.02})
    part = _partition(family_labels(3, pairs, kinds, scores, ["a", "b", "c"], local_link=0.4))
    assert frozenset({0, 1}) in part


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=3, max_value=14).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.dictionaries(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] < e[1]),
                st.sampled_from([0.02, 0.1, 0.25, 0.35, 0.5, 0.8]),
                max_size=40,
            ),
            st.randoms(use_true_random=False),
            st.sampled_from([0.0, 0.35]),
        )
    )
)
def test_probability_graph_partition_is_deterministic_and_order_free(case):
    n, edges, rnd, local = case
    ids = [f"doc{i:02d}" for i in range(n)]
    pairs, kinds, scores = _graph(n, edges)
    base = _partition(family_labels(n, pairs, kinds, scores, ids, local_link=local))
    assert _partition(family_labels(n, pairs, kinds, scores, ids, local_link=local)) == base
    perm = list(range(n))
    rnd.shuffle(perm)
    inv = {old: new for new, old in enumerate(perm)}
    moved = {tuple(sorted((inv[i], inv[j]))): p for (i, j), p in edges.items()}
    pairs2, kinds2, scores2 = _graph(n, moved)
    order = list(range(len(pairs2)))
    rnd.shuffle(order)
    scores2 = {k: v[order] for k, v in scores2.items()}
    labels2 = family_labels(n, pairs2[order], kinds2[order], scores2, [ids[perm[k]] for k in range(n)],
                            local_link=local)
    assert {frozenset(perm[k] for k in g) for g in _partition(labels2)} == base
