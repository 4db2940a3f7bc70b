"""Every shape against its cases in tests/shapes/cases/.

A case ``<shape>--valid[-N].trig`` or ``<shape>--invalid[-N].trig`` is loaded, with
``_base.trig``, into one store and validated with all the shapes. A valid case gives no finding
from its shape (or from the property shapes of its NodeShape) and no violation at all; an invalid
case gives at least one finding from its shape, and a violation when the shape is a core one.

Every case is validated twice, by pySHACL (the reference) and by the planned runs of
``govkg.shacl``: their findings must be equal one for one and their reports isomorphic.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SH

from govkg.validate import Finding, load_shapes, top_level_shapes, validate

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).parent / "shapes" / "cases"
BASE = CASES / "_base.trig"
GKS = "https://w3id.org/govkg/def/shapes/"
SHAPES = load_shapes(ROOT / "shapes")
TOP = top_level_shapes(SHAPES)
CASE_FILES = sorted(p for p in CASES.glob("*.trig") if p != BASE)


def _store(*files: Path) -> ox.Store:
    store = ox.Store()
    for file in files:
        store.load(path=str(file), format=ox.RdfFormat.TRIG)
    return store


def _case(path: Path) -> tuple[URIRef, str]:
    """The shape a case is about, and "valid" or "invalid"."""
    shape, _, kind = path.stem.partition("--")
    return URIRef(GKS + shape), kind.split("-")[0]


def _from(shape: URIRef, finding: Finding) -> bool:
    return finding.shape in {str(shape), *(str(p) for p in SHAPES.objects(shape, SH.property))}


def _show(findings) -> str:
    return "\n".join(f"{f.severity} {f.shape} {f.focus} {f.path} {f.value}: {f.message}" for f in findings)


def _both(store: ox.Store):
    """The planned run's result, after checking that pySHACL's is the same."""
    fast, reference = validate(store, shapes=SHAPES), validate(store, shapes=SHAPES, reference=True)
    assert fast.findings == reference.findings, _show(set(fast.findings) ^ set(reference.findings))
    assert isomorphic(fast.report, reference.report)
    return fast


def test_base_gives_no_finding():
    result = _both(_store(BASE))
    assert result.findings == (), _show(result.findings)
    assert result.shapes_checked == len(TOP)


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_case(case: Path):
    shape, kind = _case(case)
    assert shape in TOP and kind in ("valid", "invalid"), f"{case.name} names no shape and kind"
    result = _both(_store(BASE, case))
    mine = [f for f in result.findings if _from(shape, f)]
    if kind == "valid":
        assert not mine, _show(mine)
        assert result.conforms, _show(result.violations)
    else:
        assert mine, f"no finding from {shape}; all findings:\n{_show(result.findings)}"
        if (shape, SH.severity, SH.Violation) in SHAPES:
            assert not result.conforms


def test_every_shape_has_valid_and_invalid_cases():
    kinds = {_case(p) for p in CASE_FILES}
    missing = [f"{s.removeprefix(GKS)}--{k}" for s in sorted(TOP) for k in ("valid", "invalid") if (s, k) not in kinds]
    assert not missing, "shapes without cases: " + ", ".join(missing)


def test_shapes_are_named_labelled_and_graded():
    for name, severity in (("core.ttl", SH.Violation), ("recommended.ttl", SH.Warning)):
        shapes = Graph().parse(ROOT / "shapes" / name)
        for shape in top_level_shapes(shapes):
            assert isinstance(shape, URIRef) and shape.startswith(GKS) and "#" not in shape, shape
            assert shapes.value(shape, RDFS.label) is not None, f"{shape} has no rdfs:label"
            assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"
            assert shapes.value(shape, SH.severity) == severity, f"{shape} is not a {severity} in {name}"
            assert len(set(shapes.objects(shape, SH.sparql))) <= 1, f"{shape} has several SPARQL constraints"
        for constraint in shapes.objects(None, SH.sparql):
            assert shapes.value(constraint, RDFS.label) is not None, f"a SPARQL constraint in {name} has no label"
            assert shapes.value(constraint, SH.message) is not None, f"a SPARQL constraint in {name} has no message"


def test_every_invalid_case_at_once():
    """Data that violates every shape: pySHACL and the planned runs find the same, one for one."""
    invalid = [p for p in CASE_FILES if _case(p)[1] == "invalid"]
    result = _both(_store(BASE, *invalid))
    # Cases about the same resource mask one another, so not every shape fires here; most do.
    assert len({f.shape for f in result.findings}) >= len(TOP) // 2


def test_snapshot_views_leave_out_only_what_no_shape_reads():
    """A snapshot view keeps only the predicates its shapes can look at: pySHACL finds the same on
    it as on the view with every predicate, for every case about a snapshot shape."""
    from govkg.validate import _predicates, _run, _snapshot_shapes, _views

    snapshot, body = URIRef("https://w3id.org/govkg/def/Snapshot"), URIRef("https://w3id.org/govkg/def/body")
    use = _snapshot_shapes(SHAPES, TOP, snapshot)
    predicates = _predicates(SHAPES, use)
    assert predicates is not None and "http://www.w3.org/ns/org#purpose" not in predicates
    cases = [p for p in CASE_FILES if _case(p)[0] in use]
    assert cases
    findings = 0
    for case in cases:
        store = _store(BASE, case)
        kept, full = list(_views(store, snapshot, body, predicates))[1:], list(_views(store, snapshot, body, None))[1:]
        assert [v.graph for v in kept] == [v.graph for v in full] and kept
        for k, f in zip(kept, full):
            assert len(k.make()) < len(f.make())
            found = [sorted(_findings(_run(v.make(), SHAPES, use, True))) for v in (k, f)]
            assert found[0] == found[1], case.name
            findings += len(found[0])
    assert findings  # the invalid cases are found on both


def _findings(report: Graph) -> list[tuple[str, ...]]:
    return [tuple(str(report.value(r, p)) for p in (SH.sourceShape, SH.focusNode, SH.value, SH.resultPath))
            for r in report.subjects(RDF.type, SH.ValidationResult)]
