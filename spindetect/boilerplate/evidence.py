"""Corpus evidence: document frequencies of the units of a corpus, and per-segment evidence.

:func:`_fit_stats` counts in how many documents (or groups of copies) every
unit occurs, with one sort of all unit hashes (linear in corpus size, no
pairwise comparison).  :func:`_evidence` turns those counts into the
coverage of every segment, line and document by shared and repeated units,
next to the single-page features, for the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

from .._parallel import ordered_map
from ..signals.lookup import HashTable, isin_sorted
from . import chrome
from .analyse import _analyse, _Batch, _Packed, _ScoreInput
from .hashing import _U64, _doc_keys, _family_keys
from .partitions import Partitions


@dataclass(frozen=True, eq=False)
class _CorpusStats:
    """Document frequencies (int32) of the units of a fitted corpus."""

    units: HashTable
    families: HashTable
    doc_hash: np.ndarray  # sorted fingerprints of the fitted texts


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
    doc: np.ndarray  # document of each segment (segments of a document are consecutive)
    n_docs: int


def _unit_evidence(
    b: _Batch | _ScoreInput,
    stats: _CorpusStats | None,
    in_corpus: np.ndarray,
    fam_codes: np.ndarray | None,
    min_docs: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per unit: document frequency in the *other* documents, shared, family-only, repeated."""
    if stats is not None:
        df = np.maximum(stats.units.get(b.unit_hash) - in_corpus[b.unit_doc], 0)
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
    return df, shared, family_only, repeated


def _token_cover(b: _Batch | _ScoreInput, ngram: int, flags: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
    """Per token: max value (or 1.0) over the flagged units covering it."""
    n_win = len(b.win_tok)
    v = np.where(flags, 1.0 if values is None else values, 0.0)
    out = _spread(v[:n_win], b.win_tok, ngram, len(b.tok_seg))
    seg_v = np.zeros(len(b.seg_start))
    np.maximum.at(seg_v, b.unit_seg, v[n_win:])
    return np.maximum(out, np.repeat(seg_v, np.diff(b.seg_tok)))


def _mean_per(tok_values: np.ndarray, group: np.ndarray, size: int) -> np.ndarray:
    """Mean of ``tok_values`` per group (0 for an empty group)."""
    tot = np.bincount(group, minlength=size).astype(np.float64)
    return np.bincount(group, weights=tok_values, minlength=size) / np.maximum(tot, 1.0)


def _window_coverage(line_cov: np.ndarray, line_ntok: np.ndarray, line_doc: np.ndarray) -> np.ndarray:
    """Coverage of the window of two lines either side of each line (weighted by words)."""
    win_cov = line_cov * line_ntok
    win_tok = line_ntok.copy()
    for step in (1, 2, -1, -2):
        win_cov += chrome._neighbour(line_cov * line_ntok, line_doc, step, 0.0)
        win_tok += chrome._neighbour(line_ntok, line_doc, step, 0.0)
    return win_cov / np.maximum(win_tok, 1.0)


def _page_columns(b: _Batch | _ScoreInput, line_ntok: np.ndarray) -> np.ndarray:
    """Single-page features per segment: its line's, then :data:`SEGMENT_FEATURES`."""
    n_seg = len(b.seg_start)
    seg_ntok = np.diff(b.seg_tok)
    return np.column_stack(
        [
            b.line_page[b.seg_line] if n_seg else np.zeros((0, len(chrome.PAGE_FEATURES))),
            np.log1p(seg_ntok),
            _mean_per(b.tok_stop.astype(np.float64), b.tok_seg, n_seg),
            seg_ntok / np.maximum(line_ntok[b.seg_line], 1.0) if n_seg else np.zeros(0),
        ]
    )


def _evidence(
    b: _Batch | _ScoreInput,
    stats: _CorpusStats | None,
    in_corpus: np.ndarray,
    fam_codes: np.ndarray | None,
    ngram: int,
    min_docs: int,
) -> _Evidence:
    """Per-segment evidence of a batch against fitted corpus statistics."""
    n_seg = len(b.seg_start)
    n_lines = len(b.line_doc)
    df, shared, family_only, repeated = _unit_evidence(b, stats, in_corpus, fam_codes, min_docs)
    tok_shared = _token_cover(b, ngram, shared)
    shared_cov = _mean_per(tok_shared, b.tok_seg, n_seg)
    line_cov = _mean_per(tok_shared, b.tok_line, n_lines)
    line_ntok = np.bincount(b.tok_line, minlength=n_lines).astype(np.float64)
    tok_doc = b.line_doc[b.tok_line] if len(b.tok_seg) else np.zeros(0, np.int64)
    tok_logdf = _token_cover(b, ngram, shared, np.log1p(df.astype(np.float64)))
    corpus = np.column_stack(
        [
            shared_cov,
            _mean_per(tok_logdf, b.tok_seg, n_seg),
            line_cov[b.seg_line],
            _window_coverage(line_cov, line_ntok, b.line_doc)[b.seg_line],
            _mean_per(tok_shared, tok_doc, b.n_docs)[b.seg_doc],
            _mean_per(_token_cover(b, ngram, repeated), b.tok_seg, n_seg),
        ]
    )
    return _Evidence(
        page=_page_columns(b, line_ntok),
        corpus=corpus,
        shared_cov=shared_cov,
        outside_cov=_mean_per(_token_cover(b, ngram, shared & ~family_only), b.tok_seg, n_seg),
        repeated_cov=corpus[:, 5],
        n_tokens=np.diff(b.seg_tok),
        doc_lines=np.bincount(b.line_doc, minlength=b.n_docs)[b.seg_doc],
        doc=b.seg_doc,
        n_docs=b.n_docs,
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


# Analysed batches kept in memory between fitting and scoring in :meth:`BoilerplateScorer.fit_score`,
# at most this many bytes; later batches are saved to a temporary folder (3 to 5 bytes per
# character of text: about 1.5 GB for a 100k-document scan of 376 MB) and read back when scored.
_KEEP_BYTES = 256 << 20


def _spread_groups(ranges: list[tuple[int, int]], group_codes: np.ndarray | None, n_docs: int) -> np.ndarray:
    """Flag the documents whose group has documents in several batches."""
    if group_codes is None or len(ranges) <= 1:
        return np.zeros(n_docs, dtype=bool)
    batch_of = np.zeros(n_docs, dtype=np.int64)
    for k, (lo, hi) in enumerate(ranges):
        batch_of[lo:hi] = k
    n_groups = int(group_codes.max()) + 1
    first_batch = np.full(n_groups, len(ranges), dtype=np.int64)
    last_batch = np.full(n_groups, -1, dtype=np.int64)
    np.minimum.at(first_batch, group_codes, batch_of)
    np.maximum.at(last_batch, group_codes, batch_of)
    return (first_batch != last_batch)[group_codes]


#: Unit hashes (and units of groups spread over batches) gathered in memory before they are
#: appended to the partition files (bytes, each).  A 100k-document scan gathers some 83M
#: hashes (660 MB); 1M, ten times that.
_SPILL_BYTES = 256 << 20


def _unit_partitions() -> Partitions:
    return Partitions(_SPILL_BYTES, prefix="spindetect-units-")


def _late_partitions() -> Partitions:
    return Partitions(_SPILL_BYTES, prefix="spindetect-late-")


@dataclass(eq=False)
class _UnitCounter:
    """The (unit, owner) pairs of a corpus, gathered batch by batch, then counted.

    Each batch adds one unit hash per (unit, owner) pair, where the owner is
    the document or its group, plus one family key per pair of a document
    with a family.  The pairs of groups spread over several batches are kept
    apart (``late``, filed by their (unit, owner) key, in corpus order) for a
    second, corpus-wide deduplication that keeps the family of the first
    document holding the unit; it runs a partition at a time.

    Unit hashes are filed by their top bits (:class:`~.partitions.Partitions`:
    beyond :data:`_SPILL_BYTES` in memory they go to files under a temporary
    folder).  :meth:`tables` sorts and counts one partition at a time, so its
    working memory is one partition, not the corpus.
    """

    has_fams: bool
    units: Partitions = field(default_factory=_unit_partitions)
    late: Partitions = field(default_factory=_late_partitions)
    fam_keys: list[np.ndarray] = field(default_factory=list)

    def add(self, u: np.ndarray, owner: np.ndarray, f: np.ndarray | None, late: np.ndarray) -> None:
        """Add the pairs of one batch: units ``u``, their owners and families; ``late`` flags spread groups."""
        if late.any():
            fam = (f[late],) if f is not None else ()
            self.late.add(_doc_keys(u[late], owner[late]), u[late], *fam)
            u = u[~late]
            f = f[~late] if f is not None else None
        self.units.add(u)
        if f is not None:
            self.fam_keys.append(_family_keys(u[f >= 0], f[f >= 0]))

    def _merge_late(self) -> None:
        """Count each (unit, group) of the groups spread over batches once overall, a partition at a time."""
        try:
            for k in range(len(self.late)):
                rows = self.late.take(k)
                if rows is None:
                    continue
                _, first = np.unique(rows[0], return_index=True)  # the first of each key, in corpus order
                lu = rows[1][first]
                self.units.add(lu)
                if self.has_fams:
                    lf = rows[2][first]
                    self.fam_keys.append(_family_keys(lu[lf >= 0], lf[lf >= 0]))
        finally:
            self.late.close()

    def tables(self, min_df: int = 1) -> tuple[HashTable, HashTable]:
        """Document frequencies of the units and of the family keys (emptying the counter).

        Only keys counted at least ``min_df`` times are kept (2: what scoring
        the fitted documents needs, see :func:`score_corpus
        <spindetect.boilerplate.scorer.score_corpus>`).
        """
        self._merge_late()
        try:
            counted = [_frequent(*_sorted_counts(self._partition(k)), min_df) for k in range(len(self.units))]
        finally:
            self.units.close()
        uh = np.concatenate([h for h, _ in counted])
        udf = np.concatenate([c for _, c in counted])
        del counted
        if self.fam_keys:
            fh, fdf = _frequent(*_sorted_counts(np.concatenate(self.fam_keys)), min_df)
        else:
            fh, fdf = np.zeros(0, dtype=_U64), np.zeros(0, dtype=np.int32)
        self.fam_keys = []
        return HashTable(uh, udf), HashTable(fh, fdf)

    def _partition(self, k: int) -> np.ndarray:
        """Every unit hash of partition ``k``, emptying it."""
        rows = self.units.take(k)
        return np.zeros(0, dtype=_U64) if rows is None else rows[0]


def _frequent(keys: np.ndarray, counts: np.ndarray, min_df: int) -> tuple[np.ndarray, np.ndarray]:
    """The keys counted at least ``min_df`` times, and their counts."""
    if min_df <= 1:
        return keys, counts
    keep = counts >= min_df
    return keys[keep], counts[keep]


def _owner_firsts(b: _Batch, owner: np.ndarray, doc_keys: np.ndarray, repeated: np.ndarray,
                  one_per_doc: bool) -> np.ndarray:
    """Position of the first unit of every (unit, owner) pair of a batch."""
    if one_per_doc:
        # One owner per document: the (unit, document) pairs are the (unit, owner) pairs.
        return _first_of_each(doc_keys, repeated)
    _, first = np.unique(_doc_keys(b.unit_hash, owner), return_index=True)
    return first


def _segment_rows(b: _Batch, lo: int) -> np.ndarray:
    """One row per segment with words: hash, document, start, end (in the document), words."""
    has_tok = np.diff(b.seg_tok) > 0
    off = b.doc_offset[b.seg_doc[has_tok]]
    return np.column_stack(
        [
            b.seg_hash[has_tok].view(np.int64),
            b.seg_doc[has_tok] + lo,
            b.seg_start[has_tok] - off,
            b.seg_end[has_tok] - off,
            np.diff(b.seg_tok)[has_tok],
        ]
    )


def _keep_packed(keep: list[_Packed | Path | None], b: _Batch, repeated: np.ndarray, spill: Path | None) -> None:
    """Append ``b`` packed to ``keep`` while the kept batches stay under ``_KEEP_BYTES``.

    Beyond, the packed batch is saved under the folder ``spill`` and its path
    appended (``None`` without a folder: the batch is analysed again when scored).
    """
    packed = _Packed.pack(b, repeated)
    kept = sum(p.nbytes for p in keep if isinstance(p, _Packed))
    if kept + packed.nbytes <= _KEEP_BYTES:
        keep.append(packed)
    elif spill is not None:
        keep.append(packed.save(spill / f"batch-{len(keep)}.npz"))
    else:
        keep.append(None)


def _owned_units(
    texts: Sequence[str], ngram: int, group_codes: np.ndarray | None, bounds: tuple[int, int]
) -> tuple[_Batch, np.ndarray, np.ndarray, np.ndarray]:
    """Analyse ``texts[lo:hi]``: the batch, each unit's owner, units repeated in their document, first of each (unit, owner)."""
    lo, hi = bounds
    b = _analyse(texts[lo:hi], ngram)
    owner = b.unit_doc + lo if group_codes is None else group_codes[lo:hi][b.unit_doc]
    doc_keys = _doc_keys(b.unit_hash, b.unit_doc)
    repeated = _repeated_units(doc_keys)
    one_per_doc = group_codes is None or len(np.unique(group_codes[lo:hi])) == hi - lo
    return b, owner, repeated, _owner_firsts(b, owner, doc_keys, repeated, one_per_doc)


def _fit_stats(  # noqa: PLR0913 (the scorer's settings, passed through)
    texts: Sequence[str],
    fam_codes: np.ndarray | None,
    ngram: int,
    batch_chars: int,
    group_codes: np.ndarray | None = None,
    keep: list[_Packed | Path | None] | None = None,
    *,
    spill: Path | None = None,
    min_df: int = 1,
    segments: bool = True,
    n_jobs: int | None = None,
) -> tuple[_CorpusStats, list[np.ndarray]]:
    """Count in how many documents each unit occurs; also keep segment occurrences.

    With a list ``keep``, the analysed batches are appended to it, packed, up
    to ``_KEEP_BYTES`` in total, then saved under the folder ``spill`` (or
    ``None`` without one), for scoring.

    With ``group_codes``, documents of one group count once: a unit is counted
    in how many *groups* it occurs (see :class:`_UnitCounter`).  Only units
    counted at least ``min_df`` times are kept.  The segment rows (40 bytes a
    segment, for :attr:`BoilerplateScorer.top_passages_`) are gathered only
    with ``segments``.  Batches are analysed in ``n_jobs`` threads and counted
    in corpus order, so the counts do not depend on ``n_jobs``.
    """
    ranges = list(_batches(texts, batch_chars))
    has_fams = fam_codes is not None and bool(np.any(fam_codes >= 0))
    spread = _spread_groups(ranges, group_codes, len(texts))
    counter = _UnitCounter(has_fams)
    doc_hashes: list[np.ndarray] = []
    seg_rows: list[np.ndarray] = []
    analysed = ordered_map(partial(_owned_units, texts, ngram, group_codes), ranges, n_jobs)
    for (lo, hi), (b, owner, repeated, first) in zip(ranges, analysed):
        f = fam_codes[lo:hi][b.unit_doc[first]] if has_fams else None  # type: ignore[index]  # has_fams: not None
        counter.add(b.unit_hash[first], owner[first], f, spread[lo:hi][b.unit_doc[first]])
        doc_hashes.append(b.doc_hash)
        if segments:
            seg_rows.append(_segment_rows(b, lo))
        if keep is not None:
            _keep_packed(keep, b, repeated, spill)
        del b
    units, families = counter.tables(min_df)
    doc_hash = np.sort(np.concatenate(doc_hashes)) if doc_hashes else np.zeros(0, dtype=_U64)
    return _CorpusStats(units=units, families=families, doc_hash=doc_hash), seg_rows
