"""Tests for spindetect.decide.kinds: the rule that names a pair's kind.

The named corpora below are written for these tests (no third-party text): a
spun pair, a made-up "buyer's guide" template farm filled with three topics,
independent texts on one topic with different layouts, and two independent
articles on the seed pages' subject.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpora import copies_and_edits, seeds_mixed, spun_family, template_family_mixed
from spindetect.decide.kinds import (
    KIND_ORDER,
    KINDS,
    REQUIRED_SCORES,
    STRONG_KINDS,
    Kind,
    KindRules,
    classify,
    name_kinds,
)
from spindetect.text.normalize import normalize
from spindetect.signals.structure import StructureIndex
from spindetect.signals.tfidf import TfidfSimilarity
from spindetect.text.tokens import hash_shingles

DATA = Path(__file__).resolve().parents[1] / "data"

GARDEN = """Home gardening has become a popular hobby for people who live in small apartments. Growing herbs on a sunny windowsill requires little space, modest equipment and a few minutes of care each day. Basil, mint and parsley are forgiving plants that reward beginners with fresh leaves within weeks.
The most common mistake is watering too often. Roots need air as much as they need moisture, so let the top layer of soil dry before you water again. A pot with drainage holes prevents standing water and keeps the roots healthy.
Light matters even more than water. Most herbs want at least six hours of direct sun, and a south-facing window is usually the best choice. If your flat is dark, an inexpensive grow lamp can fill the gap during the winter months."""

GARDEN_SPUN = """Home gardening has become a popular pastime for folks who reside in little apartments. Cultivating herbs on a bright windowsill needs minimal room, modest gear and a few minutes of attention each day. Basil, mint and parsley are tolerant plants that reward novices with fresh foliage within weeks.
The most frequent error is watering too often. Roots require air as much as they require moisture, so let the upper layer of earth dry before you water again. A container with drainage holes stops standing water and keeps the roots healthy.
Light matters even more than water. Most herbs desire at least six hours of direct sunshine, and a south-facing window is typically the best option. If your flat is gloomy, an affordable grow lamp can fill the gap during the cold months."""

GARDEN_OTHER = """Growing Herbs Indoors

Fresh herbs make ordinary cooking taste better, and you do not need a garden to grow them. A kitchen counter near a bright window is enough for a small collection.

What you need
- A few clay pots with holes in the bottom
- Quality potting mix, not soil from the yard
- Seeds or young plants from a nursery

Start with easy varieties such as chives, thyme and basil. Keep the mix slightly damp but never soggy, and turn the pots every few days so the stems grow straight instead of leaning toward the glass. Harvest often: cutting the tips encourages bushy growth and delays flowering, which keeps the leaves tender.

In winter the days are short, and many indoor growers add a small LED panel above the plants. Twelve hours of artificial light keeps basil from becoming pale and leggy, and a cheap timer switches it on and off for you."""

GARDEN_THIRD = """Anyone with a windowsill can keep a little herb garden going all year. I started with a single rosemary plant bought at the market, and within two seasons the ledge above my sink held oregano, sage, coriander and three kinds of mint.
Each plant has its own temper. Rosemary and sage come from dry hillsides, so they prefer lean, gritty soil and sulk when their feet stay wet. Coriander bolts to seed as soon as it feels heat, which is why I sow a new pinch every three weeks. Mint spreads without mercy and deserves a pot of its own.
Feeding is simple: a weak liquid fertiliser once a month in spring and summer, nothing in winter. Snip leaves from the top rather than the sides, and the plants will branch and stay compact instead of stretching toward the light."""

KRATOM_PLAIN = """Kratom is a tree from Southeast Asia whose leaves have long been chewed by farm workers to fight fatigue. In recent years it has appeared in Western shops as a powder or capsule, and some people with chronic pain say it eases their symptoms.
Researchers are cautious. The main alkaloids act on the same receptors as opioid drugs, which may explain both the reported relief and the risk of dependence. Clinical trials are scarce, doses vary widely between products, and contamination has been found in several batches sold online.
Doctors who treat long-term pain usually recommend approaches with stronger evidence first: physiotherapy, graded exercise, sleep care and, where appropriate, conventional medicines under supervision. Anyone who still wants to try kratom should tell their physician, avoid mixing it with alcohol or sedatives, and stop if they notice liver symptoms, changes in mood or unusual skin discoloration."""

KRATOM_HEADED = """Kratom and Chronic Pain: What the Evidence Says

Living with pain that lasts for months wears people down, and many look for natural remedies when prescriptions disappoint them. Kratom, a leaf from a tropical evergreen related to coffee, is one of the remedies that keeps coming up in online forums.

How it works
Low amounts act as a mild stimulant, while larger amounts produce sedation and pain relief. Scientists attribute these effects to mitragynine and related compounds that bind opioid receptors in the nervous system, though less strongly than morphine.

Risks to weigh
Regular users can develop tolerance and withdrawal. Reported side effects include nausea, constipation, weight loss and, rarely, liver injury or darkening of the skin after heavy use. Because supplements are loosely regulated, the strength of one bag can differ a lot from the next.

The bottom line
Kratom is not an approved treatment. Talk to a pain specialist before adding any herbal product to a treatment plan, especially if you take other medication."""


def farm_page(keyword: str, headings: tuple[str, str, str], sections: tuple[str, ...], summary: str, closing: str) -> str:
    """A page of a made-up buyer's-guide template farm: stock sentences, keyword slots."""
    h1, h2, h3 = headings
    s = sections
    return (
        f"{summary}\n"
        f"Choosing the right {keyword} can feel overwhelming, but it does not have to be. "
        f"In this buyer's guide we walk you through everything you need to know before you spend a single cent on {keyword}.\n"
        f"- {h1}\n- {h2}\n- {h3}\n"
        f"{h1}\n\n{s[0]} Our experts compared dozens of options so that you do not have to.\n{s[1]}\n"
        f"{h2}\n\n{s[2]} Keep reading to find out which features really matter in everyday use.\n{s[3]}\n"
        f"{h3}\n\n{s[4]} Remember that the cheapest option is rarely the best value over the years.\n{s[5]}\n"
        f"{closing} We hope this guide helps you make a confident decision about {keyword} and enjoy your purchase for many years to come."
    )


FARM = [
    farm_page(
        "solar panels",
        ("How Solar Panels Turn Light Into Power", "Sizing a System for Your Roof", "Costs, Incentives and Payback"),
        (
            "Photovoltaic cells are made of thin silicon wafers that release electrons when sunlight strikes them, producing direct current.",
            "An inverter converts that current into the alternating current used by household appliances, and modern units track the optimal operating point of every string.",
            "A typical home uses between eight and twelve kilowatt hours per day, so start by reading a year of electricity bills.",
            "South-facing roofs with little shade give the highest yield, while east and west orientations spread production across the morning and evening.",
            "Installed prices have fallen sharply during the last decade, and many regions offer tax credits or feed-in tariffs for exported energy.",
            "Most owners recover their investment within seven to ten years, after which the panels keep generating almost free electricity.",
        ),
        "Solar panels let homeowners produce clean electricity on their own roofs and cut monthly bills for decades.",
        "Rooftop photovoltaics are a durable, low-maintenance way to lower energy costs and emissions.",
    ),
    farm_page(
        "electric bikes",
        ("What Makes an E-Bike Different", "Battery Range and Charging", "Maintenance and Safety on the Road"),
        (
            "A pedal-assist motor adds power only while the rider turns the cranks, which keeps the ride natural and legal on most cycle paths.",
            "Hub motors sit in the wheel and are quiet and simple, whereas mid-drive motors use the gears and climb steep hills with ease.",
            "Lithium-ion packs between four hundred and seven hundred watt hours carry most commuters forty to ninety kilometres per charge.",
            "Cold weather, headwinds and high assist levels shorten the range, so plan a margin on longer trips.",
            "Heavier frames and higher speeds wear brake pads and chains faster than on an ordinary bicycle.",
            "Hydraulic disc brakes, bright integrated lights and a good helmet make daily commuting much safer in traffic.",
        ),
        "Electric bikes combine the freedom of cycling with a quiet motor that flattens hills and shortens commutes.",
        "An e-bike can replace many car trips in town while keeping you active and saving money on fuel.",
    ),
    farm_page(
        "espresso machines",
        ("Pump, Boiler and Grinder Basics", "Choosing Between Manual and Automatic", "Cleaning, Descaling and Care"),
        (
            "A proper espresso needs water forced through finely ground coffee at around nine bars of pressure for twenty-five seconds.",
            "Single boiler models are affordable but must wait between brewing and steaming milk, while dual boilers do both at once.",
            "Manual lever machines reward practice with full control over pressure, but they demand a steady hand every morning.",
            "Super-automatic machines grind, tamp and brew at the push of a button, which suits busy households and offices.",
            "Hard water leaves limescale inside the boiler, so descale every few months and use filtered water where possible.",
            "Backflushing the group head weekly and wiping the steam wand after every use keeps flavours clean and parts working.",
        ),
        "Espresso machines bring cafe-quality coffee into the kitchen, from quick morning shots to silky cappuccinos.",
        "With the right machine and a little routine, great espresso at home becomes an easy daily pleasure.",
    ),
]


def score_all(texts: list[str], pairs: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Every score :func:`classify` needs, for all pairs of ``texts`` (or the given ones)."""
    n = len(texts)
    if pairs is None:
        pairs = np.array(list(itertools.combinations(range(n), 2)), dtype=np.int64).reshape(-1, 2)
    sh = hash_shingles(texts, ngram=5)
    sets = [np.unique(sh.doc(i)) for i in range(n)]
    jac = np.zeros(len(pairs))
    con = np.zeros(len(pairs))
    for r, (i, j) in enumerate(pairs.tolist()):
        a, b = sets[i], sets[j]
        if len(a) and len(b):
            inter = len(np.intersect1d(a, b, assume_unique=True))
            jac[r] = inter / (len(a) + len(b) - inter)
            con[r] = inter / min(len(a), len(b))
    tf = TfidfSimilarity().fit(texts)
    norm = [normalize(t) for t in texts]
    scores = {
        "exact": np.array([norm[i] == norm[j] for i, j in pairs.tolist()], dtype=bool),
        "jaccard": jac,
        "containment": con,
        "cosine_word": tf.word_cosine(pairs),
        "cosine_char": tf.char_cosine(pairs),
    }
    scores.update(StructureIndex().fit(texts).score_pairs(pairs))
    return pairs, scores


def kinds_of(texts: list[str]) -> dict[tuple[int, int], str]:
    pairs, scores = score_all(texts)
    return {(int(i), int(j)): str(k) for (i, j), k in zip(pairs.tolist(), classify(scores))}


def _one(**overrides) -> dict[str, np.ndarray]:
    base = {name: 0.0 for name in REQUIRED_SCORES}
    base["exact"] = False
    base.update(overrides)
    return {k: np.array([v]) for k, v in base.items()}


# --- the rule on hand-made scores ------------------------------------------------------------


def test_kinds_constant():
    assert KINDS == ("exact", "near_duplicate", "partial_copy", "spun", "templated", "unrelated")
    assert KIND_ORDER == KINDS[:-1]
    assert Kind("spun") is Kind.SPUN and f"{Kind.TEMPLATED}" == "templated"
    assert STRONG_KINDS == {"exact", "near_duplicate"}


def _named(**values):
    base = {"exact": False, "jaccard": 0.0, "containment": 0.0, "containment_min": 0.0, "cosine_char": 0.0}
    base.update(values)
    return {k: np.array([v]) for k, v in base.items()}


@pytest.mark.parametrize(
    ("values", "accepted", "kind"),
    [
        ({"exact": True, "jaccard": 1.0}, False, "exact"),
        ({"jaccard": 0.6, "containment": 0.7, "containment_min": 0.6}, True, "near_duplicate"),
        ({"jaccard": 0.6, "containment": 0.7, "containment_min": 0.6}, False, "unrelated"),
        ({"jaccard": 0.3, "containment": 0.9, "containment_min": 0.3}, True, "partial_copy"),
        ({"jaccard": 0.3, "containment": 0.65, "containment_min": 0.3}, True, "partial_copy"),
        ({"jaccard": 0.3, "containment": 0.65, "containment_min": 0.3}, False, "unrelated"),
        ({"jaccard": 0.1, "cosine_char": 0.8}, True, "spun"),
        ({"jaccard": 0.01, "cosine_char": 0.2}, True, "templated"),
        ({"jaccard": 0.01, "cosine_char": 0.9}, False, "unrelated"),
    ],
)
def test_name_kinds_from_dominant_evidence(values, accepted, kind):
    assert name_kinds(_named(**values), np.array([accepted]))[0] == kind


def test_rule_branches():
    assert classify(_one(exact=True, jaccard=1.0))[0] == "exact"
    assert classify(_one(jaccard=0.8, containment=0.9, masked=0.8, cosine_char=0.99))[0] == "near_duplicate"
    assert classify(_one(containment=0.95, jaccard=0.3))[0] == "near_duplicate"
    assert classify(_one(jaccard=0.2, masked=0.9, cosine_char=0.8, skeleton=1.0))[0] == "spun"
    # all frames kept, words swapped: spun even with a high word overlap
    assert classify(_one(jaccard=0.55, containment=0.7, masked=1.0, cosine_char=0.95))[0] == "spun"
    assert classify(_one(skeleton=0.9, shared_rare=0.9, cosine_word=0.1))[0] == "templated"
    assert classify(_one(skeleton=0.9, shared_rare=0.3, masked=0.06))[0] == "templated"
    assert classify(_one(skeleton=0.9, skeleton_info=0.9, cosine_word=0.3))[0] == "templated"
    assert classify(_one(skeleton=0.4, shared_rare=1.0, masked=0.2))[0] == "templated"  # lots of stock text
    # same topic, different layout, nothing rare in common
    assert classify(_one(skeleton=0.4, cosine_word=0.6, cosine_char=0.7))[0] == "unrelated"
    # generic layout shared by pages on different topics
    assert classify(_one(skeleton=1.0, skeleton_info=0.2, cosine_word=0.05))[0] == "unrelated"
    assert classify(_one())[0] == "unrelated"


def test_rules_are_configurable_and_validated():
    s = _one(jaccard=0.45)
    assert classify(s)[0] == "unrelated"
    assert classify(s, KindRules(near_jaccard=0.4))[0] == "near_duplicate"
    with pytest.raises(ValueError, match="near_jaccard"):
        KindRules(near_jaccard=1.5)
    with pytest.raises(ValueError, match="template_strong"):
        KindRules(template_strong=0)
    assert KindRules().to_dict()["template_strong"] == 3.5


def test_missing_scores_and_length_mismatch():
    s = _one()
    del s["masked"]
    with pytest.raises(KeyError, match="masked"):
        classify(s)
    s = _one()
    s["jaccard"] = np.array([0.1, 0.2])
    with pytest.raises(ValueError, match="length"):
        classify(s)


def test_output_dtype_and_empty():
    out = classify({k: np.zeros(0) for k in REQUIRED_SCORES})
    assert out.dtype == object and out.shape == (0,)


def test_scores_are_not_modified():
    s = _one(jaccard=0.2, masked=0.9, cosine_char=0.8)
    before = {k: v.copy() for k, v in s.items()}
    classify(s)
    assert all(np.array_equal(before[k], s[k]) for k in s)


_UNIT = st.floats(0.0, 1.0)


@settings(max_examples=100, deadline=None)
@given(st.fixed_dictionaries({k: _UNIT for k in REQUIRED_SCORES if k != "exact"}), st.booleans())
def test_every_pair_gets_one_known_kind(values, exact):
    s = _one(exact=exact, **values)
    k = classify(s)[0]
    assert k in KINDS
    assert (k == "exact") == exact
    assert k == classify(s)[0]


# --- named corpora, end to end with the core scores ------------------------------------------


def test_spun_template_and_same_topic_corpus():
    texts = [GARDEN, GARDEN_SPUN, GARDEN_OTHER, GARDEN_THIRD, *FARM, KRATOM_PLAIN, KRATOM_HEADED]
    kinds = kinds_of(texts)
    assert kinds[(0, 1)] == "spun"
    for i, j in itertools.combinations(range(4, 7), 2):
        assert kinds[(i, j)] == "templated"
    expected_related = {(0, 1), (4, 5), (4, 6), (5, 6)}
    for pair, kind in kinds.items():
        if pair not in expected_related:
            assert kind == "unrelated", (pair, kind)


def test_seed_pages_are_templated_and_absorb_nothing():
    paths = sorted(DATA.glob("*.txt"))
    if not paths:
        pytest.skip("seed pages missing")
    seeds = [p.read_text(encoding="utf-8") for p in paths]
    texts = seeds + [KRATOM_PLAIN, KRATOM_HEADED, GARDEN, GARDEN_OTHER, *FARM]
    kinds = kinds_of(texts)
    n = len(seeds)
    for (i, j), kind in kinds.items():
        if i < n and j < n:
            assert kind == "templated", (i, j, kind)
        elif (i < n) != (j < n):
            assert kind == "unrelated", (i, j, kind)


@pytest.mark.parametrize(
    "make, allowed",
    [
        (copies_and_edits, {"exact", "near_duplicate"}),
        (spun_family, {"spun"}),
        (template_family_mixed, {"templated"}),
        (seeds_mixed, {"templated"}),
    ],
)
def test_generated_named_corpora(make, allowed):
    corpus = make()
    if corpus is None:
        pytest.skip("seed pages missing")
    labels = corpus.labels()
    for (i, j), kind in kinds_of(corpus.texts).items():
        if labels[i] == labels[j]:
            assert kind in allowed, (corpus.ids[i], corpus.ids[j], kind)
        else:
            assert kind == "unrelated", (corpus.ids[i], corpus.ids[j], kind)


def test_quality_bar_on_the_generator():
    """Spun 30/50 % and template reuse: recall >= 0.95 at precision >= 0.98 (candidate pairs only)."""
    from benchmarks.generate import generate_corpus

    recs = generate_corpus(n_families=16, seed=9)
    texts = [r["text"] for r in recs]
    cluster = [r["cluster"] for r in recs]
    variant = [r["variant"] for r in recs]
    candidates = StructureIndex().fit(texts).candidate_pairs_
    pairs, scores = score_all(texts, candidates)
    kinds = classify(scores)
    found = {(int(i), int(j)): str(k) for (i, j), k in zip(pairs.tolist(), kinds)}

    def truth(i: int, j: int) -> str:
        if cluster[i] != cluster[j]:
            return "unrelated"
        pair = {variant[i], variant[j]}
        if "template" in pair:
            return "templated"
        if pair & {"spun15", "spun30", "spun50"}:
            return "spun"
        return "exact" if pair <= {"original", "exact"} else "near_duplicate"

    n = len(texts)
    positives = {
        kind: [(i, j) for i, j in itertools.combinations(range(n), 2) if truth(i, j) == kind]
        for kind in ("spun", "templated")
    }
    spun_hard = [(i, j) for i, j in positives["spun"] if {variant[i], variant[j]} & {"spun30", "spun50"}]
    assert len(spun_hard) >= 10 and len(positives["templated"]) >= 10
    for kind, pos in (("spun", spun_hard), ("templated", positives["templated"])):
        recall = sum(found.get(p) == kind for p in pos) / len(pos)
        predicted = [p for p, k in found.items() if k == kind]
        precision = sum(truth(*p) == kind for p in predicted) / max(len(predicted), 1)
        assert recall >= 0.95, (kind, recall)
        assert precision >= 0.98, (kind, precision)


def test_short_titles_with_one_frame_are_not_spun():
    texts = ["The Art of War", "The Joy of Cooking", "A Guide to the Stars"]
    kinds = kinds_of(texts)
    assert set(kinds.values()) == {"unrelated"}
