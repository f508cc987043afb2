"""Save a :class:`~spindetect.report.results.ScanResult` to a folder and load it back, with no pickle.

A saved scan is three files in one folder:

``scan.json``
    format and version, the per-document results (ids, clusters, kinds,
    boilerplate fractions, notes, matches), the clusters, the pair kinds'
    rules and the clustering settings, and the input's pandas index if any;
``documents.jsonl``
    one line per document: ``id``, ``text``, ``notes``, ``source``, ``meta``
    (meta values JSON cannot hold are saved as their ``str``);
``arrays.npz``
    the pair table (positions and every score) and the boilerplate spans,
    as plain numeric and string arrays, read with ``allow_pickle=False``.

Loading runs no code from the files.  Each file is written to a temporary
name and renamed, so an interrupted save never leaves a half-written file
under the final name.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np

from ..boilerplate import BoilerplateReport, BoilerplateSpan
from ..decide.describe import Cluster, Clusters
from ..decide.kinds import KindRules
from ..decide.pairs import Pairs
from ..text.corpus import Corpus, Document
from .scan import ScanData

__all__ = ["save_result", "load_result", "FORMAT", "VERSION"]

FORMAT = "spindetect.ScanResult"
VERSION = 1
_SCORE = "score:"

#: The class a scan is loaded as (a ScanResult, which this module does not import).
_Scan = TypeVar("_Scan", bound=ScanData)


def save_result(result: ScanData, path: str | os.PathLike[str]) -> Path:
    """Write ``result`` into the folder ``path`` (created if needed); return the folder."""
    if result.corpus is None:
        raise ValueError("this ScanResult kept no texts (corpus=None): nothing to save them from")
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = result.corpus
    _atomic(folder / "documents.jsonl", "w", lambda fh: _write_documents(fh, corpus))
    _atomic(folder / "arrays.npz", "wb", lambda fh: np.savez_compressed(fh, **_arrays(result)))  # type: ignore[arg-type]
    _atomic(folder / "scan.json", "w", lambda fh: json.dump(_header(result), fh, ensure_ascii=False))
    return folder


def load_result(path: str | os.PathLike[str], cls: type[_Scan]) -> _Scan:
    """Read a folder written by :func:`save_result` into an instance of ``cls``."""
    folder = Path(path)
    head_file = folder / "scan.json"
    if not head_file.is_file():
        raise FileNotFoundError(f"{folder}: not a saved scan (no scan.json)")
    head = json.loads(head_file.read_text(encoding="utf-8"))
    if head.get("format") != FORMAT or head.get("version") != VERSION:
        raise ValueError(f"{folder}: scan.json is not a {FORMAT} version {VERSION} file")
    corpus = _read_documents(folder / "documents.jsonl")
    if corpus.ids != tuple(head["ids"]):
        raise ValueError(f"{folder}: documents.jsonl does not hold the documents of scan.json")
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return cls(**_fields(head, corpus, arrays))


# ------------------------------------------------------------------ writing
def _atomic(target: Path, mode: str, write: Callable[[IO[Any]], None]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with open(fd, mode, encoding=None if "b" in mode else "utf-8") as fh:
            write(fh)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def _write_documents(fh: IO[str], corpus: Corpus) -> None:
    for doc in corpus:
        rec = {"id": doc.id, "text": doc.text, "notes": list(doc.notes), "source": doc.source, "meta": dict(doc.meta)}
        fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")


def _header(result: ScanData) -> dict[str, Any]:
    rules = result.pairs.rules
    return {
        "format": FORMAT,
        "version": VERSION,
        "ids": list(result.ids),
        "labels": list(result.labels),
        "kinds": list(result.kinds),
        "boilerplate": [None if x is None else float(x) for x in result.boilerplate],
        "notes": [list(n) for n in result.notes],
        "matches": list(result.matches),
        "boilerplate_method": result.boilerplate_method,
        "clusters": [_cluster_dict(c) for c in result.clusters],
        "rules": None if rules is None else rules.to_dict(),
        "settings": dict(result.settings),
        "input_index": _index_dict(result.input_index),
        "has_boilerplate_reports": result.boilerplate_reports is not None,
    }


def _cluster_dict(c: Cluster) -> dict[str, Any]:
    return {
        "id": c.id,
        "members": list(c.members),
        "kind": c.kind,
        "edge_kinds": [list(kv) for kv in c.edge_kinds],
        "mean_scores": [list(kv) for kv in c.mean_scores],
    }


def _index_dict(index: Any) -> dict[str, Any] | None:
    if index is None:
        return None
    values = json.loads(json.dumps(index.tolist(), default=str))
    return {"values": values, "name": None if index.name is None else str(index.name)}


def _arrays(result: ScanData) -> dict[str, np.ndarray]:
    pairs = result.pairs
    out: dict[str, np.ndarray] = {
        "pairs_index": np.asarray(pairs.index, dtype=np.int64).reshape(-1, 2),
        "pairs_kinds": np.asarray(pairs.kinds, dtype=str),
    }
    for name, values in pairs.scores.items():
        out[_SCORE + name] = np.asarray(values)
    reports = result.boilerplate_reports
    if reports is not None:
        spans = [s for r in reports for s in r.spans]
        out["bp_fraction"] = np.array([r.fraction for r in reports], dtype=np.float64)
        out["bp_char_fraction"] = np.array([r.char_fraction for r in reports], dtype=np.float64)
        out["bp_n_chars"] = np.array([r.n_chars for r in reports], dtype=np.int64)
        out["bp_indptr"] = np.cumsum([0] + [len(r.spans) for r in reports]).astype(np.int64)
        out["bp_start"] = np.array([s.start for s in spans], dtype=np.int64)
        out["bp_end"] = np.array([s.end for s in spans], dtype=np.int64)
        out["bp_reason"] = np.array([s.reason for s in spans], dtype=str)
    return out


# ------------------------------------------------------------------ reading
def _read_documents(path: Path) -> Corpus:
    docs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            docs.append(Document(rec["id"], rec["text"], tuple(rec["notes"]), rec["source"], tuple(rec["meta"].items())))
    return Corpus._from_tuple(tuple(docs))  # exactly as saved: notes are not re-derived


def _fields(head: dict[str, Any], corpus: Corpus, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    scores = {k[len(_SCORE) :]: v for k, v in arrays.items() if k.startswith(_SCORE)}
    rules = None if head["rules"] is None else KindRules(**head["rules"])
    pairs = Pairs(corpus.ids, arrays["pairs_index"], arrays["pairs_kinds"].astype(object), scores, rules=rules)
    clusters = Clusters(
        tuple(
            Cluster(
                c["id"],
                tuple(c["members"]),
                c["kind"],
                tuple((k, int(v)) for k, v in c["edge_kinds"]),
                tuple((k, float(v)) for k, v in c["mean_scores"]),
            )
            for c in head["clusters"]
        )
    )
    reports = _reports(arrays, corpus) if head["has_boilerplate_reports"] else None
    boilerplate = tuple(head["boilerplate"])
    if reports is not None and "bp_char_fraction" not in arrays:
        # Saved before fractions became shares of words: its fractions are shares of characters.
        boilerplate = tuple(r.fraction for r in reports)
    return dict(
        ids=corpus.ids,
        labels=tuple(head["labels"]),
        kinds=tuple(head["kinds"]),
        boilerplate=boilerplate,
        notes=tuple(tuple(n) for n in head["notes"]),
        pairs=pairs,
        clusters=clusters,
        boilerplate_reports=reports,
        matches=tuple(head["matches"]),
        boilerplate_method=head["boilerplate_method"],
        corpus=corpus,
        input_index=_index(head["input_index"]),
        settings=head["settings"],
    )


def _reports(arrays: dict[str, np.ndarray], corpus: Corpus) -> tuple[BoilerplateReport, ...]:
    """The saved reports; those of a scan saved before ``char_fraction`` are counted again from the texts."""
    indptr = arrays["bp_indptr"].tolist()
    starts, ends, reasons = arrays["bp_start"].tolist(), arrays["bp_end"].tolist(), arrays["bp_reason"].tolist()
    spans = [
        tuple(BoilerplateSpan(starts[k], ends[k], reasons[k]) for k in range(indptr[d], indptr[d + 1]))
        for d in range(len(indptr) - 1)
    ]
    if "bp_char_fraction" not in arrays:
        return tuple(BoilerplateReport.from_spans(text, s) for text, s in zip(corpus.texts, spans))
    columns = zip(arrays["bp_fraction"].tolist(), arrays["bp_n_chars"].tolist(), arrays["bp_char_fraction"].tolist())
    return tuple(
        BoilerplateReport(fraction=float(f), spans=s, n_chars=int(n), char_fraction=float(c))
        for s, (f, n, c) in zip(spans, columns)
    )


def _index(spec: dict[str, Any] | None) -> Any:
    if spec is None:
        return None
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    return pd.Index(spec["values"], name=spec["name"])
