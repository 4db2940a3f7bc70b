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

Standard library HTTP only (``http.client``), with Basic and Digest authentication (Virtuoso's
``/sparql-graph-crud-auth`` asks for Digest), retries with exponential backoff on transient
failures (connection refused while a store starts, 5xx, 429, honouring ``Retry-After``) and a
clear error for everything a store refuses.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
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
from urllib.parse import quote, urlencode, urlsplit
from urllib.request import parse_http_list, parse_keqv_list

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

@dataclass
class Answer:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes

    def text(self, limit: int = 400) -> str:
        """The store's message, without HTML markup, on one line."""
        text = self.body.decode("utf-8", "replace")
        text = re.sub(r"(?is)<(script|style|title)[^>]*>.*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
        text = " ".join(text.split())
        return text[:limit] + ("…" if len(text) > limit else "")


# connection refused while a store starts, reset, timed out, cut off mid-answer
_TRANSIENT_ERRORS = (ConnectionError, TimeoutError, http.client.HTTPException)


class Client:
    """A small HTTP client for one store: auth, retries with backoff, streaming bodies."""

    def __init__(self, *, user: str | None = None, password: str | None = None, retries: int = 6,
                 backoff: float = 0.5, timeout: float = 600, log: Callable[[str], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.user, self.password = user, password or ""
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self.log = log or (lambda message: None)
        self.sleep = sleep
        self._challenges: dict[str, dict] = {}   # per URL path: the Digest challenge, or {"basic"}
        self._nc: dict[str, int] = {}

    # authentication

    def _authorization(self, method: str, url: str) -> str | None:
        if self.user is None:
            return None
        parts = urlsplit(url)
        challenge = self._challenges.get(parts.path)
        if challenge is None or challenge.get("scheme") == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return f"Basic {token}"
        algorithm = challenge.get("algorithm", "MD5").upper()
        digest = {"MD5": hashlib.md5, "MD5-SESS": hashlib.md5, "SHA-256": hashlib.sha256,
                  "SHA-256-SESS": hashlib.sha256}.get(algorithm)
        if digest is None:
            raise StoreError(f"the store asks for Digest authentication with {algorithm}, which govkg does not speak")

        def h(text: str) -> str:
            return digest(text.encode("utf-8")).hexdigest()
        realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        self._nc[parts.path] = nc = self._nc.get(parts.path, 0) + 1
        cnonce = os.urandom(8).hex()
        ha1 = h(f"{self.user}:{realm}:{self.password}")
        if algorithm.endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qops = [q.strip() for q in challenge.get("qop", "").split(",") if q.strip()]
        fields = {"username": self.user, "realm": realm, "nonce": nonce, "uri": uri, "algorithm": algorithm}
        if "auth" in qops:
            fields |= {"qop": "auth", "nc": f"{nc:08x}", "cnonce": cnonce,
                       "response": h(f"{ha1}:{nonce}:{nc:08x}:{cnonce}:auth:{ha2}")}
        else:
            fields["response"] = h(f"{ha1}:{nonce}:{ha2}")
        if "opaque" in challenge:
            fields["opaque"] = challenge["opaque"]
        unquoted = {"qop", "nc", "algorithm"}
        return "Digest " + ", ".join(f"{k}={v}" if k in unquoted else f'{k}="{v}"' for k, v in fields.items())

    def _learn_challenge(self, url: str, answer: Answer) -> bool:
        """Remembers the store's challenge; True when it is worth trying again with it."""
        path = urlsplit(url).path
        offers = answer.headers.get_all("WWW-Authenticate") or []
        for offer in offers:
            scheme, _, rest = offer.strip().partition(" ")
            if scheme.lower() == "digest":
                challenge = parse_keqv_list(parse_http_list(rest))
                challenge = {k.lower(): v for k, v in challenge.items()}
                known = self._challenges.get(path)
                stale = challenge.get("stale", "").lower() == "true"
                if known and known.get("scheme") == "digest" and not stale and known.get("nonce") == challenge.get("nonce"):
                    return False  # the same challenge again: the credentials are wrong
                fresh = known is None or known.get("scheme") != "digest" or stale
                self._challenges[path] = {"scheme": "digest", **challenge}
                self._nc[path] = 0
                return fresh or known.get("nonce") != challenge.get("nonce")
        for offer in offers:
            if offer.strip().lower().startswith("basic"):
                if self._challenges.get(path, {}).get("scheme") == "basic":
                    return False
                self._challenges[path] = {"scheme": "basic"}
                return True
        return False

    def prepare_auth(self, url: str) -> None:
        """Learns how ``url`` wants to be authenticated with a harmless GET, so that a large
        body is sent once, already authenticated."""
        if self.user is None or urlsplit(url).path in self._challenges:
            return
        answer = self.request("GET", url, headers={"Accept": "application/n-triples"}, authenticate=False)
        if answer.status == 401:
            self._learn_challenge(url, answer)
        else:
            self._challenges[urlsplit(url).path] = {"scheme": "basic"}

    # one exchange, and the loop around it

    def _exchange(self, method: str, url: str, body: Path | bytes | None, headers: dict[str, str]) -> Answer:
        parts = urlsplit(url)
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = connection_class(parts.hostname, parts.port, timeout=self.timeout)
        try:
            conn.putrequest(method, parts.path + (f"?{parts.query}" if parts.query else ""), skip_accept_encoding=True)
            size = 0 if body is None else len(body) if isinstance(body, bytes) else body.stat().st_size
            for name, value in headers.items():
                conn.putheader(name, value)
            if body is not None or method in ("PUT", "POST"):
                conn.putheader("Content-Length", str(size))
            conn.endheaders()
            try:
                if isinstance(body, bytes):
                    conn.send(body)
                elif body is not None:
                    with body.open("rb") as stream:
                        while block := stream.read(_BLOCK):
                            conn.send(block)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the store answered before reading everything: read its answer below
            response = conn.getresponse()
            return Answer(response.status, response.reason, response.headers, response.read())
        finally:
            conn.close()

    def request(self, method: str, url: str, *, body: Path | bytes | None = None,
                headers: dict[str, str] | None = None, authenticate: bool = True) -> Answer:
        """Sends a request; retries transient failures with exponential backoff and answers to
        an authentication challenge once. Raises StoreError when the store cannot be reached."""
        attempt, delay, auth_retried = 0, self.backoff, False
        started = time.monotonic()
        while True:
            sent = dict(headers or {})
            if authenticate and (authorization := self._authorization(method, url)):
                sent["Authorization"] = authorization
            try:
                answer = self._exchange(method, url, body, sent)
            except _TRANSIENT_ERRORS as err:
                if attempt >= self.retries:
                    raise StoreError(f"cannot reach {url} after {attempt + 1} tries over "
                                     f"{time.monotonic() - started:.0f}s: {err}") from None
                self.log(f"    {method} {_short(url)}: {err}; trying again in {delay:.1f}s")
            except OSError as err:  # a name that does not resolve, a TLS failure …: not worth waiting for
                raise StoreError(f"cannot reach {url}: {err}") from None
            else:
                if answer.status == 401 and authenticate and self.user is not None and not auth_retried:
                    auth_retried = True
                    if self._learn_challenge(url, answer):
                        continue
                if not _transient(answer.status) or attempt >= self.retries:
                    return answer
                wait = _retry_after(answer, delay)
                self.log(f"    {method} {_short(url)}: {answer.status} {answer.reason}; trying again in {wait:.1f}s")
                delay = max(delay, wait)
            self.sleep(delay)
            attempt += 1
            delay = min(delay * 2, 60.0)


def _transient(status: int) -> bool:
    """Too many requests, or a server error that may pass (not 501 Not Implemented or 505)."""
    return status == 429 or (status >= 500 and status not in (501, 505))


def _retry_after(answer: Answer, default: float) -> float:
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

    def put(self, part: GraphPart) -> Answer:
        url = self.target(part)
        self.client.prepare_auth(url)
        answer = self.client.request("PUT", url, body=part.path,
                                     headers={"Content-Type": "application/n-triples; charset=utf-8"})
        if 200 <= answer.status < 300:
            return answer
        raise StoreError(_refusal(f"PUT {part.label}", url, answer))

    def select(self, query: str) -> list[dict]:
        answer = self.client.request("POST", self.endpoint, body=urlencode({"query": query}).encode("utf-8"), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json"})
        if answer.status != 200:
            raise StoreError(_refusal("the SPARQL query", self.endpoint, answer) + f"\n  query: {query}")
        try:
            return json.loads(answer.body)["results"]["bindings"]
        except (ValueError, KeyError) as err:
            raise StoreError(f"{self.endpoint} did not answer with SPARQL JSON results ({err}): "
                             f"{answer.text(200)}") from None

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


def _refusal(what: str, url: str, answer: Answer) -> str:
    message = f"{what}: the store at {url} answered {answer.status} {answer.reason}"
    if answer.status == 401:
        hint = "check --user and --password" if answer.headers.get("WWW-Authenticate") else "the store wants credentials"
        return f"{message} (authentication failed: {hint})\n  store said: {answer.text()}"
    if answer.status == 403:
        return (f"{message} (the user may not write there: give it write rights, or use the store's "
                f"authenticated endpoint)\n  store said: {answer.text()}")
    if answer.status in (404, 405):
        return (f"{message} (is this the store's Graph Store endpoint? pass --graph-store, see README "
                f"'Loading into a triple store')\n  store said: {answer.text()}")
    return f"{message}\n  store said: {answer.text()}"


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
    store = Store(opts.endpoint, graph_store, client, opts.default_graph_iri)
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
            line = f"  PUT {part.label}: {part.triples} triples, {answer.status} {answer.reason} " \
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

