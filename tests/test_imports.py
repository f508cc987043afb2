"""The package's import graph has no circle: each stage imports only the ones below it.

Every import counts, including those inside functions and under
``TYPE_CHECKING``: a circle there still ties the modules together for a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "spindetect"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Modules of the package that ``path`` imports (``from . import x`` names module x when it is one)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = (f"{base}.{node.module}" if node.module else base) if node.level else (node.module or "")
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m in modules and m != name}


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: _imports(path, set(paths)) for name, path in paths.items()}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _without_package_inits(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Drop the arrows into a package's ``__init__``: importing ``pkg.mod`` runs it, but it only re-exports."""
    packages = {p for p in graph if (PACKAGE.parent / p.replace(".", "/") / "__init__.py").is_file()}
    return {m: {t for t in deps if t not in packages} for m, deps in graph.items()}


def test_the_package_has_no_import_circle():
    assert _circles(_without_package_inits(_graph())) == []


def test_decide_and_the_report_readers_import_neither_the_detector_nor_results():
    graph = _graph()
    for name, deps in graph.items():
        if name.startswith("spindetect.decide.") or name in {
            "spindetect.report.scan",
            "spindetect.report.html",
            "spindetect.report.plots",
            "spindetect.report.explain",
            "spindetect.report.store",
            "spindetect.report.template",
        }:
            assert not deps & {"spindetect.detector", "spindetect.report.results"}, name


#: The stages from the bottom up (README "Layout"): each imports only the ones before it.
STAGES = ("text", "signals", "decide", "boilerplate", "report")


def test_each_stage_imports_only_the_stages_below_it():
    graph = _graph()
    for name, deps in graph.items():
        stage = name.split(".")[1] if name.count(".") >= 2 else None
        if stage not in STAGES:
            continue
        above = {f"spindetect.{s}" for s in STAGES[STAGES.index(stage) + 1 :]} | {"spindetect.detector", "spindetect.cli"}
        wrong = {d for d in deps if any(d == a or d.startswith(a + ".") for a in above)}
        assert not wrong, f"{name} imports {sorted(wrong)}"


def test_a_planted_circle_is_found():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
