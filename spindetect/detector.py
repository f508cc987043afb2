"""The :class:`Detector` facade: one configuration, every step wired together.

The data flow (each step is a module of its own)::

    texts -> Corpus -> MinHasher -> Signatures -> LSH candidates --------------.
                    -> TfidfSimilarity -> cosine neighbours ---------------------+-> candidate pairs
                                       -> LsaNeighbours (opt-in: k nearest) -----|
                    -> StructureIndex (layout, SpotSigs, masked shingles) -------'
    candidate pairs -> scores (jaccard, containment, cosines, skeleton, ...)
                    -> kinds.classify -> cluster.cluster_pairs -> clusters
    clusters + texts -> BoilerplateScorer -> fraction and spans per document

No step compares all pairs of documents: each index proposes candidates in
roughly linear time, and only candidates are scored.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, clone

from ._constants import CJK_CLASS
from ._memory import trim
from ._pairs import unique_pairs
from ._progress import Progress
from ._validation import Interval, check_fitted, validate_params
from .decide.cluster import connected_labels
from .decide.decision import decide_kinds
from .decide.describe import Clustering, cluster_documents
from .decide.kinds import KindRules
from .decide.model import PairModel
from .decide.pairs import Pairs, shingle_overlap, unique_shingle_sets
from .decide.reasons import rule_reasons
from .decide.split import SplitRules
from .report.explain import Explanation
from .report.results import ScanResult
from .signals.flatsets import FlatSets
from .signals.frame import FRAME_SCORES, EdgeFrame
from .signals.lookup import sorted_unique
from .signals.lsh import candidate_pairs
from .signals.minhash import MinHasher, Signatures
from .signals.neighbours import LsaNeighbours
from .signals.numbers import NUMBER_SCORES, VersionNumbers
from .signals.outline import OUTLINE_SCORES, OutlineIndex
from .signals.repeated import RepeatedLines
from .signals.structure import SCORE_NAMES as STRUCTURE_SCORES
from .signals.structure import StructureIndex
from .signals.style import STYLE_SCORES, StyleProfiles
from .signals.tfidf import TfidfSimilarity
from .text.corpus import Corpus, as_corpus
from .text.normalize import NormConfig, normalize
from .text.notes import log_notes
from .text.tokens import content_ranks, hash_shingles, text_batches

if TYPE_CHECKING:
    from .boilerplate.scorer import BoilerplateReport, BoilerplateScorer

__all__ = ["Detector", "Signed", "Clustering", "Boilerplate"]

log = logging.getLogger("spindetect")

_CJK_RE = re.compile(f"[{CJK_CLASS}]")

#: Lines held by documents of at least this many near-copy groups are site chrome, masked before
#: the word-shingle overlap (``jaccard``, ``containment``; issue 10: a 479-character footer on
#: 2,000 unrelated pages lifted it to ~0.07, which the pair model took for evidence), the word
#: TF-IDF cosine and neighbours, and the structure and outline indexes (the footer also carried
#: ``cosine_word``, ``skeleton*`` and ``outline*``, and made 20,047 candidates of those 2,000
#: pages instead of 8,746 without it; masked: 8,871).  A line
#: that a family's pages share is evidence of the family: the largest family of the development
#: sets has 33 pages (templated-dev), a farm of the issue 48; a footer or menu on hundreds of
#: unrelated pages ("home" on 572 of dragnet-train's 966 pages) is not.
SITE_CHROME_DF = 100


@dataclass(frozen=True, eq=False)
class Signed:
    """What the signature stage gives the later stages.

    Attributes
    ----------
    signatures : Signatures
        MinHash signatures, one row per document.
    shingle_sets : sequence of numpy.ndarray
        Sorted distinct shingle hashes of each document (exact Jaccard), a
        :class:`~spindetect.signals.flatsets.FlatSets` (spilled past 256 MB).
    notes : tuple of tuple of str
        Input notes of each document plus the notes the shingles add
        (no words, shorter than a shingle, CJK without spaces).
    """

    signatures: Signatures
    shingle_sets: Sequence[np.ndarray]
    notes: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Boilerplate:
    """What the boilerplate stage gives the report: a fraction (share of words) and a report per document.

    ``fractions`` are ``None`` when boilerplate scoring is off (null in the
    record, never 0).
    """

    fractions: tuple[float | None, ...]
    reports: tuple[BoilerplateReport, ...] | None


#: A progress callback: moves the bar by a share (0..1) of the current step.
_Tick = Callable[[float], None]


def _no_tick(share: float) -> None:
    """The progress callback when nobody listens."""



def _rehashed(texts: list[str], content: list[str], ranks: np.ndarray) -> np.ndarray:
    """``content_ranks(content)`` from the keys of ``texts``: only the texts that changed are hashed again."""
    out = ranks.copy()
    changed = [i for i, (text, new) in enumerate(zip(texts, content)) if new is not text]
    if changed:
        out[changed] = content_ranks([content[i] for i in changed])
    return out


def _fit_tfidf(tfidf: TfidfSimilarity, texts: list[str], stripped: list[str], ranks: np.ndarray) -> TfidfSimilarity:
    """Fit ``tfidf``, passing the seed-0 content keys on when its ``random_state`` seeds them the same."""
    same_seed = int(tfidf.random_state or 0) == 0
    return tfidf.fit(texts, char_texts=stripped, ranks=ranks if same_seed else None)

class Detector(ClusterMixin, BaseEstimator):
    """Find exact copies, near-duplicates, spun texts and templated families.

    The detector is built from parts, each an estimator of its own that the
    detector clones before fitting: ``minhasher``, ``tfidf``, ``structure``
    and ``boilerplate``.  Every setting of every part is reachable, for
    example ``Detector(structure=StructureIndex(max_candidates=10))``.

    Parameters
    ----------
    threshold : float, default=0.5
        Word-shingle Jaccard from which MinHash LSH proposes near-duplicate
        candidates (every candidate is verified with the exact Jaccard).
    num_perm : int, optional
        MinHash permutations (128 when neither this nor ``minhasher`` is given).
    ngram : int, optional
        Words per shingle (5 by default).
    seed : int, optional
        Seed of the MinHash permutations (1 by default); results are
        identical for a seed.
    norm : NormConfig, optional
        Text normalisation before tokenising.
    minhasher : MinHasher, optional
        The signature step.  ``num_perm``, ``ngram``, ``seed`` and ``norm``
        are shortcuts for its settings: give them either to the detector or
        to the ``minhasher``, not both.
    tfidf : TfidfSimilarity, optional
        The TF-IDF cosine step (default settings when None).
    tfidf_threshold : float, default=0.5
        Word TF-IDF cosine from which a pair of neighbours is scored.
    neighbours : LsaNeighbours, optional
        Opt-in: also propose each document's nearest neighbours in reduced
        TF-IDF (:class:`~spindetect.signals.neighbours.LsaNeighbours`, a
        per-document budget).  Off by default: it makes 31 of the 33
        templated-dev family pairs no other source proposes candidates, but
        the shipped pair model, refitted with them, scored worse out of fold
        (see ``benchmarks/candidates.py``).
    structure : StructureIndex or bool, optional
        Layout and stopword signatures (find spun and templated text).  None
        or True uses the default ``StructureIndex()``; False turns it off.
    boilerplate : BoilerplateScorer or bool, optional
        Scores the boilerplate fraction of each document.  None or True uses
        the default ``BoilerplateScorer()``; False turns it off.
    model : PairModel or str, optional
        The pair model that decides whether a candidate pair is related (its
        probability is the pair's ``probability`` score), or the path of a
        model file.  Default: ``spindetect/resources/pair_model.json``, fitted
        by ``benchmarks/fit_pairs.py`` on real labelled pairs.
    rules : KindRules, optional
        Opt-in: decide pairs with the hand-set rule of
        :func:`spindetect.decide.kinds.classify` instead of the pair model.
    strong_jaccard : float, default=0.7
        Near-duplicate pairs with at least this shingle Jaccard are merged
        outright (union-find); weaker accepted pairs (lighter near-duplicates,
        spun, templated) must pass the ``linkage`` rule.
    linkage : float, default=0.5
        Share of cross pairs that must be templated for two groups to merge
        into one family (guards against chaining through a hub); see
        :func:`spindetect.decide.cluster.cluster_pairs`.
    split : SplitRules, optional
        Bars of the cluster-level split of near-miss variants
        (:func:`spindetect.decide.split.split_clusters`).  Default: the
        shipped ones (``spindetect/resources/split.json``); ``SplitRules()``
        never splits.
    progress : bool, default=False
        Show a progress bar on stderr.

    Attributes
    ----------
    corpus_ : Corpus
    minhasher_ : MinHasher
    signatures_ : Signatures
    tfidf_ : TfidfSimilarity
    structure_ : StructureIndex or None
        None when turned off or with fewer than two documents.
    outline_ : OutlineIndex or None
    style_ : StyleProfiles or None
    numbers_ : VersionNumbers
        Version-like numbers of every document (``numbers_differ``).
    frame_ : EdgeFrame
        Lines of every document, for the short lines a pair shares at its start and end (``edge_chrome``).
    repeated_ : RepeatedLines
        Lines three or more documents share, removed before the character
        cosine, the body overlap and the style profiles.
    chrome_ : RepeatedLines
        Site chrome of many unrelated documents (:data:`SITE_CHROME_DF`),
        masked before the word-shingle overlap, the word TF-IDF (cosine and
        neighbours) and the structure and outline indexes (the MinHash
        candidates and the exact test read the full texts).
    model_ : PairModel or None
        The pair model used (None with ``rules``).
    boilerplate_ : BoilerplateScorer or None
        The boilerplate scorer's settings, not fitted: the scan scores the
        corpus with :func:`~spindetect.boilerplate.scorer.score_corpus` and
        keeps no corpus counts (fit it to score other texts).
    pairs_ : Pairs
    labels_ : numpy.ndarray of int64
        Position of each document's cluster representative.
    result_ : ScanResult
    """

    def __init__(  # noqa: PLR0913 (settings are keyword-only parameters, as in scikit-learn)
        self,
        *,
        threshold: float = 0.5,
        num_perm: int | None = None,
        ngram: int | None = None,
        seed: int | None = None,
        norm: NormConfig | None = None,
        minhasher: MinHasher | None = None,
        tfidf: TfidfSimilarity | None = None,
        tfidf_threshold: float = 0.5,
        neighbours: LsaNeighbours | None = None,
        structure: StructureIndex | bool | None = None,
        boilerplate: BoilerplateScorer | bool | None = None,
        model: PairModel | str | None = None,
        rules: KindRules | None = None,
        strong_jaccard: float = 0.7,
        linkage: float = 0.5,
        split: SplitRules | None = None,
        progress: bool = False,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.ngram = ngram
        self.seed = seed
        self.norm = norm
        self.minhasher = minhasher
        self.tfidf = tfidf
        self.tfidf_threshold = tfidf_threshold
        self.neighbours = neighbours
        self.structure = structure
        self.boilerplate = boilerplate
        self.model = model
        self.rules = rules
        self.strong_jaccard = strong_jaccard
        self.linkage = linkage
        self.split = split
        self.progress = progress

    # ------------------------------------------------------------------ fit
    def fit(self, X: Any, ids: Sequence[str] | None = None) -> "Detector":
        """Analyse a corpus.

        Signatures and shingles of every document; candidate pairs from
        MinHash LSH, TF-IDF neighbours and structure signals; every score of
        every candidate; the kind of each pair; clusters; the boilerplate of
        each document.

        Parameters
        ----------
        X : Corpus, sequence of str, pandas Series, or path
            The documents.  A bare ``str`` raises ``TypeError``.
        ids : sequence of str, optional
            Document ids when ``X`` is a sequence of texts.

        Returns
        -------
        self
        """
        validate_params(self)
        corpus = as_corpus(X, ids=ids)
        texts = list(corpus.texts)
        names = (("boilerplate",) if self.boilerplate is not False else ()) + ("signatures", "candidates", "scores", "clusters")
        steps = Progress(self.progress, names)
        if self.boilerplate is not False:
            steps.start("boilerplate")
        # Boilerplate reads the texts only: scored first, its working memory is
        # gone before the pair indexes are built (the scan's peak is the larger
        # of the two stages, not their sum).
        boiler = self._boilerplate(corpus)
        trim()  # its freed working memory back to the system (glibc), not kept under the next stages
        steps.start("signatures")
        signed = self._signatures(corpus)
        steps.start("candidates")
        self.model_ = None if self.rules is not None else self._pair_model()
        candidates = self._candidates(texts, signed, steps.advance)
        steps.start("scores")
        self.pairs_ = self._pairs(corpus, candidates, signed.shingle_sets, steps.advance)
        steps.start("clusters")
        clustering = self._cluster(corpus, self.pairs_)
        steps.close()
        self.corpus_ = corpus
        self.signatures_ = signed.signatures
        self.labels_ = clustering.representatives
        self.result_ = _scan_result(
            corpus, signed, clustering, boiler, self.pairs_, input_index=_pandas_index(X), settings=self._settings()
        )
        return self

    def fit_detect(self, X: Any, ids: Sequence[str] | None = None) -> ScanResult:
        """Analyse a corpus and return the :class:`~spindetect.report.results.ScanResult`."""
        return self.fit(X, ids=ids).result_

    _parameter_constraints: dict = {
        "threshold": [Interval(Real, 0, 1, closed="neither")],
        "num_perm": [Interval(Integral, 1, None, closed="left"), None],
        "ngram": [Interval(Integral, 1, None, closed="left"), None],
        "seed": [Interval(Integral, 0, None, closed="left"), None],
        "norm": [NormConfig, None],
        "minhasher": [MinHasher, None],
        "tfidf": [TfidfSimilarity, None],
        "tfidf_threshold": [Interval(Real, 0, 1, closed="both")],
        "neighbours": [LsaNeighbours, None],
        "structure": [StructureIndex, bool, None],
        "boilerplate": [BaseEstimator, bool, None],  # a BoilerplateScorer (imported when used)
        "model": [PairModel, str, None],
        "rules": [KindRules, None],
        "strong_jaccard": [Interval(Real, 0, 1, closed="both")],
        "linkage": [Interval(Real, 0, 1, closed="right")],
        "split": [SplitRules, None],
        "progress": [bool],
    }

    # --------------------------------------------------------------- stages
    def _make_minhasher(self) -> MinHasher:
        given = {k: getattr(self, k) for k in ("num_perm", "ngram", "seed", "norm") if getattr(self, k) is not None}
        if self.minhasher is None:
            return MinHasher(**given)
        if given:
            raise ValueError(
                f"Detector: {', '.join(sorted(given))} given both to the Detector and through "
                "minhasher=; set them on the minhasher only"
            )
        return clone(self.minhasher)

    def _signatures(self, corpus: Corpus) -> Signed:
        """MinHash signatures, shingle sets (flat, spilled past a budget) and the notes the shingles add."""
        self.minhasher_ = self._make_minhasher().fit()
        signed: list[Signatures] = []

        def sets_of_batches() -> Iterator[np.ndarray]:
            for shingles in self.minhasher_.shingle_batches(corpus.texts):  # one batch held at a time
                signed.append(self.minhasher_.sign_shingles(shingles))
                yield from unique_shingle_sets([shingles])

        sets = FlatSets.from_sets(sets_of_batches())
        signatures = Signatures.concat(signed)
        notes = self._content_notes(corpus, signatures.n_shingles)
        return Signed(signatures, sets, tuple(notes))

    def _candidates(self, texts: list[str], signed: Signed, tick: _Tick = _no_tick) -> np.ndarray:
        """Pairs ``i < j`` proposed by LSH, TF-IDF neighbours (word cosine; nearest in reduced TF-IDF) and the structure index.

        ``tick(share)`` moves the progress bar after each part (shares: the
        part times on the generated 2,876-document corpus, 7.4 s TF-IDF fit,
        3.4 s neighbours, 4.7 s structure fit).
        """
        ranks = content_ranks(texts)  # hashed once: the TF-IDF (default seed) and outline keys are derived from them
        found = [candidate_pairs(signed.signatures, threshold=self.threshold, ranks=ranks)]
        self.repeated_ = RepeatedLines(min_run=1, max_share=1.0).fit(texts)
        stripped = self.repeated_.strip(texts)
        self._body_sets = self._shingle_sets(stripped)
        content = self._mask_site_chrome(texts, signed, found[0])
        content_keys = _rehashed(texts, content, ranks)
        self.tfidf_ = _fit_tfidf(
            TfidfSimilarity() if self.tfidf is None else clone(self.tfidf), content, stripped, content_keys
        )
        self.numbers_ = VersionNumbers().fit(texts)
        self.frame_ = EdgeFrame().fit(texts)
        tick(0.48)
        self.structure_ = self.outline_ = self.style_ = None
        if len(texts) < 2:
            return np.zeros((0, 2), np.int64)
        found.append(self.tfidf_.neighbour_pairs(self.tfidf_threshold)[0])
        if self.neighbours is not None:
            found.append(clone(self.neighbours).fit(self.tfidf_).candidate_pairs_)
        tick(0.22)
        if self.structure is not False:
            structure = StructureIndex() if self.structure is None or self.structure is True else self.structure
            self.structure_ = clone(structure).fit(content)
            found.append(self.structure_.candidate_pairs_)
            self.outline_ = OutlineIndex().fit(content, ranks=content_keys)
            found.append(self.outline_.candidate_pairs_)
            self.style_ = StyleProfiles().fit(stripped)
        pairs = unique_pairs(np.concatenate(found))
        log.info("%d documents, %d candidate pairs", len(texts), len(pairs))
        return pairs

    def _mask_site_chrome(self, texts: list[str], signed: Signed, lsh: np.ndarray) -> list[str]:
        """The texts without the chrome many unrelated documents share, and their shingle sets.

        The chrome is :data:`SITE_CHROME_DF`'s (``chrome_``).  Documents that
        LSH pairs at an estimated Jaccard from ``threshold`` on are one
        near-copy group: the lines they share count once.  A document with
        nothing masked keeps its full text and its full-text set (the
        shingle sets are kept as ``_content_sets``; the texts are returned
        for the word TF-IDF, structure and outline indexes).
        """
        near = lsh[signed.signatures.jaccard(lsh) >= self.threshold] if len(lsh) else lsh
        self.chrome_ = RepeatedLines(min_df=SITE_CHROME_DF).fit(texts, groups=connected_labels(len(texts), near))
        changed = [i for i, text in enumerate(texts) if self.chrome_.n_repeated_ and self.chrome_.chrome_lines(text)[1].any()]
        self._content_sets: Sequence[np.ndarray] | None = None
        content = list(texts)
        if changed:
            for i, text in zip(changed, self.chrome_.strip([texts[i] for i in changed])):
                content[i] = text
            masked = dict(zip(changed, self._shingle_sets([content[i] for i in changed])))
            self._content_sets = FlatSets.from_sets(
                masked[i] if i in masked else signed.shingle_sets[i] for i in range(len(texts))
            )
        return content

    def _pairs(
        self, corpus: Corpus, pairs: np.ndarray, shingle_sets: Sequence[np.ndarray], tick: _Tick = _no_tick
    ) -> Pairs:
        """Every score of every candidate pair, and the kind each names."""
        scores = self._score(list(corpus.texts), pairs, shingle_sets, tick)
        kinds = self._decide(scores, pairs, len(corpus))
        return Pairs(corpus.ids, pairs, kinds, scores, rules=self.rules, model=self.model_)

    def _pair_model(self) -> PairModel:
        if isinstance(self.model, PairModel):
            return self.model
        return PairModel.load(self.model)

    def _shingle_sets(self, texts: list[str]) -> FlatSets:
        """Sorted distinct word-shingle hashes of each text (the detector's n-gram and normalisation)."""

        def sets_of_batches() -> Iterator[np.ndarray]:
            for batch in text_batches(texts):
                shingles = hash_shingles(batch, ngram=self.minhasher_.ngram, config=self.minhasher_.norm_)
                yield from unique_shingle_sets([shingles])

        return FlatSets.from_sets(sets_of_batches())

    def _decide(self, scores: Mapping[str, np.ndarray], index: np.ndarray | None = None, n_docs: int = 0) -> np.ndarray:
        """Kind of every pair: by the pair model (which adds ``probability``), or by the opt-in rules.

        ``index``: the pairs are the scan's candidates, decided corpus-relatively too (see
        :func:`~spindetect.decide.decision.decide_kinds`).
        """
        if self.rules is not None:
            return decide_kinds(scores, rules=self.rules)
        model = getattr(self, "model_", None) or self._pair_model()
        return decide_kinds(scores, model=model, index=index, n_docs=n_docs)

    def _cluster(self, corpus: Corpus, pairs: Pairs) -> Clustering:
        """Clusters of the accepted pairs, and why each document is in its cluster."""
        lengths = [len(t) for t in corpus.texts]
        return cluster_documents(
            corpus.ids, lengths, pairs, strong_jaccard=self.strong_jaccard, linkage=self.linkage,
            texts=corpus.texts, split=self.split,
        )

    def _settings(self) -> dict[str, Any]:
        return {"strong_jaccard": self.strong_jaccard, "linkage": self.linkage}

    def _boilerplate(self, corpus: Corpus) -> Boilerplate:
        """Boilerplate fraction and spans of each document (``None`` each when scoring is off).

        One code path: exactly what ``spindetect boilerplate`` and
        ``BoilerplateScorer().fit_score(texts)`` give; the scorer finds copies
        of one text itself (:mod:`spindetect.boilerplate.copies`).
        """
        n = len(corpus)
        if self.boilerplate is False:
            self.boilerplate_ = None
            return Boilerplate((None,) * n, None)
        from .boilerplate.scorer import BoilerplateScorer, score_corpus

        scorer = BoilerplateScorer() if self.boilerplate is None or self.boilerplate is True else self.boilerplate
        self.boilerplate_ = clone(scorer)  # the settings: its corpus counts are dropped after scoring
        reports = tuple(score_corpus(self.boilerplate_, list(corpus.texts)))
        return Boilerplate(tuple(float(r.fraction) for r in reports), reports)

    def _content_notes(self, corpus: Corpus, n_shingles: np.ndarray) -> list[tuple[str, ...]]:
        notes: list[tuple[str, ...]] = []
        fresh: list[tuple[str, str, str]] = []
        ngram = int(self.minhasher_.ngram)
        for i, doc in enumerate(corpus):
            extra: list[str] = []
            text = doc.text
            if n_shingles[i] == 0:
                if text.strip():  # empty and unreadable documents are noted already
                    extra.append("no words: compared with nothing")
            elif n_shingles[i] == 1 and len(text.split()) <= ngram:
                extra.append(f"shorter than the {ngram}-word shingle: compared as one shingle")
            if not text.isascii():
                cjk = len(_CJK_RE.findall(text))
                if cjk and cjk >= 0.2 * len(text.strip() or " "):
                    extra.append("CJK text without spaces: tokenised one character a token")
            fresh.extend((f"document {i}", doc.id, msg) for msg in extra)
            notes.append(tuple(doc.notes) + tuple(extra))
        log_notes(log, fresh)
        return notes

    def _score(
        self, texts: list[str], pairs: np.ndarray, shingle_sets: Sequence[np.ndarray], tick: _Tick = _no_tick
    ) -> dict[str, np.ndarray]:
        """Every score of every candidate pair.

        ``tick(share)`` moves the progress bar after each group of scores
        (shares: their times on the 12,142 pairs of the generated 2,876-document
        corpus, about 1 s word scores, 3.6 s structure, 5.7 s char cosine).

        Every name of :data:`~spindetect.decide.kinds.SCORE_NAMES`.  The
        character TF-IDF cosine, the body overlap (``*_body``) and the style
        profiles read the texts without their repeated lines; the word
        overlap reads them without the chrome of many unrelated pages
        (``chrome_``);
        the character cosine is computed for every candidate, since the pair
        model reads it for all of them.
        """
        exact = self._exact(texts, pairs, shingle_sets)
        # Word-shingle overlap without the chrome many unrelated documents share.
        content_sets: Sequence[np.ndarray] | None = getattr(self, "_content_sets", None)
        sets = shingle_sets if content_sets is None else content_sets
        jac, con = shingle_overlap(sets, pairs)
        sizes = np.fromiter((len(s) for s in sets), np.int64, len(sets))
        scores: dict[str, np.ndarray] = {
            "exact": exact,
            "jaccard": jac,
            "containment": con,
            "cosine_word": self.tfidf_.word_cosine(pairs),
        }
        scores["containment_min"] = _other_containment(con, sizes, pairs)
        body_jac, body_con = shingle_overlap(self._body_sets, pairs)
        body_sizes = np.fromiter((len(b) for b in self._body_sets), np.int64, len(self._body_sets))
        scores["jaccard_body"] = body_jac
        scores["containment_body"] = body_con
        scores["containment_body_min"] = _other_containment(body_con, body_sizes, pairs)
        tick(0.1)
        for index, names in (
            (self.structure_, STRUCTURE_SCORES),
            (self.outline_, OUTLINE_SCORES),
            (self.style_, STYLE_SCORES),
            (self.numbers_, NUMBER_SCORES),
            (self.frame_, FRAME_SCORES),
        ):
            computed = index.score_pairs(pairs) if index is not None and len(pairs) else {}
            for name in names:  # an index not fitted supports nothing: zeros
                scores[name] = np.asarray(computed.get(name, np.zeros(len(pairs))), dtype=float)
        tick(0.35)
        scores["cosine_char"] = self.tfidf_.char_cosine(pairs)
        return scores

    def _exact(self, texts: list[str], pairs: np.ndarray, shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
        """Whether the normalised texts of each pair are equal.

        Equal normalised texts have equal shingle sets: only pairs with a
        Jaccard of 1 (or two empty sets) can be exact, so only their
        documents are normalised and hashed.
        """
        jac, _ = shingle_overlap(shingle_sets, pairs)
        sizes = np.fromiter((len(s) for s in shingle_sets), np.int64, len(shingle_sets))
        maybe = np.flatnonzero((jac == 1.0) | ((sizes[pairs[:, 0]] == 0) & (sizes[pairs[:, 1]] == 0)))
        norm = self.minhasher_.norm_
        digests = {
            int(d): hashlib.blake2b(normalize(texts[d], norm).encode(), digest_size=16).digest()
            for d in sorted_unique(pairs[maybe]).tolist()
        }
        exact = np.zeros(len(pairs), dtype=bool)
        for row in maybe.tolist():
            i, j = pairs[row].tolist()
            exact[row] = digests[i] == digests[j] and bool(texts[i].strip())
        return exact

    # -------------------------------------------------------------- explain
    def explain(self, a: str, b: str) -> Explanation:
        """Scores, kind, reasons and shared passages of two documents of the fitted corpus.

        Nothing is refitted: a pair the scan scored is read from
        :attr:`pairs_`; any other pair is scored with the fitted indexes.

        Parameters
        ----------
        a, b : str
            Document ids.

        Returns
        -------
        Explanation
            The same object as :meth:`ScanResult.explain
            <spindetect.report.results.ScanResult.explain>`, with scores for
            pairs the scan did not propose too.
        """
        from .report.explain import explain_pair

        check_fitted(self, "result_")
        corpus = self.corpus_
        ia, ib = corpus.index_of(a), corpus.index_of(b)
        if self.pairs_.find(ia, ib) is not None:
            return explain_pair(self.result_, a, b)
        lo, hi = min(ia, ib), max(ia, ib)
        sets = unique_shingle_sets(self.minhasher_.shingle([corpus.texts[lo], corpus.texts[hi]]))
        sub = self._score_pair_fresh(lo, hi, sets)
        kind = str(self._decide(sub)[0])
        scores = {k: v[0] for k, v in sub.items()}
        if self.rules is None and "probability" in sub:
            one = np.array([[lo, hi]])
            reasons = Pairs(self.corpus_.ids, one, np.array([kind], dtype=object), sub, model=self.model_).reasons
        else:
            reasons = tuple(rule_reasons(sub, self.rules))
        return explain_pair(self.result_, a, b, scores=scores, kind=kind, reasons=reasons)

    def score_pairs(self, pairs: np.ndarray) -> dict[str, np.ndarray]:
        """Every pair score of any pairs of the fitted corpus (candidates or not).

        Parameters
        ----------
        pairs : array-like of int, shape (m, 2)
            Positions ``i < j`` in the fitted corpus.

        Returns
        -------
        dict of str to numpy.ndarray
            One array per name of :data:`~spindetect.decide.kinds.SCORE_NAMES`.
        """
        check_fitted(self, "result_")
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        sets = unique_shingle_sets(self.minhasher_.shingle(list(self.corpus_.texts)))
        return self._score(list(self.corpus_.texts), pairs, sets)

    def _score_pair_fresh(self, ia: int, ib: int, sets: list[np.ndarray]) -> dict[str, np.ndarray]:
        full: list[np.ndarray] = [np.zeros(0, np.uint32)] * len(self.corpus_)
        full[ia], full[ib] = sets
        return self._score(list(self.corpus_.texts), np.array([[ia, ib]], dtype=np.int64), full)


def _other_containment(con: np.ndarray, sizes: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Containment of the *larger* set in the smaller one, from the containment of the smaller."""
    sa, sb = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
    return con * np.minimum(sa, sb) / np.maximum(np.maximum(sa, sb), 1)


def _scan_result(
    corpus: Corpus, signed: Signed, clustering: Clustering, boiler: Boilerplate, pairs: Pairs, **extra: Any
) -> ScanResult:
    """The frozen result of a scan, one entry per document in input order."""
    return ScanResult(
        ids=corpus.ids,
        labels=tuple(corpus.ids[r] for r in clustering.representatives.tolist()),
        kinds=clustering.kinds,
        boilerplate=boiler.fractions,
        notes=signed.notes,
        pairs=pairs,
        clusters=clustering.clusters,
        boilerplate_reports=boiler.reports,
        matches=clustering.matches,
        corpus=corpus,
        **extra,
    )


def _pandas_index(X: Any) -> Any:
    """The index of a pandas Series/DataFrame input (rows stay in input order), else None."""
    module = type(X).__module__ or ""
    if module.startswith("pandas") and type(X).__name__ in ("Series", "DataFrame"):
        return X.index
    return None
