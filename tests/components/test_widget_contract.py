"""No course widget may shadow an ipywidgets method or trait by accident.

A component that defined ``open()`` once replaced ``Widget.open`` (which creates the widget's
comm), so the saved-work bar never reached the browser while every kernel-side test passed.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ipywidgets as widgets

import coopcourse.components
import coopcourse.exercises

ALLOWED = {"__init__", "value"}  # our own `value` traits are the documented component contract
# Bookkeeping the traitlets metaclass writes into every class it creates.
METACLASS_MADE = {
    "_all_trait_default_generators",
    "_descriptors",
    "_instance_inits",
    "_static_immutable_initial_values",
    "_trait_default_generators",
    "_traits",
}


def _course_widget_classes() -> list[type]:
    classes = set()
    for package in (coopcourse.components, coopcourse.exercises):
        for module_info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(module_info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, widgets.Widget) and cls.__module__.startswith("coopcourse"):
                    classes.add(cls)
    return sorted(classes, key=lambda cls: cls.__qualname__)


def test_there_are_course_widgets_to_check() -> None:
    assert len(_course_widget_classes()) >= 8


def test_course_widgets_do_not_shadow_ipywidgets_members() -> None:
    clashes = []
    for cls in _course_widget_classes():
        ipywidgets_bases = [base for base in cls.__mro__ if base.__module__.startswith(("ipywidgets", "traitlets"))]
        inherited = set().union(*(vars(base) for base in ipywidgets_bases))
        for klass in cls.__mro__:
            if not klass.__module__.startswith("coopcourse"):
                continue
            for name in vars(klass):
                if name in inherited and name not in ALLOWED | METACLASS_MADE and not name.startswith("__"):
                    clashes.append(f"{klass.__qualname__}.{name}")
    assert clashes == []
