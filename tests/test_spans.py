"""Merging of intervals into spans and grouping of citations by provision (govkg.spans)."""

from __future__ import annotations

import pytest

from govkg.spans import Citation, group_citations, merge


@pytest.mark.parametrize("intervals, expected", [
    ([], []),
    # consecutive intervals with the same value become one span
    ([("2017-07-26", "2018-01-01", "A"), ("2018-01-01", "2020-04-28", "A"), ("2020-04-28", None, "A")],
     [("A", "2017-07-26", None, 3)]),
    # a change of value starts a new span; the same value again later is a span of its own
    ([("2017-07-26", "2020-04-28", "A"), ("2020-04-28", "2023-09-04", "B"), ("2023-09-04", None, "A")],
     [("A", "2017-07-26", "2020-04-28", 1), ("B", "2020-04-28", "2023-09-04", 1), ("A", "2023-09-04", None, 1)]),
    # a gap keeps equal values apart
    ([("2010-01-01", "2011-01-01", "A"), ("2012-01-01", "2013-01-01", "A")],
     [("A", "2010-01-01", "2011-01-01", 1), ("A", "2012-01-01", "2013-01-01", 1)]),
    # overlapping intervals of one value merge, whatever order they come in
    ([("2012-01-01", "2014-01-01", "A"), ("2010-01-01", "2013-01-01", "A")], [("A", "2010-01-01", "2014-01-01", 2)]),
    # an open interval swallows what follows with the same value
    ([("2010-01-01", None, "A"), ("2012-01-01", "2013-01-01", "A")], [("A", "2010-01-01", None, 2)]),
    # values may be any hashable: a parent chain as a tuple
    ([("2020-01-01", "2020-04-28", ("body", "전자정부국")), ("2020-04-28", "2020-08-05", ("body", "전자정부국")),
      ("2020-08-05", None, ("body", "디지털정부국"))],
     [(("body", "전자정부국"), "2020-01-01", "2020-08-05", 2), (("body", "디지털정부국"), "2020-08-05", None, 1)]),
])
def test_merge(intervals, expected):
    assert [(s.value, s.start, s.end, s.intervals) for s in merge(intervals)] == expected


def test_merge_keeps_every_day_once():
    """Merging loses no day and covers none twice: the spans tile what the intervals tiled."""
    days = ["2020-01-0" + str(i) for i in range(1, 10)]
    values = "AABBBABCC"
    intervals = [(days[i], days[i + 1] if i + 1 < len(days) else None, v) for i, v in enumerate(values)]
    spans = merge(intervals)
    assert [s.value for s in spans] == ["A", "B", "A", "B", "C"]
    assert [s.start for s in spans][1:] == [s.end for s in spans][:-1]
    assert sum(s.intervals for s in spans) == len(intervals)


def test_citations_grouped_by_provision_with_first_last_and_count():
    rule = ("012925", "10", 4, "3")
    decree = ("012911", "12", 3, "1")
    cites = [Citation(rule, f"행정안전부령 제{n}호", day, f"rule/{n}/art10/par4/item3")
             for n, day in ((179, "2020-04-28"), (150, "2019-12-31"), (190, "2020-08-05"))]
    cites += [Citation(decree, "대통령령 제30636호", "2020-04-28", "decree/30636/art12/par3/item1")]
    cites += [cites[0]]  # the same citation twice counts once
    groups = group_citations(cites)
    assert [(g.provision, g.first.version, g.last.version, g.count) for g in groups] == [
        (rule, "행정안전부령 제150호", "행정안전부령 제190호", 3),
        (decree, "대통령령 제30636호", "대통령령 제30636호", 1)]
    assert [c.issued for c in groups[0].citations] == ["2019-12-31", "2020-04-28", "2020-08-05"]


def test_no_citations():
    assert group_citations([]) == []
