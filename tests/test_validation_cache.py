"""The validation cache: what did not change is not validated again, and cached findings are the
findings a fresh run gives.

The curated build is validated with an empty cache, again (nothing new may be validated), and
after one unit's name changed: only the shapes that can read names run again.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, URIRef

from govkg.iris import Iris
from govkg.pipeline import Progress, assemble, read_shapes
from govkg.validate import _predicates, _snapshot_shapes, top_level_shapes, validate

from .conftest import project_paths

PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"


def _renamed(store: ox.Store) -> ox.Store:
    """The store with the first unit's skos:prefLabel changed (the default graph only)."""
    label = ox.NamedNode(PREF_LABEL)
    quad = min(store.quads_for_pattern(None, label, None, ox.DefaultGraph()), key=lambda q: (q.subject.value, str(q.object)))
    store.remove(quad)
    store.add(ox.Quad(quad.subject, label, ox.Literal(quad.object.value + "(개칭)", language="ko"), ox.DefaultGraph()))
    return store


def test_only_what_an_edit_touches_is_validated_again(tmp_path: Path):
    iris = Iris()
    paths = project_paths(tmp_path / "out")
    shapes = read_shapes(paths.shapes, iris)
    store, _ = assemble(paths, iris, Progress(None))
    cache = tmp_path / "cache"
    entries = lambda: set((cache / "validation").glob("*.nt"))  # noqa: E731

    first = validate(store, shapes=shapes, cache=cache)
    assert first.findings == validate(store, shapes=shapes).findings
    filled = entries()
    again = validate(store, shapes=shapes, cache=cache)
    assert entries() == filled and again.findings == first.findings

    renamed = validate(_renamed(store), shapes=shapes, cache=cache)
    assert renamed.findings == validate(store, shapes=shapes).findings
    top = top_level_shapes(shapes)
    readers = [s for s in top - _snapshot_shapes(shapes, top, URIRef(iris.vocab + "Snapshot"))
               if (_predicates(shapes, {s}) or {PREF_LABEL}) >= {PREF_LABEL}]
    assert 0 < len(entries() - filled) == len(readers) < len(top) // 2


def test_a_shapes_own_triples_are_not_read_from_the_data():
    """A shape reads the data through the values of its triples (sh:path, sh:class, SPARQL), never
    through their predicates: the rdfs:label naming a shape must not make every name edit re-run it."""
    from rdflib import Graph

    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; rdfs:label "A shape"@en ; rdfs:comment "about ex:p"@en ; sh:targetClass ex:C ;
            sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:class ex:D ; rdfs:label "inverse"@en ] .
    """)
    read = _predicates(shapes, {URIRef("https://example.org/S")})
    assert {"https://example.org/p", str(RDF.type), str(RDFS.subClassOf)} <= read
    assert str(RDFS.label) not in read and str(RDFS.comment) not in read
