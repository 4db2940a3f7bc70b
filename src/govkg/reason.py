"""Reason stage: the ontology and the default graph in owlready2, checked by HermiT.

HermiT says only *that* the data is inconsistent. To give curators something to act on, an
inconsistency is followed by diagnostic queries that name the resources breaking a
disjointness axiom of the ontology (e.g. a unit typed both as a bureau and as a division).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import owlready2
from pyoxigraph import DefaultGraph, Quad, RdfFormat, Store, Triple, serialize

_DISJOINT_QUERY = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?x ?a ?b WHERE {
  { ?a owl:disjointWith ?b }
  UNION { ?axiom a owl:AllDisjointClasses ; owl:members ?list .
          ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b . FILTER(?a != ?b) }
  ?x rdf:type/rdfs:subClassOf* ?a .
  ?x rdf:type/rdfs:subClassOf* ?b .
  FILTER(STR(?a) < STR(?b))
} ORDER BY ?x ?a ?b
"""


@dataclass(frozen=True)
class ReasonResult:
    consistent: bool
    explanation: tuple[str, ...]
    seconds: float


def check_consistency(ontology: list[Triple], store: Store) -> ReasonResult:
    """Loads the ontology and the default graph into owlready2 and runs HermiT."""
    import time

    started = time.perf_counter()
    data = [Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, DefaultGraph())]
    with tempfile.TemporaryDirectory(prefix="govkg-owl-") as tmp:
        path = Path(tmp) / "govkg-abox.nt"
        serialize([*ontology, *data], str(path), RdfFormat.N_TRIPLES)
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, ignore_unsupported_datatypes=True, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasonResult(False, explain(ontology, data), time.perf_counter() - started)
        finally:
            world.close()
    return ReasonResult(True, (), time.perf_counter() - started)


def explain(ontology: list[Triple], data: list[Triple]) -> tuple[str, ...]:
    """Resources whose types are declared disjoint, each with the two classes."""
    store = Store()
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in [*ontology, *data])
    found = [f"{row['x'].value} is both a {row['a'].value} and a {row['b'].value}, "
             "which the ontology declares disjoint: give it one rank or kind"
             for row in store.query(_DISJOINT_QUERY)]
    return tuple(found) or ("HermiT found the ontology and data inconsistent, and no disjointness clash explains it: "
                            "check recent changes to ontology/govkg.ttl and to the types the transform writes",)
