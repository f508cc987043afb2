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
    "Corpus": "text.corpus",
    "Document": "text.corpus",
    "InputIssue": "text.corpus",
    "as_corpus": "text.corpus",
    "NormConfig": "text.normalize",
    "normalize": "text.normalize",
    "word_tokens": "text.tokens",
    "hash_shingles": "text.tokens",
    "MinHasher": "signals.minhash",
    "Signatures": "signals.minhash",
    "LSHIndex": "signals.index",
    "candidate_pairs": "signals.lsh",
    "optimal_bands": "signals.lsh",
    "TfidfSimilarity": "signals.tfidf",
    "Pairs": "decide.pairs",
    "Cluster": "decide.describe",
    "Clusters": "decide.describe",
    "ScanResult": "report.results",
    "Detector": "detector",
    "Deduplicator": "dedup",
    "BoilerplateScorer": "boilerplate.scorer",
    "BoilerplateReport": "boilerplate.report",
    "BoilerplateSpan": "boilerplate.report",
    "highlight_html": "boilerplate.report",
    "shared_passages": "signals.passages",
    "SharedPassage": "signals.passages",
    "template": "report.template",
    "Template": "report.template",
    "StructureIndex": "signals.structure",
    "KindRules": "decide.kinds",
    "classify": "decide.kinds",
    "KINDS": "decide.kinds",
    "Kind": "decide.kinds",
    "PairModel": "decide.model",
    "OutlineIndex": "signals.outline",
    "StyleProfiles": "signals.style",
    "RepeatedLines": "signals.repeated",
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
