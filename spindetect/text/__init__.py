"""Stage 1, text: reading documents, normalising them and cutting them into tokens with offsets.

``corpus`` (Document, Corpus, the readers and bad-input notes) -> ``normalize`` (NormConfig) ->
``tokens`` (words with character offsets, vectorised shingle hashes).
"""
