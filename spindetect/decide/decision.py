"""The kind of every scored pair: by the pair model, or by the opt-in rules; again for a stored scan."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .cluster import default_lift
from .kinds import KindRules, classify, frames_kept, name_kinds
from .model import PairModel
from .pairs import Pairs
from .relative import lift, standing

__all__ = ["decide_kinds", "redecide", "relative_probability"]


def decide_kinds(
    scores: Mapping[str, np.ndarray],
    *,
    rules: KindRules | None = None,
    model: PairModel | None = None,
    index: np.ndarray | None = None,
    n_docs: int = 0,
) -> np.ndarray:
    """Kind of every pair: by the pair model, or by ``rules`` when given.

    Parameters
    ----------
    scores : mapping of str to numpy.ndarray
        Every score of every pair.  When it is a ``dict`` and the model
        decides, the model's probability is added as ``probability``.
    rules : KindRules, optional
        Decide with the hand-set rule of :func:`~spindetect.decide.kinds.classify`.
    model : PairModel, optional
        The pair model (the shipped one when None); a pair is accepted from
        its threshold on, or when its sentence frames are kept
        (:func:`~spindetect.decide.kinds.frames_kept`).
    index : numpy.ndarray of int64, shape (m, 2), optional
        The pairs themselves (a scan's candidates, positions in a corpus of
        ``n_docs`` documents).  Given, the model's probability is placed in
        each document's candidate list and a pair that stands out is
        accepted as the shipped corpus-relative acceptance says
        (:func:`~spindetect.decide.relative.lift`); the scores then also get
        ``probability_model`` (the model's own) and ``probability_z``.

    Returns
    -------
    numpy.ndarray of object
        One kind per pair.
    """
    if len(scores["exact"]) == 0:
        return np.zeros(0, dtype=object)
    if rules is not None:
        return np.asarray(classify(scores, rules), dtype=object)
    model = PairModel.load() if model is None else model
    prob = model.predict_proba(model.matrix(scores))
    if index is not None and isinstance(scores, dict):
        prob = relative_probability(scores, prob, index, n_docs)
    if isinstance(scores, dict):
        scores["probability"] = prob
    return name_kinds(scores, (prob >= model.threshold) | frames_kept(scores))


def relative_probability(
    scores: dict[str, np.ndarray], prob: np.ndarray, index: np.ndarray, n_docs: int
) -> np.ndarray:
    """``prob`` after the shipped corpus-relative acceptance; adds ``probability_model`` and ``probability_z``."""
    z = standing(index, prob, n_docs)
    z_min, to = default_lift()
    scores["probability_model"] = np.asarray(prob, dtype=float)
    scores["probability_z"] = z
    return lift(prob, z, z_min=z_min, to=to)


def redecide(pairs: Pairs, *, rules: KindRules | None = None, threshold: float | None = None) -> Pairs:
    """The stored ``pairs`` decided again, without computing any score.

    Parameters
    ----------
    pairs : Pairs
        Pairs of a scan, with every score.
    rules : KindRules, optional
        Decide with these rules (when None: the pair model that decided the
        scan, ``pairs.model``, or the shipped one when the scan kept none).
    threshold : float, optional
        Accept a pair when its stored pair-model ``probability`` reaches this
        (kinds named as by the model); only for scans decided by the model.

    Returns
    -------
    Pairs
        The same pairs and scores with new kinds.

    Raises
    ------
    ValueError
        With ``threshold`` for pairs that carry no ``probability``.
    """
    model = pairs.model if rules is None else None
    scores = dict(pairs.scores)
    if threshold is None:
        kinds = decide_kinds(scores, rules=rules, model=model, index=pairs.index, n_docs=len(pairs.ids))
    elif "probability" in pairs.scores:
        accepted = (np.asarray(pairs.scores["probability"]) >= threshold) | frames_kept(pairs.scores)
        kinds = name_kinds(pairs.scores, accepted)
    else:
        raise ValueError("threshold applies to scans decided by the pair model; this one was decided by rules")
    return Pairs(pairs.ids, pairs.index, kinds, scores, rules=rules, model=model)
