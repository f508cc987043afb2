"""Content keys computed once by the scan and passed to the estimators that break ties with them."""

from __future__ import annotations

import numpy as np
import pytest

from spindetect.signals.outline import OutlineIndex
from spindetect.signals.tfidf import TfidfSimilarity
from spindetect.text.tokens import content_ranks, given_or_content_ranks

TEXTS = [
    "## Setup\nInstall the package and run the tests.\n## Usage\nCall scan on a folder.",
    "## Setup\nInstall the tool and run its tests.\n## Usage\nCall scan on a directory.",
    "the garden needs water in summer and the tomatoes need sun every single day",
    "interest rates rise when the central bank fights inflation with tight money",
]


def test_given_keys_are_used_and_missing_keys_are_computed():
    keys = content_ranks(TEXTS)
    assert given_or_content_ranks(None, TEXTS, 0, "x").tolist() == keys.tolist()
    assert given_or_content_ranks(keys[::-1], TEXTS, 0, "x").tolist() == keys[::-1].tolist()


def test_keys_of_the_wrong_length_are_an_error():
    with pytest.raises(ValueError, match="OutlineIndex.fit: 3 ranks for 4 texts"):
        OutlineIndex().fit(TEXTS, ranks=np.zeros(3, np.uint64))


def test_passing_the_keys_changes_nothing():
    keys = content_ranks(TEXTS)
    pairs = np.array([[0, 1], [2, 3]])
    a, b = TfidfSimilarity().fit(TEXTS), TfidfSimilarity().fit(TEXTS, ranks=keys)
    assert a.neighbour_pairs(0.1)[0].tolist() == b.neighbour_pairs(0.1)[0].tolist()
    np.testing.assert_array_equal(a.char_cosine(pairs), b.char_cosine(pairs))
    assert OutlineIndex().fit(TEXTS).candidate_pairs_.tolist() == OutlineIndex().fit(TEXTS, ranks=keys).candidate_pairs_.tolist()


def test_keys_of_the_masked_texts_are_those_of_content_ranks():
    from spindetect.detector import _rehashed

    content = list(TEXTS)
    content[2] = "the garden needs water"
    assert _rehashed(TEXTS, content, content_ranks(TEXTS)).tolist() == content_ranks(content).tolist()
