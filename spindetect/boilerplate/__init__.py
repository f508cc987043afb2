"""Boilerplate: how much of each document is template text, repeated text or page chrome.

``scorer`` (BoilerplateScorer and its reports), ``chrome`` (single-page features),
``highlight`` (HTML highlighting of the spans).
"""

from .highlight import highlight_html
from .scorer import BoilerplateReport, BoilerplateScorer, BoilerplateSpan

__all__ = ["BoilerplateReport", "BoilerplateScorer", "BoilerplateSpan", "highlight_html"]
