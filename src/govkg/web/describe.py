"""RDF representations of a resource: its description in Turtle, N-Triples, RDF/XML, compacted
JSON-LD (with the published context), TriG and N-Quads.

Triple formats carry the default-graph description. The quad formats add what the snapshot graphs
say about the resource (its parent and duties on each date) in those graphs; a snapshot graph's
own IRI gives its content. The ontology IRI (``def/``) gives the whole ontology.
"""

from __future__ import annotations

from pyoxigraph import DefaultGraph, Quad, Triple, serialize

from .. import rdfio
from ..formats import JSONLD, PREFIXED, QUAD_FORMATS, Format
from .model import Model


def triples_of(model: Model, iri: str) -> list[Triple]:
    if iri == model.iris.vocab:
        return list(model.ontology)
    out = model.triples(iri)
    if iri in model.named_graphs:
        out += [q.triple for q in model.graph_content(iri)]
    return rdfio.sorted_triples(set(out))


def quads_of(model: Model, iri: str) -> list[Quad]:
    quads = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in
             (model.ontology if iri == model.iris.vocab else rdfio.sorted_triples(model.triples(iri)))]
    extra = model.graph_content(iri) if iri in model.named_graphs else model.graph_quads(iri)
    return quads + sorted(extra, key=lambda q: (q.graph_name.value, str(q.subject), str(q.predicate), str(q.object)))


def serialize_rdf(model: Model, data: list, fmt: Format) -> bytes:
    """Bytes of triples (or quads, for TriG and N-Quads) in one of the RDF formats."""
    if fmt == JSONLD:
        return rdfio.jsonld(data, model.iris, model.iris.base + "context.jsonld").encode("utf-8")
    prefixes = rdfio.prefixes(model.iris, things=False) if fmt.rdf in PREFIXED else None
    return serialize(data, format=fmt.rdf, prefixes=prefixes)


def representation(model: Model, iri: str, fmt: Format) -> bytes:
    data = quads_of(model, iri) if fmt in QUAD_FORMATS else triples_of(model, iri)
    return serialize_rdf(model, data, fmt)


def representations(model: Model, iri: str, formats: tuple[Format, ...]) -> dict[Format, bytes]:
    """Several RDF formats of one description, reading it once (the quads only if a format needs them)."""
    triples = triples_of(model, iri) if any(f not in QUAD_FORMATS for f in formats) else None
    quads = quads_of(model, iri) if any(f in QUAD_FORMATS for f in formats) else None
    return {f: serialize_rdf(model, quads if f in QUAD_FORMATS else triples, f) for f in formats}
