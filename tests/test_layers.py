"""The package's dependencies point one way (text -> ... -> exercises) and form no circle,
counting imports inside functions too: a circle that "works" only because one import is local
is still a circle."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "widgets" / "coopcourse"

# Lower layers never import higher ones (same rank: may import each other, without a circle).
RANK = {
    "coopcourse": 0,
    "errors": 0,
    "package_files": 0,
    "yaml_data": 0.5,
    "text": 1,
    "content": 4.5,
    "formatting": 2,
    "documents": 3,
    "calculations": 4,
    "store": 5,
    "plenary": 5.5,
    "saving": 6,
    "components": 7,
    "exercises": 8,
    "plenary_view": 8.5,
    "serving": 9,
    "kernel_limit": 9,
    "course_voila": 9,
    "page_kernel": 9,
    "page_kernel_class": 9,
    "fork_provisioner": 9,
    "fork_server": 9,
    "handouts": 9,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("coopcourse"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("coopcourse"):
            for alias in node.names:  # "from coopcourse import content" imports a module
                candidate = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists() or (
                    PACKAGE.parent / candidate.replace(".", "/") / "__init__.py"
                ).exists()
                found.add(candidate if is_module else node.module)
    return found


def _graph() -> dict[str, set[str]]:
    return {_module_name(path): _imports(path) - {_module_name(path)} for path in PACKAGE.rglob("*.py")}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def test_every_module_has_a_layer() -> None:
    assert {_layer(module) for module in _graph()} <= set(RANK)


def test_dependencies_point_one_way() -> None:
    upward = sorted(
        f"{module} imports {imported}"
        for module, imports in _graph().items()
        for imported in imports
        if RANK[_layer(imported)] > RANK[_layer(module)]
    )
    assert not upward


def test_the_import_graph_has_no_circle() -> None:
    try:
        tuple(TopologicalSorter(_graph()).static_order())
    except CycleError as circle:
        raise AssertionError(f"import circle: {' -> '.join(circle.args[1])}") from None
