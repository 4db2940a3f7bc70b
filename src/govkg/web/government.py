"""The whole government as the pages see it: every body by kind with its dates, the Government
Organization Act's placements, and the national snapshots (docs/model.md, "The whole government").

``of(model)`` reads it once per model, with one indexed scan per class and predicate, never one
per body; what a national snapshot holds is read from its own graph when a page first asks for it.
A page's cost thus follows the bodies it shows, not the size of the graph.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from pyoxigraph import DefaultGraph, NamedNode

from ..iris import DCTERMS, ORG, PROV, RDF
from ..vocab import RANKS
from .model import Model, Snapshot

BODY_KINDS = tuple(r.local for r in RANKS if r.body)  # most specific first, the order of the home page


@dataclass(frozen=True)
class Placement:
    """The Act's statement that a body is under a head or a ministry (or set up by another law) over a period."""

    iri: str
    body: str
    under: str | None
    law: str | None
    start: str
    until: str | None          # the last day, inclusive; None: still in force


@dataclass(frozen=True)
class National:
    """A national snapshot: the government as of ``date``, valid until ``until`` (exclusive)."""

    iri: str
    date: str
    until: str | None
    law: str | None            # the Act's version in force
    parts: dict[str, str]      # body → its own snapshot graph then in force


@dataclass(frozen=True)
class BodyLine:
    body: str
    start: str | None
    end: str | None
    placements: tuple[Placement, ...]
    predecessors: tuple[str, ...]


@dataclass(frozen=True)
class Chart:
    """What a national snapshot shows: the heads on top, each body under its head or ministry, and
    the bodies the Act names as set up by their own laws."""

    national: National
    roots: list[str]                # the heads: bodies with bodies under them and no one above
    children: dict[str, list[str]]
    by_law: list[tuple[str, str]]   # (body, the law that sets it up)

    def below(self, root: str) -> int:
        return _below(self.children, root)

    @property
    def bodies(self) -> int:
        return len({k for kids in self.children.values() for k in kids} | set(self.roots)
                   | {b for b, _ in self.by_law})


class Government:
    def __init__(self, model: Model):
        self.model = model
        m, t = model, model.iris.term
        self.kinds: dict[str, str] = {}
        for local in reversed(BODY_KINDS):  # the most specific kind a body has wins
            for body in _subjects(m, RDF + "type", NamedNode(t(local))):
                self.kinds[body] = local
        self.placements: dict[str, list[Placement]] = defaultdict(list)
        for iri in _subjects(m, RDF + "type", NamedNode(t("Placement"))):
            body, start = m.one(iri, t("placedBody")), m.one(iri, t("attestedFrom"))
            if body is None or start is None:
                continue
            self.placements[body].append(Placement(iri, body, m.one(iri, t("placedUnder")), m.one(iri, t("placedByLaw")),
                                                   start, m.one(iri, t("attestedUntil"))))
        for found in self.placements.values():
            found.sort(key=lambda p: p.start)
        parts: dict[str, dict[str, str]] = defaultdict(dict)
        for q in m.store.quads_for_pattern(None, NamedNode(DCTERMS + "hasPart"), None, DefaultGraph()):
            if isinstance(q.object, NamedNode):
                body = m.one(q.object.value, DCTERMS + "subject")
                if body:
                    parts[q.subject.value][body] = q.object.value
        self.snapshots: list[National] = sorted(
            (National(iri, day, m.one(iri, t("validUntil")), m.one(iri, PROV + "wasDerivedFrom"), parts.get(iri, {}))
             for iri in _subjects(m, RDF + "type", NamedNode(t("NationalSnapshot")))
             if (day := m.one(iri, DCTERMS + "date"))), key=lambda n: n.date)
        self._dates = [n.date for n in self.snapshots]
        self.body_snapshots: dict[str, Snapshot] = {s.iri: s for snaps in m.snapshots.values() for s in snaps}
        self._charts: dict[str, Chart] = {}
        self._bodies: list[tuple[str, list[BodyLine]]] | None = None

    def national(self, iri: str) -> National | None:
        return next((n for n in self.snapshots if n.iri == iri), None)

    def at(self, day: str) -> National | None:
        """The national snapshot in force on ``day``: the latest dated on or before it."""
        i = bisect_right(self._dates, day)
        return self.snapshots[i - 1] if i else None

    def chart(self, national: National) -> Chart:
        """The tree of one national snapshot, from its graph (read once)."""
        if national.iri not in self._charts:
            m = self.model
            children: dict[str, list[str]] = defaultdict(list)
            parent: dict[str, str] = {}
            for q in m.store.quads_for_pattern(None, NamedNode(ORG + "subOrganizationOf"), None, NamedNode(national.iri)):
                children[q.object.value].append(q.subject.value)
                parent[q.subject.value] = q.object.value
            for kids in children.values():
                kids.sort(key=self.order)
            # the head with the most bodies under it first (the President's), then the Act's order of kinds
            roots = sorted((p for p in children if p not in parent), key=lambda r: (-_below(children, r), self.order(r)))
            by_law = sorted(((p.body, p.law) for found in self.placements.values() for p in found
                             if p.law and p.start <= national.date and (p.until is None or national.date <= p.until)),
                            key=lambda pair: self.order(pair[0]))
            self._charts[national.iri] = Chart(national, roots, dict(children), by_law)
        return self._charts[national.iri]

    def order(self, body: str) -> tuple:
        """Bodies in the order the Act's kinds give (heads, ministries, 처, 청 …), then by Korean name."""
        kind = self.kinds.get(body)
        return (BODY_KINDS.index(kind) if kind in BODY_KINDS else len(BODY_KINDS),
                self.model.label(body, "ko") or self.model.label(body) or body, body)

    def bodies_by_kind(self) -> list[tuple[str, list[BodyLine]]]:
        """Every body grouped by kind (in the ontology's order of ranks); within a kind the current ones
        (no end attested) first, then by start, newest first; each with its placements and the
        bodies it came from (made once)."""
        if self._bodies is None:
            self._bodies = self._group_bodies()
        return self._bodies

    def _group_bodies(self) -> list[tuple[str, list[BodyLine]]]:
        m, t, groups = self.model, self.model.iris.term, defaultdict(list)
        for body, local in self.kinds.items():
            if m.local(body) is None:
                continue
            before = tuple(sorted({o for e in m.values(body, ORG + "resultedFrom")
                                   for o in m.values(e, ORG + "originalOrganization")}
                                  | {o for o in m.values(body, PROV + "wasDerivedFrom") if m.is_a(o, "Organization")}))
            groups[local].append(BodyLine(body, m.one(body, t("attestedFrom")), m.one(body, t("attestedUntil")),
                                          tuple(self.placements.get(body, ())), before))
        newest_first = lambda b: -dt.date.fromisoformat(b.start).toordinal() if b.start else 0  # noqa: E731
        return [(kind, sorted(groups[kind], key=lambda b: (b.end is not None, newest_first(b), self.order(b.body))))
                for kind in BODY_KINDS if groups.get(kind)]


_MADE: WeakKeyDictionary = WeakKeyDictionary()


def of(model: Model) -> Government:
    """The government view of ``model``, made once."""
    found = _MADE.get(model)
    if found is None:
        found = _MADE[model] = Government(model)
    return found


def _subjects(m: Model, predicate: str, obj: NamedNode) -> list[str]:
    return sorted({q.subject.value for q in m.store.quads_for_pattern(None, NamedNode(predicate), obj, DefaultGraph())
                   if isinstance(q.subject, NamedNode)})



def _below(children: dict[str, list[str]], root: str) -> int:
    """How many bodies a tree holds under ``root``."""
    seen, todo = set(), list(children.get(root, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(children.get(node, ()))
    return len(seen)
