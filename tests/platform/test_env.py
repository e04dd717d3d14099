"""The typed environment readers of stride.env."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from stride.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "On", " on "])
def test_it_reads_true_booleans(value: str) -> None:
    assert env_bool("X", False, environ={"X": value}) is True


@pytest.mark.parametrize("value", ["0", "false", "False", "no", "OFF"])
def test_it_reads_false_booleans(value: str) -> None:
    assert env_bool("X", True, environ={"X": value}) is False


@pytest.mark.parametrize("environ", [{}, {"X": ""}, {"X": "  "}])
def test_it_gives_the_boolean_default_when_unset_or_empty(environ: dict[str, str]) -> None:
    assert env_bool("X", True, environ=environ) is True
    assert env_bool("X", False, environ=environ) is False


def test_it_refuses_an_unreadable_boolean_naming_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"STRIDE_DEBUG='maybe' is not a boolean"):
        env_bool("STRIDE_DEBUG", False, environ={"STRIDE_DEBUG": "maybe"})


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_it_reads_any_integer(number: int) -> None:
    assert env_int("N", 7, environ={"N": f" {number} "}) == number


@pytest.mark.parametrize("value", ["1.5", "ten", "0x10", "1e3"])
def test_it_refuses_a_non_integer_naming_the_variable(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"^N=.* is not an integer"):
        env_int("N", 7, environ={"N": value})


def test_it_enforces_integer_bounds() -> None:
    assert env_int("N", 7, environ={}) == 7
    assert env_int("N", 7, minimum=1, maximum=10, environ={"N": "10"}) == 10
    with pytest.raises(ImproperlyConfigured, match="N=0 is below the minimum 1"):
        env_int("N", 7, minimum=1, environ={"N": "0"})
    with pytest.raises(ImproperlyConfigured, match="N=11 is above the maximum 10"):
        env_int("N", 7, maximum=10, environ={"N": "11"})


def test_it_reads_lists() -> None:
    assert env_list("L", ["a"], environ={}) == ["a"]
    assert env_list("L", ["a"], environ={"L": ""}) == []
    assert env_list("L", environ={"L": " x.example , ,y.example,"}) == ["x.example", "y.example"]
    assert env_list("L", separator=" ", environ={"L": "a  b"}) == ["a", "b"]


@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz.-0123456789", min_size=1), max_size=8))
def test_it_round_trips_lists(items: list[str]) -> None:
    assert env_list("L", environ={"L": ",".join(items)}) == items


def test_it_reads_strings() -> None:
    assert env_str("S", "d", environ={}) == "d"
    assert env_str("S", "d", environ={"S": "  v  "}) == "v"
    assert env_str("S", "d", environ={"S": ""}) == ""
