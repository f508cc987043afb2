"""Corpus evidence: document frequencies of the units of a corpus, and per-segment evidence.

:func:`_fit_stats` counts in how many documents (or groups of copies) every
unit occurs, with one sort of all unit hashes (linear in corpus size, no
pairwise comparison).  :func:`_evidence` turns those counts into the
coverage of every segment, line and document by shared and repeated units,
next to the single-page features, for the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..signals.lookup import HashTable, isin_sorted
from . import chrome
from .analyse import _analyse, _Batch, _Packed, _ScoreInput
from .hashing import _U64, _doc_keys, _family_keys


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


# Analysed batches kept between fitting and scoring in :meth:`BoilerplateScorer.fit_score`,
# at most this many bytes; later batches are analysed again.
_KEEP_BYTES = 1 << 30


def _fit_stats(  # noqa: PLR0915 (to split: issue 9)
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
        f = fam_codes[lo:hi][b.unit_doc[first]] if has_fams else None  # type: ignore[index]  # has_fams: not None
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
