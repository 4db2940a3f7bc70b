"""The laws of one 직제 folder merged into one timeline: a day on which any version takes effect
starts a new state, made of the latest version of each law in force that day.

The text of a version is the law as promulgated that day, with every amendment promulgated
before it, even one that takes effect later (a 타법개정 promulgated in January to take effect in
March is in the text of a version promulgated in February). So the text in force on a day is that
of the version promulgated last (then: highest number) among those in effect by that day; a
version whose text is overtaken before it takes effect never makes a state of its own (the parse
report lists it). A version that abolishes its law
(폐지, 타법폐지) ends it: from that day the law sets up nothing. Runs of days covered by at least
one law form one body's life (an era); a day covered by no law starts a gap, and the next law to
take effect starts a new era, that is a new body, even under the same name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .corpus import LawVersion
from .orgchart import OrgChart, build
from .reading import Reading, body_name, read_version


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
    dates = sorted({v.effective for versions in laws for v in versions})
    readings: dict[str, Reading] = {}
    out: list[Era] = []
    current: Era | None = None
    for day in dates:
        in_force = []
        for versions in laws:
            effective = [v for v in versions if v.effective <= day]
            if not effective:
                continue
            version = max(effective, key=text_order)
            if version.abolishes:
                continue
            in_force.append(version)
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
        used = []
        for version in in_force:
            key = f"{version.commit}:{version.path}"
            if key not in readings:
                readings[key] = read_version(version, body)
            used.append(readings[key])
        current.charts.append(build(day, used, body))
    return out, readings
