"""The one registry of the formats govkg reads, writes and serves: media type, suffix and label
of each, and for the RDF ones the pyoxigraph ``RdfFormat`` that writes them (whose media type,
extension and name they are); the media types clients send for them; the media type of every
kind of published file; and the suffix URL (and static file name) of a representation."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat


@dataclass(frozen=True)
class Format:
    suffix: str
    media: str
    label: str
    rdf: RdfFormat | None = None  # how pyoxigraph writes it, for the RDF formats
    iri: str | None = None        # the format's W3C IRI (www.w3.org/ns/formats/)


def _rdf(fmt: RdfFormat) -> Format:
    return Format(fmt.file_extension, fmt.media_type, fmt.name, fmt, fmt.iri)


def _results(fmt: QueryResultsFormat, suffix: str, label: str) -> Format:
    """A SPARQL results format; its suffix is the value of the protocol's ``format=``."""
    return Format(suffix, fmt.media_type.split(";")[0], label, iri=fmt.iri)


# Server preference order: on equal q the earlier one wins, so */* gets HTML.
HTML = Format("html", "text/html", "HTML")
TURTLE = _rdf(RdfFormat.TURTLE)
JSONLD = _rdf(RdfFormat.JSON_LD)
NTRIPLES = _rdf(RdfFormat.N_TRIPLES)
RDFXML = _rdf(RdfFormat.RDF_XML)
TRIG = _rdf(RdfFormat.TRIG)
NQUADS = _rdf(RdfFormat.N_QUADS)
RESOURCE_FORMATS = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML, TRIG, NQUADS)
SITE_FORMATS = (HTML, TURTLE, JSONLD)  # a resource's files in the static site; the others come from the server
BY_SUFFIX = {f.suffix: f for f in RESOURCE_FORMATS}
QUAD_FORMATS = (TRIG, NQUADS)  # a description in these carries the snapshot graphs too
PREFIXED = (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDF_XML)  # written with prefix declarations

SELECT_FORMATS = (_results(QueryResultsFormat.JSON, "json", "SPARQL JSON"),
                  _results(QueryResultsFormat.XML, "xml", "SPARQL XML"),
                  _results(QueryResultsFormat.CSV, "csv", "CSV"),
                  _results(QueryResultsFormat.TSV, "tsv", "TSV"), HTML)
GRAPH_FORMATS = (TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS, HTML)
# What GET /sparql without a query gives: the form, or the service description in RDF.
SERVICE_FORMATS = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)

# Media types some clients send for the formats above.
ALIASES = {"application/xhtml+xml": "text/html", "application/x-turtle": "text/turtle",
           "application/json": "application/ld+json", "text/n3": "text/turtle",
           "application/xml": "application/rdf+xml", "text/xml": "application/rdf+xml"}
RESULT_ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
                  "text/xml": "application/sparql-results+xml", "application/xhtml+xml": "text/html",
                  "application/x-turtle": "text/turtle"}

# The media type of a published file, by its suffix.
FILE_MEDIA = {**{f".{f.suffix}": f.media for f in RESOURCE_FORMATS}, ".owl": RDFXML.media,
              ".rq": "application/sparql-query", ".tsv": "text/tab-separated-values", ".txt": "text/plain",
              ".json": "application/json", ".css": "text/css", ".js": "text/javascript"}


def split_suffix(path: str) -> tuple[str, Format | None]:
    """``id/org/x.ttl`` → (``id/org/x``, Turtle); ``def/index.ttl`` → (``def/``, Turtle).

    >>> split_suffix("id/org/x.ttl") == ("id/org/x", TURTLE)
    True
    """
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in BY_SUFFIX and "/" not in suffix:
        if stem.endswith("/index") or stem == "index":
            stem = stem[: -len("index")]
        return stem, BY_SUFFIX[suffix]
    return path, None


def file_name(path: str, fmt: Format) -> str:
    """The suffix URL (and static file) of a representation: ``def/`` → ``def/index.ttl``.

    >>> file_name("def/", TURTLE)
    'def/index.ttl'
    """
    return f"{path}index.{fmt.suffix}" if path == "" or path.endswith("/") else f"{path}.{fmt.suffix}"
