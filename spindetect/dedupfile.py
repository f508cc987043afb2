"""The dedup index file: what :meth:`Deduplicator.save` writes and ``load`` accepts.

Layout (``.npz``, no pickle): ``meta`` (UTF-8 JSON: format, params,
signature_config, bands, rows), ``values`` (uint32, n x num_perm),
``n_shingles`` (int64, n), ``pairs`` (int64, m x 2), ``scores`` (float64, m)
and, when the index has ids, ``ids_json`` (UTF-8 JSON list; a numpy string
array would drop trailing NULs).  Files written before ``ids_json`` keep
their ids in a numpy string array ``ids``, still read.

:func:`read_index` checks the meta first (types and ranges of every setting,
``num_perm`` at most :data:`MAX_NUM_PERM`), then every array's header against
the meta before reading it, then the values (lengths agree, pairs index
documents, scores in [0, 1]).  Every problem is an
:class:`~spindetect.indexfile.IndexFileError` naming the file and the field.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np

from .indexfile import ArraySpec, index_error, read_arrays, read_meta, write_arrays
from .text.normalize import NormConfig

__all__ = ["FORMAT", "MAX_NUM_PERM", "write_index", "read_index"]

FORMAT = "spindetect.dedup/1"
#: Largest num_perm an index file may declare (datasketch's examples use at most 512).
MAX_NUM_PERM = 8192

# Every setting of params: (allowed types, check, what it must be).
_INT = (int,)
_PARAMS: dict[str, tuple[tuple[type, ...], Any, str]] = {
    "threshold": ((int, float), lambda v: 0.0 < v < 1.0, "a number in (0, 1)"),
    "num_perm": (_INT, lambda v: 1 <= v <= MAX_NUM_PERM, f"an integer in [1, {MAX_NUM_PERM}]"),
    "ngram": (_INT, lambda v: 1 <= v <= 1000, "an integer in [1, 1000]"),
    "seed": (_INT, lambda v: 0 <= v < 2**32, "an integer in [0, 2**32)"),
    "batch_size": (_INT, lambda v: 1 <= v <= 10**7, "an integer in [1, 10**7]"),
    "max_run": (_INT, lambda v: 2 <= v <= 10**9, "an integer >= 2"),
    "verify": ((str,), lambda v: v in ("estimate", "exact"), "'estimate' or 'exact'"),
    "bands": ((int, type(None)), lambda v: v is None or 1 <= v <= MAX_NUM_PERM, "null or a positive integer"),
    "rows": ((int, type(None)), lambda v: v is None or 1 <= v <= MAX_NUM_PERM, "null or a positive integer"),
}


def write_index(path: str | os.PathLike[str], meta: dict[str, Any], arrays: dict[str, np.ndarray], ids: list[str] | None) -> str:
    """Write an index file atomically; return its path."""
    out = dict(arrays)
    out["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    if ids is not None:
        out["ids_json"] = np.frombuffer(json.dumps(list(ids)).encode("utf-8"), dtype=np.uint8)
    return write_arrays(path, out)


def _check_setting(name: str, value: Any, kinds: tuple[type, ...], ok: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise ValueError(f"params.{name} is {value!r}, expected {what}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"params.{name} is {value!r}, expected {what}")
    if not ok(value):
        raise ValueError(f"params.{name} is {value!r}, expected {what}")


def _check_meta(meta: dict[str, Any]) -> None:
    """Raise ``ValueError`` naming the first field of ``meta`` that is wrong."""
    if meta.get("format") != FORMAT:
        raise ValueError(f"format is {meta.get('format')!r}, expected {FORMAT!r}")
    params = meta.get("params")
    if not isinstance(params, dict):
        raise ValueError("params is missing or not an object")
    for name, (kinds, ok, what) in _PARAMS.items():
        if name not in params:
            raise ValueError(f"params.{name} is missing")
        _check_setting(name, params[name], kinds, ok, what)
    norm = params.get("norm")
    fields = set(NormConfig().to_dict())
    if not isinstance(norm, dict) or set(norm) != fields or not all(isinstance(v, bool) for v in norm.values()):
        raise ValueError(f"params.norm is {norm!r}, expected booleans {sorted(fields)}")
    unknown = set(params) - set(_PARAMS) - {"norm", "storage_config"}
    if unknown:
        raise ValueError(f"params has unknown settings {sorted(unknown)}")
    if not isinstance(meta.get("signature_config"), dict):
        raise ValueError("signature_config is missing or not an object")
    for name in ("bands", "rows"):
        _check_setting(name, meta.get(name), _INT, lambda v: 1 <= v <= MAX_NUM_PERM, "a positive integer")


def _specs(num_perm: int) -> dict[str, ArraySpec]:
    return {
        "values": ArraySpec("<u4", (None, num_perm)),
        "n_shingles": ArraySpec("<i8", (None,)),
        "pairs": ArraySpec("<i8", (None, 2)),
        "scores": ArraySpec("<f8", (None,)),
        "ids_json": ArraySpec("|u1", (None,)),
    }


def _read_ids(path: str, arrays: dict[str, np.ndarray], n: int) -> list[str] | None:
    """The ids: ``ids_json``, or a legacy numpy string array ``ids``."""
    if "ids_json" in arrays:
        try:
            ids = json.loads(arrays.pop("ids_json").tobytes().decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise index_error(path, "ids_json", f"not UTF-8 JSON ({type(exc).__name__})") from None
    else:
        ids = _legacy_ids(path, n)
    if ids is None:
        return None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise index_error(path, "ids", "expected a list of strings")
    if len(ids) != n:
        raise index_error(path, "ids", f"{len(ids)} ids for {n} documents")
    return ids


def _legacy_ids(path: str, n: int) -> list[str] | None:
    """Ids of files written before ``ids_json`` (a ``<U`` array), or None."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        if "ids.npy" not in zf.namelist():
            return None
        with zf.open("ids.npy") as fh:
            version = np.lib.format.read_magic(fh)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read(fh)
        if dtype.kind != "U" or shape != (n,) or dtype.itemsize > 4 * 100_000:
            raise index_error(path, "ids", f"dtype {dtype.str!r} shape {shape}, expected strings of shape ({n},)")
        with zf.open("ids.npy") as fh:
            return np.lib.format.read_array(fh, allow_pickle=False).tolist()


def _check_values(path: str, arrays: dict[str, np.ndarray]) -> None:
    """Lengths agree across arrays, pairs index documents, scores are in [0, 1]."""
    n = arrays["values"].shape[0]
    if arrays["n_shingles"].shape != (n,):
        raise index_error(path, "n_shingles", f"{len(arrays['n_shingles'])} counts for {n} documents")
    if len(arrays["n_shingles"]) and arrays["n_shingles"].min() < 0:
        raise index_error(path, "n_shingles", "negative counts")
    pairs, scores = arrays["pairs"], arrays["scores"]
    if scores.shape != (len(pairs),):
        raise index_error(path, "scores", f"{len(scores)} scores for {len(pairs)} pairs")
    if len(pairs) and (pairs.min() < 0 or pairs.max() >= n):
        raise index_error(path, "pairs", f"positions outside [0, {n})")
    if len(scores) and not (np.isfinite(scores).all() and scores.min() >= 0.0 and scores.max() <= 1.0):
        raise index_error(path, "scores", "values outside [0, 1]")


def read_index(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, np.ndarray], list[str] | None]:
    """Meta, arrays and ids of an index file, every part checked (see the module docstring)."""
    where = os.fspath(path)
    meta = read_meta(where, _check_meta)
    arrays = read_arrays(where, _specs(meta["params"]["num_perm"]), optional=("ids_json",))
    _check_values(where, arrays)
    ids = _read_ids(where, arrays, arrays["values"].shape[0])
    return meta, arrays, ids
