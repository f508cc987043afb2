"""The evaluation harness: metric helpers and per-set rows of benchmarks/quality.py.

Small named corpora with known partitions; every expected figure is worked
out by hand in the test.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks import quality  # noqa: E402
from benchmarks.metrics import (  # noqa: E402
    adjusted_rand,
    false_pairs,
    joined,
    pair_counts,
    pairwise_prf,
)
from benchmarks.realsets import ALLOWED_DRAGNET_PAIRS, Dataset  # noqa: E402


def _dataset(name, ids, gold, variants, groups=None, **labels):
    return Dataset(name, tuple(ids), tuple(f"text of {i}" for i in ids), tuple(gold),
                   tuple(groups or gold), tuple(variants),
                   labels={k: tuple(v) for k, v in labels.items()})


# ---------------------------------------------------------------------------
# metric helpers
# ---------------------------------------------------------------------------
def test_adjusted_rand_by_hand():
    gold = ["a", "a", "b", "b"]
    assert adjusted_rand(gold, [7, 7, 3, 3]) == pytest.approx(1.0)
    # cells {a:1}=2, {b:1}=1, {b:2}=1: index 1, expected 2*3/6 = 1, max 2.5 -> ARI 0
    assert adjusted_rand(gold, [1, 1, 1, 2]) == pytest.approx(0.0)
    # {a1,a2},{b1},{b2}: index 1, expected 2*1/6, max 1.5 -> (1 - 1/3) / (1.5 - 1/3) = 4/7
    assert adjusted_rand(gold, [0, 0, 1, 2]) == pytest.approx(4 / 7)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=25))
def test_adjusted_rand_ignores_label_names(pairs):
    gold = [g for g, _ in pairs]
    pred = [p for _, p in pairs]
    renamed = [f"cluster-{p * 7 + 1}" for p in pred]
    assert adjusted_rand(gold, pred) == pytest.approx(adjusted_rand(gold, renamed))
    assert adjusted_rand(gold, gold) == pytest.approx(1.0)


def test_joined_counts_pairs_in_one_cluster():
    pred = ["x", "x", "y", "z", "y"]
    assert joined(pred, [(0, 1), (1, 2), (2, 4)]) == (2, 3)
    assert joined(pred, []) == (0, 0)
    with pytest.raises(IndexError, match=r"pair \(0, 9\) outside 5 documents"):
        joined(pred, [(0, 9)])


def test_false_pairs_by_category():
    gold = ["a", "a", "b", "c", "d"]
    pred = [1, 1, 1, 2, 2]  # (a,a) right; (a,b) x2 and (c,d) wrong
    kind = ["m", "m", "n", "n", "m"]
    got = false_pairs(gold, pred, lambda i, j: kind[i] + kind[j])
    assert got == {"mn": 2, "nm": 1}
    tp, _, pp = pair_counts(gold, pred)
    assert sum(got.values()) == pp - tp
    assert false_pairs(gold, gold, lambda i, j: "x") == {}


# ---------------------------------------------------------------------------
# rows of each set
# ---------------------------------------------------------------------------
def test_core_rows():
    rows = dict(quality.core_rows(["a", "a", "b", "c"], [1, 1, 1, 2], "x: "))
    assert rows["x: P"] == pytest.approx(1 / 3) and rows["x: R"] == 1.0
    assert rows["x: F1"] == pytest.approx(0.5)
    assert rows["x: clusters > 1 (docs)"] == "1 (3)"


def test_clough_rows_shares_and_non_answers():
    ids = ["orig", "cut1", "cut2", "light", "heavy", "non1", "non2", "non3"]
    variants = ["orig", "cut", "cut", "light", "heavy", "non", "non", "non"]
    gold = ["orig"] * 5 + ["non1", "non2", "non3"]
    data = _dataset("clough-dev", ids, gold, variants, task=["a"] * 8)
    pred = [0, 0, 0, 0, 1, 0, 2, 2]  # heavy missed; non1 joined to the source; non2+non3
    rows = dict(quality.clough_rows(data, pred))
    assert rows["cut found with source"] == "1.000 (2/2)"
    assert rows["light found with source"] == "1.000 (1/1)"
    assert rows["heavy found with source"] == "0.000 (0/1)"
    assert rows["non joined to source (must be 0)"] == 1
    assert rows["non in any cluster"] == 3


def test_clough_rows_use_each_task_source():
    ids = ["src-a", "cut-a", "src-b", "non-b"]
    data = _dataset("clough-dev", ids, ["src-a", "src-a", "src-b", "non-b"],
                    ["orig", "cut", "orig", "non"], task=["a", "a", "b", "b"])
    rows = dict(quality.clough_rows(data, [0, 1, 1, 2]))  # cut joined to the other task's source
    assert rows["cut found with source"] == "0.000 (0/1)"
    assert rows["non joined to source (must be 0)"] == 0


def test_dragnet_rows_allowed_pairs_and_spun_copies():
    pages = [x for pair in ALLOWED_DRAGNET_PAIRS for x in pair] + ["dragnet-1", "dragnet-2"]
    ids = pages + ["dragnet-1~spun", "dragnet-2~spun"]
    allowed_gold = {b: a for a, b in ALLOWED_DRAGNET_PAIRS}
    gold = [allowed_gold.get(i, i) for i in pages] + ["dragnet-1", "dragnet-2"]
    variants = ["page"] * len(pages) + ["spun", "spun"]
    source = [None] * len(pages) + ["dragnet-1", "dragnet-2"]
    data = _dataset("dragnet-train", ids, gold, variants, source=source)
    # R491+R492 joined (allowed), R513 / R520 apart, T146+T77+dragnet-2 joined
    # (1 allowed, 2 wrong page pairs), dragnet-1 with its copy, dragnet-2's copy
    # joined to R513 (1 wrong spun pair).
    pred = ["p", "p", "q", "r", "s", "s", "t", "s", "t", "q"]
    rows = dict(quality.dragnet_rows(data, pred))
    assert rows["page pairs joined, not allowed (must be 0)"] == 2
    assert rows["pages in such pairs"] == 3  # T146, T77 and dragnet-2
    assert rows["allowed pairs joined"] == "0.667 (2/3)"
    assert rows["spun copies found"] == "0.500 (1/2)"
    assert rows["spun copies: wrong pairs"] == 1


def test_templated_rows_split_wrong_pairs_and_stretch():
    ids = ["k1", "k2", "e1", "e2", "o1", "h1", "h2", "n1", "n2"]
    gold = ["kt", "kt", "ke", "ke", "ot", "hp", "hp", "n1", "n2"]
    gens = ["kub", "kub", "kub", "kub", "other", "hpgen", "hpgen", "web:x", "web:y"]
    variants = ["family"] * 5 + ["stretch"] * 2 + ["negative"] * 2
    data = _dataset("templated-dev", ids, gold, variants, groups=gens, generator=gens)
    # k1,k2,e1 together: 2 same-generator wrong pairs; o1+n1: family-standalone;
    # h1 alone, h2 with n2: stretch pair missed, both merged elsewhere.
    pred = [0, 0, 0, 1, 2, 3, 4, 2, 4]
    rows = dict(quality.templated_rows(data, pred))
    assert rows["wrong pairs: same generator"] == 2
    assert rows["wrong pairs: other generator"] == 0
    assert rows["wrong pairs: family-standalone"] == 2  # (o1, n1) and (h2, n2)
    assert rows["wrong pairs: standalone-standalone"] == 0
    assert rows["hp-humanized: pairs found"] == "0.000 (0/1)"
    assert rows["hp-humanized: pages merged elsewhere"] == 0.5
    # without the stretch pages: gold pairs (k1,k2), (e1,e2); predicted (k1,k2), (k1,e1),
    # (k2,e1), (o1,n1): P = 1/4, R = 1/2
    assert rows["w/o hp-humanized: P"] == pytest.approx(0.25)
    assert rows["w/o hp-humanized: R"] == pytest.approx(0.5)


def test_seeds_rows_need_exactly_the_seed_pages():
    data = _dataset("seeds", ["s1", "s2", "g1"], ["s1", "s1", "g1"], ["seed", "seed", "unrelated"])
    assert dict(quality.seeds_rows(data, [0, 0, 1]))["seed pages = one cluster"] == "yes"
    assert dict(quality.seeds_rows(data, [0, 0, 0]))["seed pages = one cluster"] == "no"
    assert dict(quality.seeds_rows(data, [0, 1, 2]))["seed pages = one cluster"] == "no"


# ---------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------
def test_run_method_reports_failures():
    data = _dataset("x", ["a", "b"], ["a", "b"], ["v", "v"])
    assert quality.run_method(None, data)[2].startswith("n/a")

    def boom(d):
        raise RuntimeError("no model")

    labels, _, msg = quality.run_method(boom, data)
    assert labels is None and msg == "failed: RuntimeError: no model"
    assert "1 labels for 2 docs" in quality.run_method(lambda d: [0], data)[2]


def test_oof_hook_missing_is_none():
    assert quality.oof_method("benchmarks.no_such_module:oof_labels") is None
    assert quality.oof_method("benchmarks.quality:no_such_function") is None
    assert quality.oof_method("benchmarks.quality:core_rows") is quality.core_rows


def test_baselines_on_copies_and_edits(capsys):
    from corpora import copies_and_edits

    corpus = copies_and_edits()
    labels = corpus.labels()
    data = _dataset("tiny", corpus.ids, [str(x) for x in labels], ["doc"] * len(labels))
    data = Dataset("tiny", data.ids, tuple(corpus.texts), data.gold, data.groups, data.variants)
    # exact copies always collide in LSH and have cosine 1
    for fn in (quality.minhash_labels, quality.word_tfidf_labels):
        p, r, _ = pairwise_prf(data.gold, fn(data.texts))
        assert p == 1.0 and r >= 1 / 3
    out = quality.evaluate(data, quality.get_methods(["minhash", "word-tfidf", "char-tfidf"]))
    table = capsys.readouterr().out
    assert "minhash" in table and "char-tfidf" in table and "ARI" in table
    assert out["methods"]["word-tfidf"]["P"] == 1.0


def test_main_rejects_unknown_names(capsys):
    assert quality.main(["--datasets", "nope"]) == 2
    assert quality.main(["--methods", "nope"]) == 2
    assert "nope" in capsys.readouterr().err


def test_main_seeds_with_baselines(capsys):
    assert quality.main(["--datasets", "seeds", "--methods", "minhash,word-tfidf"]) == 0
    out = capsys.readouterr().out
    assert "== seeds:" in out and "seed pages = one cluster" in out and "wall" in out


def test_oof_hook_plugs_into_the_run(monkeypatch, capsys):
    import types

    seen = []

    def oof_labels(data):
        seen.append(data.name)
        return list(data.gold)

    fake = types.ModuleType("fake_fit_pairs")
    fake.oof_labels = oof_labels
    monkeypatch.setitem(sys.modules, "fake_fit_pairs", fake)
    monkeypatch.setattr(quality, "OOF_HOOK", "fake_fit_pairs:oof_labels")
    assert "oof" in quality.default_methods()
    assert quality.main(["--datasets", "seeds", "--methods", "oof,minhash"]) == 0
    out = capsys.readouterr().out
    assert seen == ["seeds"] and "oof" in out
    assert re.search(r"seed pages = one cluster\s+yes\s+no", out)  # oof = gold, minhash


def test_without_the_hook_oof_is_not_a_default(monkeypatch):
    monkeypatch.setattr(quality, "OOF_HOOK", "benchmarks.no_such_module:oof_labels")
    assert "oof" not in quality.default_methods()
    assert quality.default_methods()[0] == "spindetect"


def test_rows_without_stretch_pages_or_sources():
    data = _dataset("templated-dev", ["a", "b"], ["f", "f"], ["family", "family"],
                    generator=["g", "g"])
    rows = dict(quality.templated_rows(data, [0, 0]))
    assert rows["w/o hp-humanized: F1"] == 1.0 and "hp-humanized: pairs found" not in rows
    data = _dataset("clough-dev", ["x", "y"], ["x", "y"], ["cut", "non"], task=["a", "a"])
    rows = dict(quality.clough_rows(data, [0, 0]))
    assert rows["cut found with source"] == "-" and rows["non joined to source (must be 0)"] == 0


def test_cosine_pairs_equal_the_plain_product():
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from scipy.sparse import random as sparse_random
    from sklearn.preprocessing import normalize

    rng = np.random.default_rng(0)
    rare = sparse_random(60, 40, density=0.15, random_state=rng, format="csr")
    common = csr_matrix(np.full((60, 1), 0.5))  # a feature every row has: the dense part
    x = normalize(hstack([common, rare]).tocsr())
    want = {(i, j) for i, j in zip(*np.nonzero((x @ x.T).toarray() >= 0.3))}
    got = {tuple(p) for p in quality._cosine_pairs(x, 0.3, block=7).tolist()}
    assert got == want


def test_real_sets_skip_cleanly_without_shared(monkeypatch, tmp_path, capsys):
    from benchmarks import realsets

    monkeypatch.setattr(realsets, "DATA_DIR", tmp_path / "data")
    names = "templated-dev,clough-dev,dragnet-train,licenses-dev"
    assert quality.main(["--datasets", names, "--methods", "minhash"]) == 0
    out = capsys.readouterr().out
    assert out.count("skipped (not found") == 4
