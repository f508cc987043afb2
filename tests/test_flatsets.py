"""FlatSets: per-document hash sets stored flat, in memory or spilled to a mapped file, read the same."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spindetect as sd
from spindetect.signals import flatsets
from spindetect.signals.flatsets import FlatSets
from tests.test_detector import _copies_corpus

_sets = st.lists(st.lists(st.integers(0, 2**32 - 1), max_size=12, unique=True).map(sorted), max_size=20)


@settings(max_examples=40, deadline=None)
@given(_sets, st.sampled_from([0, 16, 1 << 20]))
def test_sets_read_back_as_given(sets, max_bytes):
    arrays = [np.array(s, dtype=np.uint32) for s in sets]
    flat = FlatSets.from_sets(iter(arrays), max_bytes=max_bytes)
    assert len(flat) == len(arrays)
    assert flat.spilled == (max_bytes < 4 * sum(len(s) for s in sets))
    for got, want in zip(flat, arrays):
        assert got.dtype == np.uint32 and np.array_equal(got, want)
    assert flat.sizes().tolist() == [len(s) for s in sets]
    copy = pickle.loads(pickle.dumps(flat))  # a copy holds the values, not the map
    assert not copy.spilled and all(np.array_equal(a, b) for a, b in zip(copy, arrays))


def test_pages_are_released_while_reading(monkeypatch):
    monkeypatch.setattr(flatsets, "RELEASE_EVERY", 2)
    arrays = [np.arange(k, k + 50, dtype=np.uint32) for k in range(40)]
    flat = FlatSets.from_sets(arrays, max_bytes=0)
    for _ in range(3):
        assert all(np.array_equal(flat[i], arrays[i]) for i in range(len(arrays)))
    assert np.array_equal(flat[-1], arrays[-1])
    with pytest.raises(IndexError):
        flat[40]
    with pytest.raises(TypeError):
        flat[1:3]


def test_scan_is_the_same_with_shingle_sets_spilled(monkeypatch):
    ids, texts, _ = _copies_corpus()
    texts = texts + [t + "\nHome | About | Contact" for t in texts]  # some repeated lines to strip
    ids = ids + [f"{i}-nav" for i in ids]
    expected = sd.Detector(boilerplate=False).fit_detect(texts, ids=ids)
    monkeypatch.setattr(flatsets, "MAX_BYTES", 0)
    spilled = sd.Detector(boilerplate=False).fit_detect(texts, ids=ids)
    assert spilled.labels == expected.labels and spilled.kinds == expected.kinds
    for name, values in expected.pairs.scores.items():
        np.testing.assert_array_equal(np.asarray(spilled.pairs.scores[name]), np.asarray(values), err_msg=name)
