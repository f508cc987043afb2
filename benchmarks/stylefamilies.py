"""Synthetic farms that share a generator's style and structure, not its outline keys.

Real templated families (templated-dev: kubaik, copilot-food, myslops, tkdc)
share a voice, a paragraph shape and a block-type sequence, but their
heading lines are paraphrased page by page: their outline jaccard is about
0.04, while the outline families of :func:`benchmarks.pairdata.synthetic_outline_families`
share 0.25-0.5 of their keys.  A model trained only on those learns
"family = shared outline keys" and cannot accept a real farm.

:func:`style_families` pours *real* sentences (dragnet-train gold article
text, never templated-dev) into such farms:

* a family **style** (:class:`Style`): a voice (every sentence holds one of
  a few function words, e.g. ``you``/``your``), a sentence-length band, a
  paragraph size, a list marker and a heading case;
* a family **structure**: one block-type sequence (heading, paragraphs,
  list) for every page;
* a family **outline of slots**, each slot with several paraphrases: a page
  picks one paraphrase per slot, so two pages share few exact heading keys
  (one or two slots are fixed, as real farms keep a stock heading or two);
* the topic **keyword** swapped per page (title, some headings, some
  sentences); a share of the members cut to their first ~2,000 characters
  (truncated pages keep only part of the outline);
* **same-topic negatives**: for each member, a page on its keyword written
  in another style and structure (the hard negatives of real sets: same
  topic, other writer);
* **sibling negatives**: pages in a family's style but of other structures
  and headings (same writer, other template: the pages of one site, the
  sibling families of one generator).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from benchmarks.realsets import Dataset

__all__ = ["Style", "style_families"]

#: Voices: a family's sentences each hold one of the words of its voice.
VOICES = (("i", "my"), ("you", "your"), ("we", "our"), ("they", "their"), ("can", "will"),
          ("not", "no"), ("should", "must"), ("this", "these"), ("is", "are"), ("was", "were"))
#: Sentence-length bands in words.
BANDS = ((6, 12), (10, 18), (15, 25), (20, 40))
#: List markers (``{n}`` = item number; empty = no list, the list block is a paragraph).
LIST_MARKS = ("- ", "* ", "{n}. ", "{n}) ", "")
HEADING_CASES = ("title", "sentence", "question", "colon")
#: Share of family members cut to their first :data:`PREFIX_CHARS` characters.
TRUNCATED = 0.25
PREFIX_CHARS = 2000
#: Sibling negatives of each family (range).
SIBLINGS = (2, 5)


@dataclass(frozen=True)
class Style:
    """How one synthetic generator writes.

    Attributes
    ----------
    voice : tuple of str
        Every sentence holds one of these words.
    band : tuple of int
        Sentence length range in words.
    para : tuple of int
        Sentences per paragraph (range).
    list_mark : str
        Bullet of list items (``{n}`` numbered; empty: no lists).
    heading_case : str
        One of :data:`HEADING_CASES`.
    """

    voice: tuple[str, ...]
    band: tuple[int, int]
    para: tuple[int, int]
    list_mark: str
    heading_case: str


class _Writer:
    """Pages from real sentences: a seeded random source and the sentence pools of each style."""

    def __init__(self, sentences: list[str], seed: int) -> None:
        self.rng = random.Random(seed)
        self.sentences = [s for s in sentences if 6 <= len(s.split()) <= 40] or sentences
        self.words = [s.split() for s in self.sentences]
        self._lower = [{t.strip(".,;:!?").lower() for t in w} for w in self.words]
        self._pools: dict[tuple, list[str]] = {}

    def style(self) -> Style:
        rng = self.rng
        lo = rng.randint(1, 3)
        return Style(voice=rng.choice(VOICES), band=rng.choice(BANDS), para=(lo, lo + rng.randint(0, 2)),
                     list_mark=rng.choice(LIST_MARKS), heading_case=rng.choice(HEADING_CASES))

    def pool(self, style: Style) -> list[str]:
        """Sentences in ``style``'s voice and length band (all sentences when fewer than 40)."""
        key = (style.voice, style.band)
        if key not in self._pools:
            lo, hi = style.band
            voice = set(style.voice)
            found = [s for s, w, low in zip(self.sentences, self.words, self._lower)
                     if lo <= len(w) <= hi and voice & low]
            self._pools[key] = found if len(found) >= 40 else self.sentences
        return self._pools[key]

    def phrase(self, low: int = 2, high: int = 6) -> str:
        """A short phrase cut from a real sentence."""
        w = self.rng.choice(self.words)
        start = self.rng.randrange(0, max(1, len(w) - low))
        return " ".join(w[start : start + self.rng.randint(low, high)]).strip(".,;:!?\"'()")

    def keyword(self) -> str:
        kw = " ".join(self.rng.choice(self.rng.choice(self.words)).lower() for _ in range(2))
        return re.sub(r"\W+", " ", kw).strip() or "topic"

    def heading(self, text: str, style: Style, kw: str) -> str:
        text = text.replace("{kw}", kw)
        case = style.heading_case
        if case == "title":
            return text.title()
        if case == "question":
            return f"{self.rng.choice(('How', 'Why', 'What', 'When'))} {text[:1].lower()}{text[1:]}?"
        return text.capitalize() + (":" if case == "colon" else "")

    def paragraph(self, style: Style, kw: str) -> str:
        out = [self.rng.choice(self.pool(style)) for _ in range(self.rng.randint(*style.para))]
        if self.rng.random() < 0.4:
            out[0] = re.sub(r"\b(it|this|that)\b", kw, out[0], count=1)
        return " ".join(out)

    def items(self, style: Style) -> list[str]:
        n = self.rng.randint(3, 6)
        if not style.list_mark:
            return [self.paragraph(style, "")]
        return [style.list_mark.format(n=k + 1) + self.phrase(3, 9) for k in range(n)]


@dataclass(frozen=True)
class _Farm:
    """One synthetic generator: its style, its sections (block types) and their heading paraphrases."""

    style: Style
    sections: tuple[tuple[str, ...], ...]
    slots: tuple[tuple[str, ...], ...]


def _farm(w: _Writer, *, paraphrases: tuple[int, int] = (3, 5), fixed: tuple[int, int] = (1, 3)) -> _Farm:
    """A farm of 5-9 sections; ``fixed`` (range) of its heading slots, at random, have one wording, the
    others ``paraphrases`` (range) wordings each."""
    rng = w.rng
    n = rng.randint(5, 9)
    sections = tuple(rng.choice((("p",), ("p", "p"), ("p", "l"), ("l", "p"), ("p", "l", "p"))) for _ in range(n))
    stock = set(rng.sample(range(n), rng.randint(*fixed)))
    slots = tuple(tuple(w.phrase() + (" {kw}" if rng.random() < 0.3 else "")
                        for _ in range(1 if k in stock else rng.randint(*paraphrases))) for k in range(n))
    return _Farm(w.style(), sections, slots)


def _page(w: _Writer, farm: _Farm, kw: str) -> str:
    """A page of ``farm`` on ``kw``: a title, an intro paragraph, then each section's heading and blocks."""
    style = farm.style
    lines = [w.heading(f"{kw} {w.phrase()}", style, kw), w.paragraph(style, kw)]
    for blocks, wordings in zip(farm.sections, farm.slots):
        lines.append(w.heading(w.rng.choice(wordings), style, kw))
        for block in blocks:
            lines += w.items(style) if block == "l" else [w.paragraph(style, kw)]
    return "\n".join(lines)


def _prefix(text: str, chars: int = PREFIX_CHARS) -> str:
    """``text`` cut at the last line end before ``chars`` characters (whole when shorter)."""
    if len(text) <= chars:
        return text
    cut = text.rfind("\n", 0, chars)
    return text[: cut if cut > 0 else chars]


def style_families(sentences: list[str], *, n_families: int = 30, seed: int = 0,
                   truncated: float = TRUNCATED, negatives: bool = True, siblings: tuple[int, int] = SIBLINGS) -> Dataset:
    """Style-and-structure farms from real ``sentences``, with same-topic negatives (module docstring).

    Parameters
    ----------
    sentences : list of str
        Real sentences (:func:`benchmarks.pairdata.real_sentences`).
    n_families : int
        Families of 4-10 pages.
    seed : int
        Seed of every choice.
    truncated : float
        Share of members cut to their first :data:`PREFIX_CHARS` characters.
    negatives : bool
        Whether each member gets a same-topic page in another style.
    siblings : tuple of int
        Range of the number of pages each family gets in its style but of other structures and
        headings (each alone: one writer's other templates, as a blog's article types or a site's
        pages); ``(0, 0)``: none.

    Returns
    -------
    Dataset
        Named ``synthetic-style``; group = gold cluster; variants ``family`` / ``negative``.
    """
    w = _Writer(sentences, seed)
    texts: list[str] = []
    gold: list[str | None] = []
    topics: list[str] = []
    farms = [_farm(w) for _ in range(n_families)]
    for f, farm in enumerate(farms):
        for _ in range(w.rng.randint(4, 10)):
            kw = w.keyword()
            text = _page(w, farm, kw)
            texts.append(_prefix(text) if w.rng.random() < truncated else text)
            gold.append(f"style{f}")
            topics.append(kw)
    if negatives:
        for kw in list(topics):
            texts.append(_page(w, _farm(w, paraphrases=(1, 1), fixed=(0, 0)), kw))
            gold.append(None)
    for farm in farms:
        for _ in range(w.rng.randint(*siblings)):
            sibling = _farm(w, paraphrases=(1, 1), fixed=(0, 0))
            texts.append(_page(w, _Farm(farm.style, sibling.sections, sibling.slots), w.keyword()))
            gold.append(None)
    ids = tuple(f"sty-{k:05d}" for k in range(len(texts)))
    gold_ids = tuple(g if g is not None else i for g, i in zip(gold, ids))
    return Dataset(name="synthetic-style", ids=ids, texts=tuple(texts), gold=gold_ids, groups=gold_ids,
                   variants=tuple("family" if g else "negative" for g in gold))
