"""Plots of a scan: cluster sizes, score distributions by kind, boilerplate.

Each plot has three layers: a function that extracts the numbers from a
:class:`~spindetect.report.results.ScanResult` (``*_counts``), an inline SVG
drawn with no dependency for the HTML report (``*_svg``), and a matplotlib
version behind :func:`plot` (``pip install spindetect[plot]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._html import KIND_COLOURS, kind_colour
from . import svg
from .scan import mean_scored

if TYPE_CHECKING:  # pragma: no cover
    from .scan import ScanData

__all__ = [
    "KIND_COLOURS",
    "kind_colour",
    "SizeCounts",
    "boilerplate_counts",
    "boilerplate_svg",
    "cluster_size_counts",
    "cluster_sizes_svg",
    "plot",
    "score_histograms",
    "scores_by_kind_svg",
]

#: Upper bounds (inclusive) of the cluster-size buckets, and their labels.
_SIZE_BUCKETS = ((2, "2"), (3, "3"), (4, "4"), (5, "5"), (9, "6–9"), (19, "10–19"), (49, "20–49"),
                 (99, "50–99"), (None, "100+"))
#: Preferred order of the scores in plots; other float scores follow by name.
_SCORE_ORDER = ("jaccard", "containment", "cosine_word", "cosine_char", "skeleton", "masked", "shared_rare",
                "spotsig")


def _kind_order(kinds: Sequence[str]) -> list[str]:
    known = [k for k in KIND_COLOURS if k in kinds]
    return known + sorted(set(kinds) - set(known))


@dataclass(frozen=True)
class SizeCounts:
    """Number of clusters per size bucket, split by cluster kind.

    Attributes
    ----------
    labels : tuple of str
        Size buckets that have at least one cluster, smallest first.
    counts : tuple of (str, tuple of int)
        For each kind, the number of its clusters in each bucket.
    alone : int
        Documents in no cluster (not plotted: they would dwarf the bars).
    """

    labels: tuple[str, ...]
    counts: tuple[tuple[str, tuple[int, ...]], ...]
    alone: int


def _bucket(size: int) -> int:
    return next(k for k, (hi, _) in enumerate(_SIZE_BUCKETS) if hi is None or size <= hi)


def cluster_size_counts(result: ScanData) -> SizeCounts:
    """Count the clusters of two or more members per size bucket and kind."""
    table: dict[str, np.ndarray] = {}
    alone = 0
    for c in result.clusters:
        if len(c) < 2:
            alone += len(c)
            continue
        row = table.setdefault(str(c.kind), np.zeros(len(_SIZE_BUCKETS), dtype=np.int64))
        row[_bucket(len(c))] += 1
    used = np.flatnonzero(sum(table.values(), np.zeros(len(_SIZE_BUCKETS), dtype=np.int64)))
    labels = tuple(_SIZE_BUCKETS[k][1] for k in used)
    counts = tuple((k, tuple(int(v) for v in table[k][used])) for k in _kind_order(list(table)))
    return SizeCounts(labels=labels, counts=counts, alone=alone)


def _score_names(result: ScanData) -> list[str]:
    floats = [n for n, v in result.pairs.scores.items() if np.asarray(v).dtype != bool]
    return [n for n in _SCORE_ORDER if n in floats] + sorted(set(floats) - set(_SCORE_ORDER))


def score_histograms(result: ScanData, *, bins: int = 25) -> dict[str, tuple[float, dict[str, np.ndarray]]]:
    """Histogram of every score for the pairs of each kind.

    Returns
    -------
    dict
        Score name -> ``(upper, {kind: counts})``: counts over ``bins`` equal
        bins of ``[0, upper]`` (``upper`` is 1, or the largest value when a
        score exceeds 1); pairs where the score was not computed (NaN) are
        left out.
    """
    kinds = np.asarray(result.pairs.kinds).astype(str)
    out = {}
    for name in _score_names(result):
        vals = np.asarray(result.pairs.scores[name], dtype=float)
        ok = ~np.isnan(vals)
        upper = max(1.0, float(vals[ok].max())) if ok.any() else 1.0
        per_kind = {}
        for kind in _kind_order(list(np.unique(kinds))):
            v = vals[ok & (kinds == kind)]
            per_kind[kind] = np.histogram(np.clip(v, 0.0, upper), bins=bins, range=(0.0, upper))[0]
        out[name] = (upper, per_kind)
    return out


def boilerplate_counts(result: ScanData, *, bins: int = 20) -> np.ndarray:
    """Number of documents per boilerplate-fraction bin of ``[0, 1]``."""
    scored = [float(x) for x in result.boilerplate if x is not None]
    return np.histogram(np.clip(np.asarray(scored, dtype=float), 0, 1), bins=bins, range=(0, 1))[0]


# --------------------------------------------------------------------------- SVG


def _empty_svg(title: str, message: str, width: int = 380, height: int = 120) -> str:
    return svg.document(width, height, [svg.text(width / 2, height / 2, message, anchor="middle", fill=svg.AXIS)],
                        title=title)


def cluster_sizes_svg(result: ScanData, *, width: int = 380, height: int = 210) -> str:
    """Stacked bars: clusters per size bucket, coloured by the cluster's kind."""
    sc = cluster_size_counts(result)
    title = "Cluster sizes"
    if not sc.labels:
        return _empty_svg(title, f"no cluster with two or more members ({sc.alone} documents alone)", width)
    totals = np.sum([c for _, c in sc.counts], axis=0)
    ticks = svg.nice_ticks(float(totals.max()), 4)
    f = svg.Frame(left=44, top=34, width=width - 56, height=height - 82, x0=0, x1=len(sc.labels),
                  y1=ticks[-1])
    body = svg.legend(f.left + 40, 14, [(k, kind_colour(k)) for k, _ in sc.counts])
    body += svg.y_axis(f, ticks, label="clusters")
    slot = f.width / len(sc.labels)
    bar = min(slot * 0.7, 40.0)
    base = np.zeros(len(sc.labels))
    for kind, counts in sc.counts:
        for k, n in enumerate(counts):
            if n:
                top = f.y(base[k] + n)
                body.append(svg.rect(f.x(k) + (slot - bar) / 2, top, bar, f.y(base[k]) - top,
                                     fill=kind_colour(kind), tip=f"{n} {kind} clusters of size {sc.labels[k]}"))
        base += counts
    body += svg.x_axis(f, [(k + 0.5, lab) for k, lab in enumerate(sc.labels)],
                       label=f"members per cluster ({sc.alone} documents alone, not shown)")
    return svg.document(width, height, body, title=title)


def _ridge(f: svg.Frame, counts: np.ndarray, upper: float, colour: str) -> str:
    """One kind's histogram as a filled outline scaled to the row's height."""
    peak = counts.max()
    step = upper / len(counts)
    pts = [(f.x(0), f.y(0))]
    for k, c in enumerate(counts):
        h = c / peak if peak else 0.0
        pts += [(f.x(k * step), f.y(h)), (f.x((k + 1) * step), f.y(h))]
    pts.append((f.x(upper), f.y(0)))
    return svg.polygon(pts, fill=colour, stroke=colour)


def _score_panel(name: str, upper: float, per_kind: dict[str, np.ndarray], kinds: list[str],
                 left: float, top: float, width: float, row_h: float, labels: bool) -> list[str]:
    body = [svg.text(left + width / 2, top - 6, name, anchor="middle", weight="bold")]
    for r, kind in enumerate(kinds):
        f = svg.Frame(left=left, top=top + r * row_h + 3, width=width, height=row_h - 5, x1=upper)
        body.append(svg.line(f.left, f.bottom, f.left + f.width, f.bottom, stroke=svg.GRID))
        counts = per_kind.get(kind)
        if counts is not None and counts.sum():
            body.append(_ridge(f, counts, upper, kind_colour(kind)))
        else:
            body.append(svg.text(left + width / 2, f.bottom - 3, "not computed", anchor="middle", size=9,
                                 fill=svg.AXIS))
        if labels:
            body.append(svg.text(left - 6, f.bottom - 2, f"{kind} ({int(per_kind[kind].sum())})"
                                 if kind in per_kind else kind, anchor="end"))
    f = svg.Frame(left=left, top=top, width=width, height=len(kinds) * row_h, x1=upper)
    body += svg.x_axis(f, [(0.0, "0"), (upper / 2, f"{upper / 2:g}"), (upper, f"{upper:g}")])
    return body


def scores_by_kind_svg(result: ScanData, *, columns: int = 4, panel_width: int = 150, row_h: int = 22) -> str:
    """Small multiples: for every score, the shape of its distribution within each pair kind."""
    hists = score_histograms(result)
    title = "Score distributions by pair kind"
    if not hists or len(result.pairs) == 0:
        return _empty_svg(title, "no scored pairs")
    kinds = _kind_order([k for _, per in hists.values() for k in per])
    longest = max(len(f"{k} ({int(per[k].sum())})") for _, per in hists.values() for k in per)
    label_w, gap = 16 + 6.4 * longest, 18
    rows = -(-len(hists) // columns)
    panel_h = len(kinds) * row_h + 44
    width = int(label_w + columns * (panel_width + gap))
    height = rows * panel_h + 10
    body: list[str] = []
    for k, (name, (upper, per_kind)) in enumerate(hists.items()):
        r, c = divmod(k, columns)
        left = label_w + c * (panel_width + gap)
        body += _score_panel(name, upper, per_kind, kinds, left, r * panel_h + 24, panel_width, row_h, c == 0)
    return svg.document(width, height, body, title=title)


def boilerplate_svg(result: ScanData, *, width: int = 380, height: int = 210, bins: int = 20) -> str:
    """Histogram of the documents' boilerplate fractions (shares of words)."""
    counts = boilerplate_counts(result, bins=bins)
    title = "Boilerplate per document"
    if counts.sum() == 0:
        return _empty_svg(title, "no documents", width)
    ticks = svg.nice_ticks(float(counts.max()), 4)
    f = svg.Frame(left=44, top=34, width=width - 56, height=height - 82, y1=ticks[-1])
    body = [svg.text(f.left + f.width, 14, f"{len(result.boilerplate)} documents, mean "
                     f"{mean_scored(result.boilerplate):.2f}", anchor="end", fill=svg.AXIS)]
    body += svg.y_axis(f, ticks, label="documents")
    w = 1.0 / bins
    for k, n in enumerate(counts):
        if n:
            body.append(svg.rect(f.x(k * w) + 0.5, f.y(n), f.x(w) - f.x(0) - 1, f.bottom - f.y(n), fill="#c9892f",
                                 tip=f"{n} documents with {k * w:.2f}–{(k + 1) * w:.2f} boilerplate"))
    body += svg.x_axis(f, [(v, f"{v:g}") for v in (0, 0.25, 0.5, 0.75, 1.0)],
                       label="share of the document's words")
    return svg.document(width, height, body, title=title)


# --------------------------------------------------------------------------- matplotlib


def _require_matplotlib() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise ImportError(
            "ScanResult.plot needs matplotlib; install it with `pip install spindetect[plot]`"
        ) from err
    return plt


def _mpl_sizes(ax: Any, result: ScanData) -> None:
    sc = cluster_size_counts(result)
    base = np.zeros(len(sc.labels))
    for kind, counts in sc.counts:
        ax.bar(range(len(sc.labels)), counts, bottom=base, color=kind_colour(kind), label=kind)
        base += counts
    ax.set_xticks(range(len(sc.labels)), sc.labels, fontsize="small")
    ax.set_xlabel(f"members per cluster ({sc.alone} documents alone)")
    ax.set_ylabel("clusters")
    ax.set_title("Cluster sizes")
    if sc.counts:
        ax.legend(frameon=False)


def _mpl_scores(ax: Any, result: ScanData) -> None:
    kinds_arr = np.asarray(result.pairs.kinds).astype(str)
    names = _score_names(result)
    kinds = _kind_order(list(np.unique(kinds_arr)))
    width = 0.8 / max(len(kinds), 1)
    for j, kind in enumerate(kinds):
        data = []
        for name in names:
            v = np.asarray(result.pairs.scores[name], dtype=float)[kinds_arr == kind]
            data.append(v[~np.isnan(v)])
        pos = [k - 0.4 + width * (j + 0.5) for k in range(len(names))]
        keep = [k for k, d in enumerate(data) if len(d)]
        if keep:
            parts = ax.boxplot([data[k] for k in keep], positions=[pos[k] for k in keep], widths=width * 0.9,
                               patch_artist=True, showfliers=False, medianprops={"color": "black"})
            for box in parts["boxes"]:
                box.set_facecolor(kind_colour(kind))
        ax.plot([], [], color=kind_colour(kind), linewidth=6, label=kind)
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
    ax.set_title("Scores by pair kind", pad=24)
    if kinds:  # above the axes: inside, it would hide boxes
        ax.legend(frameon=False, fontsize="small", ncol=len(kinds), loc="lower center", bbox_to_anchor=(0.5, 1.0))


def _mpl_boilerplate(ax: Any, result: ScanData) -> None:
    counts = boilerplate_counts(result)
    edges = np.linspace(0, 1, len(counts) + 1)
    ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", color="#c9892f", edgecolor="white")
    ax.set_xlabel("boilerplate (share of words)")
    ax.set_ylabel("documents")
    ax.set_title("Boilerplate per document")


_MPL_PLOTS = {"sizes": _mpl_sizes, "scores": _mpl_scores, "boilerplate": _mpl_boilerplate}


def plot(result: ScanData, what: str | Sequence[str] = ("sizes", "scores", "boilerplate"), *, axes: Any = None) -> Any:
    """Draw the plots of a scan with matplotlib.

    Parameters
    ----------
    result : ScanResult
    what : str or sequence of {"sizes", "scores", "boilerplate"}
        Which plots, in order: cluster sizes by kind, scores by pair kind
        (box plots), boilerplate histogram.
    axes : sequence of matplotlib Axes, optional
        One per plot; a new figure with a row of axes when omitted.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ImportError
        If matplotlib is not installed (``pip install spindetect[plot]``).
    ValueError
        If ``what`` names an unknown plot or ``axes`` has the wrong length.
    """
    what = [what] if isinstance(what, str) else list(what)
    unknown = [w for w in what if w not in _MPL_PLOTS]
    if unknown or not what:
        raise ValueError(f"plot: what must name some of {sorted(_MPL_PLOTS)}, got {what!r}")
    plt = _require_matplotlib()
    if axes is None:
        widths = [2.2 if w == "scores" else 1.0 for w in what]
        fig, axes = plt.subplots(1, len(what), figsize=(4.2 * sum(widths), 3.8), width_ratios=widths,
                                 squeeze=False, layout="constrained")
        axes = list(axes[0])
    else:
        axes = list(np.ravel(axes))
        if len(axes) != len(what):
            raise ValueError(f"plot: {len(what)} plots need {len(what)} axes, got {len(axes)}")
        fig = axes[0].figure
    for ax, w in zip(axes, what):
        _MPL_PLOTS[w](ax, result)
    return fig
