"""The example notebook runs end to end (nbclient), on data/ and on 3,000 generated documents."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "tour.ipynb"


def test_tour_notebook_runs_end_to_end():
    nbformat = pytest.importorskip("nbformat", reason="pip install spindetect[notebook]")
    nbclient = pytest.importorskip("nbclient", reason="pip install spindetect[notebook]")
    pytest.importorskip("ipykernel", reason="pip install spindetect[notebook]")
    pytest.importorskip("pandas")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()
    artifacts = ROOT / "artifacts"  # .ci/run keeps this folder as the CI artefacts
    if artifacts.is_dir():
        nbformat.write(nb, artifacts / "tour.ipynb")
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "<mark>" in html  # an explanation marked its shared passages
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "before:" in text and "after:" in text
