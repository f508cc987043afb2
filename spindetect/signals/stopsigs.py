"""Signatures that survive synonym spinning and keyword substitution.

Two families of hashed features, both computed from :func:`spindetect.tokens.word_tokens`
terms and returned as :class:`spindetect.tokens.Shingles` (CSR of ``uint32``):

SpotSigs (Theobald, Galiana and Weikum, SIGIR 2008)
    For every occurrence of an *antecedent* stopword (:data:`SPOT_ANTECEDENTS`,
    frequent function words such as "the", "is", "of"), the signature is the
    antecedent followed by the next ``k`` words that are not stopwords
    (:data:`STOPWORDS`), e.g. ``the:pain:relief``.  The chains skip stopwords,
    live mostly inside the prose of a page (navigation and link lists have few
    stopwords) and are unchanged by edits that do not touch the chained words.
    A document with tokens but no antecedent gets one signature made of all its
    tokens, so that only a document without any token has an empty set.

Masked shingles (word-class skeletons)
    Every stopword is kept and every other word is replaced by a placeholder
    of its coarse class (``<num>`` for tokens with a digit, ``<w>`` otherwise);
    the masked token stream is cut into ``ngram``-token shingles.  Shingles
    with fewer than ``min_stopwords`` stopwords are dropped: a run of content
    words (a menu, a list of names) masks to the same shingle everywhere.  A spinner
    that swaps content words for synonyms, or a template that swaps one
    keyword for another, leaves these shingles unchanged, while two
    independent texts on one topic share few long ones.

Both are deterministic (no seed): the hashes only depend on the terms.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import numpy as np

from .._constants import HASH_MULT, STOPWORDS
from .._validation import Interval, check_param, check_texts
from ..text.tokens import Shingles, TokenBatch, fmix64, hash_terms, shingle_hashes, word_tokens
from .lookup import SmallSet

__all__ = [
    "STOPWORDS",
    "SPOT_ANTECEDENTS",
    "spot_signatures",
    "masked_shingles",
    "masked_terms",
    "spot_signatures_from_terms",
    "masked_shingles_from_terms",
]

#: Antecedents of SpotSigs chains: the most frequent function words.
SPOT_ANTECEDENTS: frozenset[str] = frozenset(
    "a an the is are was were be been there this that these those of to for with as by "
    "on at from can will it its".split()
)

_MASK_WORD = "\x00w"
_MASK_NUM = "\x00num"
_H_WORD, _H_NUM = (np.uint64(h) for h in hash_terms([_MASK_WORD, _MASK_NUM]))
_U64 = np.uint64
_MULT = _U64(HASH_MULT)


def _terms_batch(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    terms: list[str] = []
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    for i, t in enumerate(texts):
        terms.extend(word_tokens(t).terms)
        indptr[i + 1] = len(terms)
    return terms, indptr


def _term_classes(
    terms: Sequence[str], term_hashes: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Token hashes and stopword / antecedent / number masks, classified once per distinct term."""
    th = hash_terms(terms) if term_hashes is None else np.asarray(term_hashes, dtype=np.uint64)
    if len(th) != len(terms):
        raise ValueError(f"term_hashes has {len(th)} values for {len(terms)} terms")
    n = len(th)
    if n == 0:
        empty = np.zeros(0, dtype=bool)
        return th, empty, empty, empty
    _, first, inv = np.unique(th, return_index=True, return_inverse=True)
    vocab = [terms[int(i)] for i in first]
    stop = np.fromiter((t in STOPWORDS for t in vocab), dtype=bool, count=len(vocab))[inv]
    ante = np.fromiter((t in SPOT_ANTECEDENTS for t in vocab), dtype=bool, count=len(vocab))[inv]
    num = np.fromiter((any(c.isdigit() for c in t) for t in vocab), dtype=bool, count=len(vocab))[inv]
    return th, stop, ante, num


_DIGIT_BYTES = b"0123456789"


def batch_classes(batch: TokenBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stopword / antecedent / number masks of a token batch, from the hashes and bytes.

    Equal to :func:`_term_classes` of the batch's terms: a term is a stopword
    when its hash is a stopword's hash, a number when it holds a digit (ASCII
    digits are read off the bytes; the few tokens with non-ASCII characters are
    decoded and checked with ``str.isdigit``).
    """
    th = batch.hashes
    stop = SmallSet(hash_terms(sorted(STOPWORDS))).contains(th)
    ante = SmallSet(hash_terms(sorted(SPOT_ANTECEDENTS))).contains(th)
    if len(th) == 0:
        return stop, ante, np.zeros(0, dtype=bool)
    num = batch.count_in_tokens(batch.byte_positions(_DIGIT_BYTES)) > 0
    odd = np.flatnonzero((batch.count_in_tokens(batch.byte_positions()) > 0) & ~num)
    if len(odd):
        _, first, inv = np.unique(th[odd], return_index=True, return_inverse=True)
        buf = batch.buf
        flags = np.fromiter(
            (
                any(c.isdigit() for c in bytes(buf[batch.starts[k] : batch.ends[k]]).decode("utf-8", "replace"))
                for k in odd[first].tolist()
            ),
            dtype=bool,
            count=len(first),
        )
        num[odd] = flags[inv.reshape(-1)]
    return stop, ante, num


def masked_terms(terms: Sequence[str]) -> list[str]:
    """Mask the content words of a term sequence.

    Parameters
    ----------
    terms : sequence of str
        Normalised terms (as in :attr:`spindetect.tokens.Tokens.terms`).

    Returns
    -------
    list of str
        Stopwords unchanged; other terms replaced by a class placeholder
        (numbers and other words are two classes).
    """
    memo: dict[str, str] = {}
    out = []
    for t in terms:
        m = memo.get(t)
        if m is None:
            if t in STOPWORDS:
                m = t
            elif any(c.isdigit() for c in t):
                m = _MASK_NUM
            else:
                m = _MASK_WORD
            memo[t] = m
        out.append(m)
    return out


def masked_shingles(texts: Sequence[str], *, ngram: int = 8, min_stopwords: int = 2) -> Shingles:
    """Hashed shingles of the masked token stream of every text.

    Parameters
    ----------
    texts : sequence of str
    ngram : int, default=8
        Masked tokens per shingle.  A document with fewer tokens gets one
        shingle of all of them.
    min_stopwords : int, default=2
        Shingles with fewer stopwords are dropped (capped at the number of
        tokens of the shingle, so short documents keep their one shingle
        when they are all stopwords).

    Returns
    -------
    Shingles
        ``uint32`` hashes in CSR layout, in token order (not deduplicated).

    Raises
    ------
    TypeError
        If ``texts`` is a single ``str`` or contains a non-``str``.
    """
    texts = check_texts(texts, "masked_shingles")
    check_param("ngram", ngram, [Interval(Integral, 1, None, closed="left")])
    terms, indptr = _terms_batch(texts)
    return masked_shingles_from_terms(terms, indptr, ngram=ngram, min_stopwords=min_stopwords)


def masked_shingles_from_terms(
    terms: Sequence[str],
    indptr: np.ndarray,
    *,
    ngram: int = 8,
    min_stopwords: int = 2,
    term_hashes: np.ndarray | None = None,
) -> Shingles:
    """:func:`masked_shingles` of already tokenised documents.

    Parameters
    ----------
    terms : sequence of str
        Normalised terms of all documents, one after the other.
    indptr : numpy.ndarray of int64
        ``n_docs + 1`` offsets of each document's terms.
    ngram : int, default=8
    min_stopwords : int, default=2
    term_hashes : numpy.ndarray of uint64, optional
        ``hash_terms(terms)`` when the caller already has it.

    Returns
    -------
    Shingles
    """
    check_param("ngram", ngram, [Interval(Integral, 1, None, closed="left")])
    check_param("min_stopwords", min_stopwords, [Interval(Integral, 0, None, closed="left")])
    th, stop, _, num = _term_classes(terms, term_hashes)
    return masked_core(th, stop, num, np.asarray(indptr, dtype=np.int64), ngram, min_stopwords)


def masked_core(
    th: np.ndarray, stop: np.ndarray, num: np.ndarray, indptr: np.ndarray, ngram: int, min_stopwords: int
) -> Shingles:
    masked_hashes = np.where(stop, th, np.where(num, _H_NUM, _H_WORD))
    sh = shingle_hashes(masked_hashes, indptr, ngram)
    if min_stopwords == 0 or len(sh.hashes) == 0:
        return sh
    # the windows shingle_hashes keeps, in its order: every full window, or the
    # whole document when it is shorter than ngram
    n_docs = len(indptr) - 1
    lengths = np.diff(indptr)
    n_tok = int(indptr[-1])
    pos = np.arange(n_tok, dtype=np.int64) - np.repeat(indptr[:-1], lengths)
    doc_len = np.repeat(lengths, lengths)
    keep_win = (doc_len - pos >= ngram) | ((pos == 0) & (doc_len < ngram))
    starts = np.flatnonzero(keep_win)
    ends = starts + np.minimum(ngram, doc_len[starts])
    is_stop = stop.astype(np.int64)
    cs = np.zeros(n_tok + 1, dtype=np.int64)
    np.cumsum(is_stop, out=cs[1:])
    n_stop = cs[ends] - cs[starts]
    ok = n_stop >= np.minimum(min_stopwords, ends - starts)
    doc_of = np.repeat(np.arange(n_docs), lengths)[starts]
    counts = np.bincount(doc_of[ok], minlength=n_docs)
    out_indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(counts, out=out_indptr[1:])
    return Shingles(hashes=sh.hashes[ok], indptr=out_indptr)


def spot_signatures(texts: Sequence[str], *, k: int = 2, max_span: int = 6) -> Shingles:
    """SpotSigs of every text: an antecedent stopword and the next ``k`` non-stopwords.

    Parameters
    ----------
    texts : sequence of str
    k : int, default=2
        Non-stopwords chained after each antecedent.
    max_span : int, default=6
        A chain must end within ``k + max_span`` tokens of its antecedent
        (long runs of stopwords do not make a chain).

    Returns
    -------
    Shingles
        ``uint32`` signature hashes in CSR layout, in text order (not
        deduplicated).

    Raises
    ------
    TypeError
        If ``texts`` is a single ``str`` or contains a non-``str``.
    """
    texts = check_texts(texts, "spot_signatures")
    check_param("k", k, [Interval(Integral, 1, None, closed="left")])
    check_param("max_span", max_span, [Interval(Integral, 0, None, closed="left")])
    terms, indptr = _terms_batch(texts)
    return spot_signatures_from_terms(terms, indptr, k=k, max_span=max_span)


def spot_signatures_from_terms(
    terms: Sequence[str],
    indptr: np.ndarray,
    *,
    k: int = 2,
    max_span: int = 6,
    term_hashes: np.ndarray | None = None,
) -> Shingles:
    """:func:`spot_signatures` of already tokenised documents.

    Parameters
    ----------
    terms : sequence of str
        Normalised terms of all documents, one after the other.
    indptr : numpy.ndarray of int64
        ``n_docs + 1`` offsets of each document's terms.
    k, max_span : int
        As in :func:`spot_signatures`.
    term_hashes : numpy.ndarray of uint64, optional
        ``hash_terms(terms)`` when the caller already has it.

    Returns
    -------
    Shingles
    """
    check_param("k", k, [Interval(Integral, 1, None, closed="left")])
    check_param("max_span", max_span, [Interval(Integral, 0, None, closed="left")])
    th, stop, ante, _ = _term_classes(terms, term_hashes)
    return spot_core(th, stop, ante, np.asarray(indptr, dtype=np.int64), k, max_span)


def spot_core(
    th: np.ndarray, stop: np.ndarray, ante: np.ndarray, indptr: np.ndarray, k: int, max_span: int
) -> Shingles:
    n_docs = len(indptr) - 1
    n_tok = len(th)
    if n_tok == 0:
        return Shingles(np.zeros(0, np.uint32), np.zeros(n_docs + 1, np.int64))
    lengths = np.diff(indptr)
    doc_of = np.repeat(np.arange(n_docs), lengths)
    doc_end = np.repeat(indptr[1:], lengths)

    content = np.flatnonzero(~stop)
    pos = np.flatnonzero(ante)
    first = np.searchsorted(content, pos, side="right")
    ok = first + (k - 1) < len(content)
    pos, first = pos[ok], first[ok]
    acc = th[pos].copy()
    last = pos
    for t in range(k):
        nxt = content[first + t]
        acc = acc * _MULT + th[nxt]
        last = nxt
    ok = (last < doc_end[pos]) & (last - pos <= k + max_span)
    sig = (fmix64(acc[ok]) >> _U64(32)).astype(np.uint32)
    sig_doc = doc_of[pos[ok]]

    # Documents with tokens but no chain: one signature of all their tokens.
    counts = np.bincount(sig_doc, minlength=n_docs)
    empty = np.flatnonzero((counts == 0) & (lengths > 0))
    if len(empty):
        extra = np.array(
            [
                shingle_hashes(
                    th[indptr[d] : indptr[d + 1]], np.array([0, lengths[d]]), int(lengths[d])
                ).hashes[0]
                for d in empty
            ],
            dtype=np.uint32,
        )
        sig = np.concatenate([sig, extra])
        sig_doc = np.concatenate([sig_doc, empty])
        order = np.argsort(sig_doc, kind="stable")
        sig, sig_doc = sig[order], sig_doc[order]
        counts = np.bincount(sig_doc, minlength=n_docs)
    out_indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(counts, out=out_indptr[1:])
    return Shingles(hashes=sig, indptr=out_indptr)
