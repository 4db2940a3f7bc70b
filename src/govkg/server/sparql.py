"""The SPARQL 1.1 Protocol endpoint: request parsing, refusals, a pool of worker processes with a
timeout, a result cap, and the results formats.

pyoxigraph cannot interrupt a running query, so each query runs in a worker process that opens
the store read-only; a query that outlives the timeout has its worker killed and replaced, and the
client gets 503. When every worker is busy for as long as the timeout, the client gets 503 too.
Results stop at the cap of rows or at the cap of bytes (the text of their terms), whichever comes
first: the response then carries ``Govkg-Results-Truncated: <cap>``.

What may run is decided from the query, not by matching its text: a query nested deeper than
``sparqlguard.MAX_DEPTH`` is refused (400) before it reaches a worker; the worker parses every
query (``sparqlguard.problem``: rdflib's SPARQL 1.1 parser, its syntax tree searched for SERVICE)
before pyoxigraph sees it, and runs without a network where the system allows it (a network
namespace of its own), so that even a SERVICE no parser saw reaches nothing. Dataset IRIs
(``default-graph-uri``, ``named-graph-uri``) must be IRIs (400). A worker answers every input with
a result or an error; it never ends because of one.
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import queue
import re
import resource
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, Store, Triple

from .. import sparqlguard
from ..formats import GRAPH_FORMATS, SELECT_FORMATS, Format
from ..iris import RDF, SD, XSD

WORKER_MEMORY = 4 << 30  # address space of a worker, so a runaway query fails instead of swapping
MAX_RESULT_BYTES = 4 << 20  # the text of the terms of one result, at most
MAX_DATASET_IRIS = 64


class Refused(Exception):
    """A request we will not run: ``status`` and a message for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


@dataclass
class Request:
    query: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None   # the `format` parameter, for links and forms


# --- parsing and refusing -------------------------------------------------------------------

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _dataset(values: list[str], name: str) -> list[str]:
    if len(values) > MAX_DATASET_IRIS:
        raise Refused(400, f"At most {MAX_DATASET_IRIS} {name} parameters.")
    for value in values:
        try:
            NamedNode(value)
        except (ValueError, TypeError):
            raise Refused(400, f"A {name} is not an IRI.") from None
        if not _SCHEME.match(value):
            raise Refused(400, f"A {name} is not an absolute IRI.")
    return values


def parse_request(method: str, query_string: str, content_type: str | None, body: bytes) -> Request | None:
    """The SPARQL 1.1 Protocol's three ways of sending a query; None when no query was sent."""
    params = parse_qs(query_string, keep_blank_values=True)
    media = (content_type or "").split(";")[0].strip().lower()
    if method == "POST":
        if media == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                raise Refused(400, "The form is not UTF-8.") from None
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            try:
                params.setdefault("query", []).append(body.decode("utf-8"))
            except UnicodeDecodeError:
                raise Refused(400, "The query is not UTF-8.") from None
        elif media == "application/sparql-update":
            raise Refused(403, "This endpoint is read-only: updates are refused.")
        else:
            raise Refused(415, "POST a query as application/x-www-form-urlencoded or application/sparql-query.")
    if "update" in params:
        raise Refused(403, "This endpoint is read-only: updates are refused.")
    queries = params.get("query", [])
    if not queries:
        return None
    if len(queries) > 1:
        raise Refused(400, "Send exactly one query parameter.")
    if len(queries[0]) > sparqlguard.MAX_LENGTH or sparqlguard.depth(queries[0]) > sparqlguard.MAX_DEPTH:
        raise Refused(400, f"The query is longer than {sparqlguard.MAX_LENGTH} characters or nested more than "
                           f"{sparqlguard.MAX_DEPTH} deep.")
    fmt = params.get("format", [None])[-1]
    return Request(queries[0], _dataset(params.get("default-graph-uri", []), "default-graph-uri"),
                   _dataset(params.get("named-graph-uri", []), "named-graph-uri"), fmt)


# --- the worker pool ------------------------------------------------------------------------

def _term_out(term) -> tuple:
    if isinstance(term, NamedNode):
        return ("u", term.value)
    if isinstance(term, BlankNode):
        return ("b", term.value)
    if isinstance(term, Literal):
        return ("l", term.value, term.language, term.datatype.value)
    return ("l", str(term), None, XSD + "string")


def term_in(data: tuple | None):
    if data is None:
        return None
    if data[0] == "u":
        return NamedNode(data[1])
    if data[0] == "b":
        return BlankNode(data[1])
    _, value, lang, datatype = data
    return Literal(value, language=lang) if lang else Literal(value, datatype=NamedNode(datatype))


def _size(term) -> int:
    return len(term.value) + (len(term.datatype.value) if isinstance(term, Literal) else 0) + 8


def _execute(store: Store, job: Request, cap: int, max_bytes: int = MAX_RESULT_BYTES) -> tuple:
    """The answer to one query: ("ask", bool), ("select", names, rows, truncated),
    ("graph", rows, truncated), ("refused", why) or ("error", why)."""
    problem = sparqlguard.problem(job.query)
    if problem:
        return ("refused", problem)
    try:
        kwargs = {}
        if job.default_graphs:
            kwargs["default_graph"] = [NamedNode(g) for g in job.default_graphs]
        if job.named_graphs:
            kwargs["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
        results = store.query(job.query, **kwargs)
        if isinstance(results, QueryBoolean):
            return ("ask", bool(results))
        rows, truncated, size = [], False, 0
        if isinstance(results, QuerySolutions):
            names = [v.value for v in results.variables]
            for solution in results:
                terms = [solution[n] for n in names]
                size += sum(_size(t) for t in terms if t is not None)
                if len(rows) == cap or size > max_bytes:
                    truncated = True
                    break
                rows.append([None if t is None else _term_out(t) for t in terms])
            return ("select", names, rows, truncated)
        for triple in results:
            size += _size(triple.subject) + _size(triple.predicate) + _size(triple.object)
            if len(rows) == cap or size > max_bytes:
                truncated = True
                break
            rows.append((_term_out(triple.subject), _term_out(triple.predicate), _term_out(triple.object)))
        return ("graph", rows, truncated)
    except (SyntaxError, ValueError, OSError, TypeError, RuntimeError) as err:
        return ("error", str(err)[:500])


def answer_size(answer: tuple) -> int:
    """About how many bytes an answer holds, for the cache's budget."""
    if answer[0] in ("ask", "error", "refused"):
        return 64 + len(str(answer[1]))
    rows = answer[2] if answer[0] == "select" else answer[1]
    return 64 + sum(sum(len(t[1]) + 16 for t in row if t) + 8 for row in rows)


def _no_network() -> bool:
    """Moves this process into a network namespace of its own, with no interface but a loopback
    that is down: SERVICE then reaches nothing. Needs root or unprivileged user namespaces."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        clone_newnet, clone_newuser = 0x40000000, 0x10000000
        return libc.unshare(clone_newnet) == 0 or libc.unshare(clone_newuser | clone_newnet) == 0
    except (OSError, AttributeError):
        return False


def _worker(conn, store_path: str, cap: int, max_bytes: int = MAX_RESULT_BYTES) -> None:
    """A worker process: opens the store read-only and runs the queries it is sent until its parent goes."""
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    _no_network()
    sparqlguard.problem("ASK {}")  # loads the parser now, not on the first query
    store = Store.read_only(store_path)
    sparqlguard.deep_stack(_serve_jobs, conn, store, cap, max_bytes)  # long chains need a deep stack


def _serve_jobs(conn, store: Store, cap: int, max_bytes: int) -> None:
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = _execute(store, job, cap, max_bytes)
        except MemoryError:
            answer = ("error", "the query needs more memory than a worker may use")
        except Exception as err:  # whatever the input, the worker answers and goes on
            answer = ("error", f"the query could not be run ({type(err).__name__})")
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return


class Pool:
    """A fixed number of worker processes; a query gets one or waits up to the timeout for one."""

    def __init__(self, store_path: str, size: int, timeout: float, cap: int, max_bytes: int = MAX_RESULT_BYTES):
        self.store_path, self.timeout, self.cap, self.max_bytes = store_path, timeout, cap, max_bytes
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue = queue.Queue()
        self._all: set = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self):
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(child, self.store_path, self.cap, self.max_bytes), daemon=True,
                                        name="govkg-sparql")
        process.start()
        child.close()
        with self._lock:
            self._all.add(process)
        return process, parent

    def _replace(self, process) -> None:
        process.kill()
        process.join()
        with self._lock:
            self._all.discard(process)
            if self._closed:
                return
        self._idle.put(self._start())

    def run(self, job: Request) -> tuple:
        """Runs one query: the worker's answer, or Refused(503) on a timeout or when all are busy."""
        try:
            process, conn = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise Refused(503, "Every query worker is busy; try again shortly.", {"Retry-After": "5"}) from None
        try:
            conn.send(job)
            if conn.poll(self.timeout):
                answer = conn.recv()
                self._idle.put((process, conn))
                return answer
            message = (f"The query ran longer than {self.timeout:g} s and was stopped. Add LIMIT, narrow the "
                       "patterns or run it on a dump (see the dataset page).")
        except (EOFError, OSError):
            message = "The query worker ended while running this query (out of memory?)."
        threading.Thread(target=self._replace, args=(process,), daemon=True).start()
        raise Refused(503, message, {"Retry-After": "5"})

    def close(self) -> None:
        with self._lock:
            self._closed = True
            processes = list(self._all)
        for process in processes:
            process.kill()
            process.join()


# --- results formats ------------------------------------------------------------------------

def _json_term(term) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{xml_escape(term.value)}</literal>"
    if term.datatype.value != XSD + "string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{xml_escape(term.value)}</literal>"
    return f"<literal>{xml_escape(term.value)}</literal>"


def _csv_cell(term) -> str:
    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, BlankNode) else term.value
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def _tsv_cell(term) -> str:
    return "" if term is None else str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_select(fmt: Format, names: list[str], rows: list[list]) -> bytes:
    """SELECT results (rows of terms or None) as SPARQL JSON, XML, CSV or TSV."""
    if fmt.suffix == "json":
        bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()
    if fmt.suffix == "xml":
        head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
        body = "".join("<result>" + "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                                            for n, t in zip(names, row) if t is not None) + "</result>" for row in rows)
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{head}</head><results>{body}</results></sparql>\n").encode()
    if fmt.suffix == "csv":
        return "".join(",".join(cells) + "\r\n" for cells in [names] + [[_csv_cell(t) for t in row] for row in rows]).encode()
    return "".join("\t".join(cells) + "\n" for cells in [[f"?{n}" for n in names]]
                   + [[_tsv_cell(t) for t in row] for row in rows]).encode()


def serialize_ask(fmt: Format, value: bool) -> bytes:
    if fmt.suffix == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt.suffix == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return ("true" if value else "false").encode() + b"\n"


def graph_triples(rows: list) -> list[Triple]:
    return [Triple(term_in(s), term_in(p), term_in(o)) for s, p, o in rows]


def service_description(endpoint: str, named_graphs: list[str]) -> list[Triple]:
    """The SPARQL 1.1 Service Description of the endpoint (what GET /sparql without a query gives
    an RDF client): SPARQL 1.1 Query, read-only, the results formats, and the dataset (the
    default graph and each snapshot graph by name)."""
    service, dataset, default = NamedNode(endpoint), BlankNode("dataset"), BlankNode("default")
    a = NamedNode(RDF + "type")

    def sd(name: str) -> NamedNode:
        return NamedNode(SD + name)

    out = [Triple(service, a, sd("Service")), Triple(service, sd("endpoint"), service),
           Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
           Triple(service, sd("defaultDataset"), dataset), Triple(dataset, a, sd("Dataset")),
           Triple(dataset, sd("defaultGraph"), default), Triple(default, a, sd("Graph"))]
    out += [Triple(service, sd("resultFormat"), NamedNode(f.iri)) for f in (*SELECT_FORMATS, *GRAPH_FORMATS) if f.iri]
    for i, graph in enumerate(sorted(named_graphs)):
        node = BlankNode(f"g{i}")
        out += [Triple(dataset, sd("namedGraph"), node), Triple(node, a, sd("NamedGraph")),
                Triple(node, sd("name"), NamedNode(graph))]
    return out
