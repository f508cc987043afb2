"""The word TF-IDF rows of a corpus, built a batch at a time and kept in bounded memory.

Scikit-learn's ``TfidfTransformer.fit`` reads the whole count matrix for the
document frequencies, so a corpus's counts, their stacked copy and the
weighted rows were held at once: some 18 KB a document at the peak of a scan,
1.8 GB for 100,000 documents.  :func:`word_tfidf` makes two passes over the
texts instead: the first counts the document frequencies batch by batch (the
counts of a batch are dropped at once), the second counts again and weights
each batch with the fitted transformer (every step of ``transform`` is per
row: the rows are those of the whole-matrix transform).  Up to
:data:`MEMORY_BYTES` the rows stay in memory; beyond, they are appended to
temporary files and mapped back read-only (:mod:`spindetect.signals.spill`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from ..text.tokens import BATCH_DOCS, text_batches
from .pairdots import stack_rows
from .spill import Mapped, Spill

__all__ = ["MEMORY_BYTES", "fitted_transformer", "word_tfidf"]

#: Word TF-IDF rows (8 bytes a non-zero) kept in memory up to this many bytes; beyond, mapped
#: from temporary files.  100,000 generated documents of 3.7 KB have ~850 MB of rows.
MEMORY_BYTES = 256 << 20


def fitted_transformer(df: np.ndarray, n_docs: int) -> TfidfTransformer:
    """``TfidfTransformer(sublinear_tf=True)`` fitted as on a float32 count matrix with these document frequencies.

    The IDF is computed exactly as scikit-learn's ``fit`` does (smoothed,
    float32: ``log((n + 1) / (df + 1)) + 1``); ``tests/test_tfidf.py`` checks
    that it equals the IDF of a fit on the whole matrix, bit for bit.
    """
    transformer = TfidfTransformer(sublinear_tf=True).fit(sp.csr_matrix((1, len(df)), dtype=np.float32))
    smoothed = df.astype(np.float32)
    smoothed += 1.0
    idf = np.full_like(smoothed, fill_value=n_docs + 1, dtype=np.float32)
    idf /= smoothed
    np.log(idf, out=idf)
    idf += 1.0
    transformer.idf_ = idf
    return transformer


def word_tfidf(
    texts: Sequence[str], count: Callable[[Sequence[str]], sp.csr_matrix], *, n_features: int, work_dir: str | None = None
) -> tuple[TfidfTransformer, sp.csr_matrix, tuple[Mapped, ...]]:
    """The fitted transformer, the L2-normalised rows of ``texts``, and the maps to release after reading.

    Parameters
    ----------
    texts : sequence of str
    count : callable
        ``count(batch)`` gives the float32 CSR counts of a batch of texts
        (``n_features`` columns).
    n_features : int
    work_dir : str, optional
        Folder of the temporary files (default: ``TMPDIR``).
    """
    df = np.zeros(n_features, dtype=np.int64)
    for batch in text_batches(texts, BATCH_DOCS):
        df += np.bincount(count(batch).indices, minlength=n_features)
    transformer = fitted_transformer(df, len(texts))
    del df
    rows = _RowStore(n_features, work_dir)
    for batch in text_batches(texts, BATCH_DOCS):
        rows.add(transformer.transform(count(batch), copy=False).tocsr())
    matrix, maps = rows.finish()
    return transformer, matrix, maps


class _RowStore:
    """CSR rows, block after block: in memory up to :data:`MEMORY_BYTES`, then spilled."""

    def __init__(self, n_features: int, work_dir: str | None) -> None:
        self.n_features = n_features
        self.work_dir = work_dir
        self.blocks: list[sp.csr_matrix] = []
        self.row_nnz: list[np.ndarray] = []
        self.n_bytes = 0
        self.spills: tuple[Spill, Spill] | None = None

    def add(self, block: sp.csr_matrix) -> None:
        self.row_nnz.append(np.diff(block.indptr))
        self.n_bytes += block.data.nbytes + block.indices.nbytes
        self.blocks.append(block)
        if self.spills is None and self.n_bytes > MEMORY_BYTES:
            self.spills = (Spill(np.float32, self.work_dir), Spill(np.int32, self.work_dir))
        if self.spills is not None:
            for b in self.blocks:
                self.spills[0].append(b.data)
                self.spills[1].append(b.indices)
            self.blocks = []

    def finish(self) -> tuple[sp.csr_matrix, tuple[Mapped, ...]]:
        if self.spills is None:
            return stack_rows(self.blocks, self.n_features), ()
        nnz = np.concatenate(self.row_nnz) if self.row_nnz else np.zeros(0, np.int64)
        indptr = np.zeros(len(nnz) + 1, dtype=np.int64)
        np.cumsum(nnz, out=indptr[1:])
        maps = tuple(spill.mapped() for spill in self.spills)
        index_type = np.int32 if indptr[-1] < 2**31 else np.int64
        matrix = sp.csr_matrix(
            (maps[0].array, maps[1].array.astype(index_type, copy=False), indptr.astype(index_type)),
            shape=(len(nnz), self.n_features),
            copy=False,
        )
        return matrix, maps
