"""Partitions: rows filed by the top bits of their key, spilled or not, read back in the order added."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.boilerplate.partitions import PARTITION_BITS, Partitions


def _gather(parts: Partitions) -> list[tuple[np.ndarray, ...] | None]:
    return [parts.take(k) for k in range(len(parts))]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 2**64 - 1), max_size=30), min_size=1, max_size=6),
    st.sampled_from([0, 64, 1 << 30]),
)
def test_rows_come_back_by_partition_in_the_order_added(batches, budget):
    parts = Partitions(budget)
    added = []
    for n, keys in enumerate(batches):
        key = np.array(keys, dtype=np.uint64)
        tag = np.arange(len(keys), dtype=np.int64) + 1000 * n  # where the row was added
        parts.add(key, tag)
        added.extend(zip(keys, tag.tolist()))
    taken = _gather(parts)
    parts.close()
    for k, rows in enumerate(taken):
        expected = [(key, tag) for key, tag in added if key >> (64 - PARTITION_BITS) == k]
        got = [] if rows is None else list(zip(rows[0].tolist(), rows[1].tolist()))
        assert got == expected
        if rows is not None:
            assert rows[0].dtype == np.uint64 and rows[1].dtype == np.int64


def test_spilled_rows_equal_rows_kept_in_memory():
    rng = np.random.default_rng(0)
    keys = [rng.integers(0, 2**63, 50, dtype=np.uint64) << np.uint64(1) for _ in range(4)]
    kept, spilled = Partitions(1 << 30), Partitions(0)
    for key in keys:
        kept.add(key, key ^ np.uint64(7))
        spilled.add(key, key ^ np.uint64(7))
    assert spilled.folder is not None and kept.folder is None
    for a, b in zip(_gather(kept), _gather(spilled)):
        assert (a is None) == (b is None)
        if a is not None:
            assert all(np.array_equal(x, y) for x, y in zip(a, b))
    spilled.close()
    assert spilled.folder is None


def test_nothing_added_takes_nothing():
    parts = Partitions(0)
    assert _gather(parts) == [None] * (1 << PARTITION_BITS)
