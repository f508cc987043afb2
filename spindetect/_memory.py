"""Give freed memory back to the operating system during a long scan (glibc only).

glibc's allocator serves blocks below its *mmap threshold* from a heap that
only shrinks from the top; the threshold grows (up to 32 MB) each time a large
block is freed.  A scan allocates and frees many arrays of a few MB between its
stages, so freed memory stays in the heap and the resident size of a 100k
scan was some 1.5 GB above what was live.  :func:`release_freed_memory` fixes
the threshold at 256 KB (arrays from there on are mapped and unmapped on their
own) and :func:`trim` returns the heap's free top to the system.  Elsewhere
(macOS, musl, Windows) both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

__all__ = ["release_freed_memory", "trim"]

_M_MMAP_THRESHOLD = -3  # mallopt parameter numbers of glibc's malloc.h
#: Blocks from this size on are mapped on their own (and unmapped when freed).
MMAP_THRESHOLD = 256 * 1024


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def release_freed_memory() -> bool:
    """Fix glibc's mmap threshold so freed arrays go back to the system; False when not glibc."""
    libc = _libc()
    return bool(libc is not None and libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1)


def trim() -> None:
    """Return the free top of the heap to the system (glibc ``malloc_trim``)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
