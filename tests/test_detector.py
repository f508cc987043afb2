"""End-to-end behaviour of the Detector on small named corpora with known partitions."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spindetect as sd

DATA = Path(__file__).resolve().parents[1] / "data"

_WORDS = (
    "river mountain engine garden market winter coffee paper window signal harbor orchard "
    "battery lantern ladder canvas pillow tunnel meadow violin copper marble planet rocket "
    "saddle timber velvet walnut yogurt zipper anchor basket candle donkey feather glacier "
    "hammer island jacket kettle lemon magnet needle oyster pepper quartz ribbon spider "
    "thunder umbrella valley wagon willow falcon bishop cabin dragon empire forest granite"
).split()
_GLUE = "the a of and to in on with for by at from as is was".split()


def _article(seed: int, n_words: int = 160) -> str:
    rng = random.Random(seed)
    out = []
    for k in range(n_words):
        out.append(rng.choice(_GLUE) if k % 3 == 1 else rng.choice(_WORDS))
        if k % 14 == 13:
            out[-1] += "."
    return " ".join(out).capitalize()


def _light_edit(text: str, seed: int) -> str:
    rng = random.Random(seed)
    words = text.split()
    for _ in range(4):
        i = rng.randrange(len(words))
        words[i] = rng.choice(_WORDS)
    del words[rng.randrange(len(words))]
    return " ".join(words)


def _copies_corpus() -> tuple[list[str], list[str], list[set[str]]]:
    """Three originals with an exact copy and a light edit each, plus three unrelated texts."""
    ids, texts, expected = [], [], []
    for k in range(3):
        base = _article(100 + k)
        group = {f"orig{k}", f"copy{k}", f"edit{k}"}
        ids += [f"orig{k}", f"copy{k}", f"edit{k}"]
        texts += [base, base, _light_edit(base, 7 + k)]
        expected.append(group)
    for k in range(3):
        ids.append(f"other{k}")
        texts.append(_article(500 + k))
        expected.append({f"other{k}"})
    return ids, texts, expected


def _partition(result: sd.ScanResult) -> list[set[str]]:
    groups: dict[str, set[str]] = {}
    for doc_id, lab in zip(result.ids, result.labels):
        groups.setdefault(lab, set()).add(doc_id)
    return sorted(groups.values(), key=lambda g: sorted(g))


def test_copies_and_light_edits_cluster_with_their_original():
    ids, texts, expected = _copies_corpus()
    result = sd.Detector(boilerplate=False).fit_detect(texts, ids=ids)
    assert _partition(result) == sorted(expected, key=lambda g: sorted(g))
    kinds = dict(zip(result.ids, result.kinds))
    assert kinds["copy0"] == "exact"
    assert kinds["edit0"] in ("near_duplicate", "exact")
    assert kinds["other0"] is None


def test_records_follow_the_output_contract():
    ids, texts, _ = _copies_corpus()
    result = sd.Detector().fit_detect(texts, ids=ids)
    records = result.to_records()
    assert [r["id"] for r in records] == ids
    for r in records:
        assert {"id", "cluster", "kind", "boilerplate"} <= set(r)
        assert 0.0 <= r["boilerplate"] <= 1.0
        assert r["cluster"] in ids
    alone = next(r for r in records if r["id"] == "other1")
    assert alone["cluster"] == "other1" and alone["kind"] is None
    # the representative of a cluster is its own cluster
    reps = {r["cluster"] for r in records}
    assert all(next(x for x in records if x["id"] == rep)["cluster"] == rep for rep in reps)


def test_results_are_identical_for_a_seed():
    ids, texts, _ = _copies_corpus()
    a = sd.Detector(seed=3, boilerplate=False).fit_detect(texts, ids=ids)
    b = sd.Detector(seed=3, boilerplate=False).fit_detect(texts, ids=ids)
    assert a.to_records() == b.to_records()
    assert a.pairs.to_records() == b.pairs.to_records()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_cluster_assignment_does_not_depend_on_input_order(rnd):
    ids, texts, _ = _copies_corpus()
    base = dict(zip(ids, sd.Detector(boilerplate=False).fit_detect(texts, ids=ids).labels))
    order = list(range(len(ids)))
    rnd.shuffle(order)
    res = sd.Detector(boilerplate=False).fit_detect([texts[i] for i in order], ids=[ids[i] for i in order])
    assert dict(zip(res.ids, res.labels)) == base


def test_bad_documents_stay_in_the_output_with_a_note():
    ids, texts, _ = _copies_corpus()
    extra_ids = ["empty", "blank", "tiny", "cjk"]
    extra = ["", "   \n\t ", "two words", "日本語のテキストは単語の間に空白がありません。" * 3]
    result = sd.Detector().fit_detect(texts + extra, ids=ids + extra_ids)
    rec = {r["id"]: r for r in result.to_records()}
    for doc_id in extra_ids:
        assert rec[doc_id]["cluster"] == doc_id
        assert rec[doc_id]["note"], doc_id
    assert "shingle" in rec["tiny"]["note"]
    assert "CJK" in rec["cjk"]["note"]


def test_a_bare_string_is_rejected():
    with pytest.raises(TypeError, match="str"):
        sd.Detector(boilerplate=False).fit_detect("just one text")


def test_single_document_and_empty_corpus():
    one = sd.Detector(boilerplate=False).fit_detect(["only one document here with a few words"], ids=["x"])
    assert one.labels == ("x",) and one.kinds == (None,)
    none = sd.Detector(boilerplate=False).fit_detect([])
    assert none.to_records() == []


def test_result_views():
    pd = pytest.importorskip("pandas")
    ids, texts, _ = _copies_corpus()
    result = sd.Detector(boilerplate=False).fit_detect(texts, ids=ids)
    frame = result.to_pandas()
    assert isinstance(frame, pd.DataFrame) and list(frame.index) == ids
    pairs = result.pairs.to_pandas()
    assert {"a", "b", "kind", "jaccard", "cosine_word"} <= set(pairs.columns)
    assert "<script>" not in sd.Detector(boilerplate=False).fit_detect(["<script>alert(1)</script> x y z w v u"], ids=["<script>"])._repr_html_()
    assert len(result.clusters.multi()) == 3
    assert "orig0" in result.summary()


def test_explain_reports_scores_and_shared_passages():
    ids, texts, _ = _copies_corpus()
    det = sd.Detector(boilerplate=False).fit(texts, ids=ids)
    exp = det.explain("orig0", "edit0")
    assert exp.same_cluster and exp.kind in ("near_duplicate", "exact")
    assert dict(exp.scores)["jaccard"] > 0.5
    assert exp.reasons and exp.reasons[0].startswith(exp.kind)
    assert exp.passages
    p = exp.passages[0]
    assert texts[0][p.a_start : p.a_end].split()[0].lower() == texts[2][p.b_start : p.b_end].split()[0].lower()
    far = det.explain("orig0", "other0")
    assert far.same_cluster is False
    assert far == det.explain("orig0", "other0")


def test_seed_pages_are_one_templated_family():
    corpus = sd.Corpus.from_dir(DATA)
    assert len(corpus) == 5
    result = sd.Detector(boilerplate=False).fit_detect(corpus)
    assert len(set(result.labels)) == 1
    assert result.clusters[0].kind == "templated"


def test_copies_do_not_make_each_other_boilerplate():
    ids, texts, _ = _copies_corpus()
    result = sd.Detector().fit_detect(texts, ids=ids)
    frac = dict(zip(result.ids, result.boilerplate))
    # An exact copy shares all its text, but only with itself: it stays content.
    # (Light edits count as copies only from an estimated Jaccard of 0.8, the
    # boilerplate scorer's own copy rule, so that scan agrees with it.)
    for k in range(3):
        assert frac[f"copy{k}"] == frac[f"orig{k}"]
    assert frac["copy2"] < 0.2 and frac["edit2"] < 0.2 and frac["orig2"] < 0.2


# ---------------------------------------------------------------- built from parts


def test_parts_are_cloned_and_their_settings_reach_the_fit():
    ids, texts, expected = _copies_corpus()
    structure = sd.StructureIndex(max_candidates=10)
    tfidf = sd.TfidfSimilarity(max_neighbours=3)
    scorer = sd.BoilerplateScorer(page_chrome=False)
    det = sd.Detector(minhasher=sd.MinHasher(num_perm=64), tfidf=tfidf, structure=structure, boilerplate=scorer)
    result = det.fit_detect(texts, ids=ids)
    assert _partition(result) == sorted(expected, key=lambda g: sorted(g))
    assert det.signatures_.values.shape == (len(texts), 64)
    assert det.structure_ is not structure and det.structure_.max_candidates == 10
    assert det.tfidf_ is not tfidf and det.tfidf_.max_neighbours == 3
    assert det.boilerplate_ is not scorer and det.boilerplate_.page_chrome is False
    assert not hasattr(structure, "candidate_pairs_")  # the given part stays unfitted


def test_true_and_none_mean_the_default_parts():
    ids, texts, _ = _copies_corpus()
    default = sd.Detector().fit_detect(texts, ids=ids).to_records()
    explicit = sd.Detector(structure=True, boilerplate=True).fit_detect(texts, ids=ids).to_records()
    assert explicit == default


def test_minhash_settings_given_twice_are_refused():
    ids, texts, _ = _copies_corpus()
    with pytest.raises(ValueError, match="num_perm"):
        sd.Detector(num_perm=64, minhasher=sd.MinHasher()).fit(texts, ids=ids)


def test_detector_follows_estimator_conventions():
    from sklearn.base import clone

    det = sd.Detector(threshold=0.4, structure=sd.StructureIndex(max_candidates=7))
    params = det.get_params()
    assert params["threshold"] == 0.4 and params["structure__max_candidates"] == 7
    twin = clone(det)
    assert twin.get_params()["structure__max_candidates"] == 7 and twin.structure is not det.structure
    assert det.set_params(structure__max_candidates=3).structure.max_candidates == 3
    assert "threshold=0.4" in repr(det)


def test_fit_predict_gives_the_cluster_labels():
    ids, texts, expected = _copies_corpus()
    det = sd.Detector(boilerplate=False)
    labels = det.fit_predict(texts, ids=ids)
    assert [ids[i] for i in labels] == list(det.result_.labels)
    groups: dict[int, set[str]] = {}
    for doc_id, lab in zip(ids, labels.tolist()):
        groups.setdefault(lab, set()).add(doc_id)
    assert sorted(groups.values(), key=lambda g: sorted(g)) == sorted(expected, key=lambda g: sorted(g))
