"""The Dask path: the same partition as the single-process Deduplicator, on a 2-worker LocalCluster."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("dask.dataframe", reason="dask is not installed (extra 'dask')")
distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed (extra 'dask')")
pd = pytest.importorskip("pandas")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
from corpora import copies_and_edits  # noqa: E402

from benchmarks.generate import generate_scale_corpus  # noqa: E402
from spindetect.dask import dedup, near_duplicate_edges, signatures  # noqa: E402
from spindetect.decide.cluster import connected_labels  # noqa: E402
from spindetect.dedup import Deduplicator, default_bands  # noqa: E402
from spindetect.scale.components import connected_components  # noqa: E402
from spindetect.signals.lsh import candidate_pairs  # noqa: E402
from spindetect.signals.minhash import MinHasher  # noqa: E402


@pytest.fixture(scope="module")
def client():
    """Two in-process workers with one thread each: real scheduling, quick start."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        )
        with distributed.Client(cluster) as c:
            yield c
        cluster.close()


@pytest.fixture(scope="module")
def corpus() -> tuple[list[str], list[str]]:
    """Named copies and edits plus 300 generated documents with copies, an empty one and a blank one."""
    named = copies_and_edits().docs
    generated = generate_scale_corpus(300, seed=7, dup_rate=0.2, doc_bytes=600)
    docs = list(named) + [(f"g{k:04d}", t) for k, (_, t) in enumerate(generated)]
    docs += [("empty", ""), ("blank", " ,.; ")]
    return [d for d, _ in docs], [t for _, t in docs]


def _by_position(frame) -> list[str]:
    return frame.compute().sort_values("position")["cluster"].tolist()


def test_bag_partition_equals_single_process(client, corpus):
    ids, texts = corpus
    ref = Deduplicator(threshold=0.8).fit(texts, ids=ids)
    assert len(np.unique(ref.labels_)) < len(ids) - 20  # the corpus has clusters to find
    bag = db.from_sequence(list(zip(ids, texts)), npartitions=5)
    out = dedup(bag, Deduplicator(threshold=0.8)).compute().sort_values("position")
    assert out["id"].tolist() == ids
    assert out["cluster"].tolist() == [ids[i] for i in ref.labels_]
    assert out["kept"].tolist() == ref.keep_.tolist()


def test_dataframe_input_with_id_column(client, corpus):
    ids, texts = corpus
    ref = Deduplicator(threshold=0.7, ngram=3).fit(texts, ids=ids)
    frame = dd.from_pandas(pd.DataFrame({"doc": ids, "body": texts}), npartitions=3, sort=False)
    out = dedup(frame, Deduplicator(threshold=0.7, ngram=3), text_col="body", id_col="doc")
    assert _by_position(out) == [ids[i] for i in ref.labels_]


def test_bag_of_bare_texts_gets_position_ids(client):
    texts = ["one two three four five six seven"] * 2 + ["eight nine ten eleven twelve thirteen"]
    out = dedup(db.from_sequence(texts, npartitions=2)).compute().sort_values("position")
    assert out["cluster"].iloc[0] == out["cluster"].iloc[1] == out["id"].iloc[0]
    assert out["cluster"].iloc[2] == out["id"].iloc[2] != out["id"].iloc[0]


def test_candidate_edges_equal_single_process_candidates(client, corpus):
    _, texts = corpus
    bands, rows = default_bands(0.8, 128)
    sig = MinHasher().fit_transform(texts)
    expected = candidate_pairs(sig, bands=bands, rows=rows, max_run=3)
    bag = db.from_sequence(texts, npartitions=1)  # one partition: positions are 0..n-1
    edges = near_duplicate_edges(bag, Deduplicator(threshold=0.8, max_run=3)).compute()
    got = edges.sort_values(["a", "b"])[["a", "b"]].to_numpy()
    assert got.tolist() == expected.tolist()
    assert np.allclose(edges.sort_values(["a", "b"])["jaccard"], sig.jaccard(expected))


def test_signatures_equal_minhasher(client, corpus):
    _, texts = corpus
    frame = signatures(db.from_sequence(texts[:40], npartitions=3)).compute().sort_index()
    expected = MinHasher().fit_transform(texts[:40])
    values = frame[[f"h{k}" for k in range(128)]].to_numpy()
    assert np.array_equal(values, expected.values)
    assert frame["n_shingles"].tolist() == expected.n_shingles.tolist()


def test_components_of_a_long_chain_and_stars(client):
    rng = np.random.default_rng(3)
    chain = np.stack([np.arange(0, 23), np.arange(1, 24)], axis=1)  # one path of 24 nodes
    other = rng.integers(300, 400, size=(150, 2))
    pairs = np.concatenate([chain, other[other[:, 0] != other[:, 1]]])
    rng.shuffle(pairs)
    frame = dd.from_pandas(pd.DataFrame({"a": pairs[:, 0], "b": pairs[:, 1]}), npartitions=4)
    got = connected_components(frame).compute()["label"]
    ref = connected_labels(400, pairs)
    first = {}
    for node in range(400):
        first.setdefault(int(ref[node]), node)
    nodes = np.unique(pairs)
    assert {int(n): int(got[n]) for n in nodes} == {int(n): first[int(ref[n])] for n in nodes}


def test_cli_dedup_on_a_scheduler_writes_what_the_local_run_writes(client, corpus, tmp_path):
    import json

    from spindetect.cli import main

    ids, texts = corpus
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(ids, texts)))
    runs = {}
    for name, extra in (("local", []), ("dask", ["--scheduler", client.scheduler.address])):
        out, clusters = tmp_path / f"{name}.jsonl", tmp_path / f"{name}.clusters.jsonl"
        assert main(["dedup", str(src), "-o", str(out), "--clusters", str(clusters), "-q", *extra]) == 0
        runs[name] = (out.read_text(), clusters.read_text())
    assert runs["dask"] == runs["local"]
    assert main(["dedup", str(src), "-o", str(tmp_path / "x.jsonl"), "--scheduler", " "]) == 2
