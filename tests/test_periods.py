"""Period subtraction in the records (``load._minus``), checked day by day against sets of days.

A period is (start, end) as ISO dates, end None for an open period. Over a bounded window of
days, the parts ``_minus`` returns must cover exactly the days of the period outside every cut,
be sorted, disjoint and non-adjacent, each a non-empty period.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from govkg.load import _minus

ORIGIN = dt.date(2020, 1, 1)
HORIZON = 60  # days in the window; an open end reaches past it


def _day(n: int) -> str:
    return (ORIGIN + dt.timedelta(days=n)).isoformat()


def _n(day: str) -> int:
    return (dt.date.fromisoformat(day) - ORIGIN).days


@st.composite
def periods(draw) -> tuple[str, str | None]:
    start = draw(st.integers(0, HORIZON - 1))
    end = draw(st.one_of(st.none(), st.integers(start, HORIZON - 1)))
    return _day(start), None if end is None else _day(end)


def _days(period: tuple[str, str | None]) -> set[int]:
    start, end = period
    return set(range(_n(start), HORIZON * 2 if end is None else _n(end) + 1))


@given(periods(), st.lists(periods(), max_size=5))
def test_minus_keeps_exactly_the_days_outside_the_cuts(period, cuts):
    parts = _minus(*period, cuts)
    expected = _days(period) - set().union(*map(_days, cuts))
    got = [_days(p) for p in parts]
    assert set().union(*got) == expected
    assert all(got) and sum(map(len, got)) == len(expected)  # non-empty and disjoint
    for (_, end), (start, _) in zip(parts, parts[1:]):
        assert end is not None and _n(start) > _n(end) + 1  # sorted, with a cut day between
    assert all(end is None or start <= end for start, end in parts)


def test_minus_examples():
    assert _minus("2020-01-01", None, []) == [("2020-01-01", None)]
    assert _minus("2020-01-01", "2020-01-31", [("2020-01-10", "2020-01-12")]) == [
        ("2020-01-01", "2020-01-09"), ("2020-01-13", "2020-01-31")]
    assert _minus("2020-01-01", None, [("2020-01-05", None)]) == [("2020-01-01", "2020-01-04")]
    assert _minus("2020-01-05", "2020-01-06", [("2020-01-01", "2020-01-31")]) == []
