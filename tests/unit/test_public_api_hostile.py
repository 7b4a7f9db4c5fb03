"""The public API of ``coopcourse.calculations`` against hostile values.

Every public function and public dataclass of every calculations module is found with ``inspect``
(a new one is covered without touching this file) and called with arguments built from its type
hints, each one plausible or hostile: NaN, infinities, 1e400 (which reads as infinity), ints with
thousands of digits, negative numbers, text instead of numbers, an enum's text value, None, the
wrong container, rows that are not rows. Whatever happens, the only exception that may escape is
``CourseInputError`` (with a message for a learner), and every number that comes back, including
the properties of what comes back, is finite.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import pkgutil
import types
import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopcourse import calculations
from coopcourse.calculations.validation import DEFERRED_MARK
from coopcourse.errors import CourseInputError

MODULES = tuple(
    importlib.import_module(f"{calculations.__name__}.{info.name}")
    for info in pkgutil.iter_modules(calculations.__path__)
)

# Arguments that are not values from a learner or an author's content but settings the course's
# own code writes (the label and limits of a check, the class a check expects): they get a valid
# value, only the value being checked is hostile.
SETTINGS = {
    "validation": {
        "label": "Price",
        "field": "price",
        "minimum": 0.0,
        "maximum": 100.0,
        "above_minimum": False,
        "whole": False,
        "kind": int,
        "choices": calculations.feasibility.ShareRule,
        "row": False,
        # parse_number reads hostile text the Spanish way (tests/unit/test_validation.py, the English way).
        "locale": "es",
    },
}
# Public names that are not part of the API this test can call (with the reason).
EXEMPT = {
    "validation.checked": "a class decorator for the calculations' own dataclasses, not a calculation",
}
# Checks of a container's kind that hand the container back as given: what is inside is for the
# caller to check (only CourseInputError may escape them all the same).
PASS_THROUGH = {
    "validation.check_items",
    "validation.check_row",
    "validation.check_rows",
    "validation.check_mapping",
    "validation.check_kind",
}


def _public(module: types.ModuleType) -> list[tuple[str, Callable[..., Any]]]:
    found = []
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj) or (inspect.isclass(obj) and dataclasses.is_dataclass(obj)):
            short = f"{module.__name__.rsplit('.', 1)[1]}.{name}"
            if short not in EXEMPT:
                found.append((short, obj))
    return found


API = [entry for module in MODULES for entry in _public(module)]


def test_the_api_is_found() -> None:
    names = {name for name, _ in API}
    assert {
        "feasibility.analyse",
        "feasibility.FeasibilityInputs",
        "surplus.distribute",
        "statements.analyse",
        "rounding.split_cents",
        "meeting.tally",
        "conflict.walk",
    } <= names
    assert len(API) > 80


# --- values ---------------------------------------------------------------------------------------

HOSTILE_NUMBERS = [
    math.nan,
    math.inf,
    -math.inf,
    float("1e400"),
    -1.0,
    -1e12,
    -(10**4000),
    10**4000,
    1e300,
    5e-324,
    -0.0,
    2**63,
    1e13,
]
HOSTILE_OTHER = [
    None,
    "12",
    "abc",
    "",
    " ",
    True,
    False,
    [],
    (),
    {},
    {"a": 1},
    [1, 2],
    b"x",
    object(),
    Decimal("1.5"),
    Fraction(1, 3),
    1j,
    {1, 2},
    [None],
    [{"x": math.nan}],
    "simple",
    "yes",
    "equal",
    "by_use",
    "chair",
]
hostile = st.sampled_from(HOSTILE_NUMBERS + HOSTILE_OTHER)

WORDS = [
    "A",
    "Ana",
    "members",
    "board",
    "meeting",
    "monthly",
    "when_needed",
    "decision",
    "information",
    "Any other business",
    "simple",
    "two_thirds",
    "yes",
    "no",
    "partly",
    "often",
    "rarely",
    "unrated",
    "avoiding",
    "collaborating",
    "chair",
    "secretary",
    "teller",
    "ordinary_member",
    "manager",
    "paid",
    "volunteer",
    "general_assembly",
    "board_meeting",
    "start",
    "end",
    "cooperative",
    "q1",
    "o1",
]
COLUMNS = [
    "name",
    "share_capital",
    "transactions",
    "audience",
    "information",
    "channel",
    "frequency",
    "responsible",
    "title",
    "kind",
    "minutes",
    "text",
    "majority",
    "use_per_year",
    "quantity",
    "round",
    "motion",
    "for",
    "against",
    "abstain",
    "present",
    "quorum_needed",
    "before",
    "after",
    "role",
    "id",
    "nodes",
    "start",
    "setting",
    "choices",
    "next",
    "style",
    "label",
    "consequence",
    "why",
    "ending",
    "outcome",
    "lesson",
]

numbers = st.one_of(st.integers(-5, 200), st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from([0, 0.5, 1, 100]))
words = st.sampled_from(WORDS)


def _maybe_hostile(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly plausible values, often a hostile one."""
    return st.one_of(plausible, plausible, hostile)


def _json_like() -> st.SearchStrategy[Any]:
    leaves = st.one_of(numbers, words, hostile)
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(COLUMNS), inner, max_size=4)
        ),
        max_leaves=12,
    )


rows = st.lists(
    st.one_of(st.dictionaries(st.sampled_from(COLUMNS), st.one_of(numbers, words, hostile), max_size=6), hostile),
    max_size=4,
)


def _build(cls: type) -> st.SearchStrategy[Any]:
    """An instance of a dataclass from plausible (or hostile) field values; where the class refuses
    them (as it should), something hostile is passed on instead."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: _strategy(hints[f.name], depth=1) for f in dataclasses.fields(cls) if f.init}

    def make(values: dict[str, Any]) -> Any:
        try:
            return cls(**values)
        except CourseInputError:
            return None

    return st.fixed_dictionaries(fields).map(make)


def _strategy(hint: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values for a parameter or field annotated ``hint``."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if depth > 3:
        return hostile
    if hint is Any or hint is object or isinstance(hint, typing.TypeVar):
        return _json_like()
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_strategy(arm, depth) for arm in args if arm is not type(None)), st.none())
    if hint in (float, int):
        return _maybe_hostile(numbers)
    if hint is str:
        return _maybe_hostile(words)
    if hint is bool:
        return _maybe_hostile(st.booleans())
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _maybe_hostile(st.one_of(st.sampled_from(list(hint)), st.sampled_from([m.value for m in hint])))
    if origin is type:
        return st.just(args[0] if args and isinstance(args[0], type) else int)
    if origin in (tuple, list, set, Sequence, Collection) or hint in (tuple, list):
        item = args[0] if args else Any
        if origin is tuple and args and (len(args) != 2 or args[1] is not Ellipsis):
            return _maybe_hostile(st.tuples(*(_strategy(arm, depth + 1) for arm in args)))
        if item == Mapping[str, Any] or item == dict[str, object]:
            return rows
        return _maybe_hostile(
            st.one_of(
                st.lists(_strategy(item, depth + 1), max_size=4),
                st.lists(_strategy(item, depth + 1), max_size=4).map(tuple),
            )
        )
    if origin in (dict, Mapping) or hint in (dict, Mapping):
        key, value = args if len(args) == 2 else (str, Any)
        if value is Any and depth == 0:
            return _maybe_hostile(_json_like())
        keys = _strategy(key, depth + 1).filter(_hashable)
        return _maybe_hostile(st.dictionaries(keys, _strategy(value, depth + 1), max_size=4))
    if inspect.isclass(hint) and dataclasses.is_dataclass(hint):
        return _maybe_hostile(_build(hint))
    if hint in (Fraction, Decimal):
        return _maybe_hostile(numbers.map(lambda n: hint(str(n))))
    return hostile


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _arguments(name: str, target: Callable[..., Any]) -> st.SearchStrategy[dict[str, Any]]:
    settings_for = SETTINGS.get(name.split(".")[0], {})
    if inspect.isclass(target):
        hints = typing.get_type_hints(target)
        params = {f.name: hints[f.name] for f in dataclasses.fields(target) if f.init}
    else:
        hints = typing.get_type_hints(target)
        params = {p: hints.get(p, Any) for p in inspect.signature(target).parameters}
    return st.fixed_dictionaries(
        {p: st.just(settings_for[p]) if p in settings_for else _strategy(hint) for p, hint in params.items()}
    )


# --- what may come back -----------------------------------------------------------------------------


def _check_finite(value: Any, path: str, seen: set[int]) -> None:
    """Every number in ``value`` (and in the fields and properties of its records) is finite."""
    if id(value) in seen:
        return
    if isinstance(value, bool) or value is None or isinstance(value, (str, Enum)):
        return
    if isinstance(value, float):
        assert math.isfinite(value), f"{path} is {value}"
        return
    if isinstance(value, (int, Fraction, Decimal)):
        # At most the largest figure the calculations accept (1e300, itself a float): it fits a float.
        assert abs(value) <= 1e300, f"{path} is too large to show"
        return
    seen.add(id(value))
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check_finite(key, f"{path} key", seen)
            _check_finite(item, f"{path}[{key!r}]", seen)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for index, item in enumerate(value):
            _check_finite(item, f"{path}[{index}]", seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _check_finite(getattr(value, field.name), f"{path}.{field.name}", seen)
        for name, member in inspect.getmembers(type(value)):
            if isinstance(member, property) and not name.startswith("_"):
                _check_finite(getattr(value, name), f"{path}.{name}", seen)


def _call(
    name: str, target: Callable[..., Any], arguments: dict[str, Any], learner_message: Callable[[str], None]
) -> None:
    try:
        result = target(**arguments)
    except CourseInputError as error:
        assert error.field is None or isinstance(error.field, str)
        learner_message(error.message)
        return
    if inspect.isclass(target) and getattr(target, DEFERRED_MARK, False):
        return  # a table row: its numbers are checked by the calculation that reads the rows
    if name in PASS_THROUGH:
        return
    _check_finite(result, name, set())


@pytest.mark.parametrize(("name", "target"), API, ids=[name for name, _ in API])
def test_only_course_input_errors_escape_and_numbers_are_finite(
    name: str, target: Callable[..., Any], learner_message: Callable[[str], None]
) -> None:
    @settings(
        max_examples=min(settings.default.max_examples, 20),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(_arguments(name, target))
    def check(arguments: dict[str, Any]) -> None:
        _call(name, target, arguments, learner_message)

    check()


def test_an_enums_value_string_is_taken_as_the_member_and_anything_else_refused() -> None:
    from coopcourse.calculations import feasibility, governance, meeting, staffing

    assert governance.votes_needed(10, "two_thirds") == governance.votes_needed(10, governance.Majority.TWO_THIRDS)
    assert governance.motion_carried(7, 3, "three_quarters") is False
    assert meeting.has_vote("manager", "board_meeting") is meeting.has_vote(
        "manager", meeting.MeetingType.BOARD_MEETING
    )
    assert meeting.majority_label("simple") == meeting.majority_label(governance.Majority.SIMPLE)
    as_text: Any = "equal"
    case = feasibility.FeasibilityInputs(
        price=2,
        variable_cost=1,
        fixed_costs=0,
        expected_volume=1,
        market_size=0,
        investment=0,
        loans=0,
        grants=0,
        members=1,
        share_rule=as_text,
    )
    assert case.share_rule is feasibility.ShareRule.EQUAL
    paid: Any = "paid"
    assert staffing.Role("Sales", 1, 1, paid).who is staffing.Who.PAID
    unknown: Any = "shares"
    for call in (
        lambda: governance.votes_needed(10, unknown),
        lambda: meeting.has_vote("chair", unknown),
        lambda: feasibility.FeasibilityInputs(2, 1, 0, 1, 0, 0, 0, 0, 1, share_rule=unknown),
    ):
        with pytest.raises(CourseInputError):
            call()
