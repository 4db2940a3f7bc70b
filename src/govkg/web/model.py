"""The graph as the pages see it: the data store plus the ontology and VoID triples, with labels,
types and snapshots read once, and IRI ↔ local path mapping.

A local path is an IRI under the base without the base: ``id/org/행정안전부`` stands for
``<base>id/org/행정안전부`` on the server and in the static site.

A page reads a few resources many times (its own description, the law versions it cites), so a
resource's description is read from the store in one pass and kept in a bounded cache; what is
shared by many pages (each snapshot's tree, the dated events) is read once. A page's cost thus
follows what it shows, not the size of the graph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse

from .. import rdfio
from ..iris import DCTERMS, ORG, RDF, RDFS, SKOS, VOID, Iris
from ..queries import Example, read_examples

_LABELS = (SKOS + "prefLabel", RDFS + "label", DCTERMS + "title")
DESCRIPTIONS_CACHED = 1 << 14  # resources whose description a process keeps at once


@dataclass(frozen=True)
class Description:
    """What the default graph and the ontology/VoID say with one IRI as subject."""

    triples: tuple[Triple, ...]              # the ontology's and VoID's first, then the store's, in its order
    objects: dict[str, tuple]                # predicate → its objects, sorted by their N-Triples form
    values: dict[str, tuple[str, ...]]       # predicate → those objects' values (IRIs, lexical forms), once asked


@dataclass(frozen=True)
class Snapshot:
    iri: str
    body: str
    date: str
    until: str | None


class Model:
    """Read-only view of one release."""

    def __init__(self, store: Store, iris: Iris, ontology: Iterable[Triple], void: Iterable[Triple],
                 examples: list[Example]):
        self.store, self.iris, self.examples = store, iris, examples
        self._parents: dict[str, dict[str, str]] = {}
        self._trees: dict[str, dict[str, list[str]]] = {}
        self._resources: list[str] | None = None
        self._dated: tuple[list[str], list[str]] | None = None
        self._instances: Counter | None = None
        self.description = lru_cache(maxsize=DESCRIPTIONS_CACHED)(self._describe)
        self.ontology = rdfio.sorted_triples(rdfio.canonical_blank_nodes(ontology))
        self.meta: dict[str, list[Triple]] = defaultdict(list)
        for t in [*self.ontology, *void]:
            self.meta[str(t.subject)].append(t)
        self.labels: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        self.types: dict[str, set[str]] = defaultdict(set)
        for t in self._default_with(*_LABELS, RDF + "type"):
            s, p, o = t.subject, t.predicate.value, t.object
            if p in _LABELS and isinstance(o, Literal) and isinstance(s, NamedNode):
                seen = self.labels[s.value][p].get(o.language or "")
                if seen is None or o.value < seen:  # the same label whatever order the store gives
                    self.labels[s.value][p][o.language or ""] = o.value
            elif p == RDF + "type" and isinstance(o, NamedNode):
                self.types[str(s)].add(o.value)
        self.snapshots: dict[str, list[Snapshot]] = defaultdict(list)
        term = iris.term
        for iri in sorted(s for s, classes in self.types.items() if term("Snapshot") in classes):
            graph = iri[1:-1]
            self.snapshots[self.one(graph, DCTERMS + "subject")].append(
                Snapshot(graph, self.one(graph, DCTERMS + "subject"), self.one(graph, DCTERMS + "date"),
                         self.one(graph, term("validUntil"))))
        for body in self.snapshots.values():
            body.sort(key=lambda s: s.date)
        self.named_graphs = {g.value for g in store.named_graphs()}

    @classmethod
    def from_build(cls, store: Store, build: Path, iris: Iris) -> Model:
        """The model of a published build folder, over an opened store of its dataset."""
        ontology = parse(path=str(build / "ontology/govkg.ttl"), format=RdfFormat.TURTLE)
        void = parse(path=str(build / "void.ttl"), format=RdfFormat.TURTLE)
        return cls(store, iris, ontology, void, read_examples(build / "queries", iris))

    def _default_with(self, *predicates: str) -> Iterable[Triple]:
        """The triples of the default graph and the ontology/VoID with one of ``predicates``: read
        by predicate, not by a pass over every triple."""
        for p in predicates:
            yield from (q.triple for q in self.store.quads_for_pattern(None, NamedNode(p), None, DefaultGraph()))
        wanted = set(predicates)
        for triples in self.meta.values():
            yield from (t for t in triples if t.predicate.value in wanted)

    # --- IRIs and paths ---------------------------------------------------------------------

    def local(self, iri: str) -> str | None:
        return self.iris.local(iri)

    def iri(self, path: str) -> str:
        return self.iris.base + path

    def exists(self, iri: str) -> bool:
        key = f"<{iri}>"
        return (key in self.meta or key in self.types or iri in self.named_graphs
                or next(self.store.quads_for_pattern(NamedNode(iri), None, None, DefaultGraph()), None) is not None)

    def resources(self) -> list[str]:
        """Every IRI under the base that has a description, sorted (read once)."""
        if self._resources is None:
            found = {iri for iri in self.named_graphs}
            found.update(key[1:-1] for key in list(self.meta) + list(self.types) if key.startswith("<"))
            found.update(row[0].value for row in self.store.query(  # distinct in the store, not in Python
                "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"))
            self._resources = sorted(iri for iri in found if self.local(iri) is not None)
        return self._resources

    # --- reading ----------------------------------------------------------------------------

    def _describe(self, iri: str) -> Description:
        """The description of ``iri`` read in one pass over the store (``description`` caches it)."""
        stored = [q.triple for q in self.store.quads_for_pattern(NamedNode(iri), None, None, DefaultGraph())]
        meta = self.meta.get(f"<{iri}>", ())
        objects: dict[str, list] = defaultdict(list)
        for t in [*stored, *meta]:
            objects[t.predicate.value].append(t.object)
        ordered = {p: tuple(sorted(found, key=str)) if len(found) > 1 else tuple(found) for p, found in objects.items()}
        return Description((*meta, *stored), ordered, {})

    def triples(self, iri: str) -> list[Triple]:
        """The description: triples with the IRI as subject (default graph and ontology/VoID), and
        those of the blank nodes they reach, as in a Concise Bounded Description."""
        out, todo, seen = [], [NamedNode(iri)], set()
        while todo:
            node = todo.pop()
            if str(node) in seen:
                continue
            seen.add(str(node))
            found = (self.description(node.value).triples if isinstance(node, NamedNode)
                     else self.meta.get(str(node), ()))
            for t in found:
                out.append(t)
                if isinstance(t.object, BlankNode):
                    todo.append(t.object)
        return out

    def graph_quads(self, iri: str) -> list[Quad]:
        """Statements about the IRI in the snapshot graphs (parents and purposes over time)."""
        return [q for q in self.store.quads_for_pattern(NamedNode(iri), None, None)
                if not isinstance(q.graph_name, DefaultGraph)]

    def graph_content(self, graph: str) -> list[Quad]:
        return list(self.store.quads_for_pattern(None, None, None, NamedNode(graph)))

    def objects(self, iri: str, predicate: str) -> list:
        return list(self.description(iri).objects.get(predicate, ()))

    def values(self, iri: str, predicate: str) -> list[str]:
        return list(self._values(iri, predicate))

    def one(self, iri: str, predicate: str) -> str | None:
        found = self._values(iri, predicate)
        return found[0] if found else None

    def _values(self, iri: str, predicate: str) -> tuple[str, ...]:
        described = self.description(iri)
        found = described.values.get(predicate)
        if found is None:  # made once per description and predicate (the same whichever thread makes it)
            found = described.values[predicate] = tuple(str(o) if isinstance(o, Triple) else o.value
                                                        for o in described.objects.get(predicate, ()))
        return found

    def subjects(self, predicate: str, obj: str, graph: str | None = None) -> list[str]:
        g = NamedNode(graph) if graph else DefaultGraph()
        return sorted({q.subject.value for q in self.store.quads_for_pattern(None, NamedNode(predicate), NamedNode(obj), g)
                       if isinstance(q.subject, NamedNode)})

    def incoming(self, iri: str) -> list[tuple[str, str]]:
        """(subject, predicate) of default-graph triples pointing at the IRI."""
        return sorted({(q.subject.value, q.predicate.value)
                       for q in self.store.quads_for_pattern(None, None, NamedNode(iri), DefaultGraph())
                       if isinstance(q.subject, NamedNode)})

    def instances(self, cls: str) -> int:
        """How many IRIs have the type ``cls`` (counted once for every class)."""
        if self._instances is None:
            self._instances = Counter(c for key, classes in self.types.items() if key.startswith("<") for c in classes)
        return self._instances[cls]

    def is_a(self, iri: str, local_name: str) -> bool:
        return self.iris.term(local_name) in self.types.get(f"<{iri}>", ())

    def label(self, iri: str, lang: str | None = None) -> str | None:
        """The label in ``lang`` ("ko", "en"; None: Korean, then English, then any)."""
        found = self.labels.get(iri)
        if not found:
            return None
        for predicate in _LABELS:
            by_lang = found.get(predicate)
            if not by_lang:
                continue
            if lang is not None:
                if lang in by_lang:
                    return by_lang[lang]
                continue
            for choice in ("ko", "en", ""):
                if choice in by_lang:
                    return by_lang[choice]
            return next(iter(by_lang.values()))
        return None

    def snapshot_at(self, body: str, day: str) -> Snapshot | None:
        """The body's snapshot in force on ``day``: the latest dated on or before it."""
        found = [s for s in self.snapshots.get(body, ()) if s.date <= day]
        return found[-1] if found else None

    def parents(self, snapshot: Snapshot) -> dict[str, str]:
        """unit → its direct parent in a snapshot graph (read once per snapshot)."""
        if snapshot.iri not in self._parents:
            self._parents[snapshot.iri] = {
                q.subject.value: q.object.value for q in self.store.quads_for_pattern(
                    None, NamedNode(ORG + "subOrganizationOf"), None, NamedNode(snapshot.iri))}
        return self._parents[snapshot.iri]

    def tree(self, snapshot: Snapshot) -> dict[str, list[str]]:
        """parent → children (sorted by Korean name) in a snapshot graph (made once per snapshot;
        not to be changed by the caller)."""
        if snapshot.iri not in self._trees:
            children: dict[str, list[str]] = {}
            for unit, parent in self.parents(snapshot).items():
                children.setdefault(parent, []).append(unit)
            for kids in children.values():
                kids.sort(key=lambda k: (self.label(k, "ko") or k, k))
            self._trees[snapshot.iri] = children
        return self._trees[snapshot.iri]

    def dated_between(self, after: str, until: str) -> list[str]:
        """The subjects with a ``dcterms:date`` (in any graph) after ``after``, up to ``until``
        (the dates indexed once, then found by bisection)."""
        if self._dated is None:
            pairs = sorted({(q.object.value, q.subject.value)
                            for q in self.store.quads_for_pattern(None, NamedNode(DCTERMS + "date"), None)
                            if isinstance(q.subject, NamedNode)})
            self._dated = ([d for d, _ in pairs], [s for _, s in pairs])
        days, subjects = self._dated
        return subjects[bisect_right(days, after):bisect_right(days, until)]

    def void_dataset(self) -> str:
        return self.iris.base + "dataset"

    def void_value(self, predicate: str) -> str | None:
        return self.one(self.void_dataset(), VOID + predicate)


def base_of(build: Path) -> str:
    """The base IRI the build was made with: its VoID uriSpace without the trailing ``id/``."""
    text = (build / "void.ttl").read_text(encoding="utf-8")
    found = re.search(r'void:uriSpace\s+"([^"]+)id/"', text) or re.search(rf'<{re.escape(VOID)}uriSpace>\s+"([^"]+)id/"', text)
    if not found:
        raise ValueError(f"{build}/void.ttl has no void:uriSpace; pass --base")
    return found.group(1)
