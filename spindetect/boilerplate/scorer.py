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

One segment model (:mod:`spindetect.boilerplate.model`) decides every
segment from both kinds of evidence at once: the single-page features of
:mod:`spindetect.boilerplate.chrome` and the corpus evidence (coverage of the
segment, its line and neighbouring lines by shared passages, document
frequency, and that frequency relative to the most shared text of the page),
then its neighbours' probabilities (context smoothing).  A page that shares
nothing with the corpus is judged on its page alone.  The model has two sets
of weights, chosen per page by the corpus (:func:`~spindetect.boilerplate.model.corpus_regime`):
a page of 100 words or more with at least 5% of its words in shared passages
is decided by weights fitted on pages scored with the rest of their corpus,
any other page by weights that also saw pages judged alone and chrome-free
prose.  The weights are fitted
by ``benchmarks/fit_boilerplate.py`` on the Dragnet training pages,
site-grouped; only the numbers are shipped
(``resources/boilerplate_weights.json``).  Segments repeated in the document,
shared only within the given family, or shared about as widely as the most
shared text of their page (``min_coverage``) are always boilerplate.
Copies of one text (identical or near-duplicate, :mod:`spindetect.boilerplate.copies`)
count once, so a duplicated page is not boilerplate because of its copies.

Everything is vectorised per batch of documents with numpy; the work is
linear in the number of characters (plus one sort of all unit hashes).
:meth:`BoilerplateScorer.fit_score` analyses every text once: the batches
analysed while fitting are kept in compact form and scored afterwards, where
``fit(...).score()`` analyses the texts a second time.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Hashable, Sequence
from functools import partial
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone

from .._parallel import N_JOBS, ordered_map
from .._validation import Interval, check_fitted, validate_params
from ..signals.lookup import isin_sorted
from .analyse import _analyse, _Batch, _Packed, _ScoreInput
from .copies import copy_groups
from .evidence import _batches, _Evidence, _evidence, _fit_stats
from .hashing import _U64
from .model import _boilerplate_probability, load_weights, relative_log_df
from .report import REASONS, BoilerplateReport, BoilerplateSpan

__all__ = ["BoilerplateScorer", "score_corpus"]

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


class BoilerplateScorer(BaseEstimator):
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
        Use the segment model (single-page and corpus evidence in one model).
        When False only shared and repeated passages are reported.
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
    n_jobs : int or None, default=-1
        Threads that analyse and score batches side by side (numpy releases
        the GIL): -1 every CPU, -2 all but one, None or 1 the calling thread.
        The reports do not depend on it: batches are counted and reported in
        corpus order.

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

    def __init__(  # noqa: PLR0913 (settings are keyword-only parameters, as in scikit-learn)
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
        n_jobs: int | None = -1,
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
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ fitting

    _parameter_constraints: dict = {
        "ngram": [Interval(Integral, 1, None, closed="left")],
        "min_docs": [Interval(Integral, 2, None, closed="left")],
        "min_coverage": [Interval(Real, 0, 1, closed="right")],
        "threshold": [Interval(Real, 0, 1, closed="both")],
        "page_chrome": [bool],
        "min_page_lines": [Interval(Integral, 0, None, closed="left")],
        "use_corpus": [bool],
        "weights": [dict, str, os.PathLike, None],
        "batch_chars": [Interval(Integral, 1, None, closed="left")],
        "n_top_passages": [Interval(Integral, 0, None, closed="left")],
        "random_state": [Interval(Integral, None, None), None],
        "n_jobs": N_JOBS,
    }

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
            copies is its content, not boilerplate.  Without ``groups``, the
            scorer finds the copies itself (identical texts, and near-duplicates
            by MinHash, see :mod:`spindetect.boilerplate.copies`);
            ``[None] * len(texts)`` counts every document apart.

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
        keep: list[_Packed | Path | None] | None,
        spill: Path | None = None,
        min_df: int = 1,
    ) -> BoilerplateScorer:
        validate_params(self)
        docs = _check_texts(texts)
        fams = _check_families(families, len(docs))
        grps = _check_families(groups, len(docs))
        if grps is None:
            grps = copy_groups(docs)
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
        stats, seg_rows = _fit_stats(
            docs, codes, self.ngram, self.batch_chars, group_codes, keep, spill=spill, min_df=min_df,
            segments=self.n_top_passages > 0, n_jobs=self.n_jobs,
        )
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
        check_fitted(self, "stats_")
        return self._score(texts, families, None)

    def _score(
        self,
        texts: Sequence[str] | None,
        families: Sequence[Hashable | None] | None,
        kept: list[_Packed | Path | None] | None,
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
        ranges = list(_batches(docs, self.batch_chars))
        reasons = partial(self._batch_reasons, docs, kept, in_corpus_all, codes)
        reports: list[BoilerplateReport] = []
        for (lo, hi), (b, reason) in zip(ranges, ordered_map(reasons, enumerate(ranges), self.n_jobs)):
            reports.extend(_reports(b, docs[lo:hi], reason))
        return reports

    def _batch_reasons(  # noqa: PLR0913 (the batch and what it is scored with)
        self,
        docs: list[str],
        kept: list[_Packed | Path | None] | None,
        in_corpus_all: np.ndarray | None,
        codes: np.ndarray | None,
        batch: tuple[int, tuple[int, int]],
    ) -> tuple[_Batch | _ScoreInput, np.ndarray]:
        """Batch ``k`` (kept from fitting, or analysed now) and the reason code of each of its segments."""
        k, (lo, hi) = batch
        packed = kept[k] if kept is not None else None
        if isinstance(packed, Path):
            packed = _Packed.load(packed)
        if packed is not None:
            # Same texts, same batches as in fit: reuse the analysis.
            kept[k] = None  # type: ignore[index]  # packed came from kept
            b: _Batch | _ScoreInput = packed.unpack()
        else:
            b = _analyse(docs[lo:hi], self.ngram)
        if in_corpus_all is not None:
            in_corpus = in_corpus_all[lo:hi]
        else:
            in_corpus = isin_sorted(b.doc_hash, self.stats_.doc_hash)  # type: ignore[union-attr]  # analysed: a _Batch
            in_corpus = in_corpus.astype(np.int64)
        stats = self.stats_ if self.use_corpus else None
        ev = _evidence(b, stats, in_corpus, None if codes is None else codes[lo:hi], self.ngram, self.min_docs)
        return b, self._segment_reasons(ev, (b.seg_end - b.seg_start).astype(np.float64))

    def fit_score(
        self,
        texts: Sequence[str],
        families: Sequence[Hashable | None] | None = None,
        groups: Sequence[Hashable | None] | None = None,
    ) -> list[BoilerplateReport]:
        """Fit on ``texts`` and score them; see :meth:`fit` and :meth:`score`.

        Gives the same reports as ``fit(texts, families, groups).score()`` but
        analyses each text once instead of twice: the analysed batches are
        kept, compactly (3 to 5 bytes per character of English text; in
        memory up to 256 MB, beyond in a temporary folder under ``TMPDIR``),
        until they are scored.
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
        return self._fit_score(texts, families, groups)

    def _fit_score(
        self,
        texts: Sequence[str],
        families: Sequence[Hashable | None] | None,
        groups: Sequence[Hashable | None] | None,
        min_df: int = 1,
    ) -> list[BoilerplateReport]:
        kept: list[_Packed | Path | None] = []
        with tempfile.TemporaryDirectory(prefix="spindetect-batches-") as spill:
            self._fit(texts, families, groups, kept, Path(spill), min_df)
            return self._score(None, None, kept)

    def _segment_reasons(self, ev: _Evidence, chars: np.ndarray) -> np.ndarray:
        """Reason code per segment: index into REASONS, or -1 for content.

        The segment model decides page chrome and text shared with a few other
        pages alike (a shared segment it keeps is content, such as a teaser of
        the article on another page).  Always boilerplate: passages repeated
        inside the document, passages shared only within the document's given
        family, and shared passages about as widespread as the most shared text
        of their page (``relative_log_df >= 0.5``: a site's menu and footer,
        however few its pages); without the model (``page_chrome=False``) every
        shared passage.
        """
        cut = float(self.min_coverage)
        shared = ev.shared_cov >= cut
        reason = np.full(len(ev.shared_cov), -1, dtype=np.int64)
        if self.page_chrome:
            p = _boilerplate_probability(ev, chars, self.weights_)  # type: ignore[arg-type]  # set with page_chrome
            flagged = (p >= float(self.threshold)) & ((ev.doc_lines >= self.min_page_lines) | shared)
            reason[flagged] = REASONS.index("page_chrome")
            # Out-of-fold on Dragnet this rule costs nothing (MAE 0.0695 with it, 0.0694 without).
            shared = shared & (flagged | (relative_log_df(ev) >= 0.5))
        reason[ev.repeated_cov >= cut] = REASONS.index("repeated_in_doc")
        reason[shared] = REASONS.index("shared_in_corpus")
        family = (ev.shared_cov >= cut) & (ev.outside_cov < cut)
        reason[family] = REASONS.index("family_template")
        return reason



def score_corpus(
    scorer: BoilerplateScorer,
    texts: Sequence[str],
    families: Sequence[Hashable | None] | None = None,
    groups: Sequence[Hashable | None] | None = None,
) -> list[BoilerplateReport]:
    """The reports of ``clone(scorer).fit_score(...)``, in bounded memory, keeping nothing fitted.

    Scoring the fitted documents only needs the counts of passages found in
    two or more documents (a passage of one document is not shared), so only
    those are kept while the clone scores, and the clone is dropped with its
    counts afterwards: on 100,000 generated documents the full counts take
    about 1 GB, and most passages of real text occur once.  Nor does it gather
    the segments of :attr:`BoilerplateScorer.top_passages_` (40 bytes a segment).
    ``scorer`` is not changed.  This is what :class:`~spindetect.detector.Detector` runs.

    Parameters
    ----------
    scorer : BoilerplateScorer
        The settings.
    texts, families, groups
        As for :meth:`BoilerplateScorer.fit`.

    Returns
    -------
    list of BoilerplateReport
        One report per text, in order; equal to ``fit_score``'s.
    """
    # No top passages either: their segment rows grow with the corpus (40 bytes a segment).
    return clone(scorer).set_params(n_top_passages=0)._fit_score(texts, families, groups, min_df=2)


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
    return [BoilerplateReport.from_spans(text, tuple(spans)) for text, spans in zip(docs, spans_by_doc)]
