"""Period arithmetic, checked day by day against sets of days: ``timeutil.Period`` (subtraction,
overlap, adjoining, containment) and the curated-over-derived merge of parents
(``records.merge._merge_parents``).

Over a bounded window of days, the parts ``Period.minus`` returns must cover exactly the days of
the period outside every cut, be sorted, disjoint and non-adjacent, each a non-empty period.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from govkg.records.merge import _merge_parents
from govkg.records.model import ParentSpan
from govkg.timeutil import Period

ORIGIN = dt.date(2020, 1, 1)
HORIZON = 60  # days in the window; an open end reaches past it


def _day(n: int) -> str:
    return (ORIGIN + dt.timedelta(days=n)).isoformat()


def _n(day: str | dt.date) -> int:
    return (dt.date.fromisoformat(day) if isinstance(day, str) else day).toordinal() - ORIGIN.toordinal()


@st.composite
def periods(draw) -> Period:
    start = draw(st.integers(0, HORIZON - 1))
    end = draw(st.one_of(st.none(), st.integers(start, HORIZON - 1)))
    return Period.of(_day(start), None if end is None else _day(end))


def _days(period: Period) -> set[int]:
    return set(range(_n(period.start), HORIZON * 2 if period.end is None else _n(period.end) + 1))


@given(periods(), st.lists(periods(), max_size=5))
def test_minus_keeps_exactly_the_days_outside_the_cuts(period, cuts):
    parts = period.minus(cuts)
    expected = _days(period) - set().union(*map(_days, cuts))
    got = [_days(p) for p in parts]
    assert set().union(*got) == expected
    assert all(got) and sum(map(len, got)) == len(expected)  # non-empty and disjoint
    for before, after in zip(parts, parts[1:]):
        assert before.end is not None and _n(after.start) > _n(before.end) + 1  # sorted, with a cut day between


def test_minus_examples():
    assert Period.of("2020-01-01").minus([]) == [Period.of("2020-01-01")]
    assert Period.of("2020-01-01", "2020-01-31").minus([Period.of("2020-01-10", "2020-01-12")]) == [
        Period.of("2020-01-01", "2020-01-09"), Period.of("2020-01-13", "2020-01-31")]
    assert Period.of("2020-01-01").minus([Period.of("2020-01-05")]) == [Period.of("2020-01-01", "2020-01-04")]
    assert Period.of("2020-01-05", "2020-01-06").minus([Period.of("2020-01-01", "2020-01-31")]) == []


@given(periods(), periods(), st.integers(0, HORIZON * 2 - 1))
def test_overlap_adjoining_containment_agree_with_the_days(a, b, n):
    days_a, days_b = _days(a), _days(b)
    assert a.overlaps(b) == bool(days_a & days_b) == b.overlaps(a)
    assert a.touches(b) == bool(days_a & (days_b | {d + 1 for d in days_b} | {d - 1 for d in days_b}))
    assert a.within(b) == (days_a <= days_b)
    assert ((ORIGIN + dt.timedelta(days=n)) in a) == (n in days_a)


def test_a_period_never_ends_before_it_starts():
    try:
        Period.of("2020-01-02", "2020-01-01")
    except ValueError as err:
        assert "ends (2020-01-01) before it starts (2020-01-02)" in str(err)
    else:
        raise AssertionError("no error")
    assert Period.before("2020-01-01", "2020-01-02") == Period.of("2020-01-01", "2020-01-01")


# --- parent merging (records.merge._merge_parents): curated spans over derived ones ---------

@st.composite
def parent_runs(draw) -> tuple[ParentSpan, ...]:
    """A unit's parents over time as records give them: consecutive spans, the last maybe open."""
    cuts = sorted(draw(st.sets(st.integers(1, HORIZON - 1), max_size=4)))
    start = draw(st.integers(0, cuts[0] - 1 if cuts else HORIZON - 1))
    bounds = [start, *cuts]
    spans = []
    for i, first in enumerate(bounds):
        last = bounds[i + 1] - 1 if i + 1 < len(bounds) else draw(st.one_of(st.none(), st.integers(first, HORIZON - 1)))
        spans.append(ParentSpan(draw(st.sampled_from("abc")), _day(first), None if last is None else _day(last)))
    return tuple(spans)


def _parent_on(spans, n: int) -> str | None:
    found = [s.parent for s in spans if _n(s.start) <= n and (s.end is None or n <= _n(s.end))]
    assert len(found) <= 1, f"two parents on day {n}: {spans}"
    return found[0] if found else None


@given(parent_runs(), parent_runs(), st.booleans())
def test_merged_parents_follow_the_curated_ones_and_never_overlap(cur, der, open_until):
    merged = _merge_parents(cur, der, None if open_until else _day(HORIZON))
    assert [s.start for s in merged] == sorted(s.start for s in merged)
    for n in range(HORIZON + 5):
        on = _parent_on(merged, n)  # at most one parent a day
        closed = [s for s in cur if s.end is not None]
        if _parent_on(closed, n) is not None:
            assert on == _parent_on(closed, n), n  # the curated record wins where it speaks
        elif _parent_on(cur, n) is None and _parent_on(der, n) is not None and open_until is False:
            assert on is not None, n  # a day the law gives a parent keeps one
    if open_until:
        assert merged[-1].end is None
