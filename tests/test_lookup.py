"""The static hash table agrees with a binary search."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.signals.lookup import HashTable, isin_sorted


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=200, unique=True),
    st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=200),
    st.sampled_from([np.uint32, np.uint64]),
)
def test_hash_table_agrees_with_a_dict(keys, queries, dtype):
    keys_a = np.array(keys, dtype=dtype)
    values = np.arange(len(keys), dtype=np.int64) + 10
    queries = keys[: len(keys) // 2] + queries  # some hits, some misses
    table = HashTable(keys_a, values)
    expected = {k: v for k, v in zip(keys, values.tolist())}
    got = table.get(np.array(queries, dtype=dtype), default=-1)
    assert got.tolist() == [expected.get(q, -1) for q in queries]
    found = isin_sorted(np.array(queries, dtype=dtype), np.sort(keys_a))
    assert found.tolist() == [q in expected for q in queries]


def test_hash_table_with_clustered_keys_and_empty_inputs():
    keys = np.arange(1000, dtype=np.uint64) << np.uint64(50)  # many keys per top-bit bucket
    table = HashTable(keys[::-1].copy(), np.arange(1000)[::-1].copy())
    assert table.get(keys).tolist() == list(range(1000))
    assert table.get(keys + np.uint64(1)).tolist() == [0] * 1000
    assert len(HashTable(np.zeros(0, np.uint32))) == 0
    assert HashTable(np.zeros(0, np.uint32)).get(np.array([1, 2], np.uint32)).tolist() == [0, 0]


def test_hash_table_rejects_signed_keys_and_misaligned_values():
    with pytest.raises(TypeError, match="uint32 or uint64"):
        HashTable(np.array([1, 2], dtype=np.int64))
    with pytest.raises(ValueError, match="values"):
        HashTable(np.array([1, 2], dtype=np.uint32), np.array([1]))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=300, unique=True),
    st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=100),
)
def test_small_set_is_exact(keys, others):
    from spindetect.signals.lookup import SmallSet

    s = SmallSet(np.array(keys, dtype=np.uint64))
    queries = keys + others
    assert s.contains(np.array(queries, dtype=np.uint64)).tolist() == [q in set(keys) for q in queries]


def test_small_set_falls_back_when_low_bits_always_collide():
    from spindetect.signals.lookup import SmallSet

    keys = np.array([5, 5 + (1 << 40), 7 << 30], dtype=np.uint64)  # same low 30 bits for two keys
    s = SmallSet(keys)
    assert s.bits == 0
    assert s.contains(np.array([5, 6, 5 + (1 << 40)], dtype=np.uint64)).tolist() == [True, False, True]
