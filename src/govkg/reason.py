"""Reason stage: the ontology and the default graph, checked by HermiT (as shipped with owlready2).

HermiT says only *that* the data is inconsistent. To give curators something to act on, an
inconsistency is followed by diagnostic queries that name the resources breaking a
disjointness axiom of the ontology (e.g. a unit typed both as a bureau and as a division).

HermiT is given the ontology and the default graph without what cannot change its verdict:
annotation assertions, and class assertions the ontology's subclass axioms entail from another
class assertion of the same individual. It runs in a child process so that the build validates
meanwhile, and its verdict is cached by the content it is given: the ontology, and the digest of
each non-annotation predicate's triples in the default graph (``rdfio.predicate_digests``, which
validation keys by too), so an unchanged ABox is recognised without writing and sorting it again.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import owlready2
import owlready2.reasoning
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, Store, Triple, serialize

from . import cachedir, rdfio
from .iris import OWL, RDF, RDFS

_HERMIT = Path(owlready2.__file__).parent / "hermit"
_HERMIT_CLASSPATH = os.pathsep.join([str(_HERMIT), str(_HERMIT / "HermiT.jar")])
_HERMIT_OPTIONS = ("org.semanticweb.HermiT.cli.CommandLine", "-k", "--ignoreUnsupportedDatatypes")

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


def check_consistency(ontology: list[Triple], store: Store, *, cache: Path | None = None) -> ReasonResult:
    """Runs HermiT on the ontology and the default graph.

    With ``cache``, the verdict is kept under the key of what HermiT is given (``verdict_key``), so
    unchanged data is not reasoned over again; HermiT's input is written there meanwhile (else in
    the system's temporary folder).
    """
    return start(ontology, store, cache=cache).result()


def start(ontology: list[Triple], store: Store, *, cache: Path | None = None,
          digests: dict[str, str] | None = None) -> Future:
    """Starts the HermiT check in a forked child process, which writes HermiT's input and runs it
    (HermiT is Java; the build goes on meanwhile).

    ``digests`` are the store's ``rdfio.predicate_digests``, if the caller has them already."""
    path = None
    if cache is not None:
        path = cache / "reasoning" / f"{verdict_key(ontology, digests or rdfio.predicate_digests(store))}.json"
        if cachedir.kept(path):
            done: Future = Future()
            verdict = json.loads(path.read_text(encoding="utf-8"))
            done.set_result(ReasonResult(verdict["consistent"], tuple(verdict["explanation"]), 0.0))
            return done
    work = Path(tempfile.mkdtemp(prefix="reasoning-", dir=_scratch(cache)))
    global _FORKED
    _FORKED = ontology, store, work  # the forked child finds them here: a store cannot be pickled
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    future = pool.submit(_forked_check)
    pool.shutdown(wait=False)
    result: Future = Future()

    def finish(f: Future) -> None:
        shutil.rmtree(work, ignore_errors=True)
        try:
            consistent, seconds = f.result()
        except BaseException as err:  # noqa: BLE001 - handed to whoever waits for the verdict
            result.set_exception(err)
            return
        verdict = ReasonResult(True, (), seconds) if consistent else \
            ReasonResult(False, explain(ontology, store), seconds)
        if path is not None:
            cachedir.put(path, json.dumps({"consistent": verdict.consistent, "explanation": verdict.explanation}))
        result.set_result(verdict)

    future.add_done_callback(finish)
    return result


_FORKED = None  # (ontology, store, work folder) of the check being started, for the forked child


def _forked_check() -> tuple[bool, float]:
    """In the forked child: writes HermiT's input from the parent's store, then runs HermiT on it,
    so that the build validates while the input is written, not after."""
    ontology, store, work = _FORKED
    return _hermit(_abox(ontology, store, work))


def _scratch(cache: Path | None) -> Path | None:
    """Where HermiT's input is written: the cache's folder of verdicts when there is one (so that
    what a stopped build left there is pruned with them)."""
    if cache is None:
        return None
    (cache / "reasoning").mkdir(parents=True, exist_ok=True)
    return cache / "reasoning"


_KEY_VERSION = "reasoning 3"  # part of every verdict's key: change it when what HermiT is given changes


def verdict_key(ontology: list[Triple], digests: dict[str, str]) -> str:
    """The key of HermiT's verdict: the reasoner and its options, the ontology's triples (stable blank
    nodes) and the digests of the default graph's triples of each predicate that is not an annotation
    property, which fix HermiT's input (``_abox``) as exactly as its own digest would."""
    annotations = {p.value for p in _annotation_properties(ontology)}
    ontology_lines = sorted(serialize(_stable_blank_nodes(ontology), format=RdfFormat.N_TRIPLES).splitlines())
    parts = [_KEY_VERSION, owlready2.VERSION, *_HERMIT_OPTIONS, hashlib.sha256(b"\n".join(ontology_lines)).hexdigest(),
             *(f"{p} {d}" for p, d in sorted(digests.items()) if p not in annotations)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _abox(ontology: list[Triple], store: Store, work: Path) -> Path:
    """Writes HermiT's input into ``work``: the ontology and the default graph without annotation
    assertions and without the class assertions the ontology's named subclass axioms entail from
    another of the same individual's (``_without_entailed_types``), as sorted N-Triples (sorted outside
    Python's memory). Returns its path."""
    annotations = {f"<{p.value}>".encode() for p in _annotation_properties(ontology)}
    unsorted, abox = work / "unsorted.nt", work / "abox.nt"
    store.dump(str(unsorted), format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph())
    with unsorted.open("ab") as out:
        out.write(serialize(_stable_blank_nodes(ontology), format=RdfFormat.N_TRIPLES))
    with abox.open("wb") as out:
        sort = subprocess.Popen(["sort", "-u", "-S", "256M", "-T", str(work), str(unsorted)],
                                stdout=subprocess.PIPE, env={**os.environ, "LC_ALL": "C"})
        kept = (line for line in sort.stdout if line.split(b" ", 2)[1] not in annotations)
        out.writelines(_without_entailed_types(kept, _strict_superclasses(ontology)))
        if sort.wait() != 0:
            raise OSError(f"sort exited with {sort.returncode}")
    unsorted.unlink()
    return abox


_TYPE = f"<{RDF}type>".encode()


def _strict_superclasses(ontology: list[Triple]) -> dict[bytes, frozenset[bytes]]:
    """For each named class, the named classes the ontology's ``rdfs:subClassOf`` and
    ``owl:equivalentClass`` axioms between named classes make it a subclass of, without those
    equivalent to it, as N-Triples terms.

    >>> from pyoxigraph import NamedNode as N
    >>> sub, eq = N(RDFS + "subClassOf"), N(OWL + "equivalentClass")
    >>> found = _strict_superclasses([Triple(N("http://x/A"), sub, N("http://x/B")),
    ...                               Triple(N("http://x/B"), sub, N("http://x/C")),
    ...                               Triple(N("http://x/C"), eq, N("http://x/D"))])
    >>> sorted(found[b"<http://x/A>"]), sorted(found[b"<http://x/C>"])
    ([b'<http://x/B>', b'<http://x/C>', b'<http://x/D>'], [])
    """
    up: dict[bytes, set[bytes]] = {}
    for t in ontology:
        if isinstance(t.subject, NamedNode) and isinstance(t.object, NamedNode):
            s, o = f"<{t.subject.value}>".encode(), f"<{t.object.value}>".encode()
            if t.predicate == NamedNode(RDFS + "subClassOf"):
                up.setdefault(s, set()).add(o)
            elif t.predicate == NamedNode(OWL + "equivalentClass"):
                up.setdefault(s, set()).add(o)
                up.setdefault(o, set()).add(s)
    reach: dict[bytes, set[bytes]] = {}
    for start in up:
        seen, todo = set(), [start]
        while todo:
            for cls in up.get(todo.pop(), ()):
                if cls not in seen:
                    seen.add(cls)
                    todo.append(cls)
        reach[start] = seen
    return {c: frozenset(s for s in above if c not in reach.get(s, ())) for c, above in reach.items()}


def _without_entailed_types(lines, superclasses: dict[bytes, frozenset[bytes]]):
    """The sorted N-Triples ``lines`` without each ``rdf:type`` C of a subject that has another type
    strictly below C (``_strict_superclasses``).

    The ontology entails each such assertion from the one kept below it, so the data with and
    without it have the same models, and HermiT the same verdict: the national ABox loses a
    fifth of its triples (the ``prov:Entity`` of every provision, the ``skos:Concept`` of every
    duty …), and HermiT as much of its time."""
    for _, group in groupby(lines, key=lambda line: line.split(b" ", 1)[0]):
        yield from _kept_types(list(group), superclasses)


def _kept_types(group: list[bytes], superclasses: dict[bytes, frozenset[bytes]]) -> list[bytes]:
    types = {parts[2][:-3]: line for line in group
             if (parts := line.split(b" ", 2))[1] == _TYPE and parts[2].endswith(b" .\n")}
    if len(types) < 2:
        return group
    dropped = {types[t] for t in set().union(*(superclasses.get(t, ()) for t in types)) & types.keys()}
    return [line for line in group if line not in dropped] if dropped else group


def _stable_blank_nodes(triples: list[Triple]) -> list[Triple]:
    """The triples with their blank nodes renamed in order of first use (a parse names them at
    random), so that the same ontology file gives the same text and the cache key holds."""
    names: dict[BlankNode, BlankNode] = {}

    def term(t):
        if isinstance(t, BlankNode):
            return names.setdefault(t, BlankNode(f"o{len(names)}"))
        return t

    return [Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]


def _annotation_properties(ontology: list[Triple]) -> set[NamedNode]:
    """The annotation properties the ontology declares, and OWL's built-in ones.

    Annotation assertions have no meaning in OWL 2's Direct Semantics, so leaving them out of
    HermiT's input (a third of the ABox: titles, names, sources, identifiers) cannot change its verdict.
    """
    declared = {t.subject for t in ontology
                if t.predicate == NamedNode(RDF + "type") and t.object == NamedNode(OWL + "AnnotationProperty")}
    return declared | {NamedNode(RDFS + name) for name in ("label", "comment", "seeAlso", "isDefinedBy")}


def _hermit(abox: Path) -> tuple[bool, float]:
    """HermiT's verdict on an N-Triples file, and the seconds it took (run in a child process).

    HermiT is the one owlready2 ships, run as owlready2 runs it but asked for consistency only
    (``-k``) on our own file: loading the data into owlready2's quadstore first, and classifying,
    added nothing to the verdict and took longer than HermiT itself. Its heap grows with the file
    (HermiT holds about ten times its input) from owlready2's default.
    """
    started = time.perf_counter()
    heap = max(owlready2.reasoning.JAVA_MEMORY, 12 * abox.stat().st_size // 2**20)
    done = subprocess.run([owlready2.JAVA_EXE, f"-Xmx{heap}M", "-XX:+UseSerialGC",
                           "-cp", _HERMIT_CLASSPATH, *_HERMIT_OPTIONS, abox.resolve().as_uri()],
                          capture_output=True, text=True)
    if done.returncode == 0 and "is satisfiable" in done.stdout:
        return True, time.perf_counter() - started
    if done.returncode == 1 and "Inconsistent ontology" in done.stderr:
        return False, time.perf_counter() - started
    raise RuntimeError(f"HermiT failed (exit {done.returncode}): {(done.stderr or done.stdout)[-2000:]}")


def explain(ontology: list[Triple], data: Store) -> tuple[str, ...]:
    """Resources of the default graph of ``data`` whose types are declared disjoint, each with the two classes."""
    store = Store()
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in ontology)
    store.bulk_extend(Quad(q.subject, q.predicate, q.object, DefaultGraph())
                      for q in data.quads_for_pattern(None, None, None, DefaultGraph()))
    found = [f"{row['x'].value} is both a {row['a'].value} and a {row['b'].value}, "
             "which the ontology declares disjoint: give it one rank or kind"
             for row in store.query(_DISJOINT_QUERY)]
    return tuple(found) or ("HermiT found the ontology and data inconsistent, and no disjointness clash explains it: "
                            "check recent changes to ontology/govkg.ttl and to the types the transform writes",)
