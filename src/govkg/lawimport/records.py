"""Lives, duties and changes as records of the curated-data schema (docs/curating.md): ``laws``,
``bodies``, ``units``, ``duty_history`` and ``events``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .. import timeutil
from ..keys import segment
from ..vocab import BODY_RANKS
from .articles import later_parts, takes_effect
from .changes import Change
from .corpus import LawVersion
from .identity import EraLives, Life, duty_runs
from .orgchart import Cite
from .sources import citation, key
from .sources import runs as runs_of_cites


def _date(day: str | None) -> dt.date | None:
    return dt.date.fromisoformat(day) if day else None


date_of = _date


def _attested(start: str, until: str | None) -> dict:
    return {"from": _date(start), **({"until": _date(until)} if until else {})}


@dataclass
class Output:
    """The records of one folder, and what the parse report needs to say about them."""

    laws: list[dict] = field(default_factory=list)
    bodies: list[dict] = field(default_factory=list)
    units: list[dict] = field(default_factory=list)
    duties: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    returning_duties: list[tuple[str, str, str]] = field(default_factory=list)  # (holder, text, date)
    refused: dict[str, int] = field(default_factory=dict)    # body key → duty pairs not matched across levels


def law_records(laws: list[list[LawVersion]], refs: dict[str, str], publisher) -> list[dict]:
    out = []
    for versions in sorted(laws, key=lambda vs: (vs[0].promulgated, vs[0].law_id)):
        entries = []
        for v in sorted(versions, key=lambda v: (v.promulgated, int(v.number), v.path)):
            entry = {"ref": refs[key(v)], "kind": v.kind, "number": v.number, "promulgated": _date(v.promulgated),
                     "effective": _date(v.effective)}
            later = sorted({p.date for p in later_parts(v.body, v.number) if p.date and p.date > v.effective})
            if later:  # days its own 부칙 puts some of its provisions into effect
                entry["later_effective"] = [_date(d) for d in later]
            if publisher(v):
                entry["publisher"] = publisher(v)
            if v.url:
                entry["url"] = v.url
            entries.append(entry)
        out.append({"id": versions[-1].law_id, "title": max(versions, key=lambda v: v.promulgated).title,
                    "versions": entries})
    return out


def era_records(lives: EraLives, changes: list[Change], refs: dict[str, str], out: Output,
                curated_events: set[tuple[str, str]]) -> None:
    era = lives.era
    by_id = {life.id: life for life in lives.lives}
    events = _events(lives, changes, refs, by_id, out, curated_events)
    days = _snapshot_days(lives, changes)
    for life in sorted(lives.lives, key=lambda l: l.key):
        record = {"key": life.key, "rank": life.rank, "name": {"ko": life.name}}
        if life.body is not None and not life.is_body:
            record["body"] = by_id[life.body].key
        if life.body is not None:
            spans = _parents(life, era, by_id)
            record["parent"] = spans[0]["unit"] if len(spans) == 1 else spans
        record["attested"] = _attested(life.first, life.until)
        if life.began:
            record["began"] = _date(life.began)
        if life.ended:
            record["ended"] = _date(life.ended)
        if life.id in days:
            record["snapshots"] = [_date(d) for d in days[life.id]]
        if life.id == lives.body.id:
            cites = [Cite(v, "", None) for v in _framing_versions(era)]
        else:
            cites = runs_of_cites([life.cites.get(c.date, []) for c in era.charts])
        record["sources"] = [citation(c, refs) for c in cites]
        (out.bodies if life.rank in BODY_RANKS else out.units).append(record)
    out.duties += _duties(lives, refs, out)
    out.events += events


def _carrying(lives: EraLives, chart) -> list[LawVersion]:
    """The versions in force on a chart's day, those whose cited provisions it carries, those
    that abolish a law that day (the legal basis of the ends they bring) and those whose delayed
    provisions take effect that day."""
    out = list(chart.versions) + [v for v in (*chart.ending, *chart.activating) if v not in chart.versions]
    for unit in chart.units.values():
        out += [c.version for c in unit.cites if c.version not in out]
    return out


def change_days(lives: EraLives, agency: Life | None = None) -> list[str]:
    """The days on which the body's structure or duties differ from the state before: a unit
    comes or goes, gets another parent, or a duty (holder and text) begins or ends. Each is a
    snapshot day (docs/model.md), whether or not an event of the body's own units explains it.
    For an affiliated agency, the same over its own units and duties, within its life."""
    days, before = [], None
    for index, chart in enumerate(lives.era.charts):
        at = lives.at[index]
        if agency is not None and (chart.date < agency.first or index > agency.last_index):
            continue

        def mine(life: Life) -> bool:
            return agency is None or life.id == agency.id or life.body == agency.id and not life.is_body
        state = ({(life.id, at[path[:-1]].id if path[:-1] else lives.body.id) for path, life in at.items()
                  if mine(life) and life is not agency},
                 {(at[path].id, text) for path, text in chart.duties if mine(at[path])})
        if before is not None and state != before:
            days.append(chart.date)
        before = state
    return days


def _snapshot_days(lives: EraLives, changes: list[Change]) -> dict[int, list[str]]:
    """Snapshot days of the era's body and of each affiliated agency in it: its first day, the
    days of events about it or its units, and the days its structure or duties change."""
    root = lives.body
    out = {root.id: {lives.era.charts[0].date, *(c.date for c in changes), *change_days(lives)}}
    for agency in lives.lives:
        if agency.is_body and agency.id != root.id:
            out[agency.id] = {agency.first, *change_days(lives, agency),
                              *(c.date for c in changes for l in c.original + c.resulting
                                if l.id == agency.id or l.body == agency.id and not l.is_body)}
    return {k: sorted(v) for k, v in out.items()}


def _framing_versions(era) -> list[LawVersion]:
    """The first and the last version of each law in force during the era."""
    first, last = {}, {}
    for chart in era.charts:
        for v in chart.versions:
            first.setdefault(v.law_id, v)
            last[v.law_id] = v
    return sorted({*first.values(), *last.values()}, key=lambda v: (v.promulgated, v.number))


def _parents(life: Life, era, by_id) -> list[dict]:
    spans = []
    for i, (start, parent) in enumerate(life.parents):
        end = timeutil.day_before(life.parents[i + 1][0]) if i + 1 < len(life.parents) else life.until
        span = {"unit": by_id[parent].key, "from": _date(start)}
        if end:
            span["until"] = _date(end)
        spans.append(span)
    return spans


def _duties(lives: EraLives, refs: dict[str, str], out: Output) -> list[dict]:
    """One record per duty (holder and text) and unbroken run of states: a duty that comes back
    after a gap has one record per period."""
    charts = lives.era.charts
    by_id = {life.id: life for life in lives.lives}
    paths = [{life.id: path for path, life in at.items()} for at in lives.at]
    records = []
    for (holder, text), runs in duty_runs(lives).items():
        out.returning_duties += [(by_id[holder].key, text, charts[run[0]].date) for run in runs[1:]]
        for states in runs:
            cites = [charts[i].duties[(paths[i][holder], text)].cites for i in states]
            nxt = charts[states[-1] + 1].date if states[-1] + 1 < len(charts) else lives.era.ended
            records.append({"holder": by_id[holder].key, "text": text,
                            "attested": _attested(charts[states[0]].date, timeutil.day_before(nxt) if nxt else None),
                            "sources": [citation(c, refs) for c in runs_of_cites(cites)]})
    return sorted(records, key=lambda r: (r["holder"], r["attested"]["from"], r["text"]))


_NOTES = {
    "establishment": {True: "The law version of that day lists the unit and marks its provision as new (신설).",
                      False: "The law version of that day lists the unit; the one before does not."},
    "abolition": {True: "The law version of that day marks the unit's provision as deleted (삭제).",
                  False: "The law version of that day no longer lists the unit; the one before does."},
    "move": {True: "The law version of that day lists the unit under another parent, in a provision it marks "
                   "as amended (개정).",
             False: "The law version of that day lists the unit under another parent."},
}
_KEY_FORMS = {
    "establishment": lambda o, r: f"{r[0]}-신설", "abolition": lambda o, r: f"{o[0]}-폐지",
    "move": lambda o, r: f"{o[0]}-이동", "merger": lambda o, r: f"{r[0]}-통합", "split": lambda o, r: f"{o[0]}-분리",
}


def _base_key(change: Change) -> str:
    old = [segment(life.name) for life in change.original]
    new = [segment(life.name) for life in change.resulting]
    form = _KEY_FORMS.get(change.type)
    return form(old, new) if form else f"{'·'.join(old)}-{'·'.join(new)}"


def _events(lives: EraLives, changes: list[Change], refs, by_id, out: Output,
            curated_events: set[tuple[str, str]]) -> list[dict]:
    """Event records. A key is ``<body>/<what changed>`` (the era's body key, so that two bodies
    that set up units of one name on one day have events of their own), unique over all events
    (``~2`` … on repeats), except that an event with the date and key of a curated one keeps that
    key (the two merge). Every event is kept:
    an affiliated agency is a body with snapshots of its own (``_snapshot_days``), so an event
    inside it has the agency's snapshot of its day."""
    kept = list(changes)  # each affiliated agency has snapshots of its own: no event is left out
    used = {e["key"] for e in out.events} | {k for _, k in curated_events}
    records, merged = [], set()
    for change in kept:
        base = _base_key(change)
        event_key, n = base, 1
        if (change.date, base) in curated_events and (change.date, base) not in merged:
            merged.add((change.date, base))
        else:
            base = event_key = f"{lives.body.key}/{base}"
            while event_key in used:
                n += 1
                event_key = f"{base}~{n}"
        used.add(event_key)
        record = {"key": event_key, "type": change.type, "date": _date(change.date)}
        if change.type == "move":
            record |= {"unit": change.original[0].key, "from_parent": change.from_parent.key,
                       "to_parent": change.to_parent.key}
        else:
            if change.original:
                record["from"] = [l.key for l in change.original]
            if change.resulting:
                record["to"] = [l.key for l in change.resulting]
        chart = next(c for c in lives.era.charts if c.date == change.date)
        record["status"] = change.status
        record["framework"] = [refs[key(v)] for v in _carrying(lives, chart) if takes_effect(v, change.date)]
        sources = []
        for c in change.cites:
            ref = citation(c, refs)
            if ref not in sources:
                sources.append(ref)
        record["sources"] = sources or record["framework"]
        if change.matched:
            record["note"] = (f"Inferred from the duties: {change.matched} duties of the original units continue "
                              "in the resulting ones.")
        else:
            record["note"] = _NOTES[change.type][change.marked]
        records.append(record)
    return records
