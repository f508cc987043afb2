"""The common template of a family of documents: shared skeleton, slots where members differ.

:func:`template` works in three steps:

1. every member is split into layout blocks (:func:`spindetect.layout.blocks`);
   the *pivot* is the member whose skeleton is most similar to the others,
   ties broken by the amount of wording it shares with them (so that the
   pivot does not depend on the order of the members);
2. every other member's block sequence is aligned to the pivot's with the
   same weighted edit distance as :func:`spindetect.layout.skeleton_similarity`;
3. for every pivot block, the words it shares with the aligned block of each
   other member are found as exact word runs of at least ``min_run`` words;
   a pivot word is kept when the blocks of at least ``min_support`` of the
   other members share it, and every stretch of words that is not kept
   becomes ``{slot}``.  Blocks that fewer than ``min_support`` of the
   members have at all are left out.

The result lists the template's blocks with their type, text (kept words as
written in the pivot, ``{slot}`` elsewhere), support (share of members that
have the block) and echo (index of the earlier template block whose text it
repeats, as in the skeleton's echo marks).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from .._html import fragment_style
from .._validation import Interval, check_param, check_texts
from ..signals.layout import Block, Skeleton, blocks, pairwise_skeleton_similarity, skeleton, substitution_costs
from ..signals.lookup import sorted_unique
from ..signals.passages import clean_bounds, maximal_runs, select_runs
from ..text.tokens import hash_shingles, word_tokens

__all__ = ["SLOT", "TemplateBlock", "Template", "template", "template_html"]

_TRAILING_PUNCT = re.compile(r"[^\w\s]*")

#: Placeholder for the parts where members differ.
SLOT = "{slot}"
_PREFIX = {"heading": "## ", "list_item": "- ", "short": "", "paragraph": ""}
_e = html.escape


@dataclass(frozen=True)
class TemplateBlock:
    """One block of a template.

    Attributes
    ----------
    type : str
        Block type (see :data:`spindetect.layout.BLOCK_TYPES`).
    text : str
        Words shared by the members, ``{slot}`` where they differ.
    support : float
        Share of the members that have this block.
    echo_of : int or None
        Index (0-based, into :attr:`Template.blocks`) of the earlier template
        block this block repeats, if any.  :meth:`Template.render` prints the
        same number.
    """

    type: str
    text: str
    support: float
    echo_of: int | None = None

    def to_dict(self) -> dict:
        """Return the block as a JSON-serialisable dict."""
        return {"type": self.type, "text": self.text, "support": self.support, "echo_of": self.echo_of}


@dataclass(frozen=True)
class Template:
    """The common skeleton of a family of documents.

    Attributes
    ----------
    blocks : tuple of TemplateBlock
    n_members : int
        Number of documents the template was built from.
    pivot : int
        Position (in the input) of the member whose wording is shown.
    """

    blocks: tuple[TemplateBlock, ...]
    n_members: int
    pivot: int

    def render(self, *, max_blocks: int | None = None) -> str:
        """Return the template as readable text, one block a paragraph.

        Headings are prefixed with ``## ``, list items with ``- ``; a block
        that repeats an earlier block says so in brackets, with the same
        0-based index as :attr:`TemplateBlock.echo_of` and :meth:`to_dict`.

        Parameters
        ----------
        max_blocks : int, optional
            Show at most this many blocks, then one line ``… +N more blocks``.
        """
        shown = self.blocks if max_blocks is None else self.blocks[: max(max_blocks, 0)]
        lines = []
        for b in shown:
            line = _PREFIX.get(b.type, "") + b.text
            if b.echo_of is not None:
                line += f"  [repeats block {b.echo_of}]"
            lines.append(line)
        if len(shown) < len(self.blocks):
            lines.append(f"… +{len(self.blocks) - len(shown)} more blocks")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """Return the template as a JSON-serialisable dict."""
        return {
            "n_members": self.n_members,
            "pivot": self.pivot,
            "blocks": [b.to_dict() for b in self.blocks],
        }

    def _repr_html_(self) -> str:
        return fragment_style() + template_html(self)

    @property
    def n_slots(self) -> int:
        """Number of slots in the template."""
        return sum(b.text.count(SLOT) for b in self.blocks)


def _template_block(b: TemplateBlock, k: int) -> str:
    body = _e(b.text).replace(_e(SLOT), f'<span class="spd-slot">{_e(SLOT)}</span>')
    extra = f"{b.support:.0%} of members"
    if b.echo_of is not None:
        extra += f", repeats block {b.echo_of + 1}"
    return f'<p class="{_e(b.type)}" title="block {k + 1}">{body}<span class="spd-sup">{_e(extra)}</span></p>'


def template_html(t: Template, *, max_blocks: int = 60) -> str:
    """A template as HTML: block types styled, ``{slot}`` marked, support per block."""
    shown = t.blocks[:max_blocks]
    head = (f'<p class="spd-muted">{len(t.blocks)} blocks, {t.n_slots} slots, from {t.n_members} members '
            f"(wording of member {t.pivot + 1})</p>")
    body = "".join(_template_block(b, k) for k, b in enumerate(shown))
    more = f'<p class="spd-muted">… {len(t.blocks) - len(shown)} more blocks</p>' if len(t.blocks) > len(shown) else ""
    return f'{head}<div class="spd-tpl">{body or "<p><i>no common block</i></p>"}{more}</div>'


def _align(a: Skeleton, b: Skeleton) -> list[int | None]:
    """For each block of ``a``, the index of the aligned block of ``b`` (or None)."""
    la, lb = len(a), len(b)
    match: list[int | None] = [None] * la
    if la == 0 or lb == 0:
        return match
    sub = substitution_costs(a, b)
    cols = np.arange(lb + 1, dtype=np.float64)
    d = np.empty((la + 1, lb + 1))
    d[0] = cols
    for i in range(1, la + 1):
        cand = np.empty(lb + 1)
        cand[0] = float(i)
        cand[1:] = np.minimum(d[i - 1, 1:] + 1.0, d[i - 1, :-1] + sub[i - 1])
        d[i] = np.minimum.accumulate(cand - cols) + cols
    i, j = la, lb
    while i > 0 and j > 0:
        if np.isclose(d[i, j], d[i - 1, j - 1] + sub[i - 1, j - 1]):
            if sub[i - 1, j - 1] < 1.0:
                match[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif np.isclose(d[i, j], d[i - 1, j] + 1.0):
            i -= 1
        else:
            j -= 1
    return match


def _shared_mask(pivot_text: str, other_text: str, min_run: int) -> np.ndarray:
    """Which words of ``pivot_text`` lie in a run of >= ``min_run`` words shared with ``other_text``."""
    ta, tb = word_tokens(pivot_text), word_tokens(other_text)
    mask = np.zeros(len(ta), dtype=bool)
    runs = maximal_runs(ta.terms, tb.terms, min_run)
    for i, _, length in select_runs(runs, len(ta), len(tb), clean_bounds(ta), clean_bounds(tb), min_run):
        mask[i : i + length] = True
    if len(ta) and len(ta) < min_run and ta.terms == tb.terms:
        mask[:] = True  # a short block equal in both
    return mask


def _drop_islands(keep: np.ndarray, min_run: int) -> np.ndarray:
    """Drop kept stretches shorter than ``min_run`` words (unless the whole block is kept)."""
    if keep.all():
        return keep
    out = keep.copy()
    k, n = 0, len(keep)
    while k < n:
        e = k
        while e < n and keep[e] == keep[k]:
            e += 1
        if keep[k] and e - k < min_run:
            out[k:e] = False
        k = e
    return out


def _render_block(block: Block, keep: np.ndarray) -> str:
    tok = word_tokens(block.text)
    if len(tok) == 0:
        return block.text
    pieces: list[str] = []
    k = 0
    n = len(tok)
    while k < n:
        e = k
        while e < n and keep[e] == keep[k]:
            e += 1
        if keep[k]:
            end = int(tok.ends[e - 1])
            # keep the punctuation that closes the kept words ("hope." not "hope")
            end = _TRAILING_PUNCT.match(block.text, end).end()  # type: ignore[union-attr]  # matches ""
            pieces.append(block.text[int(tok.starts[k]) : end])
        else:
            pieces.append(SLOT)
        k = e
    return " ".join(pieces)


def _choose_pivot(texts: Sequence[str], sks: Sequence[Skeleton], max_compare: int) -> int:
    """The member closest to the others: layout first, then shared wording, then text order.

    Every member is compared with at most ``max_compare`` others (evenly
    spaced), so large families stay cheap.  The choice does not depend on the
    order of the members.
    """
    n = len(texts)
    if n == 1:
        return 0
    order = sorted(range(n), key=lambda i: texts[i])  # order-independent reference set
    refs = np.array([order[k] for k in np.linspace(0, n - 1, min(n, max_compare)).astype(int)])
    pairs = np.array([(i, int(r)) for i in range(n) for r in refs if r != i], dtype=np.int64).reshape(-1, 2)
    sims = pairwise_skeleton_similarity(sks, pairs)
    layout = np.zeros(n)
    np.add.at(layout, pairs[:, 0], sims)
    layout = np.round(layout / np.maximum(np.bincount(pairs[:, 0], minlength=n), 1), 9)
    # shared wording: word 6-grams of a member that other members have too
    sh = hash_shingles(texts, ngram=6)
    sets = [sorted_unique(sh.doc(i)) for i in range(n)]
    allh, counts = np.unique(np.concatenate(sets), return_counts=True)
    shared = np.array([int((counts[np.searchsorted(allh, s_)] > 1).sum()) if len(s_) else 0 for s_ in sets])
    return max(range(n), key=lambda i: (layout[i], shared[i], [-ord(c) for c in texts[i][:200]]))


def template(
    texts: Sequence[str], *, min_support: float = 0.5, min_run: int = 4, max_compare: int = 50
) -> Template:
    """Extract the common template of a family of documents.

    Parameters
    ----------
    texts : sequence of str
        The members of the family (at least one).
    min_support : float, default=0.5
        Share of the other members that must share a word (or have a block)
        for it to stay in the template.
    min_run : int, default=4
        Shortest shared word run that counts as common wording; shorter
        kept stretches (pieces of several runs) are dropped too.
    max_compare : int, default=50
        Members each member is compared with to choose the pivot.

    Returns
    -------
    Template

    Raises
    ------
    TypeError
        If ``texts`` is a single ``str`` or contains a non-``str``.
    ValueError
        If ``texts`` is empty or a parameter is out of range.
    """
    texts = check_texts(texts, "template")
    if not texts:
        raise ValueError("template needs at least one text")
    check_param("min_support", min_support, [Interval(Real, 0, 1, closed="right")])
    check_param("min_run", min_run, [Interval(Integral, 1, None, closed="left")])
    check_param("max_compare", max_compare, [Interval(Integral, 1, None, closed="left")])
    n = len(texts)
    member_blocks = [blocks(t) for t in texts]
    sks = [skeleton(b) for b in member_blocks]
    pivot = _choose_pivot(texts, sks, max_compare)
    pblocks = member_blocks[pivot]
    others = [m for m in range(n) if m != pivot]
    alignments = {m: _align(sks[pivot], sks[m]) for m in others}
    need = min_support * len(others)

    kept_index: dict[int, int] = {}
    out: list[TemplateBlock] = []
    for k, block in enumerate(pblocks):
        partners = [(m, j) for m in others if (j := alignments[m][k]) is not None]
        support = (1 + len(partners)) / n
        if others and len(partners) < need:
            continue
        n_words = len(word_tokens(block.text))
        if partners:
            counts = np.zeros(n_words, dtype=np.int64)
            for m, j in partners:
                counts += _shared_mask(block.text, member_blocks[m][j].text, min_run)
            keep = _drop_islands(counts >= max(need, 1e-9), min_run)
        else:
            keep = np.ones(n_words, dtype=bool)
        echo = sks[pivot].echoes[k]
        echo_of = kept_index.get(k - echo) if echo else None
        kept_index[k] = len(out)
        out.append(TemplateBlock(type=block.type, text=_render_block(block, keep), support=support, echo_of=echo_of))
    return Template(blocks=tuple(out), n_members=n, pivot=pivot)
