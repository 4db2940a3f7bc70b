"""A resource's history as the pages show it: parent chains and children merged into spans, a
duty's citations grouped by provision, the breadcrumbs of a unit, when a resource's facts last
changed (and by which law version).

Plain values for the pages to render; the merging itself is ``govkg.spans``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..iris import CV, DCTERMS, ORG
from ..spans import Citation, CitationGroup, Span, group_citations, merge
from ..timeutil import day_after
from .model import Model


def _snapshots_with(model: Model, unit: str):
    body = model.one(unit, model.iris.term("body")) or unit
    for snap in model.snapshots.get(body, ()):
        if unit == body or unit in model.parents(snap):
            yield snap


def parent_spans(model: Model, unit: str) -> list[Span[tuple[str, ...]]]:
    """The unit's parent chain (body first, direct parent last) over time, one span per chain."""
    intervals = []
    for snap in _snapshots_with(model, unit):
        parents, chain, node = model.parents(snap), [], unit
        while node in parents and parents[node] not in chain:
            node = parents[node]
            chain.insert(0, node)
        if chain:
            intervals.append((snap.date, snap.until, tuple(chain)))
    return merge(intervals)


def children_spans(model: Model, unit: str) -> list[Span[tuple[str, ...]]]:
    """The unit's direct children over time (sorted by name), one span per set of children."""
    return merge((snap.date, snap.until, tuple(model.tree(snap).get(unit, ())))
                 for snap in _snapshots_with(model, unit) if model.tree(snap).get(unit))


@dataclass(frozen=True)
class ChildChange:
    date: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


def children_changes(spans: list[Span[tuple[str, ...]]]) -> list[ChildChange]:
    """What changed among the children from one span to the next; where spans leave a gap, the
    children left at its start and came back at its end."""
    out = []
    for prev, cur in zip(spans, spans[1:]):
        before = prev.value
        if prev.end != cur.start:
            out.append(ChildChange(prev.end, (), prev.value))
            before = ()
        out.append(ChildChange(cur.start, tuple(c for c in cur.value if c not in before),
                               tuple(c for c in before if c not in cur.value)))
    return out


def breadcrumbs(model: Model, unit: str) -> tuple[str, ...]:
    """body › office › bureau: the parent chain of the unit's latest span."""
    spans = parent_spans(model, unit)
    return spans[-1].value if spans else ()


def citation_groups(model: Model, iri: str) -> list[CitationGroup]:
    """The resource's provisions grouped by what stays the same across law versions (the law, the
    article, paragraph and item), each with the first and last version and how many."""
    t, cites = model.iris.term, []
    for source in model.values(iri, DCTERMS + "source"):
        version = model.one(source, DCTERMS + "isPartOf")
        if version is None or model.one(source, t("article")) is None:
            continue
        law = model.one(version, DCTERMS + "isVersionOf")
        key = (law, model.one(source, t("article")), model.one(source, t("paragraph")), model.one(source, t("item")))
        cites.append(Citation(key, model.one(version, DCTERMS + "identifier") or version,
                              model.one(version, t("effectiveDate")) or model.one(version, DCTERMS + "issued") or "",
                              source))
    return group_citations(cites)


@dataclass(frozen=True)
class Freshness:
    date: str                  # the last day on which a fact about the resource changed
    versions: tuple[str, ...]  # the law versions cited for it that took effect last, on or before that day


def freshness(model: Model, iri: str) -> Freshness | None:
    """When the resource's facts last changed: its own start or the day after its end, and for a
    unit also its duties', its events' and its parent chain's changes; with the law versions it
    (or its duties and events) cites that took effect last, on or before that day."""
    t = model.iris.term
    days: set[str] = set()
    cited: set[str] = set()

    def own(node: str) -> None:
        start, end = model.one(node, t("attestedFrom")), model.one(node, t("attestedUntil"))
        days.update(d for d in (start, end and day_after(end)) if d)
        cited.update(model.values(node, DCTERMS + "source"))

    own(iri)
    if model.is_a(iri, "Organization"):
        for duty in model.subjects(t("heldBy"), iri):
            own(duty)
        for p in ("changedBy", "resultedFrom"):
            for event in model.values(iri, ORG + p):
                days.update(model.values(event, DCTERMS + "date"))
                cited.update(model.values(event, CV + "hasFormalFramework"))
        days.update(s.start for s in parent_spans(model, iri)[1:])
    elif model.is_a(iri, "ChangeEvent"):
        days.update(model.values(iri, DCTERMS + "date"))
        cited.update(model.values(iri, CV + "hasFormalFramework"))
    if not days:
        return None
    last = max(days)
    effective: dict[str, str] = {}
    for source in cited:
        version = model.one(source, DCTERMS + "isPartOf") or source
        day = model.one(version, t("effectiveDate"))
        if day and day <= last:
            effective[version] = day
    latest = max(effective.values(), default=None)
    return Freshness(last, tuple(sorted(v for v, day in effective.items() if day == latest)))
