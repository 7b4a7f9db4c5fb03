"""Layout and style models shared by the widgets that never change them.

Every ipywidgets DOMWidget makes its own Layout model, and most widgets a Style model too: each is
one more message to send when a page opens and one more view for the browser (a phone, often) to
build. A course page held more Layout and Style models than widgets. Widgets whose layout or
style stays as made share one instance per set of values instead (ipywidgets allows a layout or
style to be shared).

A shared instance refuses changes, which would reach every widget holding it: a widget whose
layout changes later (shown and hidden, say) keeps a ``widgets.Layout()`` of its own.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_style import Style


class _Frozen:
    """Refuses any change to a synced trait once made."""

    _frozen = False
    keys: list[str]

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen and name in self.keys:
            raise AttributeError(
                f"{type(self).__name__} is shared by many widgets and cannot change ({name}); "
                "give the widget a layout or style of its own"
            )
        super().__setattr__(name, value)


_classes: dict[type, type] = {}
_instances: dict[tuple[type, tuple[tuple[str, Any], ...]], Any] = {}


def _shared(kind: type, values: dict[str, Any]) -> Any:
    key = (kind, tuple(sorted(values.items())))
    found = _instances.get(key)
    if found is None or found.comm is None:  # none yet, or closed (Widget.close_all): a fresh one
        found = _shared_class(kind)(**values)
        found._frozen = True
        _instances[key] = found
    return found


def _shared_class(kind: type) -> type:
    frozen = _classes.get(kind)
    if frozen is None:
        frozen = _classes[kind] = type(f"Shared{kind.__name__}", (_Frozen, kind), {})
    return frozen


def _kinds(base: type) -> list[type]:
    """``base``'s subclasses, all the way down, without the shared ones."""
    found: list[type] = []
    subclasses: list[type] = base.__subclasses__()
    for sub in subclasses:
        if not issubclass(sub, _Frozen):
            found += [sub, *_kinds(sub)]
    return found


def make_shared_classes() -> None:
    """Make the shared kind of Layout and of each ipywidgets style now. traitlets takes about a
    millisecond to set up a new class: a process that forks page kernels (coopcourse.fork_server)
    does it once for all of them, where each kernel did it on opening its page."""
    for kind in [widgets.Layout, *_kinds(Style)]:
        if not kind.__name__.startswith("_"):
            _shared_class(kind)


def layout(**values: str) -> widgets.Layout:
    """The shared Layout with these values (``width="auto"``, ...); none: the default layout."""
    return _shared(widgets.Layout, values)  # type: ignore[no-any-return]


def style(widget: type[widgets.DOMWidget], **values: Any) -> Any:
    """The shared style of ``widget``'s kind (TextStyle for Text, ButtonStyle for Button, ...)."""
    return _shared(widget.class_traits()["style"].klass, values)


def html_style() -> Any:
    """The default style of an HTML widget, shared."""
    return style(widgets.HTML)


def html(value: str = "", **kwargs: Any) -> widgets.HTML:
    """An HTML widget with the shared default layout and style (one model, not three)."""
    kwargs.setdefault("layout", layout())
    kwargs.setdefault("style", html_style())
    return widgets.HTML(value, **kwargs)


def button(description: str, **kwargs: Any) -> widgets.Button:
    """A Button with the shared default style and, unless given, the shared default layout."""
    kwargs.setdefault("layout", layout())
    kwargs.setdefault("style", style(widgets.Button))
    return widgets.Button(description=description, **kwargs)


def vbox(children: Any = (), **kwargs: Any) -> widgets.VBox:
    """A VBox with the shared default layout unless given one."""
    kwargs.setdefault("layout", layout())
    return widgets.VBox(children, **kwargs)


def hbox(children: Any = (), **kwargs: Any) -> widgets.HBox:
    """An HBox with the shared default layout unless given one."""
    kwargs.setdefault("layout", layout())
    return widgets.HBox(children, **kwargs)


class LazyBox:
    """A box of a container that is empty until something is shown in it: built, and put in its
    place among the container's children, when first used. An empty box is still a widget model
    for the kernel, the server and every device to build; the saved-work bar had five on every
    page. The container lists its parts in ``parts``: widgets, and these boxes' names."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, container: Any, owner: type | None = None) -> Any:
        if container is None:
            return self
        box = container.__dict__.get(self.name)
        if box is None:
            box = container.__dict__[self.name] = vbox()
            container.children = built_parts(container)
        return box


def clear(container: Any, name: str) -> None:
    """Empty the lazy box ``name`` of ``container``, without building it if it was never used."""
    box = container.__dict__.get(name)
    if box is not None:
        box.children = []


def built_parts(container: Any) -> list[Any]:
    """A container's ``parts``: its widgets, and those of its lazy boxes that are built."""
    built = container.__dict__
    return [
        built[part] if isinstance(part, str) else part
        for part in container.parts
        if not isinstance(part, str) or part in built
    ]


class BriefRepr:
    """For a widget a notebook cell shows. ipywidgets builds each shown widget's text form
    (``text/plain``, which no browser shows) by walking every child's state, then keeps 110
    characters of it: 2-8 CPU-ms a cell on every page open. This text form names the widget."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.repr_detail()})"

    def repr_detail(self) -> str:
        return ""
