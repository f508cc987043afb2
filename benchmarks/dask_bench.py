"""Dedup on a Dask LocalCluster with 1 and 2 workers, next to the single-process Deduplicator.

One corpus (``benchmarks/speed.py``'s generated JSONL: ~3.7 KB documents,
10 % copies, half of them lightly edited), one run of each:

* ``single``: :class:`spindetect.dedup.Deduplicator` in this process
  (``n_jobs`` threads, default every core), streaming the JSONL file;
* ``dask-K``: :func:`spindetect.dask.dedup` on a ``LocalCluster`` of K
  worker processes with one thread each; the workers read the JSONL file
  themselves (``dask.bag.read_text`` in blocks of ``--blocksize``), so the
  time includes reading and parsing, like ``single``.

For each Dask run the stages are timed one after the other (each persisted
and waited for): ``sign`` (read, parse, shingle, MinHash), ``edges`` (band
keys, shuffle by key, candidates, verification joins), ``components``
(min-label propagation, with its number of rounds) and ``assign`` (id and
cluster of every document, gathered to this process).  ``per part`` is the
signing time of one partition (``sign`` x workers / partitions), the figure
docs/scale.md extrapolates from.  Cluster start-up is not counted.

``equal`` says whether the Dask partition (cluster of every document) is the
single-process one; the script exits 1 when it is not.

Usage::

    python benchmarks/dask_bench.py                 # 100k documents
    python benchmarks/dask_bench.py --n 20000 --workers 1,2
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.speed import read_texts, write_corpus  # noqa: E402

# worker processes inherit this: pandas warns about wide frames inside dask's merges
os.environ.setdefault("PYTHONWARNINGS", "ignore::Warning")


def run_single(path: Path, jobs: int) -> tuple[np.ndarray, float]:
    """Cluster label (index of the first document) of every document, and the time."""
    from spindetect.dedup import Deduplicator

    t = time.perf_counter()
    dd = Deduplicator(n_jobs=jobs).fit(read_texts(str(path)))
    return dd.labels_, time.perf_counter() - t


def _parse(line: str) -> tuple[str, str]:
    rec = json.loads(line)
    return rec["id"], rec["text"]


def _timed(step: str, times: dict, fn):
    from distributed import wait

    t = time.perf_counter()
    out = fn()
    if hasattr(out, "dask"):
        wait(out)
    times[step] = time.perf_counter() - t
    return out


def run_dask(path: Path, workers: int, blocksize: str) -> tuple[dict, dict]:
    """Run the Dask stages on a fresh LocalCluster; return {id: cluster id} and the timings."""
    import dask.bag as db
    from distributed import Client, LocalCluster

    import spindetect.scale.components as components
    from spindetect.dask import _assign, near_duplicate_edges, signatures

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=50)
        client = Client(cluster)
    times: dict = {}
    try:
        start = time.perf_counter()
        bag = db.read_text(str(path), blocksize=blocksize).map(_parse)
        sigs = _timed("sign", times, lambda: signatures(bag).persist())
        edges = _timed("edges", times, lambda: near_duplicate_edges(None, sigs=sigs, min_jaccard=0.8).persist())
        rounds = []
        labels = _timed("components", times, lambda: components.connected_components(edges, on_round=rounds.append))
        out = _timed("assign", times, lambda: _assign(sigs[["id"]], labels).compute())
        times["total"] = time.perf_counter() - start
        times["partitions"] = sigs.npartitions
        times["rounds"] = len(rounds)
        times["edges_n"] = int(len(edges))
    finally:
        client.close()
        cluster.close()
    return dict(zip(out["id"].tolist(), out["cluster"].tolist())), times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="documents (default: 100000)")
    ap.add_argument("--workers", default="1,2", help="worker counts to run (default: 1,2)")
    ap.add_argument("--jobs", type=int, default=-1, help="threads of the single-process run (default: all cores)")
    ap.add_argument("--blocksize", default="16MiB", help="bytes of JSONL per Dask partition (default: 16MiB)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workdir", help="where the corpus goes (default: a temp dir)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        path = work / f"corpus-{args.n}-{args.seed}.jsonl"
        if not path.exists():
            write_corpus(path, args.n, args.seed, 0.1)
        ids = [rec[0] for rec in map(_parse, open(path, encoding="utf-8"))]
        labels, t_single = run_single(path, args.jobs)
        expected = {ids[i]: ids[int(labels[i])] for i in range(len(ids))}
        print(f"{args.n} documents, {path.stat().st_size / 1e6:.0f} MB; "
              f"{len(set(expected.values()))} clusters")
        print(f"{'run':<10} {'time s':>7} {'vs single':>9} {'sign':>6} {'edges':>6} {'comp':>6} "
              f"{'assign':>6} {'parts':>5} {'per part':>8} {'rounds':>6}  equal")
        print(f"{'single':<10} {t_single:7.1f} {1.0:9.2f}")
        ok = True
        for k in [int(w) for w in args.workers.split(",")]:
            got, t = run_dask(path, k, args.blocksize)
            equal = got == expected
            ok &= equal
            per_part = t["sign"] * k / t["partitions"]
            print(f"{'dask-' + str(k):<10} {t['total']:7.1f} {t_single / t['total']:9.2f} {t['sign']:6.1f} "
                  f"{t['edges']:6.1f} {t['components']:6.1f} {t['assign']:6.1f} {t['partitions']:5d} "
                  f"{per_part:8.2f} {t['rounds']:6d}  {equal}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
