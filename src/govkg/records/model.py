"""The record types: every record keeps where it was written (file, line), so that later stages
can point curators at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import InputError
from ..timeutil import Period


@dataclass(frozen=True)
class Where:
    path: Path
    line: int

    def error(self, field: str | None, problem: str, hint: str | None = None) -> InputError:
        return InputError(self.path, self.line, field, problem, hint)


@dataclass(frozen=True)
class SourceRef:
    """A citation: a source's ref, optionally narrowed to article, paragraph and item."""

    ref: str
    article: str | None = None
    paragraph: int | None = None
    item: str | None = None

    def with_item(self, item: str) -> SourceRef:
        return SourceRef(self.ref, self.article, self.paragraph, item)


@dataclass(frozen=True)
class LawVersion:
    ref: str
    law_id: str
    title: str
    kind: str
    number: str
    promulgated: str
    effective: str
    publisher: str | None
    url: str | None
    where: Where
    later_effective: tuple[str, ...] = ()  # days its own 부칙 puts some of its provisions into effect


@dataclass(frozen=True)
class News:
    ref: str
    title: str
    issued: str
    publisher: str | None
    url: str | None
    where: Where


@dataclass(frozen=True)
class WebSource:
    ref: str
    title: str
    publisher: str | None
    url: str | None
    where: Where


class Attested:
    """A record attested from ``attested_from`` to ``attested_until`` (ISO days; None: still)."""

    attested_from: str
    attested_until: str | None

    @cached_property
    def attested(self) -> Period:
        return Period.of(self.attested_from, self.attested_until)


@dataclass(frozen=True)
class ParentSpan:
    parent: str
    start: str
    end: str | None  # last day, inclusive

    @cached_property
    def period(self) -> Period:
        return Period.of(self.start, self.end)


@dataclass(frozen=True)
class Org(Attested):
    key: str
    rank: str
    is_body: bool
    name_ko: str
    name_en: str | None
    en_source: str | None
    alt_en: str | None
    code: str | None
    code_source: str | None
    body: str | None
    parents: tuple[ParentSpan, ...]
    attested_from: str
    attested_until: str | None
    began: str | None
    ended: str | None
    snapshots: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    where: Where


@dataclass(frozen=True)
class DutyBlock:
    """Numbered duty items of one holder, citing one article and paragraph, over a period. A block
    the duty-history expansion makes to add a source, not a period, ends the day before it starts."""

    holder: str
    source: SourceRef
    attested_from: str
    attested_until: str | None
    items: tuple[tuple[str, str], ...]
    where: Where


@dataclass(frozen=True)
class DutyRecord(Attested):
    """One duty (holder and text) over its attested period, citing an item of each law version
    it draws on: the compact form of many duty blocks (section ``duty_history``)."""

    holder: str
    text: str
    attested_from: str
    attested_until: str | None
    sources: tuple[SourceRef, ...]
    where: Where


@dataclass(frozen=True)
class Event:
    key: str
    type: str
    date: str
    original: tuple[str, ...]
    resulting: tuple[str, ...]
    from_parent: str | None
    to_parent: str | None
    status: str
    framework: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    note: str | None
    where: Where


@dataclass(frozen=True)
class Programme:
    key: str
    name_ko: str
    service: bool
    sources: tuple[SourceRef, ...]
    where: Where


@dataclass(frozen=True)
class Responsibility(Attested):
    programme: str
    units: tuple[str, ...]
    status: str
    attested_from: str
    attested_until: str | None
    sources: tuple[SourceRef, ...]
    note: str | None
    where: Where


@dataclass(frozen=True)
class Grouping:
    key: str
    head: str
    members: tuple[str, ...]
    date: str
    status: str
    sources: tuple[SourceRef, ...]
    where: Where


@dataclass(frozen=True)
class Replaced(Attested):
    """A key once published for a unit that another key now carries (section ``keys``)."""

    key: str
    by: str
    attested_from: str
    attested_until: str | None
    where: Where


@dataclass(frozen=True)
class WithdrawnKey:
    """A key once published for what was a misreading, which no unit carries now (section ``keys``)."""

    key: str
    reason: str
    where: Where


@dataclass(frozen=True)
class RetiredEvent:
    """An event IRI once published that the data no longer describes (section ``retired_events``):
    ``by`` is the event (``<date>/<key>``) that now states the same change, or None when no event
    does and ``reason`` says why it was withdrawn."""

    date: str
    key: str
    by: tuple[str, str] | None
    reason: str | None
    related: tuple[tuple[str, str], ...]
    where: Where


@dataclass(frozen=True)
class Placement:
    """Where the Government Organization Act puts a body over a period: under a head or a ministry
    (``under``), or set up by another law (``law``); section ``government`` (records.government)."""

    body: str
    under: str | None
    law: str | None
    start: str
    until: str | None   # last day, inclusive; None while in force
    sources: tuple[SourceRef, ...]
    where: Where


@dataclass
class Records:
    """The records of a data folder (curated, derived, or the two merged), each checked on its own."""

    laws: dict[str, LawVersion] = field(default_factory=dict)
    news: dict[str, News] = field(default_factory=dict)
    web: dict[str, WebSource] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)
    duties: list[DutyBlock] = field(default_factory=list)
    duty_history: list[DutyRecord] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    programmes: dict[str, Programme] = field(default_factory=dict)
    responsibilities: list[Responsibility] = field(default_factory=list)
    groupings: list[Grouping] = field(default_factory=list)
    replaced: list[Replaced] = field(default_factory=list)
    withdrawn_keys: list[WithdrawnKey] = field(default_factory=list)
    retired_events: list[RetiredEvent] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    # the Government Organization Act's top of the tree (section `government`, records.government)
    placements: list[Placement] = field(default_factory=list)
    national_snapshots: tuple[str, ...] = ()
    act_bodies: dict[str, Org] = field(default_factory=dict)

    def source_kind(self, ref: str) -> str | None:
        return ("law" if ref in self.laws else "news" if ref in self.news
                else "web" if ref in self.web else None)
