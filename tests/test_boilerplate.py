"""Tests of spindetect.boilerplate.scorer: spans, reasons, fractions and the HTML helper."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from spindetect.boilerplate import analyse, evidence, model
from spindetect.boilerplate.model import load_weights
from spindetect.boilerplate.report import REASONS, BoilerplateReport, BoilerplateSpan, highlight_html, span_fractions
from spindetect.boilerplate.scorer import BoilerplateScorer
from spindetect.text.tokens import word_starts

DATA = Path(__file__).resolve().parents[1] / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DRAGNET = SHARED / "data" / "dragnet-train" / "docs.jsonl"

# --------------------------------------------------------------------------- helpers


def covered(text: str, report: BoilerplateReport, needle: str, reason: str | None = None) -> float:
    """Fraction of the characters of ``needle`` (first occurrence) inside spans."""
    a = text.index(needle)
    b = a + len(needle)
    n = 0
    for s in report.spans:
        if reason is not None and s.reason != reason:
            continue
        n += max(0, min(b, s.end) - max(a, s.start))
    return n / len(needle)


def check_invariants(texts: list[str], reports: list[BoilerplateReport]) -> None:
    assert len(reports) == len(texts)
    for text, rep in zip(texts, reports):
        assert rep.n_chars == len(text)
        assert 0.0 <= rep.fraction <= 1.0
        assert 0.0 <= rep.char_fraction <= 1.0
        prev_end = 0
        for s in rep.spans:
            assert 0 <= prev_end <= s.start < s.end <= len(text)
            assert s.reason in REASONS
            prev_end = s.end
        chars = sum(s.end - s.start for s in rep.spans)
        assert rep.char_fraction == pytest.approx(chars / len(text) if text else 0.0)
        words = word_starts(text)
        inside = sum(any(s.start <= w < s.end for s in rep.spans) for w in words.tolist())
        assert rep.fraction == pytest.approx(inside / len(words) if len(words) else rep.char_fraction)
        # Spans start and end on non-blank characters.
        for s in rep.spans:
            assert not text[s.start].isspace() and not text[s.end - 1].isspace()


# A small bakery site: every page has the same navigation and footer, its own story.
NAV = "Home | Breads | Cakes | Visit us"
FOOTER = "Copyright 2024 Harbor Street Bakery. All rights reserved."
STORIES = [
    "Our sourdough starter is older than the shop itself. Every morning the bakers feed it "
    "with rye flour and water from the well behind the yard, and by noon it smells of apples.",
    "The almond cake began as a wedding present for a neighbour who could not eat wheat. "
    "Guests asked for the recipe so often that it went on the menu the following spring.",
    "On Fridays the ovens stay hot until midnight because the fishermen come in late and "
    "want warm rolls with their soup before they sleep for a few hours and sail again.",
    "Children from the school next door decorate gingerbread houses in December, and the "
    "best one sits in the window until the first snow melts on the harbour steps.",
]
BAKERY = [f"{NAV}\n{story}\n{FOOTER}" for story in STORIES]


# --------------------------------------------------------------------------- named corpora


def test_shared_navigation_and_footer_are_flagged():
    reports = BoilerplateScorer().fit_score(BAKERY)
    check_invariants(BAKERY, reports)
    for text, story, rep in zip(BAKERY, STORIES, reports):
        assert covered(text, rep, NAV, "shared_in_corpus") == 1.0
        assert covered(text, rep, FOOTER, "shared_in_corpus") == 1.0
        assert covered(text, rep, story) == 0.0
        expected = (len(NAV) + len(FOOTER)) / len(text)
        assert rep.char_fraction == pytest.approx(expected)
        n_words = len(re.findall(r"\w+", text))
        assert rep.fraction == pytest.approx((len(re.findall(r"\w+", NAV + " " + FOOTER))) / n_words)


def test_top_passages_lists_the_footer_with_its_document_count():
    scorer = BoilerplateScorer().fit(BAKERY)
    passages = dict(scorer.top_passages_)
    assert passages[NAV] == 4
    assert passages["Copyright 2024 Harbor Street Bakery."] == 4
    counts = [n for _, n in scorer.top_passages_]
    assert counts == sorted(counts, reverse=True)


TEMPLATE = "Every parcel we send is checked twice by the packing team before it leaves the warehouse."
TEMPLATE_WORDS = TEMPLATE.split()


def _one_word_changed(position: int, word: str) -> str:
    words = list(TEMPLATE_WORDS)
    words[position] = word
    return " ".join(words)


@pytest.mark.parametrize("position", [1, 5, 7, 9, 13])
def test_template_sentence_with_one_word_changed_is_still_flagged(position):
    own = [
        "Kites were first flown from the cliffs above the village long before the lighthouse.",
        "The violin repair took three weeks because the varnish had to cure between coats.",
        "A heron stood in the shallow pond all afternoon while the gardeners raked leaves.",
    ]
    corpus = [f"{own[0]} {TEMPLATE}", f"{own[1]} {TEMPLATE}", f"{own[2]} {_one_word_changed(position, 'quietly')}"]
    reports = BoilerplateScorer().fit_score(corpus)
    check_invariants(corpus, reports)
    changed = _one_word_changed(position, "quietly")
    assert covered(corpus[2], reports[2], changed, "shared_in_corpus") == 1.0
    for text, sentence, rep in zip(corpus, own, reports):
        assert covered(text, rep, sentence) == 0.0


def test_one_word_inserted_or_deleted_is_still_flagged():
    shorter = " ".join(w for i, w in enumerate(TEMPLATE_WORDS) if i != 6)
    longer = " ".join(TEMPLATE_WORDS[:6] + ["always"] + TEMPLATE_WORDS[6:])
    corpus = [
        f"Pears ripen faster in a paper bag. {TEMPLATE}",
        f"Snow closed the mountain pass overnight. {shorter}",
        f"The choir practises in the crypt on Tuesdays. {longer}",
    ]
    reports = BoilerplateScorer().fit_score(corpus)
    assert covered(corpus[1], reports[1], shorter, "shared_in_corpus") == 1.0
    assert covered(corpus[2], reports[2], longer, "shared_in_corpus") == 1.0


def test_unrelated_sentences_are_not_flagged():
    corpus = [
        "Kites were first flown from the cliffs above the village long before the lighthouse.",
        "The violin repair took three weeks because the varnish had to cure between coats.",
    ]
    reports = BoilerplateScorer().fit_score(corpus)
    assert [r.spans for r in reports] == [(), ()]
    assert [r.fraction for r in reports] == [0.0, 0.0]


def test_family_template_versus_shared_in_corpus():
    family_sentence = "Each listing in this guide is verified by our editors every single season."
    everywhere = "Prices and opening hours may change without notice at any time of the year."
    texts = [
        f"A quiet inn with twelve rooms near the river. {family_sentence} {everywhere}",
        f"A busy hostel with bunk beds by the station. {family_sentence} {everywhere}",
        f"A museum of clocks and music boxes in the old mill. {everywhere}",
    ]
    families = ["guide", "guide", None]
    reports = BoilerplateScorer().fit_score(texts, families)
    for text, rep in zip(texts[:2], reports[:2]):
        assert covered(text, rep, family_sentence, "family_template") == 1.0
        assert covered(text, rep, everywhere, "shared_in_corpus") == 1.0
    assert covered(texts[2], reports[2], everywhere, "shared_in_corpus") == 1.0
    # Without family labels the same sentence is simply shared in the corpus.
    plain = BoilerplateScorer().fit_score(texts)
    assert covered(texts[0], plain[0], family_sentence, "shared_in_corpus") == 1.0


def test_headings_listed_then_repeated_as_titles_are_repeated_in_doc():
    headings = ["Choosing the right flour", "Kneading without a machine", "Baking on a stone"]
    bodies = [
        "Strong bread flour has more protein, which gives the crumb its stretch and chew.",
        "Push the dough away with the heel of your hand, fold it back and turn it a quarter.",
        "A stone stores heat, so the loaf rises quickly in the first minutes in the oven.",
    ]
    text = "In this article:\n" + "\n".join(f"- {h}" for h in headings) + "\n"
    text += "\n".join(f"{h}\n{b}" for h, b in zip(headings, bodies))
    for reports in (BoilerplateScorer().fit_score([text]), BoilerplateScorer(use_corpus=False).fit_score([text])):
        rep = reports[0]
        check_invariants([text], reports)
        for h in headings:
            assert covered(text, rep, f"- {h}", "repeated_in_doc") == 1.0
            second = text.index(h, text.index(h) + 1)
            assert covered(text[second:], _shift(rep, second), h) == 1.0
        for body in bodies:
            assert covered(text, rep, body) == 0.0


def _shift(report: BoilerplateReport, offset: int) -> BoilerplateReport:
    spans = tuple(
        BoilerplateSpan(max(s.start - offset, 0), s.end - offset, s.reason) for s in report.spans if s.end > offset
    )
    return BoilerplateReport(report.fraction, spans, report.n_chars - offset, report.char_fraction)


PAGE_WITH_CHROME = """Skip to content
Home
News
Sport
Weather
Contact
Village fête raises money for the new lifeboat
The annual fête on the green raised more than four thousand pounds this weekend, which the organisers say will pay for a large part of the new lifeboat engine. Stalls sold cakes, plants and second-hand books, and the brass band played until the rain arrived in the late afternoon.
Volunteers said the turnout was the best they could remember, and that the tug of war between the two pubs has become a tradition that people travel from the next valley to watch.
Share on Facebook
Share on Twitter
Email this story
Copyright 2024 The Valley Courier. All rights reserved.
Privacy policy | Terms of use | Cookies"""


@pytest.mark.parametrize("use_corpus", [True, False])
def test_page_chrome_on_a_single_page(use_corpus):
    text = PAGE_WITH_CHROME
    rep = BoilerplateScorer(use_corpus=use_corpus).fit_score([text])[0]
    check_invariants([text], [rep])
    lines = text.splitlines()
    article = [line for line in lines if len(line.split()) > 25]
    assert len(article) == 2
    for line in article:
        assert covered(text, rep, line) == 0.0
    for line in ["Skip to content", "Share on Facebook", "Email this story", "Privacy policy | Terms of use | Cookies"]:
        assert covered(text, rep, line, "page_chrome") == 1.0
    assert covered(text, rep, "Copyright 2024 The Valley Courier. All rights reserved.") == 1.0
    assert 0.2 < rep.fraction < 0.6


def test_page_chrome_can_be_switched_off():
    reps = BoilerplateScorer(page_chrome=False).fit_score([PAGE_WITH_CHROME])
    assert all(s.reason != "page_chrome" for s in reps[0].spans)


# --------------------------------------------------------------------------- the seed pages


def _sentences(line: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", line.strip()) if s]


def _word_8grams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}


def test_seed_pages():
    paths = sorted(DATA.glob("*.txt"))
    assert len(paths) >= 2
    texts = [p.read_text(encoding="utf-8") for p in paths]
    reports = BoilerplateScorer().fit_score(texts)
    check_invariants(texts, reports)

    # Sentences that occur verbatim in several pages (the shared intro sentence) are spans.
    pages_with: dict[str, set[int]] = {}
    for i, t in enumerate(texts):
        for line in t.splitlines():
            for s in _sentences(line):
                pages_with.setdefault(s, set()).add(i)
    shared = {s: pages for s, pages in pages_with.items() if len(pages) >= 2 and len(s.split()) >= 5}
    assert shared, "the seed pages share at least one sentence"
    for sentence, pages in shared.items():
        for i in pages:
            assert covered(texts[i], reports[i], sentence) == 1.0
            assert covered(texts[i], reports[i], sentence, "shared_in_corpus") == 1.0

    n_echo = 0
    for i, (t, rep) in enumerate(zip(texts, reports)):
        lines = [line.strip() for line in t.splitlines() if line.strip()]
        # The list of headings that is echoed as section titles is a span.
        for line in lines:
            if line.startswith("- ") and lines.count(line[2:]) >= 1:
                n_echo += 1
                assert covered(t, rep, line) == 1.0
        # Page-specific paragraphs (no 8-word run shared with another page) are not spans.
        others = set().union(*(_word_8grams(o) for j, o in enumerate(texts) if j != i))
        n_specific = 0
        for line in lines:
            if len(line.split()) >= 40 and not (_word_8grams(line) & others):
                n_specific += 1
                assert covered(t, rep, line) == 0.0
        assert n_specific >= 3
        assert rep.fraction < 0.4
    assert n_echo >= len(texts)

    # With one family label the shared sentences are the family's template.
    fam = BoilerplateScorer().fit_score(texts, families=["seed"] * len(texts))
    for sentence, pages in shared.items():
        for i in pages:
            assert covered(texts[i], fam[i], sentence, "family_template") == 1.0


# --------------------------------------------------------------------------- API behaviour


def test_empty_and_one_line_documents():
    texts = ["", "one line", "   ", "\n\n", "Skip to content"]
    reports = BoilerplateScorer().fit_score(texts)
    check_invariants(texts, reports)
    assert reports[0] == BoilerplateReport(0.0, (), 0, 0.0)
    assert reports[2].fraction == 0.0 and reports[3].fraction == 0.0
    for texts in ([""], ["just one line of text"], []):
        check_invariants(texts, BoilerplateScorer().fit_score(texts))


def test_score_new_texts_against_the_fitted_corpus():
    scorer = BoilerplateScorer().fit(BAKERY[:3])
    story = (
        "A brand new page about rye crackers: the dough is rolled thin with seeds pressed into it, "
        "then baked slowly until it snaps, and the crackers keep for weeks in a tin."
    )
    new = f"{NAV}\n{story}\n{FOOTER}"
    rep = scorer.score([new])[0]
    assert covered(new, rep, NAV, "shared_in_corpus") == 1.0
    assert covered(new, rep, "rye crackers") == 0.0
    # A text identical to a fitted document is that document, not its own copy.
    assert scorer.score([BAKERY[0]]) == scorer.score()[:1]
    alone = BoilerplateScorer().fit([BAKERY[0]])
    assert all(s.reason != "shared_in_corpus" for s in alone.score([BAKERY[0]])[0].spans)


def test_exact_duplicates_count_once_unless_groups_say_otherwise():
    text = "A perfectly ordinary sentence about the weather in the hills this week."
    # By default identical texts are one group: a copy does not make its text shared.
    assert BoilerplateScorer().fit_score([text, text]) == BoilerplateScorer().fit_score([text]) * 2
    # Explicit groups (every document its own) count the copies apart.
    reports = BoilerplateScorer().fit_score([text, text], groups=[None, None])
    assert all(r.fraction == 1.0 for r in reports)


def test_determinism_and_order_independence():
    texts = BAKERY + [PAGE_WITH_CHROME]
    a = BoilerplateScorer().fit_score(texts)
    b = BoilerplateScorer(random_state=3).fit_score(texts)
    assert a == b
    perm = [4, 2, 0, 3, 1]
    c = BoilerplateScorer().fit_score([texts[i] for i in perm])
    assert [c[perm.index(i)] for i in range(len(texts))] == a


def test_small_batches_give_the_same_result():
    texts = BAKERY + [PAGE_WITH_CHROME]
    a = BoilerplateScorer().fit_score(texts)
    b = BoilerplateScorer(batch_chars=50).fit_score(texts)
    assert a == b


def test_report_to_dict_is_json():
    rep = BoilerplateScorer().fit_score(BAKERY)[0]
    d = json.loads(json.dumps(rep.to_dict()))
    assert d["n_chars"] == len(BAKERY[0])
    assert d["spans"][0] == {"start": 0, "end": len(NAV), "reason": "shared_in_corpus"}
    assert d["fraction"] == rep.fraction and d["char_fraction"] == rep.char_fraction
    assert "share of words" in rep._repr_html_()


def test_input_errors():
    with pytest.raises(TypeError, match="single str"):
        BoilerplateScorer().fit("just one text")
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        BoilerplateScorer().fit(["ok", 3])
    with pytest.raises(ValueError, match="families has 1 labels"):
        BoilerplateScorer().fit(["a", "b"], families=["x"])
    with pytest.raises(NotFittedError):
        BoilerplateScorer().score(["a"])
    with pytest.raises(ValueError, match="ngram"):
        BoilerplateScorer(ngram=0).fit(["a"])
    with pytest.raises(ValueError, match="min_coverage"):
        BoilerplateScorer(min_coverage=1.5).fit(["a"])
    fitted = BoilerplateScorer().fit(["a"])
    with pytest.raises(TypeError, match="single str"):
        fitted.score("a")


def test_weights_are_checked():
    weights = load_weights()
    assert "relative_log_df" in weights["evidence_model"]["features"]
    assert weights["context_model"]["features"][0] == "evidence_logit"
    broken = json.loads(json.dumps(weights))
    broken["evidence_model"]["features"] = broken["evidence_model"]["features"][:-1]
    with pytest.raises(ValueError, match="values, expected"):
        load_weights(broken)
    renamed = json.loads(json.dumps(weights))
    renamed["context_model"]["features"][1] = "no_such_feature"
    with pytest.raises(ValueError, match="features"):
        load_weights(renamed)


def test_gate_and_corpus_regime_weights_are_checked():
    weights = load_weights()
    assert set(weights["gate"]) == {"doc_shared_cov", "doc_log_tokens"}
    bad_gate = json.loads(json.dumps(weights))
    bad_gate["gate"] = {"no_such_feature": 0.5}
    with pytest.raises(ValueError, match="gate"):
        load_weights(bad_gate)
    half = json.loads(json.dumps(weights))
    del half["corpus_context_model"]
    with pytest.raises(ValueError, match="corpus_context_model"):
        load_weights(half)
    # Weights without a corpus regime are one regime for every page.
    lone = {k: v for k, v in weights.items() if k not in ("gate", "corpus_evidence_model", "corpus_context_model")}
    assert load_weights(lone) is lone


# A site whose pages are long enough for the corpus regime: menu, an article of five paragraphs, footer.
MORE = [
    ("The rye comes from a farm on the far side of the estuary, where the soil is thin and sandy.",
     "Its owner brings the sacks himself every second Thursday and stays for a coffee in the back room.",
     "In winter the loaves are darker, because the starter works more slowly in the cold kitchen and needs an extra hour.",
     "Nobody has ever written the feeding times down; the apprentices learn them by watching."),
    ("Ground almonds replace the flour entirely, and a little orange zest keeps the crumb from tasting flat.",
     "The cake is baked in shallow tins so that the middle sets before the edges begin to darken.",
     "Once a year the neighbour who inspired it orders three of them for the anniversary of her own wedding.",
     "She still claims the first slice and says it tastes better every single year."),
    ("The night shift is run by two brothers who learned the trade from their grandmother in the valley.",
     "They listen to the shipping forecast while the dough proves and say it tells them when to expect the boats.",
     "When the weather turns and no boat can leave, the brothers give the unsold rolls to the lifeboat crew.",
     "The crew return the favour each summer by painting the shutters of the shop."),
    ("Teachers bring the children in groups of six, and each group gets one tray, one bowl and one apron each.",
     "The icing is made without colouring, so the houses are white and brown like the streets in old photographs.",
     "The winning house is chosen by the oldest customer of the shop, who has judged it for nineteen years.",
     "Her verdict is announced from the doorstep and nobody has ever dared to argue with it."),
]
SITE_PAGES = [f"{NAV}\n{story}\n" + "\n".join(more) + f"\n{FOOTER}" for story, more in zip(STORIES, MORE)]


def _regimes(texts: list[str]) -> np.ndarray:
    """Per document: decided by the corpus regime of the shipped weights."""
    scorer = BoilerplateScorer().fit(texts)
    b = analyse._analyse(texts, scorer.ngram)
    ev = evidence._evidence(b, scorer.stats_, np.ones(len(texts), np.int64), None, scorer.ngram, scorer.min_docs)
    flags = model.corpus_regime(model.evidence_features(ev), scorer.weights_)
    return np.array([bool(flags[ev.doc == d].all()) if np.any(ev.doc == d) else False for d in range(len(texts))])


def test_regime_is_chosen_by_corpus_evidence_and_length():
    texts = [*SITE_PAGES, PAGE_WITH_CHROME, *BAKERY]
    regimes = _regimes(texts)
    n = len(SITE_PAGES)
    assert regimes[:n].all()  # long pages sharing their menu and footer
    assert not regimes[n]  # a page that shares nothing
    assert not regimes[n + 1 :].any()  # three-line pages: too short for the corpus regime


def test_lone_page_is_judged_by_the_lone_regime_in_any_corpus():
    weights = load_weights()
    lone = {k: v for k, v in weights.items() if k not in ("gate", "corpus_evidence_model", "corpus_context_model")}
    texts = [*SITE_PAGES, PAGE_WITH_CHROME]
    both = BoilerplateScorer().fit_score(texts)
    one = BoilerplateScorer(weights=lone).fit_score(texts)
    assert both[-1] == one[-1]
    for line in PAGE_WITH_CHROME.splitlines():
        if len(line.split()) > 25:  # the article
            assert covered(PAGE_WITH_CHROME, both[-1], line) == 0.0
    for text, rep in zip(SITE_PAGES, both):
        assert covered(text, rep, NAV) == 1.0 and covered(text, rep, FOOTER) == 1.0
    for text, rep, story, more in zip(SITE_PAGES, both, STORIES, MORE):
        for paragraph in (story, *more):
            assert covered(text, rep, paragraph) == 0.0


def test_highlight_html_escapes():
    text = "Home | <script>alert('x')</script>\nA story & more about <b>bread</b>.\nHome | <script>alert('x')</script>"
    rep = BoilerplateScorer().fit_score([text, "Home | <script>alert('x')</script>\nOther."])[0]
    out = highlight_html(text, rep)
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "&lt;b&gt;bread&lt;/b&gt;" in out and "&amp;" in out
    assert '<mark class="shared_in_corpus" title="shared_in_corpus">' in out
    with pytest.raises(ValueError):
        highlight_html(text + "x", rep)


# --------------------------------------------------------------------------- units: words and characters


def test_fraction_is_a_share_of_words_and_char_fraction_of_characters():
    text = "Home | About\nA long sentence of many words here."
    words, chars = span_fractions(text, (BoilerplateSpan(0, 12, "page_chrome"),))
    assert words == pytest.approx(2 / 9)
    assert chars == pytest.approx(12 / len(text))


def test_text_without_words_falls_back_to_the_share_of_characters():
    text = "... !!! ---"
    words, chars = span_fractions(text, (BoilerplateSpan(0, 3, "page_chrome"),))
    assert words == chars == pytest.approx(3 / len(text))
    assert span_fractions("", ()) == (0.0, 0.0)


def test_cjk_words_are_counted_one_per_character():
    text = "東京は日本の首都です。\nホーム"
    assert len(word_starts(text)) == 13  # 10 ideographs/kana before the full stop, 3 kana after
    words, _ = span_fractions(text, (BoilerplateSpan(12, 15, "page_chrome"),))
    assert words == pytest.approx(3 / 13)
    report = BoilerplateReport.from_spans(text, (BoilerplateSpan(12, 15, "page_chrome"),))
    assert report.fraction == words and report.n_chars == len(text)


def test_word_count_matches_runs_of_word_characters_outside_cjk():
    text = "Straße l'été — naïve_test 2024, x1"
    assert word_starts(text).tolist() == [m.start() for m in re.finditer(r"\w+", text)]


# --------------------------------------------------------------------------- invariants

_ALPHABET = "ab cd.E|\n\r©é中ß!?-\u2028 \tİﬁ😀\x85。"
_texts = st.lists(st.text(alphabet=_ALPHABET, max_size=120), min_size=0, max_size=6)


@settings(max_examples=60, deadline=None)
@given(_texts)
def test_invariants_on_random_texts(texts):
    reports = BoilerplateScorer(ngram=3).fit_score(texts)
    check_invariants(texts, reports)
    assert BoilerplateScorer(ngram=3).fit_score(texts) == reports


@settings(max_examples=30, deadline=None)
@given(_texts, st.randoms(use_true_random=False))
def test_order_independence_on_random_texts(texts, rnd):
    perm = list(range(len(texts)))
    rnd.shuffle(perm)
    a = BoilerplateScorer(ngram=3).fit_score(texts)
    b = BoilerplateScorer(ngram=3).fit_score([texts[i] for i in perm])
    assert [b[perm.index(i)] for i in range(len(texts))] == a


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(BAKERY + STORIES + [NAV, FOOTER, ""]), min_size=1, max_size=6))
def test_invariants_on_mixed_corpora(texts):
    check_invariants(texts, BoilerplateScorer().fit_score(texts))


# --------------------------------------------------------------------------- dragnet


def test_dragnet_fraction_tracks_the_gold():
    if not DRAGNET.exists():
        pytest.skip("../shared/data/dragnet-train is not available")
    rows = [json.loads(line) for line in DRAGNET.read_text(encoding="utf-8").splitlines()]
    reports = BoilerplateScorer().fit_score([r["text"] for r in rows])
    pred = np.array([r.fraction for r in reports])
    gold = np.array([r["boilerplate_frac"] for r in rows])
    assert np.abs(pred - gold).mean() <= 0.12
    assert np.corrcoef(pred, gold)[0, 1] >= 0.75


def test_groups_of_copies_count_once():
    article = (
        "Our village library opened a reading room for children this spring. "
        "Volunteers read stories aloud every Saturday morning and the room fills up quickly. "
        "The council plans to keep it open through the summer holidays as well."
    )
    other = "A short note about bicycles, brakes and the cost of new tyres in the city this year."
    texts = [article, article, other]
    shared = BoilerplateScorer().fit_score(texts, groups=[None, None, None])
    grouped = BoilerplateScorer().fit(texts, groups=["a", "a", None]).score()
    assert shared[0].fraction > 0.9  # every document apart: the copy's whole text is shared
    assert grouped[0].fraction < 0.1 and grouped[1].fraction < 0.1
    assert grouped[0].fraction == grouped[1].fraction


# --------------------------------------------------------------------------- fit_score reuses the analysis


def _copies_corpus() -> tuple[list[str], list[str | None], list[str | None]]:
    """Bakery pages, a chrome page and copies of them, with families and groups."""
    texts = BAKERY + [PAGE_WITH_CHROME, BAKERY[0], STORIES[1], BAKERY[2], PAGE_WITH_CHROME]
    families = ["bakery"] * 4 + [None, "bakery", None, "bakery", None]
    # Copies of one text are one group; groups 0 and 2 span the whole corpus.
    groups = ["g0", None, "g2", None, "gp", "g0", None, "g2", "gp"]
    return texts, families, groups


@pytest.mark.parametrize("batch_chars", [1, 300, 500_000])
def test_fit_score_equals_fit_then_score(batch_chars):
    texts, families, groups = _copies_corpus()
    one = BoilerplateScorer(batch_chars=batch_chars)
    fused = one.fit_score(texts, families, groups)
    two = BoilerplateScorer(batch_chars=batch_chars).fit(texts, families, groups)
    assert fused == two.score()
    assert one.score() == fused  # scoring again analyses the texts again
    assert (one.n_units_, one.top_passages_) == (two.n_units_, two.top_passages_)
    check_invariants(texts, fused)


def test_groups_spread_over_batches_count_once():
    texts, families, groups = _copies_corpus()
    whole = BoilerplateScorer().fit(texts, families, groups)
    split = BoilerplateScorer(batch_chars=1).fit(texts, families, groups)  # one text per batch
    assert split.score() == whole.score()
    assert split.n_units_ == whole.n_units_
    # The copies of page 0 (one group) do not make its story shared.
    rep = whole.score()[0]
    assert covered(texts[0], rep, STORIES[0]) == 0.0
    assert covered(texts[0], rep, NAV, "family_template") == 1.0


def test_fit_score_beyond_the_memory_budget(monkeypatch):
    import spindetect.boilerplate.evidence as bp

    texts, families, groups = _copies_corpus()
    expected = BoilerplateScorer(batch_chars=300).fit(texts, families, groups).score()
    # Keep no analysed batch: every batch is analysed again when scoring.
    monkeypatch.setattr(bp, "_KEEP_BYTES", 0)
    assert BoilerplateScorer(batch_chars=300).fit_score(texts, families, groups) == expected


@settings(max_examples=30, deadline=None)
@given(_texts, st.lists(st.sampled_from(["a", "b", None]), min_size=6, max_size=6), st.sampled_from([1, 40, 10_000]))
def test_fit_score_equals_fit_then_score_on_random_texts(texts, labels, batch_chars):
    groups = labels[: len(texts)]
    families = labels[::-1][: len(texts)]
    fused = BoilerplateScorer(ngram=3, batch_chars=batch_chars).fit_score(texts, families, groups)
    two = BoilerplateScorer(ngram=3, batch_chars=batch_chars).fit(texts, families, groups).score()
    assert fused == two
    check_invariants(texts, fused)


def test_score_corpus_equals_fit_score_and_keeps_nothing_fitted():
    from spindetect.boilerplate.scorer import score_corpus

    texts, families, groups = _copies_corpus()
    scorer = BoilerplateScorer(batch_chars=300)
    expected = BoilerplateScorer(batch_chars=300).fit_score(texts, families, groups)
    assert score_corpus(scorer, texts, families, groups) == expected
    with pytest.raises(NotFittedError):
        scorer.score()  # the given scorer is not changed


def test_units_and_batches_spilled_to_disk_give_the_same_reports(monkeypatch):
    texts, families, groups = _copies_corpus()
    expected = BoilerplateScorer(batch_chars=300).fit(texts, families, groups)
    reports = expected.score()
    # Spill every batch's unit hashes to the partition files, and every analysed batch to disk.
    monkeypatch.setattr(evidence, "_SPILL_BYTES", 0)
    monkeypatch.setattr(evidence, "_KEEP_BYTES", 0)
    spilled = BoilerplateScorer(batch_chars=300).fit(texts, families, groups)
    assert spilled.n_units_ == expected.n_units_
    assert spilled.score() == reports
    assert BoilerplateScorer(batch_chars=300).fit_score(texts, families, groups) == reports


@settings(max_examples=30, deadline=None)
@given(_texts, st.lists(st.sampled_from(["a", "b", None]), min_size=6, max_size=6), st.sampled_from([1, 40, 10_000]))
def test_score_corpus_equals_fit_score_on_random_texts(texts, labels, batch_chars):
    from spindetect.boilerplate.scorer import score_corpus

    groups = labels[: len(texts)]
    families = labels[::-1][: len(texts)]
    scorer = BoilerplateScorer(ngram=3, batch_chars=batch_chars)
    assert score_corpus(scorer, texts, families, groups) == clone(scorer).fit_score(texts, families, groups)
