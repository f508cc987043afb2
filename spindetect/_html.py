"""HTML pieces of the notebook reprs and the report: every cell and text escaped.

Every layer's ``_repr_html_`` builds on these (tables, kind badges, member
lists, score chips and their style), so no stage imports the report to show
itself.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "FRAGMENT_CSS",
    "KIND_COLOURS",
    "cluster_fragment",
    "fmt_value",
    "fragment_style",
    "html_table",
    "kind_badge",
    "kind_colour",
    "member_list",
    "score_chips",
    "scores_table",
]

_e = html.escape

#: Colour of each pair/cluster kind, strongest evidence first.
KIND_COLOURS: dict[str, str] = {
    "exact": "#2f4b7c",
    "near_duplicate": "#4e8fd1",
    "spun": "#e8804c",
    "templated": "#4f9a55",
    "unrelated": "#a8a8a8",
}
_OTHER = "#8c6bb1"

FRAGMENT_CSS = """
.spd-muted{color:#656d76}
.spd-kind{display:inline-block;padding:0 7px;border-radius:10px;color:#fff;font-size:12px;white-space:nowrap}
.spd-ids{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere;unicode-bidi:isolate}
.spd-tpl{border-left:3px solid #4f9a55;padding:4px 12px;background:#f7fbf7;margin:6px 0}
.spd-tpl p{margin:3px 0}
.spd-tpl .heading{font-weight:700}
.spd-tpl .list_item::before{content:"\\2022  "}
.spd-sup{color:#656d76;font-size:11px;margin-left:6px}
.spd-slot{background:#e7e0f5;color:#5a3e99;border-radius:4px;padding:0 4px;font-size:12px}
table.spd-scores td{padding:2px 8px;border-bottom:1px solid #eaeef2}
table.spd-scores td.n{text-align:right;font-variant-numeric:tabular-nums}
.spd-chip{display:inline-block;border:1px solid #d0d7de;border-radius:10px;padding:0 8px;margin:1px 2px;font-size:12px;white-space:nowrap}
"""


def html_table(records: Sequence[Mapping[str, Any]], *, more: int = 0) -> str:
    """Render records as an HTML table; every cell is escaped."""
    if not records:
        return "<p><i>empty</i></p>"
    cols = list(records[0].keys())
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>" for c in cols) + "</tr>" for r in records
    )
    tail = f"<p>... {more} more rows</p>" if more > 0 else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{tail}"


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    return str(v)


def kind_colour(kind: str) -> str:
    """The colour of a kind (a fixed fallback for kinds this module does not know)."""
    return KIND_COLOURS.get(kind, _OTHER)


def kind_badge(kind: str | None) -> str:
    """A kind as a coloured badge (``alone`` for ``None``)."""
    if kind is None:
        return '<span class="spd-muted">alone</span>'
    k = str(kind)
    return f'<span class="spd-kind" style="background:{kind_colour(k)}">{_e(k)}</span>'


def fmt_value(v: Any) -> str:
    """A score for display: ``–`` when missing, yes/no for flags, 3 decimals for floats."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "–"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.3f}"
    return str(v)


def member_list(members: Sequence[str], limit: int) -> str:
    """The first ``limit`` member ids, then how many more."""
    shown = ", ".join(_e(m) for m in members[:limit])
    more = f" … +{len(members) - limit} more" if len(members) > limit else ""
    return f'<span class="spd-ids">{shown}</span><span class="spd-muted">{_e(more)}</span>'


def scores_table(scores: Sequence[tuple[str, Any]]) -> str:
    """Named scores as a two-column table."""
    cells = "".join(f"<tr><td>{_e(n)}</td><td class='n'>{_e(fmt_value(v))}</td></tr>" for n, v in scores)
    return f'<table class="spd-scores"><tbody>{cells}</tbody></table>'


def score_chips(scores: Sequence[tuple[str, Any]]) -> str:
    """Named scores as inline chips."""
    return " ".join(f'<span class="spd-chip">{_e(n)} <b>{_e(fmt_value(v))}</b></span>' for n, v in scores)


def cluster_fragment(
    rep: str,
    members: Sequence[str],
    kind: str | None,
    edge_kinds: Sequence[tuple[str, int]],
    mean_scores: Sequence[tuple[str, float]],
    *,
    max_members: int = 20,
) -> str:
    """One cluster as HTML: kind, size, pairs by kind, mean scores and members (escaped)."""
    edges = ", ".join(f"{_e(str(k))}: {n}" for k, n in edge_kinds) or "–"
    means = f"<p>mean scores: {score_chips(mean_scores)}</p>" if mean_scores else ""
    return (
        f"<div><p><b>Cluster</b> <span class='spd-ids'>{_e(rep)}</span> {kind_badge(kind)} "
        f"{len(members)} members; pairs by kind: {edges}</p>"
        f"<p>members: {member_list(list(members), max_members)}</p>{means}</div>"
    )


def fragment_style() -> str:
    """The ``<style>`` the fragments need when shown outside the report (notebooks)."""
    return f"<style>{FRAGMENT_CSS}</style>"
