"""Stage 3, decide: one decision per candidate pair, then clusters.

``pairs`` (the scored pair table), ``kinds`` (Kind, SCORE_NAMES, naming a pair), ``model`` (the learned
pair model: JSON trees, probability and contributions), ``cluster`` (union-find and family linkage
without chaining through a hub), ``decision`` (a pair's kind by the model or the rules), ``describe``
(Cluster, Clusters: the clusters of decided pairs and why each document is in one).
"""
