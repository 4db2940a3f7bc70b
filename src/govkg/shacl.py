"""SHACL over a pyoxigraph store, planned per shape; pySHACL's own components judge every value.

pySHACL spends its time finding targets and value nodes one focus node at a time in rdflib, and
running each SPARQL constraint once per focus node in rdflib's SPARQL engine. This module keeps
what decides a finding in pySHACL and changes only how the inputs are gathered:

* **targets** (``sh:targetClass`` with ``rdfs:subClassOf``, ``sh:targetNode``, ``sh:targetSubjectsOf``,
  ``sh:targetObjectsOf``, SPARQL targets) are found with one query or scan per shape on the store;
* **value nodes** of predicate, inverse and sequence paths come from one scan of each predicate,
  shared by every shape that uses it (other paths are followed as pySHACL follows them);
* **core constraint components** (``sh:minCount``, ``sh:datatype``, ``sh:class``, ``sh:or`` …) are
  pySHACL's own classes, called with those value nodes and an rdflib view of the store, so they
  judge and word each result exactly as in a pySHACL run; ``sh:property`` is evaluated once per
  property shape over all the focus nodes instead of once per focus node;
* **SPARQL constraints** run in pyoxigraph with ``$this`` (and ``$currentShape``) substituted as
  pre-bound variables, per focus node, and their solutions become results by pySHACL's rules.

The report is made by pySHACL's report builder from those results. ``tests/test_validate_fast.py``
runs both on the curated build, on derived partitions and on a case made to violate every shape,
and compares the findings one for one.

>>> import pyoxigraph as ox
>>> from rdflib import Graph
>>> shapes = Graph().parse(data='''
... @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
... ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
... ''', format="turtle")
>>> store = ox.Store()
>>> store.load(b"<http://example.org/a> a <http://example.org/C> .", format=ox.RdfFormat.TURTLE)
>>> report = validate(store, prepare(shapes), [URIRef("http://example.org/S")])
>>> [str(o) for o in report.objects(None, SH.focusNode)]
['http://example.org/a']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.constraints.core.shape_based_constraints import PropertyConstraintComponent
from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
from pyshacl.pytypes import SHACLExecutor
from pyshacl.rdfutil.clone import clone_graph
from pyshacl.shape import Shape
from pyshacl.shapes_graph import ShapesGraph
from pyshacl.validator import Validator
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.store import Store as RdflibStore
from rdflib.term import Node

_XSD_STRING = str(XSD.string)


# --- terms ---------------------------------------------------------------------------------

@lru_cache(maxsize=1 << 20)
def to_rdflib(term) -> Node:
    """A pyoxigraph term as the rdflib term pySHACL sees (a plain literal has no datatype)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_oxigraph(term: Node):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is None:
        return ox.Literal(str(term))
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))


class _StoreView(RdflibStore):
    """A read-only rdflib store over the default graph of a pyoxigraph store."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__()
        self._store = store
        self._len: int | None = None

    def triples(self, pattern, context=None):
        s, p, o = (None if t is None else to_oxigraph(t) for t in pattern)
        if isinstance(s, ox.Literal) or not isinstance(p, (ox.NamedNode, type(None))):
            return
        for quad in self._store.quads_for_pattern(s, p, o, ox.DefaultGraph()):
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)), iter(())

    def __len__(self, context=None) -> int:
        if self._len is None:  # the store does not change during a run
            self._len = sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return self._len


def rdflib_view(store: ox.Store) -> Graph:
    """The default graph of ``store`` as a read-only rdflib Graph (no copy)."""
    return Graph(store=_StoreView(store))


# --- the run ---------------------------------------------------------------------------------

def prepare(shapes: Graph) -> ShapesGraph:
    """pySHACL's reading of a shapes graph, made once for any number of runs."""
    sg = ShapesGraph(clone_graph(shapes))
    for shape in sg.shapes:
        shape.set_advanced(True)
    return sg


def validate(store: ox.Store, shapes: ShapesGraph, use: Iterable[Node]) -> Graph:
    """Validates the default graph of ``store`` with the top-level shapes ``use``; pySHACL's report.

    Only the default graph is read, so ``store`` may hold named graphs too (no SPARQL ``GRAPH``
    pattern of a shape sees them).

    As ``pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
    use_shapes=use)`` where ``data`` holds the same triples; ``shapes`` comes from ``prepare``.
    """
    run, declined = _Run(store, shapes), []
    for node in sorted(use, key=str):
        shape = shapes.lookup_shape_from_node(node)
        if shape.deactivated:
            continue
        before = len(run.results)
        try:
            focus = run.focus_nodes(shape)
            if focus:
                run.evaluate(shape, sorted(focus, key=_order))
        except NotImplementedError:  # a feature planned runs do not cover: pySHACL runs the shape
            del run.results[before:]
            declined.append(node)
    report, _ = Validator.create_validation_report(shapes, not run.results, run.results)
    if declined:
        _add_results(report, _reference(run.graph, shapes, declined))
    return report


def _reference(data: Graph, shapes: ShapesGraph, use: list[Node]) -> Graph:
    """pySHACL's own report for the shapes ``use`` over ``data``."""
    validator = Validator(data, shacl_graph=shapes.graph, options={
        "inference": "none", "advanced": True, "inplace": True, "use_shapes": [str(u) for u in use]})
    _, report, _ = validator.run()
    return report


def _add_results(report: Graph, other: Graph) -> None:
    """Moves the results of ``other`` into ``report`` (one sh:ValidationReport, conforms recomputed)."""
    root = next(report.subjects(RDF.type, SH.ValidationReport))
    other_root = next(other.subjects(RDF.type, SH.ValidationReport))
    for s, p, o in other:
        if s != other_root:
            report.add((s, p, o))
        elif p == SH.result:
            report.add((root, p, o))
    report.set((root, SH.conforms, Literal(not any(report.objects(root, SH.result)))))


def _order(term: Node) -> tuple:
    return (type(term).__name__, str(term))


class _Run:
    """One validation: the store, the shapes and what was found so far."""

    def __init__(self, store: ox.Store, sg: ShapesGraph) -> None:
        self.store, self.sg = store, sg
        self.graph = rdflib_view(store)
        self.executor = SHACLExecutor(advanced_mode=True)
        self.results: list = []
        self._scans: dict[tuple[str, bool], dict[Node, set[Node]]] = {}

    # targets

    def focus_nodes(self, shape: Shape) -> set[Node]:
        nodes, classes, implicit, objects_of, subjects_of = shape.target()
        found = set(nodes)
        for cls in {*classes, *implicit}:
            found |= self._instances(cls)
        for p in subjects_of:
            found |= self._scan(p, inverse=False).keys()
        for p in objects_of:
            found |= self._scan(p, inverse=True).keys()
        for target in shape.advanced_target().values():
            if target.get("type") != SH.SPARQLTarget:
                raise NotImplementedError(f"target {target.get('type')} of {shape.node}")
            helper = target["qh"]
            for row in self.store.query(helper.apply_prefixes(helper.select_text), named_graphs=[]):
                if row["this"] is not None:
                    found.add(to_rdflib(row["this"]))
        return found

    def _instances(self, cls: Node) -> set[Node]:
        if not isinstance(cls, URIRef):
            raise NotImplementedError(f"class target {cls!r}")
        rows = self.store.query(f"SELECT DISTINCT ?x WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> . ?x a ?c }}",
                                named_graphs=[])
        return {to_rdflib(row["x"]) for row in rows}

    # value nodes

    def _scan(self, predicate: Node, *, inverse: bool) -> dict[Node, set[Node]]:
        """Subject → objects of one predicate (object → subjects when ``inverse``), scanned once."""
        key = (str(predicate), inverse)
        if key not in self._scans:
            table: dict[Node, set[Node]] = defaultdict(set)
            for quad in self.store.quads_for_pattern(None, to_oxigraph(predicate), None, ox.DefaultGraph()):
                s, o = to_rdflib(quad.subject), to_rdflib(quad.object)
                table[o if inverse else s].add(s if inverse else o)
            self._scans[key] = dict(table)
        return self._scans[key]

    def _steps(self, path: Node) -> list[tuple[Node, bool]] | None:
        """A predicate, inverse or sequence path as (predicate, inverse) steps; None for others."""
        g = self.sg.graph
        if isinstance(path, URIRef):
            return [(path, False)]
        inverse = g.value(path, SH.inversePath)
        if isinstance(inverse, URIRef):
            return [(inverse, True)]
        if g.value(path, RDF.first) is not None and len(set(g.predicate_objects(path))) == 2:
            steps = [self._steps(step) for step in g.items(path)]
            if steps and all(s is not None and len(s) == 1 for s in steps):
                return [s[0] for s in steps]
        return None

    def value_nodes(self, shape: Shape, focus: list[Node]) -> dict[Node, set[Node]]:
        if not shape.is_property_shape:
            return {f: {f} for f in focus}
        steps = self._steps(shape.path())
        if steps is None:
            return shape.value_nodes(self.graph, focus)
        values = {}
        for f in focus:
            nodes = {f}
            for predicate, inverse in steps:
                table = self._scan(predicate, inverse=inverse)
                nodes = {v for n in nodes for v in table.get(n, ())}
            values[f] = nodes
        return values

    # constraints

    def evaluate(self, shape: Shape, focus: list[Node]) -> None:
        values = self.value_nodes(shape, focus)
        done = set()
        for parameter, _ in self.sg.predicate_objects(shape.node):
            if parameter not in ALL_CONSTRAINT_PARAMETERS:
                continue
            component = CONSTRAINT_PARAMETERS_MAP[parameter]
            if component in done:
                continue
            done.add(component)
            if component is PropertyConstraintComponent:
                members = sorted({v for vs in values.values() for v in vs}, key=_order)
                for node in self.sg.objects(shape.node, SH.property):
                    member = shape.get_other_shape(node)
                    if members and not member.deactivated:
                        self.evaluate(member, members)
            elif component is SPARQLBasedConstraint:
                self._sparql(SPARQLBasedConstraint(shape), shape, values)
            else:
                c = component(shape)
                _, reports = c.evaluate(self.executor, self.graph, values, [shape, c])
                self.results.extend(reports)

    def _sparql(self, constraint: SPARQLBasedConstraint, shape: Shape, values: dict[Node, set[Node]]) -> None:
        """Each SPARQL constraint once per focus node, as pySHACL's SPARQLBasedConstraint does."""
        for helper in sorted(constraint.sparql_constraints, key=lambda h: str(h.node)):
            if helper.deactivated:
                continue
            kwargs = {"source_constraint": helper.node, "extra_messages": helper.messages or None}
            prepared = None
            for f in values:
                bindings, text = helper.pre_bind_variables(f)
                if set(bindings) - {"this", "currentShape"}:
                    raise NotImplementedError(f"pre-bound {sorted(bindings)} in {shape.node}")
                if prepared is None:
                    prepared = helper.apply_prefixes(text)
                substitutions = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
                try:
                    solutions = self.store.query(prepared, substitutions=substitutions, named_graphs=[])
                except RuntimeError as err:  # pyoxigraph substitutes only projected variables
                    raise NotImplementedError(str(err)) from None
                default_value = None if shape.is_property_shape else f
                for t, p, v, rest in _violations(solutions):
                    value = default_value if v is None else v
                    failure = t is None and p is None and v is None
                    self.results.append(constraint.make_v_result(
                        self.graph, t or f, value_node=value, result_path=p,
                        bound_vars=rest if failure else (t, p, value, rest), **kwargs))


def _violations(solutions) -> Iterator[tuple]:
    """pySHACL's reading of a constraint's solutions: (?this, ?path, ?value, the other variables).

    A solution binding ?failure stands for one result about the focus node, whatever its count.
    """
    if isinstance(solutions, bool):
        raise NotImplementedError("an ASK query as a SPARQL constraint")
    names = [v.value for v in solutions.variables]
    seen: list = []
    failed = False
    for solution in solutions:
        row = {n: to_rdflib(solution[n]) for n in names if solution[n] is not None}
        if row.pop("failure", None) is not None:
            if not failed:
                failed = True
                yield None, None, None, row
            continue
        p, v, t = row.pop("path", None), row.pop("value", None), row.pop("this", None)
        if p is None and v is None and t is None:
            continue
        violation = (t, p, v, row)
        if violation not in seen:
            seen.append(violation)
            yield violation
