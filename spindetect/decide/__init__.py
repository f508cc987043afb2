"""Stage 3, decide: one decision per candidate pair, then clusters.

``pairs`` (the scored pair table), ``kinds`` (the kind of each pair), ``cluster`` (union-find and
family linkage without chaining through a hub).
"""
