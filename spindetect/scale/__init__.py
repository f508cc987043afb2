"""The stages of the distributed (Dask) dedup path, one module each.

``partitions`` (texts -> a frame of signatures indexed by input position) ->
``edges`` (band keys -> shuffle by key -> adjacent-pair candidates -> verified
edges) -> ``components`` (connected components by min-label propagation over a
frame of edges).  The public entry points are in :mod:`spindetect.dask`.
"""
