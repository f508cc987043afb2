"""MinHash signatures: agreement with datasketch, statistics, determinism, persistence."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash
from sklearn.exceptions import NotFittedError

from spindetect.signals.minhash import EMPTY_VALUE, MinHasher, Signatures
from spindetect.text.normalize import NormConfig
from spindetect.text.tokens import Shingles, hash_shingles

_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "ve", "ar", "en", "is", "um", "tri"]


def make_texts(n: int, words: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    vocab = ["".join(rng.choice(_SYLLABLES, size=rng.integers(1, 4))) for _ in range(400)]
    return [" ".join(rng.choice(vocab, size=words)) for _ in range(n)]


def identity(x):
    return x


def test_rows_equal_datasketch_affine32():
    texts = make_texts(6, 80, seed=3) + ["short text", "", "one"]
    for num_perm, seed in [(128, 1), (64, 7)]:
        hasher = MinHasher(num_perm=num_perm, seed=seed).fit()
        sig = hasher.transform(texts)
        shingles = hash_shingles(texts)
        for i in range(len(texts)):
            ref = MinHash(num_perm=num_perm, seed=seed, scheme="affine32", hashfunc=identity)
            ref.update_batch(shingles.doc(i).tolist())
            assert np.array_equal(sig.values[i], ref.hashvalues)
        assert sig.empty.tolist() == [False] * 6 + [False, True, False]
        assert (sig.values[7] == EMPTY_VALUE).all()


def test_to_datasketch_round_trip():
    texts = make_texts(2, 60, seed=4)
    hasher = MinHasher().fit()
    sig = hasher.transform(texts)
    a, b = hasher.to_datasketch(sig, 0), hasher.to_datasketch(sig, 1)
    assert np.array_equal(a.hashvalues, sig.values[0])
    assert a.jaccard(b) == pytest.approx(float(sig.jaccard(np.array([[0, 1]]))[0]))


def _pair_with_jaccard(rng: np.random.Generator, j: float, union: int) -> tuple[np.ndarray, np.ndarray]:
    common = int(round(j * union))
    rest = union - common
    pool = rng.choice(np.iinfo(np.uint32).max, size=union, replace=False).astype(np.uint32)
    a_only = rest // 2
    a = np.concatenate([pool[:common], pool[common : common + a_only]])
    b = np.concatenate([pool[:common], pool[common + a_only :]])
    return a, b


@pytest.mark.parametrize("j", [0.1, 0.3, 0.5, 0.7, 0.85, 0.95])
def test_estimated_jaccard_within_four_sigma(j):
    rng = np.random.default_rng(int(j * 1000))
    num_perm = 128
    hasher = MinHasher(num_perm=num_perm, seed=1).fit()
    bound = 4 * np.sqrt(j * (1 - j) / num_perm)
    for _ in range(20):
        a, b = _pair_with_jaccard(rng, j, union=400)
        exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
        shingles = Shingles(hashes=np.concatenate([a, b]), indptr=np.array([0, len(a), len(a) + len(b)]))
        est = hasher.sign_shingles(shingles).jaccard(np.array([[0, 1]]))[0]
        assert abs(est - exact) <= bound


def test_identical_and_disjoint_documents():
    texts = make_texts(2, 50, seed=5)
    sig = MinHasher().fit_transform([texts[0], texts[0], texts[1], ""])
    est = sig.jaccard(np.array([[0, 1], [0, 2], [3, 3]]))
    assert est[0] == 1.0
    assert est[1] < 0.2
    assert est[2] == 0.0  # empty documents share nothing


def test_deterministic_for_a_seed_and_seed_matters():
    texts = make_texts(5, 40, seed=6)
    a = MinHasher(seed=3).fit_transform(texts)
    b = MinHasher(seed=3).fit_transform(texts)
    c = MinHasher(seed=4).fit_transform(texts)
    assert np.array_equal(a.values, b.values)
    assert not np.array_equal(a.values, c.values)


def test_batch_size_does_not_change_signatures():
    texts = make_texts(11, 30, seed=7) + [""]
    ref = MinHasher(batch_size=1000).fit_transform(texts)
    for bs in (1, 2, 5):
        sig = MinHasher(batch_size=bs).fit_transform(texts)
        assert np.array_equal(sig.values, ref.values)
        assert np.array_equal(sig.n_shingles, ref.n_shingles)


def test_save_load_round_trip(tmp_path):
    sig = MinHasher(num_perm=32, norm=NormConfig(fold_digits=True)).fit_transform(make_texts(4, 20, seed=8))
    path = tmp_path / "sig.npz"
    sig.save(str(path))
    loaded = Signatures.load(str(path))
    assert np.array_equal(loaded.values, sig.values)
    assert np.array_equal(loaded.n_shingles, sig.n_shingles)
    assert loaded.config == sig.config
    with np.load(path, allow_pickle=False) as z:  # no pickle inside
        assert set(z.files) == {"values", "n_shingles", "config"}


@pytest.mark.parametrize(
    "other",
    [
        {"num_perm": 64},
        {"seed": 2},
        {"ngram": 3},
        {"norm": NormConfig(fold_digits=True)},
    ],
)
def test_mixing_settings_raises(other):
    texts = make_texts(2, 20, seed=9)
    base = {"num_perm": 128, "seed": 1, "ngram": 5}
    a = MinHasher(**base).fit_transform(texts)
    b = MinHasher(**{**base, **other}).fit_transform(texts)
    with pytest.raises(ValueError, match="different settings"):
        a.check_compatible(b)
    with pytest.raises(ValueError):
        Signatures.concat([a, b])


def test_validation_and_not_fitted():
    with pytest.raises(NotFittedError):
        MinHasher().transform(["a b c"])
    with pytest.raises(ValueError):
        MinHasher(num_perm=0).fit()
    with pytest.raises(ValueError):
        MinHasher(ngram=0).fit()
    with pytest.raises(TypeError, match="single str"):
        MinHasher().fit().transform("a text")


def test_signatures_from_another_hash_version_do_not_mix():
    sig = MinHasher().fit_transform(make_texts(2, 20, seed=10))
    old_config = {k: v for k, v in sig.config.items() if k != "shingle_hash"}
    old = Signatures(sig.values, sig.n_shingles, old_config)
    with pytest.raises(ValueError, match="different settings"):
        sig.check_compatible(old)


def test_shingle_batches_sign_to_the_transform():
    texts = make_texts(7, 40, seed=11)
    hasher = MinHasher(num_perm=32, batch_size=3).fit()
    batches = hasher.shingle(texts)
    assert [b.n_docs for b in batches] == [3, 3, 1]
    signed = Signatures.concat([hasher.sign_shingles(b) for b in batches])
    assert np.array_equal(signed.values, hasher.transform(texts).values)
