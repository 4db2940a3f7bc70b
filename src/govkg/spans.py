"""Histories that read at a glance: runs of intervals with the same value merged into spans, and a
duty's citations grouped by provision with the range of law versions that state it.

Pure functions over plain values; the pages feed them what the snapshot graphs and the sources say.
Intervals are half-open, ``[start, end)``, days as ``YYYY-MM-DD``; ``end`` None means still open.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class Span(Generic[T]):
    value: T
    start: str
    end: str | None      # exclusive; None: open
    intervals: int = 1   # how many intervals it merges


def merge(intervals: Iterable[tuple[str, str | None, T]]) -> list[Span[T]]:
    """Merges intervals that follow one another (or overlap) and carry the same value, in order of
    their start. A gap between two intervals keeps them apart, even with the same value.

    >>> [(s.value, s.start, s.end, s.intervals) for s in merge([("2020-01-01", "2020-04-28", "A"),
    ...     ("2020-04-28", "2020-08-05", "A"), ("2020-08-05", None, "B")])]
    [('A', '2020-01-01', '2020-08-05', 2), ('B', '2020-08-05', None, 1)]
    """
    out: list[Span[T]] = []
    for start, end, value in sorted(intervals, key=lambda i: (i[0], i[1] is None, i[1] or "")):
        last = out[-1] if out else None
        if last is not None and last.value == value and (last.end is None or start <= last.end):
            wider = None if last.end is None or end is None else max(last.end, end)
            out[-1] = Span(value, last.start, wider, last.intervals + 1)
        else:
            out.append(Span(value, start, end))
    return out


@dataclass(frozen=True)
class Citation:
    provision: Hashable   # what stays the same across versions: (law, article, paragraph, item)
    version: str          # the law version, e.g. "행정안전부령 제179호"
    issued: str           # its date, YYYY-MM-DD
    source: str           # the provision's IRI


@dataclass(frozen=True)
class CitationGroup:
    provision: Hashable
    first: Citation
    last: Citation
    count: int
    citations: tuple[Citation, ...]


def group_citations(citations: Iterable[Citation]) -> list[CitationGroup]:
    """One group per provision, its citations ordered by date (first–last and how many), the
    groups in the order the provisions were first cited.

    >>> groups = group_citations([Citation(("rule", "10", 4, "3"), "제179호", "2020-04-28", "a"),
    ...                           Citation(("rule", "10", 4, "3"), "제150호", "2019-12-31", "b"),
    ...                           Citation(("decree", "12", 3, "1"), "제30636호", "2020-04-28", "c")])
    >>> [(g.first.version, g.last.version, g.count) for g in groups]
    [('제150호', '제179호', 2), ('제30636호', '제30636호', 1)]
    """
    by_provision: dict[Hashable, list[Citation]] = {}
    for c in citations:
        by_provision.setdefault(c.provision, []).append(c)
    groups = []
    for provision, cited in by_provision.items():
        cited = sorted(set(cited), key=lambda c: (c.issued, c.version, c.source))
        groups.append(CitationGroup(provision, cited[0], cited[-1], len(cited), tuple(cited)))
    return sorted(groups, key=lambda g: (g.first.issued, g.first.version, g.first.source))
