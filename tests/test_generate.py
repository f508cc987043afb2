"""The labelled corpus generator (benchmarks/generate.py) and tests/corpora.py."""

from __future__ import annotations

import collections
import itertools
import json
import random
import re
import statistics
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks import generate as g  # noqa: E402

import corpora  # noqa: E402

_WORDS = re.compile(r"[A-Za-z]+")
_SENTENCES = re.compile(r"[^.!?\n]+[.!?]")


@pytest.fixture(scope="module")
def corpus():
    return g.generate_corpus(n_families=12, seed=5)


def _sentences(text):
    return {s.strip().lower() for s in _SENTENCES.findall(text) if len(s.split()) >= 6}


def _topic_words(topic):
    t = g.get_topic(topic)
    return {f.lower() for grp in t.nouns for lex in grp for f in lex.forms if " " not in f}


# ---------------------------------------------------------------------------
# determinism and structure
# ---------------------------------------------------------------------------
def test_deterministic_for_a_seed(corpus):
    assert g.generate_corpus(n_families=12, seed=5) == corpus


def test_different_across_seeds(corpus):
    other = g.generate_corpus(n_families=12, seed=6)
    assert {d["text"] for d in other}.isdisjoint({d["text"] for d in corpus})


def test_records_and_labels(corpus):
    ids = [d["id"] for d in corpus]
    assert len(set(ids)) == len(ids)
    assert {d["variant"] for d in corpus} == set(g.VARIANTS)
    by_cluster = collections.defaultdict(list)
    for d in corpus:
        assert set(d) == {"id", "text", "cluster", "variant", "topic"}
        assert d["topic"] in g.TOPIC_NAMES
        by_cluster[d["cluster"]].append(d)
    byid = {d["id"]: d for d in corpus}
    for cluster, members in by_cluster.items():
        head = byid[cluster]  # the label is the id of a member: the original
        assert head["cluster"] == cluster
        kinds = {m["variant"] for m in members}
        if head["variant"] == "original":
            assert kinds == {"original", "exact", "light_edit", "spun15", "spun30", "spun50"}
        elif head["variant"] == "template":
            assert kinds == {"template"} and 3 <= len(members) <= 8
        else:
            assert len(members) == 1 and head["variant"] in ("same_topic", "unrelated")


def test_variant_selection():
    docs = g.generate_corpus(n_families=4, seed=1, variants=["original", "spun30"])
    assert {d["variant"] for d in docs} == {"original", "spun30"}
    docs = g.generate_corpus(n_families=3, seed=1, variants=["template"])
    assert {d["variant"] for d in docs} == {"template"}
    with pytest.raises(ValueError, match="unknown variants"):
        g.generate_corpus(n_families=2, variants=["spun99"])
    with pytest.raises(TypeError, match="not a str"):
        g.generate_corpus(n_families=2, variants="template")


def test_articles_look_like_articles():
    rng = random.Random(0)
    for topic in g.TOPIC_NAMES:
        text = g.make_article(topic, rng)
        assert 1500 <= len(text) <= 6000
        assert text.count("\n") >= 2
        assert len(_sentences(text)) >= 8
        words = [w.lower() for w in _WORDS.findall(text)]
        stop_share = sum(w in g.STOPWORDS for w in words) / len(words)
        assert 0.2 <= stop_share <= 0.7


def test_make_article_rejects_unknown_topic():
    with pytest.raises(ValueError, match="unknown topic"):
        g.make_article("underwater basket weaving", random.Random(0))


# ---------------------------------------------------------------------------
# variant properties, measured
# ---------------------------------------------------------------------------
def test_exact_copies_are_identical(corpus):
    byid = {d["id"]: d for d in corpus}
    for d in corpus:
        if d["variant"] == "exact":
            assert d["text"] == byid[d["cluster"]]["text"]


def test_light_edit_jaccard_in_range(corpus):
    byid = {d["id"]: d for d in corpus}
    for d in corpus:
        if d["variant"] == "light_edit":
            j = g.word_ngram_jaccard(d["text"], byid[d["cluster"]]["text"])
            assert 0.5 <= j <= 0.9


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_light_edit_range_any_seed(seed):
    rng = random.Random(seed)
    text = g.make_article(rng.choice(g.TOPIC_NAMES), rng)
    edited = g.light_edit(text, rng)
    assert edited != text
    assert 0.5 <= g.word_ngram_jaccard(text, edited) <= 0.9


@pytest.mark.parametrize("fraction, max_jaccard", [(0.15, 0.7), (0.30, 0.45), (0.50, 0.25)])
def test_spin_changes_words_but_keeps_the_frame(fraction, max_jaccard):
    rng = random.Random(7)
    for _ in range(3):
        text = g.make_article(rng.choice(g.TOPIC_NAMES), rng)
        spun = g.spin(text, fraction, rng)
        a, b = _WORDS.findall(text), _WORDS.findall(spun)
        assert len(a) == len(b)  # single-word synonyms only
        # the stopword sequence and the layout are untouched
        assert [w for w in a if w.lower() in g.STOPWORDS] == [
            w for w in b if w.lower() in g.STOPWORDS
        ]
        assert text.count("\n") == spun.count("\n")
        content = [(x, y) for x, y in zip(a, b) if x.lower() not in g.STOPWORDS]
        changed = sum(x != y for x, y in content) / len(content)
        assert changed == pytest.approx(fraction, abs=0.02)
        assert g.word_ngram_jaccard(text, spun) <= max_jaccard


def test_spin_edge_cases():
    rng = random.Random(1)
    text = g.make_article("cycling", rng)
    assert g.spin(text, 0.0, rng) == text
    with pytest.raises(ValueError, match="fraction"):
        g.spin(text, 1.5, rng)
    eligible = g.spin(text, 0.5, random.Random(2), basis="eligible")
    assert eligible != text


def test_spin_lexicon_is_consistent():
    assert len(g.SPIN_LEXICON) >= 300
    for word, (normal, awkward) in g.SPIN_LEXICON.items():
        assert word.isalpha() and word not in g.STOPWORDS
        assert word not in normal and word not in awkward
        assert all(s.isalpha() for s in normal + awkward)
        assert normal or awkward
    sizes = [len(n) for n, _ in g.SPIN_LEXICON.values()]
    assert statistics.median(sizes) >= 2


def test_spun_variants_in_corpus_get_harder(corpus):
    byid = {d["id"]: d for d in corpus}
    by_kind = collections.defaultdict(list)
    for d in corpus:
        if d["variant"].startswith("spun"):
            by_kind[d["variant"]].append(
                g.word_ngram_jaccard(d["text"], byid[d["cluster"]]["text"]))
    assert (statistics.median(by_kind["spun15"]) > statistics.median(by_kind["spun30"])
            > statistics.median(by_kind["spun50"]))
    assert max(by_kind["spun50"]) < 0.2


def test_template_members_share_stock_text_but_few_shingles(corpus):
    families = collections.defaultdict(list)
    for d in corpus:
        if d["variant"] == "template":
            families[d["cluster"]].append(d["text"])
    assert len(families) >= 4
    jac = []
    for texts in families.values():
        for a, b in itertools.combinations(texts, 2):
            jac.append(g.word_ngram_jaccard(a, b))
            # stock sentences: far more shared 5-grams than independent texts have
            assert len(g.word_shingles(a) & g.word_shingles(b)) >= 10
    assert max(jac) < 0.3
    assert 0.02 <= statistics.median(jac) <= 0.15


def test_single_topic_template_pages_share_stock_sentences():
    rng = random.Random(8)
    pages = g.template_family("camping", rng, n_members=4)
    assert set.intersection(*(_sentences(p) for p in pages))
    for a, b in itertools.combinations(pages, 2):
        assert 0.02 <= g.word_ngram_jaccard(a, b) <= 0.3


def test_template_skeletons_differ():
    rng = random.Random(3)
    layouts = set()
    for _ in range(6):
        sk = g.make_skeleton(rng)
        layouts.add(tuple(kind for kind, _ in sk.blocks))
    assert len(layouts) >= 4


def test_same_topic_texts_share_topic_words_not_sentences():
    rng = random.Random(11)
    for topic in ("gardening", "personal finance", "sleep"):
        texts = [g.make_article(topic, rng) for _ in range(3)]
        vocab = _topic_words(topic)
        for a, b in itertools.combinations(texts, 2):
            wa = {w.lower() for w in _WORDS.findall(a)} & vocab
            wb = {w.lower() for w in _WORDS.findall(b)} & vocab
            assert len(wa & wb) >= 5
            assert not (_sentences(a) & _sentences(b))
            assert g.word_ngram_jaccard(a, b) < 0.02


def test_same_topic_negatives_in_corpus(corpus):
    topics = {d["topic"] for d in corpus if d["variant"] in ("original", "template")}
    neg = [d for d in corpus if d["variant"] == "same_topic"]
    assert neg and all(d["topic"] in topics for d in neg)


# ---------------------------------------------------------------------------
# scale corpus
# ---------------------------------------------------------------------------
def test_scale_corpus_deterministic_and_labelled():
    c = g.generate_scale_corpus(3000, seed=4, dup_rate=0.2, doc_bytes=1500, batch_size=1000)
    docs = list(c)
    assert docs == list(g.generate_scale_corpus(3000, seed=4, dup_rate=0.2, doc_bytes=1500,
                                                batch_size=1000))
    assert [i for i, _ in docs] == list(c.ids) and len(set(c.ids)) == 3000
    text = dict(docs)
    n_copies = sum(lab != i for i, lab in zip(c.ids, c.labels))
    assert n_copies == pytest.approx(600, abs=5)
    assert statistics.mean(len(t) for t in text.values()) == pytest.approx(1500, rel=0.15)
    for i, (doc_id, lab) in enumerate(zip(c.ids, c.labels)):
        if lab == doc_id:
            continue
        assert c.labels[c.ids.index(lab)] == lab  # copies point to an original
        j = g.word_ngram_jaccard(text[doc_id], text[lab])
        if c.kinds[i] == 1:
            assert text[doc_id] == text[lab]
        else:
            assert 0.5 <= j < 1.0
    originals = [i for i, lab in zip(c.ids, c.labels) if i == lab][:40]
    for a, b in zip(originals, originals[1:]):
        assert g.word_ngram_jaccard(text[a], text[b]) < 0.05
    other = g.generate_scale_corpus(50, seed=5, doc_bytes=1500)
    assert next(iter(other))[1] != docs[0][1]


def test_scale_corpus_bad_arguments():
    with pytest.raises(ValueError, match="dup_rate"):
        g.generate_scale_corpus(10, dup_rate=1.0)
    with pytest.raises(ValueError, match="n must be"):
        g.generate_scale_corpus(-1)


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------
def test_cli_writes_jsonl(tmp_path, capsys):
    out = tmp_path / "c.jsonl"
    assert g.main(["--n-families", "3", "--seed", "2", "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows == g.generate_corpus(n_families=3, seed=2)
    assert "wrote" in capsys.readouterr().err
    assert g.main(["--variants", "spun99", "-o", str(tmp_path / "x.jsonl")]) == 2
    assert "unknown variants" in capsys.readouterr().err
    assert not (tmp_path / "x.jsonl").exists()
    out2 = tmp_path / "s.jsonl"
    assert g.main(["--scale", "20", "-o", str(out2)]) == 0
    assert len(out2.read_text().splitlines()) == 20


# ---------------------------------------------------------------------------
# tests/corpora.py
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "build", [corpora.copies_and_edits, corpora.spun_family, corpora.template_family_mixed]
)
def test_named_corpora(build):
    docs, partition = build()
    assert build() == (docs, partition)
    ids = [i for i, _ in docs]
    assert len(docs) <= 30 and len(set(ids)) == len(ids)
    assert sorted(ids) == sorted(i for block in partition for i in block)
    assert sum(len(b) for b in partition) == len(ids)
    assert all(isinstance(t, str) and len(t) > 500 for _, t in docs)


def test_named_corpora_shapes():
    assert sorted(map(len, corpora.copies_and_edits().partition)) == [1, 1, 1, 3, 3, 3]
    assert sorted(map(len, corpora.spun_family().partition)) == [1, 1, 1, 4]
    assert sorted(map(len, corpora.template_family_mixed().partition)) == [1] * 6 + [4, 5]


def test_seeds_mixed():
    c = corpora.seeds_mixed()
    if c is None:
        pytest.skip("seed pages not found")
    assert len(c.partition[0]) == 5
    assert len(c.docs) <= 30
    assert len(c.labels()) == len(c.docs)
