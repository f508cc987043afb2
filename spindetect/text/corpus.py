"""Documents and corpora: the input layer of spindetect.

A :class:`Corpus` is an ordered, read-only sequence of :class:`Document`
objects with unique string ids.  It can be built from a list of texts, a
folder of ``.txt`` files, a JSON Lines or CSV file, a pandas Series or
DataFrame, or any iterable of records (dicts).

Nothing is dropped silently.  Every document that was found in the input is
kept, in input order, even when it could not be read: a binary file, an
invalid JSON line or a record without text becomes a document with empty text
and a *note* that says why.  Other notes flag invalid UTF-8 (decoded with
U+FFFD replacement characters), empty or whitespace-only text, very large
documents and duplicate ids (renamed ``x#2``, ``x#3``, ...).  Each note is

* kept on the document (:attr:`Document.notes`),
* listed in :attr:`Corpus.issues` as an :class:`InputIssue` with a severity
  (``"error"`` when the document's text could not be read at all,
  ``"warning"`` otherwise), and
* logged as a warning on the ``"spindetect"`` logger, naming the document's
  id and source (at most :data:`MAX_LOGGED_NOTES` lines per corpus, then one
  summary line; :attr:`Corpus.issues` always has all of them).

Texts are never truncated or normalised here; character offsets computed later
are offsets into exactly the text kept in :attr:`Document.text`.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import logging
import math
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, overload

from .notes import MAX_LOGGED_NOTES, log_notes

__all__ = [
    "InputIssue",
    "Document",
    "Corpus",
    "as_corpus",
    "LARGE_DOCUMENT_BYTES",
    "MAX_LOGGED_NOTES",
]

#: Documents larger than this (UTF-8 bytes) get a "large document" note.
LARGE_DOCUMENT_BYTES = 5_000_000
#: Bytes inspected for NUL bytes to decide that a file is binary.
_BINARY_SNIFF_BYTES = 8192

_SUPPORTED = (
    "a folder of text files, .txt, .jsonl/.ndjson/.json (JSON Lines), "
    ".csv/.tsv, or .jsonl/.ndjson/.json/.csv/.tsv compressed with .gz"
)
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
_CSV_SUFFIXES = (".csv", ".tsv")

# Lone surrogates: what ``errors="surrogateescape"`` makes of undecodable
# bytes, and what JSON "\udXXX" escapes can produce.  Neither can be encoded
# as UTF-8 later, so they are replaced with U+FFFD and counted.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")

# Notes that mean the document's text could not be read at all.
_ERROR_PREFIXES = (
    "binary file",
    "invalid JSON",
    "missing text key",
    "could not read",
    "record is not",
)

_LOGGER_NAME = "spindetect"

_BARE_STR_MSG = "expected a collection of texts, got a single {kind}; wrap it in a list"


# --------------------------------------------------------------------------- #
# Data classes
# --------------------------------------------------------------------------- #


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


# --------------------------------------------------------------------------- #
# Raw entries and the finishing step shared by every constructor
# --------------------------------------------------------------------------- #


class _Entry:
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


def _severity(note: str) -> str:
    return "error" if note.startswith(_ERROR_PREFIXES) else "warning"


def _fix_surrogates(text: str) -> tuple[str, int]:
    """Replace lone surrogates with U+FFFD; return the text and their count."""
    if text.isascii() or _SURROGATE_RE.search(text) is None:
        return text, 0
    return _SURROGATE_RE.subn("\ufffd", text)


def _replacement_note(n: int) -> str:
    return f"invalid UTF-8 replaced with U+FFFD at {n} place{'s' if n != 1 else ''}"


def _utf8_size(text: str) -> int:
    """UTF-8 size of ``text``, exact when it may exceed the large threshold."""
    # A str of n code points takes between n and 4n bytes in UTF-8: encode
    # only when the answer is not obvious (the result is then only a bound).
    if len(text) * 4 <= LARGE_DOCUMENT_BYTES:
        return len(text)
    return len(text.encode("utf-8"))


def _finish(entries: list[_Entry]) -> tuple[Document, ...]:
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


def _id_from_value(value: Any) -> tuple[str, int]:
    """``str()`` an id value and fix lone surrogates in it."""
    return _fix_surrogates(value if isinstance(value, str) else str(value))


# --------------------------------------------------------------------------- #
# Records (JSON Lines, CSV, from_records)
# --------------------------------------------------------------------------- #


def _is_missing(value: Any) -> bool:
    """``None`` or a float NaN (what pandas and CSV readers use for gaps)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pandas.NA and pandas.NaT, recognised without importing pandas.
    return type(value).__name__ in ("NAType", "NaTType")


def _record_entry(
    record: Any,
    *,
    text_key: str,
    id_key: str | None,
    fallback_id: str,
    source: str | None,
    notes: Sequence[str] = (),
    replaced: int = 0,
) -> tuple[_Entry, bool]:
    """Turn one record into an entry; also say whether it had the text key."""
    notes = list(notes)
    if not isinstance(record, Mapping):
        notes.append(
            f"record is not an object (got {type(record).__name__}): kept as empty text"
        )
        return _Entry(fallback_id, "", source=source, notes=notes, text_missing=True), False

    # id
    if id_key is None:
        doc_id = fallback_id
    else:
        raw_id = record.get(id_key)
        if _is_missing(raw_id) or raw_id == "":
            if id_key in record:
                notes.append(f"empty id in key {id_key!r}: using {fallback_id!r}")
            else:
                notes.append(f"missing id key {id_key!r}: using {fallback_id!r}")
            doc_id = fallback_id
        else:
            doc_id, n = _id_from_value(raw_id)
            replaced += n

    # text
    has_text = text_key in record
    text_missing = False
    if not has_text:
        notes.append(f"missing text key {text_key!r}: kept as empty text")
        text, text_missing = "", True
    else:
        value = record[text_key]
        if _is_missing(value):
            what = "null" if value is None else "missing (NaN/NA)"
            notes.append(f"text in key {text_key!r} is {what}: kept as empty text")
            text, text_missing = "", True
        elif isinstance(value, str):
            text = value
        elif isinstance(value, (bytes, bytearray)):
            text = bytes(value).decode("utf-8", "surrogateescape")
            notes.append(f"text in key {text_key!r} is bytes: decoded as UTF-8")
        else:
            text = str(value)
            notes.append(
                f"text in key {text_key!r} is {type(value).__name__}, not str: converted with str()"
            )
        text, n = _fix_surrogates(text)
        replaced += n

    meta = []
    for key, value in record.items():
        if key == text_key or key == id_key:
            continue
        if isinstance(value, str):
            value, n = _fix_surrogates(value)
            replaced += n
        meta.append((str(key), value))
    if replaced:
        notes.insert(0, _replacement_note(replaced))
    entry = _Entry(doc_id, text, source=source, meta=meta, notes=notes, text_missing=text_missing)
    return entry, has_text


def _from_record_items(
    items: Iterable[tuple[Any, str, str | None, list[str], int]],
    *,
    text_key: str,
    id_key: str | None,
    where: str,
) -> tuple[Document, ...]:
    """Shared by JSONL, CSV and from_records.

    ``items`` yields ``(record, fallback_id, source, notes, replaced)``; a
    ``record`` of ``_NO_RECORD`` means the notes already explain why there is
    no record (e.g. invalid JSON).
    """
    entries: list[_Entry] = []
    n_mappings = 0
    n_with_text = 0
    keys_seen: dict[str, None] = {}
    for record, fallback_id, source, notes, replaced in items:
        if record is _NO_RECORD:
            if replaced:
                notes = [_replacement_note(replaced), *notes]
            entries.append(_Entry(fallback_id, "", source=source, notes=notes, text_missing=True))
            continue
        entry, has_text = _record_entry(
            record,
            text_key=text_key,
            id_key=id_key,
            fallback_id=fallback_id,
            source=source,
            notes=notes,
            replaced=replaced,
        )
        if isinstance(record, Mapping):
            n_mappings += 1
            n_with_text += has_text
            if len(keys_seen) < 50:
                keys_seen.update(dict.fromkeys(map(str, record)))
        entries.append(entry)
    if n_mappings and not n_with_text:
        keys = ", ".join(repr(k) for k in keys_seen) or "none"
        raise ValueError(
            f"{where}: none of the {n_mappings} records has the text key {text_key!r} "
            f"(keys found: {keys}); pass the right text key (text_key=... or --text-key)"
        )
    return _finish(entries)


class _NoRecord:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<no record>"


_NO_RECORD = _NoRecord()


# --------------------------------------------------------------------------- #
# Files
# --------------------------------------------------------------------------- #


def _open_binary(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def _base_suffix(path: Path) -> str:
    """The format suffix, looking through a trailing ``.gz``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _read_text_file(path: Path, encoding: str) -> tuple[str, list[str], bool]:
    """Read one text file: (text, notes, text_missing)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return "", [f"could not read file ({reason}): kept as empty text"], True
    if b"\x00" in data[:_BINARY_SNIFF_BYTES]:
        return "", ["binary file: not decoded, kept as empty text"], True
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8") and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text, n = data.decode(encoding), 0
    except UnicodeDecodeError:
        text, n = _fix_surrogates(data.decode(encoding, "surrogateescape"))
    notes = []
    if n:
        note = _replacement_note(n)
        if encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
            note = note.replace("UTF-8", encoding)
        notes.append(note)
    return text, notes, False


def _check_exists(path: Path) -> None:
    if not path.exists():
        raise FileNotFoundError(f"spindetect: input not found: {str(path)!r}")


def _jsonl_items(path: Path) -> Iterator[tuple[Any, str, str | None, list[str], int]]:
    with _open_binary(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                line, replaced = raw.decode("utf-8"), 0
            except UnicodeDecodeError:
                line, replaced = _fix_surrogates(raw.decode("utf-8", "surrogateescape"))
            if lineno == 1 and line.startswith("\ufeff"):
                line = line[1:]
            source = f"{path}:{lineno}"
            fallback = f"line:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                note = f"invalid JSON: {exc.msg} at column {exc.colno}; kept as empty text"
                yield _NO_RECORD, fallback, source, [note], replaced
                continue
            # Replacement characters in the raw line were already counted;
            # pass the count so it is noted once.
            yield record, fallback, source, [], replaced


def _json_array_items(path: Path) -> Iterator[tuple[Any, str, str | None, list[str], int]]:
    with _open_binary(path) as fh:
        data = fh.read()
    text, replaced = _fix_surrogates(data.decode("utf-8-sig", "surrogateescape"))
    try:
        records = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"spindetect: {str(path)!r} is not valid JSON ({exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}); expected a JSON array of objects or JSON Lines"
        ) from None
    if replaced:
        # One note for the whole file, on the first document.
        logging.getLogger(_LOGGER_NAME).warning(
            "spindetect: %s: %s", path, _replacement_note(replaced)
        )
    for i, record in enumerate(records, 1):
        yield record, f"item:{i}", f"{path}:item {i}", [], 0


def _csv_items(
    path: Path, delimiter: str
) -> Iterator[tuple[Any, str, str | None, list[str], int]]:
    with _open_binary(path) as raw, io.TextIOWrapper(
        raw, encoding="utf-8-sig", errors="surrogateescape", newline=""
    ) as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        if reader.fieldnames is None:
            return
        start = reader.line_num + 1
        for rowno, row in enumerate(reader, 1):
            source = f"{path}:{start}"
            start = reader.line_num + 1
            notes: list[str] = []
            extra = row.pop(None, None)  # type: ignore[call-overload]
            if extra:
                notes.append(f"row has {len(extra)} more fields than the header: kept in meta as '_extra'")
                row["_extra"] = tuple(extra)
            if any(v is None for v in row.values()):
                notes.append("row has fewer fields than the header")
            yield row, f"row:{rowno}", source, notes, 0


class _CsvFieldLimit:
    """Raise the csv module's field size limit for one read, then restore it.

    ``csv.field_size_limit`` is process-wide; it is restored on exit so this
    module leaves no global state behind.
    """

    def __enter__(self) -> _CsvFieldLimit:
        limit = sys.maxsize
        while True:
            try:
                self._old = csv.field_size_limit(limit)
                break
            except OverflowError:  # C long is 32 bits on some platforms
                limit //= 10
        return self

    def __exit__(self, *exc: object) -> None:
        csv.field_size_limit(self._old)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - depends on environment
        raise ImportError(
            "reading pandas objects needs pandas: pip install spindetect[pandas]"
        ) from exc
    return pandas


def _is_pandas_object(obj: Any) -> bool:
    module = type(obj).__module__ or ""
    return module.startswith("pandas") and type(obj).__name__ in ("Series", "DataFrame")


def _plain(value: Any) -> Any:
    """numpy scalars to Python scalars (for meta values read from pandas)."""
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy":
        try:
            return item()
        except (TypeError, ValueError):  # pragma: no cover - exotic dtypes
            return value
    return value


# --------------------------------------------------------------------------- #
# Corpus
# --------------------------------------------------------------------------- #


class Corpus(Sequence[Document]):
    """An ordered, read-only collection of documents with unique ids.

    Parameters
    ----------
    texts : iterable of str
        The texts, in order.  A bare ``str`` or ``bytes`` is rejected with a
        ``TypeError``.  ``None`` items become empty documents with a note;
        any other non-``str`` item raises ``TypeError`` naming its position.
    ids : iterable, optional
        One id per text (converted with ``str``).  Default: ``"0"``,
        ``"1"``, ...  Duplicate ids are renamed ``x#2``, ``x#3``, ... with a
        note; the original id is kept as meta ``"source_id"``.

    Attributes
    ----------
    ids : tuple of str
    texts : tuple of str
    issues : tuple of InputIssue

    Examples
    --------
    >>> corpus = Corpus(["a cat sat", "a dog ran"], ids=["cat", "dog"])
    >>> corpus["dog"].text
    'a dog ran'
    >>> corpus[0].id
    'cat'
    """

    __slots__ = ("_docs", "_index", "_ids", "_texts")

    def __init__(self, texts: Iterable[str | None], *, ids: Iterable[Any] | None = None) -> None:
        if isinstance(texts, Corpus) and ids is None:
            self._set_docs(texts._docs)
            return
        _reject_bare(texts)
        if isinstance(texts, Mapping):
            raise TypeError(
                "expected a collection of texts, got a mapping; use "
                "Corpus(d.values(), ids=d.keys()) or as_corpus(d)"
            )
        if not isinstance(texts, Iterable):
            raise TypeError(
                f"expected a collection of texts, got {type(texts).__name__}"
            )
        texts = list(texts)
        if ids is None:
            id_list = [str(i) for i in range(len(texts))]
            id_notes: list[list[str]] = [[] for _ in texts]
        else:
            if isinstance(ids, (str, bytes)):
                raise TypeError("ids must be a collection of ids, got a single str; wrap it in a list")
            ids = list(ids)
            if len(ids) != len(texts):
                raise ValueError(f"got {len(texts)} texts but {len(ids)} ids")
            id_list, id_notes = [], []
            for i, raw in enumerate(ids):
                notes: list[str] = []
                if _is_missing(raw) or raw == "":
                    notes.append(f"missing id: using {str(i)!r}")
                    doc_id = str(i)
                else:
                    doc_id, n = _id_from_value(raw)
                    if n:
                        notes.append(f"id had {n} invalid code point(s), replaced with U+FFFD")
                id_list.append(doc_id)
                id_notes.append(notes)

        entries = []
        for i, (doc_id, text) in enumerate(zip(id_list, texts)):
            notes = id_notes[i]
            missing = False
            if text is None:
                notes.append("text is None: kept as empty text")
                text, missing = "", True
            elif not isinstance(text, str):
                raise TypeError(
                    f"text at index {i} (id {doc_id!r}) is {type(text).__name__}, expected str"
                    + ("; decode it first" if isinstance(text, (bytes, bytearray)) else "")
                )
            else:
                text, n = _fix_surrogates(text)
                if n:
                    notes.append(
                        f"text had {n} lone surrogate code point{'s' if n != 1 else ''} "
                        "(undecodable bytes), replaced with U+FFFD"
                    )
            entries.append(_Entry(doc_id, text, notes=notes, text_missing=missing))
        self._set_docs(_finish(entries))

    # -- construction helpers ------------------------------------------------

    def _set_docs(self, docs: tuple[Document, ...]) -> None:
        index: dict[str, int] = {}
        for pos, doc in enumerate(docs):
            if doc.id in index:  # pragma: no cover - _finish guarantees uniqueness
                raise ValueError(f"duplicate document id {doc.id!r}")
            index[doc.id] = pos
        object.__setattr__(self, "_docs", docs)
        object.__setattr__(self, "_index", index)
        # Built once: callers index these in loops over the whole corpus.
        object.__setattr__(self, "_ids", tuple(d.id for d in docs))
        object.__setattr__(self, "_texts", tuple(d.text for d in docs))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Corpus is read-only")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Pickle through the documents: the slots are read-only.
        return (Corpus._from_tuple, (self._docs,))

    def __copy__(self) -> Corpus:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Corpus:
        return self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Corpus):
            return NotImplemented
        return self._docs == other._docs

    def __hash__(self) -> int:
        return hash(self._docs)

    @classmethod
    def _from_tuple(cls, docs: tuple[Document, ...]) -> Corpus:
        self = cls.__new__(cls)
        self._set_docs(docs)
        return self

    @classmethod
    def from_documents(cls, docs: Iterable[Document]) -> Corpus:
        """Build a corpus from :class:`Document` objects.

        Existing notes are kept (and not logged again); duplicate ids are
        renamed and empty/large documents noted as in every constructor.
        """
        entries = []
        for i, doc in enumerate(docs):
            if not isinstance(doc, Document):
                raise TypeError(f"item {i} is {type(doc).__name__}, expected Document")
            entries.append(
                _Entry(
                    doc.id,
                    doc.text,
                    source=doc.source,
                    meta=doc.meta,
                    notes=doc.notes,
                    text_missing=any(_severity(n) == "error" for n in doc.notes),
                    log_existing=False,
                )
            )
        return cls._from_tuple(_finish(entries))

    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, Any]],
        *,
        text_key: str = "text",
        id_key: str | None = "id",
    ) -> Corpus:
        """Build a corpus from an iterable of dicts.

        Parameters
        ----------
        records : iterable of mapping
            One record per document.
        text_key : str, default "text"
            Key of the text.  A record without it becomes an empty document
            with a note; if *no* record has it, ``ValueError`` (wrong key).
            ``None`` text becomes empty text, other non-str values are
            converted with ``str()``; both with a note.
        id_key : str or None, default "id"
            Key of the id (values converted with ``str``).  Missing ids become
            ``"record:N"`` (1-based) with a note; ``None`` numbers all records.

        Other keys are kept in :attr:`Document.meta`.
        """
        _reject_bare(records, what="records")
        items = (
            (rec, f"record:{i}", None, [], 0) for i, rec in enumerate(records, 1)
        )
        docs = _from_record_items(items, text_key=text_key, id_key=id_key, where="records")
        return cls._from_tuple(docs)

    @classmethod
    def from_jsonl(
        cls, path: str | os.PathLike[str], *, text_key: str = "text", id_key: str | None = "id"
    ) -> Corpus:
        """Read a JSON Lines file (one JSON object per line; ``.gz`` allowed).

        Missing ids become ``"line:N"`` (1-based line number) with a note.
        An invalid JSON line becomes a document ``"line:N"`` with empty text
        and a note ``"invalid JSON: ..."``.  Blank lines are skipped.  Other
        rules as in :meth:`from_records`; sources are ``path:line``.
        """
        path = Path(path)
        _check_exists(path)
        docs = _from_record_items(
            _jsonl_items(path), text_key=text_key, id_key=id_key, where=str(path)
        )
        return cls._from_tuple(docs)

    @classmethod
    def from_csv(
        cls,
        path: str | os.PathLike[str],
        *,
        text_key: str = "text",
        id_key: str | None = "id",
        delimiter: str | None = None,
    ) -> Corpus:
        """Read a CSV or TSV file with a header row (``.gz`` allowed).

        The delimiter defaults to a tab for ``.tsv`` and a comma otherwise.
        Fields of any size are accepted.  Missing ids become ``"row:N"``
        (1-based data row) with a note; other rules as in
        :meth:`from_records`.  A header without ``text_key`` raises
        ``ValueError`` naming the columns found.
        """
        path = Path(path)
        _check_exists(path)
        if delimiter is None:
            delimiter = "\t" if _base_suffix(path) == ".tsv" else ","
        with _CsvFieldLimit():
            docs = _from_record_items(
                _csv_items(path, delimiter), text_key=text_key, id_key=id_key, where=str(path)
            )
        return cls._from_tuple(docs)

    @classmethod
    def from_dir(
        cls,
        path: str | os.PathLike[str],
        *,
        pattern: str = "*.txt",
        recursive: bool = False,
        encoding: str = "utf-8",
    ) -> Corpus:
        """Read every file matching ``pattern`` in a folder, one document each.

        The id is the file stem; files are sorted by their path relative to
        the folder, so the order does not depend on the file system.  When
        two files share a stem (possible with ``recursive=True``), their ids
        become the relative paths without suffix (``sub/a``).  A file with a
        NUL byte in its first 8 KB is binary: it is kept as an empty document
        with a note.  Invalid bytes are decoded as U+FFFD, with a note that
        counts them.  A folder with no matching file gives an empty corpus
        and a logged warning.
        """
        root = Path(path)
        _check_exists(root)
        if not root.is_dir():
            raise NotADirectoryError(f"spindetect: not a folder: {str(root)!r}")
        found = root.rglob(pattern) if recursive else root.glob(pattern)
        files = sorted(
            (p for p in found if p.is_file()), key=lambda p: p.relative_to(root).as_posix()
        )
        if not files:
            logging.getLogger(_LOGGER_NAME).warning(
                "spindetect: no files matching %r in %s", pattern, root
            )
        stems: dict[str, int] = {}
        for p in files:
            stems[p.stem] = stems.get(p.stem, 0) + 1
        entries = []
        for p in files:
            rel = p.relative_to(root)
            doc_id = p.stem if stems[p.stem] == 1 else rel.with_suffix("").as_posix()
            text, notes, missing = _read_text_file(p, encoding)
            entries.append(_Entry(doc_id, text, source=str(p), notes=notes, text_missing=missing))
        return cls._from_tuple(_finish(entries))

    @classmethod
    def from_pandas(
        cls, obj: Any, *, text_column: str | None = None, id_column: str | None = None
    ) -> Corpus:
        """Build a corpus from a pandas Series or DataFrame.

        Parameters
        ----------
        obj : pandas.Series or pandas.DataFrame
            A Series of texts, or a DataFrame with a text column.
        text_column : str, optional
            DataFrame column with the texts (default ``"text"``).  Not
            allowed for a Series.
        id_column : str, optional
            DataFrame column with the ids.  Default: the index (``"0"``,
            ``"1"``, ... for a default ``RangeIndex``).

        Missing values (``None``/``NaN``) become empty documents with a note;
        other DataFrame columns are kept in :attr:`Document.meta`.
        """
        pd = _pandas()
        if isinstance(obj, pd.Series):
            if text_column is not None or id_column is not None:
                raise ValueError("text_column and id_column apply to a DataFrame, not a Series")
            ids = [str(_plain(x)) for x in obj.index]
            key = "text" if obj.name is None else str(obj.name)
            items = (
                ({key: value}, doc_id, None, [], 0) for value, doc_id in zip(obj.tolist(), ids)
            )
            docs = _from_record_items(items, text_key=key, id_key=None, where="Series")
            return cls._from_tuple(docs)
        if isinstance(obj, pd.DataFrame):
            text_column = "text" if text_column is None else text_column
            columns = list(obj.columns)
            if text_column not in columns:
                raise KeyError(
                    f"DataFrame has no text column {text_column!r} (columns: "
                    f"{', '.join(map(repr, columns))}); pass text_column=..."
                )
            if id_column is not None and id_column not in columns:
                raise KeyError(
                    f"DataFrame has no id column {id_column!r} (columns: "
                    f"{', '.join(map(repr, columns))})"
                )
            if obj.columns.duplicated().any():
                raise ValueError("DataFrame has duplicate column names")
            index_ids = [str(_plain(x)) for x in obj.index]
            values = {str(c): obj[c].tolist() for c in columns}
            names = [str(c) for c in columns]

            def gen() -> Iterator[tuple[Any, str, str | None, list[str], int]]:
                for row in range(len(obj)):
                    rec = {name: _plain(values[name][row]) for name in names}
                    yield rec, index_ids[row], None, [], 0

            docs = _from_record_items(
                gen(), text_key=str(text_column), id_key=id_column, where="DataFrame"
            )
            return cls._from_tuple(docs)
        raise TypeError(f"expected a pandas Series or DataFrame, got {type(obj).__name__}")

    @classmethod
    def from_path(
        cls,
        path: str | os.PathLike[str],
        *,
        text_key: str = "text",
        id_key: str | None = "id",
        pattern: str = "*.txt",
    ) -> Corpus:
        """Read any supported input, chosen by what ``path`` is.

        A folder → :meth:`from_dir`; ``.jsonl``/``.ndjson``/``.json`` →
        :meth:`from_jsonl` (a ``.json`` file whose first character is ``[``
        is read as a JSON array of records, ids ``item:N``);
        ``.csv``/``.tsv`` → :meth:`from_csv`; each of these may end in
        ``.gz``; ``.txt`` → one document whose id is the file stem.  Anything
        else raises ``ValueError``; a missing path ``FileNotFoundError``.
        """
        p = Path(path)
        _check_exists(p)
        if p.is_dir():
            return cls.from_dir(p, pattern=pattern)
        suffix = _base_suffix(p)
        if suffix in _JSONL_SUFFIXES:
            if suffix == ".json" and _first_byte(p) == b"[":
                docs = _from_record_items(
                    _json_array_items(p), text_key=text_key, id_key=id_key, where=str(p)
                )
                return cls._from_tuple(docs)
            return cls.from_jsonl(p, text_key=text_key, id_key=id_key)
        if suffix in _CSV_SUFFIXES:
            return cls.from_csv(p, text_key=text_key, id_key=id_key)
        if suffix == ".txt" and p.suffix.lower() != ".gz":
            text, notes, missing = _read_text_file(p, "utf-8")
            entry = _Entry(p.stem, text, source=str(p), notes=notes, text_missing=missing)
            return cls._from_tuple(_finish([entry]))
        raise ValueError(f"spindetect: unsupported input {str(p)!r}: expected {_SUPPORTED}")

    # -- Sequence API -----------------------------------------------------------

    @property
    def ids(self) -> tuple[str, ...]:
        """The document ids, in order."""
        return self._ids

    @property
    def texts(self) -> tuple[str, ...]:
        """The document texts, in order."""
        return self._texts

    @property
    def documents(self) -> tuple[Document, ...]:
        """The documents, in order."""
        return self._docs

    @property
    def issues(self) -> tuple[InputIssue, ...]:
        """Every note of every document as an :class:`InputIssue`, in order."""
        return tuple(
            InputIssue(doc_id=d.id, message=note, severity=_severity(note))
            for d in self._docs
            for note in d.notes
        )

    def __len__(self) -> int:
        return len(self._docs)

    def __iter__(self) -> Iterator[Document]:
        return iter(self._docs)

    @overload
    def __getitem__(self, key: int) -> Document: ...
    @overload
    def __getitem__(self, key: str) -> Document: ...
    @overload
    def __getitem__(self, key: slice) -> Corpus: ...

    def __getitem__(self, key: int | str | slice) -> Document | Corpus:
        if isinstance(key, str):
            return self._docs[self.index_of(key)]
        if isinstance(key, slice):
            return Corpus._from_tuple(self._docs[key])
        if isinstance(key, bool):
            raise TypeError("Corpus indices must be int, str (an id) or slice, not bool")
        try:
            pos = key.__index__()  # type: ignore[union-attr]
        except AttributeError:
            raise TypeError(
                f"Corpus indices must be int, str (an id) or slice, not {type(key).__name__}"
            ) from None
        try:
            return self._docs[pos]
        except IndexError:
            raise IndexError(f"position {pos} out of range for a corpus of {len(self)}") from None

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._index
        if isinstance(item, Document):
            pos = self._index.get(item.id)
            return pos is not None and self._docs[pos] == item
        return False

    def index_of(self, id: str) -> int:
        """Position of the document with this id (``KeyError`` naming it)."""
        try:
            return self._index[id]
        except (KeyError, TypeError):
            sample = ", ".join(repr(i) for i in self.ids[:5])
            more = ", ..." if len(self) > 5 else ""
            raise KeyError(
                f"no document with id {id!r} in this corpus of {len(self)} "
                f"(ids: {sample}{more})"
            ) from None

    # -- display ------------------------------------------------------------------

    def __repr__(self) -> str:
        ids = ", ".join(repr(i) for i in self.ids[:3])
        if len(self) > 3:
            ids += ", ..."
        n_issues = sum(len(d.notes) for d in self._docs)
        return f"Corpus(n={len(self)}, ids=[{ids}], issues={n_issues})"

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = []
        for d in self._docs[:20]:
            rows.append(
                f"<tr><td>{esc(d.id)}</td><td>{len(d.text)}</td>"
                f"<td>{esc('; '.join(d.notes))}</td></tr>"
            )
        more = len(self) - 20
        tail = f"<p>... and {more} more documents</p>" if more > 0 else ""
        n_issues = sum(len(d.notes) for d in self._docs)
        return (
            f"<div><p>Corpus: {len(self)} documents, {n_issues} issues</p>"
            "<table><thead><tr><th>id</th><th>chars</th><th>notes</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{tail}</div>"
        )


def _first_byte(path: Path) -> bytes:
    with _open_binary(path) as fh:
        head = fh.read(4096)
    head = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return head[:1]


def _reject_bare(obj: Any, what: str = "texts") -> None:
    if isinstance(obj, str):
        raise TypeError(_BARE_STR_MSG.format(kind="str").replace("texts", what))
    if isinstance(obj, (bytes, bytearray, memoryview)):
        raise TypeError(_BARE_STR_MSG.format(kind="bytes").replace("texts", what))


def as_corpus(obj: Any, *, ids: Iterable[Any] | None = None) -> Corpus:
    """Turn what a user passed into a :class:`Corpus`.

    Parameters
    ----------
    obj : Corpus, iterable of str, mapping, pandas object or os.PathLike
        * a :class:`Corpus` is returned as is;
        * a mapping ``{id: text}`` uses its keys as ids;
        * a pandas Series, or a DataFrame with a ``"text"`` column, goes
          through :meth:`Corpus.from_pandas`;
        * an ``os.PathLike`` (e.g. ``pathlib.Path``) through
          :meth:`Corpus.from_path`;
        * any other iterable of str through :class:`Corpus`.

        A bare ``str`` is rejected with ``TypeError``: it is a text, not a
        collection, and not accepted as a path here (use ``Path(...)``).
    ids : iterable, optional
        Ids for an iterable of texts; not allowed with the other kinds.

    Returns
    -------
    Corpus
    """
    _reject_bare(obj)
    if isinstance(obj, Corpus):
        if ids is not None:
            raise ValueError("ids cannot be given with a Corpus")
        return obj
    if isinstance(obj, os.PathLike):
        if ids is not None:
            raise ValueError("ids cannot be given with a path")
        return Corpus.from_path(obj)
    if _is_pandas_object(obj):
        if ids is not None:
            raise ValueError("ids cannot be given with a pandas object; use its index")
        return Corpus.from_pandas(obj)
    if isinstance(obj, Mapping):
        if ids is not None:
            raise ValueError("ids cannot be given with a mapping; its keys are the ids")
        return Corpus(list(obj.values()), ids=list(obj.keys()))
    if not isinstance(obj, Iterable):
        raise TypeError(
            f"expected a Corpus, a collection of texts, a pandas object or a path, "
            f"got {type(obj).__name__}"
        )
    return Corpus(obj, ids=ids)
