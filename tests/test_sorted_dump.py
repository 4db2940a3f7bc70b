"""govkg.nq's sorted blocks: a graph kept in the cache is written as a fresh sort would write it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st

from govkg import rdfio

EX = "https://example.org/"


def _store() -> ox.Store:
    store = ox.Store()
    for g in ("", "graph/b", "graph/a", "graph/a/1"):
        graph = ox.NamedNode(EX + g) if g else ox.DefaultGraph()
        for i in (3, 1, 2):
            s = ox.NamedNode(f"{EX}s/{i}")
            store.add(ox.Quad(s, ox.NamedNode(EX + "p"), ox.Literal(f"v{i} {g}", language="ko"), graph))
            store.add(ox.Quad(s, ox.NamedNode(rdfio.RDF + "type"), ox.NamedNode(EX + "C"), graph))
            store.add(ox.Quad(ox.BlankNode(f"b{i}"), ox.NamedNode(EX + "p/q"), s, graph))
    return store


def test_cached_blocks_give_the_bytes_of_a_fresh_sort(tmp_path: Path):
    store, cache = _store(), tmp_path / "cache"
    blocks = lambda: set((cache / "sorted").glob("*.nq"))  # noqa: E731
    fresh, cached = tmp_path / "fresh.nq", tmp_path / "cached.nq"
    rdfio.write_sorted_nquads(store, fresh)
    for _ in range(2):  # filling the cache, then reading from it
        rdfio.write_sorted_nquads(store, cached, cache)
        assert cached.read_bytes() == fresh.read_bytes()
    assert len(blocks()) == 3  # the named graphs; the default graph is sorted every time
    text = fresh.read_text(encoding="utf-8")
    assert text.index(f"<{EX}graph/a>") < text.index(f"<{EX}graph/a/1>") < text.index(f"<{EX}graph/b>")
    assert text.splitlines()[0].split(" ")[1] == f"<{rdfio.RDF}type>"  # rdf:type first, as sorted_triples

    before = blocks()
    graph = ox.NamedNode(EX + "graph/b")
    store.add(ox.Quad(ox.NamedNode(EX + "s/0"), ox.NamedNode(EX + "p"), ox.Literal("new"), graph))
    rdfio.write_sorted_nquads(store, fresh)
    rdfio.write_sorted_nquads(store, cached, cache)
    assert cached.read_bytes() == fresh.read_bytes()
    assert len(blocks() - before) == 1  # only the edited graph was sorted again


_SUBJECTS = st.one_of(
    st.sampled_from(["a", "a/", "a/b", "ab", "b"]).map(lambda s: ox.NamedNode(EX + s)),
    st.sampled_from(["b1", "b10", "b2"]).map(ox.BlankNode))
_TERMS = st.one_of(
    _SUBJECTS,
    st.text(max_size=4).map(ox.Literal),
    st.text(max_size=3).map(lambda s: ox.Literal(s, language="ko")))
_PREDICATES = st.sampled_from([rdfio.RDF + "type", EX + "p", EX + "p/q", EX + "pq"]).map(ox.NamedNode)


@given(st.lists(st.tuples(_SUBJECTS, _PREDICATES, _TERMS), max_size=12))
def test_sorted_triples_order_the_triples_as_the_dump_does(rows):
    """The in-memory order (each resource's Turtle and JSON-LD) and the dump's bytewise sort agree,
    for IRIs that are prefixes of each other, blank node labels, and literals with any characters."""
    store = ox.Store()
    for s, p, o in rows:
        store.add(ox.Quad(s, p, o, ox.DefaultGraph()))
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "dump.nq"
        rdfio.write_sorted_nquads(store, dump)
        lines = dump.read_bytes().splitlines(keepends=True)
    in_memory = rdfio.sorted_triples(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert [ox.serialize([t], format=ox.RdfFormat.N_TRIPLES) for t in in_memory] == lines
