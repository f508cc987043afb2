"""Site chrome is not content: unrelated pages that share a footer never cluster."""

from __future__ import annotations

import random

import spindetect as sd

_SYLLABLES = "ka lo mi ne ru sa to vi be da fe go hu ji ko la mo nu pa ri se tu wa yo ze".split()
_GLUE = "the a of and to in on with for by at from as is was it that this which but or not be".split()
FOOTER = (
    "About us | Contact | Careers | Advertise with us | Privacy policy | Terms of use | Cookie settings. "
    "Copyright 2024 Example Media Group, all rights reserved. Reproduction in whole or in part without "
    "written permission is prohibited. Example Media Group may earn a commission from links on this page. "
    "Sign up for our newsletter to get the best stories delivered to your inbox every morning, follow us "
    "on social media, and download our app for breaking news alerts wherever you are."
)
assert 470 <= len(FOOTER) <= 490


def _page(k: int) -> str:
    """An unrelated page: its own vocabulary, its own mix of function words and sentence lengths."""
    rng = random.Random(k)
    vocab = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(300)]
    glue = rng.sample(_GLUE, 8)
    lo = rng.randint(5, 15)
    hi = lo + rng.randint(3, 20)

    def sentence() -> str:
        words = [rng.choice(glue) if rng.random() < 0.4 else rng.choice(vocab) for _ in range(rng.randint(lo, hi))]
        return " ".join(words).capitalize() + rng.choice((".", ".", ".", "?", "!"))

    title = " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 8))).capitalize()
    paras = [" ".join(sentence() for _ in range(rng.randint(2, 6))) for _ in range(rng.randint(2, 5))]
    return "\n".join([title, *paras, FOOTER])


def test_two_thousand_pages_with_one_footer_give_no_cluster_in_any_order():
    ids = [f"page{k:04d}" for k in range(2000)]
    texts = [_page(k) for k in range(2000)]
    result = sd.Detector(boilerplate=False).fit_detect(texts, ids=ids)
    assert len(set(result.labels)) == len(ids)
    assert all(k is None for k in result.kinds)
    order = list(range(len(ids)))
    random.Random(1).shuffle(order)
    again = sd.Detector(boilerplate=False).fit_detect([texts[i] for i in order], ids=[ids[i] for i in order])
    assert dict(zip(again.ids, again.labels)) == dict(zip(result.ids, result.labels))
    assert dict(zip(again.ids, again.kinds)) == dict(zip(result.ids, result.kinds))
