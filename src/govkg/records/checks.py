"""Cross-reference checks: every unit, parent, programme and source named anywhere exists, no
parents form a cycle, and replaced keys and retired events lead to live ones."""

from __future__ import annotations

from ..errors import brief
from ..timeutil import Period, parse_date
from . import government
from .model import Org, Records, RetiredEvent, SourceRef, Where


def _parent_on(org: Org, day: str) -> str | None:
    return next((span.parent for span in org.parents if day in span.period), None)


def _fits(start: str, end: str | None, life: Period) -> bool:
    """Whether a duty block from ``start`` to ``end`` (None: open) stays in ``life``: it starts no
    earlier and ends in it (a block that adds a source, not a period, ends the day before it starts)."""
    return life.start <= parse_date(start) and (life.end is None or (end is not None and parse_date(end) <= life.end))


def _check_parent_cycles(records: Records) -> None:
    """No unit is (through its parents on some day) its own ancestor: the cycle is named with the
    file and line of each of its members."""
    for org in records.orgs.values():
        for day in sorted({span.start for span in org.parents}):
            chain, key = [org.key], _parent_on(org, day)
            while key is not None and key in records.orgs:
                if key in chain:
                    cycle = chain[chain.index(key):]
                    members = [f"{k} ({records.orgs[k].where.path}:{records.orgs[k].where.line})" for k in cycle[:8]]
                    more = f" and {len(cycle) - 8} more" if len(cycle) > 8 else ""
                    first = records.orgs[cycle[0]]
                    raise first.where.error("parent", f"the parents form a cycle on {day}: "
                                            + " → ".join(members) + f" → {cycle[0]}{more}",
                                            "one of these units must sit under another parent")
                chain.append(key)
                key = _parent_on(records.orgs[key], day)


class Successors:
    """Where replaced keys and retired event IRIs lead now, with the lookups made once (a build
    follows hundreds of them through thousands of events)."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self._by = {r.key: r.by for r in records.replaced}
        self._retired = {(r.date, r.key): r for r in records.retired_events}
        self._live = {(e.date, e.key) for e in records.events}

    def key(self, key: str, where: Where | None = None) -> str:
        """The key that now carries what a replaced key named (replacements followed to the end)."""
        seen = {key}
        while key in self._by:
            key = self._by[key]
            if key in seen:
                raise (where or Where("?", None)).error("replaced_by", f"replacements of {key!r} go round in a circle")
            seen.add(key)
        if key not in self.records.orgs:
            raise (where or Where("?", None)).error("replaced_by", f"unknown unit or body {key!r}",
                                                    "a key is replaced by the key of a unit or body in the data")
        return key

    def event(self, retired: RetiredEvent) -> tuple[str, str]:
        """The event that now states what a replaced event IRI stated (replacements followed to a
        live event, or to a withdrawn one)."""
        here, seen = retired, set()
        while here.by is not None:
            if here.by in self._live:
                return here.by
            if here.by in seen or here.by not in self._retired:
                problem = "go round in a circle" if here.by in seen else "end at an event that is nowhere"
                raise retired.where.error("replaced_by", f"the replacements of {'/'.join((retired.date, retired.key))} "
                                          f"{problem}", "name an event of the data, or a retired one")
            seen.add(here.by)
            here = self._retired[here.by]
        return here.date, here.key


def check_references(records: Records) -> None:
    """Every unit, parent, programme and source named anywhere must exist."""
    def org(key: str, where: Where, field: str) -> Org:
        if key not in records.orgs:
            raise where.error(field, f"unknown unit or body {brief(key)}", "use a key defined under `bodies:` or `units:`")
        return records.orgs[key]

    def sources(refs: tuple[SourceRef, ...], where: Where, field: str = "sources") -> None:
        for ref in refs:
            kind = records.source_kind(ref.ref)
            if kind is None:
                raise where.error(field, f"unknown source {brief(ref.ref)}", "define it in a `laws`, `news` or `web` section")
            if kind != "law" and (ref.article or ref.paragraph or ref.item):
                raise where.error(field, f"{brief(ref.ref)} is not a law: it has no articles")

    for version in records.laws.values():
        if version.publisher:
            org(version.publisher, version.where, "publisher")
    for page in records.web.values():
        if page.publisher:
            org(page.publisher, page.where, "publisher")
    for o in records.orgs.values():
        sources(o.sources, o.where)
        if o.en_source and records.source_kind(o.en_source) is None:
            raise o.where.error("name.en_source", f"unknown source {brief(o.en_source)}")
        if o.code_source and records.source_kind(o.code_source) is None:
            raise o.where.error("code.source", f"unknown source {brief(o.code_source)}")
        if o.body:
            if not org(o.body, o.where, "body").is_body:
                raise o.where.error("body", f"{brief(o.body)} is not a government body")
        for span in o.parents:
            parent = org(span.parent, o.where, "parent")
            if parent.key == o.key:
                raise o.where.error("parent", "a unit cannot be its own parent")
        if not o.is_body and not o.parents:
            raise o.where.error("parent", "missing in unit", "name the unit it sits under")
    _check_parent_cycles(records)
    for block in records.duties:
        holder = org(block.holder, block.where, "holder")
        sources((block.source,), block.where, "source")
        if not _fits(block.attested_from, block.attested_until, holder.attested):
            raise block.where.error("attested", f"the duties are attested outside the life of {holder.key}",
                                    "make the duty block's period fit the unit's `attested` period")
    for record in records.duty_history:
        holder = org(record.holder, record.where, "holder")
        sources(record.sources, record.where)
        if not record.attested.within(holder.attested):
            raise record.where.error("attested", f"the duty is attested outside the life of {holder.key}",
                                     "make the duty's period fit the unit's `attested` period")
    successors = Successors(records)
    for old in records.replaced:
        if old.key in records.orgs:
            raise old.where.error("key", f"{old.key!r} is replaced, yet a unit or body still has that key",
                                  "a replaced key is never given again: rerun the import")
        successors.key(old.key, old.where)
    for gone in records.withdrawn_keys:
        if gone.key in records.orgs:
            raise gone.where.error("key", f"{gone.key!r} is withdrawn, yet a unit or body still has that key",
                                   "a withdrawn key is live again only when the import makes its unit again: rerun the import")
    live = {(e.date, e.key) for e in records.events}
    known = live | {(r.date, r.key) for r in records.retired_events}
    for old in records.retired_events:
        if (old.date, old.key) in live:
            raise old.where.error("event", f"{old.date}/{old.key} is retired, yet an event still has that date and key",
                                  "a retired event IRI is never given again: rerun the import")
        successors.event(old)
        for day, key in old.related:
            if (day, key) not in known:
                raise old.where.error("related", f"{day}/{key} is no event of the data",
                                      "name events of the data, or leave `related` out")
    keys = set()
    for event in records.events:
        if event.key in keys:
            raise event.where.error("key", f"event key {brief(event.key)} used twice")
        keys.add(event.key)
        for key in event.original + event.resulting:
            org(key, event.where, "from/to")
        for key in filter(None, (event.from_parent, event.to_parent)):
            org(key, event.where, "from_parent/to_parent")
        for ref in event.framework:
            if ref not in records.laws:
                raise event.where.error("framework", f"unknown law version {brief(ref)}", "list law version refs")
        sources(event.sources, event.where)
    for resp in records.responsibilities:
        if resp.programme not in records.programmes:
            raise resp.where.error("programme", f"unknown programme {brief(resp.programme)}")
        for key in resp.units:
            org(key, resp.where, "units")
        sources(resp.sources, resp.where)
    for prog in records.programmes.values():
        sources(prog.sources, prog.where)
    for grouping in records.groupings:
        for key in (grouping.head, *grouping.members):
            org(key, grouping.where, "head/members")
        sources(grouping.sources, grouping.where)
    for placement in records.placements:
        sources(placement.sources, placement.where)
    government.check(records)
