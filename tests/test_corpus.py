"""Tests for spindetect.text.corpus: every constructor and every kind of bad input."""

from __future__ import annotations

import csv
import gzip
import json
import logging
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.text.corpus import (
    LARGE_DOCUMENT_BYTES,
    MAX_LOGGED_NOTES,
    Corpus,
    Document,
    InputIssue,
    as_corpus,
)
from spindetect.text.notes import log_notes

CAT = "The cat sat on the mat and looked at the garden for a while."
DOG = "A dog ran across the field, chasing a red ball thrown by a child."
CJK = "猫がマットの上に座って庭を眺めていた。这是一个没有空格的中文句子。"


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def notes_of(corpus: Corpus, doc_id: str) -> tuple[str, ...]:
    return corpus[doc_id].notes


# --------------------------------------------------------------------------- #
# Corpus(texts)
# --------------------------------------------------------------------------- #


def test_texts_and_default_ids():
    corpus = Corpus([CAT, DOG, CJK])
    assert corpus.ids == ("0", "1", "2")
    assert corpus.texts == (CAT, DOG, CJK)
    assert len(corpus) == 3
    assert corpus.issues == ()


def test_lookup_by_position_and_id():
    corpus = Corpus([CAT, DOG], ids=["cat", "dog"])
    assert corpus[0].id == "cat"
    assert corpus[-1].text == DOG
    assert corpus["dog"].text == DOG
    assert corpus.index_of("dog") == 1
    assert "cat" in corpus and "cow" not in corpus
    assert corpus[0] in corpus
    with pytest.raises(KeyError, match="cow"):
        corpus["cow"]
    with pytest.raises(KeyError, match="cow"):
        corpus.index_of("cow")
    with pytest.raises(IndexError):
        corpus[2]
    with pytest.raises(TypeError):
        corpus[1.5]  # type: ignore[index]


def test_slice_is_a_corpus_in_order():
    corpus = Corpus(["a", "b", "c", "d"], ids=["w", "x", "y", "z"])
    part = corpus[1:3]
    assert isinstance(part, Corpus)
    assert part.ids == ("x", "y")
    assert part["y"].text == "c"


def test_is_a_read_only_sequence():
    from collections.abc import Sequence

    corpus = Corpus([CAT])
    assert isinstance(corpus, Sequence)
    assert [d.id for d in corpus] == ["0"]
    with pytest.raises(AttributeError):
        corpus.foo = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        corpus[0] = Document("x", "y")  # type: ignore[index]


def test_numeric_ids_are_strings():
    corpus = Corpus([CAT, DOG], ids=[10, 20])
    assert corpus.ids == ("10", "20")
    assert corpus["20"].text == DOG


@pytest.mark.parametrize("bad", ["just one text", b"bytes text"])
def test_bare_str_or_bytes_rejected(bad):
    with pytest.raises(TypeError, match="got a single (str|bytes); wrap it in a list"):
        Corpus(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="wrap it in a list"):
        as_corpus(bad)


def test_non_str_item_rejected_naming_index_and_id():
    with pytest.raises(TypeError, match=r"index 1 \(id 'b'\) is int"):
        Corpus(["x", 5], ids=["a", "b"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="decode it first"):
        Corpus(["x", b"y"])  # type: ignore[list-item]


def test_none_becomes_empty_with_note():
    corpus = Corpus([CAT, None])
    assert corpus.texts == (CAT, "")
    assert corpus["1"].notes == ("text is None: kept as empty text",)


def test_ids_length_mismatch():
    with pytest.raises(ValueError, match="2 texts but 1 ids"):
        Corpus([CAT, DOG], ids=["a"])


def test_generator_input_is_consumed_once():
    corpus = Corpus(t for t in [CAT, DOG])
    assert corpus.texts == (CAT, DOG)


def test_empty_and_whitespace_documents_are_kept_with_note():
    corpus = Corpus(["", "  \n\t ", CAT], ids=["empty", "blank", "cat"])
    assert corpus.ids == ("empty", "blank", "cat")
    assert corpus["empty"].notes == ("empty document",)
    assert corpus["blank"].notes[0].startswith("empty document")
    assert corpus["blank"].text == "  \n\t "
    assert corpus["cat"].notes == ()
    assert [i.doc_id for i in corpus.issues] == ["empty", "blank"]
    assert all(i.severity == "warning" for i in corpus.issues)


def test_cjk_text_kept_as_is():
    corpus = Corpus([CJK], ids=["ja"])
    assert corpus["ja"].text == CJK
    assert corpus.issues == ()


def test_lone_surrogates_replaced_and_noted():
    corpus = Corpus(["abc\udcffdef"], ids=["s"])
    assert corpus["s"].text == "abc\ufffddef"
    assert "surrogate" in corpus["s"].notes[0]


def test_empty_corpus():
    corpus = Corpus([])
    assert len(corpus) == 0
    assert corpus.ids == () and corpus.issues == ()
    assert "n=0" in repr(corpus)


# --------------------------------------------------------------------------- #
# Duplicate ids
# --------------------------------------------------------------------------- #


def test_duplicate_ids_renamed_and_kept():
    corpus = Corpus(["one", "two", "three"], ids=["x", "x", "x"])
    assert corpus.ids == ("x", "x#2", "x#3")
    assert corpus.texts == ("one", "two", "three")
    assert corpus["x#2"].notes == ("duplicate id 'x': renamed to 'x#2'",)
    assert corpus["x#3"].meta_dict() == {"source_id": "x"}
    assert corpus["x"].notes == ()


def test_duplicate_rename_avoids_existing_ids():
    corpus = Corpus(["a", "b", "c"], ids=["x", "x", "x#2"])
    assert corpus.ids == ("x", "x#3", "x#2")
    assert len(set(corpus.ids)) == 3


def test_from_documents_renames_duplicates_and_keeps_notes():
    docs = [
        Document("a", "one", notes=("binary file: not decoded, kept as empty text",)),
        Document("a", "two"),
    ]
    corpus = Corpus.from_documents(docs)
    assert corpus.ids == ("a", "a#2")
    assert corpus["a"].notes == docs[0].notes
    assert corpus.issues[0].severity == "error"
    with pytest.raises(TypeError, match="item 0 is str"):
        Corpus.from_documents(["a"])  # type: ignore[list-item]


# --------------------------------------------------------------------------- #
# Issues and logging
# --------------------------------------------------------------------------- #


def test_notes_are_logged_with_id_and_source(tmp_path, caplog):
    (tmp_path / "x.txt").write_bytes(b"caf\xe9 ok \xff")
    with caplog.at_level(logging.WARNING, logger="spindetect"):
        corpus = Corpus.from_dir(tmp_path)
    assert corpus["x"].notes == ("invalid UTF-8 replaced with U+FFFD at 2 places",)
    messages = [r.getMessage() for r in caplog.records if r.name == "spindetect"]
    assert len(messages) == 1
    assert "(id 'x')" in messages[0]
    assert str(tmp_path / "x.txt") in messages[0]
    assert "U+FFFD at 2 places" in messages[0]
    assert corpus.issues == (
        InputIssue("x", "invalid UTF-8 replaced with U+FFFD at 2 places", "warning"),
    )


def test_logging_is_grouped_by_kind_but_issues_are_complete(caplog):
    n = MAX_LOGGED_NOTES + 30
    with caplog.at_level(logging.WARNING, logger="spindetect"):
        corpus = Corpus([""] * n + [None])
    assert len(corpus.issues) == n + 1
    messages = [r.getMessage() for r in caplog.records if r.name == "spindetect"]
    assert len(messages) == 2
    assert f"{n} documents: empty document (first: document 0 (id '0')" in messages[0]
    assert "text is None" in messages[1]


def test_logging_is_capped_at_max_lines(caplog):
    noted = [("src", str(i), f"kind {chr(0x4E00 + i)}: detail") for i in range(MAX_LOGGED_NOTES + 30)]
    logger = logging.getLogger("spindetect")
    with caplog.at_level(logging.WARNING, logger="spindetect"):
        assert log_notes(logger, noted) == MAX_LOGGED_NOTES + 1
    records = [r for r in caplog.records if r.name == "spindetect"]
    assert len(records) == MAX_LOGGED_NOTES + 1
    assert "30 more" in records[-1].getMessage()


def test_no_print(tmp_path, capsys):
    (tmp_path / "e.txt").write_text("")
    Corpus.from_dir(tmp_path)
    out = capsys.readouterr()
    assert out.out == ""


# --------------------------------------------------------------------------- #
# from_dir
# --------------------------------------------------------------------------- #


def test_from_dir_order_ids_and_bad_files(tmp_path):
    (tmp_path / "b.txt").write_text(DOG, encoding="utf-8")
    (tmp_path / "a.txt").write_text(CAT, encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"PK\x03\x04\x00\x00binary\x00stuff")
    (tmp_path / "d.txt").write_text("", encoding="utf-8")
    (tmp_path / "e.txt").write_text(CJK, encoding="utf-8")
    (tmp_path / "ignored.md").write_text("not matched")
    corpus = Corpus.from_dir(tmp_path)
    assert corpus.ids == ("a", "b", "c", "d", "e")
    assert corpus["a"].text == CAT
    assert corpus["a"].source == str(tmp_path / "a.txt")
    assert corpus["c"].text == ""
    assert corpus["c"].notes == ("binary file: not decoded, kept as empty text",)
    assert corpus["d"].notes == ("empty document",)
    assert corpus["e"].text == CJK
    severities = {i.doc_id: i.severity for i in corpus.issues}
    assert severities == {"c": "error", "d": "warning"}


def test_from_dir_pattern_and_bom(tmp_path):
    (tmp_path / "a.md").write_bytes(b"\xef\xbb\xbf" + CAT.encode())
    corpus = Corpus.from_dir(tmp_path, pattern="*.md")
    assert corpus["a"].text == CAT


def test_from_dir_recursive_same_stem(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "a.txt").write_text("first a")
    (tmp_path / "y" / "a.txt").write_text("second a")
    (tmp_path / "y" / "b.txt").write_text("only b")
    (tmp_path / "top.txt").write_text("top")
    flat = Corpus.from_dir(tmp_path)
    assert flat.ids == ("top",)
    corpus = Corpus.from_dir(tmp_path, recursive=True)
    assert corpus.ids == ("top", "x/a", "y/a", "b")
    assert corpus["x/a"].text == "first a"
    assert corpus.issues == ()


def test_from_dir_other_encoding(tmp_path):
    (tmp_path / "l.txt").write_bytes("café".encode("latin-1"))
    assert Corpus.from_dir(tmp_path, encoding="latin-1")["l"].text == "café"
    utf8 = Corpus.from_dir(tmp_path)
    assert utf8["l"].text == "caf\ufffd"
    assert utf8["l"].notes == ("invalid UTF-8 replaced with U+FFFD at 1 place",)


def test_from_dir_errors(tmp_path, caplog):
    with pytest.raises(FileNotFoundError, match="nope"):
        Corpus.from_dir(tmp_path / "nope")
    f = tmp_path / "f.txt"
    f.write_text("x")
    with pytest.raises(NotADirectoryError, match="f.txt"):
        Corpus.from_dir(f)
    empty = tmp_path / "empty"
    empty.mkdir()
    with caplog.at_level(logging.WARNING, logger="spindetect"):
        assert len(Corpus.from_dir(empty)) == 0
    assert "no files matching" in caplog.text


def test_large_document_not_truncated(tmp_path):
    unit = "spindetect large document line with words. "
    text = unit * (10_000_000 // len(unit) + 1)
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    (tmp_path / "small.txt").write_text(CAT, encoding="utf-8")
    corpus = Corpus.from_dir(tmp_path)
    assert len(corpus["big"].text) == len(text)
    mb = len(text.encode()) / 1e6
    assert corpus["big"].notes == (f"large document ({mb:.1f} MB)",)
    assert corpus["big"].notes[0].startswith("large document (10.0 MB")
    assert corpus["small"].notes == ()
    assert LARGE_DOCUMENT_BYTES == 5_000_000


def test_large_multibyte_document_measured_in_bytes():
    text = "猫" * 2_000_000  # 2 M characters, 6 MB of UTF-8
    corpus = Corpus([text])
    assert corpus[0].notes == ("large document (6.0 MB)",)


def test_from_dir_is_deterministic(tmp_path):
    for name in ["q", "b", "z", "a", "m"]:
        (tmp_path / f"{name}.txt").write_text(f"text of {name}")
    a = Corpus.from_dir(tmp_path)
    b = Corpus.from_dir(tmp_path)
    assert a.ids == b.ids == ("a", "b", "m", "q", "z")
    assert a.texts == b.texts
    assert tuple(a) == tuple(b)


# --------------------------------------------------------------------------- #
# from_jsonl
# --------------------------------------------------------------------------- #


def test_from_jsonl_good_and_bad_lines(tmp_path):
    path = write_jsonl(
        tmp_path / "docs.jsonl",
        [
            json.dumps({"id": "cat", "text": CAT, "lang": "en"}),
            json.dumps({"text": DOG}),
            "{not json",
            "",
            json.dumps({"id": 7, "text": CJK}),
            json.dumps({"id": "nokey", "body": "elsewhere"}),
            json.dumps({"id": "null", "text": None}),
            json.dumps({"id": "num", "text": 42}),
            json.dumps([1, 2]),
            json.dumps({"id": "cat", "text": "again"}),
        ],
    )
    corpus = Corpus.from_jsonl(path)
    assert corpus.ids == (
        "cat", "line:2", "line:3", "7", "nokey", "null", "num", "line:9", "cat#2",
    )
    assert corpus["cat"].meta_dict() == {"lang": "en"}
    assert corpus["cat"].source == f"{path}:1"
    assert corpus["line:2"].text == DOG
    assert corpus["line:2"].notes == ("missing id key 'id': using 'line:2'",)
    assert corpus["line:3"].text == ""
    assert corpus["line:3"].notes[0].startswith("invalid JSON: ")
    assert corpus["7"].text == CJK
    assert corpus["nokey"].text == ""
    assert corpus["nokey"].notes[0].startswith("missing text key 'text'")
    assert corpus["nokey"].meta_dict() == {"body": "elsewhere"}
    assert corpus["null"].text == "" and "null" in corpus["null"].notes[0]
    assert corpus["num"].text == "42" and "str()" in corpus["num"].notes[0]
    assert corpus["line:9"].notes[0].startswith("record is not an object")
    assert corpus["cat#2"].meta_dict() == {"source_id": "cat"}
    severity = {i.doc_id: i.severity for i in corpus.issues if i.severity == "error"}
    assert set(severity) == {"line:3", "nokey", "line:9"}


def test_from_jsonl_custom_keys_and_invalid_utf8(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(
        b'{"key": "a", "body": "caf\xe9 au lait"}\n{"key": "b", "body": "fine"}\n'
    )
    corpus = Corpus.from_jsonl(path, text_key="body", id_key="key")
    assert corpus.ids == ("a", "b")
    assert corpus["a"].text == "caf\ufffd au lait"
    assert corpus["a"].notes == ("invalid UTF-8 replaced with U+FFFD at 1 place",)
    assert corpus["b"].notes == ()


def test_from_jsonl_wrong_text_key_everywhere_is_an_error(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [json.dumps({"id": i, "body": "x"}) for i in range(3)])
    with pytest.raises(ValueError, match="text key 'text'.*'body'"):
        Corpus.from_jsonl(path)


def test_from_jsonl_gz(tmp_path):
    path = tmp_path / "d.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "a", "text": CAT}) + "\n")
    assert Corpus.from_path(path)["a"].text == CAT


# --------------------------------------------------------------------------- #
# from_csv
# --------------------------------------------------------------------------- #


def test_from_csv_custom_keys_large_field_and_missing_values(tmp_path):
    big = "word " * 400_000  # 2 MB field, far above csv's default limit
    path = tmp_path / "d.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["doc", "body", "site"])
        w.writerow(["big", big, "x.example"])
        w.writerow(["", "no id here", "y.example"])
        w.writerow(["multi", "line one\nline two", "z.example"])
        w.writerow(["cjk", CJK, "w.example"])
        w.writerow(["blank", "   ", "v.example"])
    old_limit = csv.field_size_limit()
    corpus = Corpus.from_csv(path, text_key="body", id_key="doc")
    assert csv.field_size_limit() == old_limit  # global limit restored
    assert corpus.ids == ("big", "row:2", "multi", "cjk", "blank")
    assert corpus["big"].text == big
    assert corpus["big"].meta_dict() == {"site": "x.example"}
    assert corpus["row:2"].notes == ("empty id in key 'doc': using 'row:2'",)
    assert corpus["multi"].text == "line one\nline two"
    assert corpus["multi"].source == f"{path}:4"
    assert corpus["cjk"].text == CJK
    assert corpus["blank"].notes[0].startswith("empty document")


def test_from_csv_wrong_text_column(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,content\n1,hello\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'content'"):
        Corpus.from_csv(path)


def test_from_csv_short_and_long_rows(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text\na,hello,extra\nb\n", encoding="utf-8")
    corpus = Corpus.from_csv(path)
    assert corpus.ids == ("a", "b")
    assert "more fields" in corpus["a"].notes[0]
    assert corpus["a"].meta_dict() == {"_extra": ("extra",)}
    assert corpus["b"].text == ""
    assert any("fewer fields" in n for n in corpus["b"].notes)


def test_from_tsv_by_extension(tmp_path):
    path = tmp_path / "d.tsv"
    path.write_text("id\ttext\na\thello, world\n", encoding="utf-8")
    corpus = Corpus.from_path(path)
    assert corpus["a"].text == "hello, world"


# --------------------------------------------------------------------------- #
# from_records
# --------------------------------------------------------------------------- #


def test_from_records():
    corpus = Corpus.from_records(
        [{"name": "a", "body": CAT, "n": 1}, {"body": DOG}],
        text_key="body",
        id_key="name",
    )
    assert corpus.ids == ("a", "record:2")
    assert corpus["a"].meta == (("n", 1),)
    with pytest.raises(TypeError, match="single str"):
        Corpus.from_records("abc")  # type: ignore[arg-type]


def test_unhashable_meta_keeps_document_hashable():
    corpus = Corpus.from_records([{"id": "a", "text": "x", "tags": ["p", "q"]}])
    doc = corpus["a"]
    assert doc.meta_dict() == {"tags": ["p", "q"]}
    assert hash(doc) == hash(doc)


# --------------------------------------------------------------------------- #
# from_path
# --------------------------------------------------------------------------- #


def test_from_path_dispatch(tmp_path):
    d = tmp_path / "folder"
    d.mkdir()
    (d / "a.txt").write_text(CAT)
    assert Corpus.from_path(d).ids == ("a",)
    assert Corpus.from_path(str(d)).ids == ("a",)

    single = tmp_path / "only.txt"
    single.write_text(DOG)
    corpus = Corpus.from_path(single)
    assert corpus.ids == ("only",) and corpus.texts == (DOG,)

    nd = write_jsonl(tmp_path / "d.ndjson", [json.dumps({"id": "n", "text": CAT})])
    assert Corpus.from_path(nd).ids == ("n",)
    js = write_jsonl(tmp_path / "d.json", [json.dumps({"id": "j", "text": CAT})])
    assert Corpus.from_path(js).ids == ("j",)
    arr = tmp_path / "arr.json"
    arr.write_text(json.dumps([{"text": CAT}, {"id": "b", "text": DOG}]), encoding="utf-8")
    assert Corpus.from_path(arr).ids == ("item:1", "b")

    cs = tmp_path / "d.csv"
    cs.write_text("id,text\nc,hello\n")
    assert Corpus.from_path(cs).ids == ("c",)


def test_from_path_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.jsonl"):
        Corpus.from_path(tmp_path / "missing.jsonl")
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"%PDF")
    with pytest.raises(ValueError, match=r"doc\.pdf.*\.jsonl"):
        Corpus.from_path(pdf)


# --------------------------------------------------------------------------- #
# as_corpus
# --------------------------------------------------------------------------- #


def test_as_corpus_kinds(tmp_path):
    corpus = Corpus([CAT])
    assert as_corpus(corpus) is corpus
    assert as_corpus([CAT, DOG], ids=["c", "d"]).ids == ("c", "d")
    assert as_corpus((CAT,)).texts == (CAT,)
    assert as_corpus({"c": CAT, "d": DOG}).ids == ("c", "d")
    (tmp_path / "a.txt").write_text(CAT)
    assert as_corpus(tmp_path).ids == ("a",)
    with pytest.raises(TypeError, match="single str"):
        as_corpus(str(tmp_path))
    with pytest.raises(TypeError, match="int"):
        as_corpus(3)
    with pytest.raises(ValueError):
        as_corpus(corpus, ids=["x"])


# --------------------------------------------------------------------------- #
# Display
# --------------------------------------------------------------------------- #


def test_repr_and_html_escaped():
    corpus = Corpus(["<b>x</b>", ""] + ["t"] * 25, ids=["<script>", "e"] + [f"d{i}" for i in range(25)])
    r = repr(corpus)
    assert r.startswith("Corpus(n=27") and len(r) < 200
    h = corpus._repr_html_()
    assert "<script>" not in h and "&lt;script&gt;" in h
    assert h.count("<tr>") == 21  # header + 20 documents
    assert "7 more" in h
    assert "empty document" in h
    assert len(repr(Document("x", "y" * 10_000))) < 200


# --------------------------------------------------------------------------- #
# pandas
# --------------------------------------------------------------------------- #


def test_from_pandas_series():
    pd = pytest.importorskip("pandas")
    s = pd.Series([CAT, DOG, None])
    corpus = Corpus.from_pandas(s)
    assert corpus.ids == ("0", "1", "2")
    assert corpus.texts == (CAT, DOG, "")
    assert corpus["2"].notes[0].endswith("kept as empty text")
    named = pd.Series([CAT, DOG], index=["c", "c"])
    assert Corpus.from_pandas(named).ids == ("c", "c#2")
    assert as_corpus(s).ids == ("0", "1", "2")
    na = Corpus.from_pandas(pd.Series([CAT, None], dtype="string"))
    assert na.texts == (CAT, "") and "missing" in na["1"].notes[0]
    shifted = Corpus.from_pandas(pd.Series([CAT, DOG], index=pd.RangeIndex(5, 7)))
    assert shifted.ids == ("5", "6")


def test_from_pandas_dataframe():
    pd = pytest.importorskip("pandas")
    import numpy as np

    df = pd.DataFrame(
        {"key": ["a", "b", "c"], "text": [CAT, np.nan, CJK], "score": [1, 2, 3]},
        index=[10, 11, 12],
    )
    corpus = Corpus.from_pandas(df, id_column="key")
    assert corpus.ids == ("a", "b", "c")
    assert corpus["b"].text == "" and "NaN" in corpus["b"].notes[0]
    assert corpus["a"].meta_dict() == {"score": 1}
    assert type(corpus["a"].meta_dict()["score"]) is int
    assert Corpus.from_pandas(df).ids == ("10", "11", "12")
    assert as_corpus(df).texts[2] == CJK
    with pytest.raises(KeyError, match="'body'"):
        Corpus.from_pandas(df, text_column="body")
    with pytest.raises(TypeError):
        Corpus.from_pandas([CAT])


# --------------------------------------------------------------------------- #
# Invariants
# --------------------------------------------------------------------------- #


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(max_size=30), max_size=12),
    data=st.data(),
)
def test_texts_preserved_and_ids_unique(texts, data):
    ids = data.draw(
        st.one_of(
            st.none(),
            st.lists(
                st.sampled_from(["a", "b", "a#2", "c", 1, "1"]),
                min_size=len(texts),
                max_size=len(texts),
            ),
        )
    )
    corpus = Corpus(texts, ids=ids)
    assert corpus.texts == tuple(texts)  # st.text() has no lone surrogates
    assert len(corpus) == len(texts)
    assert len(set(corpus.ids)) == len(corpus)
    for pos, doc in enumerate(corpus):
        assert corpus[doc.id] is doc
        assert corpus.index_of(doc.id) == pos
    # same input, same corpus
    again = Corpus(texts, ids=ids)
    assert again.ids == corpus.ids and again.texts == corpus.texts


def test_path_objects_only_via_pathlike(tmp_path):
    (tmp_path / "a.txt").write_text(CAT)

    class P(os.PathLike):
        def __fspath__(self):
            return str(tmp_path)

    assert as_corpus(P()).ids == ("a",)


def test_equality_and_copy():
    import copy

    a = Corpus([CAT, DOG], ids=["c", "d"])
    b = Corpus([CAT, DOG], ids=["c", "d"])
    assert a == b and hash(a) == hash(b)
    assert a != Corpus([DOG, CAT], ids=["d", "c"])
    assert copy.deepcopy(a) == a
