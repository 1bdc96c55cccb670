"""No import cycle anywhere in ``briefing/``.

The graph is read from the source with ``ast``: every ``import`` and ``from ...
import`` of a module, at module level and inside functions and classes (an import
deferred into a function still closes a circle: it only moves the failure to run
time). Imports under ``if TYPE_CHECKING:`` never run and are left out.

An edge goes to the imported module, and to the packages above it whose
``__init__`` the import runs (not to the importer's own packages, which are already
being imported when it runs). ``from pkg import name`` goes to ``pkg.name`` when that
is a module, else to ``pkg``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "briefing"


def module_names(root: Path) -> dict[str, Path]:
    """``{dotted name: file}`` for every module of the package at ``root``."""
    base = root.parent
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(base).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:  # the `else:` of a TYPE_CHECKING block does run
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """``{module: modules of the package it imports}`` (see the module docstring)."""
    modules = module_names(root)
    top = root.name
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        own_package = name if is_package else name.rpartition(".")[0]
        targets: list[str] = []
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets.extend(alias.name for alias in node.names)
                continue
            if node.level:
                base_parts = own_package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.append(sub if sub in modules else base)
        own_ancestors = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 2)}
        for target in targets:
            if target != top and not target.startswith(top + "."):
                continue
            parts = target.split(".")
            for i in range(2, len(parts) + 1):  # the packages the import runs, then the module
                step = ".".join(parts[:i])
                if step in modules and step not in own_ancestors and step != name:
                    graph[name].add(step)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (``[a, b, ..., a]``) for each group of modules that import each other."""
    return [_a_cycle(graph, set(group)) for group in cyclic_groups(graph)]


def cyclic_groups(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    for start in sorted(graph):
        if start in index:
            continue
        # iterative Tarjan: (node, iterator over its successors)
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups)


def _a_cycle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest cycle through the first module of ``group`` (breadth first)."""
    start = min(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node] & group):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if nxt not in came_from:
                    came_from[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle in {sorted(group)}")  # a strongly connected group has one


def _report(graph: dict[str, set[str]]) -> str:
    lines = ["import cycles:"]
    for group in cyclic_groups(graph):
        lines.append(f"  {len(group)} modules import each other: {', '.join(group)}")
        lines.append("    e.g. " + " -> ".join(_a_cycle(graph, set(group))))
    return "\n".join(lines)


def test_no_import_cycle_in_the_core():
    """Everything outside the reader (briefing/tui) is free of cycles."""
    graph = import_graph(PACKAGE)
    core = {m: {t for t in ts if not t.startswith("briefing.tui")} for m, ts in graph.items() if not m.startswith("briefing.tui")}
    assert not find_cycles(core), _report(core)


def test_no_import_cycle_in_the_package():
    """The whole package, the reader included, function-level imports included."""
    graph = import_graph(PACKAGE)
    assert not find_cycles(graph), _report(graph)


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_walker_finds_a_cycle_held_open_by_a_function_level_import(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg import b\n",
        "pkg/b.py": "def later():\n    from pkg.sub.c import thing\n    return thing\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/c.py": "from ..a import x\n",
        "pkg/d.py": "import pkg.a\n",  # into the cycle, not on it
    })
    graph = import_graph(tmp_path / "pkg")
    assert graph["pkg.b"] == {"pkg.sub", "pkg.sub.c"}
    assert graph["pkg.sub.c"] == {"pkg.a"}
    assert find_cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]]
    assert "3 modules import each other: pkg.a, pkg.b, pkg.sub.c" in _report(graph)
    assert "pkg.a -> pkg.b -> pkg.sub.c -> pkg.a" in _report(graph)


def test_the_walker_counts_a_package_init_and_leaves_type_checking_imports_out(tmp_path):
    _write(tmp_path, {
        "pkg/__init__.py": "from pkg.core.model import M\n",
        "pkg/core/__init__.py": "",
        "pkg/core/model.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.view import V\n",
        "pkg/view.py": "import pkg.core.model\n",
        "pkg/other.py": "class K:\n    def f(self):\n        import pkg\n",
    })
    graph = import_graph(tmp_path / "pkg")
    assert graph["pkg.core.model"] == set()  # the TYPE_CHECKING import never runs
    assert graph["pkg.view"] == {"pkg.core", "pkg.core.model"}
    assert graph["pkg.other"] == set()  # its own package: already being imported
    assert find_cycles(graph) == []
    _write(tmp_path, {"pkg/core/__init__.py": "def load():\n    import pkg.view\n"})
    assert find_cycles(import_graph(tmp_path / "pkg")) == [["pkg.core", "pkg.view", "pkg.core"]]
