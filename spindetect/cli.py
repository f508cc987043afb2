"""The ``spindetect`` command line.

Subcommands::

    spindetect scan INPUT [-o OUT.jsonl]          clusters, kinds and boilerplate (the main job)
    spindetect dedup INPUT -o KEPT.jsonl          keep one document per near-duplicate cluster
    spindetect pairs INPUT [-o PAIRS.jsonl]       scored pairs as JSON lines
    spindetect explain INPUT ID_A ID_B            why two documents belong together (or not)
    spindetect boilerplate INPUT [-o OUT.jsonl]   boilerplate fraction, spans, most repeated passages
    spindetect report INPUT -o REPORT.html        a self-contained HTML report to share

INPUT is a folder of ``.txt`` files, a JSONL or a CSV file (``--text-key``,
``--id-key``).  Machine output goes to ``-o`` or stdout as JSON lines; logs and
the progress bar go to stderr.  Exit codes: 0 ok, 1 runtime error, 2 usage.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import math
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from . import __version__
from ._memory import release_freed_memory
from ._terminal import printable

__all__ = ["main", "parse_args", "build_parser"]

log = logging.getLogger("spindetect")


def _positive_int(value: str) -> int:
    """An integer >= 1 (argparse type)."""
    n = _int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value!r}")
    return n


def _non_negative_int(value: str) -> int:
    """An integer >= 0 (argparse type)."""
    n = _int(value)
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0, got {value!r}")
    return n


def _seed(value: str) -> int:
    """A MinHash seed: numpy's RandomState takes 0 <= seed < 2**32."""
    n = _int(value)
    if not 0 <= n < 2**32:
        raise argparse.ArgumentTypeError(f"must be an integer in [0, 2**32), got {value!r}")
    return n


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None


def _open_unit(value: str) -> float:
    """A finite float strictly between 0 and 1 (argparse type)."""
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not (math.isfinite(x) and 0.0 < x < 1.0):
        raise argparse.ArgumentTypeError(f"must be a number strictly between 0 and 1, got {value!r}")
    return x


def _output(value: str) -> str:
    """An output file whose folder exists and is writable ('-' is stdout).

    Checked when the arguments are parsed, so a bad path is a usage error
    before any input is read.
    """
    if value == "-":
        return value
    if not value:
        raise argparse.ArgumentTypeError("empty output path")
    path = Path(value)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r} is a folder, expected a file name")
    _writable_folder(path.parent, value)
    return value


def _writable_folder(folder: Path, value: str) -> None:
    """Raise a usage error unless ``folder`` (where ``value`` goes) exists and is writable."""
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"folder of {value!r} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"folder of {value!r} ({str(folder)!r}) is not writable")


def _scan_dir(value: str) -> str:
    """A folder to save a scan in: an existing writable folder, or a new one in a writable folder."""
    if not value:
        raise argparse.ArgumentTypeError("empty folder name")
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r} is a file, expected a folder")
    _writable_folder(path if path.is_dir() else path.parent, value)
    return value


def _pattern(value: str) -> str:
    """A file pattern inside the input folder: relative, no ``..`` (argparse type)."""
    if not value or os.path.isabs(value) or ".." in Path(value).parts:
        raise argparse.ArgumentTypeError(f"must be a relative pattern inside the folder, got {value!r}")
    return value


def _add_input(p: argparse.ArgumentParser, *, optional: bool = False) -> None:
    kwargs: dict[str, Any] = {"nargs": "?", "default": None} if optional else {}
    p.add_argument("input", metavar="INPUT", help="folder of .txt files, JSONL or CSV file", **kwargs)
    p.add_argument("--text-key", default="text", help="text field of JSONL/CSV records (default: text)")
    p.add_argument("--id-key", default="id", help="id field of JSONL/CSV records (default: id)")
    p.add_argument("--pattern", type=_pattern, default="*.txt", help="file pattern inside a folder (default: *.txt)")


def _add_minhash(p: argparse.ArgumentParser, *, threshold: float, what: str) -> None:
    p.add_argument("--threshold", type=_open_unit, default=threshold, help=f"{what} (default: {threshold})")
    p.add_argument("--ngram", type=_positive_int, default=5, help="words per shingle (default: 5)")
    p.add_argument("--num-perm", type=_positive_int, default=128, help="MinHash permutations (default: 128)")
    p.add_argument("--seed", type=_seed, default=1, help="MinHash seed (default: 1)")


def _add_detector(p: argparse.ArgumentParser) -> None:
    _add_minhash(p, threshold=0.5, what="near-duplicate Jaccard for LSH candidates")
    p.add_argument("--no-structure", action="store_true", help="skip layout/stopword signals (near-duplicates only)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``spindetect`` (values are checked by their types)."""
    parser = argparse.ArgumentParser(
        prog="spindetect",
        description="Find copied, spun and templated text in a collection of documents.",
    )
    parser.add_argument("--version", action="version", version=f"spindetect {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=0, help="more logging on stderr (-vv: debug)")
    common.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    common.add_argument("--no-progress", action="store_true", help="no progress bar")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("scan", parents=[common], help="clusters, kinds and boilerplate of every document (the main job)")
    _add_input(p)
    _add_detector(p)
    p.add_argument("-o", "--output", type=_output, help="write one JSON record per document to this file ('-' for stdout)")
    p.add_argument("--no-boilerplate", action="store_true", help="skip boilerplate scoring")
    p.add_argument("--save", type=_scan_dir, metavar="SCAN_DIR", help="also save the whole scan in this folder (for explain --from)")

    p = sub.add_parser("dedup", parents=[common], help="keep one document per near-duplicate cluster (fast MinHash/LSH path)")
    _add_input(p)
    p.add_argument("-o", "--output", type=_output, required=True, help="kept documents as JSONL ('-' for stdout)")
    p.add_argument("--clusters", type=_output, help="write the cluster assignment of every document as JSONL")
    _add_minhash(p, threshold=0.8, what="Jaccard threshold")
    p.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="run on the Dask cluster whose scheduler is at ADDRESS (e.g. tcp://10.0.0.5:8786; "
        "needs spindetect[dask]); same clusters as the local run",
    )

    p = sub.add_parser("pairs", parents=[common], help="scored pairs as JSON lines")
    _add_input(p)
    _add_detector(p)
    p.add_argument("-o", "--output", type=_output, default="-", help="output file (default: stdout)")
    p.add_argument("--all", action="store_true", help="also the candidate pairs judged unrelated")

    p = sub.add_parser("explain", parents=[common], help="scores, shared passages and template of two documents")
    _add_input(p, optional=True)  # left out with --from
    _add_detector(p)
    p.add_argument("id_a", metavar="ID_A")
    p.add_argument("id_b", metavar="ID_B")
    p.add_argument("--from", dest="scan_dir", metavar="SCAN_DIR", help="answer from a scan saved with scan --save (no refit)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")

    p = sub.add_parser("boilerplate", parents=[common], help="boilerplate fraction and spans of every document")
    _add_input(p)
    p.add_argument("-o", "--output", type=_output, help="write one JSON record per document with spans ('-' for stdout)")
    p.add_argument("--top", type=_non_negative_int, default=15, help="most repeated passages to print (default: 15)")
    _add_report(sub, common)
    return parser


def _add_report(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="a self-contained HTML report: clusters, templates, pairs, "
                       "boilerplate and plots")
    _add_input(p, optional=True)  # left out with --from
    _add_detector(p)
    p.add_argument("--from", dest="scan_dir", metavar="SCAN_DIR", help="report a scan saved with scan --save (no rescan)")
    p.add_argument("-o", "--output", type=_output, required=True, help="the HTML file to write ('-' for stdout)")
    p.add_argument("--no-boilerplate", action="store_true", help="skip boilerplate scoring")
    p.add_argument("--title", default="spindetect report", help="title of the report (default: spindetect report)")
    p.add_argument("--max-families", type=_positive_int, default=30, help="clusters shown in detail (default: 30)")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse and check the command line; exit 2 with a usage message when it is wrong.

    Every value is checked here (ranges, output folders, output files that
    would overwrite the input or each other), before any input is read.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    argparse.Namespace
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in ("explain", "report") and (args.input is None) == (args.scan_dir is None):
        parser.error(f"{args.command}: give either INPUT or --from SCAN_DIR (not both)")
    problem = _clashing_outputs(args) or _scheduler_problem(args)
    if problem:
        parser.error(f"{args.command}: {problem}")
    return args


def _scheduler_problem(args: argparse.Namespace) -> str | None:
    """Why ``--scheduler`` cannot be used, or None."""
    address = getattr(args, "scheduler", None)
    if address is None:
        return None
    if not address.strip():
        return "--scheduler needs an address, e.g. tcp://127.0.0.1:8786"
    if importlib.util.find_spec("distributed") is None:
        return "--scheduler needs dask.distributed: pip install 'spindetect[dask]'"
    return None


def _clashing_outputs(args: argparse.Namespace) -> str | None:
    """Why the output files would overwrite the input or each other, or None."""
    outputs = [o for o in (getattr(args, "output", None), getattr(args, "clusters", None)) if o not in (None, "-")]
    resolved = [os.path.realpath(o) for o in outputs]
    if len(set(resolved)) < len(resolved):
        return "-o and --clusters name the same file"
    source = os.path.realpath(args.input) if args.input is not None else None
    if source in resolved:
        return f"output {args.input!r} is the input file"
    return None


def _setup_logging(args: argparse.Namespace) -> None:
    level = logging.ERROR if args.quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


def _load(args: argparse.Namespace):
    from .text.corpus import Corpus

    return Corpus.from_path(Path(args.input), text_key=args.text_key, id_key=args.id_key, pattern=args.pattern)


def _detector(args: argparse.Namespace, *, boilerplate: bool):
    from .detector import Detector

    return Detector(
        threshold=args.threshold,
        ngram=args.ngram,
        num_perm=args.num_perm,
        seed=args.seed,
        structure=not args.no_structure,
        boilerplate=boilerplate,
        progress=_progress(args),
    )


def _progress(args: argparse.Namespace) -> bool:
    return not args.no_progress and not args.quiet and sys.stderr.isatty()


class _Out:
    """An output target: stdout for ``-``, else a file written atomically.

    A file is written to a temporary name in its own folder and renamed over
    the target only when the block ends without an error, so a failed run
    never leaves a truncated file where a good one was.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.handle: IO[str] | None = None
        self.tmp: str | None = None

    def __enter__(self) -> IO[str]:
        if self.path in (None, "-"):
            return sys.stdout
        target = os.path.abspath(self.path)
        fd, self.tmp = tempfile.mkstemp(
            dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.", suffix=".tmp"
        )
        os.chmod(self.tmp, _new_file_mode())
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self.handle

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if self.handle is None or self.tmp is None:
            return
        self.handle.close()
        if exc_type is None:
            os.replace(self.tmp, os.path.abspath(str(self.path)))
        else:
            try:
                os.unlink(self.tmp)
            except OSError:  # pragma: no cover - already gone
                pass


def _new_file_mode() -> int:
    """The mode ``open()`` gives a new file (0o666 less the umask)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


# Line breaks other than "\n" that JSON leaves raw but str.splitlines() and
# many JSONL readers split on: written as escapes so a record stays one line.
_LINE_BREAKS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"})


def _write_jsonl(path: str | None, records: Iterable[dict[str, Any]]) -> int:
    n = 0
    with _Out(path) as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False).translate(_LINE_BREAKS) + "\n")
            n += 1
    return n


def _note(doc: Any) -> str | None:
    """A document's notes as one string, as in the scan record, or None."""
    return "; ".join(doc.notes) if doc.notes else None


def _cmd_scan(args: argparse.Namespace) -> int:
    release_freed_memory()  # a long scan frees many arrays of a few MB between stages
    corpus = _load(args)
    result = _detector(args, boilerplate=not args.no_boilerplate).fit_detect(corpus)
    if args.save:
        log.info("scan saved in %s", printable(str(result.save(args.save))))
    if args.output:
        n = _write_jsonl(args.output, result.to_records())
        log.info("wrote %d records to %s", n, printable(args.output))
        if args.output != "-" and not args.quiet:
            print(result.summary(max_rows=10), file=sys.stderr)
    elif not args.quiet:
        print(result.summary())
    return 0


def _cmd_dedup(args: argparse.Namespace) -> int:
    import numpy as np

    from .dedup import Deduplicator

    corpus = _load(args)
    settings = {"threshold": args.threshold, "ngram": args.ngram, "num_perm": args.num_perm, "seed": args.seed}
    if args.scheduler is not None:
        from .dask import labels_on_cluster

        reps = labels_on_cluster(list(corpus.texts), args.scheduler, Deduplicator(**settings))
    else:
        reps = Deduplicator(**settings).fit(list(corpus.texts), ids=list(corpus.ids)).labels_
    # reps: for each document, the position of its cluster's kept document
    keep = reps == np.arange(len(reps))
    ids = corpus.ids
    n_kept = _write_jsonl(
        args.output,
        (_kept_record(doc) for doc, k in zip(corpus, keep) if k),
    )
    if args.clusters:
        _write_jsonl(
            args.clusters,
            (
                {"id": ids[i], "cluster": ids[int(reps[i])], "kept": bool(keep[i]), "note": _note(doc)}
                for i, doc in enumerate(corpus)
            ),
        )
    log.warning("kept %d of %d documents", n_kept, len(ids))
    return 0


def _kept_record(doc: Any) -> dict[str, Any]:
    """A kept document; ``note`` only when there is one (empty, binary, ...)."""
    rec: dict[str, Any] = {"id": doc.id, "text": doc.text}
    if doc.notes:
        rec["note"] = _note(doc)
    return rec


def _cmd_pairs(args: argparse.Namespace) -> int:
    corpus = _load(args)
    result = _detector(args, boilerplate=False).fit_detect(corpus)
    pairs = result.pairs if args.all else result.pairs.accepted()
    _write_jsonl(args.output, pairs.to_records())
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    if args.scan_dir is not None:
        return _explain_saved(args)
    corpus = _load(args)
    for doc_id in (args.id_a, args.id_b):
        if doc_id not in corpus.ids:
            log.error("spindetect explain: no document with id %r in %s", doc_id, printable(args.input))
            return 2
    det = _detector(args, boilerplate=False).fit(corpus)
    exp = det.explain(args.id_a, args.id_b)
    print(json.dumps(exp.to_dict(), ensure_ascii=False, indent=2) if args.json else exp.render())
    return 0


def _explain_saved(args: argparse.Namespace) -> int:
    from .report.results import ScanResult

    result = ScanResult.load(args.scan_dir)
    for doc_id in (args.id_a, args.id_b):
        if doc_id not in result.ids:
            log.error("spindetect explain: no document with id %r in %s", printable(doc_id), printable(args.scan_dir))
            return 2
    exp = result.explain(args.id_a, args.id_b)
    print(json.dumps(exp.to_dict(), ensure_ascii=False, indent=2) if args.json else exp.render())
    return 0


def _cmd_boilerplate(args: argparse.Namespace) -> int:
    from .boilerplate.scorer import BoilerplateScorer

    corpus = _load(args)
    scorer = BoilerplateScorer()
    reports = scorer.fit_score(list(corpus.texts))  # the same call as scan's boilerplate step
    if args.output:
        _write_jsonl(args.output, ({"id": d.id, **r.to_dict(), "note": _note(d)} for d, r in zip(corpus, reports)))
    else:
        print(f"{'id':<40} {'chars':>8} {'bp words':>9} {'bp chars':>9} {'spans':>6}")
        for d, r in zip(corpus.ids, reports):
            print(f"{printable(d)[:40]:<40} {r.n_chars:>8} {r.fraction:>9.2f} {r.char_fraction:>9.2f} {len(r.spans):>6}")
    _print_top_passages(scorer, args)
    return 0


def _print_top_passages(scorer: Any, args: argparse.Namespace) -> None:
    top = list(scorer.top_passages_)[: args.top]
    if not top:
        return
    target = sys.stderr if args.output == "-" else sys.stdout
    print("", file=target)
    print("most repeated passages (documents: passage):", file=target)
    for text, count in top:
        short = printable(" ".join(text.split()))
        short = short if len(short) <= 100 else short[:97] + "..."
        print(f"  {count:>5}: {short}", file=target)


def _cmd_report(args: argparse.Namespace) -> int:
    from .report.results import ScanResult

    if args.scan_dir is not None:
        result = ScanResult.load(args.scan_dir)
    else:
        result = _detector(args, boilerplate=not args.no_boilerplate).fit_detect(_load(args))
    options = {"title": args.title, "max_families": args.max_families}
    if args.output == "-":
        sys.stdout.write(result.to_html(**options) or "")
    else:
        result.to_html(args.output, **options)
        log.warning("wrote the report of %d documents to %s", len(result), printable(args.output))
    return 0


_COMMANDS = {
    "scan": _cmd_scan,
    "dedup": _cmd_dedup,
    "pairs": _cmd_pairs,
    "explain": _cmd_explain,
    "boilerplate": _cmd_boilerplate,
    "report": _cmd_report,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 runtime error, 2 usage)."""
    try:
        args = parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    _setup_logging(args)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    """Run one parsed command; a runtime error is one clear line and exit 1."""
    try:
        return _COMMANDS[args.command](args)
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except Exception as exc:  # RecursionError and MemoryError too
        log.error("spindetect %s: %s: %s", args.command, type(exc).__name__, printable(str(exc)))
        log.debug("traceback", exc_info=True)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
