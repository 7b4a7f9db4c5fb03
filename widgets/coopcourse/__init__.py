"""coopcourse: calculations, widgets and exercises of the cooperative business course.

Layers, from the bottom up (each imports only from those above it in this list):
- ``coopcourse.text``: every learner-facing string, looked up by key (``locale/en/*.yaml``).
- ``coopcourse.formatting``: how numbers, money and percentages are written.
- ``coopcourse.documents``: printable documents (Markdown and Word) from plain data.
- ``coopcourse.calculations``: pure, typed functions; invalid input raises ``CourseInputError``.
- ``coopcourse.content``: questions, scenarios and lists from the data files, as calculation records.
- ``coopcourse.store`` then ``coopcourse.saving``: saved work and the page's saving session.
- ``coopcourse.components``: small reusable ipywidgets building blocks (the saved-work bar too).
- ``coopcourse.exercises``: each exercise is a short composition of calculations and components.
- ``coopcourse.serving``, ``coopcourse.kernel_limit``, ``coopcourse.page_kernel`` and
  ``coopcourse.fork_provisioner`` (with ``coopcourse.fork_server``): what ``make serve`` runs around Voila.
"""

from coopcourse.errors import CourseInputError

__all__ = ["CourseInputError"]
__version__ = "0.1.0"
