"""Boilerplate: how much of each document is template text, repeated text or page chrome.

One job per module, in data-flow order: ``hashing`` (slice and unit hashes),
``chrome`` (single-page features of a line), ``analyse`` (a page cut into
tokens, segments and lines), ``evidence`` (corpus counts and per-segment
evidence), ``model`` (the segment model, weights from JSON), ``scorer``
(:class:`BoilerplateScorer`), ``report`` (report objects and HTML highlighting).
"""

from .report import REASONS, BoilerplateReport, BoilerplateSpan, highlight_html
from .scorer import BoilerplateScorer

__all__ = ["REASONS", "BoilerplateReport", "BoilerplateScorer", "BoilerplateSpan", "highlight_html"]
