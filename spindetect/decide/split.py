"""Cluster-level split of near-miss variants along a coherent variant axis.

Pair evidence cannot tell two near-miss variants of one text apart when the
members of each variant differ among themselves as much as the variants
differ (licence notices: GPL-2.0-or-later and LGPL-2.1-or-later notices
differ in a few words, and so do two GPL notices with other holders, years
and addresses).  A whole cluster can: per-document variation (a holder's
name, a year, a page's keyword) is scattered, each word held by a few
members, while a variant axis is *coherent*: several words and word pairs
(``lesser``, ``lesser general``, ``2.1``, ...) are present in the same
sizeable group of members and absent from the rest, or a whole clause
(``neither the name ... endorse``) is present in one group only.  A
version number is the shortest such axis: ``version 2.1 of`` in one group,
``version 2 of`` in the other, the same frame holding other numbers.

:func:`split_clusters` looks inside every cluster of at least ``min_size``
members first for a *version slot* (with ``versions``): a version-like
number (``2``, ``2.1``; as :mod:`spindetect.signals.numbers` defines them)
between two words, where the same two words hold another number in other
members, and the members holding the number and those holding another one
are (nearly: :data:`_SLOT_OVERLAP`) disjoint; the most balanced such split
wins.  Otherwise it looks for a term axis (below), and then, with ``names``,
for a *name slot*: a capitalised word inserted into a name in some members
(``GNU Library General``, ``GNU Lesser General``) where the others hold the
bare name (``GNU General``); the members holding one form and not the other
are the two groups (a qualifier whose holders hold the bare name as well, in
more than :data:`_NAME_OVERLAP` of them, does not count; the most balanced
wins).  A term axis is the term (word or word pair) whose presence pattern across the
members is shared by the most other terms (agreement: Jaccard of the member
sets, a term that is absent exactly where the first is present counts too),
and splits the cluster in two when at least ``min_terms`` terms agree and
both sides hold ``min_side`` of the members.  Each side is examined again.
The work per cluster is bounded: at most ``max_terms`` terms (those nearest
half the cluster) enter the agreement product.

The bars are chosen out of fold by ``benchmarks/fit_split.py`` and stored in
``spindetect/resources/split.json`` (:func:`default_split`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import resources

import numpy as np
from scipy.sparse import csr_matrix

__all__ = [
    "COPY_KINDS", "COPY_SHARE", "SPLIT_FILE", "SplitRules", "copy_clusters", "default_split", "split_clusters",
    "term_axis", "variant_axis", "version_axis",
]

#: The file of :func:`default_split`, written by ``benchmarks/fit_split.py``.
SPLIT_FILE = "split.json"
#: A word: letters and digits, with inner dots or apostrophes kept (``2.1``, ``don't``).
_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*")
#: Sides examined again after a split, at most (bounds a pathological cluster).
_MAX_SPLITS = 64
#: A version-like number: dotted numbers and single digits, as :mod:`spindetect.signals.numbers`.
_VERSION = re.compile(r"v?(?:\d+(?:\.\d+)+|\d)")
#: Share of a number's members that may also hold a competing number of the same slot (a notice
#: naming two versions); set by hand, not fitted.
_SLOT_OVERLAP = 0.05
#: Share of a name qualifier's holders that may also hold the bare name (a notice naming the GNU GPL and
#: the GNU Lesser GPL); set by hand, not fitted (2026-12-01, licenses-dev default scan: the LGPL notices
#: of its GPL-2.0-or-later cluster name the bare GPL in 9 % of the ``Library`` ones).
_NAME_OVERLAP = 0.1
#: Pair kinds that make a cluster a set of copies of one text (the only clusters that are split).
COPY_KINDS = ("exact", "near_duplicate", "partial_copy")
#: Share of a cluster's accepted inside pairs that must be copies for it to be split; set by hand,
#: not fitted (2026-12-01, default scan of licenses-dev without the split): its clusters of >= 12
#: members that hold the wrong merges are 95-99.9 % copy pairs (965, 753, 180, 135 members), while
#: a template family's pairs are ``templated``; a farm of 48 pages written from one outline must
#: never be cut along a topical subgroup (issue 10), and 0.5 leaves every such farm whole.
COPY_SHARE = 0.5


@dataclass(frozen=True)
class SplitRules:
    """Bars of :func:`split_clusters`.

    Attributes
    ----------
    min_size : int
        Clusters with fewer members are never split.
    min_side : float
        Share of the cluster's members each side must hold (and at least 3).
    min_terms : int
        Terms whose presence pattern must agree for an axis (0: never split).
    agreement : float
        Jaccard of two terms' member sets from which they agree.
    max_terms : int
        Terms per cluster entering the agreement product (the ones whose
        member count is nearest half the cluster).
    versions : bool
        Look for a version slot before a term axis.
    names : bool
        Look for a name slot when no version slot and no term axis is found.
    """

    min_size: int = 12
    min_side: float = 0.1
    min_terms: int = 0
    agreement: float = 0.9
    max_terms: int = 2048
    versions: bool = False
    names: bool = False

    def __post_init__(self) -> None:
        bad = [
            f"{name} must be {need}, got {getattr(self, name)!r}"
            for name, need, ok in (
                ("min_size", "an int >= 2", lambda v: isinstance(v, int) and v >= 2),
                ("min_side", "a number in (0, 0.5]", lambda v: 0 < v <= 0.5),
                ("min_terms", "an int >= 0", lambda v: isinstance(v, int) and v >= 0),
                ("agreement", "a number in (0, 1]", lambda v: 0 < v <= 1),
                ("max_terms", "an int >= 1", lambda v: isinstance(v, int) and v >= 1),
            )
            if not ok(getattr(self, name))
        ]
        if bad:
            raise ValueError("SplitRules: " + "; ".join(bad))


def default_split() -> SplitRules:
    """The shipped :class:`SplitRules`, read from ``spindetect/resources/split.json``.

    Chosen by ``benchmarks/fit_split.py`` (which rebuilds the file byte for
    byte) on out-of-fold clusterings of the real development sets.
    """
    text = resources.files("spindetect.resources").joinpath(SPLIT_FILE).read_text(encoding="utf-8")
    doc = json.loads(text)
    fields = asdict(SplitRules())
    return SplitRules(**{k: type(v)(doc["rules"][k]) for k, v in fields.items()})


@dataclass(frozen=True)
class _Member:
    """What :func:`variant_axis` reads of one member: its terms, version slots and name frames."""

    terms: frozenset[str]
    slots: frozenset[tuple[str, str, str]]
    names: frozenset[tuple[str, str, str]] = frozenset()


def _member(text: str) -> _Member:
    """Distinct lower-cased words and word pairs of ``text``, its ``(left, number, right)`` slots and name frames."""
    raw = _WORD.findall(text)
    words = [w.lower() for w in raw]
    terms = set(words) | {f"{a} {b}" for a, b in zip(words, words[1:])}
    slots = {
        (a, m, b) for a, m, b in zip(words, words[1:], words[2:])
        if _VERSION.fullmatch(m) and not a[0].isdigit() and not b[0].isdigit()
    }
    return _Member(frozenset(terms), frozenset(slots), _name_frames(raw))


def _name_frames(raw: Sequence[str]) -> frozenset[tuple[str, str, str]]:
    """Lower-cased runs of two (``(a, "", b)``) and three (``(a, x, b)``) capitalised words: parts of names."""
    cap = [w[0].isupper() for w in raw]
    low = [w.lower() for w in raw]
    pairs = {(low[k], "", low[k + 1]) for k in range(len(raw) - 1) if cap[k] and cap[k + 1]}
    triples = {(low[k], low[k + 1], low[k + 2]) for k in range(len(raw) - 2) if cap[k] and cap[k + 1] and cap[k + 2]}
    return frozenset(pairs | triples)


def _cached(cache: dict[int, _Member], texts: Sequence[str], i: int) -> _Member:
    """:func:`_member` of document ``i``, computed once per call of :func:`split_clusters`."""
    if i not in cache:
        cache[i] = _member(texts[i])
    return cache[i]


def _version_holders(members: Sequence[_Member], lo: int) -> dict[str, tuple[set[int], set[int]]]:
    """Holders of each number that competes with another in one slot, and holders of its rivals.

    A number counts in a slot (a left and a right word) when ``lo`` members
    hold it there and ``lo`` members hold another number there.
    """
    held: dict[tuple[str, str], dict[str, set[int]]] = {}
    for i, m in enumerate(members):
        for a, num, b in m.slots:
            held.setdefault((a, b), {}).setdefault(num, set()).add(i)
    out: dict[str, tuple[set[int], set[int]]] = {}
    for values in held.values():
        big = {num: who for num, who in values.items() if len(who) >= lo}
        if len(big) < 2:
            continue
        for num, who in big.items():
            mine, other = out.setdefault(num, (set(), set()))
            mine |= who
            other.update(*(w for n, w in big.items() if n != num))
    return out


def _name_holders(members: Sequence[_Member], lo: int) -> dict[str, tuple[set[int], set[int]]]:
    """Members holding a name with a qualifier inserted and not the bare name, and the reverse.

    A frame ``(a, b)`` counts when ``lo`` members hold the bare name ``a b``
    and ``lo`` hold ``a x b`` for one word ``x``, at most :data:`_NAME_OVERLAP`
    of the latter holding both.  Keys: ``"a x b"`` and ``"a b"``.
    """
    held: dict[tuple[str, str], dict[str, set[int]]] = {}
    for i, m in enumerate(members):
        for a, x, b in m.names:
            held.setdefault((a, b), {}).setdefault(x, set()).add(i)
    out: dict[str, tuple[set[int], set[int]]] = {}
    for (a, b), forms in held.items():
        bare = forms.get("", set())
        if len(bare) < lo:
            continue
        for x, who in forms.items():
            if not x or len(who) < lo or len(who & bare) > _NAME_OVERLAP * len(who):
                continue
            for key, mine, other in ((f"{a} {x} {b}", who - bare, bare - who), (f"{a} {b}", bare - who, who - bare)):
                have, rival = out.setdefault(key, (set(), set()))
                have |= mine
                rival |= other
    return out


def version_axis(
    members: Sequence[_Member], lo: int, *, versions: bool = True, names: bool = False
) -> np.ndarray | None:
    """The members holding the number of the most balanced version slot split, or ``None``.

    A number qualifies when at most :data:`_SLOT_OVERLAP` of its holders also
    hold a competing number, its holders are at most half the members, and
    both they and the competing ones without it number at least ``lo``.
    With ``names``, the forms of a name slot (:func:`_name_holders`) compete
    on the same terms (``versions=False``: they alone).
    """
    best: tuple[int, str] | None = None
    side: set[int] = set()
    held = _version_holders(members, lo) if versions else {}
    if names:
        held.update(_name_holders(members, lo))
    for num, (mine, other) in held.items():
        rest = other - mine
        # the number's holders leave as the minority: members without the slot stay with the rest
        if len(mine & other) > _SLOT_OVERLAP * len(mine) or len(rest) < lo or 2 * len(mine) > len(members):
            continue
        key = (min(len(mine), len(rest)), num)
        if best is None or key > best:
            best, side = key, mine
    if best is None:
        return None
    out = np.zeros(len(members), dtype=bool)
    out[sorted(side)] = True
    return out


def _presence(term_sets: Sequence[frozenset[str]], lo: int, max_terms: int) -> tuple[csr_matrix, list[str]]:
    """Member x term presence of the terms held by ``lo`` to ``n - lo`` members (at most ``max_terms``)."""
    n = len(term_sets)
    counts: dict[str, int] = {}
    for terms in term_sets:
        for t in terms:
            counts[t] = counts.get(t, 0) + 1
    kept = sorted((abs(2 * c - n), t) for t, c in counts.items() if lo <= c <= n - lo)
    vocab = [t for _, t in kept[:max_terms]]
    col = {t: k for k, t in enumerate(vocab)}
    rows, cols = [], []
    for i, terms in enumerate(term_sets):
        hit = [col[t] for t in terms if t in col]
        rows.extend([i] * len(hit))
        cols.extend(hit)
    data = np.ones(len(rows), dtype=np.float64)
    return csr_matrix((data, (rows, cols)), shape=(n, len(vocab))), vocab


def _patterns(x: csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct member patterns of the terms (columns of ``x``): patterns, each term's pattern, terms per pattern."""
    dense = x.toarray() > 0
    packed = np.packbits(dense, axis=0).T
    _, first, inverse, counts = np.unique(packed, axis=0, return_index=True, return_inverse=True, return_counts=True)
    return dense[:, first], inverse.ravel(), counts


def _agreement(patterns: np.ndarray, bar: float) -> tuple[np.ndarray, np.ndarray]:
    """Which patterns agree directly, and which as complements (absent where the other is present)."""
    n = patterns.shape[0]
    p = patterns.astype(np.float32)
    both = p.T @ p
    df = p.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        direct = both / (df[:, None] + df[None, :] - both)
        # f present where g is absent: |F & ~G| / |F | ~G| = (df_f - both) / (n - df_g + both)
        complement = (df[:, None] - both) / (n - df[None, :] + both)
    return np.nan_to_num(direct) >= bar, np.nan_to_num(complement) >= bar


def variant_axis(members: Sequence[_Member], rules: SplitRules) -> np.ndarray | None:
    """The side of each member along the cluster's variant axis, or ``None``.

    Parameters
    ----------
    members : sequence of _Member
        Terms and slots of each member (:func:`_member`).
    rules : SplitRules

    Returns
    -------
    numpy.ndarray of bool or None
        ``True`` for the members that hold the axis's number, terms or name
        form; ``None`` when no version slot (with ``versions``), no axis of
        ``min_terms`` agreeing terms and no name slot (with ``names``) gives
        two sides of ``min_side``.  They are looked for in that order: a
        name slot is the weakest evidence (2026-12-01, licenses-dev default
        scan, bars .05 / 20: F1 .653 looked for last, .586 with the version
        slots, where small sides cut on names pre-empt the term axes).
    """
    n = len(members)
    lo = max(3, math.ceil(rules.min_side * n))
    if n < max(rules.min_size, 2 * lo):
        return None
    side = version_axis(members, lo) if rules.versions else None
    if side is None:
        side = term_axis([m.terms for m in members], rules, lo)
    if side is None and rules.names:
        side = version_axis(members, lo, versions=False, names=True)
    return side


def term_axis(term_sets: Sequence[frozenset[str]], rules: SplitRules, lo: int) -> np.ndarray | None:
    """The members holding the most coherent set of ``min_terms`` agreeing terms (sides of ``lo``), or ``None``."""
    n = len(term_sets)
    if rules.min_terms <= 0:
        return None
    x, vocab = _presence(term_sets, lo, rules.max_terms)
    if len(vocab) < rules.min_terms:
        return None
    patterns, of_term, counts = _patterns(x)
    direct, complement = _agreement(patterns, rules.agreement)
    support = (direct.astype(np.int64) @ counts + complement.astype(np.int64) @ counts)[of_term]
    best = max(range(len(vocab)), key=lambda k: (int(support[k]), vocab[k]))
    if support[best] < rules.min_terms:
        return None
    b = of_term[best]
    votes = patterns[:, direct[b]].astype(np.int64) @ counts[direct[b]]
    votes += (~patterns[:, complement[b]]).astype(np.int64) @ counts[complement[b]]
    side = votes * 2 >= support[best]
    return side if lo <= int(side.sum()) <= n - lo else None


def copy_clusters(
    labels: Sequence[int] | np.ndarray, index: np.ndarray, kinds: np.ndarray, *, min_share: float = COPY_SHARE
) -> set[int]:
    """Clusters whose accepted inside pairs are mostly copies (:data:`COPY_KINDS`).

    Parameters
    ----------
    labels : sequence of int
        Cluster id of each document.
    index : numpy.ndarray of int64, shape (m, 2)
        The scored pairs.
    kinds : numpy.ndarray of object, shape (m,)
        Their kinds (``unrelated`` pairs are not counted).
    min_share : float
        Share of copy pairs from which a cluster counts.

    Returns
    -------
    set of int
        The ids of those clusters.
    """
    lab = np.asarray(labels, dtype=np.int64)
    if len(index) == 0:
        return set()
    kinds = np.asarray(kinds, dtype=object)
    inside = (lab[index[:, 0]] == lab[index[:, 1]]) & (kinds != "unrelated")
    owner = lab[index[inside, 0]]
    copies = np.isin(kinds[inside], COPY_KINDS)
    ids, total = np.unique(owner, return_counts=True)
    copied = np.bincount(np.searchsorted(ids, owner), weights=copies, minlength=len(ids))
    return {int(c) for c, n, k in zip(ids, total, copied) if k >= min_share * n}


def split_clusters(
    labels: Sequence[int] | np.ndarray,
    texts: Sequence[str],
    rules: SplitRules | None = None,
    *,
    only: set[int] | None = None,
) -> np.ndarray:
    """Split every cluster of ``labels`` along coherent variant axes, recursively.

    Parameters
    ----------
    labels : sequence of int
        Cluster id of each document.
    texts : sequence of str
        Text of each document.
    rules : SplitRules, optional
        Default: :func:`default_split`.
    only : set of int, optional
        Examine only these clusters (e.g. :func:`copy_clusters`); all when None.

    Returns
    -------
    numpy.ndarray of int64
        New cluster ids: documents of one input cluster share an id unless a
        split put them apart; a split side takes a fresh id.  Deterministic
        and independent of the input order up to renaming.
    """
    rules = default_split() if rules is None else rules
    out = np.asarray(labels, dtype=np.int64).copy()
    if (rules.min_terms <= 0 and not rules.versions and not rules.names) or len(out) == 0:
        return out
    _, sizes = np.unique(out, return_counts=True)
    big = [int(c) for c in np.unique(out)[sizes >= rules.min_size] if only is None or int(c) in only]
    queue = [np.flatnonzero(out == c) for c in big]
    fresh, budget = int(out.max()) + 1, _MAX_SPLITS * len(queue)
    cache: dict[int, _Member] = {}
    while queue and budget > 0:
        members = queue.pop()
        side = variant_axis([_cached(cache, texts, i) for i in members.tolist()], rules)
        if side is None:
            continue
        out[members[side]] = fresh
        fresh, budget = fresh + 1, budget - 1
        queue.extend(part for part in (members[side], members[~side]) if len(part) >= rules.min_size)
    return out
