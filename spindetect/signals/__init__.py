"""Stage 2, signals: fingerprints and indexes that propose candidate pairs and score them.

``minhash`` + ``lsh`` (near-duplicates), ``tfidf`` (word and char cosines), ``layout`` (blocks and
skeletons), ``stopsigs`` (SpotSigs, masked shingles), ``passages`` (shared rare passages),
``structure`` (the template/spin signals of a corpus), ``lookup`` (sort-based array helpers).
"""
