"""Stage 2, signals: fingerprints and indexes that propose candidate pairs and score them.

``minhash`` + ``lsh`` (near-duplicates), ``tfidf`` (word and char cosines), ``layout`` (blocks and
skeletons), ``stopsigs`` (SpotSigs, masked shingles), ``passages`` (shared rare passages),
``structure`` (the template/spin signals of a corpus), ``outline`` (heading keys, topic words masked),
``style`` (generator style profiles), ``repeated`` (lines many documents share: site chrome),
``lookup`` (sort-based array helpers).
"""
