"""coopcourse: calculations, widgets and exercises of the cooperative business course.

Layers, from the bottom up:
- ``coopcourse.text``: every learner-facing string, looked up by key (``locale/en.yaml``).
- ``coopcourse.calculations``: pure, typed functions; invalid input raises ``CourseInputError``.
- ``coopcourse.components``: small reusable ipywidgets building blocks.
- ``coopcourse.exercises``: each exercise is a short composition of the two layers above.
"""

from coopcourse.errors import CourseInputError

__all__ = ["CourseInputError"]
__version__ = "0.1.0"
