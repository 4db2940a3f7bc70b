"""Deterministic RDF reading and writing on top of pyoxigraph.

Triples are written sorted (subject, then rdf:type first, then predicate and object), so two
builds give byte-identical files and diffs read well. A whole dataset is sorted outside Python's
memory (``write_sorted_nquads``, with the system's ``sort``), and the other dumps stream from that
file a chunk at a time (``govkg.dumps``), so writing them costs a bounded amount of memory
whatever the size of the graph.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import groupby, takewhile
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse, serialize

from . import cachedir
from .formats import PREFIXED
from .iris import RDF, STANDARD_PREFIXES, XSD, Iris

_RDF_TYPE = RDF + "type"


def prefixes(iris: Iris, *, things: bool = True) -> dict[str, str]:
    """Prefixes for output. ``things=False`` leaves out ``id:`` and ``graph:``: Turtle would have to
    escape every '/' in their local names, so IRIs of things are written in full there."""
    spaces = {"govkg": iris.vocab, "gks": iris.shapes, **STANDARD_PREFIXES}
    if things:
        spaces |= {"id": iris.base + "id/", "graph": iris.base + "graph/"}
    return spaces


_ORDER = {NamedNode: "0", BlankNode: "1"}  # then literals ("2")


def _triple_key(t) -> str:
    """The publishing order of triples: subjects (named nodes, then blank nodes, by their N-Triples
    form), rdf:type first, then predicates by IRI, then objects as subjects are ordered. One string
    whose fields are joined by \x01, below every character a term's N-Triples form can hold, so it
    sorts as the tuple of those fields would, and as ``_keyed_lines`` keys the dumps."""
    s, p, o = t.subject, t.predicate.value, t.object
    return f"{_ORDER.get(type(s), '2')}{s}\x01{'0' if p == _RDF_TYPE else '1'}{p}\x01{_ORDER.get(type(o), '2')}{o}"


def canonical_blank_nodes(triples: Iterable) -> list[Triple]:
    """Relabels blank nodes by rdflib's canonical labelling, so output with blank nodes (the
    ontology's restrictions and lists) is the same on every run."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    data = serialize((t.triple if isinstance(t, Quad) else t for t in triples), format=RdfFormat.N_TRIPLES)
    canonical = to_canonical_graph(Graph().parse(data=data.decode("utf-8"), format="nt"))
    return list(parse(canonical.serialize(format="nt").encode("utf-8"), format=RdfFormat.N_TRIPLES))


def sorted_triples(triples: Iterable) -> list[Triple]:
    return sorted((t.triple if isinstance(t, Quad) else t for t in triples), key=_triple_key)


_KIND = {ord("<"): b"0", ord("_"): b"1", ord('"'): b"2"}  # named nodes, blank nodes, literals: as _triple_key orders them
_TYPE_TERM = f"<{_RDF_TYPE}>".encode()


def _keyed_lines(name: str, scratch: Path) -> Iterator[bytes]:
    """Each quad of graph ``name`` ("" for the default graph), dumped as N-Triples in ``scratch``, as
    one line: a key that sorts bytewise as ``(graph, *_triple_key)`` does, NUL, then its N-Quads
    line. Fields are joined by \x01, below every character a term can hold. (Bytes throughout:
    UTF-8 sorts bytewise in code-point order.)"""
    graph = name.encode("utf-8")
    suffix = b" <" + graph + b"> .\n" if name else b" .\n"
    with scratch.open("rb") as lines:
        for line in lines:
            s, p, rest = line.split(b" ", 2)
            o = rest[:-3]  # without " .\n"
            yield b"%b\x01%b%b\x01%b%b\x01%b%b\x00%b %b %b%b" % (
                graph, _KIND[s[0]], s, b"0" if p == _TYPE_TERM else b"1", p[1:-1], _KIND[o[0]], o, s, p, o, suffix)


_BLOCK_VERSION = b"sorted block 1\n"  # part of every cached block's key: change it with the order or the line format


def write_sorted_nquads(store: Store, path: Path, cache: Path | None = None) -> None:
    """Writes every quad of ``store`` as N-Quads in publishing order: graphs by name (the default
    graph first), then triples as ``sorted_triples`` orders them. The sort runs in the system's
    ``sort`` (C locale: bytewise, which is code-point order for UTF-8) with temporary files beside
    ``path``, so memory stays bounded.

    With ``cache`` (a folder), each named graph's sorted block is kept there under the sha256 of
    the graph's content as the store dumps it, and a graph dumped the same as in an earlier build
    is copied from there instead of being sorted again: an edit re-sorts the default graph and
    the snapshot graphs it changed. (The default graph is not kept: almost every edit changes it,
    and each kept copy would be a tenth of the dataset.)"""
    keyed, scratch = path.with_name(path.name + ".keyed"), path.with_name(path.name + ".graph")
    blocks = None if cache is None else cache / "sorted"
    graphs = [DefaultGraph(), *sorted(store.named_graphs(), key=lambda g: g.value)]
    plan: dict[str, tuple[bool, Path | None]] = {}  # graph name → (in the cache?, its block)
    try:
        with keyed.open("wb") as out:
            for graph in graphs:
                name = "" if isinstance(graph, DefaultGraph) else graph.value
                store.dump(str(scratch), format=RdfFormat.N_TRIPLES, from_graph=graph)
                block = None
                if blocks is not None and name:  # the default graph changes with almost any edit
                    digest = hashlib.sha256(_BLOCK_VERSION + name.encode("utf-8") + b"\n" + scratch.read_bytes())
                    block = blocks / f"{digest.hexdigest()}.nq"
                plan[name] = block is not None and cachedir.kept(block), block
                if not plan[name][0]:
                    out.writelines(_keyed_lines(name, scratch))
        with path.open("wb") as out:
            _merge(plan, keyed, out, path.parent)
    finally:
        keyed.unlink(missing_ok=True)
        scratch.unlink(missing_ok=True)


def _merge(plan: dict[str, tuple[bool, Path | None]], keyed: Path, out, scratch_dir: Path) -> None:
    """Writes the graphs in order: a cached block as it is, the others from the sorted keyed lines,
    each then saved as its block when it has one."""
    env = {**os.environ, "LC_ALL": "C"}
    sort = subprocess.Popen(["sort", "-S", "512M", "--parallel=2", "-T", str(scratch_dir), str(keyed)],
                            stdout=subprocess.PIPE, env=env)
    lines = sort.stdout
    pending = next(lines, None)
    for name, (cached, block) in plan.items():
        if cached:
            with block.open("rb") as kept:
                shutil.copyfileobj(kept, out)
            continue
        fresh = None if block is None else block.with_name(f"{block.name}.tmp-{os.getpid()}")
        prefix, saved = name.encode("utf-8") + b"\x01", None if fresh is None else _open_block(fresh)
        while pending is not None and pending.startswith(prefix):
            line = pending[pending.index(b"\x00") + 1:]
            out.write(line)
            if saved is not None:
                saved.write(line)
            pending = next(lines, None)
        if saved is not None:
            saved.close()
            fresh.replace(block)
    if sort.wait() != 0:
        raise OSError(f"sort exited with {sort.returncode}")


def _open_block(block: Path):
    block.parent.mkdir(parents=True, exist_ok=True)
    return block.open("wb")


def graph_sizes(store: Store) -> dict[str | None, int]:
    """The number of triples of each graph (None: the default graph), counted by the store."""
    sizes: dict[str | None, int] = {
        None: int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)}
    for row in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        sizes[row["g"].value] = int(row["n"].value)
    return sizes


def predicate_digests(store: Store) -> dict[str, str]:
    """For each predicate of the default graph, the sha256 of its triples' sorted N-Triples lines:
    what the caches of validation and reasoning key their results by."""
    lines: dict[bytes, list[bytes]] = {}
    for line in store.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph()).splitlines():
        lines.setdefault(line.split(b" ", 2)[1], []).append(line)
    return {p[1:-1].decode("utf-8"): hashlib.sha256(b"\n".join(sorted(ls))).hexdigest() for p, ls in lines.items()}


def read_quads(path: Path) -> Iterator[Quad]:
    """The quads of an N-Quads file, streamed."""
    return parse(path=str(path), format=RdfFormat.N_QUADS)


def default_triples(quads: Iterable[Quad]) -> Iterator[Triple]:
    """The default graph's triples from quads in publishing order (where it comes first)."""
    return (q.triple for q in default_quads(quads))


def default_quads(quads: Iterable[Quad]) -> Iterator[Quad]:
    """The default graph's quads from quads in publishing order, where it comes first."""
    return takewhile(lambda q: isinstance(q.graph_name, DefaultGraph), quads)


DATA_PREFIXES = ("rdf", "rdfs", "xsd", "skos", "prov", "dcterms", "org", "cv", "cpsv", "foaf", "govkg")
VOID_PREFIXES = ("rdf", "rdfs", "xsd", "void", "dcat", "dcterms", "foaf")


def write(data: Iterable, path: Path, fmt: RdfFormat, iris: Iris, names: Iterable[str] | None = None) -> None:
    """Serializes in the given format; Turtle, TriG and RDF/XML get the named prefixes (default: all)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    spaces = prefixes(iris, things=False)
    if names is not None:
        spaces = {name: spaces[name] for name in names}
    serialize(data, str(path), fmt, prefixes=spaces if fmt in PREFIXED else None)


# --- compacted JSON-LD ---------------------------------------------------------------------

def jsonld_context(iris: Iris) -> dict:
    """The published @context: prefixes only, so compaction and expansion are exact."""
    return {"@context": dict(sorted(prefixes(iris).items()))}


def _compact(iri: str, table: list[tuple[str, str]]) -> str:
    for prefix, ns in table:
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns):]
            if not local.startswith("//") and ":" not in local.split("/")[0]:
                return f"{prefix}:{local}"
    return iri


def _subject(t: Triple) -> str:
    return t.subject.value if isinstance(t.subject, NamedNode) else f"_:{t.subject.value}"


def _node(subject: str, triples: Iterable[Triple], compact: Callable[[str], str]) -> dict:
    """One subject's node object; ``compact`` shortens an IRI."""
    node: dict = {"@id": compact(subject)}
    for t in triples:
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, NamedNode):
            node.setdefault("@type", []).append(compact(t.object.value))
            continue
        obj = t.object
        if isinstance(obj, NamedNode):
            value = {"@id": compact(obj.value)}
        elif isinstance(obj, Literal):
            value = {"@value": obj.value}
            if obj.language:
                value["@language"] = obj.language
            elif obj.datatype.value != XSD + "string":
                value["@type"] = compact(obj.datatype.value)
        else:
            value = {"@id": f"_:{obj.value}"}
        node.setdefault(compact(t.predicate.value), []).append(value)
    return node


@lru_cache(maxsize=8)
def compactor(iris: Iris) -> Callable[[str], str]:
    """Shortens an IRI with the context's prefixes (the longest namespace first), remembering the
    IRIs that recur (predicates, classes, parents); one per ``iris``, kept, as every resource's
    JSON-LD (the site writes 65k) asks for it."""
    table = sorted(prefixes(iris).items(), key=lambda kv: -len(kv[1]))
    return lru_cache(maxsize=1 << 16)(lambda iri: _compact(iri, table))


def _nodes(triples: Iterable[Triple], compact: Callable[[str], str]) -> Iterator[dict]:
    return (_node(subject, run, compact) for subject, run in groupby(triples, key=_subject))


def jsonld_nodes(triples: Iterable[Triple], compact: Callable[[str], str]) -> Iterator[str]:
    """The text of each node object of ``triples`` (grouped by subject) as the JSON-LD dump writes it."""
    return (_indented(node, 1, 2) for node in _nodes(triples, compact))


# The JSON-LD dump around its node objects: what json.dumps(..., indent=1) writes before the first,
# between two, and after the last (or after none)
JSONLD_OPEN = '{{\n "@context": {context},\n "@graph": ['
JSONLD_FIRST, JSONLD_SEPARATOR = "\n  ", ",\n  "
JSONLD_CLOSE, JSONLD_CLOSE_EMPTY = "\n ]\n}\n", "]\n}\n"


def json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _document(triples: Iterable[Triple], iris: Iris, context_iri: str) -> Iterator[str]:
    """The text json.dumps(indent=1) writes for ``{"@context": …, "@graph": [a node per run of a
    subject]}``, a node at a time."""
    yield JSONLD_OPEN.format(context=json_text(context_iri))
    separator = JSONLD_FIRST
    for node in jsonld_nodes(triples, compactor(iris)):
        yield separator + node
        separator = JSONLD_SEPARATOR
    yield JSONLD_CLOSE_EMPTY if separator == JSONLD_FIRST else JSONLD_CLOSE


def _indented(value, indent: int, margin: int) -> str:
    """What ``json.dumps(value, ensure_ascii=False, indent=indent)`` writes, every line after the
    first shifted right by ``margin`` spaces, for the dicts, lists and strings of a node object;
    a third of the time json's own indenting encoder takes, which is pure Python."""
    if isinstance(value, str):
        return _json_string(value)
    pad, close = "\n" + " " * (margin + indent), "\n" + " " * margin
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{" + ",".join(f"{pad}{_json_string(k)}: {_indented(v, indent, margin + indent)}"
                              for k, v in value.items()) + close + "}"
    if not value:
        return "[]"
    return "[" + ",".join(pad + _indented(v, indent, margin + indent) for v in value) + close + "]"


_json_string = json.encoder.encode_basestring  # as json.dumps(ensure_ascii=False) writes a string


def jsonld(triples: Iterable[Triple], iris: Iris, context_iri: str) -> str:
    """Compacted JSON-LD on one line, one node object per subject (in the order subjects first
    appear), that jsonld expand() turns back into exactly these triples (IRIs compacted only with
    the context's prefixes)."""
    runs: dict[str, list[Triple]] = {}
    for t in triples:
        runs.setdefault(_subject(t), []).append(t)
    nodes = _nodes((t for run in runs.values() for t in run), compactor(iris))
    return f'{{"@context": {json_text(context_iri)}, "@graph": [{", ".join(json_text(n) for n in nodes)}]}}\n'


def write_jsonld(triples: Iterable[Triple | Quad], path: Path, iris: Iris, context_iri: str) -> None:
    """Indented JSON-LD into a file, streamed: ``triples`` (or default-graph quads) must come grouped
    by subject (sorted)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.writelines(_document(triples, iris, context_iri))
