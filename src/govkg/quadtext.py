"""Quads as N-Quads text, loaded into a pyoxigraph store by a thread beside the code that makes them.

The transform writes millions of quads. Making four pyoxigraph terms per quad in Python, and
freeing them, took most of its time; formatting each quad as an N-Quads line is far cheaper, and
the store's parser reads the text fast and checks every IRI. The parser runs without the GIL, so
a loader thread parses one chunk while the transform formats the next: on two cores the two
halves of the work overlap.

A literal is written as its N-Quads term text (``Lit``); any other object is an IRI.

>>> ko("부 \\"장\\""), date("2020-04-28")
('"부 \\\\"장\\\\""@ko', '"2020-04-28"^^<http://www.w3.org/2001/XMLSchema#date>')
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable

from pyoxigraph import RdfFormat, Store

from . import timeutil
from .iris import XSD

_CHUNK = 200_000  # quads held as text before they go to the loader: bounds memory at national scale
_AHEAD = 2        # chunks made but not yet loaded, at most


class Lit(str):
    """A literal, as N-Quads term text."""

    __slots__ = ()


def _quoted(text: str) -> str:
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"'


def plain(text: str) -> Lit:
    """An xsd:string literal."""
    return Lit(_quoted(text))


def ko(text: str) -> Lit:
    return Lit(f"{_quoted(text)}@ko")


def en(text: str) -> Lit:
    return Lit(f"{_quoted(text)}@en")


def typed(text: str, datatype: str) -> Lit:
    return Lit(f"{_quoted(text)}^^<{datatype}>")


_DATE, _DATETIME = f"^^<{XSD}date>", f"^^<{XSD}dateTime>"


def date(day: str) -> Lit:
    return Lit(_quoted(day) + _DATE)


def instant(day: str) -> Lit:
    """The instant a day begins (``timeutil.instant``), as xsd:dateTime."""
    return Lit(_quoted(timeutil.instant(day)) + _DATETIME)


class _Loader:
    """A thread that bulk-loads chunks of N-Quads text into a store, in the order given."""

    def __init__(self, store: Store) -> None:
        self.store, self.error = store, None
        self.chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=_AHEAD)
        self.thread = threading.Thread(target=self._run, name="govkg-quad-loader", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (chunk := self.chunks.get()) is not None:
            if self.error is None:  # after an error, chunks are only drained, so the producer never blocks
                try:
                    self.store.bulk_load(chunk, format=RdfFormat.N_QUADS)
                except BaseException as error:  # noqa: BLE001 — raised again in the producer's thread
                    self.error = error

    def put(self, chunk: bytes) -> None:
        self._raise()
        self.chunks.put(chunk)

    def close(self) -> None:
        """Waits until every chunk given is loaded; raises what loading one raised."""
        self.chunks.put(None)
        self.thread.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error


class Quads:
    """Quads being made, as N-Quads lines, handed to a loader thread a chunk at a time. Use as a
    context manager, or call ``finish``: the store is complete only then."""

    def __init__(self, store: Store | None = None, chunk: int = _CHUNK) -> None:
        self.store = Store() if store is None else store
        self.chunk, self.lines = chunk, []
        self._loader: _Loader | None = None

    def add(self, s: str, p: str, o: str, graph: str | None = None) -> None:
        """One quad: ``s``, ``p`` and ``graph`` are IRIs, ``o`` an IRI or a ``Lit``."""
        obj = o if o.__class__ is Lit else f"<{o}>"
        self.lines.append(f"<{s}> <{p}> {obj} <{graph}> .\n" if graph else f"<{s}> <{p}> {obj} .\n")
        if len(self.lines) >= self.chunk:
            self._hand_over()

    def about(self, s: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Quads of one subject in the default graph: (predicate, object) pairs as in ``add``."""
        head = f"<{s}> <"
        self.lines.extend([f"{head}{p}> {o} .\n" if o.__class__ is Lit else f"{head}{p}> <{o}> .\n"
                           for p, o in pairs])
        if len(self.lines) >= self.chunk:
            self._hand_over()

    def in_graphs(self, s: str, p: str, o: str, graphs: Iterable[str]) -> None:
        """One triple in each of some named graphs."""
        head = f"<{s}> <{p}> {o if o.__class__ is Lit else f'<{o}>'} <"
        self.lines.extend([f"{head}{graph}> .\n" for graph in graphs])
        if len(self.lines) >= self.chunk:
            self._hand_over()

    def _hand_over(self) -> None:
        if self._loader is None:
            self._loader = _Loader(self.store)
        self._loader.put("".join(self.lines).encode("utf-8"))
        self.lines.clear()

    def finish(self) -> Store:
        """Loads what is left, waits for the loader, and returns the store."""
        if self.lines:
            self._hand_over()
        if self._loader is not None:
            loader, self._loader = self._loader, None
            loader.close()
        return self.store

    def abandon(self) -> None:
        """Stops the loader without waiting for what it still has (after an error)."""
        self.lines.clear()
        if self._loader is not None:
            loader, self._loader = self._loader, None
            loader.error = loader.error or RuntimeError("abandoned")
            loader.chunks.put(None)

    def __enter__(self) -> Quads:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self.abandon()
