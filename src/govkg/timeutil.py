"""Dates, periods and instants: the one place where govkg handles time.

Effective dates are calendar days in Korea; an instant (``prov:*AtTime``) is that day at 00:00
Korea Standard Time. A ``Period`` is a run of days, both ends included, its end ``None`` while it
lasts; records write their dates as ISO text (``attested: {from, until}``) and ``Period.of`` reads
them.

>>> instant("2020-04-28")
'2020-04-28T00:00:00+09:00'
>>> day_before("2020-03-01")
'2020-02-29'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import brief

KST = "+09:00"


def parse_date(value: object) -> dt.date:
    """A date from YAML (already a date) or ISO text; raises ValueError otherwise."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date, got a date and time: {brief(value)}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise ValueError(f"expected a date (YYYY-MM-DD), got {brief(value)}")


def iso(day: dt.date | str) -> str:
    return parse_date(day).isoformat()


def instant(day: dt.date | str) -> str:
    return f"{iso(day)}T00:00:00{KST}"


def day_before(day: dt.date | str) -> str:
    return (parse_date(day) - dt.timedelta(days=1)).isoformat()


def day_after(day: dt.date | str) -> str:
    return (parse_date(day) + dt.timedelta(days=1)).isoformat()


def covers(start: str, end: str | None, day: str) -> bool:
    """Whether ``day`` lies from ``start`` to ``end`` (included; None: open), all ISO days as the
    records write them, whose text sorts as the days do: ``day in Period.of(start, end)`` without
    parsing, for the transform's hot loops.

    >>> covers("2020-01-01", "2020-01-31", "2020-01-31"), covers("2020-01-01", None, "2019-12-31")
    (True, False)
    """
    return start <= day and (end is None or day <= end)


def parse_instant(value: object) -> str:
    """An ISO date-time with an explicit offset (news publication times)."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        moment = dt.datetime.fromisoformat(value)
    else:
        raise ValueError(f"expected a date and time with offset, got {brief(value)}")
    if moment.tzinfo is None:
        raise ValueError(f"date and time {brief(value)} has no UTC offset (write e.g. +09:00)")
    return moment.isoformat()


_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """The days from ``start`` to ``end``, both included; ``end`` None: open (it still lasts).

    >>> january = Period.of("2020-01-01", "2020-01-31")
    >>> "2020-01-31" in january, "2020-02-01" in january
    (True, False)
    >>> january.overlaps(Period.of("2020-01-31")), january.touches(Period.of("2020-02-01"))
    (True, True)
    >>> Period.of("2020-01-10", "2020-01-12").within(january), january.within(Period.of("2020-01-02"))
    (True, False)
    >>> [str(p) for p in january.minus([Period.of("2020-01-10", "2020-01-12"), Period.of("2020-01-30")])]
    ['2020-01-01/2020-01-09', '2020-01-13/2020-01-29']
    """

    start: dt.date
    end: dt.date | None = None

    def __post_init__(self):
        if self.end is not None and self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def of(cls, start: dt.date | str, end: dt.date | str | None = None) -> Period:
        """The period from ``start`` to ``end`` (included; None: open), given as dates or ISO text."""
        return cls(parse_date(start), None if end is None else parse_date(end))

    @classmethod
    def before(cls, start: dt.date | str, next_start: dt.date | str | None) -> Period:
        """The days from ``start`` up to the day before ``next_start`` (None: open).

        >>> str(Period.before("2020-01-01", "2020-03-01"))
        '2020-01-01/2020-02-29'
        """
        return cls(parse_date(start), None if next_start is None else parse_date(next_start) - _DAY)

    def iso(self) -> tuple[str, str | None]:
        """Start and end as ISO text, the form records write them in."""
        return self.start.isoformat(), None if self.end is None else self.end.isoformat()

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{'' if self.end is None else self.end.isoformat()}"

    def __contains__(self, day: dt.date | str) -> bool:
        day = parse_date(day)
        return self.start <= day and (self.end is None or day <= self.end)

    def within(self, other: Period) -> bool:
        """Whether every day of this period is a day of ``other``."""
        return other.start <= self.start and (other.end is None or (self.end is not None and self.end <= other.end))

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share a day."""
        return (self.end is None or other.start <= self.end) and (other.end is None or self.start <= other.end)

    def touches(self, other: Period) -> bool:
        """Whether the two periods share a day or one begins the day after the other ends."""
        return (self.end is None or other.start <= self.end + _DAY) and (
            other.end is None or self.start <= other.end + _DAY)

    def minus(self, cuts: Iterable[Period]) -> list[Period]:
        """The parts of this period outside every cut, in order: disjoint, none adjoining another."""
        out, start = [], self.start
        for cut in sorted(cuts, key=lambda c: (c.start, c.end is None, c.end)):  # open ends last
            if self.end is not None and cut.start > self.end:
                break
            if cut.end is not None and cut.end < start:
                continue
            if cut.start > start:
                out.append(Period(start, cut.start - _DAY))
            if cut.end is None:
                return out
            start = cut.end + _DAY
            if self.end is not None and start > self.end:
                return out
        out.append(Period(start, self.end))
        return out


def latest_end(ends: Iterable[dt.date | str | None]) -> str | None:
    """The latest of some periods' ends as ISO text: None (open) if one is open or there are none.

    >>> latest_end(["2020-01-31", "2020-03-01"]), latest_end(["2020-01-31", None]), latest_end([])
    ('2020-03-01', None, None)
    """
    days = [None if end is None else parse_date(end) for end in ends]
    return None if not days or None in days else max(days).isoformat()
