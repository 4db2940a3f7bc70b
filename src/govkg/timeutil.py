"""Dates and instants: the one place where govkg handles time.

Effective dates are calendar days in Korea; an instant (``prov:*AtTime``) is that day at 00:00
Korea Standard Time.

>>> instant("2020-04-28")
'2020-04-28T00:00:00+09:00'
>>> day_before("2020-03-01")
'2020-02-29'
"""

from __future__ import annotations

import datetime as dt

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
