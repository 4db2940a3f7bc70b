"""SHACL validation of the published dataset, with pySHACL's semantics.

The dataset is a pyoxigraph Store: a default graph and one named graph per snapshot. It is
validated in parts, called views, each a store of its own, with the shapes of ``shapes/core.ttl``
(sh:Violation: the data does not conform) and ``shapes/recommended.ttl`` (sh:Warning):

* the default view is the whole default graph, the snapshot descriptions included, because the
  checks that event dates are snapshot dates compare events with every snapshot of a body. It is
  validated with every shape that does not target ``govkg:Snapshot``;
* a snapshot view, one per snapshot graph G, is validated only with the shapes that target
  ``govkg:Snapshot`` (and the shapes they use). It holds the triples of G, and the default-graph
  triples about G, about every resource named in those triples, about the snapshot's body and
  about every unit whose ``govkg:body`` is that body; of all these, only the triples whose
  predicate those shapes can look at (an IRI that is a value in their triples, such as an
  ``sh:path``, or named in their SPARQL, and ``rdf:type`` and ``rdfs:subClassOf``, which
  ``sh:class`` follows; not the predicates of their own triples, such as the ``rdfs:label`` that
  names a shape, which SHACL never looks up in the data; every predicate if one of them has
  ``sh:closed`` or a SPARQL pattern with a variable or negated predicate). A triple with any other
  predicate cannot change what those shapes find, so leaving it out changes no result, and a view
  changes only when something they check changes. It holds exactly one ``govkg:Snapshot``, and it
  grows with one body's org chart, not with the whole graph.

Each view is validated by ``govkg.shacl`` (targets and value nodes planned per shape on the store,
pySHACL's components judging, pySHACL's report), or with ``reference=True`` by pySHACL itself
(SHACL-AF enabled for the SPARQL constraints and targets, no inference) on an rdflib copy. The
tests hold the two to the same findings and isomorphic reports.

With a cache folder, a snapshot view's report is kept under the sha256 of the view and of the
shapes used, and the default view's report is kept per shape, under the sha256 of the shapes and of
the default-graph triples of every predicate that shape can look at (found as for the snapshot
views): what did not change since an earlier run is not validated again, so an edit of names
re-runs the shapes that read names, not the shapes that read dates or the org chart. (With
``reference`` the default view is one pySHACL run, kept under the digest of the whole default graph.)

Each shape thus runs in exactly one kind of view and every focus node of a snapshot shape is the
snapshot of its view, so no view repeats another's findings. A finding's ``graph`` is G for a
snapshot view and None for the default view. Findings that are equal in every field (two
constraints of one shape failing on the same value) are listed once; the report keeps both results.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.namespace import SH
from rdflib.paths import NegatedPath
from rdflib.paths import Path as RdflibPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from . import cachedir, rdfio, shacl
from .iris import DCTERMS
from .shacl import to_rdflib as _term

SHAPE_FILES = ("core.ttl", "recommended.ttl")
_CACHE_VERSION = "validation 2"  # part of every cached report's key: change it when what a report holds changes
_SEVERITIES = ("Violation", "Warning", "Info")
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)



@dataclass(frozen=True)
class Finding:
    """One SHACL result: which shape found what about which focus node, in which view."""

    severity: str  # "Violation", "Warning" or "Info"
    shape: str  # the IRI of the shape
    focus: str
    path: str | None
    value: str | None
    message: str
    graph: str | None  # the snapshot graph of the view, None for the default view


@dataclass(frozen=True)
class ValidationResult:
    """The sorted findings of every view, and their pySHACL reports merged into one."""

    findings: tuple[Finding, ...]
    shapes_checked: int
    report: Graph = field(compare=False, repr=False)

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "Violation")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "Warning")

    @property
    def conforms(self) -> bool:
        return not self.violations


def load_shapes(shapes_dir: Path, *, rebase: Callable[[str], str] | None = None) -> Graph:
    """Parses ``core.ttl`` and ``recommended.ttl``; ``rebase`` rewrites their text first (``--base``)."""
    shapes = Graph()
    for name in SHAPE_FILES:
        text = (Path(shapes_dir) / name).read_text(encoding="utf-8")
        shapes.parse(data=rebase(text) if rebase else text, format="turtle")
    return shapes


def top_level_shapes(shapes: Graph) -> set[Node]:
    """The NodeShapes, and the PropertyShapes that have a target or are a NodeShape's sh:property."""
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape))
    members = {p for n in nodes for p in shapes.objects(n, SH.property)}
    targeted = {s for s in shapes.subjects(RDF.type, SH.PropertyShape)
                if any((s, t, None) in shapes for t in _TARGETS)}
    return nodes | members | targeted


def validate(store: ox.Store, *, shapes: Graph, cache: Path | None = None,
             reference: bool = False, digests: dict[str, str] | None = None) -> ValidationResult:
    """Validates the default view and every snapshot view (see the module docstring).

    ``reference`` runs pySHACL itself on every view instead of the planned run of ``govkg.shacl``.
    ``digests`` are the store's ``rdfio.predicate_digests``, if the caller has them already.
    """
    vocab = _vocabulary(shapes)
    snapshot = URIRef(vocab + "Snapshot")
    top = top_level_shapes(shapes)
    per_snapshot = _snapshot_shapes(shapes, top, snapshot)
    shapes_key = "\n".join([_CACHE_VERSION, pyshacl.__version__, _digest_graph(shapes),
                            "reference" if reference else "planned"])
    prepared = shapes if reference else shacl.prepare(shapes)
    reports, findings = [], []
    default_use = top - per_snapshot
    if default_use:
        if reference or cache is None:
            digest = "" if cache is None else _digest_text(store.dump(format=ox.RdfFormat.N_TRIPLES,
                                                                      from_graph=ox.DefaultGraph()))
            default = [_cached_run(_View(None, digest, lambda: store), prepared, default_use, cache, shapes_key,
                                   reference)]
        else:
            default = _default_reports(store, shapes, prepared, default_use, cache, shapes_key,
                                       digests or rdfio.predicate_digests(store))
        reports += default
        findings += [f for report in default for f in _findings(report, None)]
    for view in _views(store, snapshot, URIRef(vocab + "body"), _predicates(shapes, per_snapshot, cache)):
        report = _cached_run(view, prepared, per_snapshot, cache, shapes_key, reference)
        reports.append(report)
        findings += _findings(report, view.graph)
    findings = sorted(set(findings), key=_order)
    conforms = all(f.severity != "Violation" for f in findings)
    return ValidationResult(tuple(findings), len(top), _merged(reports, conforms))


def summary_text(result: ValidationResult) -> str:
    """One tab-separated line per finding (severity, shape, focus, path, value, message), then totals."""
    lines = ["\t".join((f.severity, _local_name(f.shape), f.focus, f.path or "-", f.value or "-", f.message))
             for f in result.findings]
    infos = sum(f.severity == "Info" for f in result.findings)
    lines.append(f"{len(result.violations)} violations, {len(result.warnings)} warnings, {infos} infos; "
                 f"{result.shapes_checked} shapes checked; conforms: {'yes' if result.conforms else 'no'}")
    return "\n".join(lines) + "\n"


def write_reports(result: ValidationResult, out_dir: Path) -> None:
    """Writes ``validation.ttl`` (the merged report, canonical blank nodes) and ``validation.txt``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    canonical = Graph()
    canonical.bind("sh", SH)
    canonical += to_canonical_graph(result.report)
    (out_dir / "validation.ttl").write_text(canonical.serialize(format="turtle"), encoding="utf-8")
    (out_dir / "validation.txt").write_text(summary_text(result), encoding="utf-8")


# --- shapes ----------------------------------------------------------------------------------

def _vocabulary(shapes: Graph) -> str:
    """The govkg namespace as gks:prefixes declares it (it moves with ``--base``)."""
    for declaration in shapes.subjects(SH.prefix, Literal("govkg")):
        return str(shapes.value(declaration, SH.namespace))
    raise ValueError("the shapes declare no 'govkg' prefix (sh:declare)")


def _snapshot_shapes(shapes: Graph, top: set[Node], snapshot: URIRef) -> set[Node]:
    """The shapes that target govkg:Snapshot, with their property shapes."""
    roots = {s for s in top if (s, SH.targetClass, snapshot) in shapes}
    return roots | {p for r in roots for p in shapes.objects(r, SH.property)}


# --- views -----------------------------------------------------------------------------------

@dataclass
class _View:
    """A view: its snapshot graph (None for the default view), its content digest, and a way to
    make its store, which is only needed when the cache does not already hold its report."""

    graph: URIRef | None
    digest: str
    make: Callable[[], ox.Store]


def _predicates(shapes: Graph, roots: set[Node], cache: Path | None = None) -> frozenset[str] | None:
    """The predicates the shapes ``roots`` can look at (see the module docstring); None for all.
    Each SPARQL text's IRIs are kept in ``cache``, if given: parsing the queries takes longer than
    a build after a small edit spends on anything else in the shapes."""
    found, todo, done = {str(RDF.type), str(RDFS.subClassOf)}, list(roots), set()
    prefixes = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for d in shapes.objects(None, SH.declare)}
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        for p, o in shapes.predicate_objects(node):
            if p == SH.closed and o.toPython() is True:
                return None
            if p in (SH.select, SH.ask):
                iris = _query_iris(str(o), prefixes, cache)
                if iris is None:
                    return None
                found |= iris
            if isinstance(o, URIRef):  # a predicate of the shape's own triples (sh:path, rdfs:label) reads no data
                found.add(str(o))
            if isinstance(o, (URIRef, BNode)) and (o, None, None) in shapes:
                todo.append(o)
    return frozenset(found)


def _query_iris(text: str, prefixes: dict[str, str], cache: Path | None = None) -> frozenset[str] | None:
    """Every IRI in a SPARQL query; None if a triple pattern has a variable or negated predicate."""
    declared = tuple(sorted(prefixes.items()))
    if cache is None:
        return _parsed_query_iris(text, declared)
    path = cache / "validation" / (hashlib.sha256(json.dumps([_CACHE_VERSION, text, declared]).encode("utf-8"))
                                   .hexdigest() + ".query.json")
    if cachedir.kept(path):
        found = json.loads(path.read_text(encoding="utf-8"))
        return None if found is None else frozenset(found)
    iris = _parsed_query_iris(text, declared)
    cachedir.put(path, json.dumps(None if iris is None else sorted(iris)))
    return iris


@lru_cache(maxsize=256)
def _parsed_query_iris(text: str, prefixes: tuple[tuple[str, str], ...]) -> frozenset[str] | None:
    """``_query_iris``, each query text parsed once (parsing took longer than planning the shapes)."""
    found: set[str] = set()

    def walk(value, in_triple=False) -> bool:
        if isinstance(value, URIRef):
            found.add(str(value))
        elif isinstance(value, NegatedPath):
            return False
        elif isinstance(value, RdflibPath):
            return all(walk(v) for v in vars(value).values())
        elif isinstance(value, CompValue):
            if value.name == "PathNegatedPropertySet":
                return False
            return all(walk(v, k in ("triples", "triple")) for k, v in value.items() if k != "_vars")
        elif isinstance(value, (list, tuple)):
            if in_triple and len(value) == 3 and not isinstance(value[0], (list, tuple)) \
                    and isinstance(value[1], Variable):
                return False
            return all(walk(v, in_triple) for v in value)
        return True

    return frozenset(found) if walk(prepareQuery(text, initNs=dict(prefixes)).algebra) else None


def _views(store: ox.Store, snapshot: URIRef, body: URIRef,
           predicates: frozenset[str] | None) -> Iterator[_View]:
    """One view per snapshot graph, in IRI order, each as the default graph of a store.

    A snapshot view (of the triples whose predicate is in ``predicates``, every triple if None) is digested from
    its graph's triples and the digests of the descriptions it takes in, each description taken
    from the store once however many views take it in.
    """
    default = ox.DefaultGraph()
    described = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                                            ox.NamedNode(str(snapshot)), default)}
    subject, body = ox.NamedNode(DCTERMS + "subject"), ox.NamedNode(str(body))
    keep = None if predicates is None else {ox.NamedNode(p) for p in predicates}
    texts: dict[ox.NamedNode, tuple[list[ox.Quad], str]] = {}

    def kept(quads) -> list[ox.Quad]:
        return [ox.Quad(q.subject, q.predicate, q.object, default) for q in quads
                if keep is None or q.predicate in keep]

    def description(s: ox.NamedNode) -> tuple[list[ox.Quad], str]:
        if s not in texts:
            quads = kept(store.quads_for_pattern(s, None, None, default))
            texts[s] = quads, _digest(quads)
        return texts[s]

    for name in sorted(described | set(store.named_graphs()), key=lambda g: g.value):
        content = kept(store.quads_for_pattern(None, None, None, name))
        subjects = {name} | {t for q in content for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
        for described_body in store.quads_for_pattern(name, subject, None, default):
            subjects.add(described_body.object)
            subjects |= {q.subject for q in store.quads_for_pattern(None, body, described_body.object, default)}
        ordered = sorted(subjects, key=lambda t: t.value)
        digest = hashlib.sha256("\n".join([_digest(content), *(f"{s.value} {description(s)[1]}" for s in ordered)])
                                .encode("utf-8")).hexdigest()

        def make(content=content, ordered=ordered) -> ox.Store:
            view = ox.Store()
            view.bulk_extend(content)
            view.bulk_extend(q for s in ordered for q in texts[s][0])
            return view

        yield _View(URIRef(name.value), digest, make)


# --- pySHACL and its report ------------------------------------------------------------------

def _digest_graph(graph: Graph) -> str:
    """The sha256 of a graph's sorted N-Triples, blank nodes labelled canonically (so the same shapes,
    parsed again, give the same digest)."""
    lines = sorted(to_canonical_graph(graph).serialize(format="nt").splitlines())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _digest(quads) -> str:
    """The sha256 of sorted N-Triples lines of quads of the default graph (no blank nodes are expected)."""
    return _digest_text(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))


def _digest_text(text: bytes) -> str:
    return hashlib.sha256(b"\n".join(sorted(text.splitlines()))).hexdigest()


def _default_reports(store: ox.Store, shapes: Graph, prepared, use: set[Node], cache: Path,
                     shapes_key: str, by_predicate: dict[str, str]) -> list[Graph]:
    """The default view's report for each shape of ``use``, from the cache when none of the triples
    it can look at changed: its key holds the digest of the triples of each predicate it can read
    (of the whole default graph if it can read any). The shapes not in the cache run together."""
    everything = None
    keys = {}
    for node in use:
        predicates = _predicates(shapes, {node}, cache)
        if predicates is None:
            if everything is None:
                everything = hashlib.sha256("\n".join(f"{p} {d}" for p, d in sorted(by_predicate.items()))
                                            .encode("utf-8")).hexdigest()
            reads = [everything]
        else:
            reads = [f"{p} {by_predicate.get(p, '-')}" for p in sorted(predicates)]
        keys[node] = hashlib.sha256("\n".join([shapes_key, "default", str(node), *reads]).encode("utf-8")).hexdigest()
    paths = {node: cache / "validation" / f"{key}.nt" for node, key in keys.items()}
    missing = {node for node, path in paths.items() if not cachedir.kept(path)}
    fresh = shacl.validate_each(store, prepared, missing) if missing else {}
    reports = []
    for node in sorted(use, key=str):
        if node in fresh:
            _save(paths[node], fresh[node])
            reports.append(fresh[node])
        else:
            reports.append(Graph().parse(paths[node], format="nt"))
    return reports


def _save(path: Path, report: Graph) -> None:
    cachedir.put(path, report.serialize(format="nt"))


def _cached_run(view: _View, shapes, use: set[Node], cache: Path | None, shapes_key: str,
                reference: bool) -> Graph:
    """The report for this view, from the cache when the same input was validated before."""
    if cache is None:
        return _run(view.make(), shapes, use, reference)
    key = hashlib.sha256("\n".join([shapes_key, *sorted(str(s) for s in use), view.digest]).encode()).hexdigest()
    path = cache / "validation" / f"{key}.nt"
    if cachedir.kept(path):
        return Graph().parse(path, format="nt")
    report = _run(view.make(), shapes, use, reference)
    _save(path, report)
    return report


def _run(view: ox.Store, shapes, use: set[Node], reference: bool) -> Graph:
    """The SHACL report of one view: pySHACL's (``shapes`` a Graph), or govkg.shacl's equal one
    (``shapes`` prepared by ``shacl.prepare``)."""
    if not reference:
        return shacl.validate(view, shapes, use)
    data = Graph()
    for q in view.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        data.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, inplace=True,
                                    use_shapes=sorted(str(s) for s in use))
    return report


def _findings(report: Graph, graph: URIRef | None) -> list[Finding]:
    return [_finding(report, result, graph) for result in report.subjects(RDF.type, SH.ValidationResult)]


def _finding(report: Graph, result: Node, graph: URIRef | None) -> Finding:
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    return Finding(
        severity=_local_name(report.value(result, SH.resultSeverity)),
        shape=str(report.value(result, SH.sourceShape)),
        focus=_text(report.value(result, SH.focusNode)),
        path=None if path is None else _path_text(report, path),
        value=None if value is None else _text(value),
        message=messages[0] if messages else "",
        graph=None if graph is None else str(graph),
    )


def _text(term: Node) -> str:
    """An IRI as itself; a literal or blank node in N-Triples syntax (datatype and language kept)."""
    return str(term) if isinstance(term, URIRef) else term.n3()


def _path_text(graph: Graph, path: Node) -> str:
    """A predicate path as its IRI; any other SHACL path in SPARQL syntax (``^<p>``, ``<p>/<q>``)."""
    return str(path) if isinstance(path, URIRef) else _sparql_path(graph, path)


def _sparql_path(graph: Graph, path: Node) -> str:
    if isinstance(path, URIRef):
        return path.n3()
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _sparql_path(graph, inverse)
    if graph.value(path, RDF.first) is not None:
        return "/".join(_sparql_path(graph, step) for step in Collection(graph, path))
    return path.n3()


def _merged(reports: list[Graph], conforms: bool) -> Graph:
    """One sh:ValidationReport holding the results of every view's report."""
    merged = Graph()
    root = BNode()
    merged.add((root, RDF.type, SH.ValidationReport))
    merged.add((root, SH.conforms, Literal(conforms)))
    for report in reports:
        roots = set(report.subjects(RDF.type, SH.ValidationReport))
        for s, p, o in report:
            if s not in roots:
                merged.add((s, p, o))
            elif p == SH.result:
                merged.add((root, p, o))
    return merged


def _order(finding: Finding) -> tuple:
    rank = _SEVERITIES.index(finding.severity) if finding.severity in _SEVERITIES else len(_SEVERITIES)
    return (rank, finding.shape, finding.focus, finding.path or "", finding.value or "", finding.message,
            finding.graph or "")


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", str(iri))[-1]
