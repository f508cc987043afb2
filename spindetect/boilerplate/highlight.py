"""HTML view of a text with its boilerplate spans marked, for notebooks."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .scorer import BoilerplateReport

__all__ = ["highlight_html"]

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
