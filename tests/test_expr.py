"""Constraint expressions: grammar, precedence, vectorised evaluation, pointed errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealcraft.model.expr import ExprError, parse

OPTIONS = {
    "sanctions": ["none", "humanitarian", "partial", "full"],
    "yongbyon": ["keep", "freeze", "dismantle"],
    "end-of-war": ["no", "declaration"],
}


def truth(text: str) -> dict[tuple[int, ...], bool]:
    e = parse(text, OPTIONS)
    return {p: e.holds(p) for p in itertools.product(range(4), range(3), range(2))}


def test_comparisons_follow_option_order():
    e = parse("sanctions >= partial", OPTIONS)
    assert [e.holds((k, 0, 0)) for k in range(4)] == [False, False, True, True]
    e = parse("sanctions < humanitarian", OPTIONS)
    assert [e.holds((k, 0, 0)) for k in range(4)] == [True, False, False, False]
    e = parse("yongbyon in {keep, dismantle}", OPTIONS)
    assert [e.holds((0, k, 0)) for k in range(3)] == [True, False, True]


def test_implication_is_lowest_and_right_associative():
    got = truth("yongbyon == dismantle -> sanctions >= partial or end-of-war == declaration")
    for (s, y, w), value in got.items():
        assert value == ((y != 2) or (s >= 2 or w == 1))
    a = truth("sanctions == full -> yongbyon == keep -> end-of-war == no")
    for (s, y, w), value in a.items():
        assert value == ((s != 3) or ((y != 0) or (w == 0)))


def test_and_binds_tighter_than_or_and_not_tightest():
    got = truth("not sanctions == none and yongbyon == keep or end-of-war == declaration")
    for (s, y, w), value in got.items():
        assert value == ((s != 0 and y == 0) or w == 1)
    got = truth("not (sanctions == none or yongbyon == keep)")
    for (s, y, _), value in got.items():
        assert value == (not (s == 0 or y == 0))


@given(st.lists(st.integers(0, 3), min_size=5, max_size=50))
def test_vectorised_evaluation_equals_one_by_one(column):
    e = parse("sanctions >= partial -> yongbyon != keep", OPTIONS)
    digits = [np.array(column), np.zeros(len(column), dtype=int), np.zeros(len(column), dtype=int)]
    vector = e.evaluate(digits)
    assert list(vector) == [e.holds((c, 0, 0)) for c in column]


@pytest.mark.parametrize(
    ("text", "needle", "position"),
    [
        ("sanction == full", "unknown issue 'sanction'", 0),
        ("sanctions == total", "unknown option 'total' of issue 'sanctions'", 13),
        ("sanctions full", "expected a comparison", 10),
        ("sanctions == full and", "expected an issue id", 21),
        ("(sanctions == full", "expected ')'", 18),
        ("sanctions in {none, total}", "unknown option 'total'", 20),
        ("sanctions == full $", "unexpected character '$'", 18),
        ("", "empty expression", 0),
        ("sanctions == full yongbyon", "expected 'and', 'or', '->'", 18),
    ],
)
def test_errors_point_into_the_expression(text, needle, position):
    with pytest.raises(ExprError) as info:
        parse(text, OPTIONS)
    assert needle in str(info.value)
    assert info.value.position == position
    assert text in str(info.value) and "^" in str(info.value)
