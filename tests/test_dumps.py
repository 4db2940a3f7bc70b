"""The dumps written a chunk at a time (govkg.dumps) are byte for byte what serializing the whole
of govkg.nq at once writes, with an empty cache, with a full one, and after an edit."""

from __future__ import annotations

import random

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, parse, serialize

from govkg import dumps, rdfio
from govkg.iris import Iris

IRIS = Iris("https://example.org/")


def _store(seed: int, edit: bool = False) -> Store:
    rng = random.Random(seed)
    store = Store()
    vocab = IRIS.vocab
    for i in range(600):
        graph = DefaultGraph() if i % 3 else NamedNode(f"{IRIS.base}graph/snapshot/가부/2020-0{1 + i % 4}-01")
        s = NamedNode(f"{IRIS.base}id/org/가부/과{i % 211}")
        store.add(Quad(s, NamedNode(rdfio.RDF + "type"), NamedNode(vocab + "Division"), graph))
        text = f"업무 {rng.randrange(10**6)}\n둘째 줄 \"인용\"" if i % 7 else f"{i}"
        store.add(Quad(s, NamedNode(vocab + "duty"), Literal(text, language="ko"), graph))
        store.add(Quad(s, NamedNode(vocab + "next"), NamedNode(f"{IRIS.base}id/org/가부/과{(i * 7) % 211}"), graph))
    if edit:
        store.add(Quad(NamedNode(f"{IRIS.base}id/org/가부/과5"), NamedNode(vocab + "duty"), Literal("새 업무", language="ko")))
    return store


def _whole(nquads, fmt):
    """What the dumps were before chunks: the whole stream serialized at once."""
    quads = list(parse(path=str(nquads), format=RdfFormat.N_QUADS))
    if fmt == "trig":
        return serialize(quads, format=RdfFormat.TRIG, prefixes=dumps._spaces(IRIS))
    default = rdfio.default_triples(quads)
    if fmt == "ttl":
        return serialize(default, format=RdfFormat.TURTLE, prefixes=dumps._spaces(IRIS))
    return "".join(rdfio._document(default, IRIS, IRIS.base + "context.jsonld")).encode("utf-8")


def _write(store: Store, folder, cache, fmt):
    nquads = folder / "govkg.nq"
    rdfio.write_sorted_nquads(store, nquads)
    out = folder / f"govkg.{fmt}"
    graphs = dumps.sizes(store)
    if fmt == "trig":
        dumps.write_trig(nquads, graphs, out, IRIS, cache)
    elif fmt == "ttl":
        dumps.write_turtle(nquads, graphs, out, IRIS, cache)
    else:
        dumps.write_jsonld(nquads, graphs, out, IRIS, IRIS.base + "context.jsonld", cache)
    return nquads, out.read_bytes()


@pytest.mark.parametrize("fmt", ["trig", "ttl", "jsonld"])
@pytest.mark.parametrize("max_lines", [dumps.MAX_LINES, 5])
def test_chunked_dumps_are_the_whole_stream_serialized(tmp_path, monkeypatch, fmt, max_lines):
    monkeypatch.setattr(dumps, "MAX_LINES", max_lines)
    cache = tmp_path / "cache"
    for n, (edit, cached) in enumerate([(False, None), (False, cache), (False, cache), (True, cache)]):
        folder = tmp_path / str(n)
        folder.mkdir()
        nquads, written = _write(_store(1, edit), folder, cached, fmt)
        assert written == _whole(nquads, fmt), (n, fmt)
    chunks = list(dumps.chunks(nquads, dumps.sizes(_store(1, True))))
    assert len(chunks) > (4 if max_lines == dumps.MAX_LINES else 100)
    assert b"".join(c for _, c in chunks) == nquads.read_bytes()


def test_an_empty_dataset_gives_the_same_empty_dumps(tmp_path):
    for fmt in ("trig", "ttl", "jsonld"):
        nquads, written = _write(Store(), tmp_path, tmp_path / "cache", fmt)
        assert written == _whole(nquads, fmt)
