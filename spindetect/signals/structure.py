"""Structure signals of a whole corpus: candidate pairs and per-pair scores.

:class:`StructureIndex` computes, for every document, the layout skeleton
(:mod:`spindetect.layout`), the SpotSigs and masked shingles
(:mod:`spindetect.signatures`) and a corpus-wide passage index
(:mod:`spindetect.passages`).  It proposes candidate pairs without comparing
all pairs of documents:

* MinHash-LSH (:mod:`spindetect.minhash`, :mod:`spindetect.lsh`) over the
  *structural* skeleton shingles (code n-grams that contain at least one
  heading, list item, short line or echo; a page of paragraphs only has none),
  over SpotSigs and over masked shingles;
* documents that share at least ``min_shared_passages`` rare passages (a
  passage in at most ``max_passage_df`` of the corpus) or at least
  ``min_shared_frames`` rare masked shingles, found by sorting
  (key, document) rows, so each key costs time linear in its frequency
  (large runs emit a star and a chain, not all pairs).

:meth:`StructureIndex.score_pairs` returns, for any pairs:

``skeleton``
    :func:`spindetect.layout.skeleton_similarity` of the two layouts;
``skeleton_info``
    the smaller :func:`spindetect.layout.skeleton_info` of the two (how much
    a layout match can mean: 0 for pages of paragraphs only);
``spotsig``
    Jaccard similarity of the two SpotSig sets;
``masked``
    Jaccard similarity of the two masked-shingle sets (0 when one document
    has fewer than ``min_frames`` of them: a title or a one-line text has
    one generic frame that matches any other of its shape);
``shared_rare``
    rarity-weighted shared-passage evidence, see :class:`spindetect.passages.PassageIndex`.

Every score is a float64 in ``[0, 1]`` and symmetric; ``spotsig`` and
``masked`` are 1.0 for equal normalised texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator

from .._pairs import intersection_sizes, run_pairs, set_jaccard, unique_pairs
from .._validation import Interval, check_fitted, check_texts, validate_params
from ..text.tokens import Shingles, TokenBatch, content_ranks, hash_terms, token_batches
from .layout import Skeleton, pairwise_skeleton_similarity, skeleton, skeleton_info, skeleton_shingles
from .lookup import row_unique, run_starts, sorted_unique, split_rows
from .lsh import candidate_pairs, top_k_pairs
from .minhash import MinHasher
from .passages import PassageIndex
from .stopsigs import batch_classes, masked_core, spot_core

__all__ = ["StructureIndex", "SCORE_NAMES", "shared_key_pairs", "pairs_from_runs"]

#: Names of the scores returned by :meth:`StructureIndex.score_pairs`.
SCORE_NAMES = ("skeleton", "skeleton_info", "spotsig", "masked", "shared_rare")

def _unique_sets(sh: Shingles) -> list[np.ndarray]:
    return split_rows(*row_unique(sh.hashes, sh.indptr))


def _to_shingles(sets: Sequence[np.ndarray]) -> Shingles:
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in sets], out=indptr[1:])
    hashes = np.concatenate(sets).astype(np.uint32) if sets else np.zeros(0, np.uint32)
    return Shingles(hashes=hashes, indptr=indptr)


def _key_runs(keys: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sort (key, document) rows by key: documents, key, start and size of every run of one key."""
    order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    starts = run_starts(keys)
    sizes = np.diff(np.concatenate([starts, [len(keys)]]))
    return docs, keys[starts], starts, sizes


def _run_cost(sizes: np.ndarray, max_run: int) -> np.ndarray:
    """Pairs a run emits: all of them up to ``max_run`` documents, else a star and a chain."""
    sizes = sizes.astype(np.int64)
    return np.where(sizes <= max_run, sizes * (sizes - 1) // 2, 2 * (sizes - 1))


def _jaccard(
    sets: Sequence[np.ndarray], pairs: np.ndarray, digests: Sequence[bytes], min_size: int = 0
) -> np.ndarray:
    """Jaccard similarity of the sets of each pair.

    Equal normalised texts (and a document with itself) give 1.0.  Otherwise
    a pair where one set has fewer than ``min_size`` elements gives 0.0 (too
    little to compare; two empty sets included).
    """
    inter, size_a, size_b = intersection_sizes(sets, pairs)
    out = set_jaccard(inter, size_a, size_b)
    out[np.minimum(size_a, size_b) < min_size] = 0.0
    same = np.fromiter((i == j or digests[i] == digests[j] for i, j in pairs.tolist()), bool, len(pairs))
    out[same] = 1.0
    return out


def shared_key_pairs(
    keys: np.ndarray, docs: np.ndarray, n_docs: int, *, min_shared: int, max_candidates: int, pair_budget: int,
    max_run: int, ranks: np.ndarray | None = None,
) -> np.ndarray:
    """Pairs of documents holding at least ``min_shared`` common keys, the best ``max_candidates`` a document.

    ``keys`` and ``docs`` are parallel arrays of (key, document) rows, one row
    per distinct key of a document.  See :func:`pairs_from_runs` for the budget
    and ``ranks``.
    """
    if len(keys) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    return pairs_from_runs(
        *_key_runs(keys, docs), n_docs, min_shared=min_shared, max_candidates=max_candidates,
        pair_budget=pair_budget, max_run=max_run, ranks=ranks,
    )


def pairs_from_runs(
    docs: np.ndarray, run_keys: np.ndarray, starts: np.ndarray, sizes: np.ndarray, n: int, *, min_shared: int,
    max_candidates: int, pair_budget: int, max_run: int, ranks: np.ndarray | None = None,
) -> np.ndarray:
    """Pairs of documents in at least ``min_shared`` common runs (keys), the best ``max_candidates`` a document.

    Keys are taken rarest first (then by value) while the pairs they emit
    stay within ``pair_budget`` per document, so the work is linear in the
    corpus size even where every document shares phrases with many others.
    With ``ranks`` (a content key per document) the members of large runs and
    the ties of the per-document best are ordered by content, so the pairs do
    not depend on the input order.
    """
    multi = sizes >= 2
    run_keys, starts, sizes = run_keys[multi], starts[multi], sizes[multi]
    if len(sizes) == 0 or n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    cost = _run_cost(sizes, max_run)
    order = np.lexsort((run_keys, sizes))  # rarest first; ties by key value
    within = np.cumsum(cost[order]) <= pair_budget * n
    chosen = np.sort(order[within])
    codes, counts = _shared_pair_counts(
        docs, starts[chosen], sizes[chosen], cost[chosen], n, max_run, ranks, min_shared
    )
    if len(codes) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    uniq = np.stack([codes // n, codes % n], axis=1)
    return uniq[top_k_pairs(uniq, counts.astype(float), max_candidates, ranks)]


#: Pairs emitted at once by :func:`_shared_pair_counts` (48 bytes each while counted: some 100 MB).
#: The budget allows 256 a document, most of them repeats (a copy shares every passage):
#: emitting them all at once held 25M pairs (1.2 GB) for 100,000 documents.
_PAIR_CHUNK = 1 << 21

#: Pair codes ``lo * n + hi`` are filed in parts of consecutive ``lo`` spanning fewer
#: codes than this, so that a code is kept as a uint32 offset within its part.
_CODE_SPAN = 1 << 32

#: Parts the codes are filed in at least (each part is sorted and counted on its own).
_MIN_PARTS = 8


def _shared_pair_counts(  # noqa: PLR0913 (pairs_from_runs' arrays, passed through)
    docs: np.ndarray, starts: np.ndarray, sizes: np.ndarray, cost: np.ndarray, n: int, max_run: int,
    ranks: np.ndarray | None, min_shared: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs at least ``min_shared`` runs emit (code ``lo * n + hi``, sorted) and how many runs emit each.

    Runs are expanded about :data:`_PAIR_CHUNK` pairs at a time; each chunk's
    distinct pairs are counted and filed by their smaller document in parts
    (12 bytes a distinct pair of a chunk, most of them emitted once: 20M at
    100,000 documents); then each part's counts are added up on its own and
    only the pairs of ``min_shared`` runs or more are kept.
    """
    parts = _CodeParts(n)
    ends = np.cumsum(cost)
    lo_run = 0
    while lo_run < len(sizes):
        done = ends[lo_run - 1] if lo_run else 0
        hi_run = max(int(np.searchsorted(ends, done + _PAIR_CHUNK, side="right")), lo_run + 1)
        parts.add(*_chunk_counts(run_pairs(docs, starts[lo_run:hi_run], sizes[lo_run:hi_run], max_run, ranks), n))
        lo_run = hi_run
    return parts.totals(min_shared)


class _CodeParts:
    """Counted pair codes filed by the range of their smaller document, as uint32 offsets and counts."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.width = max(1, min((_CODE_SPAN - 1) // max(n, 1), -(-n // _MIN_PARTS)))  # documents a part
        self.offsets: list[list[np.ndarray]] = [[] for _ in range(-(-n // self.width))]
        self.counts: list[list[np.ndarray]] = [[] for _ in range(len(self.offsets))]

    def add(self, codes: np.ndarray, counts: np.ndarray) -> None:
        """File sorted distinct ``codes`` and their counts."""
        bounds = np.searchsorted(codes, np.arange(len(self.offsets) + 1, dtype=np.int64) * self.width * self.n)
        for p, (a, b) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist())):
            if b > a:
                self.offsets[p].append((codes[a:b] - p * self.width * self.n).astype(np.uint32))
                self.counts[p].append(counts[a:b].astype(np.uint32))

    def totals(self, min_shared: int) -> tuple[np.ndarray, np.ndarray]:
        """Every code counted ``min_shared`` times or more (sorted) and its count; empties the parts."""
        codes, counts = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        for p in range(len(self.offsets)):
            offsets, part_counts = _concat_clear(self.offsets[p]), _concat_clear(self.counts[p])
            order = np.argsort(offsets, kind="stable")
            offsets, part_counts = offsets[order], part_counts[order]
            del order
            first = run_starts(offsets)
            total = np.add.reduceat(part_counts, first).astype(np.int64) if len(first) else np.zeros(0, np.int64)
            ok = total >= min_shared
            codes.append(offsets[first[ok]].astype(np.int64) + p * self.width * self.n)
            counts.append(total[ok])
        return np.concatenate(codes), np.concatenate(counts)


def _concat_clear(arrays: list[np.ndarray]) -> np.ndarray:
    """The arrays joined (uint32), emptying the list."""
    out = np.concatenate(arrays) if arrays else np.zeros(0, np.uint32)
    arrays.clear()
    return out


def _chunk_counts(pairs: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct pair codes ``lo * n + hi`` of ``pairs`` (sorted) and the times each occurs."""
    if len(pairs) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    codes = np.minimum(pairs[:, 0], pairs[:, 1]) * n + np.maximum(pairs[:, 0], pairs[:, 1])
    del pairs
    codes.sort()
    first = run_starts(codes)
    return codes[first], np.diff(np.r_[first, len(codes)])


class StructureIndex(BaseEstimator):
    """Layout, stopword-signature and shared-passage signals of a corpus.

    Parameters
    ----------
    spotsig_k : int, default=2
        Non-stopwords chained after each SpotSigs antecedent.
    masked_ngram : int, default=8
        Tokens per masked shingle.
    skeleton_ngram : int, default=4
        Blocks per skeleton shingle.
    passage_ngram : int, default=8
        Words per long-run passage.
    num_perm : int, default=64
        MinHash permutations used for candidate generation.
    skeleton_threshold, spotsig_threshold, masked_threshold : float
        Jaccard thresholds of the LSH over structural skeleton shingles
        (default 0.6), SpotSigs (default 0.3) and masked shingles (default 0.2).
    max_passage_df : float, default=0.5
        Passages in more than this share of the documents do not propose
        candidates (they still count, with a low weight, in ``shared_rare``).
    min_shared_passages : int, default=2
        Distinct rare passages two documents must share to become candidates.
    max_frame_df : float, default=0.02
        Masked shingles (sentence frames) in at most this share of the
        documents (and at most ``max_run`` documents) are rare frames.
    min_shared_frames : int, default=8
        Distinct rare frames two documents must share to become candidates
        (template pages whose slots and free text break every other signal).
    min_frames : int, default=10
        A document with fewer distinct masked shingles is too short to be
        compared on frames: its ``masked`` score with any other text is 0
        (1 with an equal text).
    max_run : int, default=64
        Largest bucket that emits all its pairs.
    max_candidates : int, default=5
        Each source keeps, for every document, its ``max_candidates`` best
        candidates (by estimated Jaccard, or by the number of shared rare
        passages or frames), and those tied with the last of them, up to
        twice as many; a pair stays when it is among the best of either
        document.  This keeps the number of pairs linear in the corpus size
        even where many documents share phrases.
    pair_budget : int, default=256
        Shared passages and frames propose pairs from their rarest keys first,
        stopping before the pairs emitted exceed ``pair_budget`` per document
        (a key held by ``d`` documents emits ``d (d - 1) / 2`` pairs, or
        ``2 (d - 1)`` above ``max_run``).  Keeps time and memory linear in the
        corpus size; the keys left out are the commonest.
    seed : int, default=1
        Seed of the MinHash permutations.

    Attributes
    ----------
    n_docs_ : int
    skeletons_ : list of Skeleton
    spotsigs_, masked_ : list of numpy.ndarray
        Sorted distinct uint32 hashes of each document.
    passages_ : PassageIndex
    candidate_pairs_ : numpy.ndarray of int64, shape (m, 2)
        Sorted unique pairs ``i < j`` worth scoring.
    """

    def __init__(  # noqa: PLR0913 (settings are keyword-only parameters, as in scikit-learn)
        self,
        *,
        spotsig_k: int = 2,
        masked_ngram: int = 8,
        skeleton_ngram: int = 4,
        passage_ngram: int = 8,
        num_perm: int = 64,
        skeleton_threshold: float = 0.6,
        spotsig_threshold: float = 0.3,
        masked_threshold: float = 0.2,
        max_passage_df: float = 0.5,
        min_shared_passages: int = 2,
        max_frame_df: float = 0.02,
        min_shared_frames: int = 8,
        min_frames: int = 10,
        max_run: int = 64,
        max_candidates: int = 5,
        pair_budget: int = 256,
        seed: int = 1,
    ) -> None:
        self.spotsig_k = spotsig_k
        self.masked_ngram = masked_ngram
        self.skeleton_ngram = skeleton_ngram
        self.passage_ngram = passage_ngram
        self.num_perm = num_perm
        self.skeleton_threshold = skeleton_threshold
        self.spotsig_threshold = spotsig_threshold
        self.masked_threshold = masked_threshold
        self.max_passage_df = max_passage_df
        self.min_shared_passages = min_shared_passages
        self.max_frame_df = max_frame_df
        self.min_shared_frames = min_shared_frames
        self.min_frames = min_frames
        self.max_run = max_run
        self.max_candidates = max_candidates
        self.pair_budget = pair_budget
        self.seed = seed

    _parameter_constraints: dict = {
        **{name: [Interval(Integral, 1, None, closed="left")] for name in (
            "spotsig_k", "masked_ngram", "skeleton_ngram", "num_perm", "max_run", "max_candidates", "pair_budget",
            "min_shared_passages", "min_shared_frames",
        )},
        "passage_ngram": [Interval(Integral, 2, None, closed="left")],
        **{name: [Interval(Real, 0, 1, closed="neither")] for name in (
            "skeleton_threshold", "spotsig_threshold", "masked_threshold",
        )},
        "max_passage_df": [Interval(Real, 0, 1, closed="right")],
        "max_frame_df": [Interval(Real, 0, 1, closed="right")],
        "min_frames": [Interval(Integral, 0, None, closed="left")],
        "seed": [Interval(Integral, 0, None, closed="left")],
    }

    def fit(self, texts: Sequence[str]) -> StructureIndex:
        """Compute every document's signals and the candidate pairs.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        self

        Raises
        ------
        TypeError
            If ``texts`` is a single ``str`` or contains a non-``str``.
        """
        texts = check_texts(texts, "StructureIndex.fit")
        validate_params(self)
        n = len(texts)
        self.n_docs_ = n
        self.skeletons_ = [skeleton(t) for t in texts]
        self._info = np.array([skeleton_info(s) for s in self.skeletons_], dtype=np.float64)
        self.spotsigs_: list[np.ndarray] = []
        self.masked_: list[np.ndarray] = []
        self._digests: list[bytes] = []
        self.passages_ = PassageIndex(ngram=int(self.passage_ngram))._fit_batches(self._token_batches(texts))
        self._ranks = content_ranks(texts, int(self.seed))  # ties of every budget by content, not position
        self.candidate_pairs_ = self._candidates()
        return self

    def _token_batches(self, texts: list[str]) -> Iterator[TokenBatch]:
        """Tokenise ``texts`` batch by batch; record each document's signatures on the way.

        The batches go on to the passage index; only the per-document sets stay.
        """
        for batch in token_batches(texts):
            th, indptr = batch.hashes, batch.indptr
            stop, ante, num = batch_classes(batch)
            self.spotsigs_.extend(_unique_sets(spot_core(th, stop, ante, indptr, int(self.spotsig_k), 6)))
            self.masked_.extend(_unique_sets(masked_core(th, stop, num, indptr, int(self.masked_ngram), 2)))
            self._digests.extend(
                hashlib.blake2b(th[indptr[d] : indptr[d + 1]].tobytes(), digest_size=16).digest()
                for d in range(batch.n_docs)
            )
            yield batch

    def _structural_sets(self) -> list[np.ndarray]:
        sets = []
        for sk in self.skeletons_:
            shingles = [
                s for s in skeleton_shingles(sk, int(self.skeleton_ngram)) if any(c[0] != "P" for c in s.split("|"))
            ]
            if shingles:
                h = (hash_terms(shingles) >> np.uint64(32)).astype(np.uint32)
                sets.append(sorted_unique(h))
            else:
                sets.append(np.zeros(0, dtype=np.uint32))
        return sets

    def _candidates(self) -> np.ndarray:
        n = self.n_docs_
        if n < 2:
            return np.zeros((0, 2), dtype=np.int64)
        hasher = MinHasher(num_perm=int(self.num_perm), seed=int(self.seed)).fit()
        found = []
        for sets, threshold in (
            (self._structural_sets(), self.skeleton_threshold),
            (self.spotsigs_, self.spotsig_threshold),
            (self.masked_, self.masked_threshold),
        ):
            sig = hasher.sign_shingles(_to_shingles(sets))
            pairs = candidate_pairs(sig, threshold=float(threshold), max_run=int(self.max_run), ranks=self._ranks)
            found.append(pairs[top_k_pairs(pairs, sig.jaccard(pairs), int(self.max_candidates), self._ranks)])
        found.append(self._passage_candidates())
        found.append(self._frame_candidates())
        return unique_pairs(np.concatenate(found))

    def _frame_candidates(self) -> np.ndarray:
        """Pairs sharing at least ``min_shared_frames`` rare masked shingles."""
        n = self.n_docs_
        sets = self.masked_
        if n < 2:
            return np.zeros((0, 2), dtype=np.int64)
        keys = np.concatenate(sets) if sets else np.zeros(0, np.uint32)
        docs = np.repeat(np.arange(n, dtype=np.int64), [len(s) for s in sets])
        _, inv, cnt = np.unique(keys, return_inverse=True, return_counts=True)
        df = cnt[inv]
        max_df = max(2, min(int(self.max_frame_df * n), int(self.max_run)))
        keep = (df >= 2) & (df <= max_df)
        return self._shared_key_pairs(keys[keep], docs[keep], int(self.min_shared_frames))

    def _passage_candidates(self) -> np.ndarray:
        max_df = max(2, int(np.floor(self.max_passage_df * self.n_docs_)))
        return self._pairs_from_runs(*self.passages_._runs(2, max_df), int(self.min_shared_passages))

    def _shared_key_pairs(self, keys: np.ndarray, docs: np.ndarray, min_shared: int) -> np.ndarray:
        """Pairs of documents sharing at least ``min_shared`` keys, the best ``max_candidates`` a document."""
        if len(keys) == 0:
            return np.zeros((0, 2), dtype=np.int64)
        return self._pairs_from_runs(*_key_runs(keys, docs), min_shared)

    def _pairs_from_runs(
        self, docs: np.ndarray, run_keys: np.ndarray, starts: np.ndarray, sizes: np.ndarray, min_shared: int
    ) -> np.ndarray:
        return pairs_from_runs(
            docs, run_keys, starts, sizes, self.n_docs_, min_shared=min_shared,
            max_candidates=int(self.max_candidates), pair_budget=int(self.pair_budget), max_run=int(self.max_run),
            ranks=self._ranks,
        )

    def score_pairs(self, pairs: np.ndarray) -> dict[str, np.ndarray]:
        """Structure scores of document pairs.

        Parameters
        ----------
        pairs : array-like of int, shape (m, 2)
            Positions of documents in the fitted corpus.

        Returns
        -------
        dict of str to numpy.ndarray of float64
            ``skeleton``, ``skeleton_info``, ``spotsig``, ``masked`` and
            ``shared_rare`` (see the module docstring), each of shape ``(m,)``.

        Raises
        ------
        NotFittedError
            Before :meth:`fit`.
        IndexError
            If a position is outside the fitted corpus.
        """
        check_fitted(self, "candidate_pairs_")
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if len(pairs) and (pairs.min() < 0 or pairs.max() >= self.n_docs_):
            raise IndexError(f"pair positions must be in [0, {self.n_docs_}), got {pairs.min()}..{pairs.max()}")
        sk = self.skeletons_
        skel = pairwise_skeleton_similarity(sk, pairs)
        info = np.minimum(self._info[pairs[:, 0]], self._info[pairs[:, 1]]) if len(pairs) else np.zeros(0)
        return {
            "skeleton": skel,
            "skeleton_info": info.astype(np.float64),
            "spotsig": _jaccard(self.spotsigs_, pairs, self._digests),
            "masked": _jaccard(self.masked_, pairs, self._digests, int(self.min_frames)),
            "shared_rare": self.passages_.score_pairs(pairs),
        }

    def skeleton_of(self, i: int) -> Skeleton:
        """The layout skeleton of document ``i`` of the fitted corpus."""
        check_fitted(self, "candidate_pairs_")
        return self.skeletons_[i]
