"""Copies of one text in a corpus: exact copies and near-duplicates, as group labels.

Copies of one text count once in the document frequencies of the boilerplate
scorer: what a page shares only with its own copies is its content.  The
scorer finds them itself, so that ``scan``, ``spindetect boilerplate`` and
:class:`~spindetect.boilerplate.scorer.BoilerplateScorer` give one answer.
Near-duplicates are found with the project's MinHash signatures and LSH
banding (word 5-gram Jaccard estimated >= :data:`COPY_JACCARD`), which is
linear in the corpus plus the colliding pairs.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from ..decide.cluster import connected_labels
from ..signals.lsh import candidate_pairs
from ..signals.minhash import MinHasher

__all__ = ["COPY_JACCARD", "copy_groups"]

#: Estimated word 5-gram Jaccard from which two documents are copies of one text
#: (the near-duplicate level of the detector's kind rule).
COPY_JACCARD = 0.8


def copy_groups(docs: list[str], *, seed: int = 1) -> list[Hashable | None] | None:
    """Group label of every document that has a copy (``None`` otherwise); ``None`` if none has.

    Identical texts are one group; so are documents joined by a chain of
    near-duplicate pairs.
    """
    n = len(docs)
    if n < 2:
        return None
    first: dict[str, int] = {}
    exact = np.fromiter((first.setdefault(t, i) for i, t in enumerate(docs)), dtype=np.int64, count=n)
    edges = [np.column_stack([np.arange(n), exact])[exact != np.arange(n)]]
    distinct = np.unique(exact)
    if len(distinct) > 1:
        signatures = MinHasher(seed=seed).fit().transform([docs[i] for i in distinct.tolist()])
        pairs = candidate_pairs(signatures, threshold=COPY_JACCARD)
        if len(pairs):
            near = pairs[signatures.jaccard(pairs) >= COPY_JACCARD]
            near = near[~signatures.empty[near].any(axis=1)]
            edges.append(distinct[near])
    all_edges = np.concatenate(edges).astype(np.int64).reshape(-1, 2)
    if len(all_edges) == 0:
        return None
    labels = connected_labels(n, all_edges)
    sizes = np.bincount(labels, minlength=n)
    return [int(lab) if sizes[lab] > 1 else None for lab in labels.tolist()]
