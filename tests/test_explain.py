"""Explanations: from the scan's stored pairs, without refitting, escaped in HTML."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spindetect as sd
from spindetect.decide.kinds import classify
from spindetect.decide.reasons import rule_reasons
from spindetect.report.explain import TEMPLATE_MEMBERS, Explanation
from tests.test_detector import _article, _copies_corpus, _light_edit

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def copies() -> sd.Detector:
    ids, texts, _ = _copies_corpus()
    return sd.Detector(boilerplate=False).fit(texts, ids=ids)


def test_result_and_detector_give_the_same_explanation(copies):
    exp = copies.result_.explain("orig1", "copy1")
    assert isinstance(exp, Explanation)
    assert exp == copies.explain("orig1", "copy1")
    assert exp.kind == "exact" and exp.candidate and exp.same_cluster
    assert exp.reasons == ("exact: equal normalised texts",)
    assert exp.template is not None and exp.template_members == 3


def test_explain_refits_nothing(copies, monkeypatch):
    def refit(*args, **kwargs):
        raise AssertionError("explain refitted an index")

    for cls in (sd.Detector, sd.TfidfSimilarity, sd.StructureIndex, sd.MinHasher):
        monkeypatch.setattr(cls, "fit", refit)
    assert copies.explain("orig0", "edit0").kind in ("near_duplicate", "exact")
    assert copies.explain("orig0", "other2").same_cluster is False
    assert copies.result_.explain("edit2", "copy2").same_cluster


def test_a_pair_the_scan_never_proposed():
    ids, texts, _ = _copies_corpus()
    det = sd.Detector(boilerplate=False, structure=False).fit(texts, ids=ids)
    assert det.pairs_.find(ids.index("orig0"), ids.index("other1")) is None
    stored = det.result_.explain("orig0", "other1")
    assert stored.kind == "not scored" and not stored.candidate and stored.scores == ()
    scored = det.explain("orig0", "other1")
    assert scored.kind == "unrelated" and not scored.candidate
    assert dict(scored.scores)["jaccard"] < 0.2
    assert scored.reasons[0].startswith("unrelated: pair model probability")


def test_html_marks_shared_passages_and_escapes_everything():
    base = _article(3)
    evil_id = '<img src=x onerror="alert(1)">'
    texts = [base + " <script>alert('a')</script>", base + " and more words here"]
    result = sd.Detector(boilerplate=False).fit_detect(texts, ids=[evil_id, "b"])
    page = result.explain(evil_id, "b")._repr_html_()
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "&lt;img" in page
    assert page.count("<mark>") == 2
    assert "jaccard=" in page


def test_family_template_is_built_from_a_bounded_sample():
    base = _article(11, n_words=220)
    texts = [_light_edit(base, k) for k in range(TEMPLATE_MEMBERS + 15)]
    ids = [f"p{k:03d}" for k in range(len(texts))]
    result = sd.Detector(boilerplate=False).fit_detect(texts, ids=ids)
    assert len(result.clusters[0]) == len(texts)
    exp = result.explain("p000", "p054")
    assert exp.template is not None
    assert exp.template_members == TEMPLATE_MEMBERS
    assert exp.template.n_members == TEMPLATE_MEMBERS
    assert len(str(exp).splitlines()) < 100


def test_pairs_frame_has_a_reason_column(copies):
    pytest.importorskip("pandas")
    frame = copies.result_.pairs.to_pandas()
    assert list(frame.columns[:4]) == ["a", "b", "kind", "reason"]
    for kind, reason in zip(frame["kind"], frame["reason"]):
        assert reason.split(":")[0] == kind


def test_reasons_follow_custom_rules():
    ids, texts, _ = _copies_corpus()
    rules = sd.KindRules(near_jaccard=0.45)
    det = sd.Detector(boilerplate=False, rules=rules).fit(texts, ids=ids)
    exp = det.explain("orig0", "edit0")
    assert exp.kind == "near_duplicate"
    assert exp.reasons[0].startswith("near_duplicate: jaccard") and exp.reasons[0].endswith(">= 0.45")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(*[st.floats(0, 1)] * 9, st.booleans()), min_size=1, max_size=20))
def test_every_reason_names_the_kind_classify_gave(rows):
    names = ("jaccard", "containment", "cosine_word", "cosine_char", "skeleton", "skeleton_info", "masked", "shared_rare", "spotsig")
    scores = {n: np.array([r[k] for r in rows]) for k, n in enumerate(names)}
    scores["exact"] = np.array([r[-1] for r in rows])
    kinds = classify(scores)
    for kind, reason in zip(kinds, rule_reasons(scores)):
        assert reason.split(":")[0] == kind


def test_pairs_decided_by_a_model_give_its_probability_not_a_rule_clause():
    scores = {n: np.array([0.1, 0.9]) for n in ("jaccard", "containment", "cosine_word", "cosine_char", "skeleton", "masked", "shared_rare")}
    scores["exact"] = np.array([False, False])
    scores["probability"] = np.array([0.12, 0.87])
    pairs = sd.Pairs(("a", "b", "c"), np.array([[0, 1], [1, 2]]), np.array(["unrelated", "templated"], dtype=object), scores)
    assert pairs.reasons == ("unrelated: pair model probability 0.12", "templated: pair model probability 0.87")
    ruled = sd.Pairs(pairs.ids, pairs.index, pairs.kinds, scores, rules=sd.KindRules())
    assert not ruled.reasons[1].startswith("templated: pair model")
