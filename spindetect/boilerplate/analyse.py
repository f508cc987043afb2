"""The analysis of a batch of pages into tokens, segments (sentences) and lines (blocks).

:func:`_analyse` cuts a batch of texts, vectorised with numpy, into tokens
(hashed, case-folded), segments (lines cut after sentence punctuation) and
non-empty lines, counts per line what the page features are made of, and
yields the hashed *units* whose document frequencies are the corpus
evidence: word n-grams that never cross a line, one hash per segment and
edit-tolerant variants of short segments.  :class:`_Packed` keeps what
scoring needs of an analysed batch, compactly, between fitting and scoring.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._constants import CJK_RANGES, SENTENCE_END
from ..signals.lookup import SmallSet
from ..text.tokens import fmix64
from . import chrome
from .hashing import (
    _DOC_SALT,
    _SEGMENT_SALT,
    _U64,
    _VARIANT_SALT,
    _finish,
    _hash_words,
    _PrefixHash,
    _text_hash,
)

# Characters that end a line, as in str.splitlines.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Characters that end a sentence when followed by white space.
_SENTENCE_END = SENTENCE_END + "。！？…"
# Full stops of scripts written without spaces: they end a sentence on their own.
_SENTENCE_END_CJK = "。！？"
_CJK_RANGES = CJK_RANGES
_WORD_RE = re.compile(r"\w")
_STOP_HASHES = np.sort(_hash_words(sorted(chrome.STOPWORDS)))
_CHROME_HASHES = np.sort(_hash_words(sorted(chrome.CHROME_WORDS)))


@dataclass(frozen=True, eq=False)
class _Batch:
    """A batch of documents cut into tokens, segments and lines (all numpy).

    Offsets are code-point offsets into the batch's joined text; subtract
    ``doc_offset[d]`` to get offsets into document ``d``.
    """

    doc_offset: np.ndarray
    tok_hash: np.ndarray
    tok_seg: np.ndarray
    tok_line: np.ndarray
    tok_stop: np.ndarray
    seg_start: np.ndarray
    seg_end: np.ndarray
    seg_line: np.ndarray
    seg_doc: np.ndarray
    seg_tok: np.ndarray  # n_segments + 1 offsets into the token arrays
    seg_hash: np.ndarray
    line_start: np.ndarray
    line_end: np.ndarray
    line_doc: np.ndarray
    line_counts: np.ndarray  # what the page features are computed from, one row per line
    line_page: np.ndarray  # page features, one row per line
    win_tok: np.ndarray  # first token of every n-gram window
    win_hash: np.ndarray
    unit_hash: np.ndarray = field(repr=False)  # windows, then segment-level units
    unit_doc: np.ndarray = field(repr=False)
    unit_seg: np.ndarray = field(repr=False)  # segment of each segment-level unit
    doc_hash: np.ndarray = field(repr=False)  # hash of every whole text

    @property
    def n_docs(self) -> int:
        return len(self.doc_offset) - 1


_CLASSES = ("word", "solo", "space", "upper", "digit", "brk", "send", "symbol", "send_cjk")


def _char_tables(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per code point: a bit mask of character classes and the lower-cased code point.

    Bit ``k`` of the mask is set when the character is of class ``_CLASSES[k]``.
    Only the distinct non-ASCII code points of the batch are classified in Python.
    """
    uniq = np.unique(cp[cp >= 128])
    chars = [chr(c) for c in range(128)] + [chr(int(c)) for c in uniq]
    preds = (
        lambda ch: _WORD_RE.match(ch) is not None,
        lambda ch: any(a <= ord(ch) <= b for a, b in _CJK_RANGES),
        str.isspace,
        str.isupper,
        str.isdigit,
        lambda ch: ch in _LINE_BREAKS,
        lambda ch: ch in _SENTENCE_END,
        lambda ch: ch in chrome.CHROME_SYMBOLS,
        lambda ch: ch in _SENTENCE_END_CJK,
    )
    bits = np.zeros(len(chars), dtype=np.uint16)
    for k, pred in enumerate(preds):
        bits |= np.fromiter((pred(ch) for ch in chars), dtype=bool, count=len(chars)).astype(
            np.uint16
        ) << np.uint16(k)

    def lower(ch: str) -> int:
        low = ch.lower()
        return ord(low) if len(low) == 1 else ord(ch)

    low = np.fromiter((lower(ch) for ch in chars), dtype=np.uint32, count=len(chars))
    if len(uniq) == 0:
        return bits[cp], low[cp]
    idx = cp.astype(np.int64)
    big = cp >= 128
    idx[big] = 128 + np.searchsorted(uniq, cp[big])
    return bits[idx], low[idx]


def _has(bits: np.ndarray, name: str) -> np.ndarray:
    return (bits & np.uint16(1 << _CLASSES.index(name))) != 0


def _strip_ranges(nonws: np.ndarray, nonws_before: np.ndarray, starts: np.ndarray, ends: np.ndarray):
    """Shrink ``[starts, ends)`` to their non-white-space extent; flag empty ranges.

    ``nonws`` lists the positions of non-white-space characters and
    ``nonws_before[i]`` counts them before position ``i``.
    """
    a = nonws_before[starts]
    b = nonws_before[ends]
    keep = a < b
    return nonws[a[keep]], nonws[b[keep] - 1] + 1, keep


def _count_before(flags: np.ndarray) -> np.ndarray:
    """``out[i]`` = number of set flags at positions ``< i`` (length ``len(flags) + 1``)."""
    out = np.zeros(len(flags) + 1, dtype=np.int64)
    np.cumsum(flags, out=out[1:])
    return out


def _index_before(flags: np.ndarray) -> np.ndarray:
    """As :func:`_count_before` for a boolean mask, as int32 when it fits.

    Only for use as indices: a cumulative sum of booleans into int32 is an
    order of magnitude faster than into int64.
    """
    dtype = np.int32 if len(flags) < (1 << 31) - 1 else np.int64
    out = np.zeros(len(flags) + 1, dtype=dtype)
    np.cumsum(flags, dtype=dtype, out=out[1:])
    return out


# Segments with this many words or more get edit-tolerant variants, up to 3 * ngram words.
_MIN_VARIANT_WORDS = 6


def _variants(
    prefix: _PrefixHash, seg_tok: np.ndarray, seg_raw: np.ndarray, ngram: int
) -> tuple[np.ndarray, np.ndarray]:
    """Edit-tolerant hashes of short segments: the whole segment and every one-word deletion.

    Two segments that differ by one substituted word share the deletion of that
    word; a segment with one extra word shares a deletion with the other's whole
    hash.  Long segments do not need this: their n-grams on either side of an
    edit still match.  Returns ``(hashes, segment index)``, deduplicated per segment.
    """
    ntok = np.diff(seg_tok)
    segs = np.flatnonzero((ntok >= _MIN_VARIANT_WORDS) & (ntok < 3 * ngram))
    if len(segs) == 0:
        return np.zeros(0, dtype=_U64), np.zeros(0, dtype=np.int64)
    lens = ntok[segs]
    rep_seg = np.repeat(segs, lens)
    starts = seg_tok[rep_seg]
    skip = starts + (np.arange(len(rep_seg)) - np.repeat(np.cumsum(lens) - lens, lens))
    deleted = _finish(prefix.raw_without(starts, seg_tok[rep_seg + 1], skip), ntok[rep_seg] - 1)
    whole = _finish(seg_raw[segs], lens)
    hashes = np.concatenate([whole, deleted]) ^ _VARIANT_SALT
    owner = np.concatenate([segs, rep_seg])
    # "very very good" loses the same word twice: keep one unit per segment.
    _, keep = np.unique(fmix64(hashes ^ (owner.astype(_U64) * _DOC_SALT)), return_index=True)
    keep.sort()
    return hashes[keep], owner[keep]


def _page_features(line_counts: np.ndarray, line_doc: np.ndarray) -> np.ndarray:
    """:func:`chrome.page_features` of lines described by their ``line_counts`` rows.

    Columns: words, stopwords, capitalised words, words starting with a digit,
    chrome words, chrome symbols, ends like a sentence (0/1).
    """
    c = line_counts
    return chrome.page_features(
        n_tokens=c[:, 0],
        n_stop=c[:, 1].astype(np.float64),
        n_title=c[:, 2].astype(np.float64),
        n_digit=c[:, 3].astype(np.float64),
        n_chrome=c[:, 4].astype(np.float64),
        n_symbols=c[:, 5],
        ends_sentence=c[:, 6] != 0,
        doc=line_doc,
    )


@dataclass(frozen=True, eq=False)
class _Chars:
    """Per-character arrays of a batch's joined text, and where its lines break."""

    cp: np.ndarray  # code points
    bits: np.ndarray  # character classes (see _CLASSES)
    lower: np.ndarray  # lower-cased code points
    nonws: np.ndarray  # positions of non-white-space characters
    nonws_before: np.ndarray  # non-white-space characters before each position
    brk_pos: np.ndarray  # positions of line breaks
    brk_before: np.ndarray  # raw line index of every position

    @property
    def n(self) -> int:
        return len(self.cp)


def _chars(joined: str) -> _Chars:
    """Classify the characters of ``joined``."""
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bits, lower = _char_tables(cp)
    space = _has(bits, "space")
    brk = _has(bits, "brk")
    return _Chars(
        cp=cp,
        bits=bits,
        lower=lower,
        nonws=np.flatnonzero(~space),
        nonws_before=_index_before(~space),
        brk_pos=np.flatnonzero(brk),
        brk_before=_index_before(brk),
    )


def _token_bounds(c: _Chars) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the tokens: maximal runs of word characters; CJK characters stand alone."""
    word, solo = _has(c.bits, "word"), _has(c.bits, "solo")
    prev_w = np.r_[False, word[:-1]]
    prev_s = np.r_[False, solo[:-1]]
    next_w = np.r_[word[1:], False]
    next_s = np.r_[solo[1:], False]
    tok_start = np.flatnonzero(word & (~prev_w | solo | prev_s))
    tok_end = np.flatnonzero(word & (~next_w | solo | next_s)) + 1
    return tok_start, tok_end


@dataclass(frozen=True, eq=False)
class _Lines:
    """The non-empty lines of a batch, stripped of surrounding white space."""

    start: np.ndarray
    end: np.ndarray
    keep: np.ndarray  # per raw line: it is not empty
    compact: np.ndarray  # per raw line: index among the non-empty lines
    doc: np.ndarray


def _lines(c: _Chars, doc_offset: np.ndarray) -> _Lines:
    raw_start = np.r_[0, c.brk_pos + 1]
    raw_end = np.r_[c.brk_pos, c.n]
    start, end, keep = _strip_ranges(c.nonws, c.nonws_before, raw_start, raw_end)
    doc = np.searchsorted(doc_offset, start, side="right") - 1
    return _Lines(start=start, end=end, keep=keep, compact=np.cumsum(keep) - 1, doc=doc)


@dataclass(frozen=True, eq=False)
class _Segments:
    """The segments of a batch: lines cut after sentence punctuation followed by white space."""

    start: np.ndarray
    end: np.ndarray
    line: np.ndarray
    doc: np.ndarray
    tok: np.ndarray  # n_segments + 1 offsets into the token arrays
    tok_seg: np.ndarray  # segment of every token


def _segments(c: _Chars, lines: _Lines, tok_start: np.ndarray) -> _Segments:
    n = c.n
    space = _has(c.bits, "space")
    ends = _has(c.bits, "send")[:-1] & (space[1:] | _has(c.bits[:-1], "send_cjk"))
    sent_cut = np.flatnonzero(ends) + 1 if n > 1 else np.zeros(0, np.int64)
    cut_mark = np.zeros(n + 1, dtype=bool)
    cut_mark[c.brk_pos + 1] = True
    cut_mark[sent_cut] = True
    cut_mark[0] = False
    cuts = np.flatnonzero(cut_mark)
    start, end, keep = _strip_ranges(c.nonws, c.nonws_before, np.r_[0, cuts], np.r_[cuts, n])
    seg_before = _index_before(cut_mark[1:])  # raw segment index of every position
    tok_seg = (np.cumsum(keep) - 1)[seg_before[tok_start]]
    n_seg = len(start)
    line = lines.compact[c.brk_before[start]]
    doc = lines.doc[line] if n_seg else np.zeros(0, np.int64)
    tok = _count_before(np.bincount(tok_seg, minlength=n_seg)) if n_seg else np.zeros(1, np.int64)
    return _Segments(start=start, end=end, line=line, doc=doc, tok=tok, tok_seg=tok_seg)


def _windows(tok_line: np.ndarray, tok_prefix: _PrefixHash, ngram: int) -> tuple[np.ndarray, np.ndarray]:
    """First token and hash of every word n-gram window that stays inside one line."""
    n_tok = len(tok_line)
    if n_tok >= ngram:
        first = np.arange(n_tok - ngram + 1)
        first = first[tok_line[first] == tok_line[first + ngram - 1]]
    else:
        first = np.zeros(0, dtype=np.int64)
    win_hash = _finish(tok_prefix.raw(first, first + ngram), np.full(len(first), ngram, dtype=np.int64))
    return first, win_hash


def _line_counts(c: _Chars, lines: _Lines, tok_start: np.ndarray, tok_line: np.ndarray,
                 tok_hash: np.ndarray, tok_stop: np.ndarray) -> np.ndarray:
    """What the page features are computed from, one row per line (see :func:`_page_features`)."""
    n_lines = len(lines.start)

    def per_line(flags: np.ndarray) -> np.ndarray:
        return np.bincount(tok_line, weights=flags, minlength=n_lines)

    sym_line_raw = c.brk_before[np.flatnonzero(_has(c.bits, "symbol"))]
    sym_ok = lines.keep[sym_line_raw]
    n_sym = np.bincount(lines.compact[sym_line_raw[sym_ok]], minlength=n_lines)
    last_char = c.cp[np.maximum(lines.end - 1, 0)] if n_lines else np.zeros(0, np.uint32)
    ends_sentence = np.isin(last_char, np.frombuffer(".!?:;\"'”)。！？".encode("utf-32-le"), np.uint32))
    return np.column_stack(
        [
            np.bincount(tok_line, minlength=n_lines),
            per_line(tok_stop),
            per_line(_has(c.bits[tok_start], "upper")),
            per_line(_has(c.bits[tok_start], "digit")),
            per_line(SmallSet(_CHROME_HASHES).contains(tok_hash)),
            n_sym,
            ends_sentence,
        ]
    ).astype(np.int64)


def _doc_offsets(texts: Sequence[str]) -> np.ndarray:
    """Offset of every text in the texts joined by newlines, and the end (``len + 1`` values)."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    doc_offset = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=doc_offset[1:])
    return doc_offset


def _analyse(texts: Sequence[str], ngram: int) -> _Batch:
    """Tokenise, segment and describe a batch of texts, vectorised."""
    doc_offset = _doc_offsets(texts)
    c = _chars("\n".join(texts))
    tok_start, tok_end = _token_bounds(c)
    char_prefix = _PrefixHash(c.lower.astype(_U64) + _U64(1))
    tok_hash = _finish(char_prefix.raw(tok_start, tok_end), tok_end - tok_start)
    lines = _lines(c, doc_offset)
    tok_line = lines.compact[c.brk_before[tok_start]]
    segs = _segments(c, lines, tok_start)
    seg_ntok = np.diff(segs.tok)
    tok_prefix = _PrefixHash(tok_hash, like=char_prefix)
    del char_prefix
    seg_raw = tok_prefix.raw(segs.tok[:-1], segs.tok[1:])
    seg_hash = _finish(seg_raw, seg_ntok) ^ _SEGMENT_SALT
    var_hash, var_seg = _variants(tok_prefix, segs.tok, seg_raw, ngram)
    first, win_hash = _windows(tok_line, tok_prefix, ngram)
    tok_stop = SmallSet(_STOP_HASHES).contains(tok_hash)
    line_counts = _line_counts(c, lines, tok_start, tok_line, tok_hash, tok_stop)
    has_tok = np.flatnonzero(seg_ntok > 0)
    tok_doc = lines.doc[tok_line] if len(tok_start) else np.zeros(0, np.int64)
    unit_seg = np.concatenate([has_tok, var_seg])
    return _Batch(
        doc_offset=doc_offset,
        tok_hash=tok_hash,
        tok_seg=segs.tok_seg,
        tok_line=tok_line,
        tok_stop=tok_stop,
        seg_start=segs.start,
        seg_end=segs.end,
        seg_line=segs.line,
        seg_doc=segs.doc,
        seg_tok=segs.tok,
        seg_hash=seg_hash,
        line_start=lines.start,
        line_end=lines.end,
        line_doc=lines.doc,
        line_counts=line_counts,
        line_page=_page_features(line_counts, lines.doc),
        win_tok=first,
        win_hash=win_hash,
        unit_hash=np.concatenate([win_hash, seg_hash[has_tok], var_hash]),
        unit_doc=np.concatenate([tok_doc[first], segs.doc[unit_seg]]),
        unit_seg=unit_seg,
        doc_hash=np.array([_text_hash(t) for t in texts], dtype=_U64),
    )


def _narrow(a: np.ndarray) -> np.ndarray:
    """``a`` as int32 when its values allow (memory), else unchanged."""
    if len(a) and (a.min() < -(1 << 31) or a.max() >= (1 << 31)):
        return a
    return a.astype(np.int32)


@dataclass(frozen=True, eq=False)
class _Packed:
    """What scoring needs of an analysed batch, kept compact between fit and score.

    About 1 byte per word, 13 bytes per unit (n-gram window or segment unit),
    20 per segment and 32 per line: 3 to 5 bytes per character of English
    text.  Token segments and lines, unit documents and page features are
    rebuilt by :meth:`unpack`.
    """

    doc_offset: np.ndarray
    tok_stop: np.ndarray
    seg_start: np.ndarray
    seg_end: np.ndarray
    seg_line: np.ndarray
    seg_doc: np.ndarray
    seg_tok: np.ndarray
    line_doc: np.ndarray
    line_counts: np.ndarray
    win_tok: np.ndarray
    unit_hash: np.ndarray
    unit_seg: np.ndarray
    unit_repeated: np.ndarray

    @classmethod
    def pack(cls, b: _Batch, unit_repeated: np.ndarray) -> _Packed:
        return cls(
            doc_offset=b.doc_offset,
            tok_stop=b.tok_stop,
            seg_start=_narrow(b.seg_start),
            seg_end=_narrow(b.seg_end),
            seg_line=_narrow(b.seg_line),
            seg_doc=_narrow(b.seg_doc),
            seg_tok=_narrow(b.seg_tok),
            line_doc=_narrow(b.line_doc),
            line_counts=_narrow(b.line_counts),
            win_tok=_narrow(b.win_tok),
            unit_hash=b.unit_hash,
            unit_seg=_narrow(b.unit_seg),
            unit_repeated=unit_repeated,
        )

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, f).nbytes for f in self.__dataclass_fields__)

    def save(self, path: Path) -> Path:
        """Write the arrays to ``path`` (``.npz``, no pickle) and return it."""
        np.savez(path, **{f: getattr(self, f) for f in self.__dataclass_fields__})
        return path

    @classmethod
    def load(cls, path: Path) -> _Packed:
        """The batch :meth:`save` wrote to ``path``."""
        with np.load(path, allow_pickle=False) as z:
            return cls(**{f: z[f] for f in cls.__dataclass_fields__})

    def unpack(self) -> _ScoreInput:
        seg_tok = self.seg_tok.astype(np.int64)
        seg_line = self.seg_line.astype(np.int64)
        seg_doc = self.seg_doc.astype(np.int64)
        line_doc = self.line_doc.astype(np.int64)
        win_tok = self.win_tok.astype(np.int64)
        unit_seg = self.unit_seg.astype(np.int64)
        # Tokens are in segment order and segments never cross a line.
        tok_seg = np.repeat(np.arange(len(seg_line), dtype=np.int64), np.diff(seg_tok))
        tok_line = seg_line[tok_seg]
        unit_doc = np.concatenate([line_doc[tok_line[win_tok]], seg_doc[unit_seg]])
        return _ScoreInput(
            doc_offset=self.doc_offset,
            tok_seg=tok_seg,
            tok_line=tok_line,
            tok_stop=self.tok_stop,
            seg_start=self.seg_start.astype(np.int64),
            seg_end=self.seg_end.astype(np.int64),
            seg_line=seg_line,
            seg_doc=seg_doc,
            seg_tok=seg_tok,
            line_doc=line_doc,
            line_page=_page_features(self.line_counts.astype(np.int64), line_doc),
            win_tok=win_tok,
            unit_hash=self.unit_hash,
            unit_doc=unit_doc,
            unit_seg=unit_seg,
            unit_repeated=self.unit_repeated,
        )


@dataclass(frozen=True, eq=False)
class _ScoreInput:
    """The fields of :class:`_Batch` that :func:`_evidence` and :func:`_reports` read."""

    doc_offset: np.ndarray
    tok_seg: np.ndarray
    tok_line: np.ndarray
    tok_stop: np.ndarray
    seg_start: np.ndarray
    seg_end: np.ndarray
    seg_line: np.ndarray
    seg_doc: np.ndarray
    seg_tok: np.ndarray
    line_doc: np.ndarray
    line_page: np.ndarray
    win_tok: np.ndarray
    unit_hash: np.ndarray
    unit_doc: np.ndarray
    unit_seg: np.ndarray
    unit_repeated: np.ndarray  # the unit occurs twice in its document

    @property
    def n_docs(self) -> int:
        return len(self.doc_offset) - 1
