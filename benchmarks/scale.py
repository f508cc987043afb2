"""Time and peak memory of the full ``scan`` on generated corpora (issue 2).

Runs :meth:`spindetect.Detector.fit_detect` (the engine of ``spindetect scan``)
or, with ``--cli``, ``spindetect scan CORPUS.jsonl -o OUT.jsonl`` itself, on
N generated documents of ~3.7 KB (``benchmarks/generate.py``'s
``generate_scale_corpus``: random-word texts, 10 % copies), each size in a
fresh child process.  Prints wall time, CPU time, documents/s and the peak
resident memory of the run (``VmHWM`` minus the resident size after imports;
the texts are part of it, since ``scan`` holds the corpus), the machine's load
average before and after the run (on a shared machine the wall time is mostly
waiting: compare CPU times), and the ratios of
documents, time and peak to the first size (``--n 100000 --n 1000000``: the
1M/100k ratios; a bounded-memory scan has a peak ratio far below the
documents ratio).  ``--profile``
adds the top of a cProfile of the run, to see what dominates.

Usage::

    python benchmarks/scale.py                    # 10k and 100k
    python benchmarks/scale.py --n 10000 --profile
    python benchmarks/scale.py --n 100000 --cli --check   # exit 1 if over 10 minutes
    python benchmarks/scale.py --n 100000 --n 1000000 --cli --check --limit-mb 3072
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

LIMIT_100K_SECONDS = 600.0


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status (Linux only)")


def write_corpus(path: Path, n: int, seed: int) -> None:
    from benchmarks.generate import generate_scale_corpus

    with open(path, "w", encoding="utf-8") as f:
        for doc_id, text in generate_scale_corpus(n, seed=seed, dup_rate=0.1, doc_bytes=3700):
            f.write(json.dumps({"id": doc_id, "text": text}))
            f.write("\n")


def child(path: str, use_cli: bool, profile: bool, out: str) -> None:
    """Run one scan in this fresh process and write the figures as JSON."""
    import spindetect
    import spindetect.cli

    base = _status_kb("VmRSS")
    t0 = time.perf_counter()
    c0 = time.process_time()
    prof = cProfile.Profile() if profile else None
    if prof:
        prof.enable()
    info: dict = {}
    if use_cli:
        with tempfile.TemporaryDirectory() as tmp:
            rc = spindetect.cli.main(["scan", path, "-o", str(Path(tmp) / "scan.jsonl")])
        info["exit_code"] = rc
    else:
        ids, texts = [], []
        with open(path, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                ids.append(rec["id"])
                texts.append(rec["text"])
        result = spindetect.Detector().fit_detect(texts, ids=ids)
        clusters = getattr(result, "clusters", None)
        try:
            info["clusters"] = len(clusters)  # type: ignore[arg-type]
        except TypeError:
            pass
    if prof:
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
        info["profile_cumulative"] = buf.getvalue()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
        info["profile_tottime"] = buf.getvalue()
    info.update(
        seconds=time.perf_counter() - t0,
        cpu=time.process_time() - c0,
        mem_kb=max(_status_kb("VmHWM") - base, 0),
    )
    with open(out, "w") as f:
        json.dump(info, f)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, action="append", help="documents (repeatable); default 10k and 100k")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cli", action="store_true", help="run 'spindetect scan' instead of Detector.fit_detect")
    ap.add_argument("--profile", action="store_true", help="print the top of a cProfile of each run")
    ap.add_argument("--workdir", help="where the generated corpora go (default: a temp dir)")
    ap.add_argument("--check", action="store_true", help="exit 1 if 100k documents take over 10 minutes (or over --limit-mb)")
    ap.add_argument("--limit-mb", type=float, help="with --check: exit 1 if a run peaks above this many MB")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.cli, args.profile, args.out)
        return 0
    sizes = args.n or [10_000, 100_000]
    tmp = None
    if args.workdir:
        workdir = Path(args.workdir)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="spindetect-scale-")
        workdir = Path(tmp.name)
    failures = []
    try:
        print(f"{'N':>9}{'MB':>8}{'time s':>10}{'cpu s':>10}{'docs/s':>10}{'peak MB':>10}{'KB/doc':>9}"
              f"{'x docs':>8}{'x time':>8}{'x peak':>8}")
        first: dict | None = None
        for n in sizes:
            path = workdir / f"scale-{n}-{args.seed}.jsonl"
            if not path.exists():
                write_corpus(path, n, args.seed)
            out = workdir / f"scale-{n}.json"
            cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), "--out", str(out)]
            if args.cli:
                cmd.append("--cli")
            if args.profile:
                cmd.append("--profile")
            load_before = os.getloadavg()[0]
            subprocess.run(cmd, check=True)
            load_after = os.getloadavg()[0]
            info = json.loads(out.read_text())
            mb = path.stat().st_size / 1e6
            first = first or dict(info, n=n)
            print(f"{n:>9}{mb:>8.0f}{info['seconds']:>10.1f}{info['cpu']:>10.1f}"
                  f"{n / info['seconds']:>10.0f}{info['mem_kb'] / 1024:>10.0f}{info['mem_kb'] / n:>9.1f}"
                  f"{n / first['n']:>8.1f}{info['seconds'] / first['seconds']:>8.2f}"
                  f"{info['mem_kb'] / max(first['mem_kb'], 1):>8.2f}"
                  f"   (load average {load_before:.1f} before, {load_after:.1f} after: other jobs share the cores)",
                  flush=True)
            if args.limit_mb and info["mem_kb"] / 1024 > args.limit_mb:
                failures.append(f"{n} documents peaked at {info['mem_kb'] / 1024:.0f} MB")
            if args.profile:
                print(info["profile_cumulative"])
                print(info["profile_tottime"])
            if n >= 100_000 and info["seconds"] * (100_000 / n) > LIMIT_100K_SECONDS:
                failures.append(f"{n} documents took {info['seconds']:.0f} s")
    finally:
        if tmp is not None:
            tmp.cleanup()
    if failures:
        print("over budget: " + "; ".join(failures))
        if args.check:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
