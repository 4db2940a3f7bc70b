"""Unit lives across an era's states, and their keys (docs/identity.md).

A unit keeps its identity from one state to the next while it stays in the same body with the
same name and rank (a new parent is a move, not a new unit); once it is gone, it does not come
back: a later unit of that name is a new one. Keys come from the key registry: a curated record of
the same body and name whose attested period overlaps the life gives its key; otherwise a key is
minted as ``<body>/<parent at first appearance>/<name>`` (``<body>/<name>`` directly under the
body), with ``~2``, ``~3`` … when that key is already taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import timeutil
from .orgchart import Cite
from .timeline import Era

_BODY_RANKS = (("위원회", "commission"), ("부", "ministry"), ("처", "ministry-level-agency"), ("청", "agency"))


def body_rank(name: str) -> str | None:
    """The rank of a top-level body from its name (행정안전부 → ministry)."""
    return next((rank for ending, rank in _BODY_RANKS if name.endswith(ending)), None)


@dataclass
class Life:
    """One unit (or the era's body) over the states in which it exists."""

    id: int
    name: str
    rank: str
    body: int | None                  # the life of the nearest enclosing body (None: the era's body)
    first: str                        # date of the first state showing it
    last_index: int = 0               # index of the last state showing it
    parents: list[tuple[str, int]] = field(default_factory=list)   # (from date, parent life)
    cites: dict[str, list[Cite]] = field(default_factory=dict)     # date → establishing provisions
    key: str = ""
    until: str | None = None          # last day attested
    began: str | None = None
    ended: str | None = None

    @property
    def is_body(self) -> bool:
        return self.body is None or self.rank in ("affiliated-agency", "commission")


@dataclass
class EraLives:
    era: Era
    body: Life
    lives: list[Life]
    at: list[dict[tuple[str, ...], Life]]     # per state: path → life
    # periods of curated duty blocks, by (holder key, text): which run of a returning duty to keep
    curated_periods: dict[tuple[str, str], list[tuple[str, str | None]]] = field(default_factory=dict)


def follow(era: Era) -> EraLives:
    """The lives of an era's units, state by state."""
    first = era.charts[0]
    body = Life(0, era.body, body_rank(era.body) or "ministry", None, first.date)
    lives, at = [body], []
    previous: dict[tuple, Life] = {}
    for index, chart in enumerate(era.charts):
        here: dict[tuple[str, ...], Life] = {}
        current: dict[tuple, Life] = {}
        for path in sorted(chart.units, key=lambda p: (len(p), p)):
            unit = chart.units[path]
            body_path = chart.body_of(path)
            owner = here[body_path] if body_path else body
            identity = (owner.id, unit.name, unit.rank)
            if identity in current:  # two units of one name and rank in one body: tell them apart by parent
                identity += (path[:-1],)
            life = previous.get(identity)
            if life is None or life.last_index != index - 1:
                life = Life(len(lives), unit.name, unit.rank, owner.id, chart.date)
                lives.append(life)
            life.last_index = index
            parent = here[path[:-1]] if path[:-1] else body
            if not life.parents or life.parents[-1][1] != parent.id:
                life.parents.append((chart.date, parent.id))
            life.cites[chart.date] = unit.cites
            here[path] = current[identity] = life
        body.last_index = index
        at.append(here)
        previous = current
    _dates(era, lives)
    return EraLives(era, body, lives, at)


def duty_runs(lives: EraLives) -> tuple[dict[tuple[int, str], list[int]], list[tuple[int, str, int]]]:
    """Each duty's (holder life, text) unbroken run of states that the data keeps, and the duties
    that are left out for coming back after a gap (holder life, text, first state index of the
    run left out). A duty is one IRI with one period: the run kept is the one a curated duty block
    of that holder and text touches (``lives.curated_periods``), else the first."""
    all_runs: dict[tuple[int, str], list[list[int]]] = {}
    for index, chart in enumerate(lives.era.charts):
        for path, text in chart.duties:
            runs = all_runs.setdefault((lives.at[index][path].id, text), [])
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
    by_id = {life.id: life for life in lives.lives}
    charts = lives.era.charts
    kept: dict[tuple[int, str], list[int]] = {}
    left_out: list[tuple[int, str, int]] = []
    for (lid, text), runs in all_runs.items():
        periods = lives.curated_periods.get((by_id[lid].key, text), ())
        chosen = next((run for run in runs for start, until in periods
                       if _overlaps(start, until, charts[run[0]].date,
                                    timeutil.day_before(charts[run[-1] + 1].date) if run[-1] + 1 < len(charts)
                                    else None)), runs[0])
        kept[(lid, text)] = chosen
        left_out += [(lid, text, run[0]) for run in runs if run is not chosen]
    return kept, sorted(left_out, key=lambda t: (t[2], t[0], t[1]))


def _dates(era: Era, lives: list[Life]) -> None:
    """Attested periods, and began/ended where a version taking effect that day sets it up or ends it."""
    charts = era.charts
    for life in lives:
        nxt = charts[life.last_index + 1].date if life.last_index + 1 < len(charts) else era.ended
        life.until = timeutil.day_before(nxt) if nxt else None
        start = next(i for i, c in enumerate(charts) if c.date == life.first)
        if life.id == 0:
            if any(v.change in ("제정", "전부개정") and v.effective == life.first for v in charts[0].versions):
                life.began = life.first
        elif any(c.version.effective == life.first for c in life.cites[life.first]) and (
                start > 0 or any(v.change in ("제정", "전부개정") for v in charts[0].versions)):
            life.began = life.first
        if nxt:
            life.ended = nxt


def _segment(name: str) -> str:
    return re.sub(r"\s+", "", name)


def assign_keys(eras: list[EraLives], registry: list[dict], taken: set[str]) -> None:
    """Keys for every life. ``registry`` holds the curated records ({key, name, rank, body,
    from, until}); ``taken`` the keys already in use, extended with the keys minted here."""
    reused: set[str] = set()
    for lives in eras:
        by_id = {life.id: life for life in lives.lives}
        for life in sorted(lives.lives, key=lambda l: (l.first, l.id)):
            owner = by_id[life.body].key if life.body is not None else None
            match = [r["key"] for r in registry if r["name"] == life.name and r["body"] == owner
                     and r["rank"] == life.rank and r["key"] not in reused
                     and _overlaps(r["from"], r["until"], life.first, life.until)]
            if match:
                life.key = match[0]
                reused.add(life.key)
                taken.add(life.key)
                continue
            if life.body is None:
                base = _segment(life.name)
            else:
                parent = by_id[life.parents[0][1]]
                base = owner if parent.id == life.body else f"{owner}/{parent.key.rsplit('/', 1)[-1]}"
                base = f"{base}/{_segment(life.name)}"
            key, n = base, 1
            while key in taken:
                n += 1
                key = f"{base}~{n}"
            life.key = key
            taken.add(key)


def _overlaps(a_from: str, a_until: str | None, b_from: str, b_until: str | None) -> bool:
    return (a_until is None or a_until >= b_from) and (b_until is None or b_until >= a_from)
