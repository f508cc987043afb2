"""Index files (``.npz``) written atomically and read with every part checked.

A dedup index file is a zip of ``.npy`` arrays (numpy's ``savez``) plus a
``meta`` array of UTF-8 JSON; nothing is pickled.  A file may come from
anywhere, so :func:`read_arrays` checks each array's header (dtype, shape and
the bytes it claims) against what the caller expects *before* reading it:
a tampered header cannot make the reader allocate gigabytes, and every
problem is an :class:`IndexFileError` naming the file and the field.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["IndexFileError", "ArraySpec", "index_error", "MAX_META_BYTES", "write_arrays", "read_meta", "read_arrays"]

#: Largest ``meta`` JSON accepted (a real one is under 2 KB).
MAX_META_BYTES = 1 << 20


class IndexFileError(ValueError):
    """An index file that cannot be read: the message names the file and the field."""


@dataclass(frozen=True)
class ArraySpec:
    """What one array of an index file must be.

    Attributes
    ----------
    dtype : str
        The exact numpy dtype (``"<u4"``, ``"<i8"``, ...).
    shape : tuple of (int or None)
        The shape; ``None`` is any length (the caller checks it across arrays).
    """

    dtype: str
    shape: tuple[int | None, ...]


def write_arrays(path: str | os.PathLike[str], arrays: Mapping[str, np.ndarray]) -> str:
    """Write ``arrays`` to ``path`` (``.npz`` appended if missing) atomically; return the path.

    The file is written under a temporary name in the same folder and renamed
    at the end, so a failed save never leaves a truncated index behind.
    """
    target = os.fspath(path)
    if not target.endswith(".npz"):
        target += ".npz"
    folder = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)  # type: ignore[arg-type]  # numpy stubs type **kwds like allow_pickle
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
    return target


def index_error(path: str, field: str, problem: str) -> IndexFileError:
    """The error for a file whose ``field`` has ``problem``."""
    return IndexFileError(f"{path!r} is not a spindetect dedup index: {field}: {problem}")


def _open_zip(path: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise index_error(path, "file", f"not an .npz archive ({type(exc).__name__}: {exc})") from None


def _header(zf: zipfile.ZipFile, path: str, name: str) -> tuple[tuple[int, ...], np.dtype, int]:
    """Shape, dtype and data size claimed by one ``.npy`` member, read without its data."""
    try:
        info = zf.getinfo(f"{name}.npy")
    except KeyError:
        raise index_error(path, name, "missing") from None
    try:
        with zf.open(info) as fh:
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
            offset = fh.tell()
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, SyntaxError) as exc:
        raise index_error(path, name, f"unreadable array header ({exc})") from None
    if fortran:
        raise index_error(path, name, "Fortran-ordered arrays are not written by spindetect")
    return shape, dtype, info.file_size - offset


def _check_header(path: str, name: str, spec: ArraySpec, header: tuple[tuple[int, ...], np.dtype, int]) -> tuple[int, ...]:
    shape, dtype, size = header
    if dtype.hasobject or dtype != np.dtype(spec.dtype):
        raise index_error(path, name, f"dtype {dtype.str!r}, expected {np.dtype(spec.dtype).str!r}")
    if len(shape) != len(spec.shape) or any(w is not None and w != s for s, w in zip(shape, spec.shape)):
        want = tuple("n" if w is None else w for w in spec.shape)
        raise index_error(path, name, f"shape {shape}, expected {want}")
    claimed = int(np.prod(shape, dtype=object)) * dtype.itemsize
    if claimed != size:
        raise index_error(path, name, f"shape {shape} needs {claimed} bytes, the file holds {size}")
    return shape


def read_meta(path: str | os.PathLike[str], check: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """The ``meta`` JSON object of an index file, passed through ``check`` (which raises)."""
    where = os.fspath(path)
    with _open_zip(where) as zf:
        header = _header(zf, where, "meta")
        shape = _check_header(where, "meta", ArraySpec("|u1", (None,)), header)
        if shape[0] > MAX_META_BYTES:
            raise index_error(where, "meta", f"{shape[0]} bytes, more than {MAX_META_BYTES}")
        raw = _load_member(zf, where, "meta")
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise index_error(where, "meta", f"not UTF-8 JSON ({type(exc).__name__})") from None
    if not isinstance(meta, dict):
        raise index_error(where, "meta", f"a JSON {type(meta).__name__}, expected an object")
    try:
        check(meta)
    except (KeyError, TypeError, ValueError) as exc:
        raise index_error(where, "meta", str(exc).strip("'\"")) from None
    return meta


def read_arrays(
    path: str | os.PathLike[str], specs: Mapping[str, ArraySpec], optional: tuple[str, ...] = ()
) -> dict[str, np.ndarray]:
    """The arrays named in ``specs``, each checked against its spec before it is read.

    Arrays named in ``optional`` may be absent.  Lengths shared across arrays
    (``None`` in the specs) are the caller's to compare.
    """
    where = os.fspath(path)
    out: dict[str, np.ndarray] = {}
    with _open_zip(where) as zf:
        names = set(zf.namelist())
        for name, spec in specs.items():
            if name in optional and f"{name}.npy" not in names:
                continue
            _check_header(where, name, spec, _header(zf, where, name))
            out[name] = _load_member(zf, where, name)
    return out


def _load_member(zf: zipfile.ZipFile, path: str, name: str) -> np.ndarray:
    try:
        with zf.open(f"{name}.npy") as fh:
            return np.lib.format.read_array(fh, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise index_error(path, name, f"unreadable data ({type(exc).__name__}: {exc})") from None
