"""Texts in Dask partitions -> one frame of MinHash signatures, indexed by input position.

The *position* of a document is ``partition << 32 | row``: it orders documents
exactly as the input does (partition by partition, row by row) without a pass
to count the partitions, so "the first document of a cluster in input order"
is the one with the smallest position, as in :class:`spindetect.dedup.Deduplicator`.
Each partition's positions lie in ``[p << 32, (p + 1) << 32)``, which gives the
signature frame known divisions: later joins move the (small) frames of edges
to the signatures, never the signatures to the edges.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..signals.minhash import MinHasher

__all__ = ["POSITION", "as_frame", "signature_frame", "hash_columns"]

POSITION = "position"
_SHIFT = 32


def hash_columns(num_perm: int) -> list[str]:
    """Names of the signature columns: ``h0`` ... ``h{num_perm - 1}``."""
    return [f"h{k}" for k in range(num_perm)]


def _positions(n: int, partition_info: dict | None) -> np.ndarray:
    part = 0 if partition_info is None else int(partition_info["number"])
    return (np.int64(part) << np.int64(_SHIFT)) + np.arange(n, dtype=np.int64)


def _frame_part(part: pd.DataFrame, text_col: str, id_col: str | None, partition_info: dict | None = None) -> pd.DataFrame:
    """One partition as ``(position, id, text)``; ids default to the frame's index."""
    if text_col not in part.columns:
        raise KeyError(f"no text column {text_col!r} in the frame (columns: {list(part.columns)})")
    ids = part.index if id_col is None else part[id_col]
    return pd.DataFrame(
        {
            POSITION: _positions(len(part), partition_info),
            "id": [str(i) for i in ids],
            "text": part[text_col].to_numpy(dtype=object),
        }
    )


def _bag_part(items: list, partition_info: dict | None = None) -> pd.DataFrame:
    """A bag partition of texts or ``(id, text)`` pairs; a bare text's id is its position."""
    items = list(items)
    pos = _positions(len(items), partition_info)
    ids, texts = [], []
    for p, item in zip(pos.tolist(), items):
        doc_id, text = (item if isinstance(item, tuple) else (f"{p >> _SHIFT}:{p & 0xFFFFFFFF}", item))
        ids.append(str(doc_id))
        texts.append(text)
    return pd.DataFrame({POSITION: pos, "id": ids, "text": pd.Series(texts, dtype=object)})


def as_frame(data: Any, *, text_col: str = "text", id_col: str | None = None) -> Any:
    """A Dask DataFrame ``(position, id, text)`` from a Dask bag or DataFrame.

    Parameters
    ----------
    data : dask.bag.Bag or dask.dataframe.DataFrame
        A bag of texts or of ``(id, text)`` tuples (a bare text gets the id
        ``"PARTITION:ROW"``), or a DataFrame with a text column.
    text_col : str, default="text"
    id_col : str, optional
        Column of ids; the frame's index when omitted.
    """
    import dask.bag as db
    import dask.dataframe as dd

    meta = pd.DataFrame({POSITION: np.zeros(0, np.int64), "id": pd.Series([], dtype=object),
                         "text": pd.Series([], dtype=object)})
    if isinstance(data, db.Bag):
        from dask import delayed

        part = delayed(_bag_part)
        frames = [part(items, {"number": k}) for k, items in enumerate(data.to_delayed())]
        return dd.from_delayed(frames, meta=meta, verify_meta=False)
    if isinstance(data, dd.DataFrame):
        return data.map_partitions(_frame_part, text_col, id_col, meta=meta)
    raise TypeError(f"expected a dask Bag or DataFrame, got {type(data).__name__}")


def _sign_part(part: pd.DataFrame, hasher: MinHasher, batch_size: int) -> pd.DataFrame:
    """Signatures of one partition, ``batch_size`` texts at a time (the text is dropped)."""
    texts = part["text"].tolist()
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"document {part['id'].iloc[i]!r} is {type(t).__name__}, not str")
    num_perm = int(hasher.num_perm)
    values = np.empty((len(texts), num_perm), dtype=np.uint32)
    counts = np.zeros(len(texts), dtype=np.int64)
    for s in range(0, len(texts), batch_size):
        sig = hasher.transform(texts[s : s + batch_size])
        values[s : s + len(sig)] = sig.values
        counts[s : s + len(sig)] = sig.n_shingles
    out = pd.DataFrame(values, columns=hash_columns(num_perm), index=pd.Index(part[POSITION].to_numpy(), name=POSITION))
    out.insert(0, "n_shingles", counts)
    out.insert(0, "id", part["id"].to_numpy(dtype=object))
    return out


def signature_frame(frame: Any, hasher: MinHasher, *, batch_size: int = 128) -> Any:
    """Signatures of every document: index ``position``, columns ``id``, ``n_shingles``, ``h*``.

    The divisions are known (``p << 32`` for partition ``p``).
    """
    num_perm = int(hasher.num_perm)
    columns: dict[str, Any] = {"id": pd.Series([], dtype=object), "n_shingles": np.zeros(0, np.int64)}
    columns.update({c: np.zeros(0, np.uint32) for c in hash_columns(num_perm)})
    meta = pd.DataFrame(columns, index=pd.Index(np.zeros(0, np.int64), name=POSITION))
    sigs = frame.map_partitions(_sign_part, hasher, int(batch_size), meta=meta, align_dataframes=False)
    n = frame.npartitions
    divisions = tuple((k << _SHIFT) for k in range(n)) + (((n - 1) << _SHIFT) + 0xFFFFFFFF,)
    return _with_divisions(sigs, divisions)


def _with_divisions(frame: Any, divisions: tuple[int, ...]) -> Any:
    """``frame`` with its (true) divisions declared, without computing anything."""
    import dask.dataframe as dd

    parts = frame.to_delayed()
    return dd.from_delayed(parts, meta=frame._meta, divisions=divisions, verify_meta=False)
