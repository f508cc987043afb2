"""One document and one input problem: the data model of the input layer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["InputIssue", "Document", "severity"]

# Notes that mean the document's text could not be read at all.
_ERROR_PREFIXES = (
    "binary file",
    "invalid JSON",
    "missing text key",
    "could not read",
    "record is not",
    "not read",
)


def severity(note: str) -> str:
    """``"error"`` when a note says the text could not be read, else ``"warning"``."""
    return "error" if note.startswith(_ERROR_PREFIXES) else "warning"


@dataclass(frozen=True)
class InputIssue:
    """A problem found while reading one document.

    Attributes
    ----------
    doc_id : str
        Id of the document in the corpus (after duplicate renaming).
    message : str
        Human-readable description, the same text as the document's note.
    severity : str
        ``"error"`` when the document's text could not be read (it is kept
        with empty text), ``"warning"`` otherwise.
    """

    doc_id: str
    message: str
    severity: str


@dataclass(frozen=True, repr=False)
class Document:
    """One document of a corpus.

    Attributes
    ----------
    id : str
        Unique id within its corpus.
    text : str
        The text exactly as read (never truncated or normalised).
    notes : tuple of str
        Problems found while reading this document, human-readable.
    source : str or None
        Where it came from: a file path, ``path:line`` or ``None``.
    meta : tuple of (str, object) pairs
        Other fields of the record (JSON/CSV/DataFrame columns), in input
        order.  Kept as pairs so the document stays frozen; use
        :meth:`meta_dict` for a dict.  ``meta`` does not take part in the
        hash, so documents with unhashable meta values are still hashable.
    """

    id: str
    text: str
    notes: tuple[str, ...] = ()
    source: str | None = None
    meta: tuple[tuple[str, Any], ...] = field(default=(), hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str):
            raise TypeError(f"Document id must be a str, got {type(self.id).__name__}")
        if not isinstance(self.text, str):
            raise TypeError(
                f"Document {self.id!r}: text must be a str, got {type(self.text).__name__}"
            )
        if not isinstance(self.notes, tuple):
            object.__setattr__(self, "notes", tuple(self.notes))
        if not isinstance(self.meta, tuple):
            meta = self.meta.items() if isinstance(self.meta, Mapping) else self.meta
            object.__setattr__(self, "meta", tuple((str(k), v) for k, v in meta))

    def meta_dict(self) -> dict[str, Any]:
        """Return :attr:`meta` as a new ``dict``."""
        return dict(self.meta)

    def __repr__(self) -> str:
        text = self.text if len(self.text) <= 40 else self.text[:37] + "..."
        parts = [f"id={self.id!r}", f"text={text!r}", f"chars={len(self.text)}"]
        if self.notes:
            parts.append(f"notes={self.notes!r}")
        if self.source is not None:
            parts.append(f"source={self.source!r}")
        return f"Document({', '.join(parts)})"
