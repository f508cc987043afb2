"""Documents under construction: records, ids and notes, shared by every reader.

Every constructor of :class:`~spindetect.text.corpus.Corpus` turns its input
into :class:`Entry` objects and hands them to :func:`finish`, which renames
duplicate ids, notes empty and very large documents, logs the new notes (one
line per kind, :mod:`spindetect.text.notes`) and returns frozen documents.
Ids and sources are made safe here, where they enter: lone surrogates (what
``surrogateescape`` makes of undecodable bytes, in texts, ids and file names)
become U+FFFD, so every later writer can encode them.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .._terminal import printable
from .document import Document
from .notes import log_notes

__all__ = [
    "LARGE_DOCUMENT_BYTES",
    "BadRecord",
    "Entry",
    "LongInt",
    "NO_RECORD",
    "decode_entry",
    "finish",
    "fix_surrogates",
    "from_record_items",
    "id_from_value",
    "is_missing",
    "is_pandas_object",
    "pandas_module",
    "parse_json_int",
    "plain",
    "replacement_note",
    "safe_name",
]

#: Documents larger than this (UTF-8 bytes) get a "large document" note.
LARGE_DOCUMENT_BYTES = 5_000_000

# Lone surrogates: what ``errors="surrogateescape"`` makes of undecodable
# bytes, and what JSON "\udXXX" escapes can produce.  Neither can be encoded
# as UTF-8 later, so they are replaced with U+FFFD and counted.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

_LOGGER_NAME = "spindetect"


# --------------------------------------------------------------------------- #
# Raw entries and the finishing step shared by every constructor
# --------------------------------------------------------------------------- #


class Entry:
    """A document under construction (mutable, private to one build)."""

    __slots__ = ("id", "text", "notes", "source", "meta", "text_missing", "new_notes")

    def __init__(
        self,
        id: str,
        text: str,
        *,
        source: str | None = None,
        meta: Sequence[tuple[str, Any]] = (),
        notes: Sequence[str] = (),
        text_missing: bool = False,
        log_existing: bool = True,
    ) -> None:
        self.id = id
        self.text = text
        self.notes = list(notes)
        self.source = source
        self.meta = list(meta)
        self.text_missing = text_missing
        # Index of the first note that has not been logged yet.
        self.new_notes = 0 if log_existing else len(self.notes)


def fix_surrogates(text: str) -> tuple[str, int]:
    """Replace lone surrogates with U+FFFD; return the text and their count."""
    if text.isascii() or _SURROGATE_RE.search(text) is None:
        return text, 0
    return _SURROGATE_RE.subn("\ufffd", text)


def replacement_note(n: int) -> str:
    """The note of a document in which ``n`` invalid UTF-8 sequences were replaced."""
    return f"invalid UTF-8 replaced with U+FFFD at {n} place{'s' if n != 1 else ''}"


def _utf8_size(text: str) -> int:
    """UTF-8 size of ``text``, exact when it may exceed the large threshold."""
    # A str of n code points takes between n and 4n bytes in UTF-8: encode
    # only when the answer is not obvious (the result is then only a bound).
    if len(text) * 4 <= LARGE_DOCUMENT_BYTES:
        return len(text)
    return len(text.encode("utf-8"))


def finish(entries: list[Entry]) -> tuple[Document, ...]:
    """Rename duplicate ids, add empty/large notes, log new notes."""
    taken = {e.id for e in entries}
    seen: set[str] = set()
    next_suffix: dict[str, int] = {}
    for e in entries:
        if e.id in seen:
            base = e.id
            k = next_suffix.get(base, 2)
            while f"{base}#{k}" in taken:
                k += 1
            new_id = f"{base}#{k}"
            next_suffix[base] = k + 1
            taken.add(new_id)
            e.notes.append(f"duplicate id {base!r}: renamed to {new_id!r}")
            if not any(key == "source_id" for key, _ in e.meta):
                e.meta.append(("source_id", base))
            e.id = new_id
        seen.add(e.id)

        if not e.text_missing and (not e.text or e.text.isspace()):
            note = "empty document" if not e.text else "empty document (whitespace only)"
            if note not in e.notes:
                e.notes.append(note)
        size = _utf8_size(e.text)
        if size > LARGE_DOCUMENT_BYTES:
            note = f"large document ({size / 1e6:.1f} MB)"
            if note not in e.notes:
                e.notes.append(note)

    log_notes(
        logging.getLogger(_LOGGER_NAME),
        (
            (e.source if e.source is not None else f"document {pos}", e.id, note)
            for pos, e in enumerate(entries)
            for note in e.notes[e.new_notes :]
        ),
    )

    return tuple(
        Document(
            id=e.id,
            text=e.text,
            notes=tuple(e.notes),
            source=e.source,
            meta=tuple(e.meta),
        )
        for e in entries
    )


def id_from_value(value: Any) -> tuple[str, int]:
    """``str()`` an id value and fix lone surrogates in it."""
    return fix_surrogates(value if isinstance(value, str) else str(value))


# --------------------------------------------------------------------------- #
# Records (JSON Lines, CSV, from_records)
# --------------------------------------------------------------------------- #


def is_missing(value: Any) -> bool:
    """``None`` or a float NaN (what pandas and CSV readers use for gaps)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pandas.NA and pandas.NaT, recognised without importing pandas.
    return type(value).__name__ in ("NAType", "NaTType")


class LongInt(str):
    """The digits of a JSON integer too long for ``int()`` (over 4,300 digits).

    Python refuses to convert such strings (a guard against quadratic-time
    input); the digits are kept as text instead of failing the whole run.
    """


#: Longest JSON integer converted to ``int``; Python's own limit is 4,300 digits.
_MAX_INT_DIGITS = 4000


def parse_json_int(digits: str) -> int | LongInt:
    """``parse_int`` hook of :func:`json.loads`: long integers stay digits."""
    return int(digits) if len(digits) <= _MAX_INT_DIGITS else LongInt(digits)


class BadRecord(ValueError):
    """A record that cannot be read; its message is the document's note."""


def decode_entry(
    raw: Any,
    decode: Callable[[Any], Any] | None,
    *,
    text_key: str,
    id_key: str | None,
    fallback_id: str,
    source: str | None,
    notes: Sequence[str] = (),
    replaced: int = 0,
) -> tuple[Entry, Any]:
    """The one guarded step from a raw record to an entry; also return the record.

    ``decode`` turns ``raw`` into a record (``json.loads`` for a JSON line,
    nothing for a CSV row or a dict).  Whatever goes wrong (invalid or too
    deeply nested JSON, a value that cannot become text) gives an entry with
    empty text and a note saying why, never an exception; the record is then
    ``NO_RECORD``.
    """
    try:
        record = raw if decode is None else decode(raw)
        return record_entry(
            record, text_key=text_key, id_key=id_key, fallback_id=fallback_id,
            source=source, notes=notes, replaced=replaced,
        ), record
    except RecursionError:
        note = "could not read record: nested too deeply; kept as empty text"
    except BadRecord as exc:
        note = str(exc)
    except (ValueError, TypeError, OverflowError, UnicodeError, MemoryError) as exc:
        note = f"could not read record ({type(exc).__name__}: {str(exc)[:200]}); kept as empty text"
    head = [replacement_note(replaced)] if replaced else []
    entry = Entry(fallback_id, "", source=source, notes=[*head, *notes, note], text_missing=True)
    return entry, NO_RECORD


def record_entry(
    record: Any,
    *,
    text_key: str,
    id_key: str | None,
    fallback_id: str,
    source: str | None,
    notes: Sequence[str] = (),
    replaced: int = 0,
) -> Entry:
    """Turn one record into an entry."""
    notes = list(notes)
    if not isinstance(record, Mapping):
        notes.append(
            f"record is not an object (got {type(record).__name__}): kept as empty text"
        )
        return Entry(fallback_id, "", source=source, notes=notes, text_missing=True)
    doc_id, n_id = _record_id(record, id_key, fallback_id, notes)
    text, n_text, text_missing = _record_text(record, text_key, notes)
    meta, n_meta = _record_meta(record, text_key, id_key)
    replaced += n_id + n_text + n_meta
    if replaced:
        notes.insert(0, replacement_note(replaced))
    return Entry(doc_id, text, source=source, meta=meta, notes=notes, text_missing=text_missing)


def _record_id(record: Mapping[Any, Any], id_key: str | None, fallback_id: str, notes: list[str]) -> tuple[str, int]:
    """The id of a record and the lone surrogates replaced in it."""
    if id_key is None:
        return fallback_id, 0
    raw_id = record.get(id_key)
    if is_missing(raw_id) or raw_id == "":
        if id_key in record:
            notes.append(f"empty id in key {id_key!r}: using {fallback_id!r}")
        else:
            notes.append(f"missing id key {id_key!r}: using {fallback_id!r}")
        return fallback_id, 0
    return id_from_value(raw_id)


def _record_text(record: Mapping[Any, Any], text_key: str, notes: list[str]) -> tuple[str, int, bool]:
    """The text of a record, the surrogates replaced in it and whether it is missing."""
    if text_key not in record:
        notes.append(f"missing text key {text_key!r}: kept as empty text")
        return "", 0, True
    value = record[text_key]
    if is_missing(value):
        what = "null" if value is None else "missing (NaN/NA)"
        notes.append(f"text in key {text_key!r} is {what}: kept as empty text")
        return "", 0, True
    if isinstance(value, LongInt):
        text = str(value)
        notes.append(f"text in key {text_key!r} is an integer of {len(text)} digits: kept as its digits")
    elif isinstance(value, str):
        text = value
    elif isinstance(value, (bytes, bytearray)):
        text = bytes(value).decode("utf-8", "surrogateescape")
        notes.append(f"text in key {text_key!r} is bytes: decoded as UTF-8")
    else:
        text = _json_text(value)
        notes.append(
            f"text in key {text_key!r} is {type(value).__name__}, not str: converted with str()"
        )
    text, n = fix_surrogates(text)
    return text, n, False


def _json_text(value: Any) -> str:
    """``str(value)``; a value too deep to print is a :class:`BadRecord`."""
    try:
        return str(value)
    except RecursionError:
        raise BadRecord("could not read record: text value nested too deeply; kept as empty text") from None


def _record_meta(record: Mapping[Any, Any], text_key: str, id_key: str | None) -> tuple[list[tuple[str, Any]], int]:
    """The other fields of a record and the surrogates replaced in them."""
    meta = []
    replaced = 0
    for key, value in record.items():
        if key == text_key or key == id_key:
            continue
        if isinstance(value, str):
            value, n = fix_surrogates(value)
            replaced += n
        meta.append((str(key), value))
    return meta, replaced


def from_record_items(
    items: Iterable[tuple[Any, str, str | None, list[str], int]],
    *,
    text_key: str,
    id_key: str | None,
    where: str,
    decode: Callable[[Any], Any] | None = None,
) -> tuple[Document, ...]:
    """Shared by JSONL, CSV, JSON arrays, pandas and from_records.

    ``items`` yields ``(raw, fallback_id, source, notes, replaced)``; each
    ``raw`` goes through :func:`decode_entry` with ``decode``.  A ``raw`` of
    ``NO_RECORD`` means the notes already explain why there is no record
    (e.g. the rest of a truncated file).  No record at all logs a warning.
    """
    entries: list[Entry] = []
    n_mappings = 0
    n_with_text = 0
    keys_seen: dict[str, None] = {}
    for raw, fallback_id, source, notes, replaced in items:
        if raw is NO_RECORD:
            head = [replacement_note(replaced)] if replaced else []
            entries.append(Entry(fallback_id, "", source=source, notes=[*head, *notes], text_missing=True))
            continue
        entry, record = decode_entry(
            raw, decode, text_key=text_key, id_key=id_key, fallback_id=fallback_id,
            source=source, notes=notes, replaced=replaced,
        )
        if isinstance(record, Mapping):
            n_mappings += 1
            n_with_text += text_key in record
            if len(keys_seen) < 50:
                keys_seen.update(dict.fromkeys(map(str, record)))
        entries.append(entry)
    if n_mappings and not n_with_text:
        keys = ", ".join(repr(k) for k in keys_seen) or "none"
        raise ValueError(
            f"{where}: none of the {n_mappings} records has the text key {text_key!r} "
            f"(keys found: {keys}); pass the right text key (text_key=... or --text-key)"
        )
    if not entries:
        logging.getLogger(_LOGGER_NAME).warning(
            "spindetect: %s: no records (an empty file, or a header without rows)", printable(where)
        )
    return finish(entries)


class _NoRecord:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<no record>"


NO_RECORD = _NoRecord()


def pandas_module() -> Any:
    """The pandas module, or an ImportError naming the ``pandas`` extra."""
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - depends on environment
        raise ImportError(
            "reading pandas objects needs pandas: pip install spindetect[pandas]"
        ) from exc
    return pandas


def is_pandas_object(obj: Any) -> bool:
    """Whether ``obj`` is a pandas Series or DataFrame (without importing pandas)."""
    module = type(obj).__module__ or ""
    return module.startswith("pandas") and type(obj).__name__ in ("Series", "DataFrame")


def plain(value: Any) -> Any:
    """Numpy scalars to Python scalars (for meta values read from pandas)."""
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy":
        try:
            return item()
        except (TypeError, ValueError):  # pragma: no cover - exotic dtypes
            return value
    return value



def safe_name(name: str) -> tuple[str, bool]:
    """A file name or path as a str every writer can encode; True if it changed.

    Names of files whose bytes are not valid UTF-8 arrive with lone surrogates
    (``os.fsdecode``); they become U+FFFD.
    """
    fixed, n = fix_surrogates(name)
    return fixed, n > 0
