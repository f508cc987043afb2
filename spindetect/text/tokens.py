"""Word tokens with character offsets, and hashed word shingles for whole corpora.

Two views of the same token definition live here:

* :func:`word_tokens` tokenises one document and keeps, for every token, its
  normalised form and its ``[start, end)`` character offsets in the *original*
  text.  Explanations, highlighting and boilerplate spans are built on it.
* :func:`hash_shingles` turns a whole batch of documents into hashed word
  n-grams (shingles) without creating a Python object per token or shingle: the
  texts are joined into one byte buffer and every step after that is a numpy
  array operation.  This is the hot path of MinHash.

Token definition
----------------
The text is normalised first (:class:`~spindetect.normalize.NormConfig`: NFKC,
case folding, optional digit folding), then a token is a maximal run of word
characters (``\\w``: letters, digits and underscore) of the *normalised* text,
except that every CJK ideograph, kana or hangul syllable is a token of its own,
because those scripts do not separate words with spaces.  Normalising before
tokenising matters for text such as decomposed accents (``e`` + U+0301 is one
word character after NFKC) or compatibility symbols (``™`` becomes ``tm``).
Both views produce identical token hashes for the same text (the test-suite
checks this on random Unicode).

Hashes
------
A token hash is a 64-bit hash of the token's UTF-8 bytes: the bytes are read as
little-endian 64-bit words (zero padded), each word is mixed with its position
by the MurmurHash3 finaliser :func:`fmix64`, the mixed words are summed and the
sum is mixed once more with the byte length.  Reading whole words instead of
single bytes keeps the cost per token, not per byte.  A shingle hash combines
the hashes of ``ngram`` consecutive tokens; a document with fewer tokens than
``ngram`` yields one shingle made of all its tokens, so short documents are
never empty sets.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np

from .._constants import CJK_CLASS, CJK_RANGES, HASH_MULT
from .._validation import Interval, check_param, check_texts, reject_bare_str
from .normalize import NormConfig, unicode_fold

__all__ = [
    "HASH_VERSION",
    "Tokens",
    "Shingles",
    "word_tokens",
    "word_starts",
    "hash_terms",
    "shingle_hashes",
    "hash_shingles",
    "hash_tokens",
    "TokenBatch",
    "token_batch",
    "token_batches",
    "text_batches",
    "fmix64",
    "content_ranks",
    "given_or_content_ranks",
]

# Scripts written without spaces between words: one character, one token.
_CJK = CJK_CLASS
# A CJK-range character is a token only if it is a word character (the blocks
# also hold punctuation such as U+30FB and unassigned code points).
_TOKEN_RE = re.compile(rf"(?=\w)[{_CJK}]|[^\W{_CJK}]+")
_ASCII_TOKEN_RE = re.compile(r"[0-9A-Za-z_]+")
# The same ranges as code points, for the byte kernel.
_CJK_RANGES = CJK_RANGES
# Characters outside ASCII that are not word characters (curly quotes, dashes,
# non-breaking spaces, ...): replaced by spaces on the hot path.
_NONASCII_NONWORD_RE = re.compile(r"[^\w\x00-\x7f]")
# ASCII white space: normalisation never reaches across it, so text can be
# normalised piece by piece between runs of it.
_PIECE_RE = re.compile(r"[^ \t\n\r\x0b\x0c]+")
_DIGIT_RE = re.compile(r"\d")
_ASCII_DIGITS = str.maketrans("0123456789", "0000000000")

# Version of the token and shingle hash functions.  It is part of every
# signature configuration, so signatures hashed by an older definition are
# never mixed with new ones.
HASH_VERSION = 2

_U64 = np.uint64
_SHINGLE_MULT = _U64(HASH_MULT)
_SHINGLE_MULT_INV = _U64(pow(HASH_MULT, -1, 1 << 64))
_LOOP_NGRAM = 12  # longer n-grams are combined from prefix sums
_CHUNK_SALT = _U64(0xD6E8FEB86659FD93)  # odd; salts a word by its position
_LEN_SALT = _U64(0xA0761D6478BD642F)  # odd; salts a token hash by its length
_LOOP_WORDS = 4  # segments longer than 8 * _LOOP_WORDS bytes take the bulk path


# Mask keeping the low ``k`` bytes of a little-endian 64-bit word, k = 0..8.
_BYTE_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=_U64)
_BYTE_MASKS.setflags(write=False)


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
    h *= _U64(0xFF51AFD7ED558CCD)
    h ^= h >> _U64(33)
    h *= _U64(0xC4CEB9FE1A85EC53)
    h ^= h >> _U64(33)
    return h


def content_ranks(texts: Sequence[str], seed: int = 0) -> np.ndarray:
    """A seeded 64-bit key per text that depends on the text only, never on its position.

    Where a budget must choose between equally good documents or pairs (the
    first member of a large bucket, ties of a top-k, a sample), ordering
    them by these keys makes the choice independent of the input order.

    Parameters
    ----------
    texts : sequence of str
    seed : int, default=0
        Another seed gives another (equally arbitrary) order.

    Returns
    -------
    numpy.ndarray of uint64, shape (len(texts),)
        Equal texts get equal keys.
    """
    key = int(seed).to_bytes(8, "little", signed=True)
    out = np.empty(len(texts), dtype=np.uint64)
    for i, text in enumerate(texts):
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8, key=key).digest()
        out[i] = int.from_bytes(digest, "little")
    return out



def given_or_content_ranks(ranks: np.ndarray | None, texts: Sequence[str], seed: int, where: str) -> np.ndarray:
    """``ranks`` when given (checked: one key a text), else ``content_ranks(texts, seed)``.

    Lets a caller that already hashed the texts (a scan) pass the keys on
    instead of having each estimator hash the corpus again.

    Raises
    ------
    ValueError
        If ``ranks`` does not hold one key per text.
    """
    if ranks is None:
        return content_ranks(texts, seed)
    ranks = np.asarray(ranks, dtype=np.uint64)
    if ranks.shape != (len(texts),):
        raise ValueError(f"{where}: {ranks.size} ranks for {len(texts)} texts")
    return ranks

# ---------------------------------------------------------------------------
# Normalisation shared by both views
# ---------------------------------------------------------------------------


def _clean_piece(text: str, config: NormConfig) -> str:
    """Invisible characters removed, NFKC, case and digit folding of a text, as one string."""
    if text.isascii():
        if config.casefold:
            text = text.lower()  # casefold() equals lower() on ASCII
        if config.fold_digits:
            text = text.translate(_ASCII_DIGITS)
        return text
    text = unicode_fold(text, config)
    if config.fold_digits:
        text = _DIGIT_RE.sub("0", text)
    return text


def _clean_text(text: str, config: NormConfig) -> str:
    """Normalise a whole text so that byte-level tokenisation equals ``word_tokens``.

    After cleaning, every non-ASCII character that is not a word character is a
    space, so tokens are the runs of word bytes (ASCII ``[0-9A-Za-z_]`` and
    every byte >= 0x80) of its UTF-8 encoding, cut around each CJK character
    (see ``_token_bounds``).
    """
    text = _clean_piece(text, config)
    if not text.isascii():
        text = _NONASCII_NONWORD_RE.sub(" ", text)
    return text


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


def _piece_tokens(
    piece: str, offset: int, config: NormConfig, terms: list, starts: list, ends: list
) -> None:
    """Tokens of one non-ASCII piece (no ASCII white space inside)."""
    norm = _clean_piece(piece, config)
    found = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(norm)]
    if not found:
        return
    # Offsets: normalise cluster by cluster (a character and the combining marks
    # after it) and map every normalised character back to its cluster.  When
    # that does not reproduce the normalisation of the whole piece (rare
    # compositions across clusters), every token gets the whole piece's span.
    bounds = [i for i, ch in enumerate(piece) if i == 0 or not _is_mark(ch)]
    bounds.append(len(piece))
    src_start: list[int] = []
    src_end: list[int] = []
    parts = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        part = _clean_piece(piece[a:b], config)
        parts.append(part)
        src_start.extend([a] * len(part))
        src_end.extend([b] * len(part))
    exact = "".join(parts) == norm
    for s, e, term in found:
        terms.append(term)
        if exact:
            starts.append(offset + src_start[s])
            ends.append(offset + src_end[e - 1])
        else:
            starts.append(offset)
            ends.append(offset + len(piece))


def word_starts(text: str) -> np.ndarray:
    """Start offsets of the words of ``text``, counted as the boilerplate gold counts them.

    A word is a maximal run of word characters (``\\w``) of the original,
    unnormalised text, except that every CJK ideograph, kana or hangul syllable
    is a word of its own (the token rule of this module), so text written
    without spaces still has one word per character.  Offsets index ``text``.

    Parameters
    ----------
    text : str
        The original text.

    Returns
    -------
    numpy.ndarray of int64
        Sorted start offsets, one per word.
    """
    return np.fromiter((m.start() for m in _TOKEN_RE.finditer(text)), dtype=np.int64)


def word_tokens(text: str, config: NormConfig | None = None) -> Tokens:
    """Tokenise one document, keeping character offsets into ``text``.

    Parameters
    ----------
    text : str
        The original text.
    config : NormConfig, optional
        Normalisation applied before tokenising (white space and punctuation
        settings do not matter here: tokens contain neither).

    Returns
    -------
    Tokens
        Normalised terms with the ``[start, end)`` span of each in ``text``.  A
        character that normalisation expands into several tokens (``½`` becomes
        ``1⁄2``) gives each of them the span of that character.
    """
    if not isinstance(text, str):
        raise TypeError(f"word_tokens expects a str, got {type(text).__name__}")
    cfg = config or NormConfig()
    terms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    if text.isascii():
        # Cleaning keeps ASCII lengths, so offsets in the cleaned text are
        # offsets in the original; token bounds come from the byte kernel.
        norm = _clean_piece(text, cfg)
        tok_starts, tok_ends = _token_bounds(np.frombuffer((norm + "\n").encode("ascii"), np.uint8))
        return Tokens(
            terms=tuple(_ASCII_TOKEN_RE.findall(norm)),
            starts=np.ascontiguousarray(tok_starts, dtype=np.int64),
            ends=np.ascontiguousarray(tok_ends, dtype=np.int64),
        )
    for m in _PIECE_RE.finditer(text):
        piece = m.group()
        if piece.isascii():
            for t in _ASCII_TOKEN_RE.finditer(piece):
                terms.append(_clean_piece(t.group(), cfg))
                starts.append(m.start() + t.start())
                ends.append(m.start() + t.end())
        else:
            _piece_tokens(piece, m.start(), cfg, terms, starts, ends)
    return Tokens(
        terms=tuple(terms),
        starts=np.asarray(starts, dtype=np.int64),
        ends=np.asarray(ends, dtype=np.int64),
    )


# ---------------------------------------------------------------------------
# Hashing
# ---------------------------------------------------------------------------


def _segment_hashes(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Hash every byte segment ``buf[starts[i]:ends[i]]`` (independent of its position).

    ``buf`` must be followed by at least 8 readable bytes past the largest
    ``end`` (callers pad it).  Cost is per 8-byte word, not per byte.
    """
    n_seg = len(starts)
    lengths = (ends - starts).astype(np.int64)
    if n_seg == 0:
        return np.zeros(0, dtype=_U64)
    # Every 8-byte window of the buffer, as an unaligned uint64 view.
    words = np.ndarray(
        shape=(len(buf) - 7,), dtype="<u8", buffer=buf.data, offset=0, strides=(1,)
    )
    # First word of every segment, then the next words of the longer ones.
    sums = fmix64((words[starts] & _BYTE_MASKS[np.minimum(lengths, 8)]) ^ _CHUNK_SALT)
    sums[lengths == 0] = 0
    idx = np.flatnonzero(lengths > 8)
    k = 1
    while len(idx) and k < _LOOP_WORDS:
        left = lengths[idx] - 8 * k
        w = words[starts[idx] + 8 * k] & _BYTE_MASKS[np.minimum(left, 8)]
        sums[idx] += fmix64(w ^ _U64(((k + 1) * int(_CHUNK_SALT)) % (1 << 64)))
        idx = idx[left > 8]
        k += 1
    if len(idx):
        # Very long segments (a long URL, a base64 blob): all their remaining
        # words at once.
        rest = (lengths[idx] - 8 * k + 7) >> 3
        first = np.zeros(len(idx), dtype=np.int64)
        np.cumsum(rest[:-1], out=first[1:])
        kk = np.arange(int(rest.sum()), dtype=np.int64) - np.repeat(first, rest) + k
        left = np.repeat(lengths[idx], rest) - 8 * kk
        w = words[np.repeat(starts[idx], rest) + 8 * kk] & _BYTE_MASKS[np.minimum(left, 8)]
        g = fmix64(w ^ ((kk.astype(_U64) + _U64(1)) * _CHUNK_SALT))
        sums[idx] += np.add.reduceat(g, first)
    return fmix64(sums ^ (lengths.astype(_U64) * _LEN_SALT))


def _padded(data: bytes) -> np.ndarray:
    buf = np.zeros(len(data) + 8, dtype=np.uint8)
    buf[: len(data)] = np.frombuffer(data, dtype=np.uint8)
    return buf


def hash_terms(terms: Sequence[str]) -> np.ndarray:
    """Hash normalised token strings with the same function as the hot path.

    Parameters
    ----------
    terms : sequence of str

    Returns
    -------
    numpy.ndarray of uint64
    """
    if len(terms) == 0:
        return np.zeros(0, dtype=_U64)
    joined = "".join(terms)
    if joined.isascii():  # one encode for all terms; lengths in bytes = in chars
        data = joined.encode("ascii")
        lengths = np.fromiter(map(len, terms), dtype=np.int64, count=len(terms))
    else:
        encoded = [t.encode("utf-8") for t in terms]
        data = b"".join(encoded)
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return _segment_hashes(_padded(data), starts, starts + lengths)


def window_sums(th: np.ndarray, ngram: int, m: int) -> np.ndarray:
    """``acc[i] = sum_j th[i + j] * MULT**j`` for ``j < ngram``, ``i < m`` (mod 2**64)."""
    if ngram <= _LOOP_NGRAM:
        acc = th[:m].copy()
        tmp = np.empty(m, dtype=_U64)
        mult = 1
        for j in range(1, ngram):
            mult = (mult * int(_SHINGLE_MULT)) % (1 << 64)
            np.multiply(th[j : j + m], _U64(mult), out=tmp)
            acc += tmp
        return acc
    # Long windows: prefix sums of th[t] * MULT**t, differences shifted back
    # by MULT**-i (MULT is odd, so it has an inverse mod 2**64).  Same values,
    # cost independent of ngram.
    n = len(th)
    powers = np.empty(n, dtype=_U64)
    powers[0] = 1
    powers[1:] = _SHINGLE_MULT
    np.cumprod(powers, out=powers)
    prefix = np.zeros(n + 1, dtype=_U64)
    np.cumsum(th * powers, out=prefix[1:])
    inv = np.empty(m, dtype=_U64)
    inv[0] = 1
    inv[1:] = _SHINGLE_MULT_INV
    np.cumprod(inv, out=inv)
    return (prefix[ngram : ngram + m] - prefix[:m]) * inv


def range_sums(th: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``sum_j th[s + j] * MULT**j`` over each non-empty ``[s, e)`` (mod 2**64), as for the shingles.

    For short ranges: one array operation per position of the longest range.
    """
    if len(starts) == 0:
        return np.zeros(0, dtype=_U64)
    lengths = ends - starts
    acc = th[starts].copy()
    mult = 1
    idx = np.arange(len(starts))
    for j in range(1, int(lengths.max())):
        idx = idx[lengths[idx] > j]
        mult = (mult * int(_SHINGLE_MULT)) % (1 << 64)
        acc[idx] += th[starts[idx] + j] * _U64(mult)
    return acc


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
        32-bit shingle hashes in CSR layout, in token order.
    """
    check_param("ngram", ngram, [Interval(Integral, 1, None, closed="left")])
    th = np.asarray(token_hashes, dtype=_U64)
    indptr = np.asarray(indptr, dtype=np.int64)
    n_tok = len(th)
    lengths = np.diff(indptr)
    n_docs = len(lengths)
    counts = np.where(lengths >= ngram, lengths - ngram + 1, np.minimum(lengths, 1))
    out_indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(counts, out=out_indptr[1:])
    out = np.empty(int(out_indptr[-1]), dtype=np.uint32)
    if len(out) == 0:
        return Shingles(hashes=out, indptr=out_indptr)

    # Full n-grams: a sliding combination over the whole stream, then keep the
    # windows that lie inside one document.
    long_docs = lengths >= ngram
    if long_docs.any() and n_tok >= ngram:
        m = n_tok - ngram + 1
        acc = window_sums(th, ngram, m)
        # Windows starting in the last ngram-1 tokens of a document cross its end.
        ok = np.ones(m, dtype=bool)
        bad = (indptr[1:][:, None] - np.arange(1, ngram)[None, :]).ravel()
        bad = bad[(bad >= np.repeat(indptr[:-1], ngram - 1)) & (bad < m)]
        ok[bad] = False
        acc ^= _U64(ngram)
        full = (fmix64(acc[ok]) >> _U64(32)).astype(np.uint32)
        del acc
        # Every output slot holds a full n-gram except the one of a short document.
        slot = np.ones(len(out), dtype=bool)
        slot[out_indptr[:-1][(lengths > 0) & (lengths < ngram)]] = False
        out[slot] = full

    short = (lengths > 0) & (lengths < ngram)
    if short.any():
        s_start = indptr[:-1][short]
        s_len = lengths[short]
        acc = range_sums(th, s_start, s_start + s_len)
        out[out_indptr[:-1][short]] = (
            fmix64(acc ^ s_len.astype(_U64)) >> _U64(32)
        ).astype(np.uint32)
    return Shingles(hashes=out, indptr=out_indptr)


def _is_cjk(cp: np.ndarray) -> np.ndarray:
    """Whether each code point lies in one of the ``_CJK`` ranges."""
    out = np.zeros(len(cp), dtype=bool)
    for lo, hi in _CJK_RANGES:
        out |= (cp >= lo) & (cp <= hi)
    return out


def _token_bounds(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``[start, end)`` byte offsets of the tokens of a cleaned UTF-8 buffer.

    Tokens are runs of word bytes (ASCII ``[0-9A-Za-z_]`` and every byte of a
    non-ASCII character, since cleaning turned the others into spaces), cut
    around every CJK character, which is a token of its own.  ``buf`` must end
    with a byte that is not a word byte.
    """
    # Arithmetic on uint8 (vectorised) rather than a table lookup, which
    # would first widen every byte to an index.
    word = np.subtract(buf | np.uint8(0x20), np.uint8(97)) < 26  # a-z, A-Z
    word |= np.subtract(buf, np.uint8(48)) < 10  # 0-9
    word |= buf == 95  # _
    high = buf >= 128  # bytes of non-ASCII word characters
    word |= high
    cut = word[1:] != word[:-1]  # cut[i]: a boundary between bytes i and i + 1
    if len(buf) > 3 and high.any():
        # CJK characters are 3-byte sequences (lead byte 0xE0-0xEF): decode
        # their code points and cut before and after each.
        lead = np.flatnonzero((buf[:-2] & np.uint8(0xF0)) == np.uint8(0xE0))
        if len(lead):
            cp = (
                ((buf[lead] & np.uint8(0x0F)).astype(np.int32) << 12)
                | ((buf[lead + 1] & np.uint8(0x3F)).astype(np.int32) << 6)
                | (buf[lead + 2] & np.uint8(0x3F)).astype(np.int32)
            )
            cjk = lead[_is_cjk(cp)]
            cut[cjk[cjk > 0] - 1] = True
            after = cjk + 2
            cut[after[after < len(cut)]] = True
    bounds = np.flatnonzero(cut) + 1
    starts = bounds[word[bounds]]
    ends = bounds[word[bounds - 1]]
    if len(word) and word[0]:
        starts = np.concatenate(([0], starts))
    return starts, ends


#: Documents tokenised at a time by the corpus-wide passes (bounds working memory).
BATCH_DOCS = 2000

_PAD = "\n" + "\x00" * 8  # ends the last document; 8 readable bytes for _segment_hashes


def _join_clean(texts: Sequence[str], cfg: NormConfig) -> tuple[np.ndarray, np.ndarray]:
    """Clean and UTF-8 encode ``texts`` into one byte buffer, a newline after each.

    Returns the buffer (followed by 8 zero bytes of padding) and the ``n + 1``
    byte offsets of the documents in it.
    """
    n = len(texts)
    offsets = np.zeros(n + 1, dtype=np.int64)
    big = "\n".join(texts) + _PAD
    if big.isascii():
        # Case folding and digit folding keep ASCII lengths, so offsets follow
        # from the input lengths; one call cleans the whole batch.
        np.cumsum(np.fromiter(map(len, texts), np.int64, n) + 1, out=offsets[1:])
        data = _clean_piece(big, cfg).encode("ascii")
    else:
        del big
        encoded = [
            _clean_piece(t, cfg).encode("ascii") if t.isascii() else _clean_text(t, cfg).encode("utf-8")
            for t in texts
        ]
        np.cumsum(np.fromiter(map(len, encoded), np.int64, n) + 1, out=offsets[1:])
        encoded.append(_PAD[1:].encode("ascii"))
        data = b"\n".join(encoded)
    return np.frombuffer(data, dtype=np.uint8), offsets


def hash_shingles(
    texts: Sequence[str], *, ngram: int = 5, config: NormConfig | None = None
) -> Shingles:
    """Hash the word n-grams of a batch of documents, vectorised.

    Parameters
    ----------
    texts : sequence of str
        The documents.  Call it on batches of a few hundred to a few thousand
        documents to bound memory (about 12 bytes of working memory per input
        byte).
    ngram : int, default=5
        Words per shingle.
    config : NormConfig, optional
        Normalisation (NFKC, case folding, digit folding apply).

    Returns
    -------
    Shingles
    """
    texts = check_texts(texts, "hash_shingles")
    check_param("ngram", ngram, [Interval(Integral, 1, None, closed="left")])
    cfg = config or NormConfig()
    if not texts:
        return Shingles(np.zeros(0, np.uint32), np.zeros(1, np.int64))
    tok_hashes, tok_indptr = hash_tokens(texts, config=cfg)
    return shingle_hashes(tok_hashes, tok_indptr, ngram)


def hash_tokens(texts: Sequence[str], *, config: NormConfig | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Hash the word tokens of a batch of documents, vectorised.

    The hashes equal :func:`hash_terms` of each document's
    :func:`word_tokens` terms, without a Python string per token.

    Parameters
    ----------
    texts : sequence of str
        The documents (a batch of a few thousand bounds memory).
    config : NormConfig, optional
        Normalisation (NFKC, case folding, digit folding apply).

    Returns
    -------
    token_hashes : numpy.ndarray of uint64
        The tokens of all documents, one document after the other.
    indptr : numpy.ndarray of int64
        ``len(texts) + 1`` offsets of each document's tokens.
    """
    reject_bare_str(texts, 'hash_tokens')
    batch = token_batch(texts, config=config)
    return batch.hashes, batch.indptr


@dataclass(frozen=True, eq=False)
class TokenBatch:
    """The tokens of a batch of documents, in flat arrays (no Python object per token).

    Attributes
    ----------
    buf : numpy.ndarray of uint8
        The normalised documents, UTF-8, each followed by a newline (and 8
        bytes of padding at the end).
    doc_offsets : numpy.ndarray of int64
        ``n_docs + 1`` byte offsets of the documents in ``buf``.
    starts, ends : numpy.ndarray of int64
        ``[start, end)`` byte offsets of every token in ``buf``.
    hashes : numpy.ndarray of uint64
        Token hashes, equal to :func:`hash_terms` of the :func:`word_tokens` terms.
    indptr : numpy.ndarray of int64
        ``n_docs + 1`` offsets of each document's tokens.
    """

    buf: np.ndarray = field(repr=False)
    doc_offsets: np.ndarray = field(repr=False)
    starts: np.ndarray = field(repr=False)
    ends: np.ndarray = field(repr=False)
    hashes: np.ndarray = field(repr=False)
    indptr: np.ndarray

    @property
    def n_docs(self) -> int:
        """Number of documents in the batch."""
        return len(self.indptr) - 1

    def byte_positions(self, chars: bytes | None = None) -> np.ndarray:
        """Sorted positions in ``buf`` of the bytes in ``chars`` (default: every byte >= 0x80)."""
        if chars is None:
            return np.flatnonzero(self.buf >= 0x80)
        table = np.zeros(256, dtype=bool)
        table[np.frombuffer(chars, dtype=np.uint8)] = True
        return np.flatnonzero(table[self.buf])

    def count_in_tokens(self, positions: np.ndarray) -> np.ndarray:
        """How many of the sorted byte ``positions`` fall inside each token."""
        return np.searchsorted(positions, self.ends) - np.searchsorted(positions, self.starts)


def token_batch(texts: Sequence[str], *, config: NormConfig | None = None) -> TokenBatch:
    """Normalise and tokenise a batch of documents, vectorised.

    Parameters
    ----------
    texts : sequence of str
        The documents (a batch of a few thousand bounds memory: about 20
        bytes of working memory per input byte).
    config : NormConfig, optional
        Normalisation (NFKC, case folding, digit folding apply).

    Returns
    -------
    TokenBatch
    """
    reject_bare_str(texts, 'token_batch')
    texts = texts if isinstance(texts, (list, tuple)) else list(texts)
    if not texts:
        empty = np.zeros(0, np.int64)
        return TokenBatch(_padded(b"\n"), np.zeros(1, np.int64), empty, empty, np.zeros(0, _U64), np.zeros(1, np.int64))
    buf, doc_offsets = _join_clean(texts, config or NormConfig())
    tok_starts, tok_ends = _token_bounds(buf)
    tok_hashes = _segment_hashes(buf, tok_starts, tok_ends)
    indptr = np.searchsorted(tok_starts, doc_offsets).astype(np.int64)
    return TokenBatch(buf, doc_offsets, tok_starts.astype(np.int64), tok_ends.astype(np.int64), tok_hashes, indptr)


def text_batches(texts: Sequence[str], size: int = BATCH_DOCS) -> Iterator[Sequence[str]]:
    """Consecutive slices of at most ``size`` texts, in order.

    The corpus-wide passes work a batch at a time, which bounds their working
    memory (see :func:`token_batch`).
    """
    for start in range(0, len(texts), size):
        yield texts[start : start + size]


def token_batches(texts: Sequence[str], *, config: NormConfig | None = None) -> Iterator[TokenBatch]:
    """:func:`token_batch` of each slice of :func:`text_batches`, in order."""
    return (token_batch(batch, config=config) for batch in text_batches(texts))
