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
* logged as a warning on the ``"spindetect"`` logger, one line per kind of
  note with a count and the first document's id and source (at most
  :data:`MAX_LOGGED_NOTES` lines; :attr:`Corpus.issues` always has all of them).

The readers live in :mod:`spindetect.text.readers`, the record-level work in
:mod:`spindetect.text.records`; the ``Corpus.from_*`` constructors delegate to
them.

Texts are never truncated or normalised here; character offsets computed later
are offsets into exactly the text kept in :attr:`Document.text`.
"""


from __future__ import annotations

import html
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

from . import readers
from .document import Document, InputIssue, severity
from .notes import MAX_LOGGED_NOTES
from .records import (
    LARGE_DOCUMENT_BYTES,
    Entry,
    finish,
    fix_surrogates,
    from_record_items,
    id_from_value,
    is_missing,
    is_pandas_object,
    pandas_module,
    plain,
)

__all__ = [
    "InputIssue",
    "Document",
    "Corpus",
    "as_corpus",
    "LARGE_DOCUMENT_BYTES",
    "MAX_LOGGED_NOTES",
]

_BARE_STR_MSG = "expected a collection of texts, got a single {kind}; wrap it in a list"


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
    _docs: tuple[Document, ...]
    _index: dict[str, int]
    _ids: tuple[str, ...]
    _texts: tuple[str, ...]

    def __init__(self, texts: Iterable[str | None], *, ids: Iterable[Any] | None = None) -> None:
        if isinstance(texts, Corpus) and ids is None:
            self._set_docs(texts._docs)
            return
        texts = _text_list(texts)
        id_list, id_notes = _ids_and_notes(ids, len(texts))
        entries = [_entry(i, doc_id, text, id_notes[i]) for i, (doc_id, text) in enumerate(zip(id_list, texts))]
        self._set_docs(finish(entries))

    # -- construction helpers ------------------------------------------------

    def _set_docs(self, docs: tuple[Document, ...]) -> None:
        index: dict[str, int] = {}
        for pos, doc in enumerate(docs):
            if doc.id in index:  # pragma: no cover - finish guarantees uniqueness
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
                Entry(
                    doc.id,
                    doc.text,
                    source=doc.source,
                    meta=doc.meta,
                    notes=doc.notes,
                    text_missing=any(severity(n) == "error" for n in doc.notes),
                    log_existing=False,
                )
            )
        return cls._from_tuple(finish(entries))

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
        items: Iterator[tuple[Any, ...]] = (
            (rec, f"record:{i}", None, [], 0) for i, rec in enumerate(records, 1)
        )
        docs = from_record_items(items, text_key=text_key, id_key=id_key, where="records")
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
        return cls._from_tuple(readers.read_jsonl(Path(path), text_key=text_key, id_key=id_key))

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
        docs = readers.read_csv(Path(path), text_key=text_key, id_key=id_key, delimiter=delimiter)
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
        docs = readers.read_dir(Path(path), pattern=pattern, recursive=recursive, encoding=encoding)
        return cls._from_tuple(docs)

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
        pd = pandas_module()
        if isinstance(obj, pd.Series):
            if text_column is not None or id_column is not None:
                raise ValueError("text_column and id_column apply to a DataFrame, not a Series")
            ids = [str(plain(x)) for x in obj.index]
            key = "text" if obj.name is None else str(obj.name)
            items: Iterator[tuple[Any, ...]] = (
                ({key: value}, doc_id, None, [], 0) for value, doc_id in zip(obj.tolist(), ids)
            )
            docs = from_record_items(items, text_key=key, id_key=None, where="Series")
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
            index_ids = [str(plain(x)) for x in obj.index]
            values = {str(c): obj[c].tolist() for c in columns}
            names = [str(c) for c in columns]

            def gen() -> Iterator[tuple[Any, str, str | None, list[str], int]]:
                for row in range(len(obj)):
                    rec = {name: plain(values[name][row]) for name in names}
                    yield rec, index_ids[row], None, [], 0

            docs = from_record_items(
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
        docs = readers.read_path(Path(path), text_key=text_key, id_key=id_key, pattern=pattern)
        return cls._from_tuple(docs)

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
            InputIssue(doc_id=d.id, message=note, severity=severity(note))
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
            pos = key.__index__()
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


def _text_list(texts: object) -> list:
    """The texts as a list; a single str, a mapping or a non-iterable raises ``TypeError``."""
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
    return list(texts)


def _ids_and_notes(ids: Iterable[Any] | None, n: int) -> tuple[list[str], list[list[str]]]:
    """One id per text (its position when missing) and the notes each id needs."""
    if ids is None:
        return [str(i) for i in range(n)], [[] for _ in range(n)]
    if isinstance(ids, (str, bytes)):
        raise TypeError("ids must be a collection of ids, got a single str; wrap it in a list")
    ids = list(ids)
    if len(ids) != n:
        raise ValueError(f"got {n} texts but {len(ids)} ids")
    id_list, id_notes = [], []
    for i, raw in enumerate(ids):
        notes: list[str] = []
        if is_missing(raw) or raw == "":
            notes.append(f"missing id: using {str(i)!r}")
            doc_id = str(i)
        else:
            doc_id, bad = id_from_value(raw)
            if bad:
                notes.append(f"id had {bad} invalid code point(s), replaced with U+FFFD")
        id_list.append(doc_id)
        id_notes.append(notes)
    return id_list, id_notes


def _entry(i: int, doc_id: str, text: object, notes: list[str]) -> Entry:
    """The entry of text ``i``: None kept as empty text, lone surrogates replaced, other types refused."""
    if text is None:
        notes.append("text is None: kept as empty text")
        return Entry(doc_id, "", notes=notes, text_missing=True)
    if not isinstance(text, str):
        raise TypeError(
            f"text at index {i} (id {doc_id!r}) is {type(text).__name__}, expected str"
            + ("; decode it first" if isinstance(text, (bytes, bytearray)) else "")
        )
    text, n = fix_surrogates(text)
    if n:
        notes.append(
            f"text had {n} lone surrogate code point{'s' if n != 1 else ''} "
            "(undecodable bytes), replaced with U+FFFD"
        )
    return Entry(doc_id, text, notes=notes, text_missing=False)


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
    if is_pandas_object(obj):
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
