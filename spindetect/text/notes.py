"""Per-document notes logged on stderr, one line per kind of note.

A corpus of 3,000 empty documents must not print 3,000 lines: notes are
grouped by their *kind* (the note without its numbers and details) and each
kind is logged once, with how many documents have it and the first of them.
At most :data:`MAX_LOGGED_NOTES` lines are logged per call; the full list is
always on the documents (``Document.notes``, ``Corpus.issues``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from .._terminal import printable

__all__ = ["MAX_LOGGED_NOTES", "note_kind", "log_notes"]

#: At most this many lines are logged per call of :func:`log_notes`.
MAX_LOGGED_NOTES = 100

# A number that stands alone ("at 3 places", "(5.1 MB)", "5-word"), not one
# inside a word ("UTF-8", "U+FFFD").
_NUMBER_RE = re.compile(r"(?<![\w+-])\d+(?:\.\d+)?")


def note_kind(note: str) -> str:
    """The kind of a note: its head before the first ``:``, numbers as ``N``.

    Examples
    --------
    >>> note_kind("invalid JSON: Expecting value at column 3; kept as empty text")
    'invalid JSON'
    >>> note_kind("invalid UTF-8 replaced with U+FFFD at 2 places")
    'invalid UTF-8 replaced with U+FFFD at N places'
    """
    head = note.split(":", 1)[0].strip()
    return _NUMBER_RE.sub("N", head)


def _clip(text: str, n: int = 80) -> str:
    """At most ``n`` characters of ``text`` (a 5,000-digit id is not a log line)."""
    return text if len(text) <= n else text[: n - 1] + "…"


def log_notes(logger: logging.Logger, noted: Iterable[tuple[str, str, str]]) -> int:
    """Log ``(where, id, note)`` triples grouped by kind; return the lines logged.

    A kind seen once is logged as ``where (id 'x'): note``; a kind seen in
    several documents as one line with the count and the first of them.
    Sources, ids and notes are escaped for the terminal.
    """
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for item in noted:
        groups.setdefault(note_kind(item[2]), []).append(item)
    lines = 0
    for kind, items in groups.items():
        if lines == MAX_LOGGED_NOTES:
            rest = sum(len(v) for v in list(groups.values())[lines:])
            logger.warning(
                "spindetect: %d more input notes not logged; see Corpus.issues for all of them", rest
            )
            return lines + 1
        where, doc_id, note = items[0]
        first = f"{_clip(printable(where))} (id {_clip(repr(doc_id))}): {_clip(printable(note), 300)}"
        if len(items) == 1:
            logger.warning("spindetect: %s", first)
        else:
            logger.warning("spindetect: %d documents: %s (first: %s)", len(items), printable(kind), first)
        lines += 1
    return lines
