"""The graph as the pages see it: the data store plus the ontology and VoID triples, with labels,
types and snapshots read once, and IRI ↔ local path mapping.

A local path is an IRI under the base without the base: ``id/org/행정안전부`` stands for
``<base>id/org/행정안전부`` on the server and in the static site.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse

from .. import rdfio
from ..iris import DCTERMS, ORG, RDF, RDFS, SKOS, VOID, Iris
from ..queries import Example, read_examples

_LABELS = (SKOS + "prefLabel", RDFS + "label", DCTERMS + "title")


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
        self.ontology = rdfio.sorted_triples(rdfio.canonical_blank_nodes(ontology))
        self.meta: dict[str, list[Triple]] = defaultdict(list)
        for t in [*self.ontology, *void]:
            self.meta[str(t.subject)].append(t)
        self.labels: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        self.types: dict[str, set[str]] = defaultdict(set)
        for t in self._all_default():
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
        self._parents: dict[str, dict[str, str]] = {}

    @classmethod
    def from_build(cls, store: Store, build: Path, iris: Iris) -> Model:
        """The model of a published build folder, over an opened store of its dataset."""
        ontology = parse(path=str(build / "ontology/govkg.ttl"), format=RdfFormat.TURTLE)
        void = parse(path=str(build / "void.ttl"), format=RdfFormat.TURTLE)
        return cls(store, iris, ontology, void, read_examples(build / "queries", iris))

    def _all_default(self) -> Iterable[Triple]:
        yield from self.store.quads_for_pattern(None, None, None, DefaultGraph())
        for triples in self.meta.values():
            yield from triples

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
        """Every IRI under the base that has a description, sorted."""
        found = {iri for iri in self.named_graphs}
        found.update(key[1:-1] for key in list(self.meta) + list(self.types) if key.startswith("<"))
        for q in self.store.quads_for_pattern(None, None, None, DefaultGraph()):
            if isinstance(q.subject, NamedNode):
                found.add(q.subject.value)
        return sorted(iri for iri in found if self.local(iri) is not None)

    # --- reading ----------------------------------------------------------------------------

    def triples(self, iri: str) -> list[Triple]:
        """The description: triples with the IRI as subject (default graph and ontology/VoID), and
        those of the blank nodes they reach, as in a Concise Bounded Description."""
        out, todo, seen = [], [NamedNode(iri)], set()
        while todo:
            node = todo.pop()
            if str(node) in seen:
                continue
            seen.add(str(node))
            found = list(self.meta.get(str(node), ()))
            if isinstance(node, NamedNode):
                found += [Triple(q.subject, q.predicate, q.object)
                          for q in self.store.quads_for_pattern(node, None, None, DefaultGraph())]
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
        node = NamedNode(iri)
        found = [q.object for q in self.store.quads_for_pattern(node, NamedNode(predicate), None, DefaultGraph())]
        found += [t.object for t in self.meta.get(f"<{iri}>", ()) if t.predicate.value == predicate]
        return sorted(found, key=str)

    def values(self, iri: str, predicate: str) -> list[str]:
        return [o.value for o in self.objects(iri, predicate)]

    def one(self, iri: str, predicate: str) -> str | None:
        found = self.values(iri, predicate)
        return found[0] if found else None

    def subjects(self, predicate: str, obj: str, graph: str | None = None) -> list[str]:
        g = NamedNode(graph) if graph else DefaultGraph()
        return sorted({q.subject.value for q in self.store.quads_for_pattern(None, NamedNode(predicate), NamedNode(obj), g)
                       if isinstance(q.subject, NamedNode)})

    def incoming(self, iri: str) -> list[tuple[str, str]]:
        """(subject, predicate) of default-graph triples pointing at the IRI."""
        return sorted({(q.subject.value, q.predicate.value)
                       for q in self.store.quads_for_pattern(None, None, NamedNode(iri), DefaultGraph())
                       if isinstance(q.subject, NamedNode)})

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
        """parent → children (sorted by Korean name) in a snapshot graph."""
        children: dict[str, list[str]] = defaultdict(list)
        for unit, parent in self.parents(snapshot).items():
            children[parent].append(unit)
        for kids in children.values():
            kids.sort(key=lambda k: (self.label(k, "ko") or k, k))
        return children

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
