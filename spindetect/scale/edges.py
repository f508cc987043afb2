"""Signatures -> band keys -> shuffle by band key -> candidate pairs -> verified edges.

Every candidate rule is the single-process one (:func:`spindetect.signals.lsh.candidate_pairs`):
the rows of one band key are sorted by position, a run of up to ``max_run``
equal keys emits all its pairs, a longer run a star around its first member
plus the chain of neighbours.  Rows are shuffled by key, so all the rows of a
key meet in one partition, and the same pairs come out.  Verification joins
the edges to the signature frame twice (by ``a``, then by ``b``); the
signature frame has known divisions, so only the edges move.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .._pairs import pairs_in_sorted_runs
from ..signals.lsh import _band_keys
from .partitions import POSITION, hash_columns

__all__ = ["band_rows", "candidate_edges", "verified_edges"]

_EDGE_META = pd.DataFrame({"a": np.zeros(0, np.int64), "b": np.zeros(0, np.int64)})


def _band_part(sigs: pd.DataFrame, bands: int, rows: int, num_perm: int) -> pd.DataFrame:
    """``(key, band, position)`` for every band of every document with shingles."""
    live = sigs[sigs["n_shingles"].to_numpy() > 0]
    values = live[hash_columns(num_perm)].to_numpy(dtype=np.uint32)
    pos = live.index.to_numpy(dtype=np.int64)
    keys = [_band_keys(values, band * rows, rows) for band in range(bands)]
    return pd.DataFrame(
        {
            "key": np.concatenate(keys) if keys else np.zeros(0, np.uint64),
            "band": np.repeat(np.arange(bands, dtype=np.int16), len(pos)),
            POSITION: np.tile(pos, bands),
        }
    )


def band_rows(sigs: Any, *, bands: int, rows: int, num_perm: int) -> Any:
    """Dask DataFrame of band keys: ``bands`` rows a document (16 bytes of key and position)."""
    meta = pd.DataFrame({"key": np.zeros(0, np.uint64), "band": np.zeros(0, np.int16),
                         POSITION: np.zeros(0, np.int64)})
    return sigs.map_partitions(_band_part, int(bands), int(rows), int(num_perm), meta=meta,
                               clear_divisions=True)


def _candidates_part(part: pd.DataFrame, max_run: int) -> pd.DataFrame:
    """Candidate pairs of one shuffled partition: adjacent equal (band, key) runs."""
    if len(part) < 2:
        return _EDGE_META.copy()
    band = part["band"].to_numpy()
    key = part["key"].to_numpy()
    pos = part[POSITION].to_numpy()
    order = np.lexsort((pos, key, band))
    band, key, pos = band[order], key[order], pos[order]
    change = np.ones(len(pos), dtype=bool)
    change[1:] = (band[1:] != band[:-1]) | (key[1:] != key[:-1])
    run = np.cumsum(change)
    pairs = pairs_in_sorted_runs(pos, run, int(max_run))
    out = pd.DataFrame({"a": pairs[:, 0], "b": pairs[:, 1]})
    return out.drop_duplicates(ignore_index=True)


def candidate_edges(band_frame: Any, *, max_run: int = 64, npartitions: int | None = None) -> Any:
    """Unique candidate pairs ``(a, b)``, ``a < b`` (positions), after a shuffle by band key."""
    shuffled = band_frame.shuffle(on="key", npartitions=npartitions)
    cand = shuffled.map_partitions(_candidates_part, int(max_run), meta=_EDGE_META)
    return cand.drop_duplicates(split_out=True) if hasattr(cand, "drop_duplicates") else cand


def _score_part(part: pd.DataFrame, num_perm: int) -> pd.DataFrame:
    cols = hash_columns(num_perm)
    va = part[[c + "_a" for c in cols]].to_numpy(dtype=np.uint32)
    vb = part[[c + "_b" for c in cols]].to_numpy(dtype=np.uint32)
    jac = (va == vb).mean(axis=1) if len(part) else np.zeros(0)
    return pd.DataFrame({"a": part["a"].to_numpy(np.int64), "b": part["b"].to_numpy(np.int64),
                         "jaccard": jac.astype(np.float64)})


def verified_edges(edges: Any, sigs: Any, *, num_perm: int, threshold: float | None) -> Any:
    """Edges with their estimated Jaccard; only those ``>= threshold`` unless it is ``None``."""
    cols = hash_columns(num_perm)
    right = sigs[cols]
    left = edges.merge(right.rename(columns={c: c + "_a" for c in cols}), left_on="a",
                       right_index=True, how="inner")
    both = left.merge(right.rename(columns={c: c + "_b" for c in cols}), left_on="b",
                      right_index=True, how="inner")
    meta = pd.DataFrame({"a": np.zeros(0, np.int64), "b": np.zeros(0, np.int64),
                         "jaccard": np.zeros(0, np.float64)})
    scored = both.map_partitions(_score_part, int(num_perm), meta=meta)
    if threshold is None:
        return scored
    return scored[scored["jaccard"] >= float(threshold)]
