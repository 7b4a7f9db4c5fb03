"""Shared test set-up.

- Hypothesis profiles: ``dev`` (default, a few hundred examples at most) and ``ci`` (fewer examples,
  derandomized so a CI run is reproducible). Choose with ``HYPOTHESIS_PROFILE=ci``; CI sets it
  automatically when the ``CI`` environment variable is present.
- Every test fails if the course logged an ERROR on the ``coopcourse`` logger (``ExerciseFrame``
  logs unexpected exceptions there instead of showing a traceback), unless the test asks for the
  ``allow_coopcourse_errors`` fixture and checks the log itself.
- ipywidgets' ``CallbackDispatcher`` (button clicks, submit handlers) swallows exceptions outside
  IPython and only logs a warning "Exception in callback". In tests it re-raises instead, and any
  such warning that still gets logged fails the test too.
- The session uses ipykernel's comm manager from the start, as a served page does: importing
  ipykernel's kernel (tests/test_page_kernel.py does) swaps ``comm``'s manager, and a widget made
  before the swap could no longer be closed.
- Saved work goes to a temporary folder and every test gets a fresh saved-work session, so
  exercises built by one test never receive another test's changes.
"""

from __future__ import annotations

import logging
import os
import re

import ipykernel.ipkernel  # noqa: F401  (see the module docstring: one comm manager)
import pytest
from hypothesis import HealthCheck, settings
from ipywidgets.widgets import widget as widget_module

settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


class _Collect(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _strict_dispatch(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    """``CallbackDispatcher.__call__`` without the swallowing: a failing callback fails the test."""
    value = None
    for callback in self.callbacks:
        local_value = callback(*args, **kwargs)
        value = local_value if local_value is not None else value
    return value


@pytest.fixture(autouse=True)
def strict_callbacks(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(widget_module.CallbackDispatcher, "__call__", _strict_dispatch)
    # Belt and braces: should a callback exception still be swallowed and logged (another code
    # path, another ipywidgets version), the warning fails the test.
    handler = _Collect(logging.WARNING)
    traitlets_log = logging.getLogger("traitlets")
    traitlets_log.addHandler(handler)
    try:
        yield
    finally:
        traitlets_log.removeHandler(handler)
    swallowed = [r for r in handler.records if "Exception in" in r.getMessage()]
    if swallowed:
        pytest.fail(
            "a widget callback raised and ipywidgets swallowed it:\n" + "\n".join(r.getMessage() for r in swallowed),
            pytrace=False,
        )


class CourseErrorLog:
    """What the ``coopcourse`` logger recorded at ERROR or above during one test."""

    def __init__(self) -> None:
        self.handler = _Collect(logging.ERROR)
        self.allowed = False

    @property
    def records(self) -> list[logging.LogRecord]:
        return self.handler.records


@pytest.fixture(autouse=True)
def course_error_log():
    log = CourseErrorLog()
    logger = logging.getLogger("coopcourse")
    logger.addHandler(log.handler)
    try:
        yield log
    finally:
        logger.removeHandler(log.handler)
    if log.records and not log.allowed:
        details = []
        for record in log.records:
            details.append(record.getMessage())
            if record.exc_info:
                details.append(logging.Formatter().formatException(record.exc_info))
        pytest.fail("the course logged an ERROR:\n" + "\n".join(details), pytrace=False)


@pytest.fixture
def allow_coopcourse_errors(course_error_log: CourseErrorLog) -> CourseErrorLog:
    """For the one kind of test that provokes an internal error on purpose and asserts the log."""
    course_error_log.allowed = True
    return course_error_log


@pytest.fixture(scope="session")
def saved_work_dir(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("coopdata")


@pytest.fixture(autouse=True)
def isolated_saved_work(saved_work_dir, monkeypatch: pytest.MonkeyPatch):
    from coopcourse import saving

    monkeypatch.setenv("COOPCOURSE_DATA_DIR", str(saved_work_dir))
    monkeypatch.delenv("COOPCOURSE_PROFILE", raising=False)  # pages start with no country's law
    # Charts are drawn, not taken from drawings an earlier test kept (tests/components/test_lazy_widgets.py
    # turns the kept drawings on).
    monkeypatch.setenv("COOPCOURSE_CHART_CACHE", "off")
    saving.start_new_session()
    yield


# What betrays a Python error leaking to a learner.
PYTHON_JARGON = re.compile(
    r"(?i:float|nonetype|traceback|invalid literal|could not convert|\bnan\b|\binf\b)"
    r"|\w+Error\b|\w+Exception\b|\bNone\b|\bint\(|\bstr\(|__|<class|line \d+"
)


def check_learner_message(message: str) -> None:
    """A message for a learner: not empty, no Python jargon, no unfilled placeholders."""
    assert isinstance(message, str) and message.strip(), f"empty message: {message!r}"
    found = PYTHON_JARGON.search(message)
    assert found is None, f"{found.group(0)!r} in learner message: {message!r}"
    assert "{" not in message and "}" not in message, f"unfilled placeholder: {message!r}"


@pytest.fixture
def learner_message():
    """``learner_message(text)`` asserts ``text`` is a clear message for a learner."""
    return check_learner_message
