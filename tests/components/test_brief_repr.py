"""What a shown course widget gives as its text form: a name, not a walk through every child.

ipywidgets builds ``text/plain`` for every widget a cell shows from the states of all its
children and keeps 110 characters of it; no browser shows it. A page paid 2-8 CPU-ms a cell
for that (measured in a page's kernel). Every widget a notebook cell shows is a ``BriefRepr``."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import typing

import ipywidgets as widgets
import pytest

from coopcourse.components.saved_work import saved_work_bar
from coopcourse.components.shared import BriefRepr
from tests.components.frames import exercise_builders
from tests.notebooks import english_notebooks

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
BUILDERS = exercise_builders()


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_an_exercise_is_shown_by_name_and_still_as_a_widget(name: str) -> None:
    frame = BUILDERS[name]()
    bundle = frame._repr_mimebundle_()
    assert bundle["text/plain"] == repr(frame) == f"ExerciseFrame({frame.exercise_id!r})"
    assert bundle[WIDGET_VIEW]["model_id"] == frame.model_id


def test_the_saved_work_bar_is_shown_by_name() -> None:
    bar = saved_work_bar()
    bundle = bar._repr_mimebundle_()
    assert bundle["text/plain"] == "SavedWorkBar()"
    assert bundle[WIDGET_VIEW]["model_id"] == bar.model_id


def _imported(module: str, name: str) -> object:
    """What ``from module import name`` gives: an attribute of the module, or its submodule."""
    try:
        return getattr(importlib.import_module(module), name)
    except AttributeError:
        return importlib.import_module(f"{module}.{name}")


def _shown_calls() -> list[tuple[str, object]]:
    """(notebook, function) for every code cell: each ends with a call whose result it shows,
    ``f(...)`` or ``module.f(...)`` with ``f`` or ``module`` imported by the cell."""
    found = []
    for notebook in english_notebooks():
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            tree = ast.parse("".join(cell["source"]))
            names = {
                alias.asname or alias.name: _imported(node.module or "", alias.name)
                for node in tree.body
                if isinstance(node, ast.ImportFrom)
                for alias in node.names
            }
            last = tree.body[-1]
            assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call), (notebook.name, cell["source"])
            called = last.value.func
            if isinstance(called, ast.Attribute) and isinstance(called.value, ast.Name):
                found.append((notebook.name, getattr(names[called.value.id], called.attr)))
            else:
                assert isinstance(called, ast.Name), (notebook.name, cell["source"])
                found.append((notebook.name, names[called.id]))
    return found


def test_every_widget_a_cell_shows_is_brief() -> None:
    shown = _shown_calls()
    code_cells = sum(
        cell["cell_type"] == "code"
        for notebook in english_notebooks()
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    )
    assert len(shown) == code_cells > 40
    for notebook, function in shown:
        returned = typing.get_type_hints(function).get("return")
        assert inspect.isclass(returned), (notebook, function)
        if issubclass(returned, widgets.Widget):
            assert issubclass(returned, BriefRepr), (notebook, function, returned)
