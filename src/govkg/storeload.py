"""``govkg load``: put a published dataset into any SPARQL 1.1 store over HTTP.

Each graph of the dataset (the default graph and every named graph) is sent as one N-Triples
document with the SPARQL 1.1 Graph Store HTTP Protocol, ``PUT ?default`` or ``PUT ?graph=<g>``,
which replaces that graph as a whole, so loading twice gives the same store. Right after each
graph is put, a SPARQL ``COUNT`` query on the store's query endpoint checks it holds as many
triples as the dataset: a failed or cut-off load is found at the graph it hit, and running the
command again replaces that graph whole.

Stores keep terms as values, so a store's count can be lower than the file's: Oxigraph and
Virtuoso keep ``"01"^^xsd:integer`` and ``"1"^^xsd:integer`` as one term, and lower-case
language tags. The check therefore accepts any count between the number of distinct triples once
equal values are merged (numbers, booleans, instants, language tags in any case) and the number
of distinct triples as written.

The dataset is read once, streaming: each graph's triples go to a temporary N-Triples file, which
is then streamed to the store, so memory holds one hash per triple, never the documents.

HTTP with httpx: Basic and Digest authentication (Virtuoso's ``/sparql-graph-crud-auth`` asks
for Digest), retries with exponential backoff on transient failures (connection refused while a
store starts, 5xx, 429, honouring ``Retry-After``) and a clear error for everything a store
refuses.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO
from urllib.parse import quote, urlencode

import httpx
from pyoxigraph import DefaultGraph, Literal, RdfFormat, parse

from .errors import InputError

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_NUMBERS = _INTEGERS | {XSD + "decimal", XSD + "float", XSD + "double"}
_BLOCK = 1 << 16

EXIT_OK = 0


class StoreError(Exception):
    """The store refused a request, or could not be reached: the command exits with 2."""


class CountMismatch(Exception):
    """A graph was loaded but the store holds a different number of triples: exits with 1."""


# --- reading the dataset ----------------------------------------------------------------

@dataclass
class GraphPart:
    """One graph of the dataset: its IRI (None for the default graph) and its triple counts."""

    iri: str | None
    triples: int = 0            # distinct triples as written
    merged: int = 0             # distinct triples once equal values are merged
    path: Path | None = None    # its N-Triples document, when spooled
    _seen: set = field(default_factory=set, repr=False)
    _values: set = field(default_factory=set, repr=False)

    @property
    def label(self) -> str:
        return "the default graph" if self.iri is None else f"<{self.iri}>"


def _value_key(term) -> str:
    """A term as a store that keeps values would see it: equal numbers, booleans and instants
    are one term, language tags are compared lower-cased."""
    if not isinstance(term, Literal):
        return str(term)
    dt = term.datatype.value if term.datatype else ""
    if term.language:
        return f"{term.value}@{term.language.lower()}"
    try:
        if dt in _NUMBERS:
            number = Decimal(term.value.strip())
            return "n" + (str(number.normalize()) if number.is_finite() else str(number))
        if dt == XSD + "boolean":
            return "b" + str(term.value.strip() in ("true", "1"))
        if dt == XSD + "dateTime":
            instant = datetime.fromisoformat(term.value.strip().replace("Z", "+00:00"))
            if instant.tzinfo is not None:
                return "t" + instant.astimezone(UTC).isoformat()
    except (InvalidOperation, ValueError):
        pass
    return str(term)


def read_dataset(path: Path, spool: Path | None = None) -> list[GraphPart]:
    """Reads a dataset file (N-Quads, TriG, Turtle, N-Triples …) once, streaming, counting each
    graph's triples; with ``spool``, also writes each graph as ``<spool>/<n>.nt``.
    The default graph comes first, then the named graphs in IRI order."""
    try:
        fmt = RdfFormat.from_extension(path.suffix.lstrip("."))
    except ValueError:
        fmt = None
    if fmt is None:
        raise InputError(path, None, None, "unknown RDF format", "use .nq, .trig, .ttl or .nt")
    parts: dict[str | None, GraphPart] = {}
    handles: dict[str | None, TextIO] = {}
    try:
        for quad in parse(path=str(path), format=fmt):
            iri = None if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value
            part = parts.get(iri)
            if part is None:
                part = parts[iri] = GraphPart(iri)
                if spool is not None:
                    part.path = spool / f"{len(parts)}.nt"
            line = f"{quad.subject} {quad.predicate} {quad.object} .\n"
            key = hash(line)
            if key in part._seen:
                continue
            part._seen.add(key)
            part._values.add(hash((str(quad.subject), str(quad.predicate), _value_key(quad.object))))
            if part.path is not None:
                out = handles.get(iri)
                if out is None:
                    if len(handles) >= 64:  # a dump sorted by graph needs one; an unsorted one a few
                        handles.pop(next(iter(handles))).close()
                    out = handles[iri] = part.path.open("a", encoding="utf-8")
                out.write(line)
    except FileNotFoundError:
        raise InputError(path, None, None, "dataset file not found", "run `govkg build` first or pass --dataset") from None
    except (SyntaxError, ValueError, OSError) as err:
        raise InputError(path, None, None, f"cannot read the dataset: {err}") from None
    finally:
        for out in handles.values():
            out.close()
    for part in parts.values():
        part.triples, part.merged = len(part._seen), len(part._values)
        part._seen, part._values = set(), set()
    return sorted(parts.values(), key=lambda p: (p.iri is not None, p.iri or ""))


# --- HTTP --------------------------------------------------------------------------------

def said(answer: httpx.Response, limit: int = 400) -> str:
    """The store's message, without HTML markup, on one line."""
    text = answer.content.decode("utf-8", "replace")
    text = re.sub(r"(?is)<(script|style|title)[^>]*>.*?</\1>", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


class _Spooled:
    """A spooled N-Triples file as a request body, streamed in blocks; read again from the start
    when the request is repeated (a retry, a Digest challenge)."""

    def __init__(self, path: Path):
        self.path = path

    def __iter__(self):
        with self.path.open("rb") as stream:
            while block := stream.read(_BLOCK):
                yield block


class _Credentials(httpx.Auth):
    """Basic authentication, except on URL paths that answered with a Digest challenge
    (Virtuoso's ``/sparql-graph-crud-auth``, which answers a Basic header with a bare 401): there,
    Digest with the challenge learnt beforehand, so that a large body is sent once."""

    def __init__(self, user: str, password: str):
        self.user, self.password = user, password
        self.basic = httpx.BasicAuth(user, password)
        self.digest: dict[str, httpx.DigestAuth] = {}

    def learn(self, request: httpx.Request, answer: httpx.Response) -> None:
        """Takes the Digest challenge of an unauthenticated request's 401, if there is one."""
        if answer.status_code == 401 and any(offer.lower().startswith("digest")
                                             for offer in answer.headers.get_list("WWW-Authenticate")):
            digest = self.digest[request.url.path] = httpx.DigestAuth(self.user, self.password)
            flow = digest.auth_flow(request)
            next(flow)
            self._answer(flow, answer)

    def auth_flow(self, request: httpx.Request):
        digest = self.digest.get(request.url.path)
        if digest is None:
            yield next(self.basic.auth_flow(request))
            return
        flow = digest.auth_flow(request)
        answer = yield next(flow)
        while (request := self._answer(flow, answer)) is not None:
            answer = yield request

    @staticmethod
    def _answer(flow, answer: httpx.Response) -> httpx.Request | None:
        """Gives Digest its answer: the request to send next, or None when it is done."""
        try:
            return flow.send(answer)
        except StopIteration:
            return None
        except KeyError as err:  # httpx knows no such hash algorithm
            raise StoreError(f"the store asks for Digest authentication with {err.args[0]}, which govkg does not speak") from None
        except (NotImplementedError, httpx.ProtocolError) as err:
            raise StoreError(f"cannot answer the store's Digest challenge: {err}") from None


def _worth_waiting(err: httpx.TransportError) -> bool:
    """Refused, reset, timed out or cut off mid-answer (a store starting or busy); not a name that
    does not resolve or a TLS failure."""
    if isinstance(err, (httpx.TimeoutException, httpx.RemoteProtocolError)):
        return True
    cause = err.__cause__
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__
    return cause is None or isinstance(cause, (ConnectionError, TimeoutError))


class Client:
    """An HTTP client for one store (httpx): Basic or Digest authentication, retries with
    exponential backoff, streaming bodies."""

    def __init__(self, *, user: str | None = None, password: str | None = None, retries: int = 6,
                 backoff: float = 0.5, timeout: float = 600, log: Callable[[str], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.retries, self.backoff = retries, backoff
        self.log = log or (lambda message: None)
        self.sleep = sleep
        self.auth = None if user is None else _Credentials(user, password or "")
        self.http = httpx.Client(timeout=timeout, headers={"Accept-Encoding": "identity"})
        self._prepared: set[str] = set()

    def close(self) -> None:
        self.http.close()

    def prepare_auth(self, url: str) -> None:
        """Learns how ``url`` wants to be authenticated with a harmless GET without credentials
        (its answer left unread), so that a large body is sent once, already authenticated."""
        path = httpx.URL(url).path
        if self.auth is None or path in self._prepared:
            return
        self._prepared.add(path)
        try:
            with self.http.stream("GET", url, headers={"Accept": "application/n-triples"}) as answer:
                self.auth.learn(answer.request, answer)
        except httpx.TransportError:
            pass  # the request proper will say why, after its retries

    def request(self, method: str, url: str, *, body: Path | bytes | None = None,
                headers: dict[str, str] | None = None) -> httpx.Response:
        """Sends a request; retries transient failures with exponential backoff, honouring
        ``Retry-After``. Raises StoreError when the store cannot be reached."""
        sent = dict(headers or {})
        content = body
        if isinstance(body, Path):
            content, sent["Content-Length"] = _Spooled(body), str(body.stat().st_size)
        attempt, delay = 0, self.backoff
        started = time.monotonic()
        while True:
            try:
                answer = self.http.request(method, url, content=content, headers=sent, auth=self.auth)
            except httpx.TransportError as err:
                if not _worth_waiting(err):
                    raise StoreError(f"cannot reach {url}: {err}") from None
                if attempt >= self.retries:
                    raise StoreError(f"cannot reach {url} after {attempt + 1} tries over "
                                     f"{time.monotonic() - started:.0f}s: {err}") from None
                self.log(f"    {method} {_short(url)}: {err}; trying again in {delay:.1f}s")
            else:
                if not _transient(answer.status_code) or attempt >= self.retries:
                    return answer
                wait = _retry_after(answer, delay)
                self.log(f"    {method} {_short(url)}: {answer.status_code} {answer.reason_phrase}; "
                         f"trying again in {wait:.1f}s")
                delay = max(delay, wait)
            self.sleep(delay)
            attempt += 1
            delay = min(delay * 2, 60.0)


def _transient(status: int) -> bool:
    """Too many requests, or a server error that may pass (not 501 Not Implemented or 505)."""
    return status == 429 or (status >= 500 and status not in (501, 505))


def _retry_after(answer: httpx.Response, default: float) -> float:
    value = answer.headers.get("Retry-After")
    if value and value.strip().isdigit():
        return min(float(value.strip()), 120.0)
    return default


def _short(url: str) -> str:
    return url if len(url) < 120 else url[:117] + "…"


# --- the store ---------------------------------------------------------------------------

@dataclass
class Store:
    """A SPARQL 1.1 store: its query endpoint and its Graph Store endpoint."""

    endpoint: str
    graph_store: str
    client: Client
    default_graph_iri: str | None = None   # keep the default graph in this named graph instead

    def target(self, part: GraphPart, *, readable: bool = False) -> str:
        """The Graph Store URL of a graph; ``readable`` leaves the graph IRI unencoded, for people."""
        iri = part.iri if part.iri is not None else self.default_graph_iri
        sep = "&" if "?" in self.graph_store else "?"
        if iri is None:
            return f"{self.graph_store}{sep}default"
        return f"{self.graph_store}{sep}graph={iri if readable else quote(iri, safe='')}"

    def put(self, part: GraphPart) -> httpx.Response:
        url = self.target(part)
        self.client.prepare_auth(url)
        answer = self.client.request("PUT", url, body=part.path,
                                     headers={"Content-Type": "application/n-triples; charset=utf-8"})
        if answer.is_success:
            return answer
        raise StoreError(_refusal(f"PUT {part.label}", url, answer))

    def select(self, query: str) -> list[dict]:
        answer = self.client.request("POST", self.endpoint, body=urlencode({"query": query}).encode("utf-8"), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json"})
        if answer.status_code != 200:
            raise StoreError(_refusal("the SPARQL query", self.endpoint, answer) + f"\n  query: {query}")
        try:
            return json.loads(answer.content)["results"]["bindings"]
        except (ValueError, KeyError) as err:
            raise StoreError(f"{self.endpoint} did not answer with SPARQL JSON results ({err}): "
                             f"{said(answer, 200)}") from None

    def count(self, part: GraphPart) -> int:
        iri = part.iri if part.iri is not None else self.default_graph_iri
        # VALUES, not GRAPH <iri>: Virtuoso 7.2 matches nothing for a constant graph IRI with
        # non-ASCII characters (and counts 1 for an empty GRAPH <iri> pattern)
        where = "{ ?s ?p ?o }" if iri is None else f"{{ VALUES ?g {{ <{iri}> }} GRAPH ?g {{ ?s ?p ?o }} }}"
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {where}")
        try:
            return int(rows[0]["n"]["value"])
        except (IndexError, KeyError, ValueError):
            raise StoreError(f"{self.endpoint} gave no count for {part.label}: {rows!r}") from None


def _refusal(what: str, url: str, answer: httpx.Response) -> str:
    message = f"{what}: the store at {url} answered {answer.status_code} {answer.reason_phrase}"
    if answer.status_code == 401:
        hint = "check --user and --password" if answer.headers.get("WWW-Authenticate") else "the store wants credentials"
        return f"{message} (authentication failed: {hint})\n  store said: {said(answer)}"
    if answer.status_code == 403:
        return (f"{message} (the user may not write there: give it write rights, or use the store's "
                f"authenticated endpoint)\n  store said: {said(answer)}")
    if answer.status_code in (404, 405):
        return (f"{message} (is this the store's Graph Store endpoint? pass --graph-store, see README "
                f"'Loading into a triple store')\n  store said: {said(answer)}")
    return f"{message}\n  store said: {said(answer)}"


# --- the command -------------------------------------------------------------------------

@dataclass
class Options:
    endpoint: str
    graph_store: str | None = None
    dataset: Path = Path("build/govkg.nq")
    user: str | None = None
    password: str | None = None
    default_graph_iri: str | None = None
    dry_run: bool = False
    verify: bool = True
    retries: int = 6
    backoff: float = 0.5
    timeout: float = 600


def run(opts: Options, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Loads (or with dry_run, describes) the dataset; returns the exit code.
    Raises StoreError (exit 2) or CountMismatch (exit 1); InputError for a bad dataset."""
    graph_store = opts.graph_store or opts.endpoint
    client = Client(user=opts.user, password=opts.password, retries=opts.retries, backoff=opts.backoff,
                    timeout=opts.timeout, log=lambda message: print(message, file=err, flush=True))
    try:
        return _load(opts, Store(opts.endpoint, graph_store, client, opts.default_graph_iri), out)
    finally:
        client.close()


def _load(opts: Options, store: Store, out: TextIO) -> int:
    graph_store = store.graph_store
    if opts.dry_run:
        parts = read_dataset(opts.dataset)
        _describe(parts, store, opts, out)
        return EXIT_OK
    with tempfile.TemporaryDirectory(prefix="govkg-load-") as spool:
        parts = read_dataset(opts.dataset, Path(spool))
        total = sum(p.triples for p in parts)
        print(f"Loading {opts.dataset} ({len(parts)} graphs, {total} triples) into {graph_store}", file=out, flush=True)
        unverified = []
        for part in parts:
            started = time.monotonic()
            answer = store.put(part)
            line = f"  PUT {part.label}: {part.triples} triples, {answer.status_code} {answer.reason_phrase} " \
                   f"in {time.monotonic() - started:.1f}s"
            if opts.verify:
                have = store.count(part)
                if part.merged <= have <= part.triples:
                    line += f"; the store counts {have}"
                    if have < part.triples:
                        line += f" (equal values merged: {part.triples - have})"
                elif have > part.triples and part.iri is None and opts.default_graph_iri is None:
                    line += (f"; NOT VERIFIED: the store counts {have} in its default graph, more than were "
                             f"put: its default graph is the union of its graphs (use --default-graph-iri)")
                    unverified.append(part)
                else:
                    print(line, file=out, flush=True)
                    raise CountMismatch(
                        f"{part.label}: put {part.triples} triples into {store.target(part)} but the store's "
                        f"query endpoint {opts.endpoint} counts {have} (expected {part.merged}"
                        f"{'' if part.merged == part.triples else f'–{part.triples}'}); the graph may be "
                        f"half-loaded: run `govkg load` again to replace it whole")
            print(line, file=out, flush=True)
        checked = "" if not opts.verify else (
            "; counts verified" if not unverified else f"; counts verified except {len(unverified)} graph(s)")
        print(f"Loaded {len(parts)} graphs, {total} triples{checked}.", file=out, flush=True)
    return EXIT_OK


def _describe(parts: list[GraphPart], store: Store, opts: Options, out: TextIO) -> None:
    total = sum(p.triples for p in parts)
    print(f"Dry run: nothing is sent. `govkg load` would PUT {len(parts)} graphs, {total} triples, "
          f"from {opts.dataset} as application/n-triples (graph IRIs percent-encoded when sent):", file=out)
    width = max(len(str(p.triples)) for p in parts) if parts else 1
    for part in parts:
        merged = f" ({part.merged} once equal values are merged)" if part.merged != part.triples else ""
        print(f"  {part.triples:>{width}} triples{merged}  PUT {store.target(part, readable=True)}", file=out)
    if opts.verify:
        print(f"and then check each graph's count with SPARQL COUNT queries at {opts.endpoint}", file=out)

