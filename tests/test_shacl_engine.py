"""govkg.shacl against pySHACL on the engine's own cases in tests/shacl/.

A case is a TriG file: the data in the default graph, the shapes in ``<urn:shapes>``, and a
comment saying what it exercises. Both engines validate it with every top-level shape; the reports
must be isomorphic and must hold results (a case that finds nothing proves nothing).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from govkg import shacl
from govkg.validate import top_level_shapes

CASES = sorted((Path(__file__).parent / "shacl").glob("*.trig"))
# the cases whose SPARQL constraint runs once for every focus node
JOINED = {"sparql-joinable", "sparql-property"}


def _read(path: Path) -> tuple[Graph, Graph]:
    dataset = Dataset()
    dataset.parse(path, format="trig")
    shapes = Graph()
    for triple in dataset.graph(URIRef("urn:shapes")):
        shapes.add(triple)
    data = Graph()
    for triple in dataset.default_graph:
        data.add(triple)
    return shapes, data


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_engine_matches_pyshacl(path: Path):
    shapes, data = _read(path)
    store = ox.Store()
    store.load(data.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    fast = shacl.validate(store, shacl.prepare(shapes), top_level_shapes(shapes))
    _, reference, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    assert len(set(reference.subjects(RDF.type, SH.ValidationResult))) > 0, "the case finds nothing"
    assert isomorphic(fast, reference), (fast.serialize(format="turtle"), reference.serialize(format="turtle"))


@pytest.mark.parametrize("path", [p for p in CASES if p.stem.startswith("sparql-")], ids=lambda p: p.stem)
def test_which_queries_run_once(path: Path):
    shapes, _ = _read(path)
    for text in shapes.objects(None, SH.select):
        query = text.replace("$PATH", "<http://example.org/p>")
        assert shacl.joinable(query) is (path.stem in JOINED)
