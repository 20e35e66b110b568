"""The package's layers show in its folders, and imports point only downwards (see lederkurs/__init__.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "lederkurs"
# Lower numbers sit lower; a module may import its own layer's modules and any lower layer.
LAYERS = {"errors": 0, "files": 0, "paths": 0, "text": 0, "theme": 0, "course": 1, "answers": 2, "charts": 3,
          "reports": 4, "notebook": 5, "trainer": 5, "build": 6, "copy_course": 6, "service": 6, "cli": 7}
# Libraries a layer must never load, not even lazily: the core stays free of the notebook front end.
FORBIDDEN = {"course": ("IPython", "ipywidgets", "matplotlib", "anywidget"),
             "answers": ("IPython", "ipywidgets", "matplotlib", "anywidget"),
             "charts": ("IPython", "ipywidgets", "anywidget"),
             "reports": ("IPython", "ipywidgets", "anywidget")}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in it (lazy imports inside functions included)."""
    package = _name(path) if path.name == "__init__.py" else _name(path).rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found |= {module} | {f"{module}.{a.name}" for a in node.names}
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "lederkurs" and len(parts) > 1 and parts[1] in LAYERS else None


def module_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (a picture of the architecture)."""
    names = {_name(p) for p in _modules()}
    return {_name(p): {m for m in _imports(p) if m in names and m != _name(p)} for p in _modules()}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_only_downwards(path: Path) -> None:
    me = _layer(_name(path))
    if me is None:
        return  # lederkurs/__init__.py: the two calls the notebooks make, imported lazily from the top
    wrong = [m for m in _imports(path) if (other := _layer(m)) and other != me and LAYERS[other] >= LAYERS[me]]
    assert not wrong, f"{_name(path)} (layer {me}) imports upwards or sideways: {wrong}"
    banned = [m for m in _imports(path) if m.split(".")[0] in FORBIDDEN.get(me, ())]
    assert not banned, f"{_name(path)} loads {banned}"


def test_every_module_sits_in_a_layer() -> None:
    assert {_layer(_name(p)) for p in _modules()} - {None} == set(LAYERS)
    assert [p for p in _modules() if _name(p) != "lederkurs" and _layer(_name(p)) is None] == []


def test_templates_hold_markup_not_words() -> None:
    """Everything a person reads in a page comes from the message catalogue, in their language."""
    for template in (PACKAGE / "reports" / "templates").glob("*.j2"):
        text = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}|<[^>]*>|&\w+;", " ", template.read_text(encoding="utf-8"),
                      flags=re.S)
        words = [w for w in re.findall(r"[^\W\d_]{3,}", text) if template.suffix == ".j2"
                 and not template.name.startswith("style")]
        assert words == [], f"{template.name} has text of its own: {words[:10]}"


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a loop (Tarjan's strongly connected
    components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_one_that_imports_it_back() -> None:
    """Lazy and type-only imports count too. The package's root is left out: every module lies under it, and
    its two entry points (start, start_cohort) import their front ends lazily."""
    graph = {m: deps - {"lederkurs"} for m, deps in module_graph().items() if m != "lederkurs"}
    assert import_cycles(graph) == []
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]  # it finds one


def test_every_colour_is_named_in_theme_py() -> None:
    """The README's table sends a change of the look to theme.py: no colour is written anywhere else."""
    colour = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b(?![-\w])")
    found = [(str(p.relative_to(PACKAGE)), m) for p in sorted(PACKAGE.rglob("*")) if p.suffix in (".py", ".j2")
             and p.name != "theme.py" for m in colour.findall(p.read_text(encoding="utf-8"))]
    assert found == []
