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
  property shape over all the focus nodes instead of once per focus node; ``sh:class`` is given
  only the value nodes that one query per class does not find among the class's instances;
* **logical constraints** (``sh:or``, ``sh:and``, ``sh:xone``, ``sh:not``) and qualified value shapes
  (``sh:qualifiedValueShape``, with its sibling shapes under ``sh:qualifiedValueShapesDisjoint``)
  evaluate each member shape once over all the value nodes, and pySHACL's component words each
  result;
* **SPARQL constraints** run in pyoxigraph, and their solutions become results by pySHACL's rules.
  A query whose solutions for a focus node are exactly its solutions with ``$this`` unbound that
  bind ``$this`` to that node (``$this`` projected and bound by a required triple pattern, not used
  in a subquery, MINUS, VALUES or BIND, grouped by if there is grouping, no LIMIT or OFFSET; see
  ``joinable``) runs once for all the focus nodes; any other runs once per focus node with
  ``$this`` (and ``$currentShape``) substituted as pre-bound variables.

The report is made by pySHACL's report builder from those results. The tests run both on the
engine's own cases (``tests/shacl/``), on every shape case, on the curated build and on a sample
of the derived data, and compare the reports.

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
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache

import pyoxigraph as ox
import pyshacl
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.constraints.core.logical_constraints import (
    AndConstraintComponent,
    NotConstraintComponent,
    OrConstraintComponent,
    XoneConstraintComponent,
)
from pyshacl.constraints.core.shape_based_constraints import (
    PropertyConstraintComponent,
    QualifiedValueShapeConstraintComponent,
)
from pyshacl.constraints.core.value_constraints import ClassConstraintComponent
from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
from pyshacl.pytypes import SHACLExecutor
from pyshacl.rdfutil.clone import clone_graph
from pyshacl.shape import Shape
from pyshacl.shapes_graph import ShapesGraph
from pyshacl.validator import Validator
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import SH, XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.store import Store as RdflibStore
from rdflib.term import Node

_XSD_STRING = str(XSD.string)
_LOGICAL = (OrConstraintComponent, AndConstraintComponent, XoneConstraintComponent, NotConstraintComponent)


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
        self._prefixes: dict = {}

    def triples(self, pattern, context=None):
        s, p, o = (None if t is None else to_oxigraph(t) for t in pattern)
        if isinstance(s, ox.Literal) or not isinstance(p, (ox.NamedNode, type(None))):
            return
        for quad in self._store.quads_for_pattern(s, p, o, ox.DefaultGraph()):
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)), iter(())

    # prefixes, so that pySHACL words its messages with the same abbreviations as over an rdflib graph

    def bind(self, prefix, namespace, override=True, replace=False) -> None:
        if override or prefix not in self._prefixes:
            self._prefixes = {k: v for k, v in self._prefixes.items() if v != namespace or k == prefix}
            self._prefixes[prefix] = namespace

    def namespace(self, prefix):
        return self._prefixes.get(prefix)

    def prefix(self, namespace):
        return next((k for k, v in self._prefixes.items() if v == namespace), None)

    def namespaces(self):
        yield from self._prefixes.items()

    def __len__(self, context=None) -> int:
        if self._len is None:  # the store does not change during a run
            rows = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=False)
            self._len = int(next(iter(rows))["n"].value)
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
    results, declined = _results(store, shapes, use)
    found = [r for rs in results.values() for r in rs]
    report, _ = Validator.create_validation_report(shapes, not found, found)
    if declined:
        _add_results(report, _reference(_copy(store), shapes, declined))
    return report


def validate_each(store: ox.Store, shapes: ShapesGraph, use: Iterable[Node]) -> dict[Node, Graph]:
    """As ``validate``, one report for each shape of ``use`` (the shapes share one run's scans)."""
    results, declined = _results(store, shapes, use)
    reports = {node: Validator.create_validation_report(shapes, not rs, rs)[0] for node, rs in results.items()}
    data = _copy(store) if declined else None
    for node in declined:
        reports[node] = _reference(data, shapes, [node])
    return reports


def _results(store: ox.Store, shapes: ShapesGraph, use: Iterable[Node]) -> tuple[dict[Node, list], list[Node]]:
    """pySHACL's results per shape of ``use``, and the shapes planned runs do not cover."""
    run, declined, results = _Run(store, shapes), [], {}
    for node in sorted(use, key=str):
        shape = shapes.lookup_shape_from_node(node)
        run.results = []
        try:
            if not shape.deactivated:
                focus = run.focus_nodes(shape)
                if focus:
                    run.evaluate(shape, sorted(focus, key=_order))
            results[node] = run.results
        except NotImplementedError:  # a feature planned runs do not cover: pySHACL runs the shape
            declined.append(node)
    return results, declined


def _copy(store: ox.Store) -> Graph:
    """The default graph of ``store`` in rdflib's memory store, which pySHACL requires."""
    data = Graph()
    data.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), data)
              for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return data


def _reference(data: Graph, shapes: ShapesGraph, use: list[Node]) -> Graph:
    """pySHACL's own report for the shapes ``use`` over ``data``."""
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes.graph, inference="none", advanced=True, inplace=True,
                                    use_shapes=[str(u) for u in use])
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
        self._classes: dict[Node, set[Node]] = {}
        self._nested: set[Node] = set()  # the shapes whose conformance is being computed

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
        """The instances of a class, ``rdf:type`` then ``rdfs:subClassOf*``, found once per run."""
        if not isinstance(cls, URIRef):
            raise NotImplementedError(f"class target {cls!r}")
        if cls not in self._classes:
            rows = self.store.query(f"SELECT DISTINCT ?x WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> . ?x a ?c }}",
                                    named_graphs=[])
            self._classes[cls] = {to_rdflib(row["x"]) for row in rows}
        return self._classes[cls]

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
        tables = [self._scan(predicate, inverse=inverse) for predicate, inverse in steps]
        if len(tables) == 1:
            return {f: set(tables[0].get(f, ())) for f in focus}
        values = {}
        for f in focus:
            nodes = {f}
            for table in tables:
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
            elif component in _LOGICAL:
                self._logical(component(shape), shape, values)
            elif component is QualifiedValueShapeConstraintComponent:
                self._qualified(component(shape), shape, values)
            elif component is ClassConstraintComponent:
                self._class(component(shape), values)
            else:
                c = component(shape)
                _, reports = c.evaluate(self.executor, self.graph, values, [shape, c])
                self.results.extend(reports)

    def _class(self, c: ClassConstraintComponent, values: dict[Node, set[Node]]) -> None:
        """sh:class: the instances of each class (``rdf:type/rdfs:subClassOf*``, as pySHACL follows
        them) are found with one query per class; pySHACL's component judges and words only the
        value nodes that are not instances of every class."""
        if not all(isinstance(cls, URIRef) for cls in c.class_rules):
            doubtful = values
        else:
            instances = set.intersection(*(self._instances(cls) for cls in c.class_rules))
            doubtful = {f: bad for f, vs in values.items() if (bad := vs - instances)}
        if doubtful:
            _, reports = c.evaluate(self.executor, self.graph, doubtful, [c.shape, c])
            self.results.extend(reports)

    def _logical(self, c, shape: Shape, values: dict[Node, set[Node]]) -> None:
        """sh:or, sh:and, sh:xone or sh:not: each member shape evaluated once over every value node."""
        nodes = sorted({v for vs in values.values() for v in vs}, key=_order)
        for members, passes in self._member_lists(c, shape):
            if not members:
                continue
            conforming = [self._conforming(m, nodes) for m in members]
            for f, vs in values.items():
                for v in vs:
                    if not passes(sum(v in ok for ok in conforming)):
                        self.results.append(c.make_v_result(self.graph, f, value_node=v))

    def _qualified(self, c: QualifiedValueShapeConstraintComponent, shape: Shape,
                   values: dict[Node, set[Node]]) -> None:
        """sh:qualifiedValueShape: each value shape (and, with sh:qualifiedValueShapesDisjoint, each
        sibling shape) evaluated once over every value node, then the values of each focus node that
        conform to it and to no sibling counted against sh:qualifiedMinCount and sh:qualifiedMaxCount,
        as pySHACL counts them."""
        nodes = sorted({v for vs in values.values() for v in vs}, key=_order)
        if not c.is_disjoint and not nodes and (c.min_count is None or c.min_count < 1):
            return
        sg = shape.sg
        for node in sorted(c.value_shapes, key=_order):
            if sg.is_filtered_out_shape(node):
                continue
            conforming = self._conforming(self._member(shape, node), nodes)
            if c.is_disjoint:
                siblings = {s for parent in sg.subjects(SH.property, shape.node) for member in sg.objects(parent, SH.property)
                            for s in sg.objects(member, SH.qualifiedValueShape) if s != node}
                for sibling in filter(None, (shape.get_other_shape(s) for s in sorted(siblings, key=_order))):
                    conforming -= self._conforming(sibling, nodes)
            for f, vs in values.items():
                count = sum(v in conforming for v in vs)
                if c.max_count is not None and count > c.max_count:
                    self.results.append(c.make_v_result(
                        self.graph, f, constraint_component=SH.QualifiedMaxCountConstraintComponent))
                if c.min_count is not None and count < c.min_count:
                    self.results.append(c.make_v_result(
                        self.graph, f, constraint_component=SH.QualifiedMinCountConstraintComponent))

    def _member_lists(self, c, shape: Shape) -> Iterator[tuple[list[Shape], Callable[[int], bool]]]:
        """Each list of member shapes of a logical constraint, with the test of how many must pass
        (sh:or and sh:and count a shape listed twice once, sh:xone twice, as pySHACL does)."""
        sg = shape.sg
        if isinstance(c, NotConstraintComponent):
            for node in c.not_list:
                if not sg.is_filtered_out_shape(node):
                    yield [self._member(shape, node)], lambda n: n == 0
            return
        if isinstance(c, OrConstraintComponent):
            lists, passes = c.or_list, (lambda n: n > 0)
        elif isinstance(c, AndConstraintComponent):
            lists, passes = c.and_list, None  # all of them
        else:
            lists, passes = c.xone_nodes, (lambda n: n == 1)
        for head in lists:
            items = list(sg.graph.items(head))
            if not items:
                raise NotImplementedError(f"an empty or broken RDF list in {shape.node}")
            members = [self._member(shape, o) for o in items if not sg.is_filtered_out_shape(o)]
            if not isinstance(c, XoneConstraintComponent):
                members = list({id(m): m for m in members}.values())
            yield members, passes or (lambda n, k=len(members): n == k)

    @staticmethod
    def _member(shape: Shape, node: Node) -> Shape:
        member = shape.get_other_shape(node)
        if member is None:
            raise NotImplementedError(f"{node} is not a shape (pySHACL reports it)")
        return member

    def _conforming(self, shape: Shape, nodes: list[Node]) -> set[Node]:
        """The nodes that conform to ``shape`` (as pySHACL's ``shape.validate(focus=node)`` says)."""
        if shape.deactivated or not nodes:
            return set(nodes)
        if shape.node in self._nested:
            raise NotImplementedError(f"recursive shape {shape.node}")
        property_members = [shape.get_other_shape(p) for p in self.sg.objects(shape.node, SH.property)]
        if shape.is_property_shape and property_members or any(
                m is not None and any(True for _ in self.sg.objects(m.node, SH.property)) for m in property_members):
            raise NotImplementedError(f"results of {shape.node} are not about the nodes it is given")
        saved, self.results = self.results, []
        self._nested.add(shape.node)
        try:
            self.evaluate(shape, nodes)
            failed = {o[1] for r in self.results for s, p, o in r[2] if p == SH.focusNode}
        finally:
            self._nested.discard(shape.node)
            self.results = saved
        return set(nodes) - failed

    def _sparql(self, constraint: SPARQLBasedConstraint, shape: Shape, values: dict[Node, set[Node]]) -> None:
        """Each SPARQL constraint once for all focus nodes when it is ``joinable``, else once per focus
        node, as pySHACL's SPARQLBasedConstraint does."""
        for helper in sorted(constraint.sparql_constraints, key=lambda h: str(h.node)):
            if helper.deactivated or not values:
                continue
            kwargs = {"source_constraint": helper.node, "extra_messages": helper.messages or None}
            bindings, text = helper.pre_bind_variables(next(iter(values)))
            if set(bindings) - {"this", "currentShape"}:
                raise NotImplementedError(f"pre-bound {sorted(bindings)} in {shape.node}")
            query = helper.apply_prefixes(text)
            for f, solutions in self._solutions(query, bindings, values):
                default_value = None if shape.is_property_shape else f
                for t, p, v, rest in _violations(*solutions):
                    value = default_value if v is None else v
                    failure = t is None and p is None and v is None
                    self.results.append(constraint.make_v_result(
                        self.graph, t or f, value_node=value, result_path=p,
                        bound_vars=rest if failure else (t, p, value, rest), **kwargs))

    def _solutions(self, query: str, bindings: dict, values: dict) -> Iterator[tuple[Node, tuple]]:
        """(focus node, (variable names, rows)) for every focus node, rows as rdflib terms."""
        fixed = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items() if k != "this"}
        if "this" not in bindings or joinable(query):
            rows_of: dict[Node, list] = defaultdict(list)
            names, rows = self._select(query, fixed)
            if "this" not in bindings:
                yield from ((f, (names, rows)) for f in values)
                return
            for row in rows:
                rows_of[row.get("this")].append(row)
            yield from ((f, (names, rows_of.get(f, []))) for f in values)
            return
        for f in values:
            yield f, self._select(query, {**fixed, ox.Variable("this"): to_oxigraph(f)})

    def _select(self, query: str, substitutions: dict) -> tuple[list[str], list[dict]]:
        try:
            solutions = self.store.query(query, substitutions=substitutions, named_graphs=[])
        except (RuntimeError, SyntaxError) as err:  # pyoxigraph substitutes only projected variables,
            raise NotImplementedError(str(err)) from None  # and is stricter than rdflib on aggregates
        if isinstance(solutions, bool):
            raise NotImplementedError("an ASK query as a SPARQL constraint")
        names = [v.value for v in solutions.variables]
        return names, [{n: to_rdflib(s[n]) for n in names if s[n] is not None} for s in solutions]


# --- which SPARQL constraints run once for all focus nodes -----------------------------------

_THIS = Variable("this")
# algebra nodes whose solutions are those of their first operand, filtered, extended or reshaped
_PASS = {"Project", "Distinct", "Reduced", "OrderBy", "AggregateJoin", "Filter", "Extend", "Group"}


@cache
def joinable(query: str) -> bool:
    """Whether the solutions of ``query`` with ``$this`` pre-bound to a node are exactly its
    solutions with ``$this`` unbound whose ``?this`` is that node.

    True when ``?this`` is projected, bound in every solution by a triple pattern outside any
    OPTIONAL, UNION branch, MINUS or subquery, never bound by BIND or VALUES, in the GROUP BY if
    the query groups or aggregates, and the query has no LIMIT or OFFSET.

    >>> joinable("SELECT $this ?v WHERE { $this <http://ex/p> ?v FILTER NOT EXISTS { $this <http://ex/q> ?v } }")
    True
    >>> joinable("SELECT $this WHERE { OPTIONAL { $this <http://ex/p> ?v } }")
    False
    >>> joinable("SELECT $this (COUNT(?v) AS ?n) WHERE { $this <http://ex/p> ?v }")
    False
    >>> joinable("SELECT $this ?v WHERE { $this <http://ex/p> ?v } LIMIT 1")
    False
    """
    try:
        algebra = prepareQuery(query).algebra
    except Exception:  # noqa: BLE001 - a query rdflib cannot read is left to the per-focus run
        return False
    if algebra.name != "SelectQuery" or _THIS not in (algebra.get("PV") or ()):
        return False
    try:
        return _binds_this(algebra["p"], grouped=False)
    except _Unsafe:
        return False


class _Unsafe(Exception):
    """A construct under which pre-binding ``$this`` and joining on ``?this`` may differ."""


def _binds_this(node, *, grouped: bool) -> bool:
    """Whether every solution of the algebra ``node`` binds ``?this`` (raises _Unsafe, see joinable)."""
    name = node.name
    if name in _PASS:
        if name == "Group":
            if not node.get("expr") or _THIS not in node["expr"]:
                raise _Unsafe
            grouped = True
        elif name == "AggregateJoin" and not grouped and not _has_group(node["p"]):
            raise _Unsafe
        elif name == "Extend" and node["var"] == _THIS and not str(node["expr"]).startswith("__agg_"):
            raise _Unsafe
        _check_expression(node.get("expr"))
        return _binds_this(node["p"], grouped=grouped)
    if name == "BGP":
        return any(_THIS in triple for triple in node["triples"])
    if name == "Join":
        return _binds_this(node["p1"], grouped=grouped) | _binds_this(node["p2"], grouped=grouped)
    if name == "LeftJoin":
        _check_expression(node.get("expr"))
        _binds_this(node["p2"], grouped=grouped)
        return _binds_this(node["p1"], grouped=grouped)
    if name == "Union":
        return _binds_this(node["p1"], grouped=grouped) & _binds_this(node["p2"], grouped=grouped)
    if name == "Minus":
        if _mentions_this(node["p2"]):
            raise _Unsafe
        return _binds_this(node["p1"], grouped=grouped)
    raise _Unsafe  # subqueries, VALUES, GRAPH, SERVICE, slices and anything not listed


def _has_group(node) -> bool:
    return isinstance(node, CompValue) and node.name == "Group"


def _check_expression(expr) -> None:
    """EXISTS patterns in an expression may use ``$this`` only in triple patterns and filters."""
    for part in _parts(expr):
        if part.name in ("SubSelect", "MinusGraphPattern", "InlineData", "GraphGraphPattern",
                         "ServiceGraphPattern", "Bind", "ToMultiSet", "values", "Minus", "Slice") \
                and _mentions_this(part):
            raise _Unsafe


def _parts(value) -> Iterator[CompValue]:
    if isinstance(value, CompValue):
        yield value
        for item in value.values():
            yield from _parts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _parts(item)


def _mentions_this(value) -> bool:
    if value == _THIS:
        return True
    if isinstance(value, CompValue):
        return any(_mentions_this(v) for k, v in value.items() if k != "_vars")
    if isinstance(value, (list, tuple, set)):
        return any(_mentions_this(v) for v in value)
    return False


def _violations(names: list[str], rows: list[dict]) -> Iterator[tuple]:
    """pySHACL's reading of a constraint's solutions: (?this, ?path, ?value, the other variables).

    A solution binding ?failure stands for one result about the focus node, whatever its count.
    """
    seen: list = []
    failed = False
    for solution in rows:
        row = dict(solution)
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
