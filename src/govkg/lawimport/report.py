"""The parse report: every paragraph of a 직제 the importer did not understand, with counts per
body, and what it could not represent."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .corpus import LawVersion, Problem
from .identity import EraLives
from .reading import Reading
from .records import Output
from .sources import key

# Notes that are not failures: sub-units or names the 직제 leaves to another instrument.
_ELSEWHERE = ("sub-units set by another instrument", "unit names only in a 별표 (table)")


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
    duties: int
    events: int


def counts(lives: EraLives, readings: dict[str, Reading], out: Output) -> BodyCounts:
    era = lives.era
    used = {key(v) for c in era.charts for v in c.versions}
    establishing = sum(readings[k].establishing for k in used)
    understood = sum(readings[k].establishing_understood for k in used)
    lists: dict[tuple, tuple[int, bool]] = {}
    for chart in era.charts:
        for (version, art, par), (n, placed) in chart.lists.items():
            was = lists.get((key(version), art, par), (n, False))
            lists[(key(version), art, par)] = (n, was[1] or placed)
    body = next(b for b in out.bodies if b["key"] == lives.body.key)
    return BodyCounts(lives.body.key, era.charts[0].date, lives.body.until, len(era.charts), len(body["snapshots"]),
                      len(lives.lives) - 1, establishing, understood, sum(n for n, _ in lists.values()),
                      sum(n for n, placed in lists.values() if placed),
                      sum(1 for d in out.duties if d["holder"] == lives.body.key or d["holder"].startswith(
                          lives.body.key + "/")),
                      sum(1 for e in out.events if _of_body(e, lives.body.key)))


def _of_body(event: dict, body: str) -> bool:
    keys = event.get("from", []) + event.get("to", []) + [event.get("unit", "")]
    return any(k == body or k.startswith(body + "/") for k in keys)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "–"


def render(folder: str, laws: list[list[LawVersion]], problems: list[Problem], overtaken: list[LawVersion],
           eras: list[EraLives], readings: dict[str, Reading], refs: dict[str, str], out: Output) -> str:
    lines = [f"# Parse report: `kr/{folder}/`", "",
             "Written by `govkg import-law`. It lists every paragraph of the 직제 (decree and rule, all "
             "versions) that the importer did not understand, what it could not represent, and the counts "
             "per body. A paragraph stated the same way by several versions is listed once, with the first "
             "and last version that state it.", "", "## Summary", "",
             "| body | from | until | states | snapshots | units | unit-establishing paragraphs understood "
             "| duty items given to a unit | duties | events |", "|---|---|---|---|---|---|---|---|---|---|"]
    for lives in eras:
        c = counts(lives, readings, out)
        lines.append(f"| {c.body} | {c.start} | {c.until or '—'} | {c.states} | {c.snapshots} | {c.units} | "
                     f"{c.establishing_understood} / {c.establishing} ({_pct(c.establishing_understood, c.establishing)}) "
                     f"| {c.duty_items_placed} / {c.duty_items} ({_pct(c.duty_items_placed, c.duty_items)}) "
                     f"| {c.duties} | {c.events} |")
    lines += ["", "Counts are over law versions: a paragraph counts once per version that states it. A duty "
              "item is given to a unit when the unit its paragraph names is found in the org chart of a day "
              "that version is in force.", "", "## Corpus", ""]
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
        failures = {k: v for k, v in notes.items() if k[0] not in _ELSEWHERE}
        elsewhere = {k: v for k, v in notes.items() if k[0] in _ELSEWHERE}
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
                  "A duty is its holder and its text (one IRI) with one attested period. Of the runs of "
                  "versions that state such a duty, the data keeps the one a curated record describes, "
                  "else the first; these runs are left out:" if back else "None."]
        for holder, text, day in back:
            lines.append(f"- {holder}, the run from {day}: {text}")
        skipped = [s for s in out.skipped_events if any(k == lives.body.key or k.startswith(prefix)
                                                        for k in s[2].split(", "))]
        lines += ["", "### Events left out", "",
                  f"{len(skipped)} changes only about affiliated agencies or their own units: an event needs a "
                  "snapshot of the body of its units, and snapshots are cut for the ministry only. The units' "
                  "attested periods, began and ended dates are in the data." if skipped else "None."]
        for day, kind, orgs in skipped:
            lines.append(f"- {day} {kind}: {orgs}")
    return "\n".join(lines) + "\n"


def _span(places: list[str]) -> str:
    return places[0] if len(places) == 1 else f"{places[0]} … {places[-1]}"
