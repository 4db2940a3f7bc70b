"""The laws of one 직제 folder merged into one timeline: a day on which any version takes effect
starts a new state, made of the latest version of each law in force that day.

The text of a version is the law as promulgated that day, with every amendment promulgated
before it, even one that takes effect later (a 타법개정 promulgated in January to take effect in
March is in the text of a version promulgated in February). So the text in force on a day is that
of the version promulgated last (then: highest number) among those in effect by that day; a
version whose text is overtaken before it takes effect never makes a state of its own (the parse
report lists it). Such a text
carries amendments that are promulgated but not yet in effect: until such an amendment takes
effect, the paragraphs it changed (and the text in force has not changed again) are read as the
latest text in effect before it states them, units and duty lists alike, and on its day it is the
legal basis of what they change; the *pending* version and the one before it are also handed to
the day's org chart, which reads the items of the paragraphs changed again, and the items given by
reference, in their earlier wording (``orgchart``). So are the provisions a version's
own 부칙 puts into effect on a later day (``다만, 제N조의 개정규정은 …부터 시행한다``,
``articles.later_parts``), whose days start states too, with that version as the legal basis of
what changes then even when a later text is in force; a clause whose day or provisions cannot
be read is reported, not applied. A version that abolishes its law
(폐지, 타법폐지) ends it: from that day the law sets up nothing. Runs of days covered by at least
one law form one body's life (an era); a day covered by no law starts a gap, and the next law to
take effect starts a new era, that is a new body, even under the same name.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .articles import later_parts
from .corpus import LawVersion
from .orgchart import NOT_YET, OrgChart, build
from .reading import Note, Reading, body_name, read_version


def _covered(article: str, paragraph: int | None, provisions, item: str | None = None) -> bool:
    """Whether the provisions name this article or paragraph whole (or, given ``item``, this item)."""
    return any(article == a and p in (None, paragraph) and i in (None, item) for a, p, i in provisions
               if i is None or item is not None)


def _before_in_force(reading: Reading, before: Reading, provisions) -> Reading:
    """A day's reading in which the units and the duty lists of provisions not yet in effect are
    those the earlier version states there (cited to it). A provision named down to its item
    concerns that item only: a unit listed in it, here; a duty item, the day's org chart
    (``orgchart._named_items``)."""
    units = [(d, scope) for d, scope in reading.units if not _covered(d.article, d.paragraph, provisions, d.item)]
    units += [(replace(d, source=before.version), scope) for d, scope in before.units
              if _covered(d.article, d.paragraph, provisions, d.item)]
    duties = [(d, ctx) for d, ctx in reading.duties if not _covered(d.article, d.paragraph, provisions)]
    duties += [(replace(d, source=before), ctx) for d, ctx in before.duties
               if _covered(d.article, d.paragraph, provisions)]
    return replace(reading, units=units, duties=duties)


def _places(reading: Reading) -> dict[tuple[str, int | None], tuple]:
    """(article, paragraph) → what the paragraph states: its article's title, its text, its items."""
    return {(art.number, par.number): (art.title, par.text, tuple(i.full_text for i in par.items if i.text))
            for art in reading.articles.values() for par in art.paragraphs}


def _changed(version: Reading, before: Reading) -> tuple:
    """The paragraphs a version changed from the one before it, as provisions (article, paragraph,
    None): those it words otherwise, adds or takes out."""
    new, old = _places(version), _places(before)
    return tuple(sorted(((a, p, None) for a, p in new.keys() | old.keys() if new.get((a, p)) != old.get((a, p))),
                        key=lambda x: (x[0], x[1] or 0)))


def text_order(version: LawVersion) -> tuple:
    """Which of several versions in effect carries the latest text."""
    return (version.promulgated, int(version.number) if version.number.isdigit() else 0)


@dataclass
class Era:
    """One body's life: its name and its states, in date order."""

    body: str
    charts: list[OrgChart] = field(default_factory=list)
    ended: str | None = None            # the first day no law covers, if any


def eras(laws: list[list[LawVersion]]) -> tuple[list[Era], dict[str, Reading]]:
    """The eras of a folder's laws (each a list of versions in timeline order), and the readings
    of the versions used, by commit and path."""
    parts = {v: later_parts(v.body, v.number) for versions in laws for v in versions}
    dates = sorted({v.effective for versions in laws for v in versions}
                   | {p.date for v, ps in parts.items() for p in ps if p.date and p.date > v.effective})
    order = [sorted(versions, key=text_order) for versions in laws]
    readings: dict[str, Reading] = {}
    out: list[Era] = []
    current: Era | None = None
    for day in dates:
        in_force, ending, activating = [], [], []
        pending: list[tuple[LawVersion, LawVersion, tuple | None]] = []
        patches: list[tuple[LawVersion, LawVersion, tuple]] = []
        carried: list[tuple[LawVersion, LawVersion, LawVersion]] = []
        for versions, ordered in zip(laws, order):
            effective = [v for v in versions if v.effective <= day]
            if not effective:
                continue
            version = max(effective, key=text_order)
            if version.abolishes:
                if version.effective == day:
                    ending.append(version)  # the legal basis of what its law's end removes that day
                continue
            in_force.append(version)
            for i, other in enumerate(ordered):  # promulgated before the text used, in effect only later
                if text_order(other) <= text_order(version) and other.effective < day and \
                        any(part.date == day for part in parts[other]):
                    activating.append(other)  # the legal basis of what its delayed provisions change
                if text_order(other) < text_order(version) and other.effective == day:
                    activating.append(other)  # the legal basis of what it changes, carried by a later text
                if i and text_order(other) < text_order(version) and other.effective > day:
                    pending.append((other, ordered[i - 1], None))
                    earlier = [v for v in ordered[:i] if v.effective <= day]
                    if earlier:  # what it changed: from the latest text in effect before, until its day
                        carried.append((other, ordered[i - 1], earlier[-1]))
                elif i and text_order(other) <= text_order(version):
                    for part in parts[other]:  # provisions its own 부칙 puts into effect later
                        if part.date and part.date > day >= other.effective:
                            pending.append((other, ordered[i - 1], part.provisions))
                            earlier = [v for v in ordered[:i] if v.effective <= day]
                            if earlier:  # the units of those provisions: from the latest text in effect before
                                patches.append((other, earlier[-1], part.provisions))
        if not in_force:
            if current is not None:
                current.ended = day
                current = None
            continue
        in_force.sort(key=lambda v: (v.kind != "대통령령", v.path))
        body = body_name(in_force[0].title)
        if current is None or current.body != body:
            if current is not None:
                current.ended = day
            current = Era(body)
            out.append(current)
        def reading(version: LawVersion) -> Reading:
            key = f"{version.commit}:{version.path}"
            if key not in readings:
                readings[key] = read_version(version, body)
            return readings[key]

        used = [reading(version) for version in in_force]
        early: list[tuple[LawVersion, Note]] = []
        for other, previous, before in carried:  # whole amendments the text in force carries early
            i = next(i for i, r in enumerate(used) if r.version.law_id == other.law_id)
            now, then = _places(used[i]), _places(reading(other))
            # a paragraph amended again since is left to the org chart, item by item (``orgchart._in_force``)
            provisions = tuple(x for x in _changed(reading(other), reading(previous))
                               if now.get(x[:2]) == then.get(x[:2]))
            patches.append((other, before, provisions))
            early += [(used[i].version, Note(a, p, NOT_YET, now[(a, p)][1])) for a, p, _ in provisions if (a, p) in now]
        for part_of, before, provisions in patches:
            i = next((i for i, r in enumerate(used) if r.version.law_id == part_of.law_id), None)
            if i is not None:
                used[i] = _before_in_force(used[i], reading(before), provisions)
        current.charts.append(build(day, used, body, pending))
        current.charts[-1].notes += early
        current.charts[-1].ending = tuple(ending)
        current.charts[-1].activating = tuple(activating)
    return out, readings
