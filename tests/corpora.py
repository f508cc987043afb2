"""Small named corpora with known partitions, for tests across the suite.

Every function returns a :class:`NamedCorpus` ``(docs, partition)``:
``docs`` is a list of ``(id, text)`` and ``partition`` the expected clusters
as a list of sets of ids (singletons included), so a test can write::

    from corpora import copies_and_edits
    docs, partition = copies_and_edits()

All texts come from ``benchmarks/generate.py`` (a sentence grammar written
for this project) with fixed seeds, so the corpora are the same on every
run.  Ids say nothing about the expected clusters.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import NamedTuple

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:  # make ``benchmarks`` importable under plain ``pytest``
    sys.path.insert(0, str(_ROOT))

from benchmarks.generate import (  # noqa: E402
    TOPIC_NAMES,
    light_edit,
    make_article,
    make_skeleton,
    spin,
    template_family,
)

__all__ = [
    "NamedCorpus",
    "copies_and_edits",
    "spun_family",
    "template_family_mixed",
    "seeds_mixed",
    "shared_footer_pages",
    "SHARED_FOOTER",
    "SEEDS_DIR",
]

#: The five real pages of one templated family bundled with the repository.
SEEDS_DIR = _ROOT / "data"


class NamedCorpus(NamedTuple):
    """Documents and the expected partition of their ids."""

    docs: list[tuple[str, str]]
    partition: list[set[str]]

    @property
    def ids(self) -> list[str]:
        return [i for i, _ in self.docs]

    @property
    def texts(self) -> list[str]:
        return [t for _, t in self.docs]

    def labels(self) -> list[int]:
        """Index of the expected cluster of every document, in ``docs`` order."""
        where = {i: k for k, block in enumerate(self.partition) for i in block}
        return [where[i] for i in self.ids]


def _assemble(groups: list[list[str]], seed: int, prefix: str) -> NamedCorpus:
    """Shuffle the texts of ``groups`` (one list per expected cluster), name them."""
    items = [(g, text) for g, texts in enumerate(groups) for text in texts]
    random.Random(seed).shuffle(items)
    docs = [(f"{prefix}{i:02d}", text) for i, (_, text) in enumerate(items)]
    partition: list[set[str]] = [set() for _ in groups]
    for (doc_id, _), (g, _) in zip(docs, items):
        partition[g].add(doc_id)
    return NamedCorpus(docs, partition)


def copies_and_edits() -> NamedCorpus:
    """Three originals, each with an exact copy and a light edit; three unrelated.

    12 documents, 6 clusters: three of size 3, three singletons.  Light edits
    keep a word 5-gram Jaccard of about 0.55-0.88 with their original.
    """
    rng = random.Random(101)
    groups: list[list[str]] = []
    for topic in ("gardening", "cycling", "bread baking"):
        original = make_article(topic, rng)
        groups.append([original, original, light_edit(original, rng, topic=topic)])
    for topic in ("beekeeping", "solar panels", "photography"):
        groups.append([make_article(topic, rng)])
    return _assemble(groups, 1, "ce")


def spun_family() -> NamedCorpus:
    """An original with its 15/30/50 % spins, two same-topic texts, one unrelated.

    7 documents, 4 clusters: the family of 4 and three singletons (the
    same-topic texts are independent articles on the original's topic).
    """
    rng = random.Random(202)
    original = make_article("home insulation", rng)
    family = [original] + [spin(original, f, rng) for f in (0.15, 0.30, 0.50)]
    groups = [family]
    groups += [[make_article("home insulation", rng)] for _ in range(2)]
    groups.append([make_article("language learning", rng)])
    return _assemble(groups, 2, "sp")


def template_family_mixed() -> NamedCorpus:
    """Two template families on one topic among same-topic independent texts.

    Family A: 5 pages of one skeleton, one topic, a different keyword per page
    (like a template farm).  Family B: 4 pages of another skeleton on the same
    topic.  Plus 4 independent same-topic articles and 2 unrelated ones.
    15 documents, 8 clusters.
    """
    rng = random.Random(303)
    topic = "dog training"
    fam_a = template_family(topic, rng, n_members=5,
                            skeleton=make_skeleton(random.Random(1), topic=topic))
    fam_b = template_family(topic, rng, n_members=4,
                            skeleton=make_skeleton(random.Random(2), topic=topic))
    groups = [fam_a, fam_b]
    groups += [[make_article(topic, rng)] for _ in range(4)]
    groups += [[make_article(t, rng)] for t in ("coffee brewing", "sleep")]
    return _assemble(groups, 3, "tm")


def seeds_mixed() -> NamedCorpus | None:
    """The five seed pages mixed with same-topic texts and another template family.

    The seeds (``data/*.txt``, ids = file names without extension) are one
    family.  Added: 5 independent generated articles on herbal pain remedies
    that mention the same product keyword, a generated template family of 4
    pages on the same topic, and 2 unrelated articles.  Returns ``None`` when
    the seed files are missing.  16 documents, 9 clusters.
    """
    paths = sorted(SEEDS_DIR.glob("*.txt"))
    if not paths:
        return None
    seeds = [(p.stem, p.read_text(encoding="utf-8")) for p in paths]
    rng = random.Random(404)
    topic = "herbal remedies"
    groups: list[list[str]] = []
    groups += [[make_article(topic, rng, keyword="kratom")] for _ in range(5)]
    groups.append(template_family(topic, rng, n_members=4,
                                  keywords=["kratom", "willow bark", "ginger tea", "CBD oil"]))
    groups += [[make_article(t, rng)] for t in ("cat care", "woodworking")]
    generated = _assemble(groups, 4, "gen")
    docs = seeds + generated.docs
    partition = [{doc_id for doc_id, _ in seeds}] + generated.partition
    return NamedCorpus(docs, partition)


#: One site's footer (479 characters): navigation, newsletter, cookie and
#: affiliate notices, copyright.  Written for the chrome-masking test of issue 10.
SHARED_FOOTER = (
    "About us | Contact | Advertise with us | Jobs | Privacy policy | Terms of use\n"
    "Subscribe to our weekly newsletter and never miss a story. You can unsubscribe at "
    "any time.\n"
    "We use cookies to improve your experience, to measure traffic and to show relevant "
    "offers. By continuing to browse this site you accept our use of cookies.\n"
    "Some links on this page are affiliate links: we may earn a small commission at no cost "
    "to you.\n"
    "Copyright 2024 Northwind Media Group. All rights reserved."
)


def shared_footer_pages(n: int = 2000, seed: int = 0) -> NamedCorpus:
    """``n`` unrelated articles that all end with :data:`SHARED_FOOTER`.

    Each page is an independent generated article (topics in turn, a new
    random writer each) followed by a blank line and the footer: one site's
    chrome on pages with nothing else in common.  Every page is its own
    cluster.  Without the footer, the default ``Detector`` puts the 2,000
    articles of ``seed=0`` in no multi-member cluster.
    """
    rng = random.Random(f"shared-footer/{seed}")
    docs = [(f"page{i:04d}",
             make_article(TOPIC_NAMES[i % len(TOPIC_NAMES)], rng) + "\n\n" + SHARED_FOOTER)
            for i in range(n)]
    return NamedCorpus(docs, [{doc_id} for doc_id, _ in docs])
