"""Dedup and near-duplicate edges over a Dask bag or DataFrame of texts (``spindetect[dask]``).

The stages, each a Dask operation (see :mod:`spindetect.scale`)::

    partitions of texts --sign--> signature frame (index: input position)
      --band keys--> (key, band, position) --shuffle by key--> adjacent-pair
      candidates --join to signatures twice--> verified edges (a, b, jaccard)
      --min-label propagation--> components --> (id, cluster)

On the same input and settings the partition equals
:class:`spindetect.dedup.Deduplicator`'s with ``verify="estimate"``: the same
candidate rule, the same Jaccard estimate and threshold, and the same
representative (the first document in input order).  Run it on whatever
scheduler is active (a ``distributed.Client`` for a cluster; threads otherwise).

Examples
--------
>>> import dask.bag as db                                          # doctest: +SKIP
>>> from spindetect.dask import dedup                              # doctest: +SKIP
>>> bag = db.from_sequence([("a", text_a), ("b", text_b)], npartitions=2)  # doctest: +SKIP
>>> dedup(bag).compute()                                           # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .dedup import Deduplicator, default_bands
from .scale.components import connected_components
from .scale.edges import band_rows, candidate_edges, verified_edges
from .scale.partitions import POSITION, as_frame, signature_frame
from .signals.minhash import MinHasher

__all__ = ["dedup", "labels_on_cluster", "near_duplicate_edges", "signatures"]


def _settings(settings: Deduplicator | None) -> tuple[dict[str, Any], MinHasher, int, int]:
    """Parameters, hasher and band split of a (possibly unfitted) Deduplicator."""
    if settings is None:
        settings = Deduplicator()
    if not isinstance(settings, Deduplicator):
        raise TypeError(f"settings must be a Deduplicator, got {type(settings).__name__}")
    p = settings.get_params()
    threshold, num_perm, bands, rows = p["threshold"], int(p["num_perm"]), p["bands"], p["rows"]
    if not 0.0 < float(threshold) < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold!r}")
    if (bands is None) != (rows is None):
        raise ValueError("give both bands and rows, or neither")
    if bands is None or rows is None:
        bands, rows = default_bands(float(threshold), num_perm)
    elif bands < 1 or rows < 1 or bands * rows > num_perm:
        raise ValueError(f"need bands >= 1, rows >= 1 and bands * rows <= num_perm, got {bands} x {rows}")
    hasher = MinHasher(num_perm=num_perm, seed=p["seed"], ngram=p["ngram"], norm=p["norm"]).fit()
    return p, hasher, int(bands), int(rows)


def signatures(
    data: Any, hasher: MinHasher | None = None, *, text_col: str = "text", id_col: str | None = None,
    batch_size: int = 128,
) -> Any:
    """MinHash signatures of every document, as a Dask DataFrame.

    Parameters
    ----------
    data : dask.bag.Bag or dask.dataframe.DataFrame
        A bag of texts or ``(id, text)`` tuples, or a DataFrame with a
        ``text_col`` column (ids from ``id_col``, else from its index).
    hasher : MinHasher, optional
        How to sign (default ``MinHasher()``); the values equal its (and
        datasketch's ``affine32``) signatures.
    text_col, id_col : str
    batch_size : int, default=128
        Texts signed at once inside a partition.

    Returns
    -------
    dask.dataframe.DataFrame
        Index ``position`` (input order; known divisions), columns ``id``,
        ``n_shingles`` and ``h0`` ... ``h{num_perm-1}`` (uint32).
    """
    hasher = (hasher or MinHasher()).fit()
    return signature_frame(as_frame(data, text_col=text_col, id_col=id_col), hasher, batch_size=batch_size)


def near_duplicate_edges(
    data: Any, settings: Deduplicator | None = None, *, min_jaccard: float | None = None,
    text_col: str = "text", id_col: str | None = None, sigs: Any = None,
) -> Any:
    """Candidate pairs from MinHash LSH with their estimated Jaccard, as a Dask DataFrame.

    This is the near-duplicate stage of ``scan`` and ``dedup``: LSH band keys
    shuffled by key, adjacent-pair candidates, each joined to the signatures
    of both documents.

    Parameters
    ----------
    data : dask.bag.Bag or dask.dataframe.DataFrame
        See :func:`signatures` (ignored when ``sigs`` is given).
    settings : Deduplicator, optional
        Where the settings come from (threshold -> band split, num_perm,
        ngram, seed, norm, bands, rows, max_run, batch_size); it is not
        fitted.  Default ``Deduplicator()``.
    min_jaccard : float, optional
        Keep only pairs whose estimated Jaccard reaches it; ``None`` keeps
        every candidate (``scan`` scores them all).
    text_col, id_col : str
        See :func:`signatures`.
    sigs : dask.dataframe.DataFrame, optional
        The output of :func:`signatures` with the same settings, when
        already computed.

    Returns
    -------
    dask.dataframe.DataFrame
        Columns ``a``, ``b`` (positions, ``a < b``) and ``jaccard``.
    """
    p, hasher, bands, rows = _settings(settings)
    if sigs is None:
        sigs = signatures(data, hasher, text_col=text_col, id_col=id_col, batch_size=int(p["batch_size"]))
    num_perm = int(hasher.num_perm)
    keys = band_rows(sigs, bands=bands, rows=rows, num_perm=num_perm)
    cand = candidate_edges(keys, max_run=int(p["max_run"]), npartitions=sigs.npartitions)
    return verified_edges(cand, sigs, num_perm=num_perm, threshold=min_jaccard)


def dedup(data: Any, settings: Deduplicator | None = None, *, text_col: str = "text",
          id_col: str | None = None) -> Any:
    """Near-duplicate clusters of a Dask collection of texts: a Dask DataFrame of (id, cluster).

    Parameters
    ----------
    data : dask.bag.Bag or dask.dataframe.DataFrame
        See :func:`signatures`.
    settings : Deduplicator, optional
        The settings (``Deduplicator(threshold=0.9, ngram=3)``, say; it is
        not fitted).  The partition is the one this Deduplicator finds with
        ``verify="estimate"``.  Default ``Deduplicator()``.
    text_col, id_col : str
        See :func:`signatures`.

    Returns
    -------
    dask.dataframe.DataFrame
        Columns ``position`` (input order: sort by it), ``id``, ``cluster`` (the id
        of the cluster's first document in input order; a document without
        a duplicate is its own cluster), ``cluster_position`` and ``kept``
        (the document is its cluster's representative).  Signatures, edges
        and labels are persisted on the cluster; the result is lazy.
    """
    p, hasher, _, _ = _settings(settings)
    sigs = signatures(data, hasher, text_col=text_col, id_col=id_col, batch_size=int(p["batch_size"])).persist()
    edges = near_duplicate_edges(None, settings, min_jaccard=float(p["threshold"]), sigs=sigs)
    labels = connected_components(edges)
    return _assign(sigs[["id"]], labels)


def labels_on_cluster(
    texts: list[str], address: str, settings: Deduplicator | None = None, *, npartitions: int | None = None
) -> np.ndarray:
    """:func:`dedup` of an in-memory list of texts on the Dask cluster at ``address``.

    Parameters
    ----------
    texts : list of str
    address : str
        Address of a running Dask scheduler (``tcp://HOST:PORT``).
    npartitions : int, optional
        Default: two per worker, and at least one per 20,000 texts.
    settings : Deduplicator, optional
        See :func:`dedup`.

    Returns
    -------
    numpy.ndarray of int64
        For each text, the index of its cluster's first text, like
        :attr:`spindetect.dedup.Deduplicator.labels_`.
    """
    import dask.bag as db
    from distributed import Client

    n = len(texts)
    labels = np.arange(n, dtype=np.int64)
    if not n:
        return labels
    with Client(address) as client:
        if npartitions is None:
            workers = max(len(client.scheduler_info().get("workers", {})), 1)
            npartitions = max(2 * workers, -(-n // 20000))
        bag = db.from_sequence([(str(k), t) for k, t in enumerate(texts)], npartitions=min(npartitions, n))
        out = dedup(bag, settings).compute()
    labels[out["id"].astype(np.int64).to_numpy()] = out["cluster"].astype(np.int64).to_numpy()
    return labels


def _assign(ids: Any, labels: Any) -> Any:
    """``(position, id, cluster, cluster_position, kept)`` for every document."""
    import pandas as pd

    reps = labels.merge(ids, left_on="label", right_index=True, how="left")
    reps = reps.rename(columns={"id": "cluster", "label": "cluster_position"})
    # persisted: a merge on an index that came out of a merge trips dask-expr's
    # partitioning bookkeeping (KeyError on a None column, dask 2026.8)
    reps = reps.reset_index().rename(columns={"node": POSITION}).persist()
    out = ids.reset_index().merge(reps, on=POSITION, how="left")

    def fill(part: pd.DataFrame) -> pd.DataFrame:
        pos = part[POSITION].to_numpy(dtype=np.int64)
        has = part["cluster_position"].notna().to_numpy()
        cpos = np.where(has, part["cluster_position"].fillna(-1).to_numpy(dtype=np.int64), pos)
        doc_ids = part["id"].to_numpy(dtype=object)
        cluster = np.where(has, part["cluster"].to_numpy(dtype=object), doc_ids)
        return pd.DataFrame({POSITION: pos, "id": doc_ids, "cluster": cluster,
                             "cluster_position": cpos, "kept": cpos == pos})

    meta = pd.DataFrame({POSITION: np.zeros(0, np.int64), "id": pd.Series([], dtype=object),
                         "cluster": pd.Series([], dtype=object),
                         "cluster_position": np.zeros(0, np.int64), "kept": np.zeros(0, bool)})
    return out.map_partitions(fill, meta=meta)
