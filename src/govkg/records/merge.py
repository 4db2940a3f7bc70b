"""Curated records over derived ones (docs/curating.md, "Curated and derived records")."""

from __future__ import annotations

from dataclasses import replace

from .. import timeutil
from ..errors import brief
from .model import DutyBlock, Event, Org, ParentSpan, Records


def merge(curated: Records, derived: Records) -> Records:
    """Records and derived records together; where both have a record with the same key, the
    curated one wins (docs/curating.md, "Records and derived records"):

    * a law version (by ref) must describe the same version in both; the curated record is kept;
    * a body or unit (by key): curated fields override derived ones; sources and snapshots are the
      union (a curated snapshot date is kept only where the merged events change the body, or
      before the derived ones begin); the attested period starts at the earlier ``from`` and ends
      at the curated ``until`` if the curated record gives one, else at the derived one; parent
      periods are the derived
      ones, replaced on the days a curated parent period covers (an open-ended curated period
      lasts until the derived periods next show another parent);
    * an event: a derived event with the date and key of a curated one merges into it (sources and
      framework are the union); a derived event that creates, ends or moves a unit a curated event
      of the same day creates, ends or moves, or a transfer of duties between units a curated
      event of that day already links, or from or to a unit a curated event of that day creates or
      ends, is dropped;
    * duties: records of one holder and text, curated or derived, become one duty (see
      ``duty_blocks``); any other open-ended curated duty block ends where its holder ends.
    """
    out = Records(files=curated.files + derived.files)
    out.news, out.web = {**derived.news, **curated.news}, {**derived.web, **curated.web}
    out.laws = dict(derived.laws)
    for ref, version in curated.laws.items():
        other = derived.laws.get(ref)
        if other and (other.law_id, other.number, other.promulgated) != (version.law_id, version.number,
                                                                          version.promulgated):
            raise version.where.error("ref", f"ref {brief(ref)} names another law version in {other.where.path}",
                                      "give the curated version another ref")
        out.laws[ref] = version
    out.orgs = dict(derived.orgs)
    for key, org in curated.orgs.items():
        out.orgs[key] = _merge_org(org, derived.orgs[key]) if key in derived.orgs else org
    joined = {(r.holder, r.text) for r in derived.duty_history}
    out.duties = []
    for block in curated.duties:
        own = tuple(i for i in block.items if (block.holder, i[1]) not in joined)
        shared = tuple(i for i in block.items if (block.holder, i[1]) in joined)
        if shared:  # they join the derived duty records (see duty_blocks)
            out.duties.append(replace(block, items=shared))
        if own:
            out.duties.append(_cap(replace(block, items=own), out.orgs.get(block.holder)))
    out.duties += derived.duties
    out.duty_history = curated.duty_history + derived.duty_history
    overridden = {(e.date, e.key): _overriding(e, curated.events) for e in derived.events
                  if _overridden(e, curated.events)}
    out.events = curated.events + [e for e in derived.events if (e.date, e.key) not in overridden]
    for i, event in enumerate(out.events[:len(curated.events)]):
        same = [e for e in derived.events if (e.date, e.key) == (event.date, event.key)]
        if same:
            out.events[i] = _merge_event(event, same[0])
    out.programmes, out.responsibilities, out.groupings = (
        curated.programmes, curated.responsibilities, curated.groupings)
    out.replaced = curated.replaced + [r for r in derived.replaced if r.key not in curated.orgs]
    out.withdrawn_keys = curated.withdrawn_keys + [w for w in derived.withdrawn_keys if w.key not in curated.orgs]
    out.placements = curated.placements + derived.placements  # the Act's, derived only (records.government)
    out.national_snapshots = curated.national_snapshots or derived.national_snapshots
    out.act_bodies = {**derived.act_bodies, **curated.act_bodies}
    known = {(e.date, e.key) for e in out.events} | {(r.date, r.key) for r in curated.retired_events + derived.retired_events}
    out.retired_events = [replace(r, related=tuple(e for e in r.related if e in known),  # not those curated ones override
                                  by=(overridden[r.by].date, overridden[r.by].key) if r.by in overridden else r.by)
                          for r in curated.retired_events + derived.retired_events]  # a replacement curated overrides: the curated event
    for key in curated.orgs.keys() & derived.orgs.keys():
        org, dates = out.orgs[key], derived.orgs[key].snapshots
        if dates and set(org.snapshots) != set(dates):
            changed = {e.date for e in out.events for k in (*e.original, *e.resulting)
                       if k == key or out.orgs.get(k) and out.orgs[k].body == key}
            kept = tuple(d for d in org.snapshots if d in dates or d in changed or d < dates[0])
            out.orgs[key] = replace(org, snapshots=kept)
    return out


def _union(first: tuple, second: tuple) -> tuple:
    return first + tuple(x for x in second if x not in first)


def _cap(block: DutyBlock, holder: Org | None) -> DutyBlock:
    """An open-ended curated duty block ends where its (merged) holder ends."""
    if block.attested_until or holder is None or not holder.attested_until:
        return block
    return DutyBlock(block.holder, block.source, block.attested_from, holder.attested_until, block.items, block.where)


def _merge_org(cur: Org, der: Org) -> Org:
    until = cur.attested_until or der.attested_until
    return Org(cur.key, cur.rank, cur.is_body, cur.name_ko, cur.name_en, cur.en_source, cur.alt_en, cur.code,
               cur.code_source, cur.body or der.body, _merge_parents(cur.parents, der.parents, until),
               min(cur.attested_from, der.attested_from), until, cur.began or der.began, cur.ended or der.ended,
               tuple(sorted(set(cur.snapshots) | set(der.snapshots))), _union(cur.sources, der.sources), cur.where)


def _merge_parents(cur: tuple[ParentSpan, ...], der: tuple[ParentSpan, ...],
                   until: str | None) -> tuple[ParentSpan, ...]:
    if not cur or not der:
        return cur or der
    covered = []
    for span in cur:
        end = span.end
        if end is None:  # open: until the derived periods next show another parent
            later = [d.start for d in der if d.start > span.start and d.parent != span.parent]
            end = timeutil.day_before(min(later)) if later else None
        covered.append(ParentSpan(span.parent, span.start, end))
    pieces, cuts = list(covered), [c.period for c in covered]
    for d in der:
        pieces += [ParentSpan(d.parent, *part.iso()) for part in d.period.minus(cuts)]
    merged: list[ParentSpan] = []
    for span in sorted(pieces, key=lambda p: p.start):
        if merged and merged[-1].parent == span.parent:
            merged[-1] = ParentSpan(span.parent, merged[-1].start, span.end)
        else:
            merged.append(span)
    if until is None:
        merged[-1] = ParentSpan(merged[-1].parent, merged[-1].start, None)
    return tuple(merged)


def _claims(event: Event) -> set[tuple[str, str]]:
    """What an event says happens to units: created, ended or moved."""
    if event.type == "move":
        return {("moved", k) for k in event.original}
    if event.type == "duty-transfer":
        return set()
    return {("ended", k) for k in event.original} | {("created", k) for k in event.resulting}


def _overridden(event: Event, curated: list[Event]) -> bool:
    same_day = [e for e in curated if e.date == event.date]
    if any(e.key == event.key for e in same_day):
        return True
    if event.type == "duty-transfer":
        settled = {k for e in same_day for _, k in _claims(e) - {("moved", k) for k in e.original}}
        return any(set(event.original) <= set(e.original) and set(event.resulting) <= set(e.resulting)
                   for e in same_day) or bool(settled & {*event.original, *event.resulting})
    claims = _claims(event)
    return any(claims & _claims(e) for e in same_day)


def _overriding(event: Event, curated: list[Event]) -> Event:
    """The curated event that overrides a derived one (``_overridden``): of the same key, else the
    first of that day that claims one of its units."""
    same_day = [e for e in curated if e.date == event.date]
    return (next((e for e in same_day if e.key == event.key), None)
            or next((e for e in same_day if _claims(event) & _claims(e)), same_day[0]))


def _merge_event(cur: Event, der: Event) -> Event:
    return Event(cur.key, cur.type, cur.date, cur.original, cur.resulting, cur.from_parent, cur.to_parent,
                 cur.status, _union(cur.framework, der.framework), _union(cur.sources, der.sources),
                 cur.note or der.note, cur.where)
