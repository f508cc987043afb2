"""The shareable HTML report of a scan: one self-contained file.

:func:`to_html` writes a summary, inline SVG plots, a sortable cluster table,
each family's template with explanations of its pairs (shared passages marked,
every score and the reason for the kind), boilerplate highlighting with a
legend, and the documents with notes.  The file loads nothing: styles and the
one small script are inline, and a Content-Security-Policy forbids every
remote load and every script but that one (allowed by its hash).

Safety: every document text, id and note is HTML-escaped, and the script only
reorders existing table rows and reads ``data-v`` attributes; it never builds
HTML from document text.

The fragment renderers (:func:`cluster_html`, :func:`template_html`) are also
the notebook reprs of :class:`~spindetect.decide.describe.Cluster` and
:class:`~spindetect.report.template.Template`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._html import FRAGMENT_CSS, cluster_fragment, fmt_value, fragment_style, kind_badge, member_list, scores_table
from . import plots
from .scan import mean_scored
from .template import template, template_html

if TYPE_CHECKING:  # pragma: no cover
    from ..decide.describe import Cluster
    from .scan import ScanData

__all__ = ["CSP", "cluster_html", "fragment_style", "marked_text", "template_html", "to_html"]

_e = html.escape

#: What a report may load: nothing remote, only its own inline script.
CSP = (
    "default-src 'none'; script-src {script}; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

#: What each boilerplate reason means, for the legend.
BOILERPLATE_REASONS = {
    "shared_in_corpus": "text that other documents of the corpus also contain",
    "family_template": "stock text of the document's template family",
    "repeated_in_doc": "text repeated inside the document itself",
    "page_chrome": "navigation, footers and other page furniture",
}

_PAGE_CSS = """
:root{--ink:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:var(--ink);background:#fff}
header{background:#24292f;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:22px;font-weight:600}
header p{margin:4px 0 0;color:#c9d1d9}
main{max-width:1280px;margin:0 auto;padding:8px 32px 48px}
h2{font-size:18px;margin:32px 0 8px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:20px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:150px;background:var(--bg)}
.card b{display:block;font-size:22px}
.plots{display:flex;flex-wrap:wrap;gap:20px;align-items:flex-start}
figure{width:min-content;margin:0;border:1px solid var(--line);border-radius:8px;padding:10px;background:#fff}
figcaption{font-size:12px;color:var(--muted);margin-top:4px}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:var(--bg);position:sticky;top:0;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th::after{content:" \\2195";color:#aaa}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2";color:var(--ink)}
table.sortable th[aria-sort=descending]::after{content:" \\25BC";color:var(--ink)}
tbody tr:nth-child(even){background:#fbfcfd}
details{border:1px solid var(--line);border-radius:8px;padding:6px 14px;margin:10px 0}
summary{cursor:pointer;font-weight:600}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.doc{white-space:pre-wrap;border:1px solid var(--line);border-radius:6px;padding:8px;max-height:360px;overflow:auto;font-size:12.5px;margin:0;background:#fff}
mark.sp{background:#ffe08a;border-radius:2px}
.legend span{margin-right:14px}
.scroll{overflow-x:auto}
td.members{min-width:240px}
.bpdoc{max-height:320px;overflow:auto;border:1px solid var(--line);border-radius:6px;padding:8px;font-size:12.5px}
"""

# The one script: sorts a table by a clicked header.  It only moves existing
# rows and reads data-v attributes / textContent: no HTML is built from text.
_SCRIPT = """
(function () {
  function key(row, col) {
    var cell = row.cells[col];
    return cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent;
  }
  function sortBy(table, th, col) {
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    var num = th.classList.contains('n');
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, col), y = key(b, col);
      var c = num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.tabIndex = 0;
      th.addEventListener('click', function () { sortBy(table, th, col); });
      th.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); sortBy(table, th, col); }
      });
    });
  });
  document.documentElement.setAttribute('data-ready', '1');
})();
"""


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# --------------------------------------------------------------------------- fragments


def marked_text(text: str, spans: Sequence[tuple[int, int, str]], *, limit: int | None = None,
                cls: str = "sp") -> str:
    """Escape ``text`` and wrap each ``(start, end, tip)`` span in ``<mark>``.

    Spans are sorted; a span overlapping an earlier one is cut to what is
    left.  With ``limit``, only the first ``limit`` characters are shown,
    followed by a note of how many were left out.
    """
    end_all = len(text) if limit is None else min(limit, len(text))
    parts, pos = [], 0
    for start, end, tip in sorted(spans):
        start, end = max(start, pos), min(end, end_all)
        if start >= end:
            continue
        parts.append(_e(text[pos:start]))
        parts.append(f'<mark class="{_e(cls)}" title="{_e(tip)}">{_e(text[start:end])}</mark>')
        pos = end
    parts.append(_e(text[pos:end_all]))
    if end_all < len(text):
        parts.append(f'<span class="spd-muted">\n… {len(text) - end_all} more characters not shown</span>')
    return "".join(parts)


def cluster_html(c: Cluster, *, max_members: int = 20) -> str:
    """One cluster as HTML: kind, size, pairs by kind, mean scores and members (escaped)."""
    return cluster_fragment(c.id, c.members, c.kind, c.edge_kinds, c.mean_scores, max_members=max_members)


# --------------------------------------------------------------------------- page sections


def _summary(result: ScanData) -> str:
    multi = [c for c in result.clusters if len(c) > 1]
    accepted = sum(n for k, n in result.pairs.kind_counts().items() if k != "unrelated")
    noted = sum(1 for n in result.notes if n)
    mean_bp = mean_scored(result.boilerplate) if len(result.boilerplate) else 0.0
    cards = [
        ("documents", f"{len(result.ids):,}"),
        ("clusters of 2 or more", f"{len(multi):,}"),
        ("documents in them", f"{sum(len(c) for c in multi):,}"),
        ("accepted pairs", f"{accepted:,} of {len(result.pairs):,} scored"),
        ("mean boilerplate (share of words)", f"{mean_bp:.2f}"),
        ("documents with notes", f"{noted:,}"),
    ]
    body = "".join(f'<div class="card"><b>{_e(v)}</b>{_e(k)}</div>' for k, v in cards)
    kinds = ", ".join(f"{kind_badge(k)} {n:,}" for k, n in result.pairs.kind_counts().items())
    return f'<section id="summary"><div class="cards">{body}</div><p>Scored pairs by kind: {kinds or "none"}</p></section>'


def _figure(svg_text: str, caption: str) -> str:
    return f"<figure>{svg_text}<figcaption>{_e(caption)}</figcaption></figure>"


def _plots(result: ScanData) -> str:
    figures = [
        _figure(plots.cluster_sizes_svg(result), "Clusters of two or more members by size, coloured by the "
                "weakest kind of evidence that holds each cluster together."),
        _figure(plots.boilerplate_svg(result), "Documents by the share of their words scored as "
                "boilerplate."),
        _figure(plots.scores_by_kind_svg(result), "Shape of each score's distribution within every pair kind "
                "(each row scaled to its own peak; the number of pairs in brackets)."),
    ]
    return f'<section id="plots"><h2>Plots</h2><div class="plots">{"".join(figures)}</div></section>'


_TABLE_SCORES = ("jaccard", "skeleton", "shared_rare")


def _cluster_row(rank: int, c: Cluster, bp: float, anchor: str | None, names: Sequence[str]) -> str:
    means = dict(c.mean_scores)
    rep = _e(c.id)
    rep = f'<a href="#{anchor}">{rep}</a>' if anchor else rep
    edges = ", ".join(f"{_e(str(k))} {n}" for k, n in c.edge_kinds)
    cells = [
        f'<td class="n">{rank}</td>',
        f'<td class="spd-ids">{rep}</td>',
        f'<td class="n">{len(c)}</td>',
        f'<td data-v="{_e(str(c.kind))}">{kind_badge(c.kind)}</td>',
        f'<td class="n">{bp:.2f}</td>',
        f"<td>{edges}</td>",
    ]
    for n in names:
        v = means.get(n)
        cells.append(f'<td class="n" data-v="{-1 if v is None else round(float(v), 6)}">{_e(fmt_value(v))}</td>')
    cells.append(f'<td class="members">{member_list([m for m in c.members if m != c.id], 6)}</td>')
    return "<tr>" + "".join(cells) + "</tr>"


#: The cluster table's boilerplate column: the members' mean share of words.
_BP_HEAD = "boilerplate (share of words)"


def _cluster_table(result: ScanData, anchors: dict[str, str], max_rows: int) -> str:
    multi = [c for c in result.clusters if len(c) > 1]
    if not multi:
        return '<section id="clusters"><h2>Clusters</h2><p>No cluster has two or more members.</p></section>'
    frac = dict(zip(result.ids, result.boilerplate))
    names = [n for n in _TABLE_SCORES if n in result.pairs.scores]
    head = ["#", "representative", "size", "kind", _BP_HEAD, "pairs", *names, "other members"]
    num = {"#", "size", _BP_HEAD, *names}
    ths = "".join(f'<th class="n">{_e(h)}</th>' if h in num else f"<th>{_e(h)}</th>" for h in head)
    rows = "".join(
        _cluster_row(k + 1, c, mean_scored([frac[m] for m in c.members]), anchors.get(c.id), names)
        for k, c in enumerate(multi[:max_rows])
    )
    more = f'<p class="spd-muted">… {len(multi) - max_rows} more clusters not shown</p>' if len(multi) > max_rows else ""
    return (
        '<section id="clusters"><h2>Clusters</h2><p class="spd-muted">Click a column header to sort; '
        "scores are means over the cluster's accepted pairs.</p>"
        f'<div class="scroll"><table class="sortable"><thead><tr>{ths}</tr></thead><tbody>{rows}</tbody></table></div>'
        f"{more}</section>"
    )


# --------------------------------------------------------------------------- families and pairs


def _pair_reason(result: ScanData, row: int) -> str:
    """Why the pair has its kind: the clause of the kind rule that fired (:attr:`Pairs.reasons`, cached)."""
    return result.pairs.reasons[row]


def _cluster_pair_rows(result: ScanData, members: Sequence[str], max_pairs: int) -> list[int]:
    """Rows of the cluster's accepted pairs to explain: the strongest, the weakest, then the median."""
    from ..decide.pairs import pair_strength

    pos = {d: i for i, d in enumerate(result.ids)}
    inside = np.isin(result.pairs.index, [pos[m] for m in members]).all(axis=1)
    rows = np.flatnonzero(inside & (np.asarray(result.pairs.kinds).astype(str) != "unrelated"))
    if len(rows) == 0:
        return []
    strength = pair_strength({k: np.asarray(v)[rows] for k, v in result.pairs.scores.items()}, rows)
    order = rows[np.argsort(-strength, kind="stable")]
    picks = [order[0], order[-1], order[len(order) // 2]]
    out: list[int] = []
    for r in picks:
        if int(r) not in out and len(out) < max_pairs:
            out.append(int(r))
    return out


def _pair_html(result: ScanData, texts: Sequence[str], row: int, max_chars: int) -> str:
    from ..signals.passages import shared_passages

    i, j = (int(v) for v in result.pairs.index[row])
    a, b = texts[i], texts[j]
    passages = shared_passages(a, b)
    marks_a = [(p.a_start, p.a_end, f"shared passage {k + 1}") for k, p in enumerate(passages)]
    marks_b = [(p.b_start, p.b_end, f"shared passage {k + 1}") for k, p in enumerate(passages)]
    scores = [(n, np.asarray(v)[row]) for n, v in sorted(result.pairs.scores.items())]
    kind = str(result.pairs.kinds[row])
    head = (f"<p>{kind_badge(kind)} <span class='spd-ids'>{_e(result.ids[i])}</span> and "
            f"<span class='spd-ids'>{_e(result.ids[j])}</span> — {_e(_pair_reason(result, row))}. "
            f"{len(passages)} shared passages of 8 words or more, marked.</p>")
    sides = (f'<div class="pair"><pre class="doc">{marked_text(a, marks_a, limit=max_chars)}</pre>'
             f'<pre class="doc">{marked_text(b, marks_b, limit=max_chars)}</pre></div>')
    return f"<div class='pairx'>{head}{sides}<details><summary>every score</summary>{scores_table(scores)}</details></div>"


def _sample_members(members: Sequence[str], limit: int) -> list[str]:
    """The representative and members evenly spread over the rest, at most ``limit`` in all."""
    if len(members) <= limit:
        return list(members)
    rest = members[1:]
    picks = np.linspace(0, len(rest) - 1, limit - 1).round().astype(int)
    return [members[0]] + [rest[k] for k in sorted(set(picks.tolist()))]


def _family_html(result: ScanData, texts: Sequence[str], c: Cluster, anchor: str, opts: dict[str, int]) -> str:
    pos = {d: i for i, d in enumerate(result.ids)}
    used = _sample_members(c.members, opts["template_members"])
    tpl = template([texts[pos[m]] for m in used])
    sampled = "" if len(used) == len(c) else f" (built from {len(used)} of the {len(c)} members)"
    pairs = "".join(_pair_html(result, texts, r, opts["max_chars"])
                    for r in _cluster_pair_rows(result, c.members, opts["max_pairs"]))
    return (
        f'<details id="{anchor}"{" open" if anchor == "family-1" else ""}><summary>{kind_badge(c.kind)} <span class="spd-ids">{_e(c.id)}</span> '
        f"— {len(c)} members</summary>{cluster_html(c)}"
        f"<h3>Template{_e(sampled)}</h3>{template_html(tpl)}<h3>Pairs</h3>{pairs or '<p>no accepted pair</p>'}</details>"
    )


def _families(result: ScanData, texts: Sequence[str] | None, anchors: dict[str, str], opts: dict[str, int]) -> str:
    multi = [c for c in result.clusters if len(c) > 1 and c.id in anchors]
    if not multi:
        return ""
    if texts is None:
        return ('<section id="families"><h2>Families</h2><p>No document texts were given, so templates and '
                "shared passages are not shown.</p></section>")
    body = "".join(_family_html(result, texts, c, anchors[c.id], opts) for c in multi)
    total = sum(1 for c in result.clusters if len(c) > 1)
    more = f'<p class="spd-muted">The {total - len(multi)} smaller clusters are in the table only.</p>' if total > len(multi) else ""
    return (f'<section id="families"><h2>Families</h2><p class="spd-muted">Each cluster\'s template (wording the '
            f"members share, {{slot}} where they differ) and its strongest, weakest and median pair, shared "
            f"passages marked.</p>{body}{more}</section>")


# --------------------------------------------------------------------------- boilerplate and notes


def _bp_legend(reasons: Sequence[str]) -> str:
    items = "".join(
        f'<span><mark class="{_e(r)}">{_e(r)}</mark> {_e(BOILERPLATE_REASONS.get(r, ""))}</span>' for r in reasons
    )
    return f'<p class="legend spd-bp">{items}</p>'


def _bp_totals(reports: Sequence[Any], reasons: Sequence[str]) -> str:
    total_chars = sum(r.n_chars for r in reports) or 1
    per = {r: 0 for r in reasons}
    for rep in reports:
        for s in rep.spans:
            per[s.reason] = per.get(s.reason, 0) + s.end - s.start
    rows = "".join(f'<tr><td>{_e(r)}</td><td class="n">{n}</td><td class="n">{n / total_chars:.1%}</td></tr>'
                   for r, n in per.items())
    return ('<table><thead><tr><th>reason</th><th class="n">characters</th><th class="n">of the corpus</th></tr>'
            f"</thead><tbody>{rows}</tbody></table>")


def _spread_by_boilerplate(fractions: Sequence[float], k: int) -> list[int]:
    """``k`` documents evenly spread over the ranking by boilerplate fraction (most first; ties: input order)."""
    order = np.argsort(-np.asarray(fractions, dtype=float), kind="stable")
    if len(order) <= k:
        return order.tolist()
    picks = np.unique(np.linspace(0, len(order) - 1, k).round().astype(int))
    return order[picks].tolist()


def _boilerplate(result: ScanData, texts: Sequence[str] | None, max_docs: int) -> str:
    from ..boilerplate.report import REASONS, highlight_html

    reports = result.boilerplate_reports
    if reports is None:
        return '<section id="boilerplate"><h2>Boilerplate</h2><p>Boilerplate scoring was off.</p></section>'
    reasons = list(REASONS) + sorted({s.reason for r in reports for s in r.spans} - set(REASONS))
    parts = ['<section id="boilerplate"><h2>Boilerplate</h2>', _bp_legend(reasons), _bp_totals(reports, reasons)]
    if texts is not None:
        order = _spread_by_boilerplate([r.fraction for r in reports], max_docs)
        parts.append(f"<h3>{len(order)} documents across the range of boilerplate, most first</h3>")
        for i in order:
            n = len(reports[i].spans)
            parts.append(f'<p><span class="spd-ids">{_e(result.ids[i])}</span>: {result.boilerplate[i]:.2f} '
                         f"boilerplate (share of words; {reports[i].char_fraction:.2f} of characters), {n} span{'s' if n != 1 else ''}</p>")
            if reports[i].n_chars == len(texts[i]):
                parts.append(f'<div class="bpdoc">{highlight_html(texts[i], reports[i])}</div>')
            else:  # texts given that are not the ones scanned: spans would point elsewhere
                parts.append('<p class="spd-muted">not highlighted: the text given is not the one scanned</p>')
    parts.append("</section>")
    return "".join(parts)


def _notes(result: ScanData, max_rows: int) -> str:
    noted = [(d, n) for d, n in zip(result.ids, result.notes) if n]
    if not noted:
        return ""
    rows = "".join(f'<tr><td class="spd-ids">{_e(d)}</td><td>{_e("; ".join(n))}</td></tr>' for d, n in noted[:max_rows])
    more = f'<p class="spd-muted">… {len(noted) - max_rows} more</p>' if len(noted) > max_rows else ""
    return (f'<section id="notes"><h2>Documents with notes</h2><table class="sortable"><thead><tr><th>id</th>'
            f"<th>note</th></tr></thead><tbody>{rows}</tbody></table>{more}</section>")


# --------------------------------------------------------------------------- the page


def _page(title: str, subtitle: str, sections: Sequence[str]) -> str:
    script_hash = _script_hash(_SCRIPT)
    csp = CSP.format(script=script_hash)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="referrer" content="no-referrer"><title>{_e(title)}</title>'
        f"<style>{FRAGMENT_CSS}{_PAGE_CSS}</style></head><body>"
        f"<header><h1>{_e(title)}</h1><p>{_e(subtitle)}</p></header><main>"
        + "".join(sections)
        + f"</main><script>{_SCRIPT}</script></body></html>\n"
    )


def _texts_of(result: ScanData, texts: Sequence[str] | None) -> list[str] | None:
    """The texts given, else those of the corpus the result keeps, else None."""
    if texts is None:
        corpus = getattr(result, "corpus", None)
        texts = None if corpus is None else corpus.texts
    if texts is None:
        return None
    texts = list(texts)
    if len(texts) != len(result.ids):
        raise ValueError(f"to_html: {len(texts)} texts given for a result of {len(result.ids)} documents")
    return texts


def render(result: ScanData, *, texts: Sequence[str] | None = None, title: str = "spindetect report",
           max_families: int = 30, max_pairs: int = 3, max_chars: int = 6000, max_boilerplate_docs: int = 10,
           template_members: int = 40, max_rows: int = 2000) -> str:
    """Return the report of ``result`` as one HTML string (see :func:`to_html`)."""
    from .. import __version__

    docs = _texts_of(result, texts)
    multi = [c for c in result.clusters if len(c) > 1]
    anchors = {c.id: f"family-{k + 1}" for k, c in enumerate(multi[:max_families])}
    opts = {"max_pairs": max_pairs, "max_chars": max_chars, "template_members": template_members}
    sections = [
        _summary(result),
        _plots(result),
        _cluster_table(result, anchors, max_rows),
        _families(result, docs, anchors, opts),
        _boilerplate(result, docs, max_boilerplate_docs),
        _notes(result, max_rows),
    ]
    subtitle = f"{len(result.ids)} documents · spindetect {__version__} · this file loads nothing from the network"
    return _page(title, subtitle, sections)


def _write_atomic(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file, so a failed run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def to_html(result: ScanData, path: str | os.PathLike[str] | None = None, *,
            texts: Sequence[str] | None = None, **options: Any) -> str | None:
    """Write the shareable HTML report of a scan.

    Parameters
    ----------
    result : ScanResult
    path : str or path-like, optional
        Where to write the report; when omitted the HTML is returned.
    texts : sequence of str, optional
        The documents' texts in input order; by default those of
        ``result.corpus``.  Without texts the report has no templates, shared
        passages or highlighted boilerplate.
    **options
        ``title``, ``max_families`` (clusters shown in detail, default 30),
        ``max_pairs`` (pairs explained per cluster, 3), ``max_chars``
        (characters of a text shown per pair, 6000), ``max_boilerplate_docs``
        (10), ``template_members`` (members a template is built from, 40) and
        ``max_rows`` (rows of the cluster and notes tables, 2000).

    Returns
    -------
    str or None
        The HTML when ``path`` is None.

    Raises
    ------
    ValueError
        If ``texts`` does not have one text per document.
    """
    content = render(result, texts=texts, **options)
    if path is None:
        return content
    _write_atomic(Path(path), content)
    return None
