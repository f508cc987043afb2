"""Dot products of document pairs over sparse rows too many to hold at once.

The character TF-IDF rows of a corpus take about 64 KB a document (thousands
of hashed n-grams each): 6 GB for 100,000 documents.  :func:`pair_dots` reads
the rows once, batch after batch, and never holds them all.  Up to
``max_bytes`` they are kept in memory; beyond, each batch is cut into column
*slices* (ranges of feature indices) that are appended to one file per slice
under a temporary folder, and the slices are then loaded one at a time: the
dot product of two rows is the sum of the dot products of their slices.  Each
row is computed once and memory holds one slice of every row, so the working
memory is ``max_bytes`` whatever the corpus size; the disk holds about 6 bytes
a non-zero for the time of the call.

The disk is bounded too: :func:`pair_blocks` cuts the pairs into blocks
whose documents' rows fit in a budget, and each block is one call of
:func:`pair_dots`.  A document whose pairs fall in several blocks has its
row computed once for each; the pairs are taken in reverse Cuthill-McKee
order of their documents (:func:`scipy.sparse.csgraph.reverse_cuthill_mckee`
numbers the documents so that pairs join documents with close numbers), so
that most of a document's pairs fall in one block.

:func:`stack_rows` joins CSR blocks without holding them twice.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import reverse_cuthill_mckee

__all__ = ["pair_blocks", "pair_dots", "slices_for", "stack_rows"]

#: Pairs whose rows are multiplied at once.  A row of ``nnz`` non-zeros is
#: copied for each side, so this bounds the gather memory to
#: ``2 * step * nnz * 8`` bytes (character rows, one slice: a few MB).
DOT_STEP = 2000

#: Bytes a non-zero takes while a slice loads: the file's 6 (uint16 column,
#: float32 value), the int32 columns, and the joined arrays (4 + 4).
BYTES_PER_NONZERO = 18


def stack_rows(blocks: list[sp.csr_matrix], n_features: int) -> sp.csr_matrix:
    """The CSR blocks one under the other, emptying ``blocks`` as it goes.

    ``scipy.sparse.vstack`` holds every block and the result at once (twice
    the matrix); here each array of the result is joined on its own after the
    blocks are released, so the peak is about 1.5 matrices.

    Parameters
    ----------
    blocks : list of scipy.sparse.csr_matrix
        Blocks with ``n_features`` columns; the list is emptied.
    n_features : int

    Returns
    -------
    scipy.sparse.csr_matrix
    """
    if not blocks:
        return sp.csr_matrix((0, n_features), dtype=np.float32)
    n_rows = sum(b.shape[0] for b in blocks)
    offsets = np.cumsum([0] + [b.nnz for b in blocks])
    indptr = np.concatenate([np.zeros(1, np.int64)] + [b.indptr[1:] + o for b, o in zip(blocks, offsets)])
    datas = [b.data for b in blocks]
    columns = [b.indices for b in blocks]
    blocks.clear()
    data = np.concatenate(datas)
    del datas
    indices = np.concatenate(columns)
    del columns
    index_type = np.int32 if len(data) < 2**31 else np.int64
    return sp.csr_matrix(
        (data, indices.astype(index_type, copy=False), indptr.astype(index_type)),
        shape=(n_rows, n_features),
        copy=False,
    )


def slices_for(expected_nonzeros: int, max_bytes: int) -> int:
    """Column slices (a power of two) that keep ``expected_nonzeros`` within ``max_bytes`` a slice."""
    need = expected_nonzeros * BYTES_PER_NONZERO / max(int(max_bytes), 1)
    slices = 1
    while slices < need:
        slices *= 2
    return slices


def pair_blocks(pairs: np.ndarray, cost: np.ndarray, max_cost: float) -> list[np.ndarray]:
    """Blocks of pairs whose documents' rows cost at most ``max_cost`` together.

    Parameters
    ----------
    pairs : numpy.ndarray of int64, shape (m, 2)
        Document positions.
    cost : numpy.ndarray of float, shape (n_docs,)
        What holding each document's row costs (bytes).
    max_cost : float
        Budget of a block; a single pair above it is a block of its own.

    Returns
    -------
    list of numpy.ndarray of int64
        Indices into ``pairs``; every pair is in exactly one block.  The
        pairs are taken in reverse Cuthill-McKee order of their documents
        (see the module docstring), so few documents fall in two blocks.
    """
    if cost[np.unique(pairs)].sum() <= max_cost:
        return [np.arange(len(pairs))]
    order = _local_order(pairs, len(cost))
    costs = cost.tolist()
    blocks: list[np.ndarray] = []
    start, used, seen = 0, 0.0, set[int]()
    for i, (a, b) in enumerate(pairs[order].tolist()):
        add = sum(costs[d] for d in {a, b} - seen)
        if used + add > max_cost and i > start:
            blocks.append(order[start:i])
            start, used, seen = i, 0.0, set()
            add = sum(costs[d] for d in {a, b})
        seen.update((a, b))
        used += add
    if start < len(order):
        blocks.append(order[start:])
    return blocks


def _local_order(pairs: np.ndarray, n_docs: int) -> np.ndarray:
    """Pair indices sorted by the reverse Cuthill-McKee numbers of their documents (later one first)."""
    if len(pairs) == 0:
        return np.zeros(0, dtype=np.int64)
    ones = np.ones(len(pairs), dtype=np.int8)
    graph = sp.csr_matrix((ones, (pairs[:, 0], pairs[:, 1])), shape=(n_docs, n_docs))
    number = np.empty(n_docs, dtype=np.int64)
    number[reverse_cuthill_mckee((graph + graph.T).tocsr(), symmetric_mode=True)] = np.arange(n_docs)
    lo = np.minimum(number[pairs[:, 0]], number[pairs[:, 1]])
    hi = np.maximum(number[pairs[:, 0]], number[pairs[:, 1]])
    return np.lexsort((lo, hi))


def pair_dots(
    batches: Iterable[tuple[np.ndarray, sp.csr_matrix]],
    pairs: np.ndarray,
    n_docs: int,
    n_features: int,
    *,
    n_slices: int = 1,
    work_dir: str | None = None,
) -> np.ndarray:
    """Dot product of the rows of every pair of documents, the rows given batch by batch.

    Parameters
    ----------
    batches : iterable of (numpy.ndarray, scipy.sparse.csr_matrix)
        Document positions and their rows (one row per position, float32);
        every document of ``pairs`` comes in exactly one batch.
    pairs : numpy.ndarray of int64, shape (m, 2)
        Document positions in ``[0, n_docs)``.
    n_docs : int
        Documents of the corpus (positions are below it).
    n_features : int
        Columns of the rows.
    n_slices : int, default=1
        Column slices held one at a time (see :func:`slices_for`); 1 holds
        every row in memory.
    work_dir : str, optional
        Folder for the slice files (default: the system's temporary folder);
        they are removed before returning.

    Returns
    -------
    numpy.ndarray of float64, shape (m,)
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    out = np.zeros(len(pairs))
    row_of = np.full(n_docs, -1, dtype=np.int64)
    if n_slices <= 1:
        docs, blocks = [], []
        for d, x in batches:
            docs.append(np.asarray(d, dtype=np.int64))
            blocks.append(x.tocsr())
        _place(row_of, docs)
        _accumulate(out, stack_rows(blocks, n_features), pairs, row_of)
        return out
    with tempfile.TemporaryDirectory(prefix="spindetect-rows-", dir=work_dir) as tmp:
        store = _SliceStore(Path(tmp), n_slices, -(-n_features // n_slices))
        docs = []
        for d, x in batches:
            docs.append(np.asarray(d, dtype=np.int64))
            store.append(x.tocsr())
        _place(row_of, docs)
        for s in range(n_slices):
            _accumulate(out, store.load(s), pairs, row_of)
    return out


def _place(row_of: np.ndarray, docs: list[np.ndarray]) -> None:
    """Row of each document in the order the batches came."""
    order = np.concatenate(docs) if docs else np.zeros(0, np.int64)
    row_of[order] = np.arange(len(order))


def _accumulate(out: np.ndarray, x: sp.csr_matrix, pairs: np.ndarray, row_of: np.ndarray) -> None:
    """Add the dot products of rows ``row_of[pairs]`` of ``x`` to ``out``, ``DOT_STEP`` pairs at a time."""
    for s in range(0, len(pairs), DOT_STEP):
        a, b = row_of[pairs[s : s + DOT_STEP, 0]], row_of[pairs[s : s + DOT_STEP, 1]]
        if (a < 0).any() or (b < 0).any():
            raise ValueError("a document of the pairs came in no batch")
        out[s : s + DOT_STEP] += np.asarray(x[a].multiply(x[b]).sum(axis=1), dtype=np.float64).ravel()


class _SliceStore:
    """One file per column slice: per batch, the non-zeros of each row in the slice, then the non-zeros."""

    def __init__(self, folder: Path, n_slices: int, width: int) -> None:
        self.folder = folder
        self.n_slices = n_slices
        self.width = width
        self.column = np.uint16 if width <= 2**16 else np.uint32
        self.count = np.uint16 if width < 2**16 else np.uint32
        self.rows: list[int] = []

    def _path(self, s: int) -> Path:
        return self.folder / f"slice-{s}.bin"

    def append(self, x: sp.csr_matrix) -> None:
        """Cut a batch of rows into column slices and append each to its file."""
        x.sort_indices()
        n_rows = x.shape[0]
        row = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(x.indptr))
        piece = x.indices // self.width
        order = np.argsort(piece, kind="stable")  # slice by slice, rows and columns in order
        counts = np.bincount(piece * n_rows + row, minlength=self.n_slices * n_rows).reshape(self.n_slices, n_rows)
        bounds = np.r_[0, np.cumsum(counts.sum(axis=1))]
        for s in range(self.n_slices):
            sel = order[bounds[s] : bounds[s + 1]]
            with open(self._path(s), "ab") as f:
                f.write(counts[s].astype(self.count).tobytes())
                f.write((x.indices[sel] - s * self.width).astype(self.column).tobytes())
                f.write(x.data[sel].astype(np.float32).tobytes())
        self.rows.append(n_rows)

    def load(self, s: int) -> sp.csr_matrix:
        """Every row's slice ``s``, as a CSR matrix of ``width`` columns."""
        raw = np.fromfile(self._path(s), dtype=np.uint8) if self._path(s).exists() else np.zeros(0, np.uint8)
        counts, columns, values = [], [], []
        at = 0
        cw, vw, nw = np.dtype(self.column).itemsize, 4, np.dtype(self.count).itemsize
        for n_rows in self.rows:
            c = raw[at : at + n_rows * nw].view(self.count).astype(np.int64)
            at += n_rows * nw
            nnz = int(c.sum())
            columns.append(raw[at : at + nnz * cw].view(self.column).astype(np.int32))
            at += nnz * cw
            values.append(raw[at : at + nnz * vw].view(np.float32))
            at += nnz * vw
            counts.append(c)
        n = int(sum(self.rows))
        indptr = np.zeros(n + 1, dtype=np.int64)
        if counts:
            np.cumsum(np.concatenate(counts), out=indptr[1:])
        data = np.concatenate(values) if values else np.zeros(0, np.float32)
        indices = np.concatenate(columns) if columns else np.zeros(0, np.int32)
        del raw, values, columns
        return sp.csr_matrix((data, indices, indptr), shape=(n, self.width), copy=False)
