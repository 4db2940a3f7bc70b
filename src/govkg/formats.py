"""The representations govkg offers: media type, suffix and label of each, and the suffix URL
(and static file name) of a representation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    suffix: str
    media: str
    label: str


# Server preference order: on equal q the earlier one wins, so */* gets HTML.
HTML = Format("html", "text/html", "HTML")
TURTLE = Format("ttl", "text/turtle", "Turtle")
JSONLD = Format("jsonld", "application/ld+json", "JSON-LD")
NTRIPLES = Format("nt", "application/n-triples", "N-Triples")
RDFXML = Format("rdf", "application/rdf+xml", "RDF/XML")
TRIG = Format("trig", "application/trig", "TriG")
NQUADS = Format("nq", "application/n-quads", "N-Quads")
RESOURCE_FORMATS = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML, TRIG, NQUADS)
BY_SUFFIX = {f.suffix: f for f in RESOURCE_FORMATS}


def split_suffix(path: str) -> tuple[str, Format | None]:
    """``id/org/x.ttl`` → (``id/org/x``, Turtle); ``def/index.ttl`` → (``def/``, Turtle)."""
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in BY_SUFFIX and "/" not in suffix:
        if stem.endswith("/index") or stem == "index":
            stem = stem[: -len("index")]
        return stem, BY_SUFFIX[suffix]
    return path, None


def file_name(path: str, fmt: Format) -> str:
    """The suffix URL (and static file) of a representation: ``def/`` → ``def/index.ttl``."""
    return f"{path}index.{fmt.suffix}" if path == "" or path.endswith("/") else f"{path}.{fmt.suffix}"
