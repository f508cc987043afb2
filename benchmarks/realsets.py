"""Loaders of the real labelled development sets in ``../shared/data``.

Every loader returns a frozen :class:`Dataset` (ids, texts, gold clusters with
``null`` turned into a singleton, per-document groups for grouped
cross-validation, a reporting variant per document and the set's other
labels), or ``None`` when the set is absent (the shared folder is
``<repo root>/../shared``; callers skip cleanly).

Sets, their CV groups and variants
----------------------------------
``templated-dev``
    group = ``generator``: every family of one generator shares a group, and
    a same-site standalone page (``site:<name>-...``) joins the group of the
    family generator whose name starts with ``<name>-`` (it shares the
    site's chrome, so it must sit in the same fold).  Variant: ``family``,
    ``stretch`` (members of :data:`STRETCH_FAMILIES`, the style-only family
    the set's README says to report on its own) or ``negative``.
``clough-dev``
    group = ``task``; variant = ``obfuscation`` (orig/cut/light/heavy/non);
    labels ``task``, ``obfuscation``, ``source_id``.
``dragnet-train``
    gold = singletons, except the :data:`ALLOWED_DRAGNET_PAIRS` (pages whose
    gold article texts are copies of one article); group = the page's site,
    derived by :func:`dragnet_sites` (the set has no URL field).  With
    ``n_spun > 0``, spun copies of that many pages are appended (variant
    ``spun``, gold and group of their source; see :func:`spun_copies`).
``licenses-dev``
    group = gold = ``cluster``; variant = ``kind`` (``canonical`` reported
    as ``original``, ``text``, ``notice``).

Usage::

    from benchmarks.realsets import load
    data = load("clough-dev")          # None when ../shared is absent
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks.generate import sentence_edit, spin  # noqa: E402

__all__ = [
    "ALLOWED_DRAGNET_PAIRS",
    "DATA_DIR",
    "REAL_SETS",
    "STRETCH_FAMILIES",
    "Dataset",
    "dragnet_sites",
    "load",
    "load_clough",
    "load_dragnet",
    "load_licenses",
    "load_templated",
    "spun_copies",
]

#: ``<repo root>/../shared/data``; tests and benchmarks skip when absent.
DATA_DIR = _ROOT.parent / "shared" / "data"
REAL_SETS = ("templated-dev", "clough-dev", "dragnet-train", "licenses-dev")

#: The templated-dev family its README calls the stretch case (style only, no
#: shared heading line): reported on its own line, never in the headline.
STRETCH_FAMILIES = ("hp-humanized",)

#: dragnet-train pages whose gold article texts (``main_text``) are copies of
#: one article (issue 10, by word 5-gram MinHash on ``main_text``; exact
#: Jaccard 0.96, 0.46 and 1.0).  The only pairs a detector may join.
ALLOWED_DRAGNET_PAIRS = (
    ("dragnet-R491", "dragnet-R492"),
    ("dragnet-R513", "dragnet-R520"),
    ("dragnet-T146", "dragnet-T77"),
)


@dataclass(frozen=True)
class Dataset:
    """A labelled set of documents.

    Attributes
    ----------
    name : str
    ids, texts : tuple of str
    gold : tuple of str
        Gold cluster of every document (a lone document: its own id).
    groups : tuple of str
        Group of every document for grouped cross-validation (generator,
        task, site, cluster): a model scored on a group never trains on it.
    variants : tuple of str
        Reporting kind of every document (``family``, ``cut``, ``spun``, ...).
    labels : Mapping[str, tuple]
        Other per-document labels of the set (``generator``, ``obfuscation``,
        ``site``, ...), each a tuple in document order (``None`` = missing).
    note : str
        Where the set came from (path, seed).
    """

    name: str
    ids: tuple[str, ...]
    texts: tuple[str, ...]
    gold: tuple[str, ...]
    groups: tuple[str, ...]
    variants: tuple[str, ...]
    labels: Mapping[str, tuple] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self) -> None:
        n = len(self.ids)
        columns = {"texts": self.texts, "gold": self.gold, "groups": self.groups,
                   "variants": self.variants, **self.labels}
        for key, col in columns.items():
            if len(col) != n:
                raise ValueError(f"{self.name}: {key} has {len(col)} entries for {n} ids")
        if len(set(self.ids)) != n:
            dup = next(i for i, c in Counter(self.ids).items() if c > 1)
            raise ValueError(f"{self.name}: duplicate id {dup!r}")
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, keep: Sequence[bool] | np.ndarray, *, name: str | None = None) -> Dataset:
        """The documents where ``keep`` is true (a boolean mask), in order."""
        mask = np.asarray(keep, dtype=bool)
        if mask.shape != (len(self),):
            raise ValueError(f"{self.name}: mask of shape {mask.shape} for {len(self)} documents")
        idx = np.flatnonzero(mask)

        def take(col: Sequence) -> tuple:
            return tuple(col[i] for i in idx)

        return Dataset(
            name=name or self.name, ids=take(self.ids), texts=take(self.texts),
            gold=take(self.gold), groups=take(self.groups), variants=take(self.variants),
            labels={k: take(v) for k, v in self.labels.items()}, note=self.note,
        )


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------
def _records(name: str, data_dir: Path | None) -> list[dict] | None:
    path = (data_dir or DATA_DIR) / name / "docs.jsonl"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _gold(records: Iterable[dict]) -> tuple[str, ...]:
    return tuple(str(r["cluster"]) if r.get("cluster") is not None else str(r["id"])
                 for r in records)


def _column(records: Sequence[dict], key: str) -> tuple:
    return tuple(r.get(key) for r in records)


def _note(name: str, data_dir: Path | None) -> str:
    return str((data_dir or DATA_DIR) / name / "docs.jsonl")


# ---------------------------------------------------------------------------
# templated-dev
# ---------------------------------------------------------------------------
def _templated_groups(generators: Sequence[str], clusters: Sequence[str | None]) -> tuple:
    """``generator``, with a same-site page moved to its site's family generator."""
    family_gens = sorted({g for g, c in zip(generators, clusters) if c is not None})
    out = []
    for gen in generators:
        if gen.startswith("site:"):
            site = gen[len("site:"):].split("-", 1)[0]
            gen = next((g for g in family_gens if g.startswith(site + "-")), gen)
        out.append(gen)
    return tuple(out)


def load_templated(data_dir: Path | None = None) -> Dataset | None:
    """templated-dev (see the module docstring), or ``None`` when absent."""
    recs = _records("templated-dev", data_dir)
    if recs is None:
        return None
    clusters = _column(recs, "cluster")
    generators = tuple(str(g) for g in _column(recs, "generator"))
    variants = tuple("negative" if c is None else "stretch" if c in STRETCH_FAMILIES
                     else "family" for c in clusters)
    return Dataset(
        name="templated-dev", ids=_column(recs, "id"), texts=_column(recs, "text"),
        gold=_gold(recs), groups=_templated_groups(generators, clusters), variants=variants,
        labels={"cluster": clusters, "generator": generators,
                "family_kind": _column(recs, "family_kind"), "topic": _column(recs, "topic")},
        note=_note("templated-dev", data_dir),
    )


# ---------------------------------------------------------------------------
# clough-dev
# ---------------------------------------------------------------------------
def load_clough(data_dir: Path | None = None) -> Dataset | None:
    """clough-dev (see the module docstring), or ``None`` when absent."""
    recs = _records("clough-dev", data_dir)
    if recs is None:
        return None
    tasks = tuple(str(t) for t in _column(recs, "task"))
    return Dataset(
        name="clough-dev", ids=_column(recs, "id"), texts=_column(recs, "text"),
        gold=_gold(recs), groups=tasks, variants=tuple(str(o) for o in _column(recs, "obfuscation")),
        labels={"task": tasks, "obfuscation": _column(recs, "obfuscation"),
                "source_id": _column(recs, "source_id")},
        note=_note("clough-dev", data_dir),
    )


# ---------------------------------------------------------------------------
# licenses-dev
# ---------------------------------------------------------------------------
def load_licenses(data_dir: Path | None = None) -> Dataset | None:
    """licenses-dev (see the module docstring), or ``None`` when absent."""
    recs = _records("licenses-dev", data_dir)
    if recs is None:
        return None
    gold = _gold(recs)
    kinds = tuple("original" if k == "canonical" else str(k or "text")
                  for k in _column(recs, "kind"))
    return Dataset(
        name="licenses-dev", ids=_column(recs, "id"), texts=_column(recs, "text"),
        gold=gold, groups=gold, variants=kinds,
        labels={"cluster": _column(recs, "cluster"), "kind": _column(recs, "kind")},
        note=_note("licenses-dev", data_dir),
    )


# ---------------------------------------------------------------------------
# dragnet-train: sites and spun copies
# ---------------------------------------------------------------------------
# Site grouping thresholds, chosen by reading the components they give on
# dragnet-train (each component's title suffixes: NYTimes.com, Zillow Blog,
# NFL.com, ... stay together; lower overlap chains unrelated blogs through
# shared widget lines into one 400-page group).  Grouping errs towards
# merging: a too-large group only makes folds coarser, a split one leaks.
_SITE_LINE_MIN_CHARS = 4      # shorter lines ("Home", "RSS") say nothing about a site
_SITE_LINE_MAX_DF = 60        # lines on more pages are generic ("Leave a comment")
_SITE_MIN_SHARED = 4          # shared site lines for an edge ...
_SITE_MIN_OVERLAP = 0.3       # ... making this share of the smaller page's lines
_TITLE_SEP_RE = re.compile(r"\s+(?:[-|:\u00bb\u00b7\u2013\u2014]|::)\s+")
_DIGITS_RE = re.compile(r"\d+")


def _site_lines(text: str) -> set[str]:
    return {_DIGITS_RE.sub("0", ln.strip().lower()) for ln in text.split("\n")
            if len(ln.strip()) >= _SITE_LINE_MIN_CHARS}


def _title_suffix(text: str) -> str | None:
    parts = _TITLE_SEP_RE.split(text.split("\n", 1)[0].strip())
    return parts[-1].strip().lower() if len(parts) > 1 and parts[-1].strip() else None


def _chrome_edges(texts: Sequence[str]) -> Iterable[tuple[int, int]]:
    """Pairs of pages sharing enough lines that only a few pages have."""
    lines = [_site_lines(t) for t in texts]
    df = Counter(ln for s in lines for ln in s)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(lines):
        for ln in s:
            if 2 <= df[ln] <= _SITE_LINE_MAX_DF:
                postings[ln].append(i)
    shared: Counter = Counter()
    for docs in postings.values():
        for k, a in enumerate(docs):
            for b in docs[k + 1:]:
                shared[a, b] += 1
    for (a, b), c in shared.items():
        smaller = max(1, min(len(lines[a]), len(lines[b])))
        if c >= _SITE_MIN_SHARED and c / smaller >= _SITE_MIN_OVERLAP:
            yield a, b


def _title_edges(texts: Sequence[str]) -> Iterable[tuple[int, int]]:
    """Chains of pages whose titles end with the same site name (" - WSJ.com")."""
    first: dict[str, int] = {}
    for i, text in enumerate(texts):
        suffix = _title_suffix(text)
        if suffix is not None:
            yield first.setdefault(suffix, i), i


def _components(n: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """Union-find root of every node (path halving)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def dragnet_sites(ids: Sequence[str], texts: Sequence[str],
                  same: Iterable[tuple[str, str]] = ()) -> tuple[str, ...]:
    """Site group of every page, from its chrome lines and title suffix.

    Pages are joined when they share at least four lines (of four or more
    characters, digits masked) that at most 60 pages have, making at least
    30 % of the smaller page's distinct lines, or when their title lines end
    with the same suffix after a separator (``" | Zillow Blog"``); pairs in
    ``same`` are joined too.  A group is named ``site:<smallest id>``.
    """
    index = {doc_id: i for i, doc_id in enumerate(ids)}
    extra = ((index[a], index[b]) for a, b in same if a in index and b in index)
    roots = _components(len(ids), [*_chrome_edges(texts), *_title_edges(texts), *extra])
    name: dict[int, str] = {}
    for i, r in enumerate(roots):
        name[r] = min(name.get(r, ids[i]), ids[i])
    return tuple(f"site:{name[r]}" for r in roots)


#: Spun copies are made of pages with at least this many words (a spin of a
#: near-empty page is not a spin).
_SPIN_MIN_WORDS = 100


def spun_copies(ids: Sequence[str], texts: Sequence[str], *, n: int = 100, seed: int = 0,
                fraction: float = 0.3) -> list[tuple[int, str, str]]:
    """Spun copies of ``n`` pages: ``(source index, copy id, copy text)``.

    The pages are a seeded sample of those with at least 100 words.  Each
    copy is :func:`benchmarks.generate.sentence_edit` (a sentence dropped
    and one added, white space changed) followed by
    :func:`benchmarks.generate.spin` at ``fraction`` (the generator's
    ``spun30``; on real pages about 15 % of content words have a synonym in
    the lexicon, so this swaps nearly all of them; word 5-gram Jaccard with
    the source ends at roughly 0.3-0.55).  The copy id is ``<id>~spun``.
    """
    rng = random.Random(f"realsets/spun/{seed}")
    pool = [i for i, t in enumerate(texts) if len(t.split()) >= _SPIN_MIN_WORDS]
    if n > len(pool):
        raise ValueError(f"asked for {n} spun copies of {len(pool)} pages long enough")
    out = []
    for i in sorted(rng.sample(pool, n)):
        page_rng = random.Random(f"realsets/spun/{seed}/{ids[i]}")
        text = spin(sentence_edit(texts[i], page_rng), fraction, page_rng)
        out.append((i, f"{ids[i]}~spun", text))
    return out


def _dragnet_gold(ids: Sequence[str]) -> tuple[str, ...]:
    where = {b: a for a, b in ALLOWED_DRAGNET_PAIRS}
    return tuple(where.get(i, i) for i in ids)


def load_dragnet(data_dir: Path | None = None, *, n_spun: int = 0,
                 seed: int = 0) -> Dataset | None:
    """dragnet-train (see the module docstring), or ``None`` when absent.

    Parameters
    ----------
    data_dir : Path, optional
        Folder holding the sets (default :data:`DATA_DIR`).
    n_spun : int, default=0
        Spun copies to append (:func:`spun_copies`).
    seed : int, default=0
        Seed of the spun copies.
    """
    recs = _records("dragnet-train", data_dir)
    if recs is None:
        return None
    ids = [str(r["id"]) for r in recs]
    texts = [r["text"] for r in recs]
    gold = list(_dragnet_gold(ids))
    sites = list(dragnet_sites(ids, texts, ALLOWED_DRAGNET_PAIRS))
    variants = ["page"] * len(ids)
    sources: list[str | None] = [None] * len(ids)
    for src, copy_id, text in spun_copies(ids, texts, n=n_spun, seed=seed) if n_spun else ():
        ids.append(copy_id)
        texts.append(text)
        gold.append(gold[src])
        sites.append(sites[src])
        variants.append("spun")
        sources.append(ids[src])
    note = _note("dragnet-train", data_dir) + (f", {n_spun} spun copies (seed {seed})"
                                               if n_spun else "")
    return Dataset(
        name="dragnet-train", ids=tuple(ids), texts=tuple(texts), gold=tuple(gold),
        groups=tuple(sites), variants=tuple(variants),
        labels={"site": tuple(sites), "source": tuple(sources)}, note=note,
    )


_LOADERS: Mapping[str, Callable[..., Dataset | None]] = MappingProxyType({
    "templated-dev": load_templated,
    "clough-dev": load_clough,
    "dragnet-train": load_dragnet,
    "licenses-dev": load_licenses,
})


def load(name: str, data_dir: Path | None = None, **kwargs) -> Dataset | None:
    """Load the real set ``name`` (one of :data:`REAL_SETS`); ``None`` when absent."""
    if name not in _LOADERS:
        raise ValueError(f"unknown real set {name!r}; choose from {', '.join(REAL_SETS)}")
    return _LOADERS[name](data_dir, **kwargs)
