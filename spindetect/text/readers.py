"""Readers: a folder of text files, JSON Lines, a JSON array, CSV/TSV, one text file.

Each reader turns what it finds into documents (:mod:`spindetect.text.records`
does the record-level work) and never stops on one bad record: a record that
cannot be decoded becomes a document with empty text and a note.  What cannot
be read at the file level is noted too:

* a compressed file that ends early (truncated ``.gz``) gives one more
  document, ``line:N``/``row:N`` after the last one read, noting that the rest
  of the file is lost;
* in a folder, symlink loops, dangling links, links to files outside the
  folder (never followed) and files that are not regular files (FIFOs,
  devices) are documents with a ``not read`` note;
* a text file with a UTF-16 or UTF-32 byte-order mark is decoded as such;
* an empty file, or a CSV with a header only, logs a warning.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import logging
import os
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .._terminal import printable
from .document import Document
from .records import (
    NO_RECORD,
    BadRecord,
    Entry,
    finish,
    fix_surrogates,
    from_record_items,
    parse_json_int,
    replacement_note,
    safe_name,
)

__all__ = ["read_path", "read_dir", "read_jsonl", "read_json_array", "read_csv", "read_text", "check_exists"]

#: Bytes inspected for NUL bytes to decide that a file is binary.
_BINARY_SNIFF_BYTES = 8192

_SUPPORTED = (
    "a folder of text files, .txt, .jsonl/.ndjson/.json (JSON Lines), "
    ".csv/.tsv, or .jsonl/.ndjson/.json/.csv/.tsv compressed with .gz"
)
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
_CSV_SUFFIXES = (".csv", ".tsv")

# Byte-order marks other than UTF-8's, longest first (UTF-32 LE starts with UTF-16 LE's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)

# What reading a damaged or truncated compressed file raises.
_READ_ERRORS = (EOFError, OSError, zlib.error)

_LOGGER_NAME = "spindetect"

Item = tuple[Any, str, str | None, list[str], int]


def check_exists(path: Path) -> None:
    """``FileNotFoundError`` naming ``path`` when it does not exist."""
    if not path.exists():
        raise FileNotFoundError(f"spindetect: input not found: {printable(str(path))!r}")


def _open_binary(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]  # a GzipFile is a binary IO
    return open(path, "rb")


def _base_suffix(path: Path) -> str:
    """The format suffix, looking through a trailing ``.gz``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _where(path: Path) -> str:
    """A path as a str every writer can encode."""
    return safe_name(str(path))[0]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "compressed file ends early: truncated?"
    return getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}"


def _lost_rest(path: Path, unit: str, last: int, exc: BaseException) -> Item:
    """The document that stands for the unreadable rest of a file."""
    note = f"could not read the rest of the file ({_reason(exc)}): nothing after {unit} {last} was read"
    return NO_RECORD, f"{unit}:{last + 1}", f"{_where(path)}:{last + 1}", [note], 0


# --------------------------------------------------------------------------- #
# Text files
# --------------------------------------------------------------------------- #


def _decode_bom(data: bytes) -> tuple[str, list[str]] | None:
    """Text of a file with a UTF-16/32 byte-order mark, or None without one."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            text = data.decode(codec, "replace")
            notes = [f"decoded as {name} (byte-order mark)"]
            if "\ufffd" in text:
                notes.append(f"invalid {name} replaced with U+FFFD")
            return text, notes
    return None


def _read_text_file(path: Path, encoding: str) -> tuple[str, list[str], bool]:
    """Read one text file: (text, notes, text_missing)."""
    try:
        with _open_binary(path) as fh:
            data = fh.read()
    except _READ_ERRORS as exc:
        return "", [f"could not read file ({_reason(exc)}): kept as empty text"], True
    bom = _decode_bom(data)
    if bom is not None:
        return bom[0], bom[1], False
    if b"\x00" in data[:_BINARY_SNIFF_BYTES]:
        return "", ["binary file: not decoded, kept as empty text"], True
    utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8")
    if utf8 and data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    try:
        text, n = data.decode(encoding), 0
    except UnicodeDecodeError:
        text, n = fix_surrogates(data.decode(encoding, "surrogateescape"))
    notes = []
    if n:
        note = replacement_note(n)
        notes.append(note if utf8 else note.replace("UTF-8", encoding))
    return text, notes, False


def read_text(path: Path) -> tuple[Document, ...]:
    """One ``.txt`` file as one document whose id is the file stem."""
    text, notes, missing = _read_text_file(path, "utf-8")
    return finish([_file_entry(path, path.stem, text, notes, missing)])


def _file_entry(path: Path, doc_id: str, text: str, notes: list[str], missing: bool) -> Entry:
    """An entry for a file; a file name that is not valid UTF-8 is noted."""
    doc_id, changed = safe_name(doc_id)
    if changed:
        notes = [*notes, "file name is not valid UTF-8: U+FFFD in its id"]
    return Entry(doc_id, text, source=_where(path), notes=notes, text_missing=missing)


# --------------------------------------------------------------------------- #
# Folders
# --------------------------------------------------------------------------- #


def _not_read(path: Path, root_real: str) -> str | None:
    """Why a file found in the folder must not be read, or None to read it."""
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except FileNotFoundError:
            return "not read: dangling symlink (its target does not exist)"
        except (RuntimeError, OSError):  # RuntimeError before Python 3.13
            return "not read: symlink loop"
    real = os.path.realpath(path)
    if os.path.commonpath([real, root_real]) != root_real:
        return "not read: outside the input folder (a link, or a pattern reaching out)"
    if not path.is_file():
        return "not read: not a regular file"
    return None


def _folder_files(root: Path, pattern: str, recursive: bool) -> list[Path]:
    """Every match of ``pattern`` that is not a folder, sorted by relative path."""
    found = root.rglob(pattern) if recursive else root.glob(pattern)
    files = [p for p in found if p.is_symlink() or not p.is_dir()]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def read_dir(path: Path, *, pattern: str, recursive: bool, encoding: str) -> tuple[Document, ...]:
    """Every file matching ``pattern`` in a folder, one document each (see ``Corpus.from_dir``)."""
    check_exists(path)
    if not path.is_dir():
        raise NotADirectoryError(f"spindetect: not a folder: {_where(path)!r}")
    files = _folder_files(path, pattern, recursive)
    if not files:
        logging.getLogger(_LOGGER_NAME).warning(
            "spindetect: no files matching %r in %s", pattern, printable(_where(path))
        )
    stems: dict[str, int] = {}
    for p in files:
        stems[p.stem] = stems.get(p.stem, 0) + 1
    root_real = os.path.realpath(path)
    entries = []
    for p in files:
        doc_id = p.stem if stems[p.stem] == 1 else p.relative_to(path).with_suffix("").as_posix()
        problem = _not_read(p, root_real)
        if problem is None:
            text, notes, missing = _read_text_file(p, encoding)
        else:
            text, notes, missing = "", [problem], True
        entries.append(_file_entry(p, doc_id, text, notes, missing))
    return finish(entries)


# --------------------------------------------------------------------------- #
# JSON Lines and JSON arrays
# --------------------------------------------------------------------------- #


def _decode_json(line: str) -> Any:
    """One JSON value; long integers are kept as digits (``parse_json_int``)."""
    return json.loads(line, parse_int=parse_json_int)


def _json_line_error(exc: json.JSONDecodeError) -> str:
    return f"invalid JSON: {exc.msg} at column {exc.colno}; kept as empty text"


def _open_text(path: Path, newline: str) -> io.TextIOWrapper:
    """A file as text: UTF-8 (invalid bytes surrogate-escaped), or UTF-16/32 by its BOM."""
    raw = _open_binary(path)
    try:
        head = raw.peek(4)[:4]  # type: ignore[attr-defined]
    except BaseException:
        raw.close()
        raise
    codec = next((c for bom, c, _ in _BOMS if head.startswith(bom)), "utf-8-sig")
    return io.TextIOWrapper(raw, encoding=codec, errors="surrogateescape", newline=newline)


def _text_lines(path: Path) -> Iterator[str]:
    with _open_text(path, "\n") as fh:
        yield from fh


def _jsonl_items(path: Path) -> Iterator[Item]:
    where = _where(path)
    lineno = 0
    try:
        for lineno, line in enumerate(_text_lines(path), 1):
            if not line.strip():
                continue
            line, replaced = fix_surrogates(line)
            yield line, f"line:{lineno}", f"{where}:{lineno}", [], replaced
    except _READ_ERRORS as exc:
        yield _lost_rest(path, "line", lineno, exc)


def _decode_json_line(line: str) -> Any:
    try:
        return _decode_json(line)
    except json.JSONDecodeError as exc:
        raise BadRecord(_json_line_error(exc)) from None


def read_jsonl(path: Path, *, text_key: str, id_key: str | None) -> tuple[Document, ...]:
    """A JSON Lines file, one document per non-blank line (see ``Corpus.from_jsonl``)."""
    check_exists(path)
    return from_record_items(
        _jsonl_items(path), text_key=text_key, id_key=id_key, where=_where(path), decode=_decode_json_line
    )


def _json_array_items(path: Path) -> Iterator[Item]:
    with _open_binary(path) as fh:
        data = fh.read()
    text, replaced = fix_surrogates(data.decode("utf-8-sig", "surrogateescape"))
    try:
        records = _decode_json(text)
    except (ValueError, RecursionError) as exc:
        detail = f"{exc.msg} at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        raise ValueError(
            f"spindetect: {_where(path)!r} is not valid JSON ({detail}); "
            "expected a JSON array of objects or JSON Lines"
        ) from None
    if replaced:
        # One note for the whole file.
        logging.getLogger(_LOGGER_NAME).warning(
            "spindetect: %s: %s", printable(_where(path)), replacement_note(replaced)
        )
    where = _where(path)
    for i, record in enumerate(records, 1):
        yield record, f"item:{i}", f"{where}:item {i}", [], 0


def read_json_array(path: Path, *, text_key: str, id_key: str | None) -> tuple[Document, ...]:
    """A JSON array of records, ids ``item:N`` when missing."""
    return from_record_items(_json_array_items(path), text_key=text_key, id_key=id_key, where=_where(path))


def _first_byte(path: Path) -> bytes:
    with _open_binary(path) as fh:
        head = fh.read(4096)
    head = head.lstrip(codecs.BOM_UTF8).lstrip()
    return head[:1]


# --------------------------------------------------------------------------- #
# CSV
# --------------------------------------------------------------------------- #


def _csv_items(path: Path, delimiter: str) -> Iterator[Item]:
    where = _where(path)
    rowno = 0
    try:
        with _open_text(path, "") as fh:
            reader = csv.DictReader(fh, delimiter=delimiter)
            if reader.fieldnames is None:
                return
            start = reader.line_num + 1
            for rowno, row in enumerate(reader, 1):
                source = f"{where}:{start}"
                start = reader.line_num + 1
                row = _csv_row(row)
                yield row, f"row:{rowno}", source, _csv_row_notes(row), 0
    except (*_READ_ERRORS, csv.Error) as exc:
        yield _lost_rest(path, "row", rowno, exc)


def _csv_row(row: dict[Any, Any]) -> dict[Any, Any]:
    """A row with the fields beyond the header kept as ``_extra``."""
    extra = row.pop(None, None)
    if extra:
        row["_extra"] = tuple(extra)
    return row


def _csv_row_notes(row: dict[Any, Any]) -> list[str]:
    notes = []
    if "_extra" in row and isinstance(row["_extra"], tuple):
        notes.append(f"row has {len(row['_extra'])} more fields than the header: kept in meta as '_extra'")
    if any(v is None for v in row.values()):
        notes.append("row has fewer fields than the header")
    return notes


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


def read_csv(path: Path, *, text_key: str, id_key: str | None, delimiter: str | None) -> tuple[Document, ...]:
    """A CSV/TSV file with a header row (see ``Corpus.from_csv``)."""
    check_exists(path)
    if delimiter is None:
        delimiter = "\t" if _base_suffix(path) == ".tsv" else ","
    with _CsvFieldLimit():
        return from_record_items(
            _csv_items(path, delimiter), text_key=text_key, id_key=id_key, where=_where(path)
        )


# --------------------------------------------------------------------------- #
# Any input
# --------------------------------------------------------------------------- #


def read_path(path: Path, *, text_key: str, id_key: str | None, pattern: str) -> tuple[Document, ...]:
    """Any supported input, chosen by what ``path`` is (see ``Corpus.from_path``)."""
    check_exists(path)
    if path.is_dir():
        return read_dir(path, pattern=pattern, recursive=False, encoding="utf-8")
    suffix = _base_suffix(path)
    if suffix in _JSONL_SUFFIXES:
        if suffix == ".json" and _first_byte(path) == b"[":
            return read_json_array(path, text_key=text_key, id_key=id_key)
        return read_jsonl(path, text_key=text_key, id_key=id_key)
    if suffix in _CSV_SUFFIXES:
        return read_csv(path, text_key=text_key, id_key=id_key, delimiter=None)
    if suffix == ".txt" and path.suffix.lower() != ".gz":
        return read_text(path)
    raise ValueError(f"spindetect: unsupported input {_where(path)!r}: expected {_SUPPORTED}")
