"""Unit lives across an era's states, and their keys (docs/identity.md).

A unit keeps its identity from one state to the next while it stays in the same body with the
same name and rank (a new parent is a move, not a new unit); once it is gone, it does not come
back: a later unit of that name is a new one. An affiliated agency belongs to the era's body, not to
the agency it sits under, so that it too keeps its identity when it moves. Keys come from the key
registry (``assign_keys``): a curated key, else a key published by an earlier import, else a new
key ``<body>/<name>``. Nothing that can change over a unit's life (its parent, its place in the
tree) goes into a key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import timeutil
from ..keys import segment
from ..timeutil import Period
from ..vocab import ATTACHED_RANKS
from .articles import takes_effect
from .orgchart import Cite
from .timeline import Era
from .units import read_name

WITHDRAWN = ("Withdrawn: read again, the law versions set up no unit of this name in this body during this "
             "period; an earlier import misread a phrase of them as one.")


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
        return self.body is None or self.rank in ATTACHED_RANKS


@dataclass
class EraLives:
    era: Era
    body: Life
    lives: list[Life]
    at: list[dict[tuple[str, ...], Life]]     # per state: path → life


def follow(era: Era, rank: str) -> EraLives:
    """The lives of an era's units, state by state; the era's body has ``rank`` (``act.body_rank``)."""
    first = era.charts[0]
    body = Life(0, era.body, rank, None, first.date)
    lives, at = [body], []
    previous: dict[tuple, Life] = {}
    for index, chart in enumerate(era.charts):
        here: dict[tuple[str, ...], Life] = {}
        current: dict[tuple, Life] = {}
        for path in sorted(chart.units, key=lambda p: (len(p), p)):
            unit = chart.units[path]
            body_path = chart.body_of(path)
            # a unit belongs to its nearest enclosing body for life; an affiliated agency belongs to
            # the era's body, so that it keeps its identity when it moves from one parent to another
            owner = body if unit.is_body or not body_path else here[body_path]
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


def duty_runs(lives: EraLives) -> dict[tuple[int, str], list[list[int]]]:
    """Each duty's (holder life, text) unbroken runs of states. A duty that comes back after a gap
    has several: each is a period of its own (a duty of its own, ``~2`` … in its IRI)."""
    all_runs: dict[tuple[int, str], list[list[int]]] = {}
    for index, chart in enumerate(lives.era.charts):
        for path, text in chart.duties:
            runs = all_runs.setdefault((lives.at[index][path].id, text), [])
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
    return all_runs


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
        elif any(takes_effect(c.version, life.first) for c in life.cites[life.first]) and (
                start > 0 or any(v.change in ("제정", "전부개정") for v in charts[0].versions)):
            life.began = life.first
        if nxt:
            life.ended = nxt




def assign_keys(eras: list[EraLives], registry: list[dict], taken: set[str],
                published: list[dict] | None = None) -> list[dict]:
    """Keys for every life, and the updated list of published keys.

    ``registry`` holds the curated records ({key, name, rank, body, from, until}); ``taken`` the
    keys already in use, extended with the keys minted here. ``published`` holds the keys earlier
    imports gave (the same fields, ``body`` being the key of the body the unit belongs to, or None
    for a top-level body, and ``replaced_by`` for a key no life carries any more). A life takes, in
    this order: the curated key of its body, name and rank whose period overlaps its life; the
    published key of its body, name and rank that overlaps it (one of the same period, else the
    earliest; for a top-level body, of its name whatever the rank, since a better reading of its
    rank is no new body); a new key
    ``<body>/<name>`` (``~2``, ``~3`` … when taken). A published key that no life takes any more but
    whose body, name, rank and period fall in a life (the life now runs across a move that once
    ended it, say) is replaced by that life's key; failing that, a life of its body and name whose
    period it overlaps (its rank was misread) replaces it, or one whose name is the published name
    read again (``read_name``: it was misread). A published key that nothing replaces is
    ``withdrawn``, with the reason: it named a misreading. Published keys are never dropped or
    reused; a withdrawn one that a life takes again is live again.
    """
    published = [dict(e) for e in published or ()]
    taken |= {e["key"] for e in published}
    reused: set[str] = set()
    alias: dict[str, str] = {}    # published key → key of the life that covers it (bodies of other entries)
    live = [e for e in published if not e.get("replaced_by")]

    def owner_of(entry: dict) -> str | None:
        key, seen = entry["body"], set()
        while key in alias and key not in reused and key not in seen:
            seen.add(key)
            key = alias[key]
        return key

    def same(entry: dict, life: Life, owner: str | None, rank: bool = True, read_again: bool = False) -> bool:
        return ((read_name(entry["name"]) if read_again else entry["name"]) == life.name
                and (entry["rank"] == life.rank or not rank)
                and owner_of(entry) == owner and Period.of(entry["from"], entry.get("until")).overlaps(Period.of(life.first, life.until)))

    all_lives: list[tuple[Life, str | None]] = []
    for lives in eras:
        by_id = {life.id: life for life in lives.lives}
        for life in sorted(lives.lives, key=lambda l: (l.first, l.id)):
            owner = by_id[life.body].key if life.body is not None else None
            all_lives.append((life, owner))
            match = [r["key"] for r in registry if r["name"] == life.name and r["body"] == owner
                     and r["rank"] == life.rank and r["key"] not in reused
                     and Period.of(r["from"], r["until"]).overlaps(Period.of(life.first, life.until))]
            # the same period first: it tells apart two units of one name and rank in one body. A
            # top-level body is the same body whatever rank a reading gives it (the folder's body).
            candidates = sorted((e for e in live if e["key"] not in reused
                                 and same(e, life, owner, rank=life.body is not None)),
                                key=lambda e: (e["rank"] != life.rank,
                                               (e["from"], e.get("until")) != (life.first, life.until),
                                               e["from"], e["key"]))
            if match:
                life.key = match[0]
            elif candidates:
                life.key = candidates.pop(0)["key"]
            else:
                base = f"{owner}/{segment(life.name)}" if owner else segment(life.name)
                key, n = base, 1
                while key in taken:
                    n += 1
                    key = f"{base}~{n}"
                life.key = key
            reused.add(life.key)
            taken.add(life.key)
            for entry in candidates:
                if entry["key"] not in reused:
                    alias.setdefault(entry["key"], life.key)
    out = {e["key"]: e for e in published}
    changed = True
    while changed:  # an entry's body may itself be replaced: resolve outer bodies first
        changed = False
        for entry in published:
            if entry["key"] in reused or entry.get("replaced_by"):
                continue
            life = next((l for l, owner in all_lives if same(entry, l, owner)), None) or next(
                (l for l, owner in all_lives if same(entry, l, owner, rank=False)), None) or next(  # a rank misread
                (l for l, owner in all_lives if same(entry, l, owner, read_again=True)), None)  # a name misread
            if life is not None:
                out[entry["key"]] = {**{k: v for k, v in entry.items() if k != "withdrawn"}, "replaced_by": life.key}
                alias[entry["key"]] = life.key
                entry["replaced_by"] = life.key
                changed = True
    for entry in published:
        if entry["key"] not in reused and not entry.get("replaced_by"):
            out[entry["key"]] = {**entry, "withdrawn": entry.get("withdrawn") or WITHDRAWN}
    for life, owner in all_lives:  # a life's entry, live (again)
        entry = {"key": life.key, "name": life.name, "rank": life.rank, "body": owner, "from": life.first}
        if life.until:
            entry["until"] = life.until
        out[life.key] = entry
    _follow_replacements(out)
    return sorted(out.values(), key=lambda e: (e["from"], e["key"]))


def _follow_replacements(out: dict[str, dict]) -> None:
    """A key replaced by one that a later reading replaced or withdrew in turn: replaced by the key
    at the end of the chain, or withdrawn with it (never replaced by a key that names no unit)."""
    for entry in out.values():
        target, seen = entry.get("replaced_by"), {entry["key"]}
        while target in out and out[target].get("replaced_by") and target not in seen:
            seen.add(target)
            target = out[target]["replaced_by"]
        if target is None:
            continue
        if target in out and out[target].get("withdrawn"):
            del entry["replaced_by"]
            entry["withdrawn"] = out[target]["withdrawn"]
        else:
            entry["replaced_by"] = target

