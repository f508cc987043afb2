"""The segment model: weights loaded from JSON and the probability that a segment is boilerplate."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import numpy as np

from . import chrome
from .evidence import CORPUS_FEATURES, SEGMENT_FEATURES, _Evidence

__all__ = ["load_weights"]

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
        The weights, with the keys ``page_model``, ``combined_model`` and
        ``blend_doc_coverage``.

    Raises
    ------
    ValueError
        If the feature names do not match the features this version computes.
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
    page_names = list(chrome.PAGE_FEATURES + SEGMENT_FEATURES)
    comb_names = ["page_logit", *CORPUS_FEATURES]
    for key, names in (("page_model", page_names), ("combined_model", comb_names)):
        model = weights.get(key)
        if not isinstance(model, dict):
            raise ValueError(f"boilerplate weights: missing {key!r}")
        if list(model.get("features", [])) != names:
            raise ValueError(
                f"boilerplate weights: {key} features {model.get('features')} do not match "
                f"this version's features {names}; refit with benchmarks/fit_boilerplate.py"
            )
        if len(model["coef"]) != len(names):
            raise ValueError(f"boilerplate weights: {key} has {len(model['coef'])} coefficients, expected {len(names)}")
    if "blend_doc_coverage" not in weights:
        raise ValueError("boilerplate weights: missing 'blend_doc_coverage'")
    return weights


def _logit(model: dict[str, Any], x: np.ndarray) -> np.ndarray:
    coef = np.asarray(model["coef"], dtype=np.float64)
    mean = np.asarray(model.get("mean", np.zeros(len(coef))), dtype=np.float64)
    scale = np.asarray(model.get("scale", np.ones(len(coef))), dtype=np.float64)
    return ((x - mean) / scale) @ coef + float(model["intercept"])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _boilerplate_probability(ev: _Evidence, weights: dict[str, Any], use_corpus: bool) -> np.ndarray:
    """Probability that each segment is boilerplate, from the two logistic models.

    The page model sees only the page; the combined model sees the page
    model's logit and the corpus evidence.  They are blended per document by
    how much of the document the corpus explains at all (``doc_shared_cov``
    over ``blend_doc_coverage``, clipped to 1): a page that shares nothing
    with the corpus is judged by the page model alone.
    """
    z_page = _logit(weights["page_model"], ev.page)
    p_page = _sigmoid(z_page)
    if not use_corpus:
        return p_page
    p_comb = _sigmoid(_logit(weights["combined_model"], np.column_stack([z_page, ev.corpus])))
    doc_cov = ev.corpus[:, CORPUS_FEATURES.index("doc_shared_cov")]
    alpha = np.clip(doc_cov / float(weights["blend_doc_coverage"]), 0.0, 1.0)
    return (1.0 - alpha) * p_page + alpha * p_comb
