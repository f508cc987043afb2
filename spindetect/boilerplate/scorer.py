"""How much of each document is boilerplate, and which character spans.

A :class:`BoilerplateScorer` is fitted on a corpus and reports, for every
document, the fraction of its characters that are boilerplate and the spans
``(start, end, reason)`` that make up that fraction.  Four kinds of evidence
are used, each named by the ``reason`` of a span:

``shared_in_corpus``
    The passage also occurs in other documents of the corpus (site navigation,
    footers, disclaimers, stock phrases, template sentences).
``family_template``
    The passage occurs in other members of the document's family (when family
    labels are given) and nowhere else.
``repeated_in_doc``
    The passage occurs more than once in the document itself (a list of
    headings echoed as section titles, "Reply" under every comment).
``page_chrome``
    The block looks like page furniture on its own: short, few stopwords, in a
    run of short lines, navigation and sharing words, separators, copyright
    lines (what jusText and Boilerpipe measure, adapted to plain text).

How the evidence is computed
----------------------------
Texts are cut into *lines* (blocks) and lines into *segments* (sentences).
Words are hashed (case-folded), and each line yields hashed word n-grams
(``ngram`` words, default 8) that never cross a line; each segment also yields
one hash of its whole word sequence, so that short lines such as menu items
have a unit of their own.  Fitting counts in how many documents every unit
occurs (a sort of all unit hashes, linear in corpus size; no pairwise
comparison).  A word is *covered* when it lies inside a unit shared with
another document; a segment counts as shared when at least ``min_coverage`` of
its words are covered, which keeps a long template sentence with one word
changed: the 8-grams on either side of the change still match.  Segments of 6
to ``3 * ngram`` words also yield the hash of every one-word deletion, so that
a short template sentence with one word substituted, added or removed still
shares a unit with the original.

Single-page evidence is scored per segment by a *page model* (a logistic
regression over the features of :mod:`spindetect.chrome`); a *combined model*
(another logistic regression) takes the page model's logit and the corpus
evidence (coverage of the segment, its line and neighbouring lines, document
frequency, repeats).  The two are blended per document by how much of the
document the corpus explains at all: a page with no shared words (a corpus of
one page, pages from unrelated sites) is judged by the page model alone, one
with at least ``blend_doc_coverage`` of its words shared by the combined model,
so that neither kind of evidence swamps the other.  Both are fitted by
``benchmarks/fit_boilerplate.py`` on part of the Dragnet training pages; only
the numbers are shipped (``resources/boilerplate_weights.json``).  Segments
shared with other documents or repeated in the document (``min_coverage``) are
always boilerplate, whatever the models say.

Everything is vectorised per batch of documents with numpy; the work is
linear in the number of characters (plus one sort of all unit hashes).
:meth:`BoilerplateScorer.fit_score` analyses every text once: the batches
analysed while fitting are kept in compact form and scored afterwards, where
``fit(...).score()`` analyses the texts a second time.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
from sklearn.exceptions import NotFittedError

from . import chrome
from ..signals.lookup import HashTable, SmallSet, isin_sorted
from ..text.tokens import fmix64

__all__ = [
    "REASONS",
    "BoilerplateSpan",
    "BoilerplateReport",
    "BoilerplateScorer",
    "highlight_html",
    "load_weights",
]

#: The possible ``reason`` of a :class:`BoilerplateSpan`, strongest evidence first.
REASONS: tuple[str, ...] = ("shared_in_corpus", "family_template", "repeated_in_doc", "page_chrome")

_U64 = np.uint64
_CHAR_MULT = _U64(0x100000001B3)
_SEQ_MULT = _U64(0x9E3779B97F4A7C15)
_LEN_MULT = _U64(0xC2B2AE3D27D4EB4F)
_SEGMENT_SALT = _U64(0x5BD1E9955BD1E995)
_VARIANT_SALT = _U64(0x2545F4914F6CDD1D)
_DOC_SALT = _U64(0x27D4EB2F165667C5)
_FAMILY_SALT = _U64(0x94D049BB133111EB)

# Characters that end a line, as in str.splitlines.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Characters that end a sentence when followed by white space.
_SENTENCE_END = ".!?。！？…"
# Full stops of scripts written without spaces: they end a sentence on their own.
_SENTENCE_END_CJK = "。！？"
_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF))
_WORD_RE = re.compile(r"\w")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class BoilerplateSpan:
    """One boilerplate span of a document.

    Attributes
    ----------
    start, end : int
        ``[start, end)`` character offsets into the original text.
    reason : str
        One of :data:`REASONS`.
    """

    start: int
    end: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return the span as a JSON-serialisable dict."""
        return {"start": self.start, "end": self.end, "reason": self.reason}


@dataclass(frozen=True)
class BoilerplateReport:
    """How much of one document is boilerplate.

    Attributes
    ----------
    fraction : float
        Boilerplate characters / characters, in ``[0, 1]``; ``0.0`` for an
        empty text.
    spans : tuple of BoilerplateSpan
        Sorted, non-overlapping spans; offsets index the original text.
    n_chars : int
        Length of the text in characters.
    """

    fraction: float
    spans: tuple[BoilerplateSpan, ...]
    n_chars: int

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-serialisable dict."""
        return {
            "fraction": self.fraction,
            "n_chars": self.n_chars,
            "spans": [s.to_dict() for s in self.spans],
        }

    def chars_by_reason(self) -> dict[str, int]:
        """Return the number of boilerplate characters per reason."""
        out = {r: 0 for r in REASONS}
        for s in self.spans:
            out[s.reason] += s.end - s.start
        return out

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{s.start}</td><td>{s.end}</td><td>{s.reason}</td></tr>" for s in self.spans[:50]
        )
        more = f"<p>… {len(self.spans) - 50} more spans</p>" if len(self.spans) > 50 else ""
        return (
            f"<p>boilerplate fraction <b>{self.fraction:.3f}</b> of {self.n_chars} characters, "
            f"{len(self.spans)} spans</p><table><tr><th>start</th><th>end</th><th>reason</th></tr>"
            f"{rows}</table>{more}"
        )


# --------------------------------------------------------------------------- hashing


class _PrefixHash:
    """Prefix sums of a polynomial hash over a sequence, for O(1) slice hashes.

    ``raw(s, e) = sum_j values[j] * M**(j - s)`` modulo 2**64 (the multiplier
    ``M`` is odd, hence invertible), so the hash of a slice does not depend on
    where the slice sits.
    """

    def __init__(self, values: np.ndarray, like: _PrefixHash | None = None) -> None:
        n = len(values)
        if like is not None and len(like.powers) > n:
            # Same multiplier: reuse the powers of a longer sequence.
            powers, inv = like.powers[: n + 1], like.inv[: n + 1]
        else:
            powers = np.empty(n + 1, dtype=_U64)
            powers[0] = 1
            powers[1:] = _SEQ_MULT
            np.cumprod(powers, out=powers)
            inv = np.empty(n + 1, dtype=_U64)
            inv[0] = 1
            inv[1:] = _U64(pow(int(_SEQ_MULT), -1, 1 << 64))
            np.cumprod(inv, out=inv)
        prefix = np.zeros(n + 1, dtype=_U64)
        np.cumsum(values.astype(_U64, copy=False) * powers[:n], out=prefix[1:])
        self.powers, self.prefix, self.inv = powers, prefix, inv

    def raw(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        return (self.prefix[ends] - self.prefix[starts]) * self.inv[starts]

    def raw_without(self, starts: np.ndarray, ends: np.ndarray, skip: np.ndarray) -> np.ndarray:
        """Raw hash of ``values[starts:ends]`` with the element at ``skip`` deleted."""
        return self.raw(starts, skip) + self.raw(skip + 1, ends) * self.powers[skip - starts]


def _finish(raw: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    return fmix64(raw ^ (lengths.astype(_U64) * _LEN_MULT))


def _range_hashes(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Order-sensitive 64-bit hash of every slice ``values[starts[i]:ends[i]]``."""
    return _finish(_PrefixHash(values).raw(starts, ends), ends - starts)


def _hash_words(words: Sequence[str]) -> np.ndarray:
    """Hash words exactly as the batch tokeniser does (lower-cased code points)."""
    if not words:
        return np.zeros(0, dtype=_U64)
    text = " ".join(w.lower() for w in words)
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(_U64) + _U64(1)
    lengths = np.array([len(w.lower()) for w in words], dtype=np.int64)
    starts = np.zeros(len(words), dtype=np.int64)
    starts[1:] = np.cumsum(lengths + 1)[:-1]
    return _range_hashes(cp, starts, starts + lengths)


_STOP_HASHES = np.sort(_hash_words(sorted(chrome.STOPWORDS)))
_CHROME_HASHES = np.sort(_hash_words(sorted(chrome.CHROME_WORDS)))


# --------------------------------------------------------------------------- analysis


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


def _text_hash(text: str) -> int:
    """64-bit fingerprint of a whole text (to recognise fitted documents)."""
    data = text.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


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


def _analyse(texts: Sequence[str], ngram: int) -> _Batch:
    """Tokenise, segment and describe a batch of texts, vectorised."""
    joined = "\n".join(texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    doc_offset = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=doc_offset[1:])
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(cp)
    bits, lower = _char_tables(cp)
    word, solo = _has(bits, "word"), _has(bits, "solo")

    # Tokens: maximal runs of word characters; CJK characters stand alone.
    prev_w = np.r_[False, word[:-1]]
    prev_s = np.r_[False, solo[:-1]]
    next_w = np.r_[word[1:], False]
    next_s = np.r_[solo[1:], False]
    tok_start = np.flatnonzero(word & (~prev_w | solo | prev_s))
    tok_end = np.flatnonzero(word & (~next_w | solo | next_s)) + 1
    char_prefix = _PrefixHash(lower.astype(_U64) + _U64(1))
    tok_hash = _finish(char_prefix.raw(tok_start, tok_end), tok_end - tok_start)
    n_tok = len(tok_start)

    space = _has(bits, "space")
    nonws = np.flatnonzero(~space)
    nonws_before = _index_before(~space)
    brk = _has(bits, "brk")
    brk_pos = np.flatnonzero(brk)
    brk_before = _index_before(brk)  # raw line index of every position

    # Lines.
    raw_line_start = np.r_[0, brk_pos + 1]
    raw_line_end = np.r_[brk_pos, n]
    line_start, line_end, line_keep = _strip_ranges(nonws, nonws_before, raw_line_start, raw_line_end)
    line_compact = np.cumsum(line_keep) - 1
    tok_line = line_compact[brk_before[tok_start]]
    line_doc = np.searchsorted(doc_offset, line_start, side="right") - 1

    # Segments: lines cut after sentence punctuation followed by white space.
    send = _has(bits, "send")
    ends = send[:-1] & (space[1:] | _has(bits[:-1], "send_cjk"))
    sent_cut = np.flatnonzero(ends) + 1 if n > 1 else np.zeros(0, np.int64)
    cut_mark = np.zeros(n + 1, dtype=bool)
    cut_mark[brk_pos + 1] = True
    cut_mark[sent_cut] = True
    cut_mark[0] = False
    cuts = np.flatnonzero(cut_mark)
    raw_seg_start = np.r_[0, cuts]
    raw_seg_end = np.r_[cuts, n]
    seg_start, seg_end, seg_keep = _strip_ranges(nonws, nonws_before, raw_seg_start, raw_seg_end)
    seg_compact = np.cumsum(seg_keep) - 1
    seg_before = _index_before(cut_mark[1:])  # raw segment index of every position
    tok_seg = seg_compact[seg_before[tok_start]]
    n_seg = len(seg_start)
    seg_line = line_compact[brk_before[seg_start]]
    seg_doc = line_doc[seg_line] if n_seg else np.zeros(0, np.int64)
    seg_tok = _count_before(np.bincount(tok_seg, minlength=n_seg)) if n_seg else np.zeros(1, np.int64)
    seg_ntok = np.diff(seg_tok)
    tok_prefix = _PrefixHash(tok_hash, like=char_prefix)
    del char_prefix
    seg_raw = tok_prefix.raw(seg_tok[:-1], seg_tok[1:])
    seg_hash = _finish(seg_raw, seg_ntok) ^ _SEGMENT_SALT
    var_hash, var_seg = _variants(tok_prefix, seg_tok, seg_raw, ngram)

    # Word n-gram windows that stay inside one line.
    if n_tok >= ngram:
        first = np.arange(n_tok - ngram + 1)
        first = first[tok_line[first] == tok_line[first + ngram - 1]]
    else:
        first = np.zeros(0, dtype=np.int64)
    win_hash = _finish(tok_prefix.raw(first, first + ngram), np.full(len(first), ngram, dtype=np.int64))

    # Per-token flags, then per-line counts for the page features.
    tok_stop = SmallSet(_STOP_HASHES).contains(tok_hash)
    tok_chrome = SmallSet(_CHROME_HASHES).contains(tok_hash)
    n_lines = len(line_start)

    def per_line(flags: np.ndarray) -> np.ndarray:
        return np.bincount(tok_line, weights=flags, minlength=n_lines)

    sym_pos = np.flatnonzero(_has(bits, "symbol"))
    sym_line_raw = brk_before[sym_pos]
    sym_ok = line_keep[sym_line_raw]
    n_sym = np.bincount(line_compact[sym_line_raw[sym_ok]], minlength=n_lines)
    last_char = cp[np.maximum(line_end - 1, 0)] if n_lines else np.zeros(0, np.uint32)
    ends_sentence = np.isin(last_char, np.frombuffer(".!?:;\"'”)。！？".encode("utf-32-le"), np.uint32))
    line_counts = np.column_stack(
        [
            np.bincount(tok_line, minlength=n_lines),
            per_line(tok_stop),
            per_line(_has(bits[tok_start], "upper")),
            per_line(_has(bits[tok_start], "digit")),
            per_line(tok_chrome),
            n_sym,
            ends_sentence,
        ]
    ).astype(np.int64)
    line_page = _page_features(line_counts, line_doc)

    has_tok = np.flatnonzero(seg_ntok > 0)
    tok_doc = line_doc[tok_line] if n_tok else np.zeros(0, np.int64)
    unit_hash = np.concatenate([win_hash, seg_hash[has_tok], var_hash])
    unit_seg = np.concatenate([has_tok, var_seg])
    unit_doc = np.concatenate([tok_doc[first], seg_doc[unit_seg]])
    return _Batch(
        doc_offset=doc_offset,
        tok_hash=tok_hash,
        tok_seg=tok_seg,
        tok_line=tok_line,
        tok_stop=tok_stop,
        seg_start=seg_start,
        seg_end=seg_end,
        seg_line=seg_line,
        seg_doc=seg_doc,
        seg_tok=seg_tok,
        seg_hash=seg_hash,
        line_start=line_start,
        line_end=line_end,
        line_doc=line_doc,
        line_counts=line_counts,
        line_page=line_page,
        win_tok=first,
        win_hash=win_hash,
        unit_hash=unit_hash,
        unit_doc=unit_doc,
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


# Analysed batches kept between fitting and scoring in :meth:`BoilerplateScorer.fit_score`,
# at most this many bytes; later batches are analysed again.
_KEEP_BYTES = 1 << 30


# --------------------------------------------------------------------------- corpus evidence


@dataclass(frozen=True, eq=False)
class _CorpusStats:
    """Document frequencies (int32) of the units of a fitted corpus."""

    units: HashTable
    families: HashTable
    doc_hash: np.ndarray  # sorted fingerprints of the fitted texts


def _doc_keys(hashes: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """One key per (unit, document) pair."""
    return fmix64(hashes ^ ((docs.astype(_U64) + _U64(1)) * _DOC_SALT))


def _family_keys(hashes: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """One key per (unit, family) pair; ``codes`` < 0 means no family."""
    return fmix64(hashes ^ fmix64((codes.astype(_U64) + _U64(1)) * _FAMILY_SALT))


def _repeated_units(keys: np.ndarray) -> np.ndarray:
    """Flag the (unit, document) keys that occur more than once."""
    ordered = np.sort(keys)
    twice = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    return isin_sorted(keys, twice)


def _first_of_each(keys: np.ndarray, repeated: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of every distinct key, in position order.

    ``repeated`` flags the keys that occur more than once (see
    :func:`_repeated_units`); only those need a sort.
    """
    rep = np.flatnonzero(repeated)
    if len(rep) == 0:
        return np.arange(len(keys))
    _, first = np.unique(keys[rep], return_index=True)
    keep = ~repeated
    keep[rep[first]] = True
    return np.flatnonzero(keep)


def _spread(values: np.ndarray, starts: np.ndarray, width: int, n: int) -> np.ndarray:
    """Max of ``values[k]`` over all windows ``[starts[k], starts[k] + width)`` covering each slot."""
    at = np.zeros(n + width, dtype=np.float64)
    at[starts] = values  # window starts are distinct
    out = np.zeros(n, dtype=np.float64)
    for j in range(width):
        # Slot i is covered by the window starting at i - j.
        if j == 0:
            out = np.maximum(out, at[:n])
        else:
            out[j:] = np.maximum(out[j:], at[: n - j] if n - j > 0 else at[:0])
    return out


#: Corpus-evidence features per segment, in order (see :func:`_segment_features`).
CORPUS_FEATURES: tuple[str, ...] = (
    "shared_cov",
    "shared_log_df",
    "line_shared_cov",
    "window_shared_cov",
    "doc_shared_cov",
    "repeated_cov",
)
#: Segment-level page features added to the line-level ones.
SEGMENT_FEATURES: tuple[str, ...] = ("seg_log_tokens", "seg_stop_density", "seg_share_of_line")


@dataclass(frozen=True, eq=False)
class _Evidence:
    page: np.ndarray  # n_segments x (PAGE_FEATURES + SEGMENT_FEATURES)
    corpus: np.ndarray  # n_segments x CORPUS_FEATURES
    shared_cov: np.ndarray
    outside_cov: np.ndarray  # covered by passages that also occur outside the family
    repeated_cov: np.ndarray
    n_tokens: np.ndarray
    doc_lines: np.ndarray  # non-empty lines of the segment's document


def _evidence(
    b: _Batch | _ScoreInput,
    stats: _CorpusStats | None,
    in_corpus: np.ndarray,
    fam_codes: np.ndarray | None,
    ngram: int,
    min_docs: int,
) -> _Evidence:
    """Per-segment evidence of a batch against fitted corpus statistics."""
    n_tok = len(b.tok_seg)
    n_seg = len(b.seg_start)
    n_lines = len(b.line_doc)
    n_win = len(b.win_tok)
    seg_ntok = np.diff(b.seg_tok)

    # Document frequency of every unit in the *other* documents of the corpus.
    if stats is not None:
        df = stats.units.get(b.unit_hash)
        df = np.maximum(df - in_corpus[b.unit_doc], 0)
    else:
        df = np.zeros(len(b.unit_hash), dtype=np.int64)
    shared = df >= max(min_docs - 1, 1)
    if stats is not None and fam_codes is not None and len(stats.families):
        codes = fam_codes[b.unit_doc]
        fdf = stats.families.get(_family_keys(b.unit_hash, codes))
        fdf = np.where(codes >= 0, np.maximum(fdf - in_corpus[b.unit_doc], 0), 0)
        family_only = shared & (fdf >= df)  # every other occurrence is in the family
    else:
        family_only = np.zeros(len(df), dtype=bool)
    # Repeated inside the document: the same unit at two places of one text.
    if isinstance(b, _ScoreInput):
        repeated = b.unit_repeated  # found while fitting
    else:
        repeated = _repeated_units(_doc_keys(b.unit_hash, b.unit_doc))

    def token_cover(flags: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
        """Per token: max value (or 1.0) over flagged units covering it."""
        v = np.where(flags, 1.0 if values is None else values, 0.0)
        out = _spread(v[:n_win], b.win_tok, ngram, n_tok)
        seg_v = np.zeros(n_seg)
        np.maximum.at(seg_v, b.unit_seg, v[n_win:])
        return np.maximum(out, np.repeat(seg_v, seg_ntok))

    def per(tok_values: np.ndarray, group: np.ndarray, size: int) -> np.ndarray:
        tot = np.bincount(group, minlength=size).astype(np.float64)
        return np.bincount(group, weights=tok_values, minlength=size) / np.maximum(tot, 1.0)

    tok_shared = token_cover(shared)
    tok_outside = token_cover(shared & ~family_only)
    tok_rep = token_cover(repeated)
    tok_logdf = token_cover(shared, np.log1p(df.astype(np.float64)))

    shared_cov = per(tok_shared, b.tok_seg, n_seg)
    line_cov = per(tok_shared, b.tok_line, n_lines)
    line_ntok = np.bincount(b.tok_line, minlength=n_lines).astype(np.float64)
    # Coverage of a window of lines around each line (weighted by words).
    win_cov = line_cov * line_ntok
    win_tok = line_ntok.copy()
    for step in (1, 2, -1, -2):
        win_cov += chrome._neighbour(line_cov * line_ntok, b.line_doc, step, 0.0)
        win_tok += chrome._neighbour(line_ntok, b.line_doc, step, 0.0)
    win_cov = win_cov / np.maximum(win_tok, 1.0)
    tok_doc = b.line_doc[b.tok_line] if n_tok else np.zeros(0, np.int64)
    doc_cov = per(tok_shared, tok_doc, b.n_docs)

    seg_stop = per(b.tok_stop.astype(np.float64), b.tok_seg, n_seg)
    line_of = b.seg_line
    page = np.column_stack(
        [
            b.line_page[line_of] if n_seg else np.zeros((0, len(chrome.PAGE_FEATURES))),
            np.log1p(seg_ntok),
            seg_stop,
            seg_ntok / np.maximum(line_ntok[line_of], 1.0) if n_seg else np.zeros(0),
        ]
    )
    corpus = np.column_stack(
        [
            shared_cov,
            per(tok_logdf, b.tok_seg, n_seg),
            line_cov[line_of],
            win_cov[line_of],
            doc_cov[b.seg_doc],
            per(tok_rep, b.tok_seg, n_seg),
        ]
    )
    return _Evidence(
        page=page,
        corpus=corpus,
        shared_cov=shared_cov,
        outside_cov=per(tok_outside, b.tok_seg, n_seg),
        repeated_cov=corpus[:, 5],
        n_tokens=seg_ntok,
        doc_lines=np.bincount(b.line_doc, minlength=b.n_docs)[b.seg_doc],
    )


def _batches(texts: Sequence[str], max_chars: int):
    """``(lo, hi)`` ranges of consecutive texts holding about ``max_chars`` characters."""
    lo = 0
    total = 0
    for i, t in enumerate(texts):
        total += len(t) + 1
        if total >= max_chars:
            yield lo, i + 1
            lo, total = i + 1, 0
    if lo < len(texts):
        yield lo, len(texts)


def _sorted_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values (sorted) and their counts (int32), sorting ``values`` in place."""
    values.sort()
    edge = np.ones(len(values) + 1, dtype=bool)  # a run of equal values starts here, or the end
    np.not_equal(values[1:], values[:-1], out=edge[1:-1])
    at = np.flatnonzero(edge)
    del edge
    counts = np.diff(at).astype(np.int32)
    return values[at[:-1]], counts


def _fit_stats(
    texts: Sequence[str],
    fam_codes: np.ndarray | None,
    ngram: int,
    batch_chars: int,
    group_codes: np.ndarray | None = None,
    keep: list[_Packed | None] | None = None,
) -> tuple[_CorpusStats, list[np.ndarray]]:
    """Count in how many documents each unit occurs; also keep segment occurrences.

    With a list ``keep``, the analysed batches are appended to it, packed, up
    to ``_KEEP_BYTES`` in total (``None`` for the batches beyond), for scoring.

    With ``group_codes``, documents of one group count once: a unit is counted
    in how many *groups* it occurs.

    Each batch keeps one unit hash per (unit, owner) pair, where the owner is
    the document or its group, plus one family key per pair of a document
    with a family.  Only the pairs of groups spread over several batches need
    a second, corpus-wide deduplication; it keeps the family of the first
    document (in corpus order) holding the unit.
    """
    ranges = list(_batches(texts, batch_chars))
    has_fams = fam_codes is not None and bool(np.any(fam_codes >= 0))
    spread = np.zeros(len(texts), dtype=bool)  # document's group spans batches
    if group_codes is not None and len(ranges) > 1:
        batch_of = np.zeros(len(texts), dtype=np.int64)
        for k, (lo, hi) in enumerate(ranges):
            batch_of[lo:hi] = k
        n_groups = int(group_codes.max()) + 1
        first_batch = np.full(n_groups, len(ranges), dtype=np.int64)
        last_batch = np.full(n_groups, -1, dtype=np.int64)
        np.minimum.at(first_batch, group_codes, batch_of)
        np.maximum.at(last_batch, group_codes, batch_of)
        spread = (first_batch != last_batch)[group_codes]
    units: list[np.ndarray] = []
    fam_keys: list[np.ndarray] = []
    # Pairs of groups spread over batches: unit, owner, family, in corpus order.
    late_units: list[np.ndarray] = []
    late_owners: list[np.ndarray] = []
    late_fams: list[np.ndarray] = []
    doc_hashes: list[np.ndarray] = []
    seg_rows: list[np.ndarray] = []
    for lo, hi in ranges:
        b = _analyse(texts[lo:hi], ngram)
        owner = b.unit_doc + lo if group_codes is None else group_codes[lo:hi][b.unit_doc]
        doc_keys = _doc_keys(b.unit_hash, b.unit_doc)
        repeated = _repeated_units(doc_keys)
        if group_codes is None or len(np.unique(group_codes[lo:hi])) == hi - lo:
            # One owner per document: the (unit, document) pairs are the (unit, owner) pairs.
            first = _first_of_each(doc_keys, repeated)
        else:
            _, first = np.unique(_doc_keys(b.unit_hash, owner), return_index=True)
        u = b.unit_hash[first]
        f = fam_codes[lo:hi][b.unit_doc[first]] if has_fams else None
        late = spread[lo:hi][b.unit_doc[first]]
        if late.any():
            late_units.append(u[late])
            late_owners.append(owner[first][late])
            if f is not None:
                late_fams.append(f[late])
            u = u[~late]
            f = f[~late] if f is not None else None
        units.append(u)
        if f is not None:
            fam_keys.append(_family_keys(u[f >= 0], f[f >= 0]))
        doc_hashes.append(b.doc_hash)
        has_tok = np.diff(b.seg_tok) > 0
        seg_rows.append(
            np.column_stack(
                [
                    b.seg_hash[has_tok].view(np.int64),
                    b.seg_doc[has_tok] + lo,
                    b.seg_start[has_tok] - b.doc_offset[b.seg_doc[has_tok]],
                    b.seg_end[has_tok] - b.doc_offset[b.seg_doc[has_tok]],
                    np.diff(b.seg_tok)[has_tok],
                ]
            )
        )
        if keep is not None:
            packed = _Packed.pack(b, repeated)
            kept = sum(p.nbytes for p in keep if p is not None)
            keep.append(packed if kept + packed.nbytes <= _KEEP_BYTES else None)
        del b
    empty = np.zeros(0, dtype=_U64)
    if late_units:
        # A group may span batches: count each (unit, group) once overall.
        lu = np.concatenate(late_units)
        _, first = np.unique(_doc_keys(lu, np.concatenate(late_owners)), return_index=True)
        units.append(lu[first])
        if has_fams:
            lf = np.concatenate(late_fams)[first]
            fam_keys.append(_family_keys(lu[first][lf >= 0], lf[lf >= 0]))
        del lu, late_units, late_owners, late_fams
    all_units = np.concatenate(units) if units else empty
    del units
    uh, udf = _sorted_counts(all_units)
    del all_units
    if fam_keys:
        fh, fdf = _sorted_counts(np.concatenate(fam_keys))
    else:
        fh, fdf = empty, np.zeros(0, dtype=np.int32)
    stats = _CorpusStats(
        units=HashTable(uh, udf),
        families=HashTable(fh, fdf),
        doc_hash=np.sort(np.concatenate(doc_hashes) if doc_hashes else empty),
    )
    return stats, seg_rows


# --------------------------------------------------------------------------- model


def load_weights(source: str | Any | dict | None = None) -> dict[str, Any]:
    """Load and check the weights of the segment model.

    Parameters
    ----------
    source : path, dict or None
        ``None`` loads the weights shipped with the package
        (``spindetect/resources/boilerplate_weights.json``); a dict is checked
        and returned; anything else is read as a JSON file path.

    Returns
    -------
    dict
        The weights, with the keys ``page_model``, ``combined_model`` and
        ``blend_doc_coverage``.

    Raises
    ------
    ValueError
        If the feature names do not match the features this version computes.
    """
    if source is None:
        text = resources.files("spindetect").joinpath("resources/boilerplate_weights.json").read_text(
            encoding="utf-8"
        )
        weights = json.loads(text)
    elif isinstance(source, dict):
        weights = source
    else:
        with open(source, encoding="utf-8") as fh:
            weights = json.load(fh)
    page_names = list(chrome.PAGE_FEATURES + SEGMENT_FEATURES)
    comb_names = ["page_logit", *CORPUS_FEATURES]
    for key, names in (("page_model", page_names), ("combined_model", comb_names)):
        model = weights.get(key)
        if not isinstance(model, dict):
            raise ValueError(f"boilerplate weights: missing {key!r}")
        if list(model.get("features", [])) != names:
            raise ValueError(
                f"boilerplate weights: {key} features {model.get('features')} do not match "
                f"this version's features {names}; refit with benchmarks/fit_boilerplate.py"
            )
        if len(model["coef"]) != len(names):
            raise ValueError(f"boilerplate weights: {key} has {len(model['coef'])} coefficients, expected {len(names)}")
    if "blend_doc_coverage" not in weights:
        raise ValueError("boilerplate weights: missing 'blend_doc_coverage'")
    return weights


def _logit(model: dict[str, Any], x: np.ndarray) -> np.ndarray:
    coef = np.asarray(model["coef"], dtype=np.float64)
    mean = np.asarray(model.get("mean", np.zeros(len(coef))), dtype=np.float64)
    scale = np.asarray(model.get("scale", np.ones(len(coef))), dtype=np.float64)
    return ((x - mean) / scale) @ coef + float(model["intercept"])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _boilerplate_probability(ev: _Evidence, weights: dict[str, Any], use_corpus: bool) -> np.ndarray:
    """Probability that each segment is boilerplate, from the two logistic models.

    The page model sees only the page; the combined model sees the page
    model's logit and the corpus evidence.  They are blended per document by
    how much of the document the corpus explains at all (``doc_shared_cov``
    over ``blend_doc_coverage``, clipped to 1): a page that shares nothing
    with the corpus is judged by the page model alone.
    """
    z_page = _logit(weights["page_model"], ev.page)
    p_page = _sigmoid(z_page)
    if not use_corpus:
        return p_page
    p_comb = _sigmoid(_logit(weights["combined_model"], np.column_stack([z_page, ev.corpus])))
    doc_cov = ev.corpus[:, CORPUS_FEATURES.index("doc_shared_cov")]
    alpha = np.clip(doc_cov / float(weights["blend_doc_coverage"]), 0.0, 1.0)
    return (1.0 - alpha) * p_page + alpha * p_comb


# --------------------------------------------------------------------------- scorer


def _check_texts(texts: Any, what: str = "texts") -> list[str]:
    if isinstance(texts, (str, bytes)):
        raise TypeError(
            f"{what} must be a sequence of texts, not a single {type(texts).__name__}; "
            "wrap one document in a list"
        )
    try:
        out = list(texts)
    except TypeError:
        raise TypeError(f"{what} must be a sequence of str, got {type(texts).__name__}") from None
    for i, t in enumerate(out):
        if not isinstance(t, str):
            raise TypeError(f"{what}[{i}] must be a str, got {type(t).__name__}")
    return out


def _check_families(families: Any, n: int) -> list[Hashable | None] | None:
    if families is None:
        return None
    if isinstance(families, (str, bytes)):
        raise TypeError("families must be a sequence with one label per text, not a single str")
    out = list(families)
    if len(out) != n:
        raise ValueError(f"families has {len(out)} labels but there are {n} texts")
    for i, f in enumerate(out):
        if f is not None and not isinstance(f, Hashable):
            raise TypeError(f"families[{i}] must be hashable or None, got {type(f).__name__}")
    return out


class BoilerplateScorer:
    """Score how much of each document is boilerplate, with the spans.

    Parameters
    ----------
    ngram : int, default=8
        Words per hashed n-gram.  Longer n-grams are more specific; a segment
        with one word changed keeps the n-grams on either side of the change.
    min_docs : int, default=2
        A passage is shared when it occurs in at least this many documents
        (the document itself included).
    min_coverage : float, default=0.5
        A segment (sentence or line) counts as shared, family template or
        repeated when at least this fraction of its words is covered by such
        passages.  Those segments are always boilerplate.
    threshold : float, default=0.5
        Probability above which the segment model calls a segment boilerplate.
    page_chrome : bool, default=True
        Use the segment model (single-page evidence blended with corpus
        context).  When False only shared and repeated passages are reported.
    min_page_lines : int, default=2
        Page chrome is only looked for in documents with at least this many
        non-empty lines: a text of one line has no page furniture to
        tell apart from its content.
    use_corpus : bool, default=True
        Use evidence from the other documents of the corpus.  When False every
        document is judged on its own (page chrome and in-document repeats).
    weights : dict, path or None, default=None
        Weights of the segment model; ``None`` uses the shipped weights (see
        :func:`load_weights`).
    batch_chars : int, default=500_000
        Characters processed at once (bounds memory; small batches stay in
        the CPU caches).
    n_top_passages : int, default=20
        Length of :attr:`top_passages_`.
    random_state : int, default=0
        Accepted for interface consistency; the scorer is deterministic.

    Attributes
    ----------
    n_docs_ : int
        Number of documents seen in :meth:`fit`.
    n_units_ : int
        Number of distinct hashed passages (n-grams and segments) in the corpus.
    top_passages_ : tuple of (str, int)
        The most repeated passages of at least three words (segments: sentences
        or lines) and the number of documents containing each, most frequent
        first.
    weights_ : dict or None
        The segment model in use (None when ``page_chrome=False``).

    Examples
    --------
    >>> pages = ["Home | News\\nOur own story about cats.\\nCopyright 2024 Example Inc.",
    ...          "Home | News\\nA different story about dogs.\\nCopyright 2024 Example Inc."]
    >>> reports = BoilerplateScorer().fit_score(pages)
    >>> [pages[0][s.start:s.end] for s in reports[0].spans if s.reason == "shared_in_corpus"]
    ['Home | News', 'Copyright 2024 Example Inc.']
    """

    def __init__(
        self,
        *,
        ngram: int = 8,
        min_docs: int = 2,
        min_coverage: float = 0.5,
        threshold: float = 0.5,
        page_chrome: bool = True,
        min_page_lines: int = 2,
        use_corpus: bool = True,
        weights: dict | str | None = None,
        batch_chars: int = 500_000,
        n_top_passages: int = 20,
        random_state: int = 0,
    ) -> None:
        self.ngram = ngram
        self.min_docs = min_docs
        self.min_coverage = min_coverage
        self.threshold = threshold
        self.page_chrome = page_chrome
        self.min_page_lines = min_page_lines
        self.use_corpus = use_corpus
        self.weights = weights
        self.batch_chars = batch_chars
        self.n_top_passages = n_top_passages
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting

    def _validate_params(self) -> None:
        if not isinstance(self.ngram, int) or self.ngram < 1:
            raise ValueError(f"ngram must be an int >= 1, got {self.ngram!r}")
        if not isinstance(self.min_docs, int) or self.min_docs < 2:
            raise ValueError(f"min_docs must be an int >= 2, got {self.min_docs!r}")
        if not 0.0 < float(self.min_coverage) <= 1.0:
            raise ValueError(f"min_coverage must be in (0, 1], got {self.min_coverage!r}")
        if not 0.0 <= float(self.threshold) <= 1.0:
            raise ValueError(f"threshold must be in [0, 1], got {self.threshold!r}")
        if not isinstance(self.min_page_lines, int) or self.min_page_lines < 0:
            raise ValueError(f"min_page_lines must be an int >= 0, got {self.min_page_lines!r}")
        if not isinstance(self.batch_chars, int) or self.batch_chars < 1:
            raise ValueError(f"batch_chars must be an int >= 1, got {self.batch_chars!r}")
        if not isinstance(self.n_top_passages, int) or self.n_top_passages < 0:
            raise ValueError(f"n_top_passages must be an int >= 0, got {self.n_top_passages!r}")

    def fit(
        self,
        texts: Sequence[str],
        families: Sequence[Hashable | None] | None = None,
        groups: Sequence[Hashable | None] | None = None,
    ) -> BoilerplateScorer:
        """Count the passages of a corpus.

        Parameters
        ----------
        texts : sequence of str
            The corpus.
        families : sequence of hashable or None, optional
            ``families[i]`` is the family (cluster) label of ``texts[i]``, or
            ``None`` for a document without family.  Passages shared only
            within a family are reported as ``family_template``.
        groups : sequence of hashable or None, optional
            ``groups[i]`` labels copies of one text (exact or near-duplicate
            copies), or ``None``.  Documents of one group count once in the
            document frequencies, so text a document shares only with its own
            copies is its content, not boilerplate.

        Returns
        -------
        BoilerplateScorer
            ``self``.
        """
        return self._fit(texts, families, groups, None)

    def _fit(
        self,
        texts: Sequence[str],
        families: Sequence[Hashable | None] | None,
        groups: Sequence[Hashable | None] | None,
        keep: list[_Packed | None] | None,
    ) -> BoilerplateScorer:
        self._validate_params()
        docs = _check_texts(texts)
        fams = _check_families(families, len(docs))
        grps = _check_families(groups, len(docs))
        group_codes = None
        if grps is not None:
            index: dict[Hashable, int] = {}
            group_codes = np.empty(len(docs), dtype=np.int64)
            for i, g in enumerate(grps):
                # A document without a group is a group of its own.
                group_codes[i] = index.setdefault(("group", g), len(index)) if g is not None else -1 - i
            group_codes = np.where(group_codes < 0, len(index) - 1 - group_codes, group_codes)
        self.weights_ = load_weights(self.weights) if self.page_chrome else None
        self.family_index_: dict[Hashable, int] = {}
        codes = self._family_codes(fams, grow=True)
        stats, seg_rows = _fit_stats(docs, codes, self.ngram, self.batch_chars, group_codes, keep)
        self.stats_ = stats
        self.texts_ = tuple(docs)
        self.families_ = None if fams is None else tuple(fams)
        self.n_docs_ = len(docs)
        self.n_units_ = len(stats.units)
        self.top_passages_ = self._top_passages(seg_rows)
        return self

    def _family_codes(self, fams: list | None, *, grow: bool) -> np.ndarray | None:
        if fams is None:
            return None
        codes = np.full(len(fams), -1, dtype=np.int64)
        for i, f in enumerate(fams):
            if f is None:
                continue
            if f not in self.family_index_:
                if not grow:
                    continue
                self.family_index_[f] = len(self.family_index_)
            codes[i] = self.family_index_[f]
        return codes

    def _top_passages(self, seg_rows: list[np.ndarray]) -> tuple[tuple[str, int], ...]:
        if not seg_rows or self.n_top_passages == 0:
            return ()
        rows = np.concatenate(seg_rows)
        rows = rows[rows[:, 4] >= 3]  # passages of at least three words
        if len(rows) == 0:
            return ()
        hashes = rows[:, 0].view(_U64)
        uniq, first = np.unique(hashes, return_index=True)
        df = self.stats_.units.get(uniq)
        keep = df >= self.min_docs
        first, df = first[keep], df[keep]
        # Most documents first, then longest, then earliest occurrence.
        order = np.lexsort((first, -rows[first, 4], -df))[: self.n_top_passages]
        out = []
        for k in order:
            doc, start, end = (int(v) for v in rows[first[k], 1:4])
            passage = " ".join(self.texts_[doc][start:end].split())
            out.append((passage, int(df[k])))
        return tuple(out)

    # ------------------------------------------------------------------ scoring

    def _check_fitted(self) -> None:
        if not hasattr(self, "stats_"):
            raise NotFittedError(
                "This BoilerplateScorer instance is not fitted yet; call fit(texts) first."
            )

    def score(
        self,
        texts: Sequence[str] | None = None,
        families: Sequence[Hashable | None] | None = None,
    ) -> list[BoilerplateReport]:
        """Report the boilerplate of each document.

        Parameters
        ----------
        texts : sequence of str, optional
            Documents to score against the fitted corpus.  ``None`` scores the
            fitted corpus itself.  A text identical to a fitted document is
            treated as that document (it is not counted as its own copy).
        families : sequence of hashable or None, optional
            Family labels of ``texts`` (defaults to the fitted labels when
            ``texts`` is None).

        Returns
        -------
        list of BoilerplateReport
            One report per text, in order.
        """
        self._check_fitted()
        return self._score(texts, families, None)

    def _score(
        self,
        texts: Sequence[str] | None,
        families: Sequence[Hashable | None] | None,
        kept: list[_Packed | None] | None,
    ) -> list[BoilerplateReport]:
        if texts is None:
            docs = list(self.texts_)
            fams = list(self.families_) if families is None and self.families_ is not None else families
            fams = _check_families(fams, len(docs))
            in_corpus_all = np.ones(len(docs), dtype=np.int64)
        else:
            docs = _check_texts(texts)
            fams = _check_families(families, len(docs))
            in_corpus_all = None
        codes = self._family_codes(fams, grow=False)
        reports: list[BoilerplateReport] = []
        for k, (lo, hi) in enumerate(_batches(docs, self.batch_chars)):
            packed = kept[k] if kept is not None else None
            if packed is not None:
                # Same texts, same batches as in fit: reuse the analysis.
                kept[k] = None
                b: _Batch | _ScoreInput = packed.unpack()
            else:
                b = _analyse(docs[lo:hi], self.ngram)
            if in_corpus_all is not None:
                in_corpus = in_corpus_all[lo:hi]
            else:
                in_corpus = isin_sorted(b.doc_hash, self.stats_.doc_hash).astype(np.int64)
            reports.extend(self._score_batch(b, docs[lo:hi], in_corpus, None if codes is None else codes[lo:hi]))
        return reports

    def fit_score(
        self,
        texts: Sequence[str],
        families: Sequence[Hashable | None] | None = None,
        groups: Sequence[Hashable | None] | None = None,
    ) -> list[BoilerplateReport]:
        """Fit on ``texts`` and score them; see :meth:`fit` and :meth:`score`.

        Gives the same reports as ``fit(texts, families, groups).score()`` but
        analyses each text once instead of twice: the analysed batches are
        kept, compactly (3 to 5 bytes per character of English text, at most
        1 GiB; batches beyond are analysed again), until they are scored.
        Nothing is kept once the reports are returned.

        Parameters
        ----------
        texts : sequence of str
            The corpus.
        families : sequence of hashable or None, optional
            Family label of each text; see :meth:`fit`.
        groups : sequence of hashable or None, optional
            Labels of copies of one text; see :meth:`fit`.

        Returns
        -------
        list of BoilerplateReport
            One report per text, in order.
        """
        kept: list[_Packed | None] = []
        self._fit(texts, families, groups, kept)
        return self._score(None, None, kept)

    def _score_batch(
        self, b: _Batch | _ScoreInput, docs: list[str], in_corpus: np.ndarray, codes: np.ndarray | None
    ) -> list[BoilerplateReport]:
        stats = self.stats_ if self.use_corpus else None
        ev = _evidence(b, stats, in_corpus, codes, self.ngram, self.min_docs)
        reason = self._segment_reasons(ev)
        return _reports(b, docs, reason)

    def _segment_reasons(self, ev: _Evidence) -> np.ndarray:
        """Reason code per segment: index into REASONS, or -1 for content."""
        cut = float(self.min_coverage)
        reason = np.full(len(ev.shared_cov), -1, dtype=np.int64)
        if self.page_chrome:
            p = _boilerplate_probability(ev, self.weights_, self.use_corpus)
            chrome_ok = (p >= float(self.threshold)) & (ev.doc_lines >= self.min_page_lines)
            reason[chrome_ok] = REASONS.index("page_chrome")
        reason[ev.repeated_cov >= cut] = REASONS.index("repeated_in_doc")
        shared = ev.shared_cov >= cut
        reason[shared] = REASONS.index("shared_in_corpus")
        reason[shared & (ev.outside_cov < cut)] = REASONS.index("family_template")
        return reason

    def __repr__(self) -> str:
        return (
            f"BoilerplateScorer(ngram={self.ngram}, min_docs={self.min_docs}, "
            f"min_coverage={self.min_coverage}, threshold={self.threshold}, "
            f"page_chrome={self.page_chrome}, min_page_lines={self.min_page_lines}, "
            f"use_corpus={self.use_corpus})"
        )


def _reports(b: _Batch | _ScoreInput, docs: list[str], reason: np.ndarray) -> list[BoilerplateReport]:
    """Merge flagged segments into spans and build one report per document."""
    flagged = np.flatnonzero(reason >= 0)
    spans_by_doc: list[list[BoilerplateSpan]] = [[] for _ in docs]
    if len(flagged):
        # A new span starts where the reason or the document changes, or where
        # a content segment interrupts the run.
        r = reason[flagged]
        d = b.seg_doc[flagged]
        new = np.ones(len(flagged), dtype=bool)
        new[1:] = (np.diff(flagged) != 1) | (r[1:] != r[:-1]) | (d[1:] != d[:-1])
        starts = np.flatnonzero(new)
        ends = np.r_[starts[1:], len(flagged)] - 1
        s_doc = d[starts]
        off = b.doc_offset[s_doc]
        s_start = b.seg_start[flagged[starts]] - off
        s_end = b.seg_end[flagged[ends]] - off
        for doc, s, e, code in zip(s_doc.tolist(), s_start.tolist(), s_end.tolist(), r[starts].tolist()):
            spans_by_doc[doc].append(BoilerplateSpan(s, e, REASONS[code]))
    out = []
    for text, spans in zip(docs, spans_by_doc):
        n = len(text)
        covered = sum(s.end - s.start for s in spans)
        out.append(
            BoilerplateReport(
                fraction=min(1.0, covered / n) if n else 0.0, spans=tuple(spans), n_chars=n
            )
        )
    return out


from .highlight import highlight_html  # noqa: E402  (re-exported for convenience)
