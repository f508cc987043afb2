"""Boilerplate report objects and their HTML highlighting.

A :class:`BoilerplateReport` gives the boilerplate fraction of one document
(a share of its words, the unit of the standard gold) and its
:class:`BoilerplateSpan` s; :func:`span_fractions` counts that share and
:func:`highlight_html` shows a text with its spans marked, for notebooks.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..text.tokens import word_starts

__all__ = ["REASONS", "BoilerplateSpan", "BoilerplateReport", "highlight_html", "span_fractions"]

#: The possible ``reason`` of a :class:`BoilerplateSpan`, strongest evidence first.
REASONS: tuple[str, ...] = ("shared_in_corpus", "family_template", "repeated_in_doc", "page_chrome")


@dataclass(frozen=True)
class BoilerplateSpan:
    """One boilerplate span of a document.

    Attributes
    ----------
    start, end : int
        ``[start, end)`` character offsets into the original text.
    reason : str
        One of :data:`REASONS`.
    """

    start: int
    end: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return the span as a JSON-serialisable dict."""
        return {"start": self.start, "end": self.end, "reason": self.reason}


@dataclass(frozen=True)
class BoilerplateReport:
    """How much of one document is boilerplate.

    Build one with :meth:`from_spans`, which counts both fractions.

    Attributes
    ----------
    fraction : float
        Share of the document's words that lie inside boilerplate spans, in
        ``[0, 1]`` (words as :func:`~spindetect.text.tokens.word_starts`
        counts them; a word is inside when it starts inside a span).  Words
        are the unit of the standard boilerplate gold (Dragnet, CleanEval).
        A text with no words (empty, punctuation only) gets its
        :attr:`char_fraction`.
    spans : tuple of BoilerplateSpan
        Sorted, non-overlapping spans; offsets index the original text.
    n_chars : int
        Length of the text in characters.
    char_fraction : float
        Boilerplate characters / characters, in ``[0, 1]``; ``0.0`` for an
        empty text.
    """

    fraction: float
    spans: tuple[BoilerplateSpan, ...]
    n_chars: int
    char_fraction: float

    @classmethod
    def from_spans(cls, text: str, spans: tuple[BoilerplateSpan, ...]) -> BoilerplateReport:
        """Return the report of ``text`` with these sorted, non-overlapping spans."""
        words, chars = span_fractions(text, spans)
        return cls(fraction=words, spans=spans, n_chars=len(text), char_fraction=chars)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-serialisable dict."""
        return {
            "fraction": self.fraction,
            "char_fraction": self.char_fraction,
            "n_chars": self.n_chars,
            "spans": [s.to_dict() for s in self.spans],
        }

    def chars_by_reason(self) -> dict[str, int]:
        """Return the number of boilerplate characters per reason."""
        out = {r: 0 for r in REASONS}
        for s in self.spans:
            out[s.reason] += s.end - s.start
        return out

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{s.start}</td><td>{s.end}</td><td>{s.reason}</td></tr>" for s in self.spans[:50]
        )
        more = f"<p>… {len(self.spans) - 50} more spans</p>" if len(self.spans) > 50 else ""
        return (
            f"<p>boilerplate <b>{self.fraction:.3f}</b> (share of words; {self.char_fraction:.3f} of "
            f"{self.n_chars} characters), "
            f"{len(self.spans)} spans</p><table><tr><th>start</th><th>end</th><th>reason</th></tr>"
            f"{rows}</table>{more}"
        )


def span_fractions(text: str, spans: tuple[BoilerplateSpan, ...]) -> tuple[float, float]:
    """Return the shares of the words and of the characters of ``text`` inside ``spans``.

    Parameters
    ----------
    text : str
        The original text.
    spans : tuple of BoilerplateSpan
        Sorted, non-overlapping spans into ``text``.

    Returns
    -------
    (float, float)
        ``(words, chars)``, both in ``[0, 1]``.  ``words`` counts the words
        of :func:`~spindetect.text.tokens.word_starts` that start inside a
        span; for a text without words it is ``chars``.  ``chars`` is
        ``0.0`` for an empty text.
    """
    n = len(text)
    covered = sum(s.end - s.start for s in spans)
    chars = min(1.0, covered / n) if n else 0.0
    starts = word_starts(text)
    if not len(starts):
        return chars, chars
    lo = np.searchsorted(starts, [s.start for s in spans], side="left")
    hi = np.searchsorted(starts, [s.end for s in spans], side="left")
    return float((hi - lo).sum() / len(starts)), chars


_STYLE = (
    "<style>.spd-bp mark{padding:0 1px}"
    ".spd-bp mark.shared_in_corpus{background:#ffd6a5}"
    ".spd-bp mark.family_template{background:#fdffb6}"
    ".spd-bp mark.repeated_in_doc{background:#caffbf}"
    ".spd-bp mark.page_chrome{background:#d0d0d0}</style>"
)


def highlight_html(text: str, report: BoilerplateReport) -> str:
    """Return ``text`` as escaped HTML with the boilerplate spans in ``<mark>``.

    Parameters
    ----------
    text : str
        The original text the report was computed on.
    report : BoilerplateReport
        Its boilerplate report.

    Returns
    -------
    str
        A ``<div>`` (preceded by a small ``<style>``) in which every span is
        ``<mark class="REASON" title="REASON">``; all text is HTML-escaped and
        line breaks are kept with ``white-space: pre-wrap``.

    Raises
    ------
    ValueError
        If the report does not belong to a text of this length.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if report.n_chars != len(text):
        raise ValueError(
            f"report covers {report.n_chars} characters but the text has {len(text)}; "
            "pass the text the report was computed on"
        )
    parts = [_STYLE, '<div class="spd-bp" style="white-space:pre-wrap">']
    pos = 0
    for span in report.spans:
        parts.append(html.escape(text[pos : span.start]))
        reason = html.escape(span.reason, quote=True)
        parts.append(
            f'<mark class="{reason}" title="{reason}">{html.escape(text[span.start : span.end])}</mark>'
        )
        pos = span.end
    parts.append(html.escape(text[pos:]))
    parts.append("</div>")
    return "".join(parts)
