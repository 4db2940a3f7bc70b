"""The ontology: OWL 2 DL hygiene, labels and definitions, and HermiT on ontology plus data."""

from __future__ import annotations

import pytest
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, parse, serialize
from pyoxigraph import Literal as OxLiteral
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from govkg.errors import DataNotConforming
from govkg.iris import Iris
from govkg.load import load
from govkg.pipeline import Paths, Progress, check, read_ontology
from govkg.reason import check_consistency
from govkg.transform import transform

from .conftest import ROOT

GOVKG = "https://w3id.org/govkg/def/"
GOVKG_ID = "https://w3id.org/govkg/id/org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
ONTOLOGY = Graph().parse(ROOT / "ontology/govkg.ttl", format="turtle")
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def _terms():
    return sorted({s for kind in KINDS for s in ONTOLOGY.subjects(RDF.type, kind)
                   if isinstance(s, URIRef) and str(s).startswith(GOVKG)})


def test_header():
    onto = URIRef(GOVKG)
    assert (onto, RDF.type, OWL.Ontology) in ONTOLOGY
    for prop in (OWL.versionIRI, OWL.versionInfo, URIRef("http://purl.org/dc/terms/license"),
                 URIRef("http://purl.org/dc/terms/creator"), URIRef("http://purl.org/dc/terms/title"),
                 URIRef("http://purl.org/dc/terms/description")):
        assert ONTOLOGY.value(onto, prop) is not None, prop


@pytest.mark.parametrize("term", _terms(), ids=lambda t: str(t)[len(GOVKG):])
def test_every_term_has_labels_and_definition(term):
    langs = {label.language for label in ONTOLOGY.objects(term, RDFS.label) if isinstance(label, Literal)}
    assert {"en", "ko"} <= langs
    assert any(d.language == "en" for d in ONTOLOGY.objects(term, SKOS.definition))


def test_no_punning():
    kinds = {}
    for kind in KINDS:
        for s in ONTOLOGY.subjects(RDF.type, kind):
            kinds.setdefault(s, set()).add(kind)
    meta = (str(OWL), str(RDFS), str(RDF))
    individuals = {s for s, _, o in ONTOLOGY.triples((None, RDF.type, None)) if not str(o).startswith(meta)}
    assert [s for s, k in kinds.items() if len(k) > 1] == []
    assert [s for s in individuals if s in kinds] == []


def test_curated_data_is_consistent():
    iris = Iris()
    result = check_consistency(read_ontology(ROOT / "ontology/govkg.ttl", iris),
                               transform(load(ROOT / "data/curated"), iris))
    assert result.consistent, result.explanation


def test_inconsistency_fails_with_an_explanation():
    iris = Iris()
    curated = load(ROOT / "tests/fixtures/mini")
    store = transform(curated, iris)
    unit = "https://w3id.org/govkg/id/org/시험부/가국"
    store.add(Quad(NamedNode(unit), NamedNode(str(RDF.type)), NamedNode(GOVKG + "Division"), DefaultGraph()))
    paths = Paths(ROOT / "tests/fixtures/mini", ROOT / "ontology/govkg.ttl", ROOT / "shapes")
    with pytest.raises(DataNotConforming) as failure:
        check(store, read_ontology(paths.ontology, iris), paths, iris, Progress(None), curated)
    message = str(failure.value)
    assert "mini.yaml:" in message  # where the curator wrote the unit
    assert unit in message and "Bureau" in message and "Division" in message and "give it one rank" in message


def test_the_verdict_is_reused_only_for_the_same_abox(tmp_path):
    """HermiT's cached verdict is keyed by what it reasons over: an annotation edit keeps it, a new
    type assertion does not, and a cached inconsistency keeps its explanation."""
    iris = Iris()
    ontology = read_ontology(ROOT / "ontology/govkg.ttl", iris)
    store = transform(load(ROOT / "tests/fixtures/mini"), iris)
    verdicts = lambda: sorted((tmp_path / "reasoning").glob("*.json"))  # noqa: E731
    assert check_consistency(ontology, store, cache=tmp_path).consistent and len(verdicts()) == 1
    unit = NamedNode("https://w3id.org/govkg/id/org/시험부/가국")
    store.add(Quad(unit, NamedNode(str(RDFS.label)), OxLiteral("renamed", language="ko"), DefaultGraph()))
    renamed = check_consistency(ontology, store, cache=tmp_path)
    assert renamed.consistent and renamed.seconds == 0.0 and len(verdicts()) == 1
    store.add(Quad(unit, NamedNode(str(RDF.type)), NamedNode(GOVKG + "Division"), DefaultGraph()))
    clash = check_consistency(ontology, store, cache=tmp_path)
    assert not clash.consistent and len(verdicts()) == 2
    assert any(unit.value in line and "Division" in line for line in clash.explanation)
    again = check_consistency(ontology, store, cache=tmp_path)
    assert again.seconds == 0.0 and again.explanation == clash.explanation


CLASHES = {
    "consistent": "",
    "two ranks": f"<{GOVKG_ID}x> a <{GOVKG}Bureau> , <{GOVKG}Division> .",
    "two overlap scores": f'<{GOVKG_ID}e> <{GOVKG}overlapScore> "0.5"^^<{XSD}decimal> , "0.7"^^<{XSD}decimal> .',
    # xsd:date is no OWL 2 datatype: HermiT ignores such values, so two start dates do not clash
    "two start dates": f'<{GOVKG_ID}x> a <{GOVKG}Division> ; <{GOVKG}attestedFrom> "2020-01-01"^^<{XSD}date> , '
                       f'"2020-02-01"^^<{XSD}date> .',
    "a rank and its superclasses": f"<{GOVKG_ID}x> a <{GOVKG}Division> , <{GOVKG}InternalUnit> , <{ORG}Organization> .",
    "two ranks and their superclasses": f"<{GOVKG_ID}x> a <{GOVKG}Bureau> , <{GOVKG}Division> , "
                                        f"<{GOVKG}InternalUnit> , <{ORG}OrganizationalUnit> , <{ORG}Organization> .",
}
CONSISTENT = {"consistent", "two start dates", "a rank and its superclasses"}


@pytest.mark.parametrize("case", sorted(CLASHES))
def test_hermit_as_run_gives_owlready2s_verdict(case, tmp_path):
    """govkg runs owlready2's HermiT on its own file; owlready2's own run must agree."""
    import owlready2

    from govkg import reason

    text = serialize(read_ontology(ROOT / "ontology/govkg.ttl", Iris()), format=RdfFormat.N_TRIPLES)
    extra = serialize(parse(CLASHES[case], format=RdfFormat.TURTLE), format=RdfFormat.N_TRIPLES)
    (tmp_path / "abox.nt").write_bytes(text + extra)
    ours, _ = reason._hermit(tmp_path / "abox.nt")
    world = owlready2.World()
    onto = world.get_ontology((tmp_path / "abox.nt").as_uri()).load(format="ntriples")
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, ignore_unsupported_datatypes=True, debug=0)
        theirs = True
    except owlready2.OwlReadyInconsistentOntologyError:
        theirs = False
    finally:
        world.close()
    assert ours == theirs == (case in CONSISTENT)


@pytest.mark.parametrize("case", sorted(CLASHES))
def test_class_assertions_left_out_of_hermits_input_change_no_verdict(case, tmp_path):
    """HermiT's input leaves out a type that a named subclass axiom entails from another type of the
    same individual; HermiT's verdict with and without them is the same, and the most specific
    types stay."""
    from govkg import reason

    ontology = read_ontology(ROOT / "ontology/govkg.ttl", Iris())
    lines = sorted(set((serialize(ontology, format=RdfFormat.N_TRIPLES) + serialize(
        parse(CLASHES[case], format=RdfFormat.TURTLE), format=RdfFormat.N_TRIPLES)).splitlines(keepends=True)))
    kept = list(reason._without_entailed_types(lines, reason._strict_superclasses(ontology)))
    (tmp_path / "all.nt").write_bytes(b"".join(lines))
    (tmp_path / "kept.nt").write_bytes(b"".join(kept))
    assert reason._hermit(tmp_path / "all.nt")[0] == reason._hermit(tmp_path / "kept.nt")[0] == (case in CONSISTENT)
    left_out = {line.decode() for line in set(lines) - set(kept)}
    types = {line.split()[2] for line in left_out}
    assert all(line.startswith(f"<{GOVKG_ID}x> <{RDF.type}>") for line in left_out)
    if "superclasses" in case:
        assert types == {f"<{GOVKG}InternalUnit>", f"<{ORG}Organization>"} | (
            {f"<{ORG}OrganizationalUnit>"} if "two" in case else set())
