"""Why two documents were (or were not) put together: the :class:`Explanation` of a pair.

:func:`explain_pair` reads what a scan already holds -- the pair's stored
scores, kind and reasons, the clusters and the texts -- and adds what only
the two texts say: their shared passages, and the template of their family
when they share a cluster.  Nothing is refitted, so an explanation costs the
passage alignment of two texts and, for a family, one template over at most
:data:`TEMPLATE_MEMBERS` members.

:meth:`Explanation._repr_html_` shows the two texts side by side with the
shared passages marked; every text and id is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .._terminal import printable
from ..signals.passages import SharedPassage, shared_passages
from .template import Template, template

if TYPE_CHECKING:  # pragma: no cover
    from .scan import ScanData

__all__ = ["Explanation", "explain_pair", "TEMPLATE_MEMBERS"]

#: Largest number of members a family template is built from in an
#: explanation (evenly spaced, the two documents always included): the
#: template of a 3,000-member family would otherwise align every member.
TEMPLATE_MEMBERS = 40
#: Characters of each text shown in the HTML repr.
_HTML_CHARS = 20000


@dataclass(frozen=True)
class Explanation:
    """Why two documents got their kind: scores, reasons, shared passages, template.

    Attributes
    ----------
    a, b : str
        The two document ids, as asked.
    kind : str
        The pair's kind (``exact``, ``near_duplicate``, ..., ``unrelated``);
        for a pair no index proposed and nothing scored, ``"not scored"``.
    candidate : bool
        Whether the scan proposed and scored this pair.
    same_cluster : bool
    cluster : str or None
        The representative of their cluster when they share one.
    scores : tuple of (str, float or bool or None)
        Every score of the pair (``None``: not computed).
    reasons : tuple of str
        Why the decision named the pair as it did.
    passages : tuple of SharedPassage
        Passages the two texts share, with offsets in both.
    template : Template or None
        The template of their family when they share a multi-member cluster.
    template_members : int
        How many members the template was built from.
    text_a, text_b : str
        The two texts.
    """

    a: str
    b: str
    kind: str
    candidate: bool
    same_cluster: bool
    cluster: str | None
    scores: tuple[tuple[str, Any], ...]
    reasons: tuple[str, ...]
    passages: tuple[SharedPassage, ...] = field(repr=False)
    template: Template | None = field(repr=False)
    template_members: int = field(repr=False)
    text_a: str = field(repr=False)
    text_b: str = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (the output of ``spindetect explain --json``)."""
        return {
            "a": self.a,
            "b": self.b,
            "kind": self.kind,
            "candidate": self.candidate,
            "same_cluster": self.same_cluster,
            "cluster": self.cluster,
            "scores": dict(self.scores),
            "reasons": list(self.reasons),
            "shared_passages": [p.to_dict() for p in self.passages],
            "template": None if self.template is None else self.template.to_dict(),
            "template_members": self.template_members,
        }

    def render(self, *, max_passages: int = 20, max_blocks: int = 40) -> str:
        """Plain text for a terminal: ids and texts escaped, passages and template capped."""
        where = f"same cluster: {printable(str(self.cluster))}" if self.same_cluster else "not in one cluster"
        lines = [
            f"{printable(self.a)}  vs  {printable(self.b)}",
            f"kind: {self.kind}   ({where})",
            "scores: " + ", ".join(f"{k}={v}" for k, v in sorted(self.scores)),
        ]
        lines += [f"reason: {printable(r)}" for r in self.reasons]
        lines.append(f"shared passages: {len(self.passages)}")
        for p in self.passages[:max_passages]:
            text = p.text if len(p.text) <= 160 else p.text[:157] + "..."
            lines.append(f"  A[{p.a_start}:{p.a_end}] B[{p.b_start}:{p.b_end}]  {printable(repr(text))}")
        if len(self.passages) > max_passages:
            lines.append(f"  ... {len(self.passages) - max_passages} more")
        if self.template is not None:
            lines += ["", f"template of the cluster ({self.template_members} members; slots where they differ):"]
            lines += [printable(line) for line in self.template.render(max_blocks=max_blocks).split("\n")]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()

    def _repr_html_(self) -> str:
        esc = html.escape
        head = (
            f"<p><b>{esc(self.a)}</b> vs <b>{esc(self.b)}</b>: <b>{esc(self.kind)}</b>"
            + (f" (same cluster {esc(str(self.cluster))})" if self.same_cluster else " (not in one cluster)")
            + "</p>"
        )
        reasons = "".join(f"<li>{esc(r)}</li>" for r in self.reasons)
        scores = ", ".join(f"{esc(k)}={esc(_short(v))}" for k, v in sorted(self.scores))
        marked_a = _marked(self.text_a, [(p.a_start, p.a_end) for p in self.passages])
        marked_b = _marked(self.text_b, [(p.b_start, p.b_end) for p in self.passages])
        cell = "vertical-align:top;white-space:pre-wrap;width:50%;text-align:left"
        texts = (
            f"<table><tr><th>{esc(self.a)}</th><th>{esc(self.b)}</th></tr>"
            f'<tr><td style="{cell}">{marked_a}</td><td style="{cell}">{marked_b}</td></tr></table>'
        )
        tpl = ""
        if self.template is not None:
            tpl = (
                f"<p>template of the cluster ({self.template_members} members):</p>"
                f"<pre>{esc(self.template.render(max_blocks=40))}</pre>"
            )
        return (
            f"{head}<ul>{reasons}</ul><p><small>{scores}</small></p>"
            f"<p>{len(self.passages)} shared passages (marked)</p>{texts}{tpl}"
        )


def _short(v: Any) -> str:
    return "null" if v is None else str(v)


def _marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` escaped, with the (merged) spans inside ``<mark>``; cut at :data:`_HTML_CHARS`."""
    shown = text[:_HTML_CHARS]
    out, pos = [], 0
    for start, end in _merge(spans, len(shown)):
        out.append(html.escape(shown[pos:start]))
        out.append(f"<mark>{html.escape(shown[start:end])}</mark>")
        pos = end
    out.append(html.escape(shown[pos:]))
    if len(text) > len(shown):
        out.append(f"<i>… {len(text) - len(shown)} more characters</i>")
    return "".join(out)


def _merge(spans: Sequence[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(s, 0), min(e, limit)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def explain_pair(
    result: ScanData,
    a: str,
    b: str,
    *,
    scores: Mapping[str, Any] | None = None,
    kind: str | None = None,
    reasons: Sequence[str] = (),
) -> Explanation:
    """Explain two documents of a scan from what the scan stored.

    Parameters
    ----------
    result : ScanResult
        A scan that kept its corpus (every :class:`~spindetect.Detector` scan
        and :meth:`ScanResult.load` do).
    a, b : str
        Document ids.
    scores, kind, reasons : optional
        Scores of a pair the scan did not score (given by
        :meth:`spindetect.Detector.explain`, which can compute them); by
        default the stored ones, or none.

    Returns
    -------
    Explanation

    Raises
    ------
    KeyError
        If an id is not in the scan.
    ValueError
        If the scan kept no texts.
    """
    corpus = result.corpus
    if corpus is None:
        raise ValueError("this ScanResult kept no texts (corpus=None): explanations need them")
    ia, ib = corpus.index_of(a), corpus.index_of(b)
    row = result.pairs.find(ia, ib)
    if row is not None and scores is None:
        scores = {k: _jsonable(v[row]) for k, v in result.pairs.scores.items()}
        kind = str(result.pairs.kinds[row])
        reasons = (result.pairs.reasons[row],)
    elif scores is None:
        scores, kind = {}, "not scored"
        reasons = ("not a candidate: no index proposed this pair, so the scan never scored it",)
    same = result.labels[ia] == result.labels[ib]
    tpl, n_tpl = _family_template(result, ia, ib) if same and result.kinds[ia] is not None else (None, 0)
    return Explanation(
        a=a,
        b=b,
        kind=str(kind),
        candidate=row is not None,
        same_cluster=bool(same),
        cluster=result.labels[ia] if same else None,
        scores=tuple((k, _jsonable(v)) for k, v in sorted(scores.items())),
        reasons=tuple(reasons),
        passages=tuple(shared_passages(corpus.texts[ia], corpus.texts[ib])),
        template=tpl,
        template_members=n_tpl,
        text_a=corpus.texts[ia],
        text_b=corpus.texts[ib],
    )


def _family_template(result: ScanData, ia: int, ib: int) -> tuple[Template, int]:
    """The template of the cluster of ``ia`` over at most :data:`TEMPLATE_MEMBERS` members."""
    corpus = result.corpus
    assert corpus is not None
    members = [corpus.index_of(m) for m in result.clusters[result.labels[ia]].members]
    chosen = {ia, ib}
    rest = [m for m in members if m not in chosen]
    if len(rest) > TEMPLATE_MEMBERS - len(chosen):
        spaced = np.linspace(0, len(rest) - 1, TEMPLATE_MEMBERS - len(chosen)).astype(int)
        rest = [rest[k] for k in spaced.tolist()]
    chosen.update(rest)
    order = sorted(chosen)
    return template([corpus.texts[i] for i in order]), len(order)


def _jsonable(v: Any) -> Any:
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.floating, float)):
        return None if np.isnan(v) else round(float(v), 4)
    if isinstance(v, (np.integer, int)):
        return int(v)
    return v
