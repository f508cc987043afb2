"""Rows filed by the top bits of a 64-bit key, spilled to disk past a budget, read back a partition at a time.

The boilerplate scorer gathers, batch by batch, arrays whose total grows with
the corpus: one hash per (unit, owner) pair to count, and the units of groups
of copies spread over several batches, to count once per group.  A
:class:`Partitions` files each row under the top :data:`PARTITION_BITS` bits
of its key, keeps up to ``budget`` bytes in memory and appends the rest to one
file per partition and column under a temporary folder.  :meth:`Partitions.take`
returns one partition's rows in the order they were added, so whatever is done
with them (sorting, counting, keeping the first of each key) works on one
partition, not the corpus, and rows of one key always meet in one partition.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

__all__ = ["PARTITION_BITS", "Partitions"]

#: Rows are split by the top bits of their key into ``2 ** PARTITION_BITS`` partitions.
PARTITION_BITS = 4


class Partitions:
    """Columns of rows filed under the top :data:`PARTITION_BITS` bits of a uint64 key.

    Parameters
    ----------
    budget : int
        Bytes kept in memory; past it every gathered row is appended to the
        partition files (under ``TMPDIR``) and freed.
    prefix : str
        Name prefix of the temporary folder.
    """

    def __init__(self, budget: int, prefix: str = "spindetect-parts-") -> None:
        self.budget = budget
        self.prefix = prefix
        self.parts: list[list[tuple[np.ndarray, ...]]] = [[] for _ in range(1 << PARTITION_BITS)]
        self.n_bytes = 0
        self.dtypes: tuple[np.dtype, ...] | None = None
        self.folder: tempfile.TemporaryDirectory | None = None

    def __len__(self) -> int:
        return len(self.parts)

    def add(self, key: np.ndarray, *columns: np.ndarray) -> None:
        """File the rows ``(key[i], columns[0][i], ...)``; ``key`` is uint64, every column as long."""
        cols = (key, *columns)
        if self.dtypes is None:
            self.dtypes = tuple(c.dtype for c in cols)
        part = (key >> np.uint64(64 - PARTITION_BITS)).astype(np.uint8)
        order = np.argsort(part, kind="stable")  # rows of a partition keep their order
        cuts = np.searchsorted(part[order], np.arange(1, len(self.parts), dtype=np.uint8))
        for k, rows in enumerate(np.split(order, cuts)):
            if len(rows):
                self.parts[k].append(tuple(c[rows] for c in cols))
        self.n_bytes += sum(c.nbytes for c in cols)
        if self.n_bytes > self.budget:
            self._spill()

    def _path(self, part: int, column: int) -> Path:
        assert self.folder is not None
        return Path(self.folder.name) / f"{part}.{column}.bin"

    def _spill(self) -> None:
        """Append every gathered row to its partition's files and free them."""
        if self.folder is None:
            self.folder = tempfile.TemporaryDirectory(prefix=self.prefix)
        for k, chunks in enumerate(self.parts):
            if not chunks:
                continue
            for c in range(len(chunks[0])):
                with open(self._path(k, c), "ab") as f:
                    for chunk in chunks:
                        chunk[c].tofile(f)
            chunks.clear()
        self.n_bytes = 0

    def take(self, part: int) -> tuple[np.ndarray, ...] | None:
        """The columns of partition ``part`` (key first), in the order added, emptying it; None if empty."""
        if self.dtypes is None:
            return None
        columns: list[list[np.ndarray]] = [[] for _ in self.dtypes]
        for c, dtype in enumerate(self.dtypes):
            path = None if self.folder is None else self._path(part, c)
            if path is not None and path.exists():
                columns[c].append(np.fromfile(path, dtype=dtype))  # spilled rows came first
                path.unlink()
            columns[c].extend(chunk[c] for chunk in self.parts[part])
        self.n_bytes -= sum(c.nbytes for chunk in self.parts[part] for c in chunk)
        self.parts[part] = []
        if not columns[0]:
            return None
        return tuple(np.concatenate(c) for c in columns)

    def close(self) -> None:
        """Drop every row and the temporary folder."""
        self.parts = [[] for _ in self.parts]
        self.n_bytes = 0
        if self.folder is not None:
            self.folder.cleanup()
            self.folder = None
