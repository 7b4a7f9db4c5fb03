"""A matplotlib chart that redraws in place as an image with a text alternative.

The figure is drawn with matplotlib's object API (no pyplot: no global figures to leak) and
sent as a PNG inside an ``<img alt=...>``, so it is one small message per redraw and screen
readers get the alternative text.

Every text of a chart is drawn as it is written: learner text such as a role named
``Driver $15/h, $20 weekends`` or ``$x^^$`` is never read as a formula (matplotlib's mathtext,
which would draw the first in italics and fail on the second). The whole drawing, tick labels and
legends included (matplotlib creates those while saving), runs with ``text.parse_math`` off, so no
exercise has to escape its labels.

matplotlib is imported by the first ``draw``, not with this module: a page whose charts are not
drawn yet (or that has none) does not pay for it (about 0.6 CPU-s and 40 MB per kernel).

A drawn figure is a web of reference cycles that only a full garbage collection frees, which
Python runs rarely: a page's kernel collects after each change (``coopcourse.page_kernel_class``).

Every kernel of a page draws the same charts when the page opens (the exercise's starting
values): ``ExerciseFrame`` gives those first draws a ``cache_key`` naming everything they depend
on, and the PNG is kept in ``<data dir>/chart-cache`` for the next kernel, which then needs no
matplotlib at all. Only opening drawings are kept (no learner's work). ``COOPCOURSE_CHART_CACHE``
names another folder, or ``off``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import logging
import os
import shutil
import sys
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets

from coopcourse.components import shared
from coopcourse.package_files import fingerprint, package_files
from coopcourse.store import data_dir

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def __getattr__(name: str) -> object:
    # ``chart.Figure`` is matplotlib's Figure, imported when first asked for (tests replace it).
    if name == "Figure":
        from matplotlib.figure import Figure

        globals()["Figure"] = Figure
        return Figure
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


log = logging.getLogger("coopcourse")
CACHE_VARIABLE = "COOPCOURSE_CHART_CACHE"


def cache_dir() -> Path | None:
    configured = os.environ.get(CACHE_VARIABLE, "").strip()
    if configured == "off":
        return None
    return Path(configured) if configured else data_dir() / "chart-cache"


@cache
def course_version() -> str:
    """The course's files (code, texts, content) and matplotlib's version: a kept drawing is
    only used by the same course and the same matplotlib."""
    version = fingerprint(package_files()) + metadata.version("matplotlib")
    return hashlib.sha256(version.encode()).hexdigest()


def _is_version_name(name: str) -> bool:
    return len(name) == 32 and all(c in "0123456789abcdef" for c in name)


def _forget_other_versions(current: Path) -> None:
    """Drawings kept by other versions of the course are never shown again: the first kernel of
    a new version removes their folders, so the cache holds one version's charts."""
    for folder in current.parent.iterdir():
        if folder != current and folder.is_dir() and _is_version_name(folder.name):
            shutil.rmtree(folder, ignore_errors=True)


PALETTE = ("#1f5f8b", "#d35400", "#2e7d32", "#6a1b9a", "#8d6e63", "#455a64")


class Chart(widgets.HTML):
    # 125 dpi: a 7-inch chart is as wide as an exercise on a laptop or projector (about 875 px),
    # so its labels read at the size of the text around it; on a phone it shrinks to the width.
    def __init__(self, width_inches: float = 7.0, height_inches: float = 3.6, dpi: int = 125) -> None:
        # Its own layout (some exercises hide a chart that has nothing to show); a shared style.
        super().__init__(style=shared.html_style())
        self.size = (width_inches, height_inches)
        self.dpi = dpi
        self.alt_text = ""
        self.draw_count = 0
        self.cache_key: str | None = None  # set by ExerciseFrame for the opening drawing only
        self.add_class("coop-chart")

    def draw(self, plot: Callable[[Axes], None], alt_text: str) -> None:
        key, self.cache_key = self.cache_key, None
        kept = self._kept(key) if key else None
        png = None
        if kept is not None:
            try:
                png = kept.read_bytes()
            except OSError:
                png = None  # not kept yet (or unreadable): draw it
        if png is None:
            if self.draw_count:
                # A redraw after a change: the change's table and feedback are already on their
                # way. In a kernel, the thread that sends them needs the interpreter, which the
                # drawing would hold for 20-50 ms; flushing waits (idle) until they have left.
                sys.stdout.flush()
            png = render_png(self.size, self.dpi, plot)
            if kept is not None:
                self._keep(kept, png)
        self._show(png, alt_text)

    @staticmethod
    def _keep(kept: Path, png: bytes) -> None:
        try:
            if not kept.parent.is_dir():
                kept.parent.mkdir(parents=True, exist_ok=True)
                _forget_other_versions(kept.parent)
            partial = kept.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(png)
            partial.replace(kept)  # whole or absent: another kernel may be reading it
        except OSError:
            log.debug("chart not kept in %s", kept.parent, exc_info=True)

    def _kept(self, key: str) -> Path | None:
        folder = cache_dir()
        if folder is None:
            return None
        name = hashlib.sha256(f"{self.size}|{self.dpi}|{key}".encode()).hexdigest()
        return folder / course_version()[:32] / f"{name}.png"

    def _show(self, png: bytes, alt_text: str) -> None:
        encoded = base64.b64encode(png).decode("ascii")
        width, height = (round(side * self.dpi) for side in self.size)
        self.alt_text = alt_text
        self.draw_count += 1
        self.value = (
            f'<figure class="coop-figure"><img src="data:image/png;base64,{encoded}" '
            f'alt="{html.escape(alt_text)}" width="{width}" height="{height}" style="max-width:100%;height:auto">'
            # The caption shows the alternative text to everyone; screen readers already read it
            # as the image's alt, so they skip the caption rather than hear it twice.
            f'<figcaption aria-hidden="true">{html.escape(alt_text)}</figcaption></figure>'
        )


def render_png(size: tuple[float, float], dpi: int, plot: Callable[[Axes], None]) -> bytes:
    """The PNG of a ``size``-inch figure with one axes that ``plot`` draws on."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure_class: type[Figure] = sys.modules[__name__].Figure
    buffer = io.BytesIO()
    # Every text literal ("$" is a dollar sign). Text artists read the setting when they are
    # made, and tick labels are made while saving: both happen inside.
    with matplotlib.rc_context({"text.parse_math": False}):
        figure = figure_class(figsize=size, dpi=dpi, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        axes.set_prop_cycle(color=PALETTE)
        plot(axes)
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def warm_drawing() -> None:
    """Draw a small chart, as a process that forks kernels does before forking: the fonts and
    caches matplotlib loads at its first drawing are then shared by every kernel (about 6 MB
    less in each kernel that draws)."""

    def plot(axes: Axes) -> None:
        bars = axes.barh(["Members", "Savings"], [12, 3400])
        axes.bar_label(bars, labels=["12", "3,400"], fontsize=8)
        axes.set_xlabel("Amount")

    render_png((3.0, 2.0), 50, plot)
