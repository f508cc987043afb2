"""Arrays too large to keep in memory: written to a temporary file, mapped back read-only.

A scan keeps per-document indexes (passage occurrences, word TF-IDF rows) for
the whole corpus until every candidate pair is scored, while each pair reads
the rows of two documents only.  :class:`Spill` appends an index's array part
by part to an anonymous temporary file (already unlinked: nothing is left on
disk when the process ends); :meth:`Spill.mapped` maps it back as one
read-only array.  Pages read from the map count as resident memory until
:meth:`Mapped.release` returns them to the page cache, so readers release
after each block of pairs: the resident size then holds one block's rows,
not the corpus's.
"""

from __future__ import annotations

import mmap
import tempfile
from typing import IO

import numpy as np

__all__ = ["Mapped", "Spill"]


class Mapped:
    """A read-only array mapped from a file; :meth:`release` drops its resident pages.

    Parameters
    ----------
    file : file object or None
        The file holding the array (None: an empty array).
    dtype : numpy.dtype
    """

    def __init__(self, file: IO[bytes] | None, dtype: np.dtype) -> None:
        self._map: mmap.mmap | None = None
        if file is None or file.seek(0, 2) == 0:
            self.array = np.zeros(0, dtype=dtype)
            return
        self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self.array = np.frombuffer(self._map, dtype=dtype)

    def __getstate__(self) -> dict:
        # A copy (pickle, deepcopy) holds the array itself: nothing mapped to release.
        return {}

    def __setstate__(self, state: dict) -> None:
        self._map = None
        self.array = np.zeros(0)  # the copy's owner holds its own array

    def release(self) -> None:
        """Give the pages read so far back to the page cache (they are read again when needed)."""
        if self._map is not None and hasattr(mmap, "MADV_DONTNEED"):
            self._map.madvise(mmap.MADV_DONTNEED)


class Spill:
    """An array of one dtype appended part by part to a temporary file.

    Parameters
    ----------
    dtype : numpy.dtype
    work_dir : str, optional
        Folder of the temporary file (default: ``TMPDIR``).
    """

    def __init__(self, dtype: np.dtype | type, work_dir: str | None = None) -> None:
        self.dtype = np.dtype(dtype)
        self._file: IO[bytes] | None = tempfile.TemporaryFile(prefix="spindetect-spill-", dir=work_dir)

    def append(self, part: np.ndarray) -> None:
        """Write ``part`` (cast to the dtype) after what is there."""
        if self._file is None:
            raise ValueError("Spill.append after mapped()")
        np.ascontiguousarray(part, dtype=self.dtype).tofile(self._file)

    def mapped(self) -> Mapped:
        """The whole array, mapped read-only; the file is closed (the map keeps it until dropped)."""
        if self._file is None:
            raise ValueError("Spill.mapped called twice")
        self._file.flush()
        out = Mapped(self._file, self.dtype)
        self._file.close()
        self._file = None
        return out
