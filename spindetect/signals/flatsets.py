"""Sets of sorted hashes, one per document, stored flat and spilled to disk past a budget.

The scan keeps each document's word-shingle set (and that of its body) until
every candidate pair has its exact Jaccard: about 2.5 KB a document of 3.7 KB,
2.5 GB for a million documents, as one small array per document.
:class:`FlatSets` holds them as one values array and one offsets array; past
``max_bytes`` the values go part by part to a temporary file
(:class:`~spindetect.signals.spill.Spill`) that is mapped back read-only, and
the pages a reader touched are returned every :data:`RELEASE_EVERY` sets read,
so the resident size holds the offsets and a few pages, not the sets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from .spill import Mapped, Spill

__all__ = ["MAX_BYTES", "RELEASE_EVERY", "FlatSets"]

#: Values kept in memory; beyond, every set is written to a temporary file and mapped back.
MAX_BYTES = 256 << 20
#: Sets read from the map between two releases of its pages.
RELEASE_EVERY = 4096


class FlatSets(Sequence[np.ndarray]):
    """A read-only sequence of 1-d arrays stored flat: ``sets[i]`` is ``values[indptr[i]:indptr[i + 1]]``.

    Build it with :meth:`from_sets`.
    """

    def __init__(self, values: np.ndarray, indptr: np.ndarray, mapped: Mapped | None = None) -> None:
        self.values = values
        self.indptr = indptr
        self._mapped = mapped
        self._reads = 0

    @classmethod
    def from_sets(
        cls, sets: Iterable[np.ndarray], *, dtype: np.dtype | type = np.uint32,
        max_bytes: int | None = None, work_dir: str | None = None,
    ) -> FlatSets:
        """Store ``sets`` (any iterable of 1-d arrays, consumed once), spilling past ``max_bytes`` (default :data:`MAX_BYTES`)."""
        budget = MAX_BYTES if max_bytes is None else max_bytes
        lengths: list[int] = []
        held: list[np.ndarray] = []
        held_bytes = 0
        spill: Spill | None = None
        for s in sets:
            lengths.append(len(s))
            held.append(s)
            held_bytes += len(s) * np.dtype(dtype).itemsize
            if held_bytes > budget:
                spill = spill or Spill(dtype, work_dir=work_dir)
                spill.append(np.concatenate(held) if held else np.zeros(0, dtype))
                held, held_bytes = [], 0
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        rest = np.concatenate(held).astype(dtype, copy=False) if held else np.zeros(0, dtype)
        if spill is None:
            return cls(rest, indptr)
        spill.append(rest)
        mapped = spill.mapped()
        return cls(mapped.array, indptr, mapped)

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __getitem__(self, i):  # int positions only
        if not isinstance(i, (int, np.integer)):
            raise TypeError(f"FlatSets indices must be integers, not {type(i).__name__}")
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"set {i} out of range for {n} sets")
        i = int(i) % n
        if self._mapped is not None:
            self._reads += 1
            if self._reads % RELEASE_EVERY == 0:
                self._mapped.release()
        return self.values[self.indptr[i] : self.indptr[i + 1]]

    def __iter__(self) -> Iterator[np.ndarray]:
        return (self[i] for i in range(len(self)))

    def sizes(self) -> np.ndarray:
        """Length of every set (int64)."""
        return np.diff(self.indptr)

    @property
    def spilled(self) -> bool:
        """Whether the values live in a mapped temporary file."""
        return self._mapped is not None

    def __getstate__(self) -> dict:
        # A copy holds the values themselves, never the map.
        return {"values": np.array(self.values), "indptr": self.indptr}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["values"], state["indptr"])  # type: ignore[misc]

