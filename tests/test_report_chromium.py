"""The HTML report in a real headless Chromium (Debian's ``chromium``, installed by .ci/run).

Checks that the report renders with no console error, no exception and no
request but its own file; that its one script runs (CSP hash right) and sorts
the cluster table on a real mouse click; and that documents carrying
``<script>`` or ``onerror=`` run nothing.  Also writes the screenshot of the
report on ``data/`` to ``artifacts/report.png`` (the CI artefact).

Skipped when /usr/bin/chromium is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import spindetect as sd
from spindetect.report.html import to_html

from chromium import CHROMIUM, Chromium
from corpora import SEEDS_DIR
from test_report_html import hostile_corpus

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent (apt-get install chromium; .ci/run does)"
)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def browser():
    with Chromium() as b:
        yield b


def _own_file_only(page, path: Path) -> None:
    assert page.requests == [path.resolve().as_uri()]


def test_hostile_documents_run_nothing(tmp_path, browser):
    ids, texts = hostile_corpus()
    result = sd.Detector().fit_detect(sd.Corpus(texts, ids=ids))
    path = tmp_path / "hostile.html"
    to_html(result, path, texts=texts, max_boilerplate_docs=len(texts))
    page = browser.open(path)
    assert page.errors == []
    _own_file_only(page, path)
    assert page.evaluate("document.documentElement.getAttribute('data-ready')") == "1"  # our script ran
    assert page.evaluate("document.title") == "spindetect report"
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('script').length") == 1
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('svg').length") == 3  # only the plots
    # the payloads are on the page, as text
    body = page.evaluate("document.body.innerText")
    assert "<script>document.title='pwned'" in body and "onerror=" in body


def test_sorting_by_a_real_click(tmp_path, browser):
    ids, texts = hostile_corpus()
    texts = texts + [texts[3]] * 2  # one cluster larger than the others
    ids = ids + ["extra-1", "extra-2"]
    result = sd.Detector().fit_detect(sd.Corpus(texts, ids=ids))
    path = tmp_path / "sort.html"
    to_html(result, path, texts=texts)
    page = browser.open(path)
    sizes = "Array.from(document.querySelectorAll('#clusters tbody tr')).map(r => +r.cells[2].textContent)"
    before = page.evaluate(sizes)
    assert before == sorted(before, reverse=True) and len(set(before)) > 1
    page.click("#clusters th:nth-child(3)")
    assert page.evaluate("document.querySelector('#clusters th:nth-child(3)').getAttribute('aria-sort')") == "ascending"
    assert page.evaluate(sizes) == sorted(before)
    page.click("#clusters th:nth-child(3)")
    assert page.evaluate(sizes) == sorted(before, reverse=True)
    assert page.errors == []


def test_screenshot_of_the_report_on_data(tmp_path, browser):
    corpus = sd.Corpus.from_dir(SEEDS_DIR)
    result = sd.Detector().fit_detect(corpus)
    path = tmp_path / "report.html"
    result.to_html(path, texts=list(corpus.texts))
    page = browser.open(path, width=1280, height=1600)
    assert page.errors == []
    _own_file_only(page, path)
    assert page.evaluate("document.querySelector('#family-1').open") is True
    png = page.screenshot()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000  # a real page, not a blank one
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report.png").write_bytes(png)
