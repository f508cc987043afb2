"""The streaming MinHash/LSH deduplicator: clusters, order, streaming, persistence."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from spindetect.dedup import Deduplicator, default_bands, sign_texts
from spindetect.signals.minhash import MinHasher
from spindetect.text.normalize import NormConfig

_SYLLABLES = ["ga", "lu", "mo", "ni", "pe", "ro", "sa", "ti", "vu", "we", "xi", "yo", "zen", "bri"]


def _words(seed: int, n: int) -> list[str]:
    rng = np.random.default_rng(seed)
    vocab = ["".join(rng.choice(_SYLLABLES, size=rng.integers(2, 4))) for _ in range(1500)]
    return rng.choice(vocab, size=n).tolist()


def _edit(words: list[str], positions: list[int], seed: int) -> str:
    out = list(words)
    repl = _words(seed + 1000, len(positions))
    for p, w in zip(positions, repl):
        out[p] = w
    return " ".join(out)


BASE_A = _words(1, 300)
BASE_B = _words(2, 300)
NAMED = {
    "a": " ".join(BASE_A),
    "b": " ".join(BASE_B),
    "a_copy": " ".join(BASE_A),
    "a_edit": _edit(BASE_A, [150], seed=3),  # one word changed
    "unrelated": " ".join(_words(4, 300)),
    "b_case": " ".join(BASE_B).upper().replace(" ", "  \n"),  # same words, other case/spaces
    "a_heavy": _edit(BASE_A, list(range(0, 300, 6)), seed=5),  # every sixth word changed
    "empty": "",
}
NAMES = list(NAMED)
TEXTS = [NAMED[k] for k in NAMES]
EXPECTED = {
    frozenset({"a", "a_copy", "a_edit"}),
    frozenset({"b", "b_case"}),
    frozenset({"unrelated"}),
    frozenset({"a_heavy"}),
    frozenset({"empty"}),
}


def partition(labels, names) -> set[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for name, lab in zip(names, np.asarray(labels).tolist()):
        groups.setdefault(lab, set()).add(name)
    return {frozenset(g) for g in groups.values()}


def test_named_corpus_clusters():
    dd = Deduplicator().fit(TEXTS, ids=NAMES)
    assert partition(dd.labels_, NAMES) == EXPECTED
    # representative = first document in input order; labels name it
    assert dd.labels_.tolist() == [0, 1, 0, 0, 4, 1, 6, 7]
    assert dd.keep_.tolist() == [True, True, False, False, True, False, True, True]
    assert dd.representatives_.tolist() == [0, 1, 4, 6, 7]
    assert dd.ids_ == NAMES
    # every verified pair is scored at least at the threshold
    assert len(dd.pairs_) == len(dd.scores_) == 4
    assert (dd.scores_ >= dd.threshold).all() and (dd.scores_ <= 1.0).all()
    assert (dd.pairs_[:, 0] < dd.pairs_[:, 1]).all()


def test_default_bands_favour_recall():
    assert default_bands(0.8, 128) == (16, 8)
    dd = Deduplicator(bands=8, rows=4).fit(TEXTS)
    assert (dd.bands_, dd.rows_) == (8, 4)
    assert partition(dd.labels_, NAMES) == EXPECTED


@settings(max_examples=15, deadline=None)
@given(st.permutations(list(range(len(TEXTS)))))
def test_partition_does_not_depend_on_order(perm):
    names = [NAMES[i] for i in perm]
    dd = Deduplicator().fit([TEXTS[i] for i in perm])
    assert partition(dd.labels_, names) == EXPECTED
    # the kept document of each cluster is the first one in this order
    for lab in set(dd.labels_.tolist()):
        members = np.flatnonzero(dd.labels_ == lab)
        assert lab == members.min() and dd.keep_[members].tolist() == [True] + [False] * (len(members) - 1)


def test_streaming_batches_and_threads_give_identical_results():
    ref = Deduplicator().fit(TEXTS)
    variants = [
        Deduplicator(batch_size=1).fit(iter(TEXTS)),
        Deduplicator(batch_size=3, n_jobs=2).fit(t for t in TEXTS),
        Deduplicator(batch_size=2, n_jobs=-1).fit(TEXTS),
    ]
    for dd in variants:
        assert np.array_equal(dd.signatures_.values, ref.signatures_.values)
        assert np.array_equal(dd.labels_, ref.labels_)
        assert np.array_equal(dd.pairs_, ref.pairs_)
        assert np.array_equal(dd.scores_, ref.scores_)


def test_deterministic_for_a_seed():
    a = Deduplicator(seed=7).fit(TEXTS)
    b = Deduplicator(seed=7).fit(TEXTS)
    assert np.array_equal(a.signatures_.values, b.signatures_.values)
    assert np.array_equal(a.pairs_, b.pairs_) and np.array_equal(a.scores_, b.scores_)


def test_sign_texts_equals_minhasher():
    hasher = MinHasher().fit()
    assert np.array_equal(
        sign_texts(iter(TEXTS), hasher, batch_size=3, n_jobs=2).values,
        hasher.transform(TEXTS).values,
    )


def test_save_load_round_trip(tmp_path):
    dd = Deduplicator(threshold=0.7, norm=NormConfig(fold_digits=True)).fit(TEXTS, ids=NAMES)
    path = tmp_path / "index.npz"
    dd.save(path)
    with np.load(path, allow_pickle=False) as z:  # loads without pickle
        assert "meta" in z.files
    loaded = Deduplicator.load(path)
    assert loaded.get_config() == dd.get_config()
    assert loaded.ids_ == NAMES
    assert np.array_equal(loaded.signatures_.values, dd.signatures_.values)
    assert np.array_equal(loaded.labels_, dd.labels_)
    assert np.array_equal(loaded.pairs_, dd.pairs_)
    assert np.array_equal(loaded.scores_, dd.scores_)
    assert np.array_equal(loaded.keep_, dd.keep_)


def test_partial_fit_after_load_equals_fit_on_everything(tmp_path):
    first, second = TEXTS[:4], TEXTS[4:]
    Deduplicator().fit(first).save(tmp_path / "idx.npz")
    grown = Deduplicator.load(tmp_path / "idx.npz").partial_fit(second)
    full = Deduplicator().fit(TEXTS)
    assert np.array_equal(grown.labels_, full.labels_)
    assert np.array_equal(grown.pairs_, full.pairs_)
    assert np.array_equal(grown.keep_, full.keep_)
    assert grown.n_docs_ == len(TEXTS)


def test_partial_fit_on_unfitted_is_fit():
    a = Deduplicator().partial_fit(TEXTS)
    b = Deduplicator().fit(TEXTS)
    assert np.array_equal(a.labels_, b.labels_)


def test_query_does_not_change_the_index():
    dd = Deduplicator().fit([NAMED["a"], NAMED["b"], NAMED["unrelated"]])
    before = dd.signatures_.values.copy()
    got = dd.query([NAMED["a_edit"], NAMED["b_case"], NAMED["a_heavy"], ""])
    assert got.tolist() == [0, 1, -1, -1]
    assert np.array_equal(dd.signatures_.values, before)
    assert dd.n_docs_ == 3


def test_mixing_settings_raises(tmp_path):
    dd = Deduplicator(seed=1).fit(TEXTS)
    other = MinHasher(seed=2).fit_transform(TEXTS[:2])
    with pytest.raises(ValueError, match="different settings"):
        dd.partial_fit_signatures(other)
    with pytest.raises(ValueError, match="different settings"):
        Deduplicator(seed=1).fit_signatures(other)
    dd.save(tmp_path / "i.npz")
    with pytest.raises(ValueError, match="different settings"):
        Deduplicator.load(tmp_path / "i.npz").partial_fit_signatures(
            MinHasher(ngram=3).fit_transform(TEXTS[:1])
        )


def test_fit_signatures_equals_fit():
    sig = MinHasher().fit_transform(TEXTS)
    a = Deduplicator().fit_signatures(sig)
    b = Deduplicator().fit(TEXTS)
    assert np.array_equal(a.labels_, b.labels_)


def test_empty_inputs_and_empty_documents():
    dd = Deduplicator().fit([])
    assert dd.n_docs_ == 0 and dd.labels_.tolist() == [] and dd.keep_.tolist() == []
    dd = Deduplicator().fit(["", "", "   "])
    assert dd.keep_.tolist() == [True, True, True]  # no words: never a duplicate
    assert len(dd.pairs_) == 0


def test_bad_input_and_not_fitted(tmp_path):
    with pytest.raises(TypeError, match="single str"):
        Deduplicator().fit("just one text")
    with pytest.raises(TypeError, match="document 1"):
        Deduplicator().fit(["ok", None])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="document 5"):
        Deduplicator(n_jobs=2, batch_size=2).fit(iter(["a b"] * 5 + [7] + ["c d"] * 5))
    with pytest.raises(ValueError, match="ids"):
        Deduplicator().fit(TEXTS, ids=NAMES[:2])
    with pytest.raises(NotFittedError):
        Deduplicator().query(["a"])
    with pytest.raises(NotFittedError):
        Deduplicator().save(tmp_path / "x.npz")
    for bad in ({"threshold": 1.5}, {"batch_size": 0}, {"n_jobs": 0}, {"bands": 4}, {"bands": 40, "rows": 4}):
        with pytest.raises(ValueError):
            Deduplicator(**bad).fit(TEXTS)
    np.savez(tmp_path / "other.npz", values=np.zeros((1, 4), np.uint32))
    with pytest.raises(ValueError, match="not a spindetect dedup index"):
        Deduplicator.load(tmp_path / "other.npz")


def test_exact_verification():
    from spindetect.dedup import exact_jaccard

    dd = Deduplicator(verify="exact").fit(TEXTS)
    assert partition(dd.labels_, NAMES) == EXPECTED
    est = Deduplicator().fit(TEXTS)
    assert np.array_equal(dd.pairs_, est.pairs_)
    hasher = MinHasher().fit()
    assert np.allclose(dd.scores_, exact_jaccard(TEXTS, dd.pairs_, hasher))
    copy = NAMES.index("a_copy")
    assert dd.scores_[dd.pairs_.tolist().index([0, copy])] == 1.0
    # the estimate is close to the exact value
    assert np.all(np.abs(est.scores_ - dd.scores_) < 0.1)
    with pytest.raises(ValueError, match="sequence"):
        Deduplicator(verify="exact").fit(iter(TEXTS))
    with pytest.raises(ValueError):
        Deduplicator(verify="maybe").fit(TEXTS)


def test_fit_predict_gives_labels_and_clone_keeps_the_settings():
    from sklearn.base import clone

    dd = Deduplicator(batch_size=64)
    labels = dd.fit_predict(TEXTS, ids=NAMES)
    assert partition(labels, NAMES) == EXPECTED
    assert clone(dd).get_params() == dd.get_params()
    assert "batch_size=64" in repr(dd)
