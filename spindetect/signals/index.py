"""An LSH index that lives on, in memory or shared between processes through Redis.

:class:`LSHIndex` is a thin layer over ``datasketch.MinHashLSH`` and datasketch's
own storage layer (``datasketch.storage``): with the default storage the index
is a dict in this process; with ``storage_config={"type": "redis", "redis":
{"host": ..., "port": ...}, "basename": "my-index"}`` the band buckets, the keys
and the signatures live in a Redis server, so several processes (or machines)
insert into one index and query it.

What goes to the storage, under the ``basename`` prefix:

* datasketch's band buckets and key table (``MinHashLSH`` with
  ``prepickle=False``: keys are the UTF-8 bytes of the ids, so nothing is
  pickled and nothing read back from the server is unpickled);
* ``<basename>_sig``: the signature of every key (``num_perm`` little-endian
  uint32), so that a query can verify its candidates with the estimated
  Jaccard similarity whoever inserted them;
* ``<basename>_config``: the JSON settings of the index (MinHash config,
  bands, rows).  The first process writes it; a process that attaches with
  other settings gets a ``ValueError`` instead of silently mixing signatures.

Concurrent inserts of *different* ids from several processes are safe: each
insertion session is flushed as Redis transactions (``MULTI``/``EXEC``) of
set additions and hash writes, which do not overwrite one another.  Two
processes inserting the *same* id at the same moment are not detected.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, cast

import numpy as np

from .._validation import Options, check_param
from .minhash import MinHasher, Signatures

__all__ = ["LSHIndex"]

_SIG_DTYPE = np.dtype("<u4")
#: Where the index lives: in this process, or shared through a Redis server.
_STORAGE_TYPES = Options(("dict", "redis"))


def _storage_config(storage_config: dict | None) -> dict[str, Any]:
    """A validated copy of ``storage_config`` with ``basename`` as bytes."""
    if storage_config is None:
        return {"type": "dict"}
    check_param("storage_config", storage_config, [dict], "LSHIndex")
    config = dict(storage_config)
    check_param("storage_config['type']", config.get("type"), [_STORAGE_TYPES], "LSHIndex")
    if config["type"] == "dict":
        return config
    if "redis" not in config:
        raise ValueError(
            "a redis storage_config needs a 'redis' entry with the connection, "
            "e.g. {'host': '127.0.0.1', 'port': 6379}"
        )
    name = config.get("basename")
    if not name:
        raise ValueError(
            "a redis storage_config needs a 'basename' (str or bytes): the name under "
            "which every process finds the shared index"
        )
    config["basename"] = name.encode("utf-8") if isinstance(name, str) else bytes(name)
    _require_redis()
    return config


def _require_redis() -> None:
    try:
        import redis  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "a redis storage_config needs the 'redis' package: pip install 'spindetect[redis]'"
        ) from exc


def _as_key(doc_id: str) -> bytes:
    if not isinstance(doc_id, str):
        raise TypeError(f"ids must be str, got {type(doc_id).__name__} ({doc_id!r})")
    return doc_id.encode("utf-8")


class LSHIndex:
    """A MinHash LSH index that lives on: insert documents, query new ones.

    Parameters
    ----------
    threshold : float, default=0.5
        Jaccard threshold of the index; sets the band split (datasketch's
        rule) unless ``bands`` and ``rows`` are given.
    minhasher : MinHasher, optional
        How texts are signed; a default ``MinHasher()`` when omitted.
    storage_config : dict, optional
        datasketch's ``storage_config``.  ``None`` or ``{"type": "dict"}``
        keeps the index in this process.  ``{"type": "redis", "redis":
        {"host": ..., "port": ...}, "basename": NAME}`` keeps it in Redis
        (needs the ``redis`` extra); every process that opens the same
        ``basename`` on the same server shares the index.
    bands, rows : int, optional
        LSH split (both or neither; at least 2 bands, datasketch's minimum).

    Raises
    ------
    ValueError
        If the storage config is malformed, or a shared index of that name
        was created with other settings.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        minhasher: MinHasher | None = None,
        storage_config: dict | None = None,
        bands: int | None = None,
        rows: int | None = None,
    ) -> None:
        from datasketch import MinHashLSH
        from datasketch.storage import ordered_storage

        if (bands is None) != (rows is None):
            raise ValueError("give both bands and rows, or neither")
        self.threshold = threshold
        self.minhasher = (minhasher or MinHasher()).fit()
        self.storage_config = storage_config
        config = _storage_config(storage_config)
        params = None if bands is None else (int(bands), int(rows))  # type: ignore[arg-type]
        self._lsh = MinHashLSH(
            threshold=threshold, num_perm=int(self.minhasher.num_perm), params=params,
            storage_config=config, prepickle=False,
        )
        self._shared = config["type"] != "dict"
        self._sigs = ordered_storage(config, name=self._name(config, b"_sig"))
        if self._shared:
            self._check_shared_config(config)

    @staticmethod
    def _name(config: dict, suffix: bytes) -> bytes | None:
        base = config.get("basename")
        return None if base is None else base + suffix

    def _settings(self) -> dict[str, Any]:
        return {"minhash": self.minhasher.config_, "bands": self._lsh.b, "rows": self._lsh.r}

    def _check_shared_config(self, config: dict) -> None:
        """Write the settings under ``<basename>_config``, or check them against it."""
        import redis

        server = redis.Redis(**config["redis"])
        key = config["basename"] + b"_config"
        mine = json.dumps(self._settings(), sort_keys=True)
        server.set(key, mine, nx=True)
        theirs = cast("bytes | None", server.get(key))  # bytes: the client is made without decode_responses
        if theirs is not None and theirs.decode("utf-8") != mine:
            raise ValueError(
                f"the shared index {config['basename'].decode('utf-8', 'replace')!r} was created "
                f"with other settings: {theirs.decode('utf-8', 'replace')}; this index has {mine}"
            )

    @property
    def bands(self) -> int:
        """Number of LSH bands in use."""
        return int(self._lsh.b)

    @property
    def rows(self) -> int:
        """Rows per band in use."""
        return int(self._lsh.r)

    def __len__(self) -> int:
        return int(self._lsh.keys.size())

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and _as_key(doc_id) in self._lsh.keys

    def keys(self) -> list[str]:
        """Every id in the index, sorted."""
        return sorted(k.decode("utf-8") if isinstance(k, bytes) else k for k in self._lsh.keys.keys())

    def insert(self, ids: Iterable[str], texts: Iterable[str]) -> None:
        """Sign ``texts`` and add them under ``ids`` (which must be new).

        Documents without shingles (empty, punctuation only) are not indexed.
        """
        ids = list(ids)
        texts = list(texts)
        if len(ids) != len(texts):
            raise ValueError(f"got {len(ids)} ids for {len(texts)} texts")
        self.insert_signatures(ids, self.minhasher.transform(texts))

    def insert_signatures(self, ids: Sequence[str], signatures: Signatures) -> None:
        """Add precomputed signatures (made with this index's ``minhasher``) under ``ids``."""
        self._check_signatures(signatures)
        if len(ids) != len(signatures):
            raise ValueError(f"got {len(ids)} ids for {len(signatures)} signatures")
        with self._lsh.insertion_session() as session:
            for i, doc_id in enumerate(ids):
                if signatures.empty[i]:
                    continue
                key = _as_key(doc_id)
                session.insert(key, self.minhasher.to_datasketch(signatures, i))
                self._sigs.insert(key, signatures.values[i].astype(_SIG_DTYPE).tobytes(), buffer=True)
        self._sigs.empty_buffer()

    def _check_signatures(self, signatures: Signatures) -> None:
        if not isinstance(signatures, Signatures):
            raise TypeError(f"expected Signatures, got {type(signatures).__name__}")
        if signatures.config != self.minhasher.config_:
            raise ValueError(
                f"signatures made with {signatures.config}, the index signs with "
                f"{self.minhasher.config_}; sign with the index's minhasher"
            )

    def query(self, text: str) -> list[str]:
        """Ids of indexed documents that collide with ``text`` in a band, sorted."""
        if not isinstance(text, str):
            raise TypeError(f"query expects one str, got {type(text).__name__}")
        return self.query_signatures(self.minhasher.transform([text]))[0]

    def query_signatures(self, signatures: Signatures) -> list[list[str]]:
        """For each signature, the sorted ids that collide with it in a band."""
        self._check_signatures(signatures)
        out: list[list[str]] = []
        for i in range(len(signatures)):
            if signatures.empty[i]:
                out.append([])
                continue
            found = self._lsh.query(self.minhasher.to_datasketch(signatures, i))
            out.append(sorted(k.decode("utf-8") for k in found))
        return out

    def duplicates(self, texts: Sequence[str], threshold: float | None = None) -> list[list[tuple[str, float]]]:
        """Indexed documents each text duplicates, verified with the stored signatures.

        Parameters
        ----------
        texts : sequence of str
        threshold : float, optional
            Least estimated Jaccard similarity; the index's ``threshold``
            when omitted.

        Returns
        -------
        list of list of (id, similarity)
            For each text, its verified matches, best first (ties by id).
        """
        return self.duplicates_signatures(self.minhasher.transform(list(texts)), threshold)

    def duplicates_signatures(
        self, signatures: Signatures, threshold: float | None = None
    ) -> list[list[tuple[str, float]]]:
        """:meth:`duplicates` for precomputed signatures."""
        limit = self.threshold if threshold is None else float(threshold)
        out = []
        for i, found in enumerate(self.query_signatures(signatures)):
            stored = self._stored_signatures(found)
            sims = (stored == signatures.values[i][None, :]).mean(axis=1) if len(found) else []
            hits = [(k, float(s)) for k, s in zip(found, sims) if s >= limit]
            out.append(sorted(hits, key=lambda h: (-h[1], h[0])))
        return out

    def _stored_signatures(self, ids: list[str]) -> np.ndarray:
        width = int(self.minhasher.num_perm)
        if not ids:
            return np.zeros((0, width), dtype=np.uint32)
        rows = self._sigs.getmany(*[_as_key(k) for k in ids])
        return np.stack([np.frombuffer(r[0], dtype=_SIG_DTYPE) for r in rows]).astype(np.uint32)
