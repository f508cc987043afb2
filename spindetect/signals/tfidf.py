"""TF-IDF cosine similarity over scikit-learn's vectorisers, without all-pairs work.

Word vectors (unigrams and bigrams) are hashed counts, like scikit-learn's
``HashingVectorizer`` (no vocabulary dict to grow with the corpus, memory
bounded by the number of non-zeros), weighted by scikit-learn's
``TfidfTransformer``.  The counts are built here from the token hashes of
:func:`spindetect.tokens.hash_tokens` -- the same tokens and normalisation as
the shingles -- in a few array operations per batch: ``HashingVectorizer``'s
Python analyser made them the costliest step of a scan (21 s of 150 s for
30k documents; about 4 s this way).

Neighbours are found without the all-pairs product (which grows with N² because
every two documents share some word): each document keeps its ``top_terms``
heaviest terms; terms held by more than ``max_postings`` documents are dropped
from this index (they are common, so they say little about *which* documents
are alike); two documents become candidates when they share at least
``min_shared`` of their remaining top terms, and only candidates get an exact
cosine.  The work grows with ``N * top_terms * max_postings``, i.e. linearly.

Character n-gram vectors (3-5-grams of the case-folded text with white space
collapsed) would cost milliseconds a document in scikit-learn's Python
analyser, so they are hashed here in numpy over the whole batch's UTF-8 bytes
(rolling polynomial hashes, one array operation per n) and counted into a
sparse matrix; scikit-learn's ``TfidfTransformer`` then weights them.  They are
built only for the documents that appear in the pairs being scored, with the
IDF learnt from a fixed, seeded sample of the corpus.  For non-ASCII text the
n-grams are byte n-grams, which is as good for a similarity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfTransformer

from .._constants import HASH_MULT
from .._pairs import unique_pairs
from .._parallel import N_JOBS, ordered_map
from .._validation import Interval, check_fitted, reject_bare_str, validate_params
from ..text.normalize import strip_invisible
from ..text.tokens import BATCH_DOCS, fmix64, given_or_content_ranks, hash_tokens, text_batches, window_sums
from .lookup import sorted_unique
from .lsh import top_k_pairs
from .pairdots import pair_blocks, pair_dots, slices_for, stack_rows
from .wordrows import word_tfidf

__all__ = ["TfidfSimilarity"]

_WS = re.compile(r"\s+")

#: Characters of a text the character n-grams read (``char_ngram_counts``' default).
_CHAR_MAX = 20000

#: Non-zeros of a text's character n-gram row, at most: one n-gram of each
#: length starts at every byte (3-5-grams: 3 a byte).
_CHAR_NONZEROS_PER_BYTE = 3
#: Bytes a character n-gram takes in the slice files (uint16 column, float32 value).
_CHAR_DISK_PER_NONZERO = 6
#: At most this many slice files (a slice of 2**20 / 1024 columns still holds
#: 1/1024 of the rows: 64 MB for a million documents of 3.7 KB).
_MAX_SLICES = 1024
#: Pairs whose word rows are multiplied at once (about 8 KB a row: some 32 MB).
_WORD_DOT_STEP = 2000
#: Rows the neighbour search reads between two releases of mapped rows' pages (~80 MB).
_RELEASE_ROWS = 10000


def char_ngram_counts(
    texts: Sequence[str], *, ngram_range: tuple[int, int] = (3, 5), n_features: int = 2**20, max_chars: int = 20000
) -> sp.csr_matrix:
    """Hashed counts of character n-grams of each text, vectorised over a batch.

    Parameters
    ----------
    texts : sequence of str
    ngram_range : tuple of int
        Smallest and largest n.
    n_features : int
        Hashing space (a power of two).
    max_chars : int
        Only the first ``max_chars`` characters of a text are used.

    Returns
    -------
    scipy.sparse.csr_matrix of float32, shape (len(texts), n_features)
    """
    lo, hi = ngram_range
    encoded = [_WS.sub(" ", strip_invisible(t[:max_chars]).casefold()).strip().encode("utf-8") for t in texts]
    lengths = np.fromiter((len(e) for e in encoded), np.int64, len(encoded))
    buf = np.frombuffer(b"\x00".join(encoded) + b"\x00", dtype=np.uint8)
    doc = np.repeat(np.arange(len(encoded)), lengths + 1)
    sep = buf == 0
    rows, cols = [], []
    mask_bits = np.uint64(n_features - 1)
    acc = np.zeros(len(buf), dtype=np.uint64)
    bad = np.zeros(len(buf), dtype=bool)
    for j in range(hi):
        kept = max(len(buf) - j, 0)  # a buffer shorter than the n-gram (empty texts) keeps nothing
        shifted = np.zeros(len(buf), dtype=np.uint64)
        shifted[:kept] = buf[j:]
        acc = acc * np.uint64(0x100000001B3) + shifted
        crossing = np.ones(len(buf), dtype=bool)
        crossing[:kept] = sep[j:]
        bad |= crossing
        n = j + 1
        if n >= lo:
            ok = np.flatnonzero(~bad)
            h = fmix64(acc[ok] ^ np.uint64(n)) & mask_bits
            rows.append(doc[ok])
            cols.append(h.astype(np.int64))
    if rows:
        r = np.concatenate(rows)
        c = np.concatenate(cols)
    else:
        r = c = np.zeros(0, np.int64)
    return sp.csr_matrix(
        (np.ones(len(r), dtype=np.float32), (r, c)), shape=(len(encoded), n_features), dtype=np.float32
    )


def word_ngram_counts(
    texts: Sequence[str], *, ngram_range: tuple[int, int] = (1, 2), n_features: int = 2**20, batch_size: int = BATCH_DOCS
) -> sp.csr_matrix:
    """Hashed counts of word n-grams of each text, vectorised over batches.

    Tokens and their normalisation are those of the shingles
    (:func:`spindetect.tokens.hash_tokens`); an n-gram's hash combines its
    token hashes, so no Python string is made per token.

    Parameters
    ----------
    texts : sequence of str
    ngram_range : tuple of int
        Smallest and largest n.
    n_features : int
        Hashing space (a power of two).
    batch_size : int
        Documents tokenised at a time (bounds working memory).

    Returns
    -------
    scipy.sparse.csr_matrix of float32, shape (len(texts), n_features)
    """
    lo, hi = ngram_range
    if not 1 <= lo <= hi:
        raise ValueError(f"ngram_range must satisfy 1 <= lo <= hi, got {ngram_range!r}")
    mask = np.uint64(n_features - 1)
    blocks = []
    for batch in text_batches(texts, batch_size):
        th, indptr = hash_tokens(batch)
        doc = np.repeat(np.arange(len(indptr) - 1, dtype=np.int64), np.diff(indptr))
        end = np.repeat(indptr[1:], np.diff(indptr))  # end of each token's document
        rows, cols = [], []
        for n in range(lo, hi + 1):
            m = len(th) - n + 1
            if m <= 0:
                break
            ok = np.flatnonzero(np.arange(m) + n <= end[:m])  # windows inside one document
            h = fmix64(window_sums(th, n, m)[ok] ^ np.uint64(HASH_MULT * n % 2**64)) & mask
            rows.append(doc[ok])
            cols.append(h.astype(np.int64))
        r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
        x = sp.csr_matrix(
            (np.ones(len(r), dtype=np.float32), (r, c)), shape=(len(indptr) - 1, n_features), dtype=np.float32
        )
        x.sum_duplicates()
        blocks.append(x)
    return stack_rows(blocks, n_features)


def _rowwise_dot(
    x: sp.csr_matrix,
    pairs: np.ndarray,
    row_of: np.ndarray | None = None,
    step: int = 20000,
    release: Callable[[], None] | None = None,
) -> np.ndarray:
    """Dot product of rows ``pairs[:, 0]`` and ``pairs[:, 1]`` of an L2-normalised matrix.

    ``step`` pairs at a time: their two row copies are the working memory;
    ``release()`` is called after each step (mapped rows give back their pages).
    """
    out = np.zeros(len(pairs))
    for s in range(0, len(pairs), step):
        p = pairs[s : s + step]
        a, b = p[:, 0], p[:, 1]
        if row_of is not None:
            a, b = row_of[a], row_of[b]
        out[s : s + step] = np.asarray(x[a].multiply(x[b]).sum(axis=1)).ravel()
        if release is not None:
            release()
    return np.clip(out, 0.0, 1.0)


#: Rows of the top-term matrix multiplied at a time in the neighbour search: each holds up to
#: ``top_terms * max_postings`` (768) shared-term counts, so a block is a few tens of MB, where
#: the whole product took ~1.3 GB for 100,000 documents.
_SHARING_ROWS = 8192


def _sharing_pairs(t: sp.csr_matrix, min_shared: int) -> np.ndarray:
    """Pairs ``i < j`` of rows of ``t`` (0/1 term indicators) sharing at least ``min_shared`` terms.

    ``t @ t.T`` a block of rows at a time: the product of the whole matrix
    held every shared-term count of the corpus at once.
    """
    tt = t.T.tocsr()
    found = [np.zeros((0, 2), np.int64)]
    for lo in range(0, t.shape[0], _SHARING_ROWS):
        block = (t[lo : lo + _SHARING_ROWS] @ tt).tocoo()
        rows = block.row.astype(np.int64) + lo
        sel = (block.col > rows) & (block.data >= min_shared)
        found.append(np.stack([rows[sel], block.col[sel].astype(np.int64)], axis=1))
    return np.concatenate(found)


class TfidfSimilarity(BaseEstimator):
    """Word and character TF-IDF cosine similarity for a corpus.

    Parameters
    ----------
    n_features : int, default=2**20
        Hashing space of the vectorisers.
    word_ngram_range : tuple of int, default=(1, 2)
    char_ngram_range : tuple of int, default=(3, 5)
    top_terms : int, default=12
        Heaviest terms per document used to find neighbours.
    max_postings : int, default=64
        Terms among the top terms of more documents than this are not used to
        find neighbours.
    min_shared : int, default=2
        Top terms two documents must share to become candidates.
    max_neighbours : int, default=5
        Each document keeps its ``max_neighbours`` most similar neighbours,
        and those tied with the last of them, up to twice as many (a pair
        stays when it is among the best of either side;
        :func:`~spindetect.signals.lsh.top_k_pairs`), so a corpus full of
        documents on one topic does not produce a quadratic number of pairs.
    char_max_docs : int, default=250
        Documents whose character vectors are computed at once.  Each
        document's vector is computed once.
    char_max_bytes : int, default=2**27
        Memory for the character vectors of the scored documents.  Beyond
        it, the vectors are cut into column slices kept in temporary files
        and read back one slice at a time
        (:func:`spindetect.signals.pairdots.pair_dots`), so memory stays
        bounded however large the corpus.
    char_max_disk : int, default=2**35
        Disk for those files, counted as 3 n-grams a character (32 GB:
        about 500,000 documents of 3.7 KB; text has nearer 2 n-grams a
        character, so about 21 GB are used).
        Beyond it, the scored pairs are taken a block at a time
        (:func:`spindetect.signals.pairdots.pair_blocks`), each block's
        vectors written, read and removed before the next; a vector is
        computed again for each block its pairs fall in.
    work_dir : str, optional
        Folder for those temporary files (default: the system's temporary
        folder, ``TMPDIR``); about 6 bytes per character n-gram, removed
        after each call.
    char_sample : int, default=2000
        Documents sampled to learn the character IDF: the ones of smallest
        content key (:func:`~spindetect.text.tokens.content_ranks` seeded
        with ``random_state``), the same texts in any input order.
    random_state : int, default=0
        Seed of those content keys, which also break ties of the neighbour
        budget (None: 0).
    n_jobs : int or None, default=-1
        Threads that compute the character rows of blocks of
        ``char_max_docs`` documents side by side (numpy and scipy release the
        GIL): -1 every CPU, -2 all but one, None or 1 the calling thread.  The
        cosines do not depend on it: the blocks are consumed in order.

    Attributes
    ----------
    word_matrix_ : scipy.sparse.csr_matrix
        L2-normalised word TF-IDF rows, one per document.
    """

    def __init__(  # noqa: PLR0913 (settings are keyword-only parameters, as in scikit-learn)
        self,
        *,
        n_features: int = 2**20,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (3, 5),
        top_terms: int = 12,
        max_postings: int = 64,
        min_shared: int = 2,
        max_neighbours: int = 5,
        char_max_docs: int = 250,
        char_max_bytes: int = 2**27,
        char_max_disk: int = 2**35,
        work_dir: str | None = None,
        char_sample: int = 2000,
        random_state: int = 0,
        n_jobs: int | None = -1,
    ) -> None:
        self.n_features = n_features
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.top_terms = top_terms
        self.max_postings = max_postings
        self.min_shared = min_shared
        self.max_neighbours = max_neighbours
        self.char_max_docs = char_max_docs
        self.char_max_bytes = char_max_bytes
        self.char_max_disk = char_max_disk
        self.work_dir = work_dir
        self.char_sample = char_sample
        self.random_state = random_state
        self.n_jobs = n_jobs

    _parameter_constraints: dict = {
        "n_features": [Interval(Integral, 1, None, closed="left")],
        "word_ngram_range": [tuple],
        "char_ngram_range": [tuple],
        "top_terms": [Interval(Integral, 1, None, closed="left")],
        "max_postings": [Interval(Integral, 2, None, closed="left")],
        "min_shared": [Interval(Integral, 1, None, closed="left")],
        "max_neighbours": [Interval(Integral, 1, None, closed="left")],
        "char_max_docs": [Interval(Integral, 1, None, closed="left")],
        "char_max_bytes": [Interval(Integral, 1, None, closed="left")],
        "char_max_disk": [Interval(Integral, 1, None, closed="left")],
        "work_dir": [str, None],
        "char_sample": [Interval(Integral, 1, None, closed="left")],
        "random_state": [Interval(Integral, None, None), None],
        "n_jobs": N_JOBS,
    }

    def fit(
        self, texts: Sequence[str], char_texts: Sequence[str] | None = None, ranks: np.ndarray | None = None
    ) -> "TfidfSimilarity":
        """Vectorise ``texts`` (word level) and learn the IDF weights.

        Parameters
        ----------
        texts : sequence of str
        char_texts : sequence of str, optional
            The texts the character cosine reads, one per text (default:
            ``texts``); the detector passes the texts without their site
            chrome (:class:`~spindetect.signals.repeated.RepeatedLines`).
        ranks : numpy.ndarray of uint64, optional
            ``content_ranks(texts, random_state)``
            (:func:`~spindetect.text.tokens.content_ranks`) when the caller
            has them already (a scan hashes its texts once); computed when
            not given.

        Returns
        -------
        self
        """
        reject_bare_str(texts, 'TfidfSimilarity.fit')
        validate_params(self)
        self.texts_ = list(texts)
        # Ties of the neighbour budget and the IDF sample by content, so neither depends on the input order.
        self._ranks = given_or_content_ranks(ranks, self.texts_, int(self.random_state or 0), "TfidfSimilarity.fit")
        self.char_texts_ = self.texts_ if char_texts is None else list(char_texts)
        if len(self.char_texts_) != len(self.texts_):
            raise ValueError(f"{len(self.char_texts_)} char_texts for {len(self.texts_)} texts")
        if not self.texts_:
            self.word_tfidf_ = None
            self.word_matrix_ = sp.csr_matrix((0, self.n_features), dtype=np.float32)
            self._char_tfidf: TfidfTransformer | None = None
            return self
        ngram_range = (int(self.word_ngram_range[0]), int(self.word_ngram_range[1]))

        def count(batch: Sequence[str]) -> sp.csr_matrix:
            return word_ngram_counts(batch, ngram_range=ngram_range, n_features=self.n_features)

        # Two passes a batch at a time; past wordrows.MEMORY_BYTES the rows are mapped from files.
        self.word_tfidf_, self.word_matrix_, self._word_maps = word_tfidf(
            self.texts_, count, n_features=self.n_features, work_dir=self.work_dir
        )
        self._char_tfidf = None
        return self

    def _release(self) -> None:
        """Drop the pages of mapped word rows read so far (they are read again when needed)."""
        for m in getattr(self, "_word_maps", ()):
            m.release()

    def neighbour_pairs(self, threshold: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
        """Pairs with word cosine ``>= threshold``, found without all pairs.

        Returns
        -------
        pairs : numpy.ndarray of int64, shape (m, 2)
        cosine : numpy.ndarray of float, shape (m,)
        """
        check_fitted(self, "word_matrix_")
        x = self.word_matrix_
        n = x.shape[0]
        if n < 2:
            return np.zeros((0, 2), np.int64), np.zeros(0)
        rows, cols = [], []
        for i in range(n):
            if i % _RELEASE_ROWS == _RELEASE_ROWS - 1:
                self._release()
            lo, hi = x.indptr[i], x.indptr[i + 1]
            if hi == lo:
                continue
            data = x.data[lo:hi]
            k = min(self.top_terms, hi - lo)
            top = np.argpartition(-data, k - 1)[:k] if hi - lo > k else np.arange(hi - lo)
            rows.append(np.full(len(top), i, dtype=np.int64))
            cols.append(x.indices[lo:hi][top])
        if not rows:
            return np.zeros((0, 2), np.int64), np.zeros(0)
        r = np.concatenate(rows)
        c = np.concatenate(cols)
        postings = np.bincount(c, minlength=x.shape[1])
        keep = postings[c] <= self.max_postings
        t = sp.csr_matrix((np.ones(keep.sum(), dtype=np.int32), (r[keep], c[keep])), shape=x.shape)
        pairs = unique_pairs(_sharing_pairs(t, int(self.min_shared)))
        cos = _rowwise_dot(x, pairs, release=self._release)
        ok = cos >= threshold
        pairs, cos = pairs[ok], cos[ok]
        keep = top_k_pairs(pairs, cos, self.max_neighbours, self._ranks)
        return pairs[keep], cos[keep]

    def word_cosine(self, pairs: np.ndarray) -> np.ndarray:
        """Word TF-IDF cosine of each pair of document indices."""
        check_fitted(self, "word_matrix_")
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        return _rowwise_dot(self.word_matrix_, pairs, step=_WORD_DOT_STEP, release=self._release)

    def char_cosine(self, pairs: np.ndarray) -> np.ndarray:
        """Character n-gram TF-IDF cosine of each pair of document indices."""
        check_fitted(self, "word_matrix_")
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if len(pairs) == 0:
            return np.zeros(0)
        idf = self._fit_char_idf()
        nonzeros = np.zeros(len(self.texts_))
        docs = sorted_unique(pairs)
        lengths = np.fromiter((len(self.char_texts_[d]) for d in docs.tolist()), np.int64, len(docs))
        nonzeros[docs] = _CHAR_NONZEROS_PER_BYTE * np.minimum(lengths, _CHAR_MAX)
        out = np.zeros(len(pairs))
        for block in pair_blocks(pairs, nonzeros * _CHAR_DISK_PER_NONZERO, int(self.char_max_disk)):
            out[block] = self._char_dots(idf, pairs[block], nonzeros)
        return np.clip(out, 0.0, 1.0)

    def _char_dots(self, idf: TfidfTransformer, pairs: np.ndarray, nonzeros: np.ndarray) -> np.ndarray:
        """Dot products of the character rows of ``pairs``: each row computed once, sliced past ``char_max_bytes``."""
        docs = sorted_unique(pairs)
        size = int(self.char_max_docs)
        parts = (docs[s : s + size] for s in range(0, len(docs), size))
        rows = ordered_map(lambda part: (part, idf.transform(self._char_counts(part), copy=False)), parts, self.n_jobs)
        n_slices = min(slices_for(int(nonzeros[docs].sum()), int(self.char_max_bytes)), _MAX_SLICES)
        return pair_dots(rows, pairs, len(self.texts_), self.n_features, n_slices=n_slices, work_dir=self.work_dir)

    @property
    def n_documents(self) -> int:
        """Documents the vectors were fitted on."""
        check_fitted(self, "word_matrix_")
        return len(self.texts_)

    def char_vectors(self, docs: np.ndarray) -> sp.csr_matrix:
        """L2-normalised character TF-IDF rows of the documents ``docs`` (positions).

        The IDF is learnt on first use from ``char_sample`` documents chosen
        by content key (seeded with ``random_state``).
        """
        check_fitted(self, "word_matrix_")
        idf = self._fit_char_idf()
        return idf.transform(self._char_counts(np.asarray(docs, dtype=np.int64))).tocsr()

    def _fit_char_idf(self) -> TfidfTransformer:
        """The character IDF, learnt on first use from ``char_sample`` documents (see the class docstring)."""
        if self._char_tfidf is None:
            # The ``char_sample`` documents of smallest content key (seeded by ``random_state``):
            # a pseudo-random sample that is the same set of texts in any input order.
            sample = np.sort(np.argsort(self._ranks, kind="stable")[: self.char_sample])
            self._char_tfidf = TfidfTransformer(sublinear_tf=True).fit(self._char_counts(sample))
        return self._char_tfidf

    def _char_counts(self, docs: np.ndarray) -> sp.csr_matrix:
        parts = []
        for s in range(0, len(docs), 500):
            batch = [self.char_texts_[i] for i in docs[s : s + 500].tolist()]
            parts.append(
                char_ngram_counts(
                    batch, ngram_range=(int(self.char_ngram_range[0]), int(self.char_ngram_range[1])),
                    n_features=self.n_features, max_chars=_CHAR_MAX,
                )
            )
        return stack_rows(parts, self.n_features)
