"""Layout blocks of a plain text and a skeleton fingerprint of their sequence.

A *block* is a unit of layout: a paragraph, a heading, a list item or a short
line.  Blank lines separate blocks and are not blocks themselves.  Several
consecutive non-blank lines form one paragraph when they look hard-wrapped (a
line that starts with a lower-case letter, or follows a long line that does not
end a sentence, continues the previous paragraph).

Block types (:data:`BLOCK_TYPES`):

``"list_item"``
    a line that starts with a bullet (``-``, ``*``, ``•``, ...) or an item
    number (``1.``, ``2)``, ``a)``).
``"heading"``
    a short line (at most :data:`MAX_HEADING_WORDS` words) that starts with a
    capital letter or a digit and does not end like a sentence (``.``, ``,``,
    ``;``); a final ``?``, ``!`` or ``:`` is allowed.  A short Markdown
    heading (``## Title``) is a heading too.
``"short"``
    any other short line (a one-line sentence, a by-line, ...).
``"paragraph"``
    everything longer.

The :class:`Skeleton` of a text is the sequence of block-type codes plus *echo
marks* and coarse *length buckets*.  A block whose normalised text equals an
earlier block's (list items repeated as section titles, a repeated call to
action) carries an echo mark: the distance, in blocks, back to the most recent
earlier block with the same text.  The text itself is never part of the
skeleton, so two pages of one template with different keywords get equal
skeletons.

:func:`skeleton_similarity` is a normalised weighted edit distance between two
skeletons (symmetric, in ``[0, 1]``, 1.0 for equal skeletons).
:func:`skeleton_info` says how much a skeleton can tell at all: a page made of
nothing but paragraphs shares its skeleton with half of the web.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .._constants import SENTENCE_END
from .._validation import Interval, check_param
from ..text.normalize import strip_invisible

__all__ = [
    "BLOCK_TYPES",
    "MAX_HEADING_WORDS",
    "Block",
    "Skeleton",
    "blocks",
    "skeleton",
    "skeleton_similarity",
    "pairwise_skeleton_similarity",
    "skeleton_shingles",
    "skeleton_info",
]

BLOCK_TYPES = ("paragraph", "heading", "list_item", "short")
#: Longest line, in words, that can be a heading or a short line.
MAX_HEADING_WORDS = 15
_MAX_HEADING_CHARS = 160
_TYPE_CODE = {"paragraph": "P", "heading": "H", "list_item": "L", "short": "S"}
_TYPE_INDEX = {"paragraph": 0, "heading": 1, "list_item": 2, "short": 3}

_LIST_RE = re.compile(r"^\s*(?:[-*+•·▪◦‣–—]|\(?\d{1,3}[.)]|\(?[a-zA-Z][)])\s+")
_MD_HEADING_RE = re.compile(r"^#{1,6}\s+\S")
_WORD_RE = re.compile(r"\w+")
_NONWORD_RE = re.compile(r"[^\w]+")
_LINE_RE = re.compile(r"[^\n]*(?:\n|$)")
_SENTENCE_END = SENTENCE_END + ":;\"'”’)]…"  # a line ending so is not wrapped prose

# Upper bounds (in words) of the length buckets 0, 1, 2, ...; longer is the last.
_BUCKET_BOUNDS = (3, 7, 15, 30, 60, 120)


@dataclass(frozen=True)
class Block:
    """One layout block of a text.

    Attributes
    ----------
    start, end : int
        ``[start, end)`` character offsets of the block in the original text
        (surrounding white space excluded).
    type : str
        One of :data:`BLOCK_TYPES`.
    text : str
        ``text[start:end]`` of the original text.
    """

    start: int
    end: int
    type: str
    text: str


@dataclass(frozen=True)
class Skeleton:
    """The layout fingerprint of one text.

    Attributes
    ----------
    codes : tuple of str
        One code per block: ``P`` paragraph, ``H`` heading, ``L`` list item,
        ``S`` short line, followed by ``^d`` when the block repeats the text of
        the block ``d`` positions earlier (an echo), e.g. ``"H^3"``.
    echoes : tuple of int
        The echo distance of every block, 0 when it repeats nothing.
    buckets : tuple of int
        A coarse length bucket of every block (0: up to 3 words, 1: up to 7,
        2: up to 15, 3: up to 30, 4: up to 60, 5: up to 120, 6: longer).
    """

    codes: tuple[str, ...]
    echoes: tuple[int, ...]
    buckets: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def types(self) -> tuple[str, ...]:
        """The block type letter of every block (codes without echo marks)."""
        return tuple(c[0] for c in self.codes)

    def to_dict(self) -> dict[str, list]:
        """Return the skeleton as a JSON-serialisable dict."""
        return {"codes": list(self.codes), "echoes": list(self.echoes), "buckets": list(self.buckets)}


def _classify_line(line: str) -> str:
    if _LIST_RE.match(line):
        return "list_item"
    marked = _MD_HEADING_RE.match(line)
    if marked:
        # a Markdown heading ("## Title") is a heading when it is short enough
        return "heading" if len(line.split()) <= MAX_HEADING_WORDS + 1 else "paragraph"
    if len(line) > _MAX_HEADING_CHARS:
        return "paragraph"
    words = line.split()
    if len(words) <= MAX_HEADING_WORDS:
        first = line.lstrip("\"'“‘([")[:1]
        if line[-1] in ".,;" or not (first.isupper() or first.isdigit()):
            return "short"
        if line[-1] in "?!:" or len(words) >= 2 or line.isupper():
            return "heading"
        return "short"
    return "paragraph"


def _is_continuation(prev_line: str, prev_type: str, line: str, line_type: str) -> bool:
    """Whether ``line`` continues the block that ``prev_line`` ends (hard wrap)."""
    if line_type == "list_item":
        return False
    if prev_type == "list_item":
        # An indented line after a list item continues it.
        return line[:1].isspace()
    if line.lstrip()[:1].islower():
        return True
    if prev_type == "heading":
        return False
    return len(prev_line.strip()) >= 40 and prev_line.rstrip()[-1:] not in _SENTENCE_END


def blocks(text: str) -> tuple[Block, ...]:
    """Split a plain text into layout blocks with character offsets.

    Parameters
    ----------
    text : str
        The original text.

    Returns
    -------
    tuple of Block
        The blocks in text order.  Blank lines separate blocks; hard-wrapped
        lines are joined into one paragraph.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"blocks expects a str, got {type(text).__name__}")
    # Each entry: [start, end, type, last_line]
    raw: list[list] = []
    prev_blank = True
    for m in _LINE_RE.finditer(text):
        line = m.group().rstrip("\r\n")
        if not line.strip():
            prev_blank = True
            if m.end() >= len(text):
                break
            continue
        lead = len(line) - len(line.lstrip())
        start = m.start() + lead
        end = m.start() + len(line.rstrip())
        ltype = _classify_line(line.strip())
        if (
            raw
            and not prev_blank
            and _is_continuation(raw[-1][3], raw[-1][2], line, ltype)
        ):
            raw[-1][1] = end
            raw[-1][3] = line
            if raw[-1][2] != "list_item":
                raw[-1][2] = "joined"
        else:
            raw.append([start, end, ltype, line])
        prev_blank = False
        if m.end() >= len(text):
            break
    out = []
    for start, end, btype, _ in raw:
        btext = text[start:end]
        if btype == "joined":
            # A joined block is re-typed on its whole text (usually a paragraph).
            btype = _classify_line(" ".join(btext.split()))
            if btype == "list_item":  # pragma: no cover - joined blocks never start with a bullet
                btype = "paragraph"
        out.append(Block(start=start, end=end, type=btype, text=btext))
    return tuple(out)


# ASCII characters that are not word characters (``\\w``), to white space.
_ASCII_NONWORD = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")})


def _words(text: str) -> list[str]:
    """The case-folded ``\\w+`` runs of a text (``str.translate`` on ASCII: ~10x a regex)."""
    if text.isascii():
        return text.lower().translate(_ASCII_NONWORD).split()
    return _NONWORD_RE.sub(" ", strip_invisible(text).casefold()).split()


def _echo_key(block: Block) -> str:
    body = _LIST_RE.sub("", block.text, count=1) if block.type == "list_item" else block.text
    return " ".join(_words(body))


def _n_words(block: Block, key: str) -> int:
    """Number of ``\\w+`` runs in the block's text."""
    if block.type != "list_item" and block.text.isascii():
        return key.count(" ") + 1 if key else 0  # the key holds the same words
    return len(_WORD_RE.findall(block.text))


def _bucket(n_words: int) -> int:
    for i, bound in enumerate(_BUCKET_BOUNDS):
        if n_words <= bound:
            return i
    return len(_BUCKET_BOUNDS)


def skeleton(text: str | tuple[Block, ...]) -> Skeleton:
    """Compute the layout skeleton of a text.

    Parameters
    ----------
    text : str or tuple of Block
        The original text, or its blocks as returned by :func:`blocks`.

    Returns
    -------
    Skeleton
    """
    blks = blocks(text) if isinstance(text, str) else tuple(text)
    last_seen: dict[str, int] = {}
    codes: list[str] = []
    echoes: list[int] = []
    buckets: list[int] = []
    for i, b in enumerate(blks):
        key = _echo_key(b)
        echo = i - last_seen[key] if key and key in last_seen else 0
        if key:
            last_seen[key] = i
        code = _TYPE_CODE[b.type] + (f"^{echo}" if echo else "")
        codes.append(code)
        echoes.append(echo)
        buckets.append(_bucket(_n_words(b, key)))
    return Skeleton(codes=tuple(codes), echoes=tuple(echoes), buckets=tuple(buckets))


def _arrays(sk: Skeleton) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    types = np.fromiter(("PHLS".index(c[0]) for c in sk.codes), dtype=np.int64, count=len(sk))
    return types, np.asarray(sk.echoes, dtype=np.int64), np.asarray(sk.buckets, dtype=np.int64)


def _costs(ta, ea, ba, tb, eb, bb) -> np.ndarray:
    """Substitution costs between blocks; the last two axes are (block of a, block of b)."""
    same_type = ta[..., :, None] == tb[..., None, :]
    # Headings and short lines are both short lines: a cheap confusion.
    short_a = (ta == 1) | (ta == 3)
    short_b = (tb == 1) | (tb == 3)
    near_type = short_a[..., :, None] & short_b[..., None, :]
    cost = np.where(same_type, 0.0, np.where(near_type, 0.5, 1.0))
    echo_a = ea[..., :, None] > 0
    echo_b = eb[..., None, :] > 0
    cost += np.where(echo_a != echo_b, 0.5, np.where(ea[..., :, None] != eb[..., None, :], 0.15, 0.0))
    cost += np.where(np.abs(ba[..., :, None] - bb[..., None, :]) >= 2, 0.25, 0.0)
    return np.minimum(cost, 1.0)


def substitution_costs(a: Skeleton, b: Skeleton) -> np.ndarray:
    return _costs(*_arrays(a), *_arrays(b))


def _canonical(a: Skeleton, b: Skeleton) -> bool:
    """Whether ``(a, b)`` must be swapped to the canonical orientation."""
    return (len(a), a.codes, a.buckets) > (len(b), b.codes, b.buckets)


def _edit_distances(sub: np.ndarray, la: np.ndarray, lb: np.ndarray) -> np.ndarray:
    """Edit distances of a batch of padded cost matrices ``sub`` (P, La, Lb).

    Row ``i`` of the dynamic programme only depends on rows before it and
    columns to its left, so padding beyond ``la[p]``/``lb[p]`` never changes
    the value read at ``(la[p], lb[p])``.
    """
    n_pairs, max_a, max_b = sub.shape
    cols = np.arange(max_b + 1, dtype=np.float64)
    row = np.broadcast_to(cols, (n_pairs, max_b + 1)).copy()
    out = np.where(la == 0, lb.astype(np.float64), 0.0)
    cand = np.empty((n_pairs, max_b + 1))
    for i in range(1, max_a + 1):
        cand[:, 0] = float(i)
        np.minimum(row[:, 1:] + 1.0, row[:, :-1] + sub[:, i - 1], out=cand[:, 1:])
        row = np.minimum.accumulate(cand - cols, axis=1) + cols
        done = la == i
        if done.any():
            out[done] = row[done, lb[done]]
    return out


def skeleton_similarity(a: Skeleton, b: Skeleton) -> float:
    """Similarity of two skeletons: 1 minus their normalised edit distance.

    The edit distance aligns the two block sequences; inserting or deleting a
    block costs 1, substituting one costs 0 for equal blocks, 0.5 between a
    heading and a short line, 1 between other types, plus 0.5 when only one of
    the two blocks is an echo, 0.15 when both echo at different distances and
    0.25 when their length buckets differ by two or more (capped at 1).

    Parameters
    ----------
    a, b : Skeleton

    Returns
    -------
    float
        In ``[0, 1]``; symmetric; 1.0 for equal skeletons (two empty skeletons
        included), 0.0 when exactly one is empty.
    """
    return float(pairwise_skeleton_similarity([a, b], np.array([[0, 1]]))[0])


def pairwise_skeleton_similarity(
    skeletons: Sequence[Skeleton], pairs: np.ndarray, *, max_cells: int = 2_000_000
) -> np.ndarray:
    """:func:`skeleton_similarity` of many pairs at once (vectorised over pairs).

    Parameters
    ----------
    skeletons : sequence of Skeleton
    pairs : array-like of int, shape (m, 2)
        Positions in ``skeletons``.
    max_cells : int, default=2_000_000
        Bound on the dynamic-programming cells processed at once (memory).

    Returns
    -------
    numpy.ndarray of float64, shape (m,)
        Equal, value for value, to :func:`skeleton_similarity`.
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    m = len(pairs)
    out = np.zeros(m, dtype=np.float64)
    if m == 0:
        return out
    lengths = np.array([len(s) for s in skeletons], dtype=np.int64)
    arrays = [_arrays(s) for s in skeletons]
    a_idx = pairs[:, 0].copy()
    b_idx = pairs[:, 1].copy()
    for p in range(m):
        if _canonical(skeletons[a_idx[p]], skeletons[b_idx[p]]):
            a_idx[p], b_idx[p] = b_idx[p], a_idx[p]
    la, lb = lengths[a_idx], lengths[b_idx]
    big = np.maximum(la, lb)
    both_empty = big == 0
    out[both_empty] = 1.0
    todo = np.flatnonzero(~both_empty & (la > 0) & (lb > 0))
    # batches of similar sizes keep the padding small
    todo = todo[np.argsort(big[todo], kind="stable")]
    s = 0
    while s < len(todo):
        e = s + 1  # sizes ascend, so the last pair of a batch is its largest
        while e < len(todo) and (e - s + 1) * int(big[todo[e]]) ** 2 <= max_cells:
            e += 1
        batch = todo[s:e]
        ma, mb = int(la[batch].max()), int(lb[batch].max())
        pads = []
        for idx, width in ((a_idx[batch], ma), (b_idx[batch], mb)):
            padded = [np.zeros((len(batch), width), dtype=np.int64) for _ in range(3)]
            for r, d in enumerate(idx.tolist()):
                for k in range(3):
                    padded[k][r, : lengths[d]] = arrays[d][k]
            pads.append(padded)
        sub = _costs(*pads[0], *pads[1])
        dist = _edit_distances(sub, la[batch], lb[batch])
        out[batch] = np.clip(1.0 - dist / big[batch], 0.0, 1.0)
        s = e
    return out


def skeleton_shingles(sk: Skeleton, n: int = 3) -> tuple[str, ...]:
    """The distinct code n-grams of a skeleton, for bucketing and LSH.

    Parameters
    ----------
    sk : Skeleton
    n : int, default=3
        Blocks per shingle.  A skeleton shorter than ``n`` yields one shingle
        of all its codes; an empty skeleton yields none.

    Returns
    -------
    tuple of str
        Sorted distinct shingles such as ``"P|L|L"`` (hashable, deterministic).
    """
    check_param("n", n, [Interval(Integral, 1, None, closed="left")])
    codes = sk.codes
    if not codes:
        return ()
    if len(codes) < n:
        return ("|".join(codes),)
    return tuple(sorted({"|".join(codes[i : i + n]) for i in range(len(codes) - n + 1)}))


def skeleton_info(sk: Skeleton) -> float:
    """How much a skeleton can tell about a page, in ``[0, 1]``.

    Counts structural marks: every heading, list item and short line counts
    one, every echo counts one more; the result is ``1 - exp(-marks / 4)``.
    A page of paragraphs only scores 0; a page with a list of section
    headings that are repeated as section titles scores close to 1.

    Parameters
    ----------
    sk : Skeleton

    Returns
    -------
    float
    """
    marks = sum(1 for c in sk.codes if c[0] != "P") + sum(1 for e in sk.echoes if e)
    return float(1.0 - math.exp(-marks / 4.0))
