"""Why the kind rule named each pair as it did: the clause that fired, with its numbers.

:func:`rule_reasons` reads the clauses of :func:`spindetect.decide.kinds.rule_clauses`
in the order :func:`~spindetect.decide.kinds.classify` resolves them (the
strongest kind wins) and writes, for every pair, the first clause that holds
with the scores it read and the thresholds they passed, e.g.
``near_duplicate: jaccard 0.82 >= 0.5``.  A pair no clause accepts says which
scores fell short.  The text is for people (the ``reason`` column of
``pairs.to_pandas()``, explanations); the kind itself stays the decision.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from .kinds import CLAUSES, REQUIRED_SCORES, KindRules, frames_kept, rule_clauses
from .model import PairModel

__all__ = ["model_reasons", "rule_reasons"]

_Row = Mapping[str, float]


def _exact(v: _Row, r: KindRules) -> str:
    return "exact: equal normalised texts"


def _substitution(v: _Row, r: KindRules) -> str:
    return (
        f"spun: every sentence frame kept (masked {v['masked']:.2f} >= {r.substitution_masked}), "
        f"words swapped (jaccard {v['jaccard']:.2f} < {r.substitution_jaccard}), "
        f"reads alike (cosine_char {v['cosine_char']:.2f} >= {r.spun_cosine_char})"
    )


def _near(v: _Row, r: KindRules) -> str:
    if v["jaccard"] >= r.near_jaccard:
        return f"near_duplicate: jaccard {v['jaccard']:.2f} >= {r.near_jaccard}"
    return f"near_duplicate: containment {v['containment']:.2f} >= {r.near_containment}"


def _spun(v: _Row, r: KindRules) -> str:
    return (
        f"spun: masked {v['masked']:.2f} >= {r.spun_masked}, frames over words "
        f"{v['masked'] - v['jaccard']:.2f} >= {r.spun_frame_excess}, "
        f"cosine_char {v['cosine_char']:.2f} >= {r.spun_cosine_char}"
    )


def _evidence(v: _Row) -> str:
    return f"content evidence {v['evidence']:.2f} (shared_rare {v['shared_rare']:.2f}, masked {v['masked']:.2f})"


def _templated_layout(v: _Row, r: KindRules) -> str:
    return (
        f"templated: same layout (skeleton {v['skeleton']:.2f} >= {r.template_skeleton}, "
        f"skeleton_info {v['info']:.2f} >= {r.template_info_min}) and {_evidence(v)} >= 1"
    )


def _templated_generic(v: _Row, r: KindRules) -> str:
    return (
        f"templated: generic layout (skeleton {v['skeleton']:.2f} >= {r.template_skeleton}) "
        f"and {_evidence(v)} >= {r.template_generic}"
    )


def _templated_strong(v: _Row, r: KindRules) -> str:
    return f"templated: {_evidence(v)} >= {r.template_strong}"


def _templated_topical(v: _Row, r: KindRules) -> str:
    return (
        f"templated: distinctive shared layout (skeleton {v['skeleton']:.2f} >= {r.template_skeleton_topic}, "
        f"skeleton_info {v['info']:.2f} >= {r.template_info}) on one topic "
        f"(cosine_word {v['cosine_word']:.2f} >= {r.template_cosine})"
    )


def _unrelated(v: _Row, r: KindRules) -> str:
    return (
        f"unrelated: no clause holds (jaccard {v['jaccard']:.2f}, masked {v['masked']:.2f}, "
        f"skeleton {v['skeleton']:.2f}, {_evidence(v)})"
    )


_WRITERS: dict[str, Callable[[_Row, KindRules], str]] = {
    "exact": _exact,
    "substitution": _substitution,
    "near": _near,
    "spun": _spun,
    "templated_layout": _templated_layout,
    "templated_generic": _templated_generic,
    "templated_strong": _templated_strong,
    "templated_topical": _templated_topical,
}


def rule_reasons(scores: Mapping[str, np.ndarray], rules: KindRules | None = None) -> list[str]:
    """The clause of the kind rule that named each pair, with its numbers.

    Parameters
    ----------
    scores : mapping of str to numpy.ndarray
        As for :func:`spindetect.decide.kinds.classify`.
    rules : KindRules, optional
        The thresholds the pairs were classified with (default thresholds
        when omitted).

    Returns
    -------
    list of str
        One reason per pair; empty strings when a score the rule needs is
        missing (pairs not named by the rule).
    """
    m = len(next(iter(scores.values()), ()))
    if any(k not in scores for k in REQUIRED_SCORES):
        return [""] * m
    r = rules or KindRules()
    clauses = rule_clauses(scores, r)
    first = np.full(m, len(CLAUSES))
    for k, name in reversed(list(enumerate(CLAUSES))):
        first[clauses[name]] = k
    cols = {k: np.nan_to_num(np.asarray(scores[k], dtype=float), nan=0.0) for k in REQUIRED_SCORES if k != "exact"}
    cols["evidence"], cols["info"] = clauses["evidence"], clauses["info"]
    out = []
    for row, k in enumerate(first.tolist()):
        values = {name: float(col[row]) for name, col in cols.items()}
        write = _WRITERS[CLAUSES[k]] if k < len(CLAUSES) else _unrelated
        out.append(write(values, r))
    return out


def model_reasons(
    scores: Mapping[str, np.ndarray], kinds: Sequence[str], model: PairModel, *, top: int = 3
) -> list[str]:
    """The pair model's probability and the features that moved it most, for each pair.

    Parameters
    ----------
    scores : mapping of str to numpy.ndarray
        The pair scores, with the model's features and ``probability``.
    kinds : sequence of str
        The kind of each pair.
    model : PairModel
        The model that decided the pairs.
    top : int, default=3
        Features named per pair: those that pushed an accepted pair up the
        most, or an ``unrelated`` pair down the most (log-odds, from
        :meth:`PairModel.contributions`).

    Returns
    -------
    list of str
        One reason per pair, e.g. ``"templated: pair model probability 0.62
        (outline_runs +1.10, cosine_char +0.45, style_function +0.30)"``.
        Without the model's features only the probability is given.
    """
    probs = np.asarray(scores["probability"], dtype=float).tolist()
    heads = [f"{k}: pair model probability {p:.2f}" for k, p in zip(kinds, probs)]
    if all(k in scores for k in ("masked", "jaccard", "cosine_char")):
        kept = frames_kept(scores) & (np.asarray(probs) < model.threshold)
        for row in np.flatnonzero(kept).tolist():
            heads[row] = _frames_head(kinds[row], scores, row) + f"; pair model probability {probs[row]:.2f}"
    if any(f not in scores for f in model.features) or not model.features:
        return heads
    contrib = model.contributions(model.matrix(scores))
    out = []
    for row, (kind, head) in enumerate(zip(kinds, heads)):
        if kind == "exact":
            out.append("exact: equal normalised texts")
            continue
        sign = -1.0 if kind == "unrelated" else 1.0
        order = np.argsort(-sign * contrib[row], kind="stable")[:top]
        named = [f"{model.features[c]} {contrib[row, c]:+.2f}" for c in order.tolist() if sign * contrib[row, c] > 0]
        out.append(f"{head} ({', '.join(named)})" if named else head)
    return out


def _frames_head(kind: str, scores: Mapping[str, np.ndarray], row: int) -> str:
    v = {k: float(np.nan_to_num(np.asarray(scores[k], dtype=float)[row])) for k in ("masked", "jaccard", "cosine_char")}
    return (
        f"{kind}: sentence frames kept (masked {v['masked']:.2f}), words changed (jaccard {v['jaccard']:.2f}), "
        f"texts alike (cosine_char {v['cosine_char']:.2f})"
    )
