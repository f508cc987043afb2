"""spindetect: find copied, spun and templated text, and how much of each document is boilerplate.

Quick tour::

    import spindetect as sd
    corpus = sd.Corpus.from_dir("data/")
    result = sd.Detector().fit_detect(corpus)
    result.clusters.groups()          # [[id, id, ...], ...]
    result.pairs.to_pandas()          # a, b, kind, jaccard, cosine_word, skeleton, ...
    sd.shared_passages(corpus[0].text, corpus[1].text)

Public names are imported lazily, so ``import spindetect`` (and the CLI's
``--version``) stays fast and scikit-learn is loaded only when needed.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Corpus": "corpus",
    "Document": "corpus",
    "InputIssue": "corpus",
    "as_corpus": "corpus",
    "NormConfig": "normalize",
    "normalize": "normalize",
    "word_tokens": "tokens",
    "hash_shingles": "tokens",
    "MinHasher": "minhash",
    "Signatures": "minhash",
    "LSHIndex": "lsh",
    "candidate_pairs": "lsh",
    "optimal_bands": "lsh",
    "TfidfSimilarity": "tfidf",
    "Pairs": "pairs",
    "Cluster": "results",
    "Clusters": "results",
    "ScanResult": "results",
    "Detector": "detector",
    "Deduplicator": "dedup",
    "BoilerplateScorer": "boilerplate",
    "BoilerplateReport": "boilerplate",
    "BoilerplateSpan": "boilerplate",
    "highlight_html": "boilerplate",
    "shared_passages": "passages",
    "SharedPassage": "passages",
    "template": "template",
    "Template": "template",
    "StructureIndex": "structure",
    "KindRules": "kinds",
    "classify": "kinds",
    "KINDS": "kinds",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'spindetect' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
