"""Boilerplate report objects and their HTML highlighting.

A :class:`BoilerplateReport` gives the boilerplate fraction of one document
and its :class:`BoilerplateSpan` s; :func:`highlight_html` shows a text with
its spans marked, for notebooks.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

__all__ = ["REASONS", "BoilerplateSpan", "BoilerplateReport", "highlight_html"]

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

    Attributes
    ----------
    fraction : float
        Boilerplate characters / characters, in ``[0, 1]``; ``0.0`` for an
        empty text.
    spans : tuple of BoilerplateSpan
        Sorted, non-overlapping spans; offsets index the original text.
    n_chars : int
        Length of the text in characters.
    """

    fraction: float
    spans: tuple[BoilerplateSpan, ...]
    n_chars: int

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-serialisable dict."""
        return {
            "fraction": self.fraction,
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
            f"<p>boilerplate fraction <b>{self.fraction:.3f}</b> of {self.n_chars} characters, "
            f"{len(self.spans)} spans</p><table><tr><th>start</th><th>end</th><th>reason</th></tr>"
            f"{rows}</table>{more}"
        )


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
