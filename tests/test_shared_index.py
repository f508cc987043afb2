"""The LSH index shared through Redis (datasketch's storage layer), against a real server.

The server comes from the environment: ``SPINDETECT_TEST_REDIS=HOST:PORT``
(``.ci/run`` installs ``redis-server``, starts it on a free port of
127.0.0.1 and exports the variable).  Without it these tests skip.  Every test
works under its own random ``basename`` and deletes its keys afterwards.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest

from spindetect.dedup import Deduplicator
from spindetect.signals.index import LSHIndex

_ROOT = Path(__file__).resolve().parents[1]
_SYLLABLES = ["ga", "lu", "mo", "ni", "pe", "ro", "sa", "ti", "vu", "we", "xi", "yo", "zen", "bri"]


def _server() -> tuple[str, int] | None:
    spec = os.environ.get("SPINDETECT_TEST_REDIS", "")
    if not spec:
        return None
    host, _, port = spec.rpartition(":")
    return host or "127.0.0.1", int(port)


@pytest.fixture()
def redis_config():
    """A storage config on the test server under a fresh basename; keys removed after."""
    server = _server()
    if server is None:
        pytest.skip("no Redis server: set SPINDETECT_TEST_REDIS=HOST:PORT (.ci/run starts one)")
    redis = pytest.importorskip("redis", reason="the 'redis' package is not installed (extra 'redis')")
    client = redis.Redis(host=server[0], port=server[1])
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis server at {server[0]}:{server[1]} does not answer: {exc}")
    base = f"spindetect-test-{uuid.uuid4().hex}"
    yield {"type": "redis", "redis": {"host": server[0], "port": server[1]}, "basename": base}
    for key in client.scan_iter(match=f"{base}*"):
        client.delete(key)


@functools.lru_cache(maxsize=1)
def _vocab() -> tuple[str, ...]:
    rng = np.random.default_rng(0)
    return tuple("".join(rng.choice(_SYLLABLES, size=3)) for _ in range(3000))


def _doc(seed: int, n: int = 120) -> str:
    words = np.random.default_rng(seed).choice(len(_vocab()), size=n)
    return " ".join(_vocab()[w] for w in words.tolist())


def _edited(text: str, k: int) -> str:
    words = text.split()
    words[len(words) // 2] = "changed" * k
    return " ".join(words)


def test_redis_index_is_seen_by_a_second_handle(redis_config):
    a, b = _doc(1), _doc(2)
    first = LSHIndex(threshold=0.5, storage_config=redis_config)
    first.insert(["a", "b", "empty"], [a, b, ""])
    second = LSHIndex(threshold=0.5, storage_config=redis_config)
    assert len(second) == 2  # the empty document has no shingles and is not indexed
    assert second.keys() == ["a", "b"]
    assert "a" in second and "empty" not in second
    assert second.query(_edited(a, 1)) == ["a"]
    assert second.query(_doc(3)) == []
    [[(match, sim)]] = second.duplicates([_edited(a, 1)], threshold=0.8)
    assert match == "a" and sim > 0.8


def test_redis_index_refuses_other_settings(redis_config):
    LSHIndex(threshold=0.5, storage_config=redis_config).insert(["a"], [_doc(1)])
    with pytest.raises(ValueError, match="other settings"):
        LSHIndex(threshold=0.9, storage_config=redis_config)


def test_redis_config_needs_a_basename(redis_config):
    config = {k: v for k, v in redis_config.items() if k != "basename"}
    with pytest.raises(ValueError, match="basename"):
        LSHIndex(storage_config=config)
    with pytest.raises(ValueError, match="storage_config\\['type'\\] must be one of 'dict', 'redis'"):
        LSHIndex(storage_config={"type": "cassandra"})


def test_deduplicators_in_two_handles_share_one_index(redis_config):
    texts = [_doc(10), _doc(11), _doc(12)]
    Deduplicator(storage_config=redis_config).fit(texts[:2], ids=["x0", "x1"])
    other = Deduplicator(storage_config=redis_config).fit(texts[2:], ids=["y0"])
    assert other.index_ is not None and len(other.index_) == 3
    assert other.query_shared([_edited(texts[0], 1), texts[2], _doc(99)]) == ["x0", "y0", None]
    with pytest.raises(ValueError, match="needs ids"):
        Deduplicator(storage_config=redis_config).fit(texts)


_WORKER = """
import json, sys
sys.path.insert(0, {root!r})
from tests.test_shared_index import _doc
from spindetect.signals.index import LSHIndex
config, start, n = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
index = LSHIndex(threshold=0.5, storage_config=config)
for lo in range(start, start + n, 20):  # many small sessions, interleaved with the other process
    ids = [f"doc{{i}}" for i in range(lo, min(lo + 20, start + n))]
    index.insert(ids, [_doc(i) for i in range(lo, min(lo + 20, start + n))])
"""


def test_two_processes_insert_at_once_and_nothing_is_lost(redis_config):
    n = 120
    script = _WORKER.format(root=str(_ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, json.dumps(redis_config), str(start), str(n)],
            stderr=subprocess.PIPE,
        )
        for start in (0, n)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    index = LSHIndex(threshold=0.5, storage_config=redis_config)
    assert len(index) == 2 * n
    assert index.keys() == sorted(f"doc{i}" for i in range(2 * n))
    probes = [0, n - 1, n, 2 * n - 1]
    found = index.duplicates([_doc(i) for i in probes], threshold=1.0)
    assert [[k for k, _ in hits] for hits in found] == [[f"doc{i}"] for i in probes]
