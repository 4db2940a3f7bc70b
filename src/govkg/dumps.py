"""The dumps that stream from govkg.nq: govkg.trig (every graph), govkg.ttl and govkg.jsonld (the
default graph), written a chunk at a time, each chunk's text kept in the build cache under the
digest of its lines, so that a build after an edit renders only the chunks the edit changed.

A chunk is the whole runs of some subjects in one graph of govkg.nq (which is sorted): it ends
after a subject whose CRC-32 has its low nine bits clear (one subject in 512), or after the
first subject run that takes it past ``MAX_LINES``. The content decides the cuts, not the
position, so an edit changes the chunk it falls in and leaves the others as they were. Each file
is byte for byte what serializing the whole stream at once writes (tests/test_dumps.py).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path

import pyoxigraph
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from . import cachedir, rdfio
from .iris import Iris

ENTRY = "dumps"        # the cache folder (``cachedir.ENTRIES``)
MAX_LINES = 1 << 16
_CUT = 0x1FF
_VERSION = b"dump chunk 1\n"   # part of every kept chunk's key: change it with the way chunks are rendered

Sizes = list[tuple[str, int]]   # (graph name, "" for the default graph; its triples) in govkg.nq's order


def sizes(store) -> Sizes:
    """Each graph's number of triples, in the order govkg.nq holds them: the default graph, then by name."""
    counts = rdfio.graph_sizes(store)
    return [("", counts.pop(None)), *sorted(counts.items())]


def chunks(nquads: Path, graphs: Sizes) -> Iterator[tuple[str, bytes]]:
    """(graph name, its lines) for each chunk of the sorted N-Quads file ``nquads``, whose graphs
    hold as many lines as ``graphs`` says, in that order (the first graphs only, if it lists only those)."""
    with nquads.open("rb") as lines:
        for name, count in graphs:
            suffix = f" <{name}> .\n".encode() if name else None
            chunk: list[bytes] = []
            subject = b"\n"   # the subject of the lines so far, with the space after it; no line starts so
            for line in islice(lines, count):
                if not line.startswith(subject):
                    if chunk and (len(chunk) >= MAX_LINES or not zlib.crc32(subject[:-1]) & _CUT):
                        yield name, _checked(chunk, suffix)
                        chunk = []
                    subject = line[:line.index(b" ") + 1]
                chunk.append(line)
            if chunk:
                yield name, _checked(chunk, suffix)


def _checked(chunk: list[bytes], suffix: bytes | None) -> bytes:
    if suffix is not None and not chunk[-1].endswith(suffix):
        raise RuntimeError(f"govkg.nq does not hold the graphs in the order and sizes given ({suffix!r})")
    return b"".join(chunk)


def write_trig(nquads: Path, graphs: Sizes, path: Path, iris: Iris, cache: Path | None) -> None:
    """govkg.trig: every graph, with the data prefixes."""
    spaces = _spaces(iris)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        header, graph = None, None
        salt = _salt("trig", spaces)
        for name, chunk in chunks(nquads, graphs):
            text = _kept("trig", salt, name, chunk, cache, lambda c, n=name: _trig_body(n, c, spaces))
            if header is None:
                header = _header(RdfFormat.TRIG, spaces)
                out.write(header)
            if name != graph:
                if graph:
                    out.write("}\n")
                if name:
                    out.write(_opening(name, spaces))
                graph = name
            out.write(text)
        if graph:
            out.write("}\n")


def write_turtle(nquads: Path, graphs: Sizes, path: Path, iris: Iris, cache: Path | None) -> None:
    """govkg.ttl: the default graph, with the data prefixes."""
    spaces = _spaces(iris)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        header = None
        salt = _salt("ttl", spaces)
        for name, chunk in chunks(nquads, graphs[:1]):
            text = _kept("ttl", salt, name, chunk, cache, lambda c: _after(serialize(
                rdfio.default_triples(parse(c, format=RdfFormat.N_QUADS)), format=RdfFormat.TURTLE,
                prefixes=spaces).decode("utf-8")))
            if header is None:
                header = _header(RdfFormat.TURTLE, spaces)
                out.write(header)
            out.write(text)


def write_jsonld(nquads: Path, graphs: Sizes, path: Path, iris: Iris, context_iri: str, cache: Path | None) -> None:
    """govkg.jsonld: the default graph, one node object per subject, as ``rdfio.write_jsonld`` writes it."""
    compact = rdfio.compactor(iris)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        first = True
        out.write(rdfio.JSONLD_OPEN.format(context=rdfio.json_text(context_iri)))
        salt = _salt("jsonld", rdfio.prefixes(iris))
        for name, chunk in chunks(nquads, graphs[:1]):
            text = _kept("jsonld", salt, name, chunk, cache, lambda c: rdfio.JSONLD_SEPARATOR.join(
                rdfio.jsonld_nodes(rdfio.default_triples(parse(c, format=RdfFormat.N_QUADS)), compact)))
            out.write((rdfio.JSONLD_FIRST if first else rdfio.JSONLD_SEPARATOR) + text)
            first = False
        out.write(rdfio.JSONLD_CLOSE_EMPTY if first else rdfio.JSONLD_CLOSE)


def _spaces(iris: Iris) -> dict[str, str]:
    spaces = rdfio.prefixes(iris, things=False)
    return {name: spaces[name] for name in rdfio.DATA_PREFIXES}


def _salt(kind: str, spaces: dict[str, str]) -> bytes:
    """What a chunk's text depends on besides its lines: the format, the prefixes, the serializer."""
    return "\n".join([kind, json.dumps(sorted(spaces.items())), pyoxigraph.__version__, ""]).encode("utf-8")


def _kept(kind: str, salt: bytes, name: str, chunk: bytes, cache: Path | None, render: Callable[[bytes], str]) -> str:
    """A chunk's text, from the cache when an earlier build rendered the same lines the same way."""
    if cache is None:
        return render(chunk)
    digest = hashlib.sha256(_VERSION + salt + f"{name}\n".encode() + chunk).hexdigest()
    path = cache / ENTRY / f"{digest}.{kind}"
    if cachedir.kept(path):
        return path.read_text(encoding="utf-8")
    text = render(chunk)
    cachedir.put(path, text)
    return text


def _trig_body(name: str, chunk: bytes, spaces: dict[str, str]) -> str:
    """The chunk's lines as TriG writes them inside their graph's braces (bare, for the default graph)."""
    text = _after(serialize(parse(chunk, format=RdfFormat.N_QUADS), format=RdfFormat.TRIG,
                            prefixes=spaces).decode("utf-8"))
    if not name:
        return text
    if not text.endswith("\n}\n"):
        raise RuntimeError(f"unexpected TriG for graph {name}")
    return text[text.index("\n") + 1:-2]


def _opening(name: str, spaces: dict[str, str]) -> str:
    """The line TriG opens graph ``name`` with: its name as the serializer abbreviates it, and ``{``."""
    graph = NamedNode(name)
    text = serialize([Quad(graph, graph, graph, graph)], format=RdfFormat.TRIG, prefixes=spaces).decode("utf-8")
    return _after(text).split("\n", 1)[0] + "\n"


def _header(fmt: RdfFormat, spaces: dict[str, str]) -> str:
    """The prefix lines the serializer starts a document with."""
    probe = NamedNode("urn:govkg:probe")
    statement = Quad(probe, probe, probe, DefaultGraph()) if fmt == RdfFormat.TRIG else Triple(probe, probe, probe)
    text = serialize([statement], format=fmt, prefixes=spaces).decode("utf-8")
    return text[:len(text) - len(_after(text))]


def _after(text: str) -> str:
    """The text after the serializer's leading ``@prefix`` lines."""
    start = 0
    while text.startswith("@prefix ", start):
        start = text.index("\n", start) + 1
    return text[start:]
