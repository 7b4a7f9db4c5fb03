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
"""

from __future__ import annotations

import base64
import html
import io
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as widgets

from coopcourse.components import shared

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
        self.add_class("coop-chart")

    def draw(self, plot: Callable[[Axes], None], alt_text: str) -> None:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        figure_class: type[Figure] = sys.modules[__name__].Figure
        buffer = io.BytesIO()
        # Every text literal ("$" is a dollar sign). Text artists read the setting when they are
        # made, and tick labels are made while saving: both happen inside.
        with matplotlib.rc_context({"text.parse_math": False}):
            figure = figure_class(figsize=self.size, dpi=self.dpi, layout="constrained")
            FigureCanvasAgg(figure)
            axes = figure.add_subplot()
            axes.set_prop_cycle(color=PALETTE)
            plot(axes)
            figure.savefig(buffer, format="png")
        encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
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
