"""Word tokens with character offsets, and hashed word shingles for whole corpora.

Two views of the same token definition live here:

* :func:`word_tokens` tokenises one document and keeps, for every token, its
  normalised form and its ``[start, end)`` character offsets in the *original*
  text.  Explanations, highlighting and boilerplate spans are built on it.
* :func:`hash_shingles` turns a whole batch of documents into hashed word
  n-grams (shingles) without creating a Python object per token or shingle: the
  texts are joined into one byte buffer and every step after that is a numpy
  array operation.  This is the hot path of MinHash.

A token is a maximal run of word characters (``\\w``: letters, digits and
underscore) of the normalised text, except that every CJK ideograph, kana or
hangul syllable is a token of its own, because those scripts do not separate
words with spaces.  Both views produce identical token hashes for the same
text (the test-suite checks this on random Unicode).

Token hashes are a 64-bit polynomial hash of the token's UTF-8 bytes, mixed with
the MurmurHash3 finaliser.  A shingle hash combines the hashes of ``ngram``
consecutive tokens; a document with fewer tokens than ``ngram`` yields one
shingle made of all its tokens, so short documents are never empty sets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .normalize import NormConfig

__all__ = [
    "Tokens",
    "Shingles",
    "word_tokens",
    "hash_terms",
    "shingle_hashes",
    "hash_shingles",
    "fmix64",
]

# Scripts written without spaces between words: one character, one token.
_CJK = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
)
_TOKEN_RE = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_CJK_RE = re.compile(rf"([{_CJK}])")
# Characters outside ASCII that are not word characters (curly quotes, dashes,
# non-breaking spaces, ...): replaced by spaces on the hot path.
_NONASCII_NONWORD_RE = re.compile(r"[^\w\x00-\x7f]")

_U64 = np.uint64
_P = _U64(0x100000001B3)  # FNV-64 prime: odd, so it has an inverse mod 2**64
_P_INV = _U64(pow(0x100000001B3, -1, 1 << 64))
_SHINGLE_MULT = _U64(0x9E3779B97F4A7C15)  # golden-ratio constant, odd

# ASCII bytes that belong to a word: [0-9A-Za-z_]; bytes >= 0x80 are parts of
# non-ASCII word characters once the text has been cleaned (see _clean_text).
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_":
    _WORD_BYTE[_c] = True
_WORD_BYTE[0x80:] = True
_WORD_BYTE.setflags(write=False)
del _c


@dataclass(frozen=True, eq=False)
class Tokens:
    """The word tokens of one document.

    Attributes
    ----------
    terms : tuple of str
        The normalised form of each token.
    starts, ends : numpy.ndarray of int64
        ``[start, end)`` character offsets of each token in the original text.
    """

    terms: tuple[str, ...]
    starts: np.ndarray = field(repr=False)
    ends: np.ndarray = field(repr=False)

    def __len__(self) -> int:
        return len(self.terms)


@dataclass(frozen=True, eq=False)
class Shingles:
    """Hashed shingles of a batch of documents in CSR layout.

    The shingles of document ``i`` are ``hashes[indptr[i]:indptr[i + 1]]``.
    A document without any token has no shingles.

    Attributes
    ----------
    hashes : numpy.ndarray of uint32
        Shingle hashes, document after document.
    indptr : numpy.ndarray of int64
        ``n_docs + 1`` offsets into ``hashes``.
    """

    hashes: np.ndarray
    indptr: np.ndarray

    @property
    def n_docs(self) -> int:
        """Number of documents."""
        return len(self.indptr) - 1

    def doc(self, i: int) -> np.ndarray:
        """Return the shingle hashes of document ``i``."""
        return self.hashes[self.indptr[i] : self.indptr[i + 1]]

    def counts(self) -> np.ndarray:
        """Return the number of shingles of every document."""
        return np.diff(self.indptr)


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, a bijection that spreads every input bit.

    Parameters
    ----------
    h : numpy.ndarray of uint64

    Returns
    -------
    numpy.ndarray of uint64
    """
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> _U64(33))


def _normalize_term(term: str, config: NormConfig) -> str:
    if config.nfkc:
        term = unicodedata.normalize("NFKC", term)
    if config.casefold:
        term = term.casefold()
        if config.nfkc:
            term = unicodedata.normalize("NFKC", term)
    if config.fold_digits:
        term = re.sub(r"\d", "0", term)
    return term


def word_tokens(text: str, config: NormConfig | None = None) -> Tokens:
    """Tokenise one document, keeping character offsets into ``text``.

    Parameters
    ----------
    text : str
        The original text.
    config : NormConfig, optional
        Normalisation applied to each token (white space and punctuation
        settings do not matter here: tokens contain neither).

    Returns
    -------
    Tokens
    """
    if not isinstance(text, str):
        raise TypeError(f"word_tokens expects a str, got {type(text).__name__}")
    cfg = config or NormConfig()
    terms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _TOKEN_RE.finditer(text):
        term = _normalize_term(m.group(), cfg)
        # NFKC can split a token ("½" -> "1⁄2"); keep its word-character pieces.
        pieces = _TOKEN_RE.findall(term) if not _is_single_token(term) else [term]
        for piece in pieces:
            terms.append(piece)
            starts.append(m.start())
            ends.append(m.end())
    return Tokens(
        terms=tuple(terms),
        starts=np.asarray(starts, dtype=np.int64),
        ends=np.asarray(ends, dtype=np.int64),
    )


def _is_single_token(term: str) -> bool:
    m = _TOKEN_RE.fullmatch(term)
    return m is not None


def _segment_hashes(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Polynomial hash of every byte segment ``buf[starts[i]:ends[i]]``.

    ``H(seg) = sum_j (byte_j + 1) * P**j  (mod 2**64)``, computed for all
    segments at once from prefix sums: the prefix sum is taken over
    ``(byte + 1) * P**i`` and each difference is shifted back to position 0
    with the modular inverse of ``P``.  The result does not depend on where the
    segment sits in the buffer.
    """
    n = len(buf)
    powers = np.empty(n + 1, dtype=_U64)
    powers[0] = 1
    powers[1:] = _P
    np.cumprod(powers, out=powers)
    weighted = (buf.astype(_U64) + _U64(1)) * powers[:n]
    prefix = np.zeros(n + 1, dtype=_U64)
    np.cumsum(weighted, out=prefix[1:])
    del weighted, powers
    # P**-start for each segment start, by cumulative product of P**-1.
    inv = np.empty(n + 1, dtype=_U64)
    inv[0] = 1
    inv[1:] = _P_INV
    np.cumprod(inv, out=inv)
    raw = (prefix[ends] - prefix[starts]) * inv[starts]
    lengths = (ends - starts).astype(_U64)
    return fmix64(raw ^ (lengths * _SHINGLE_MULT))


def hash_terms(terms: Sequence[str]) -> np.ndarray:
    """Hash normalised token strings with the same function as the hot path.

    Parameters
    ----------
    terms : sequence of str

    Returns
    -------
    numpy.ndarray of uint64
    """
    if not terms:
        return np.zeros(0, dtype=_U64)
    encoded = [t.encode("utf-8") for t in terms]
    lengths = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
    # One separator byte between terms keeps segments apart in the buffer.
    starts = np.zeros(len(encoded), dtype=np.int64)
    starts[1:] = np.cumsum(lengths + 1)[:-1]
    ends = starts + lengths
    buf = np.frombuffer(b"\x00".join(encoded), dtype=np.uint8)
    return _segment_hashes(buf, starts, ends)


def shingle_hashes(token_hashes: np.ndarray, indptr: np.ndarray, ngram: int) -> Shingles:
    """Combine token hashes into hashed word n-grams, document by document.

    Parameters
    ----------
    token_hashes : numpy.ndarray of uint64
        Token hashes of all documents, one after the other.
    indptr : numpy.ndarray of int64
        ``n_docs + 1`` offsets of each document's tokens in ``token_hashes``.
    ngram : int
        Tokens per shingle.  A document with ``0 < n_tokens < ngram`` gets one
        shingle made of all its tokens.

    Returns
    -------
    Shingles
        32-bit shingle hashes in CSR layout.
    """
    if ngram < 1:
        raise ValueError(f"ngram must be >= 1, got {ngram}")
    indptr = np.asarray(indptr, dtype=np.int64)
    n_tok = len(token_hashes)
    lengths = np.diff(indptr)
    doc_of = np.repeat(np.arange(len(lengths)), lengths)
    pos = np.arange(n_tok, dtype=np.int64) - np.repeat(indptr[:-1], lengths)
    remaining = np.repeat(lengths, lengths) - pos  # tokens from here to the end of its doc
    acc = np.zeros(n_tok, dtype=_U64)
    mult = 1
    for j in range(ngram):
        part = np.zeros(n_tok, dtype=_U64)
        if j < n_tok:
            part[: n_tok - j] = token_hashes[j:]
        part[remaining <= j] = 0  # do not reach into the next document
        acc += part * _U64(mult)
        mult = (mult * int(_SHINGLE_MULT)) % (1 << 64)
    keep = (remaining >= ngram) | ((pos == 0) & (np.repeat(lengths, lengths) < ngram))
    shingle = fmix64(acc[keep] ^ np.minimum(remaining[keep], ngram).astype(_U64))
    counts = np.bincount(doc_of[keep], minlength=len(lengths))
    out_indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(counts, out=out_indptr[1:])
    return Shingles(hashes=(shingle >> _U64(32)).astype(np.uint32), indptr=out_indptr)


def _clean_text(text: str, config: NormConfig) -> str:
    """Normalise a whole text so that byte-level tokenisation equals ``word_tokens``."""
    if config.nfkc:
        text = unicodedata.normalize("NFKC", text)
    if config.casefold:
        text = text.casefold()
        if config.nfkc and not text.isascii():
            text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _NONASCII_NONWORD_RE.sub(" ", text)
        text = _CJK_RE.sub(r" \1 ", text)
    if config.fold_digits:
        if text.isascii():
            text = text.translate(_ASCII_DIGITS)
        else:
            text = re.sub(r"\d", "0", text)
    return text


_ASCII_DIGITS = str.maketrans("0123456789", "0000000000")


def _token_bounds(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    word = _WORD_BYTE[buf]
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return starts, ends


def hash_shingles(
    texts: Sequence[str], *, ngram: int = 5, config: NormConfig | None = None
) -> Shingles:
    """Hash the word n-grams of a batch of documents, vectorised.

    Parameters
    ----------
    texts : sequence of str
        The documents.  Call it on batches of a few thousand documents to bound
        memory (about 40 bytes of working memory per input byte).
    ngram : int, default=5
        Words per shingle.
    config : NormConfig, optional
        Normalisation (NFKC, case folding, digit folding apply).

    Returns
    -------
    Shingles
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError("hash_shingles expects a sequence of texts, not a single str")
    cfg = config or NormConfig()
    encoded = [_clean_text(t, cfg).encode("utf-8") for t in texts]
    if not encoded:
        return Shingles(np.zeros(0, np.uint32), np.zeros(1, np.int64))
    # A space between documents: no token crosses a document boundary.
    buf = np.frombuffer(b" ".join(encoded), dtype=np.uint8)
    doc_starts = np.zeros(len(encoded) + 1, dtype=np.int64)
    doc_starts[1:] = np.cumsum(np.fromiter((len(e) + 1 for e in encoded), np.int64, len(encoded)))
    tok_starts, tok_ends = _token_bounds(buf)
    tok_hashes = _segment_hashes(buf, tok_starts, tok_ends)
    tok_indptr = np.searchsorted(tok_starts, doc_starts)
    return shingle_hashes(tok_hashes, tok_indptr, ngram)
