"""Result objects: pickling, copies, pandas round trips and reprs."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import spindetect as sd
from spindetect.report.results import Cluster, Clusters

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def fitted() -> sd.Detector:
    return sd.Detector().fit(sd.Corpus.from_dir(DATA))


def _same_result(a: sd.ScanResult, b: sd.ScanResult) -> None:
    assert a.to_records() == b.to_records()
    assert a.pairs.to_records() == b.pairs.to_records()
    assert a.clusters.to_records() == b.clusters.to_records()


@pytest.mark.parametrize("clone", [copy.deepcopy, lambda o: pickle.loads(pickle.dumps(o))], ids=["deepcopy", "pickle"])
def test_results_pairs_and_a_fitted_detector_survive_pickle_and_deepcopy(fitted, clone):
    result = fitted.result_
    _same_result(clone(result), result)
    pairs = clone(result.pairs)
    assert pairs.to_records() == result.pairs.to_records()
    with pytest.raises(TypeError):  # still read-only after the round trip
        pairs.scores["jaccard"] = np.zeros(len(pairs))  # type: ignore[index]
    det = clone(fitted)
    _same_result(det.result_, result)
    assert clone(result.corpus) == result.corpus


def test_lazy_exports_stay_functions_after_fit_and_explain():
    # A fresh interpreter: the bug showed only after submodules were imported.
    code = (
        "import spindetect as sd\n"
        f"c = sd.Corpus.from_dir({str(DATA)!r})\n"
        "det = sd.Detector().fit(c)\n"
        "det.explain(c.ids[0], c.ids[1])\n"
        "assert callable(sd.template), type(sd.template)\n"
        "assert callable(sd.normalize), type(sd.normalize)\n"
        "sd.template([d.text for d in c])\n"
        "sd.normalize('A  b')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_submodule_shadows_a_lazy_export():
    import pkgutil

    top = {m.name for m in pkgutil.iter_modules(sd.__path__)}
    assert not top & set(sd._EXPORTS), top & set(sd._EXPORTS)


def test_dataframe_with_a_range_index_joins_back():
    pd = pytest.importorskip("pandas")
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))]
    df = pd.DataFrame({"text": texts, "source": [f"s{k}" for k in range(len(texts))], "year": range(2000, 2000 + len(texts))})
    result = sd.Detector().fit_detect(df)
    out = result.to_pandas()
    assert list(out.index) == list(df.index)
    joined = df.join(out)
    assert joined["cluster"].notna().all()
    assert len(joined) == len(df)
    with_meta = result.to_pandas(meta=True)
    assert list(with_meta["source"]) == list(df["source"])
    assert list(with_meta["year"]) == list(df["year"])


def test_dataframe_with_a_named_index_keeps_it():
    pd = pytest.importorskip("pandas")
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))]
    idx = pd.Index([10, 20, 30, 40, 50], name="page")
    df = pd.DataFrame({"text": texts}, index=idx)
    out = sd.Detector().fit_detect(df).to_pandas()
    assert out.index.equals(idx)
    assert list(out["id"]) == ["10", "20", "30", "40", "50"]


def test_texts_without_pandas_are_indexed_by_id(fitted):
    pytest.importorskip("pandas")
    out = fitted.result_.to_pandas()
    assert out.index.name == "id"
    assert list(out.index) == list(fitted.result_.ids)


def test_clusters_to_pandas_has_flat_score_columns(fitted):
    pytest.importorskip("pandas")
    frame = fitted.result_.clusters.to_pandas()
    assert {"id", "size", "kind", "members"} <= set(frame.columns)
    assert "mean_jaccard" in frame.columns and "edges_templated" in frame.columns
    for col in frame.columns:
        if col.startswith(("mean_", "edges_")):
            assert frame[col].dtype.kind in "fi", col
    assert frame["size"].sum() == len(fitted.result_)


def test_clusters_html_says_how_many_members_are_not_shown():
    members = tuple(f"m{k}" for k in range(458))
    html = Clusters((Cluster("m0", members, "templated"),))._repr_html_()
    assert "m7" in html and "m8," not in html
    assert "… +450 more" in html
