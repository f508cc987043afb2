"""The segment model: named features, weights loaded from JSON, the probability of boilerplate.

One model decides every segment (sentence) from both kinds of evidence at
once, in two logistic stages:

1. *Evidence stage*: single-page features of the segment and its line
   (:data:`chrome.PAGE_FEATURES`, :data:`SEGMENT_FEATURES`: length, stopword
   density, navigation words, separators, position, neighbouring lines) next
   to corpus features (:data:`CORPUS_FEATURES`: coverage by passages shared
   with other pages and how many pages, and :data:`SITE_FEATURES`: how the
   segment's document frequency compares with the most shared text of its own
   page, which is high for a site's menus and footers whatever the size of the
   site).  A page that shares nothing with the corpus has corpus features of
   zero and is judged on its page alone.
2. *Context stage* (jusText's context smoothing, learned): the first stage's
   logit and the probabilities of the two segments before and after and of the
   whole page (character-weighted mean), weighted by how short the segment is -
   a short line between two content paragraphs is content, the same line
   inside a menu is not.

Two regimes, each with its own two stages, chosen per document by a feature
the corpus gives (:func:`corpus_regime`): a page of which at least a few
percent of the words lie in passages shared with other documents (its site's
menus and footers, in a crawl that holds several pages of the site) is decided
by the *corpus* regime's weights, fitted on pages scored together with the
rest of their corpus; any other page - alone, sharing next to nothing, or
shorter than the web pages that regime was fitted on - by
the *lone* regime's weights, which also saw pages judged on their own and
chrome-free prose, so that the article lines of a lone page are not chrome.

Every feature has a name; the JSON weights list the names of their columns
and :func:`load_weights` refuses weights whose names this version does not
compute.  The numbers are fitted by ``benchmarks/fit_boilerplate.py``
(site-grouped, out of fold; see its docstring) and shipped as
``resources/boilerplate_weights.json``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import numpy as np

from . import chrome
from .evidence import CORPUS_FEATURES, SEGMENT_FEATURES, _Evidence

__all__ = [
    "EVIDENCE_FEATURES",
    "CONTEXT_FEATURES",
    "SITE_FEATURES",
    "corpus_regime",
    "load_weights",
    "relative_log_df",
]

#: Corpus features relative to the segment's own page (see :func:`_site_features`).
SITE_FEATURES: tuple[str, ...] = (
    "relative_log_df",
    "page_max_log_df",
    "prev_shared_cov",
    "next_shared_cov",
    "relative_doc_cov",
)
#: Inputs of the evidence stage, by name.
EVIDENCE_FEATURES: tuple[str, ...] = chrome.PAGE_FEATURES + SEGMENT_FEATURES + CORPUS_FEATURES + SITE_FEATURES
#: Inputs of the context stage, by name.
CONTEXT_FEATURES: tuple[str, ...] = ("evidence_logit", "prev_p", "next_p", "prev2_p", "next2_p", "page_mean_p")


def _neighbour(values: np.ndarray, doc: np.ndarray, step: int, fill: float) -> np.ndarray:
    """Value of the segment ``step`` segments away in the same document (``fill`` outside)."""
    return chrome._neighbour(values, doc, step, fill)


def _per_doc_max(values: np.ndarray, doc: np.ndarray, n_docs: int) -> np.ndarray:
    out = np.zeros(n_docs)
    np.maximum.at(out, doc, values)
    return out[doc]


def _per_doc_mean(values: np.ndarray, weights: np.ndarray, doc: np.ndarray, n_docs: int) -> np.ndarray:
    total = np.bincount(doc, weights=weights, minlength=n_docs)
    return (np.bincount(doc, weights=values * weights, minlength=n_docs) / np.maximum(total, 1.0))[doc]


def relative_log_df(ev: _Evidence) -> np.ndarray:
    """Log document frequency of each segment over the highest of its page (0 to 1).

    On a site with many pages in the corpus its menus occur in most of them:
    their document frequency is close to the highest of the page whether the
    site has 5 pages or 500, while the article's sentences occur once.
    """
    log_df = ev.corpus[:, CORPUS_FEATURES.index("shared_log_df")]
    page_max = _per_doc_max(log_df, ev.doc, ev.n_docs)
    return log_df / np.maximum(page_max, np.log(2.0))


def _site_features(ev: _Evidence) -> dict[str, np.ndarray]:
    """Corpus evidence measured against the segment's own page (see :func:`relative_log_df`)."""
    shared = ev.corpus[:, CORPUS_FEATURES.index("shared_cov")]
    log_df = ev.corpus[:, CORPUS_FEATURES.index("shared_log_df")]
    doc_cov = ev.corpus[:, CORPUS_FEATURES.index("doc_shared_cov")]
    page_max = _per_doc_max(log_df, ev.doc, ev.n_docs)
    relative = log_df / np.maximum(page_max, np.log(2.0))
    return {
        "relative_log_df": relative,
        "page_max_log_df": page_max,
        "prev_shared_cov": _neighbour(shared, ev.doc, -1, 0.0),
        "next_shared_cov": _neighbour(shared, ev.doc, 1, 0.0),
        "relative_doc_cov": relative * doc_cov,
    }


def evidence_features(ev: _Evidence) -> dict[str, np.ndarray]:
    """Every input of the evidence stage, one array per name of :data:`EVIDENCE_FEATURES`."""
    names = chrome.PAGE_FEATURES + SEGMENT_FEATURES
    out = {name: ev.page[:, k] for k, name in enumerate(names)}
    out.update({name: ev.corpus[:, k] for k, name in enumerate(CORPUS_FEATURES)})
    out.update(_site_features(ev))
    return out


# Characters at which a segment's neighbours weigh half as much as for a
# segment of no length (jusText trusts the context of short blocks only).
_CONTEXT_CHARS = 80.0


def context_features(z: np.ndarray, chars: np.ndarray, doc: np.ndarray, n_docs: int) -> dict[str, np.ndarray]:
    """Every input of the context stage from the evidence-stage logits ``z``.

    Neighbours' probabilities enter centred and scaled by the shortness of the
    segment, ``1 / (1 + chars / 80)``: a menu item between menu items follows its
    neighbours, a long paragraph between a menu and a footer stays what its
    own evidence says.
    """
    p = _sigmoid(z)
    short = 1.0 / (1.0 + chars / _CONTEXT_CHARS)

    def near(step: int) -> np.ndarray:
        return (_neighbour(p, doc, step, 0.5) - 0.5) * short

    return {
        "evidence_logit": z,
        "prev_p": near(-1),
        "next_p": near(1),
        "prev2_p": near(-2),
        "next2_p": near(2),
        "page_mean_p": (_per_doc_mean(p, chars, doc, n_docs) - 0.5) * short,
    }


def load_weights(source: str | Any | dict | None = None) -> dict[str, Any]:
    """Load and check the weights of the segment model.

    Parameters
    ----------
    source : path, dict or None
        ``None`` loads the weights shipped with the package
        (``spindetect/resources/boilerplate_weights.json``); a dict is checked
        and returned; anything else is read as a JSON file path.

    Returns
    -------
    dict
        The weights, with the keys ``evidence_model`` and ``context_model``
        (each: ``features``, ``mean``, ``scale``, ``coef``, ``intercept``) of
        the lone regime and, optionally, ``corpus_evidence_model``,
        ``corpus_context_model`` and ``gate`` (evidence feature name: lowest
        value) of the corpus regime (see :func:`corpus_regime`).

    Raises
    ------
    ValueError
        If a model is missing or its feature names are not the ones this
        version computes.
    """
    if source is None:
        text = resources.files("spindetect").joinpath("resources/boilerplate_weights.json").read_text(
            encoding="utf-8"
        )
        weights = json.loads(text)
    elif isinstance(source, dict):
        weights = source
    else:
        with open(source, encoding="utf-8") as fh:
            weights = json.load(fh)
    for key, names in (("evidence_model", EVIDENCE_FEATURES), ("context_model", CONTEXT_FEATURES)):
        _check_model(weights, key, names)
    if any(key in weights for key in _CORPUS_REGIME_KEYS):
        _check_model(weights, "corpus_evidence_model", EVIDENCE_FEATURES)
        _check_model(weights, "corpus_context_model", CONTEXT_FEATURES)
        _check_gate(weights.get("gate"))
    return weights


_CORPUS_REGIME_KEYS = ("corpus_evidence_model", "corpus_context_model", "gate")


def _check_gate(gate: Any) -> None:
    ok = isinstance(gate, dict) and gate and all(
        name in EVIDENCE_FEATURES and isinstance(value, (int, float)) for name, value in gate.items()
    )
    if not ok:
        raise ValueError(
            f"boilerplate weights: gate {gate!r} must map evidence features to their lowest value "
            "for the corpus regime; refit with benchmarks/fit_boilerplate.py"
        )


def _check_model(weights: dict[str, Any], key: str, known: tuple[str, ...]) -> None:
    model = weights.get(key)
    if not isinstance(model, dict):
        raise ValueError(f"boilerplate weights: missing {key!r}; refit with benchmarks/fit_boilerplate.py")
    names = list(model.get("features", []))
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise ValueError(
            f"boilerplate weights: {key} features {unknown or names} are not computed by this version "
            f"(known: {list(known)}); refit with benchmarks/fit_boilerplate.py"
        )
    for part in ("coef", "mean", "scale"):
        if len(model.get(part, ())) != len(names):
            raise ValueError(f"boilerplate weights: {key} {part} has {len(model.get(part, ()))} values, expected {len(names)}")


def _logit(model: dict[str, Any], features: dict[str, np.ndarray]) -> np.ndarray:
    """Decision function of a standardised logistic regression over named features."""
    names = model["features"]
    x = np.column_stack([features[n] for n in names]) if len(next(iter(features.values()))) else np.zeros((0, len(names)))
    mean = np.asarray(model["mean"], dtype=np.float64)
    scale = np.asarray(model["scale"], dtype=np.float64)
    return ((x - mean) / scale) @ np.asarray(model["coef"], dtype=np.float64) + float(model["intercept"])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def corpus_regime(features: dict[str, np.ndarray], weights: dict[str, Any]) -> np.ndarray:
    """Flag the segments decided by the corpus regime's weights (all segments of a document alike).

    ``weights["gate"]`` maps evidence features of the document to the lowest
    value they may take in the corpus regime.  The shipped weights ask for
    ``doc_shared_cov >= 0.05`` (at least 5% of the page's words inside passages
    shared with other documents) and ``doc_log_tokens >= log(1 + 100)`` (a page
    of 100 words or more, as the web pages that regime was fitted on); the
    bounds and why are in ``benchmarks/fit_boilerplate.py``.  Weights without a
    corpus regime flag nothing.
    """
    n = len(next(iter(features.values())))
    out = np.full(n, "gate" in weights, dtype=bool)
    for name, lowest in weights.get("gate", {}).items():
        out &= features[name] >= float(lowest)
    return out


def _two_stages(evidence_model: dict[str, Any], context_model: dict[str, Any], features: dict[str, np.ndarray],
                chars: np.ndarray, ev: _Evidence) -> np.ndarray:
    """Probability of boilerplate from one regime's evidence stage, then its context stage."""
    z = _logit(evidence_model, features)
    return _sigmoid(_logit(context_model, context_features(z, chars, ev.doc, ev.n_docs)))


def _boilerplate_probability(ev: _Evidence, chars: np.ndarray, weights: dict[str, Any]) -> np.ndarray:
    """Probability that each segment is boilerplate, from the weights of its document's regime."""
    features = evidence_features(ev)
    p = _two_stages(weights["evidence_model"], weights["context_model"], features, chars, ev)
    corpus = corpus_regime(features, weights)
    if corpus.any():
        p_corpus = _two_stages(weights["corpus_evidence_model"], weights["corpus_context_model"], features, chars, ev)
        p = np.where(corpus, p_corpus, p)
    return p
