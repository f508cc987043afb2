"""The HTML report, its SVG plots and the HTML reprs, checked without a browser.

The browser test (tests/test_report_chromium.py) loads the same reports in
headless Chromium.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import re
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import spindetect as sd
from spindetect.boilerplate.report import REASONS
from spindetect.cli import main
from spindetect.report import plots, svg
from spindetect.report.html import marked_text, template_html, to_html

from corpora import SEEDS_DIR, copies_and_edits

#: Markup a hostile document carries; none of it may reach the report unescaped.
PAYLOADS = (
    "<script>document.title='pwned';window.pwned=1</script>",
    "<img src=x onerror=\"document.title='pwned';window.pwned=1\">",
    "</pre></div><svg onload=\"window.pwned=1\"></svg>",
)
HOSTILE_ID = "<img src=x onerror=window.pwned=1>"


def hostile_corpus() -> tuple[list[str], list[str]]:
    """copies_and_edits with payloads inside an exact copy and a light edit, a hostile id and a noted document.

    The payload documents stay in their clusters (a few words added to a long
    text), so their text reaches the family section, the pair views and the
    boilerplate section.
    """
    docs, _ = copies_and_edits()
    ids = [d for d, _ in docs]
    texts = [t for _, t in docs]
    payload = " ".join(PAYLOADS)
    for k in (1, 2):
        cut = len(texts[k]) // 2
        texts[k] = texts[k][:cut] + f"\n{payload}\n" + texts[k][cut:]
    ids[0] = HOSTILE_ID
    ids.append('"quoted" & <b>bold</b> id')
    texts.append("")  # an empty document: its note and id show up in the notes table
    return ids, texts


@pytest.fixture(scope="module")
def hostile():
    ids, texts = hostile_corpus()
    result = sd.Detector().fit_detect(sd.Corpus(texts, ids=ids))
    return result, texts


@pytest.fixture(scope="module")
def hostile_html(hostile) -> str:
    result, texts = hostile
    return to_html(result, texts=texts, max_boilerplate_docs=len(texts))


@pytest.fixture(scope="module")
def seeds():
    corpus = sd.Corpus.from_dir(SEEDS_DIR)
    return sd.Detector().fit_detect(corpus), list(corpus.texts)


def _script_bodies(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, flags=re.S)


def test_payloads_and_ids_are_escaped(hostile_html):
    page = hostile_html
    for p in PAYLOADS:
        assert p not in page
    assert HOSTILE_ID not in page
    assert "&lt;script&gt;document.title=" in page  # shown as text
    assert "&lt;img src=x onerror=window.pwned=1&gt;" in page
    assert "&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; id" in page
    assert page.count("<script") == 1
    assert "<img" not in page
    assert re.search(r"<[a-zA-Z][^>]*\son\w+\s*=", page) is None  # no tag carries an event handler


def test_one_inline_script_allowed_by_its_hash_and_nothing_remote(hostile_html):
    page = hostile_html
    (script,) = _script_bodies(page)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = html.unescape(re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1))
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp
    # the policy comes before any style or script
    assert page.index("Content-Security-Policy") < page.index("<style>") < page.index("<script>")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script
    for remote in ("<link", "<iframe", "src=\"http", "href=\"http", "@import", "url("):
        assert remote not in page
    # the only absolute URL is the SVG namespace
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}


def test_sections_of_the_report(hostile, hostile_html):
    result, _ = hostile
    page = hostile_html
    multi = [c for c in result.clusters if len(c) > 1]
    assert len(multi) == 3  # the three families of copies_and_edits survive the payloads
    for anchor in ("summary", "plots", "clusters", "families", "boilerplate", "notes"):
        assert f'id="{anchor}"' in page
    table = page[page.index('<table class="sortable">'):]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == 1 + len(multi)  # header + one row per cluster
    assert page.count('<details id="family-') == len(multi)
    assert page.count('class="spd-tpl"') == len(multi)
    assert page.count("class='pairx'") >= len(multi)
    assert page.count('<mark class="sp"') > 0  # shared passages marked
    for reason in REASONS:
        assert f'<mark class="{reason}">{reason}</mark>' in page  # legend
    assert page.count("<svg") == 3


def test_svg_plots_are_well_formed_xml(hostile_html):
    for frag in re.findall(r"<svg .*?</svg>", hostile_html, flags=re.S):
        root = ET.fromstring(frag)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title").text


def test_report_is_deterministic(hostile):
    result, texts = hostile
    assert to_html(result, texts=texts) == to_html(result, texts=texts)


def test_to_html_writes_a_file(tmp_path, seeds):
    result, texts = seeds
    out = tmp_path / "sub" / "report.html"
    assert result.to_html(out, texts=texts) is None
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "family-1" in page and not list(out.parent.glob(".*.tmp"))


def test_to_html_takes_the_texts_of_the_result_corpus(seeds):
    result, texts = seeds
    assert result.to_html() == result.to_html(texts=texts)


def test_a_saved_and_loaded_scan_gives_the_same_report(tmp_path, seeds):
    result, _ = seeds
    result.save(tmp_path / "scan")
    assert sd.ScanResult.load(tmp_path / "scan").to_html() == result.to_html()


def test_to_html_without_texts_says_what_is_missing(seeds):
    result, texts = seeds
    page = dataclasses.replace(result, corpus=None).to_html()
    assert "No document texts were given" in page
    assert 'class="spd-tpl"' not in page
    with pytest.raises(ValueError, match="2 texts given for a result of 5 documents"):
        result.to_html(texts=texts[:2])


def test_texts_other_than_the_scanned_ones_are_not_highlighted(seeds):
    result, texts = seeds
    page = result.to_html(texts=[t + " changed" for t in texts])
    assert page.count("not highlighted: the text given is not the one scanned") == len(texts)


def test_report_of_an_empty_corpus():
    result = sd.Detector().fit_detect(sd.Corpus([], ids=[]))
    page = to_html(result, texts=[])
    assert "No cluster has two or more members." in page
    assert page.count("<svg") == 3


def test_cli_report(tmp_path):
    out = tmp_path / "report.html"
    assert main(["report", str(SEEDS_DIR), "-o", str(out), "--no-progress", "--title", "Seeds <b>"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<title>Seeds &lt;b&gt;</title>" in page
    assert page.count('<details id="family-') == 1


def test_cli_report_from_a_saved_scan_matches_a_fresh_one(tmp_path):
    fresh, saved = tmp_path / "fresh.html", tmp_path / "saved.html"
    assert main(["scan", str(SEEDS_DIR), "-o", str(tmp_path / "out.jsonl"), "--save", str(tmp_path / "scan"),
                 "-q"]) == 0
    assert main(["report", "--from", str(tmp_path / "scan"), "-o", str(saved), "-q"]) == 0
    assert main(["report", str(SEEDS_DIR), "-o", str(fresh), "-q"]) == 0
    assert saved.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8")


def test_cli_report_needs_input_or_saved_scan(tmp_path, capsys):
    assert main(["report", "-o", str(tmp_path / "r.html")]) == 2
    assert "give either INPUT or --from SCAN_DIR" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


# --------------------------------------------------------------------------- fragments and reprs


def test_marked_text_escapes_cuts_overlaps_and_limits():
    text = "a <b> c & d e"
    out = marked_text(text, [(2, 5, "one"), (4, 9, 'two"'), (50, 60, "out")])
    assert out == ('a <mark class="sp" title="one">&lt;b&gt;</mark><mark class="sp" title="two&quot;"> c &amp;'
                   "</mark> d e")
    cut = marked_text(text, [(2, 9, "x")], limit=4)
    assert cut.startswith('a <mark class="sp" title="x">&lt;b</mark>') and "9 more characters" in cut


def test_pair_views_give_the_rule_clause(hostile, hostile_html):
    result, _ = hostile
    rows = np.flatnonzero(np.asarray(result.pairs.kinds).astype(str) != "unrelated")
    shown = [r for r in rows if html.escape(result.pairs.reasons[r]) in hostile_html]
    assert shown  # at least one explained pair carries its reason word for word


def test_boilerplate_documents_spread_over_the_range():
    from spindetect.report.html import _spread_by_boilerplate

    fractions = [0.5, 1.0, 0.0, 0.25, 0.75, 0.1]
    assert _spread_by_boilerplate(fractions, 10) == [1, 4, 0, 3, 5, 2]
    assert _spread_by_boilerplate(fractions, 3) == [1, 0, 2]  # most, middle (0.5), least


def test_cluster_and_template_html_reprs_escape(seeds):
    result, texts = seeds
    cluster = result.clusters[0]
    page = cluster._repr_html_()
    assert all(m in page for m in cluster.members) and "<style>" in page
    hostile = sd.Cluster(id="<x>", members=("<x>", "y&"), kind="templated")
    assert "&lt;x&gt;" in hostile._repr_html_() and "<x>" not in hostile._repr_html_()
    tpl = sd.template(["<h1> shared words here for all", "<h1> shared words here for all"])
    assert "h1&gt; shared" in tpl._repr_html_() and "h1>" not in tpl._repr_html_()
    big = sd.template(texts)
    assert template_html(big).count("spd-slot") == big.n_slots or len(big.blocks) > 60


def test_cluster_repr_caps_members():
    c = sd.Cluster(id="m0", members=tuple(f"m{k}" for k in range(50)), kind="exact")
    assert "+30 more" in c._repr_html_()


# --------------------------------------------------------------------------- plot data and SVG


def test_plot_counts_on_a_known_partition():
    docs, partition = copies_and_edits()
    result = sd.Detector().fit_detect(sd.Corpus([t for _, t in docs], ids=[d for d, _ in docs]))
    sizes = plots.cluster_size_counts(result)
    expected_multi = [len(p) for p in partition if len(p) > 1]
    assert sizes.alone == sum(1 for p in partition if len(p) == 1)
    assert sizes.labels == ("3",)
    assert sum(sum(c) for _, c in sizes.counts) == len(expected_multi)
    assert plots.boilerplate_counts(result).sum() == len(docs)
    hists = plots.score_histograms(result)
    kinds = np.asarray(result.pairs.kinds).astype(str)
    for name, (upper, per_kind) in hists.items():
        vals = np.asarray(result.pairs.scores[name], dtype=float)
        assert upper >= 1.0
        for kind, counts in per_kind.items():
            assert counts.sum() == int((~np.isnan(vals) & (kinds == kind)).sum())


def test_svg_plots_escape_their_text():
    f = svg.document(100, 50, [svg.text(0, 0, "<&>"), svg.rect(0, 0, 1, 1, fill="#000", tip="a<b")], title="t<")
    root = ET.fromstring(f)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "t<"
    assert "<&>" not in f


@given(st.floats(min_value=1e-6, max_value=1e9, allow_nan=False), st.integers(min_value=2, max_value=8))
def test_nice_ticks_cover_the_range(hi, n):
    ticks = svg.nice_ticks(hi, n)
    assert ticks[0] == 0 and ticks[-1] >= hi * (1 - 1e-9)
    assert all(b > a for a, b in zip(ticks, ticks[1:]))
    assert len(ticks) <= 2 * n + 2


def test_frame_maps_data_to_pixels():
    f = svg.Frame(left=10, top=20, width=100, height=50, x0=0, x1=2, y0=0, y1=10)
    assert (f.x(0), f.x(2), f.y(0), f.y(10), f.bottom) == (10, 110, 70, 20, 70)


# --------------------------------------------------------------------------- matplotlib


def test_plot_with_matplotlib(seeds):
    pytest.importorskip("matplotlib", reason="matplotlib is the optional `plot` extra")
    import matplotlib

    matplotlib.use("Agg")
    result, _ = seeds
    fig = result.plot()
    assert [ax.get_title() for ax in fig.axes[:3]] == ["Cluster sizes", "Scores by pair kind",
                                                       "Boilerplate per document"]
    one = result.plot("boilerplate")
    assert len(one.axes) == 1
    with pytest.raises(ValueError, match="what must name"):
        result.plot("pie")


def test_plot_without_matplotlib_names_the_extra(seeds, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"spindetect\[plot\]"):
        seeds[0].plot()
