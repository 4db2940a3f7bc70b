"""Deterministic RDF reading and writing on top of pyoxigraph.

Triples are written sorted (subject, then rdf:type first, then predicate and object), so two
builds give byte-identical files and diffs read well.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from .formats import PREFIXED
from .iris import RDF, STANDARD_PREFIXES, XSD, Iris

_RDF_TYPE = RDF + "type"


def prefixes(iris: Iris, *, things: bool = True) -> dict[str, str]:
    """Prefixes for output. ``things=False`` leaves out ``id:`` and ``graph:``: Turtle would have to
    escape every '/' in their local names, so IRIs of things are written in full there."""
    spaces = {"govkg": iris.vocab, "gks": iris.shapes, **STANDARD_PREFIXES}
    if things:
        spaces |= {"id": iris.base + "id/", "graph": iris.base + "graph/"}
    return spaces


def _term_key(term) -> tuple:
    return (0 if isinstance(term, NamedNode) else 1 if isinstance(term, BlankNode) else 2, str(term))


def _triple_key(t) -> tuple:
    return (_term_key(t.subject), t.predicate.value != _RDF_TYPE, t.predicate.value, _term_key(t.object))


def canonical_blank_nodes(triples: Iterable) -> list[Triple]:
    """Relabels blank nodes by rdflib's canonical labelling, so output with blank nodes (the
    ontology's restrictions and lists) is the same on every run."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    data = serialize((Triple(t.subject, t.predicate, t.object) for t in triples), format=RdfFormat.N_TRIPLES)
    canonical = to_canonical_graph(Graph().parse(data=data.decode("utf-8"), format="nt"))
    return list(parse(canonical.serialize(format="nt").encode("utf-8"), format=RdfFormat.N_TRIPLES))


def sorted_triples(triples: Iterable) -> list[Triple]:
    return sorted((Triple(t.subject, t.predicate, t.object) for t in triples), key=_triple_key)


def sorted_quads(store: Store) -> list[Quad]:
    def key(q: Quad) -> tuple:
        graph = "" if isinstance(q.graph_name, DefaultGraph) else q.graph_name.value
        return (graph, *_triple_key(q))
    return sorted(store, key=key)


def default_graph(store: Store) -> list[Triple]:
    return sorted_triples(store.quads_for_pattern(None, None, None, DefaultGraph()))


DATA_PREFIXES = ("rdf", "rdfs", "xsd", "skos", "prov", "dcterms", "org", "cv", "cpsv", "foaf", "govkg")
VOID_PREFIXES = ("rdf", "rdfs", "xsd", "void", "dcat", "dcterms", "foaf")


def write(data: Iterable, path: Path, fmt: RdfFormat, iris: Iris, names: Iterable[str] | None = None) -> None:
    """Serializes in the given format; Turtle, TriG and RDF/XML get the named prefixes (default: all)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    spaces = prefixes(iris, things=False)
    if names is not None:
        spaces = {name: spaces[name] for name in names}
    serialize(data, str(path), fmt, prefixes=spaces if fmt in PREFIXED else None)


# --- compacted JSON-LD ---------------------------------------------------------------------

def jsonld_context(iris: Iris) -> dict:
    """The published @context: prefixes only, so compaction and expansion are exact."""
    return {"@context": dict(sorted(prefixes(iris).items()))}


def _compact(iri: str, table: list[tuple[str, str]]) -> str:
    for prefix, ns in table:
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns):]
            if not local.startswith("//") and ":" not in local.split("/")[0]:
                return f"{prefix}:{local}"
    return iri


def jsonld(triples: Iterable[Triple], iris: Iris, context_iri: str, indent: int | None = None) -> str:
    """Compacted JSON-LD, one node object per subject, that jsonld expand() turns back into exactly
    these triples (IRIs compacted only with the context's prefixes)."""
    table = sorted(prefixes(iris).items(), key=lambda kv: -len(kv[1]))
    nodes: dict[str, dict] = {}
    for t in triples:
        subject = t.subject.value if isinstance(t.subject, NamedNode) else f"_:{t.subject.value}"
        node = nodes.setdefault(subject, {"@id": _compact(subject, table)})
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, NamedNode):
            node.setdefault("@type", []).append(_compact(t.object.value, table))
            continue
        obj = t.object
        if isinstance(obj, NamedNode):
            value = {"@id": _compact(obj.value, table)}
        elif isinstance(obj, Literal):
            value = {"@value": obj.value}
            if obj.language:
                value["@language"] = obj.language
            elif obj.datatype.value != XSD + "string":
                value["@type"] = _compact(obj.datatype.value, table)
        else:
            value = {"@id": f"_:{obj.value}"}
        node.setdefault(_compact(t.predicate.value, table), []).append(value)
    doc = {"@context": context_iri, "@graph": list(nodes.values())}
    return json.dumps(doc, ensure_ascii=False, indent=indent) + "\n"


def write_jsonld(triples: list[Triple], path: Path, iris: Iris, context_iri: str) -> None:
    """``jsonld`` into a file, indented."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(jsonld(triples, iris, context_iri, indent=1), encoding="utf-8")
