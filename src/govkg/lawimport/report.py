"""The parse report: every paragraph of a 직제 the importer did not understand, with counts per
body, and what it could not represent."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..vocab import ATTACHED_RANKS
from .corpus import LawVersion, Problem
from .identity import EraLives
from .orgchart import CANNOT_TELL, NEW_NOT_YET, NOT_YET, RANK_FROM_GRADE, RANK_FROM_PEERS, RANK_FROM_RULE, TABLE_CAUSES
from .reading import LATER_APPLIED, LATER_UNREAD, Reading
from .records import Output
from .sources import key

# Notes that are not failures: sub-units or names the 직제 leaves to another instrument (a 별표 is
# one the corpus does not hold, so what lies under a unit it names is not read either).
_ELSEWHERE = ("sub-units set by another instrument", "unit names only in a 별표 (table)", *TABLE_CAUSES)
# Notes of what the fidelity rules read differently from a first reading (not failures either).
JOINED, LEFT_OUT = "continuation line joined to its item", "item left out: a line after it was not understood, it may be cut short"
_READ = (RANK_FROM_GRADE, RANK_FROM_RULE, RANK_FROM_PEERS, JOINED, NOT_YET, NEW_NOT_YET, LATER_APPLIED)


@dataclass
class BodyCounts:
    body: str
    start: str
    until: str | None
    states: int
    snapshots: int
    units: int
    establishing: int
    establishing_understood: int
    duty_items: int
    duty_items_placed: int
    duty_items_in_tables: int       # not given: their holder is under a unit a 별표 names, or its article leaves names to one
    duties: int
    events: int
    name: str = ""                  # the body's name in its 직제
    opening: tuple[str, ...] = ()   # refs of the versions in force on its first day


def counts(lives: EraLives, readings: dict[str, Reading], out: Output, refs: dict[str, str] | None = None) -> BodyCounts:
    era = lives.era
    used = {key(v) for c in era.charts for v in c.versions}
    establishing = sum(readings[k].establishing for k in used)
    understood = sum(readings[k].establishing_understood for k in used)
    lists: dict[tuple, tuple[int, bool, str | None]] = {}
    for chart in era.charts:
        for (version, art, par), (n, placed, cause) in chart.lists.items():
            was = lists.get((key(version), art, par), (n, False, cause))
            lists[(key(version), art, par)] = (n, was[1] or placed, was[2] or cause)
    body = next(b for b in out.bodies if b["key"] == lives.body.key)
    return BodyCounts(lives.body.key, era.charts[0].date, lives.body.until, len(era.charts), len(body["snapshots"]),
                      len(lives.lives) - 1, establishing, understood, sum(n for n, _, _ in lists.values()),
                      sum(n for n, placed, _ in lists.values() if placed),
                      sum(n for n, placed, cause in lists.values() if not placed and cause),
                      sum(1 for d in out.duties if d["holder"] == lives.body.key or d["holder"].startswith(
                          lives.body.key + "/")),
                      sum(1 for e in out.events if _of_body(e, lives.body.key)), lives.body.name,
                      tuple(refs[key(v)] for v in era.charts[0].versions) if refs else ())


def _of_body(event: dict, body: str) -> bool:
    keys = event.get("from", []) + event.get("to", []) + [event.get("unit", "")]
    return any(k == body or k.startswith(body + "/") for k in keys)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "–"


def render(folder: str, laws: list[list[LawVersion]], problems: list[Problem], overtaken: list[LawVersion],
           eras: list[EraLives], readings: dict[str, Reading], refs: dict[str, str], out: Output,
           keys: list[dict] = (), retired_events: list[dict] = ()) -> str:
    lines = [f"# Parse report: `kr/{folder}/`", "",
             "Written by `govkg import-law`. It lists every paragraph of the 직제 (decree and rule, all "
             "versions) that the importer did not understand, what it could not represent, and the counts "
             "per body. A paragraph stated the same way by several versions is listed once, with the first "
             "and last version that state it.", "", "## Summary", "",
             "| body | from | until | states | snapshots | units | unit-establishing paragraphs understood "
             "| duty items given to a unit | not given: unit in a 별표 | duties | events |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for lives in eras:
        c = counts(lives, readings, out)
        lines.append(f"| {c.body} | {c.start} | {c.until or '—'} | {c.states} | {c.snapshots} | {c.units} | "
                     f"{c.establishing_understood} / {c.establishing} ({_pct(c.establishing_understood, c.establishing)}) "
                     f"| {c.duty_items_placed} / {c.duty_items} ({_pct(c.duty_items_placed, c.duty_items)}) "
                     f"| {c.duty_items_in_tables} | {c.duties} | {c.events} |")
    lines += ["", "Counts are over law versions: a paragraph counts once per version that states it. A duty "
              "item is given to a unit when the unit its paragraph names is found in the org chart of a day "
              "that version is in force. Of those not given, some could not be: their holder lies in a unit "
              "only a 별표 (a table of the law, which the corpus does not hold) names, or their article "
              "leaves its units' names to a 별표; \"Left to other instruments\" lists them.", "", "## Corpus", ""]
    total = sum(len(v) for v in laws)
    lines.append(f"- {total} versions of {len(laws)} laws read.")
    for p in problems:
        lines.append(f"- `{p.path}` at {p.commit[:10]}: {p.problem}.")
    for v in overtaken:
        lines.append(f"- {refs[key(v)]} ({v.kind} 제{v.number}호, promulgated {v.promulgated}, effective "
                     f"{v.effective}) never makes a state: by then the text in force is that of a version "
                     "promulgated later (or the same day under a higher number), which carries its changes.")
    for lives in eras:
        lines += ["", f"## {lives.body.key} ({lives.era.charts[0].date} – {lives.body.until or ''})", ""]
        notes = era_notes(lives, readings, refs)
        failures = {k: v for k, v in notes.items() if k[0] not in _ELSEWHERE + _READ}
        elsewhere = {k: v for k, v in notes.items() if k[0] in _ELSEWHERE}
        read = {k: v for k, v in notes.items() if k[0] in _READ}
        lines += _fidelity(lives, notes, out, keys)
        lines += ["", "### Read by the fidelity rules", ""]
        if not read:
            lines.append("Nothing.")
        for (kind, text), places in sorted(read.items()):
            lines.append(f"- **{kind}** ({len(places)} versions: {_span(places)}): {text}")
        lines.append("")
        lines += ["### Not understood", ""]
        if not failures:
            lines.append("Nothing.")
        for (kind, text), places in sorted(failures.items()):
            lines.append(f"- **{kind}** ({len(places)} versions: {_span(places)}): {text}")
        lines += ["", "### Left to other instruments", ""]
        if not elsewhere:
            lines.append("Nothing.")
        for (kind, text), places in sorted(elsewhere.items()):
            lines.append(f"- **{kind}** ({len(places)} versions: {_span(places)}): {text}")
        prefix = lives.body.key + "/"
        back = [r for r in out.returning_duties if r[0] == lives.body.key or r[0].startswith(prefix)]
        lines += ["", "### Duties that come back after a gap", "",
                  "A duty is its holder and its text with one attested period; one that comes back after "
                  "a gap is a duty of its own for each later period (`~2`, `~3` … after the digest of its "
                  "IRI). These periods begin:" if back else "None."]
        for holder, text, day in back:
            lines.append(f"- {holder}, the run from {day}: {text}")
    return "\n".join(lines + _retired(retired_events)) + "\n"


def _retired(entries: list[dict]) -> list[str]:
    """The event IRIs once published and no longer made (``keys.yaml``, ``retired_events``)."""
    replaced = [e for e in entries if e.get("replaced_by")]
    withdrawn = [e for e in entries if e.get("withdrawn")]
    lines = ["", "## Retired event IRIs", "",
             f"Events an earlier import published that this one no longer makes: {len(replaced)} replaced by the "
             f"event that states the same change (their IRIs redirect to it), {len(withdrawn)} withdrawn because "
             "no event states it (their IRIs answer 410 Gone with the reason and the events of that day that "
             "speak of the same units).", ""]
    lines += [f"- `{e['event']}` → `{e['replaced_by']}`" for e in replaced]
    lines += [f"- `{e['event']}` withdrawn" + (f"; see {', '.join(f'`{r}`' for r in e['related'])}"
                                                 if e.get("related") else "") for e in withdrawn]
    return lines


def era_notes(lives: EraLives, readings: dict[str, Reading], refs: dict[str, str]) -> dict[tuple[str, str], list[str]]:
    """(kind, text) → the places (ref, article, paragraph) of an era's notes, each place once."""
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    used = []
    for chart in lives.era.charts:
        for version, note in chart.notes:
            used.append((version, note))
    for k in sorted({key(v) for c in lives.era.charts for v in c.versions}):
        for note in readings[k].notes:
            used.append((readings[k].version, note))
    seen = set()
    for version, note in sorted(used, key=lambda vn: (vn[0].promulgated, vn[0].number, vn[1].article)):
        place = f"{refs[key(version)]} art{note.article}" + (f" par{note.paragraph}" if note.paragraph else "")
        if (note.kind, note.text, place) in seen:
            continue
        seen.add((note.kind, note.text, place))
        notes[(note.kind, note.text)].append(place)
    return notes


def failure_kinds(lives: EraLives, readings: dict[str, Reading], refs: dict[str, str]) -> dict[str, int]:
    """What an era's versions state that was not understood: kind → distinct texts of that kind."""
    kinds: dict[str, int] = defaultdict(int)
    for kind, _ in era_notes(lives, readings, refs):
        if kind not in _ELSEWHERE + _READ:
            kinds[re.sub(r" \(\d+ items\)$", "", kind)] += 1
    return dict(kinds)


def _fidelity(lives: EraLives, notes: dict, out: Output, keys) -> list[str]:
    """Per class of misreading (issue 9), what the rules caught in this body."""
    body, prefix = lives.body.key, lives.body.key + "/"
    mine = lambda k: k == body or k.startswith(prefix)  # noqa: E731
    kinds = defaultdict(int)
    for kind, _ in notes:
        kinds[kind] += 1
    record = next(b for b in out.bodies if b["key"] == body)
    event_days = {e["date"] for e in out.events if _of_body(e, body)}
    quiet = [d for d in record["snapshots"] if d not in event_days and d != record["snapshots"][0]]
    agencies = {b["key"] for b in out.bodies if b["rank"] in ATTACHED_RANKS and mine(b["key"])}
    of_agencies = {u["key"] for u in out.units if u.get("body") in agencies} | agencies
    agency_events = [e for e in out.events if {*e.get("from", []), *e.get("to", []), e.get("unit", "")} - {""}
                     <= of_agencies]
    agency_snapshots = sum(len(b.get("snapshots", [])) for b in out.bodies if b["key"] in agencies)
    delegated = sum(1 for d in out.duties if mine(d["holder"]) and any(" item" not in s for s in d["sources"]))
    replaced = [k for k in keys if k.get("replaced_by") and mine(k["key"])]
    back = [r for r in out.returning_duties if mine(r[0])]
    rows = [
        ("1 rank", "units whose rank the head's grade gives, not the name's ending", kinds[RANK_FROM_GRADE]),
        ("1 rank", "units of division level because only the rule sets them up, not the name's ending",
         kinds[RANK_FROM_RULE]),
        ("1 rank", "units of division level because the units listed with them are, not the name's ending",
         kinds[RANK_FROM_PEERS]),
        ("2 like with like", "pairs of similar duties not matched because their units are of different levels",
         out.refused.get(body, 0)),
        ("2 delegated ranges", "duties given by reference, cited to the delegating paragraph and the item", delegated),
        ("3 keys", "published keys replaced by the key of the unit that carries them now (listed below)",
         len(replaced)),
        ("4 continuation lines", "lines joined to the item they continue", kinds[JOINED]),
        ("4 continuation lines", "items left out because a line after them was not understood", kinds[LEFT_OUT]),
        ("5 effective dates", "부칙 clauses that put provisions into effect on a later day, applied",
         kinds[LATER_APPLIED]),
        ("5 effective dates", "부칙 clauses whose day or part cannot be told, not applied (listed below)",
         kinds[LATER_UNREAD]),
        ("5 effective dates", "items read in their earlier wording before their amendment takes effect",
         kinds[NOT_YET]),
        ("5 effective dates", "items left out until the amendment that adds them takes effect", kinds[NEW_NOT_YET]),
        ("5 effective dates", "items whose wording in force cannot be told (listed below)", kinds[CANNOT_TELL]),
        ("6 snapshots", "snapshot days with no event of the body (only duties or agencies' units change)",
         len(quiet)),
        ("7 affiliated agencies", "snapshots of affiliated agencies, each a body with its own org chart",
         agency_snapshots),
        ("7 affiliated agencies", "events about affiliated agencies or inside them (once left out)",
         len(agency_events)),
        ("7 returning duties", "later periods of duties that come back after a gap, each kept as a duty of "
         "its own (listed below)", len(back)),
    ]
    lines = ["### Fidelity rules", "", "What the rules against the classes of misreading of issue 9 caught "
             "(paragraphs counted once per distinct text; see `src/govkg/lawimport/` for each rule).", "",
             "| class | what | count |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    if replaced:
        lines += ["", "Keys replaced (old → new):", ""]
        lines += [f"- `{k['key']}` → `{k['replaced_by']}`" for k in replaced]
    return lines


def _span(places: list[str]) -> str:
    return places[0] if len(places) == 1 else f"{places[0]} … {places[-1]}"
