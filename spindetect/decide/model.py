"""The learned pair model: gradient-boosted trees stored as JSON, evaluated in numpy.

:class:`PairModel` holds the trees of a scikit-learn
``HistGradientBoostingClassifier`` (fitted by ``benchmarks/fit_pairs.py`` on
labelled pairs of the real development sets, the generator and synthetic
families; see that script for the data, the monotone constraints and the
out-of-fold figures) as plain arrays: for every node its feature, threshold,
children, whether a missing value goes left, and its value.  The file is JSON,
never a pickle, so loading it runs no code.  :meth:`PairModel.predict_proba`
follows every pair down every tree in numpy (equal to scikit-learn's
``predict_proba``; a test checks it), and :meth:`PairModel.contributions`
says which features decided a pair: the change of the node value at each
split on the pair's path, credited to the split's feature (Saabas), so the
contributions plus the model's bias add up to the pair's log-odds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["PairModel", "DEFAULT_MODEL"]

#: File name of the shipped model in ``spindetect/resources``.
DEFAULT_MODEL = "pair_model.json"
_CHUNK = 20000


@dataclass(frozen=True, eq=False)
class PairModel:
    """Boosted trees over named pair scores.

    Attributes
    ----------
    features : tuple of str
        Score names, in the column order the trees use.
    bias : float
        Log-odds before any tree (the classifier's baseline).
    nodes : dict of str to numpy.ndarray
        All trees' nodes concatenated: ``feature``, ``threshold``, ``left``,
        ``right`` (absolute node indices), ``missing_left``, ``leaf``,
        ``value`` (leaf values are the log-odds increments; inner values are
        the count-weighted means of their leaves, for contributions).
    roots : numpy.ndarray of int64
        Index of every tree's root node.
    threshold : float
        Probability from which a pair is accepted (chosen by the fitting script).
    meta : dict
        How the model was fitted (data, parameters, out-of-fold figures).
    """

    features: tuple[str, ...]
    bias: float
    nodes: Mapping[str, np.ndarray] = field(repr=False)
    roots: np.ndarray = field(repr=False)
    threshold: float = 0.5
    meta: Mapping[str, Any] = field(default_factory=dict, repr=False)

    # ----------------------------------------------------------- building
    @classmethod
    def from_sklearn(
        cls, clf: Any, features: Sequence[str], *, threshold: float = 0.5, meta: Mapping[str, Any] | None = None
    ) -> PairModel:
        """Export a fitted binary ``HistGradientBoostingClassifier``."""
        cols: dict[str, list] = {k: [] for k in ("feature", "threshold", "left", "right", "missing_left", "leaf", "value")}
        roots = []
        for (pred,) in clf._predictors:
            nodes = pred.nodes
            offset = len(cols["value"])
            roots.append(offset)
            values = _inner_values(nodes)
            for k, node in enumerate(nodes):
                leaf = bool(node["is_leaf"])
                cols["feature"].append(0 if leaf else int(node["feature_idx"]))
                cols["threshold"].append(0.0 if leaf else float(node["num_threshold"]))
                cols["left"].append(offset + (k if leaf else int(node["left"])))
                cols["right"].append(offset + (k if leaf else int(node["right"])))
                cols["missing_left"].append(bool(node["missing_go_to_left"]))
                cols["leaf"].append(leaf)
                cols["value"].append(float(values[k]))
        arrays = _as_arrays(cols)
        bias = float(np.ravel(clf._baseline_prediction)[0])
        return cls(tuple(features), bias, arrays, np.asarray(roots, np.int64), float(threshold), dict(meta or {}))

    def to_json(self) -> str:
        """The model as JSON text (deterministic: the same model gives the same bytes)."""
        doc = {
            "format": "spindetect-pair-model/1",
            "features": list(self.features),
            "bias": self.bias,
            "threshold": self.threshold,
            "roots": self.roots.tolist(),
            "nodes": {k: np.asarray(v).tolist() for k, v in sorted(self.nodes.items())},
            "meta": dict(self.meta),
        }
        return json.dumps(doc, sort_keys=True, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PairModel:
        """Read a model written by :meth:`to_json`."""
        doc = json.loads(text)
        if doc.get("format") != "spindetect-pair-model/1":
            raise ValueError(f"not a spindetect pair model (format {doc.get('format')!r})")
        nodes = _as_arrays(doc["nodes"])
        return cls(
            tuple(doc["features"]), float(doc["bias"]), nodes, np.asarray(doc["roots"], np.int64),
            float(doc["threshold"]), doc.get("meta", {}),
        )

    @classmethod
    def load(cls, path: str | Path | None = None) -> PairModel:
        """Load a model file; the shipped default when ``path`` is None."""
        if path is None:
            text = resources.files("spindetect.resources").joinpath(DEFAULT_MODEL).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return cls.from_json(text)

    # ---------------------------------------------------------- evaluating
    def matrix(self, scores: Mapping[str, np.ndarray]) -> np.ndarray:
        """The feature matrix of the model's columns from a mapping of scores (NaN = missing)."""
        missing = [f for f in self.features if f not in scores]
        if missing:
            raise KeyError(f"the pair model needs the scores {list(self.features)}; missing: {missing}")
        if not self.features:
            return np.zeros((len(next(iter(scores.values()), [])), 0))
        return np.stack([np.asarray(scores[f], dtype=float) for f in self.features], axis=1)

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Log-odds of each row of ``X`` (shape ``(m, len(features))``)."""
        X = np.asarray(X, dtype=float).reshape(-1, len(self.features))
        out = np.full(len(X), self.bias)
        for s in range(0, len(X), _CHUNK):
            leaves, _ = self._walk(X[s : s + _CHUNK], None)
            out[s : s + _CHUNK] += self.nodes["value"][leaves].sum(axis=1)
        return out

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability that each pair is related (shape ``(m,)``)."""
        return 1.0 / (1.0 + np.exp(-self.decision_function(X)))

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Log-odds credited to each feature for each row (shape ``(m, len(features))``).

        ``bias + contributions.sum(axis=1) + sum of root values`` equals
        :meth:`decision_function`.
        """
        X = np.asarray(X, dtype=float).reshape(-1, len(self.features))
        out = np.zeros(X.shape)
        for s in range(0, len(X), _CHUNK):
            _, out[s : s + _CHUNK] = self._walk(X[s : s + _CHUNK], np.zeros((len(X[s : s + _CHUNK]), X.shape[1])))
        return out

    def _walk(self, X: np.ndarray, contrib: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
        """Leaf reached in every tree by every row; contributions accumulated when asked."""
        nd = self.nodes
        state = np.broadcast_to(self.roots, (len(X), len(self.roots))).copy()
        rows = np.arange(len(X))[:, None]
        while True:
            inner = ~nd["leaf"][state]
            if not inner.any():
                return state, contrib
            feat = nd["feature"][state]
            x = X[rows, feat]
            left = np.where(np.isnan(x), nd["missing_left"][state], x <= nd["threshold"][state])
            nxt = np.where(inner, np.where(left, nd["left"][state], nd["right"][state]), state)
            if contrib is not None:
                delta = np.where(inner, nd["value"][nxt] - nd["value"][state], 0.0)
                np.add.at(contrib, (np.broadcast_to(rows, feat.shape), feat), delta)
            state = nxt

    def root_value(self) -> float:
        """Sum of the trees' root values (the part of the log-odds no feature explains)."""
        return float(self.bias + self.nodes["value"][self.roots].sum())


def _inner_values(nodes: np.ndarray) -> np.ndarray:
    """Leaf values as they are; every inner node the count-weighted mean of its leaves."""
    values = nodes["value"].astype(float).copy()
    counts = nodes["count"].astype(float)

    def fill(k: int) -> float:
        if nodes["is_leaf"][k]:
            return values[k]
        left, right = int(nodes["left"][k]), int(nodes["right"][k])
        vl, vr = fill(left), fill(right)
        total = counts[left] + counts[right]
        values[k] = (counts[left] * vl + counts[right] * vr) / total if total else 0.5 * (vl + vr)
        return values[k]

    fill(0)
    return values


def _as_arrays(cols: Mapping[str, Sequence]) -> dict[str, np.ndarray]:
    types = {"feature": np.int64, "left": np.int64, "right": np.int64, "missing_left": bool, "leaf": bool}
    return {k: np.asarray(v, dtype=types.get(k, float)) for k, v in cols.items()}
