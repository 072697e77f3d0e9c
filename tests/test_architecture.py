"""The layers import only downward, and no module imports itself back through a loop.

interfaces (cli, report, web) -> service -> analysis -> engine -> model; `store` sits beside
the analyses and may use model and service results only; `errors` and `lazy` serve everyone.
Imports inside `if TYPE_CHECKING:` blocks are annotations only and are not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
PACKAGE = SRC / "dealcraft"

LAYERS = {
    "errors": 0,
    "lazy": 0,
    "finite": 0.5,  # checks results are finite; raises errors
    "model": 1,
    "engine": 2,
    "analysis": 3,
    "evidence": 3,
    "interop": 3,
    "store": 3,
    "service": 4,
    "cli": 5,
    "report": 5,
    "web": 5,
}
INTERFACES = 5
STORE_MAY_USE = {"errors", "lazy", "finite", "model", "service", "store"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(name: str) -> list[tuple[str, bool]]:
    """(imported dealcraft module, imported at module level) for each import of ``name``."""
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            inner = top and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            if isinstance(child, ast.Import):
                found.extend((a.name, top) for a in child.names if a.name.startswith("dealcraft"))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - child.level + 1] + [base])
                    base = base.rstrip(".")
                if not base.startswith("dealcraft"):
                    continue
                for a in child.names:
                    sub = f"{base}.{a.name}"
                    found.append((sub if sub in MODULES else base, top))
            visit(child, inner)

    visit(tree, True)
    return found


def layer_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_downward(name: str) -> None:
    mine = layer_of(name)
    if mine is None:  # the package root re-exports lazily from every layer
        return
    for target, _ in imports(name):
        theirs = layer_of(target)
        if theirs is None or theirs == mine:
            continue
        if LAYERS[theirs] == LAYERS[mine] == INTERFACES:
            continue  # the CLI launches the other interfaces: `dealcraft serve`, `dealcraft report`
        if mine == "store":
            assert theirs in STORE_MAY_USE, f"{name} (store) imports {target}"
            continue
        assert LAYERS[theirs] < LAYERS[mine], f"{name} ({mine}) imports {target} ({theirs}): upward"


def test_no_import_loops_at_module_level() -> None:
    graph = {name: {t for t, top in imports(name) if top and t in MODULES and t != name} for name in MODULES}
    # A module importing its own package's __init__ is how Python finds submodules, not a loop,
    # as long as that __init__ does not import the module back (checked by the search below).
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []
    counter = [0]

    def strongconnect(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                loops.append(sorted(component))

    for v in graph:
        if v not in index:
            strongconnect(v)
    assert loops == []


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The import reader finds imports in nested blocks and ignores TYPE_CHECKING ones."""
    MODULES["dealcraft.engine.__probe__"] = tmp_path / "probe.py"
    try:
        (tmp_path / "probe.py").write_text(
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from dealcraft.service import analysis\n"
            "def f():\n    from dealcraft.cli import app\n",
            "utf-8",
        )
        found = imports("dealcraft.engine.__probe__")
        assert ("dealcraft.cli", False) in found or ("dealcraft.cli.app", False) in found
        assert not any(t.startswith("dealcraft.service") for t, _ in found)
        with pytest.raises(AssertionError, match="upward"):
            test_imports_go_downward("dealcraft.engine.__probe__")
    finally:
        del MODULES["dealcraft.engine.__probe__"]


@pytest.mark.parametrize("name", sorted(n for n in MODULES if (layer_of(n) or "model") != "model"))
def test_nothing_above_the_model_reads_the_parsed_file(name: str) -> None:
    """Everything the file says is compiled once (model/build.py); above the model layer code
    reads the compiled Scenario, and tools about the file itself ask `model.load.source_file`."""
    if layer_of(name) in ("errors", "lazy", "finite"):
        return
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    reads = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "file"]
    assert reads == [], f"{name} reads `.file` on lines {reads}: use the compiled scenario"
