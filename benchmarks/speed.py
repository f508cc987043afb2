"""Speed of the dedup path at corpus scale, side by side with datasketch and rensa.

Every pipeline does the same job on the same JSONL file: read, shingle (word
5-grams), sign (128 permutations), LSH at Jaccard 0.8, verify, cluster, decide
which documents are duplicates.

* ``floor``: read + regex word tokenise (``\\w+``) on one core, nothing else;
  the cost of just looking at the text.
* ``spindetect``: :class:`spindetect.dedup.Deduplicator` (the code path of
  ``spindetect dedup``), ``n_jobs`` threads.
* ``datasketch``: regex words, word 5-gram strings, ``MinHash.bulk`` with
  ``scheme="affine32"``, ``MinHashLSH``, every candidate verified with
  ``MinHash.jaccard``, connected components.
* ``rensa``: the same read and tokenise, 5-gram strings given to
  ``RMinHashDeduplicator(use_lsh=True).add_pairs`` as rensa's README suggests
  (rensa comes with the ``bench`` extra: ``pip install -e '.[bench]'``; it is
  skipped with a note when missing).

All pipelines use the same LSH split: spindetect's default for Jaccard 0.8
and 128 permutations (16 bands of 8 rows, see
:func:`spindetect.dedup.default_bands`).

Each pipeline runs in a fresh child process, so that its peak memory can be
measured: ``mem`` is the peak resident set size (``VmHWM``; ``ru_maxrss``
would include the parent's peak, which survives ``exec``) minus the resident
size after imports, i.e. everything the run allocated (the texts
are streamed from the file and never all in memory).  Times exclude process
start and imports.  Duplicate decisions (``is_dup``: not the kept document of
its cluster) are compared with spindetect's; ``disagree`` is the share of
documents decided differently.

The corpus comes from ``benchmarks/generate.py``'s ``generate_scale_corpus``
(deterministic; ~3.7 KB documents, 10 % copies, half of them lightly edited).

Usage::

    python benchmarks/speed.py --n 10000
    python benchmarks/speed.py --n 100000 --check        # exit 1 if a target is missed
    python benchmarks/speed.py --n 100000 --n 1000000 --peers floor,spindetect

Targets checked with ``--check`` (issue 5), for N >= 10k: spindetect >= 5x
datasketch, >= 1.0x rensa, within 1.5x of the floor's time, < 1 %
disagreement with each peer, and (N >= 100k, where the fixed working memory
of the batches no longer dominates) <= 1 KB of memory per document.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

WORD_RE = re.compile(r"\w+")
THRESHOLD = 0.8
NUM_PERM = 128
NGRAM = 5
SEED = 1
BATCH = 1000  # batch of the peer pipelines
ALL_PEERS = ("floor", "spindetect", "datasketch", "rensa")


# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------


def write_corpus(path: Path, n: int, seed: int, dup_rate: float) -> None:
    """Write ``n`` generated documents as JSONL (``id``, ``text``)."""
    from benchmarks.generate import generate_scale_corpus

    corpus = generate_scale_corpus(n, seed=seed, dup_rate=dup_rate, doc_bytes=3700)
    with open(path, "w", encoding="utf-8") as f:
        for doc_id, text in corpus:
            f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False))
            f.write("\n")


def read_texts(path: str):
    """Stream the texts of a JSONL file."""
    loads = json.loads
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield loads(line)["text"]


# ---------------------------------------------------------------------------
# Pipelines (each returns a bool array: is the document a duplicate?)
# ---------------------------------------------------------------------------


def _split() -> tuple[int, int]:
    """The LSH split every pipeline uses: spindetect's default for the threshold."""
    from spindetect.dedup import default_bands

    return default_bands(THRESHOLD, NUM_PERM)


def _first_of_component(n: int, pairs: list[tuple[int, int]]) -> np.ndarray:
    """is_dup for 'keep the first document of each connected component'."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)  # the root is the smallest index
    return np.fromiter((find(i) != i for i in range(n)), dtype=bool, count=n)


def run_floor(path: str, jobs: int) -> tuple[np.ndarray | None, dict]:
    n_tok = 0
    n = 0
    findall = WORD_RE.findall
    for text in read_texts(path):
        n_tok += len(findall(text))
        n += 1
    return None, {"n_docs": n, "tokens": n_tok}


def run_spindetect(path: str, jobs: int) -> tuple[np.ndarray, dict]:
    from spindetect.dedup import Deduplicator

    dd = Deduplicator(
        threshold=THRESHOLD, num_perm=NUM_PERM, ngram=NGRAM, seed=SEED,
        n_jobs=jobs,
    ).fit(read_texts(path))
    return ~dd.keep_, {
        "n_docs": dd.n_docs_, "candidates": dd.n_candidates_, "pairs": len(dd.pairs_),
        "bands": dd.bands_, "rows": dd.rows_,
    }


def _shingle_strings(text: str) -> list[str]:
    words = WORD_RE.findall(text.lower())
    if len(words) < NGRAM:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + NGRAM]) for i in range(len(words) - NGRAM + 1)]


def run_datasketch(path: str, jobs: int) -> tuple[np.ndarray, dict]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, params=_split())
    sketches = []
    batch: list[list[bytes]] = []

    def flush() -> None:
        made = MinHash.bulk(batch, num_perm=NUM_PERM, seed=SEED, scheme="affine32")
        with lsh.insertion_session() as session:
            for m in made:
                session.insert(len(sketches), m)
                sketches.append(m)
        batch.clear()

    for text in read_texts(path):
        batch.append([s.encode("utf-8") for s in _shingle_strings(text)])
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    pairs = []
    n_cand = 0
    for i, m in enumerate(sketches):
        for j in lsh.query(m):
            if j > i:
                n_cand += 1
                if m.jaccard(sketches[j]) >= THRESHOLD:
                    pairs.append((i, j))
    return _first_of_component(len(sketches), pairs), {
        "n_docs": len(sketches), "candidates": n_cand, "pairs": len(pairs),
    }


def run_rensa(path: str, jobs: int) -> tuple[np.ndarray, dict]:
    from rensa import RMinHashDeduplicator

    dd = RMinHashDeduplicator(
        threshold=THRESHOLD, num_perm=NUM_PERM, use_lsh=True, num_bands=_split()[0]
    )
    keep: list[bool] = []
    batch: list[tuple[str, list[str]]] = []
    for i, text in enumerate(read_texts(path)):
        batch.append((str(i), _shingle_strings(text)))
        if len(batch) == BATCH:
            keep.extend(dd.add_pairs(batch))
            batch = []
    if batch:
        keep.extend(dd.add_pairs(batch))
    return ~np.asarray(keep, dtype=bool), {"n_docs": len(keep)}


PIPELINES = {
    "floor": run_floor,
    "spindetect": run_spindetect,
    "datasketch": run_datasketch,
    "rensa": run_rensa,
}


def _status_kb(field: str) -> int:
    """A ``/proc/self/status`` memory figure in KiB (VmRSS, VmHWM)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status (Linux only)")


def child(name: str, path: str, jobs: int, out: str) -> None:
    """Run one pipeline in this (fresh) process; write its result as JSON."""
    if name == "rensa":
        import rensa  # noqa: F401  (imports are not timed)
    elif name == "datasketch":
        import datasketch  # noqa: F401
    elif name == "spindetect":
        import spindetect.dedup  # noqa: F401
    base = _status_kb("VmRSS")
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    is_dup, info = PIPELINES[name](path, jobs)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    peak = _status_kb("VmHWM")  # peak RSS of this process image (ru_maxrss survives exec)
    if is_dup is not None:
        np.save(out + ".npy", is_dup)
    info.update(seconds=seconds, cpu=cpu, mem_kb=max(peak - base, 0))
    with open(out, "w") as f:
        json.dump(info, f)


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def run_pipeline(name: str, path: Path, jobs: int, workdir: Path) -> dict:
    out = workdir / f"{name}.json"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, str(path),
           "--jobs", str(jobs), "--out", str(out)]
    subprocess.run(cmd, check=True)
    with open(out) as f:
        info = json.load(f)
    dup_file = Path(str(out) + ".npy")
    info["is_dup"] = np.load(dup_file) if dup_file.exists() else None
    return info


def bench(n: int, peers: list[str], jobs: int, seed: int, dup_rate: float,
          corpus: str | None, workdir: Path) -> dict:
    if corpus:
        path = Path(corpus)
    else:
        path = workdir / f"corpus-{n}-{seed}.jsonl"
        if not path.exists():
            t = time.perf_counter()
            write_corpus(path, n, seed, dup_rate)
            print(f"# generated {n} documents in {time.perf_counter() - t:.1f} s -> {path}",
                  file=sys.stderr)
    size = path.stat().st_size
    results = {}
    truth = None
    if not corpus and n <= 100_000:
        truth = exact_truth(path, n, seed, dup_rate)
    for name in peers:
        print(f"# running {name} on {n} documents ...", file=sys.stderr, flush=True)
        results[name] = run_pipeline(name, path, jobs, workdir)
    return {"n": n, "bytes": size, "results": results, "truth": truth}


def exact_truth(path: Path, n: int, seed: int, dup_rate: float) -> np.ndarray:
    """is_dup from the exact word 5-gram Jaccard of the generator's known copies.

    Pairs (copy, source) and (copy, copy of the same source) with exact Jaccard
    >= THRESHOLD are linked; the first document of each component is kept.
    Documents that are not copies are assumed unrelated (random text).
    """
    from benchmarks.generate import generate_scale_corpus
    from spindetect.text.tokens import hash_shingles

    sources = generate_scale_corpus(n, seed=seed, dup_rate=dup_rate, doc_bytes=3700).sources
    copies = np.flatnonzero(sources >= 0)
    needed = set(copies.tolist()) | set(sources[copies].tolist())
    sets = {}
    for i, text in enumerate(read_texts(str(path))):
        if i in needed:
            sets[i] = np.unique(hash_shingles([text]).hashes)

    def jac(a: int, b: int) -> float:
        inter = len(np.intersect1d(sets[a], sets[b], assume_unique=True))
        union = len(sets[a]) + len(sets[b]) - inter
        return inter / union if union else 0.0

    by_source: dict[int, list[int]] = {}
    for c in copies.tolist():
        by_source.setdefault(int(sources[c]), []).append(c)
    pairs = []
    for src, members in by_source.items():
        group = [src] + members
        for x in range(len(group)):
            for y in range(x + 1, len(group)):
                if jac(group[x], group[y]) >= THRESHOLD:
                    pairs.append((min(group[x], group[y]), max(group[x], group[y])))
    return _first_of_component(n, pairs)


def report(run: dict, check: bool) -> list[str]:
    n, size, res = run["n"], run["bytes"], run["results"]
    print(f"\n## N = {n} documents, {size / 1e6:.0f} MB of JSONL")
    print(f"{'pipeline':<12}{'time s':>9}{'cpu s':>9}{'docs/s':>10}{'MB/s':>8}"
          f"{'mem MB':>9}{'B/doc':>8}{'dups':>8}{'disagree':>10}{'vs exact':>10}{'sd speed-up':>13}")
    sd = res.get("spindetect")
    ref = sd["is_dup"] if sd else None
    for name, r in res.items():
        t = r["seconds"]
        dups = "" if r["is_dup"] is None else str(int(r["is_dup"].sum()))
        if r["is_dup"] is None or ref is None or name == "spindetect":
            dis = ""
        else:
            r["disagree"] = float(np.mean(r["is_dup"] != ref))
            dis = f"{100 * r['disagree']:.3f}%"
        ratio = f"{t / sd['seconds']:.2f}x" if sd and name != "spindetect" else ""
        err = ""
        if r["is_dup"] is not None and run.get("truth") is not None:
            r["error_vs_exact"] = float(np.mean(r["is_dup"] != run["truth"]))
            err = f"{100 * r['error_vs_exact']:.3f}%"
        print(f"{name:<12}{t:>9.2f}{r['cpu']:>9.2f}{n / t:>10.0f}{size / 1e6 / t:>8.1f}"
              f"{r['mem_kb'] / 1024:>9.1f}{r['mem_kb'] * 1024 / n:>8.0f}{dups:>8}{dis:>10}{err:>10}{ratio:>13}")
    failures = []
    if sd and n >= 10_000:  # below, fixed costs (start-up, band split) dominate
        goals = []
        if "datasketch" in res:
            goals.append(("spindetect >= 5x datasketch", res["datasketch"]["seconds"] / sd["seconds"] >= 5))
        if "rensa" in res:
            goals.append(("spindetect >= 1.0x rensa", res["rensa"]["seconds"] / sd["seconds"] >= 1.0))
        if "floor" in res:
            goals.append(("spindetect within 1.5x of floor", sd["seconds"] <= 1.5 * res["floor"]["seconds"]))
        for name in ("datasketch", "rensa"):
            if name in res:
                goals.append((f"< 1% disagreement with {name}", res[name]["disagree"] < 0.01))
        if n >= 100_000:  # below, the fixed working memory of the batches dominates
            goals.append(("spindetect memory <= 1 KB/doc", sd["mem_kb"] * 1024 / n <= 1024))
        for label, ok in goals:
            print(f"  [{'PASS' if ok else 'FAIL'}] {label}")
            if not ok:
                failures.append(f"N={n}: {label}")
    return failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, action="append", help="documents (repeatable); default 10000")
    ap.add_argument("--peers", default=None,
                    help="comma-separated pipelines (floor,spindetect,datasketch,rensa); "
                         "default all up to 100k documents, floor,spindetect above")
    ap.add_argument("--jobs", type=int, default=-1, help="spindetect threads (default: all cores)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dup-rate", type=float, default=0.1)
    ap.add_argument("--corpus", help="use this JSONL file (key 'text') instead of generating one")
    ap.add_argument("--workdir", help="where corpora and results go (default: a temp dir)")
    ap.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument("--json", help="write the measured figures to this file")
    ap.add_argument("--child", nargs=2, metavar=("PIPELINE", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], args.jobs, args.out)
        return 0
    sizes = args.n or [10000]
    tmp = None
    if args.workdir:
        workdir = Path(args.workdir)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="spindetect-speed-")
        workdir = Path(tmp.name)
    print(f"# {os.cpu_count()} cores; spindetect jobs={args.jobs}; threshold={THRESHOLD}, "
          f"num_perm={NUM_PERM}, ngram={NGRAM}")
    runs = []
    failures: list[str] = []
    try:
        for n in sizes:
            if args.peers:
                peers = [p.strip() for p in args.peers.split(",") if p.strip()]
            else:
                peers = list(ALL_PEERS) if n <= 100_000 else ["floor", "spindetect"]
            unknown = set(peers) - set(PIPELINES)
            if unknown:
                ap.error(f"unknown pipelines: {sorted(unknown)}")
            if "rensa" in peers and importlib.util.find_spec("rensa") is None:
                print("# rensa is not installed (pip install -e '.[bench]'): skipping it")
                peers.remove("rensa")
            run = bench(n, peers, args.jobs, args.seed, args.dup_rate,
                        args.corpus if len(sizes) == 1 else None, workdir)
            failures += report(run, args.check)
            runs.append(run)
    finally:
        if tmp is not None:
            tmp.cleanup()
    if len(runs) > 1:
        print("\n## scaling (time ratio / size ratio; 1.0 = linear)")
        small = runs[0]
        for big in runs[1:]:
            for name in big["results"]:
                if name in small["results"]:
                    tr = big["results"][name]["seconds"] / small["results"][name]["seconds"]
                    print(f"{name:<12} {big['n']}/{small['n']}: time x{tr:.2f} for "
                          f"x{big['n'] / small['n']:.0f} documents ({tr / (big['n'] / small['n']):.2f})")
    if args.json:
        out = [
            {"n": r["n"], "bytes": r["bytes"],
             "exact_duplicates": None if r["truth"] is None else int(r["truth"].sum()),
             "results": {k: {kk: vv for kk, vv in v.items() if kk != "is_dup"}
                         for k, v in r["results"].items()}}
            for r in runs
        ]
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
    if args.check and failures:
        print("\nFAILED: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
