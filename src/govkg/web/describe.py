"""RDF representations of a resource: its description in Turtle, N-Triples, RDF/XML, compacted
JSON-LD (with the published context), TriG and N-Quads.

Triple formats carry the default-graph description. The quad formats add what the snapshot graphs
say about the resource (its parent and duties on each date) in those graphs; a snapshot graph's
own IRI gives its content. The ontology IRI (``def/``) gives the whole ontology.
"""

from __future__ import annotations

import json

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from .. import rdfio
from ..formats import JSONLD, NQUADS, NTRIPLES, RDFXML, TRIG, TURTLE, Format
from ..iris import RDF, XSD
from .model import Model

_PYOX = {TURTLE: RdfFormat.TURTLE, NTRIPLES: RdfFormat.N_TRIPLES, RDFXML: RdfFormat.RDF_XML,
         TRIG: RdfFormat.TRIG, NQUADS: RdfFormat.N_QUADS}
_PREFIXED = (TURTLE, TRIG, RDFXML)


def triples_of(model: Model, iri: str) -> list[Triple]:
    if iri == model.iris.vocab:
        return list(model.ontology)
    out = model.triples(iri)
    if iri in model.named_graphs:
        out += [Triple(q.subject, q.predicate, q.object) for q in model.graph_content(iri)]
    return rdfio.sorted_triples(set(out))


def quads_of(model: Model, iri: str) -> list[Quad]:
    quads = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in
             (model.ontology if iri == model.iris.vocab else rdfio.sorted_triples(model.triples(iri)))]
    extra = model.graph_content(iri) if iri in model.named_graphs else model.graph_quads(iri)
    return quads + sorted(extra, key=lambda q: (q.graph_name.value, str(q.subject), str(q.predicate), str(q.object)))


def serialize_rdf(model: Model, data: list, fmt: Format) -> bytes:
    """Bytes of triples (or quads, for TriG and N-Quads) in one of the RDF formats."""
    if fmt == JSONLD:
        return jsonld(model, data)
    prefixes = rdfio.prefixes(model.iris, things=False) if fmt in _PREFIXED else None
    return serialize(data, format=_PYOX[fmt], prefixes=prefixes)


def representation(model: Model, iri: str, fmt: Format) -> bytes:
    data = quads_of(model, iri) if fmt in (TRIG, NQUADS) else triples_of(model, iri)
    return serialize_rdf(model, data, fmt)


def representations(model: Model, iri: str, formats: tuple[Format, ...]) -> dict[Format, bytes]:
    """Several RDF formats of one description, reading it once."""
    triples, quads = triples_of(model, iri), quads_of(model, iri)
    return {f: serialize_rdf(model, quads if f in (TRIG, NQUADS) else triples, f) for f in formats}


def jsonld(model: Model, triples: list[Triple]) -> bytes:
    """Compacted JSON-LD, one node object per subject, against the published context; expanding it
    gives back exactly these triples."""
    table = sorted(rdfio.prefixes(model.iris).items(), key=lambda kv: -len(kv[1]))

    def name(term) -> str:
        return str(term) if isinstance(term, BlankNode) else rdfio._compact(term.value, table)

    nodes: dict[str, dict] = {}
    for t in triples:
        node = nodes.setdefault(str(t.subject), {"@id": name(t.subject)})
        obj = t.object
        if t.predicate.value == RDF + "type" and isinstance(obj, NamedNode):
            node.setdefault("@type", []).append(name(obj))
            continue
        if isinstance(obj, Literal):
            value = {"@value": obj.value}
            if obj.language:
                value["@language"] = obj.language
            elif obj.datatype.value != XSD + "string":
                value["@type"] = name(obj.datatype)
        else:
            value = {"@id": name(obj)}
        node.setdefault(name(t.predicate), []).append(value)
    doc = {"@context": model.iris.base + "context.jsonld", "@graph": list(nodes.values())}
    return (json.dumps(doc, ensure_ascii=False) + "\n").encode("utf-8")
