"""govkg.nq's sorted blocks: a graph kept in the cache is written as a fresh sort would write it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

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
