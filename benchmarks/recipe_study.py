"""Compare pair-model training recipes out of fold (issue 10: training sets, capacity, weights).

Each recipe is a set of training sets, :data:`benchmarks.pairdata.PARAMS`
overrides, per-set weights and a threshold.  For every recipe the real sets
are scored out of fold exactly as ``fit_pairs.py`` does
(:func:`benchmarks.pair_oof.oof_probability`: a pair is scored by a model
that never trained on the folds of its two documents; templated-dev folds
are whole generators), decided and clustered with the shipped linkage, and
the issue's figures printed on one line:

templated-dev without ``hp-humanized`` P/R/F1 and wrong pairs within one
generator; clough-dev F1 and cut/light/heavy found, ``non`` joined;
dragnet-train page pairs wrongly joined and spun copies found;
licenses-dev F1 (``--licences``); generated F1 and the seed pages as one
cluster (``--generated``).

Usage::

    python benchmarks/recipe_study.py --cache DIR [--licences] [--generated] [--families] RECIPE ...

Recipes are named in :data:`RECIPES`; ``--list`` prints them.

Measured (2026-12-01, OMP_NUM_THREADS=1, fresh cache; templated-dev w/o
hp-humanized P/R/F1, dragnet-train page pairs wrongly joined; clough-dev
F1 .905, cut/light 1.0, heavy .714, non 0, spun 99/100 in every row)

=============================  ======================  =======
e48e78b's features             templated P / R / F1    dragnet
=============================  ======================  =======
main (no style farms)          .943 / .345 / .505      36
style farms, no siblings, x1   .947 / .375 / .538      45
style farms + siblings, x1     .941 / .333 / .492      32
style farms + siblings, x0.5   .944 / .354 / .515      33
=============================  ======================  =======

On 8e827d4's features (chrome masked before word TF-IDF / structure /
outline) the x0.5 recipe, refitted with fit_pairs.py + fit_linkage.py, lost
to main at fit_linkage's chosen row: templated F1 .487 (main .514),
licenses-dev .493 (.497), dragnet 40 (27), clough .905 (.905); so
``synthetic-style`` is not in the shipped recipe.

Same-topic negatives (issue 10, tests/test_shared_footer.py; 06d3d62's
features, ``same-topic`` = :func:`benchmarks.pairdata.same_topic_set`, 1,500
independent generated articles on 23 topics; footer = accepted pairs among
the 2,000 footer pages' 8,871 candidates, model fitted on all sets by
``training_rows`` + ``fit_model`` as fit_pairs.py does):

=============================  ======================  =======  ======
06d3d62's features             templated P / R / F1    dragnet  footer
=============================  ======================  =======  ======
main                           .987 / .347 / .514      25       37
same-topic x1                  .985 / .310 / .472      33       5
same-topic x4                  .983 / .268 / .421      48       1
=============================  ======================  =======  ======

(clough-dev F1 .905, heavy .714, non 0, spun 99/100 in every row; the
footer pages: main 28 clusters of 56 pages, x4 1 cluster of 2.)  The
generated pairs the model accepts (word cosine .12-.16, one shared word
5-gram or one rare 8-word phrase, ``style_function`` .6-.8) sit where
templated-dev's family pairs do (cosine .13-.23, jaccard .003-.01, no rare
passage, ``style_function`` .8-.93): negatives enough to push the footer
pairs under the threshold push those families' pairs too, and move the
model's scale on dragnet-train's same-site pages; so ``same-topic`` is not
in the shipped recipe.  ``benchmarks/footer_study.py`` prints what carries
the footer pairs.

Capacity, weights, features and thresholds, templated-dev only (2026-12-01,
06d3d62's features and linkage.json, fresh cache, out of fold with whole
generators held out; ``--only templated-dev --families``; median OOF p of
the kubaik families' pairs in the last column):

=============================  ======================  ========
recipe                         templated P / R / F1    kubaik p
=============================  ======================  ========
main                           .987 / .347 / .514      .02-.10
main, threshold .15 / .2 / .25 F1 .503 / .526 / .519   same
no-skeleton-info               .711 / .385 / .499      .12-.27
templ-double                   .623 / .471 / .537      .03-.23
depth4                         .757 / .422 / .542      .02-.19
=============================  ======================  ========

Every recipe that lifts recall joins sibling families of one generator
(aspose x2, marketpulse x3, kubaik x6): precision falls to .62-.76.  The
kubaik families share 7-10 outline keys in as many runs, but same-site
dragnet-train negatives share 20 in 17 runs (median), so a monotone model
cannot credit the outline without crediting site chrome; ``skeleton_info``
(1.0 on web pages, 0 on clough-dev's plain essays) takes -2 logits off
every kubaik pair, a set prior rather than evidence.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks import pair_oof, pairdata, quality  # noqa: E402
from benchmarks.pair_oof import GENERATED, PairLibrary, decide, oof_probability  # noqa: E402
from benchmarks.pairdata import PairSet, real_sentences, same_topic_set  # noqa: E402
from benchmarks.stylefamilies import style_families  # noqa: E402

#: Sets a recipe trains on only when it names them in ``with`` (the shipped recipe does not).
EXTRA = ("synthetic-style", "same-topic")
#: name -> {"with": extra sets, "drop": sets left out, "params": PARAMS overrides, "weights": per-set
#: multipliers of SET_WEIGHT, "style": style_families arguments, "threshold": acceptance threshold,
#: "monotone": feature -> monotone sign overrides, "without": features the model does not read}.
RECIPES: dict[str, dict] = {
    "main": {},
    "style": {"with": ("synthetic-style",), "weights": {"synthetic-style": 0.5}},
    "style-full": {"with": ("synthetic-style",)},
    "style-untruncated": {"with": ("synthetic-style",), "style": {"truncated": 0.0}},
    "style-no-negatives": {"with": ("synthetic-style",), "style": {"negatives": False}},
    "style-no-siblings": {"with": ("synthetic-style",), "style": {"siblings": (0, 0)}},
    "style-60": {"with": ("synthetic-style",), "style": {"n_families": 60}},
    "no-outline-syn": {"drop": ("synthetic",)},
    "depth4": {"params": {"max_depth": 4}},
    "depth5": {"params": {"max_depth": 5}},
    "iter200": {"params": {"max_iter": 200}},
    "iter200-lr05": {"params": {"max_iter": 200, "learning_rate": 0.05}},
    "iter50": {"params": {"max_iter": 50}},
    "leaf50": {"params": {"min_samples_leaf": 50}},
    "l2": {"params": {"l2_regularization": 1.0}},
    "syn-half": {"weights": {"synthetic": 0.5}},
    "syn-double": {"weights": {"synthetic": 2.0}},
    "templ-double": {"weights": {"templated-dev": 2.0}},
    "gen-half": {"weights": {"generator": 0.5}},
    "same-topic": {"with": ("same-topic",)},
    "same-topic-x4": {"with": ("same-topic",), "weights": {"same-topic": 4.0}},
    "t25": {"threshold": 0.25},
    "t35": {"threshold": 0.35},
    "t20": {"threshold": 0.2},
    "no-skeleton-info": {"without": ("skeleton_info",)},
    "free-cosine-word": {"monotone": {"cosine_word": 0}},
}


def _line(name: str, rows: list) -> str:
    d = dict(rows)
    keys = {
        "templated-dev": ("w/o hp-humanized: P", "w/o hp-humanized: R", "w/o hp-humanized: F1",
                          "wrong pairs: same generator", "wrong pairs: family-standalone", "hp-humanized: pairs found"),
        "clough-dev": ("F1", "cut found with source", "light found with source", "heavy found with source",
                       "non joined to source (must be 0)"),
        "dragnet-train": ("page pairs joined, not allowed (must be 0)", "spun copies found"),
        "licenses-dev": ("P", "R", "F1"),
        "generated": ("F1",),
        "seeds": ("seed pages = one cluster",),
    }[name]
    return f"{name}: " + " | ".join(f"{k.split(':')[-1].strip()} {quality._cell(d.get(k, '-'))}" for k in keys)


def family_line(target: PairSet, prob: np.ndarray, threshold: float) -> str:
    """Each gold family's median out-of-fold probability and share accepted, over its scan pairs.

    ``family median/accepted`` for every gold cluster with a pair among the
    scan's candidates, then the number of candidate pairs across gold
    clusters at or above ``threshold`` (before clustering).
    """
    gold = np.asarray(target.data.gold, dtype=object)
    index = target.scan.pairs.index
    ga, gb = gold[index[:, 0]], gold[index[:, 1]]
    inside = ga == gb
    cells = []
    for fam in sorted(set(ga[inside].tolist())):
        p = prob[inside & (ga == fam)]
        cells.append(f"{fam} {np.median(p):.2f}/{np.mean(p >= threshold):.2f}")
    cells.append(f"across families >= {threshold}: {int(np.sum(prob[~inside] >= threshold))}")
    return " | ".join(cells)


def evaluate(lib: PairLibrary, names: list[str], threshold: float, families: bool = False) -> list[str]:
    """One summary line of each set in ``names``, scored out of fold (``families``: and :func:`family_line`)."""
    out = []
    for name in names:
        if name in GENERATED:
            data = quality.load_seeds(0) if name == "seeds" else quality.load_generated(100, 0)
            if data is None:
                continue
            target = pair_oof.featurise(data, lib.cache)
            prob = oof_probability(target, lib.others(name), own=False)
        else:
            target = lib.get(name)
            prob = oof_probability(target, lib.others(name))
        labels = list(decide(target, prob, threshold).labels)
        out.append(_line(name, quality.ROWS[name](target.data, labels)))
        if families and name == "templated-dev":
            out.append("  families (median p / share accepted): " + family_line(target, prob, threshold))
    return out


@contextmanager
def recipe_settings(spec: dict) -> Iterator[None]:
    """:mod:`benchmarks.pairdata`'s PARAMS, SET_WEIGHTS and FEATURES as ``spec`` sets them, restored after."""
    params, weights, features = dict(pairdata.PARAMS), dict(pairdata.SET_WEIGHTS), pairdata.FEATURES
    signs = spec.get("monotone", {})
    pairdata.PARAMS.update(spec.get("params", {}))
    pairdata.SET_WEIGHTS.update(spec.get("weights", {}))
    pairdata.FEATURES = tuple((f, signs.get(f, c)) for f, c in features if f not in spec.get("without", ()))
    try:
        yield
    finally:
        pairdata.PARAMS.clear()
        pairdata.PARAMS.update(params)
        pairdata.SET_WEIGHTS.clear()
        pairdata.SET_WEIGHTS.update(weights)
        pairdata.FEATURES = features


def run(recipe: str, lib: PairLibrary, names: list[str], families: bool = False) -> None:
    spec = RECIPES[recipe]
    lib.skip = tuple(spec.get("drop", ())) + tuple(n for n in EXTRA if n not in spec.get("with", ()))
    lib.set_style(spec.get("style", {}))
    t0 = time.perf_counter()
    try:
        with recipe_settings(spec):
            lines = evaluate(lib, names, spec.get("threshold", pairdata.THRESHOLD), families)
    finally:
        lib.skip = EXTRA
        lib.set_style({})
    print(f"== {recipe} ({time.perf_counter() - t0:.0f} s) {spec}")
    print("\n".join(lines), flush=True)


class StudyLibrary(PairLibrary):
    """The training library plus ``synthetic-style`` and ``same-topic``, some training sets left out (``skip``)."""

    skip: tuple[str, ...] = EXTRA

    def datasets(self):
        data = super().datasets()
        if "synthetic-style" not in data:
            data["synthetic-style"] = style_families(real_sentences())
        if "same-topic" not in data:
            data["same-topic"] = same_topic_set()
        return data

    def set_style(self, kwargs: dict) -> None:
        """Use ``style_families(sentences, **kwargs)`` as the ``synthetic-style`` set."""
        data = style_families(real_sentences(), **kwargs)
        if self.datasets()["synthetic-style"].texts != data.texts:
            self._data["synthetic-style"] = data
            self._sets.pop("synthetic-style", None)

    def others(self, name: str):
        # ``same-topic`` is the generator's too: generated and seeds are scored without it.
        skip = (*self.skip, "same-topic") if name in GENERATED else self.skip
        return [s for s in super().others(name) if s.name not in skip]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("recipes", nargs="*", default=["main"])
    ap.add_argument("--cache", type=Path, help="featurised sets (see fit_pairs.py --cache)")
    ap.add_argument("--licences", action="store_true", help="also licenses-dev (slow)")
    ap.add_argument("--generated", action="store_true", help="also generated and seeds")
    ap.add_argument("--only", help="comma-separated real sets to score (default: templated-dev, clough-dev, dragnet-train)")
    ap.add_argument("--families", action="store_true",
                    help="also each templated-dev family's median out-of-fold probability and share accepted")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(f"{k}: {v}" for k, v in RECIPES.items()))
        return 0
    if args.cache:
        os.environ[pair_oof.CACHE_ENV] = str(args.cache)
    lib = StudyLibrary(args.cache)
    wanted = args.only.split(",") if args.only else ["templated-dev", "clough-dev", "dragnet-train"]
    names = [n for n in wanted if n in lib.datasets() or n in GENERATED]
    names += ["licenses-dev"] if args.licences and "licenses-dev" in lib.datasets() else []
    names += ["generated", "seeds"] if args.generated else []
    for recipe in args.recipes:
        run(recipe, lib, names, args.families)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
