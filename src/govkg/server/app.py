"""``govkg serve``: the HTTP server (standard library), its routes and its on-disk store.

Every IRI under the base answers at its path with 200 and the representation the Accept header
asks for (``Vary: Accept`` and ``Content-Location`` naming the suffix URL of what was sent); the
suffix URLs (``.ttl``, ``.jsonld`` …) answer without negotiation. Pages are rendered once and
kept in memory: the graph does not change while the server runs.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import re
import shutil
import signal
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from pyoxigraph import RdfFormat, Store

from ..iris import VOID, Iris
from . import describe, pages, sparql
from .model import Model
from .negotiate import HTML, RESOURCE_FORMATS, Format, NotAcceptable, choose_format, file_name, split_suffix

MAX_BODY = 256 * 1024
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MEDIA = {".nq": "application/n-quads", ".trig": "application/trig", ".ttl": "text/turtle",
         ".jsonld": "application/ld+json", ".owl": "application/rdf+xml", ".rq": "application/sparql-query",
         ".tsv": "text/tab-separated-values", ".txt": "text/plain", ".json": "application/json",
         ".css": "text/css", ".js": "text/javascript"}
TEXTUAL = ("text/", "application/ld+json", "application/n-", "application/trig", "application/rdf+xml",
           "application/sparql", "application/json", "application/javascript")
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")


@dataclass
class Response:
    status: int
    body: bytes = b""
    media: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith(TEXTUAL) else media


def static_asset(name: str) -> bytes:
    return resources.files("govkg.server").joinpath("static", name).read_bytes()


def ensure_store(build: Path) -> Path:
    """The on-disk store of build/govkg.nq at build/store, loaded on first start (or when the dump
    changed: build/store.sha256 records which dump it holds). A lock keeps two starts from racing."""
    dump, target, stamp = build / "govkg.nq", build / "store", build / "store.sha256"
    digest = hashlib.sha256(dump.read_bytes()).hexdigest()
    with open(build / ".store.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.is_dir() and stamp.is_file() and stamp.read_text().strip() == digest:
            return target
        tmp = build / ".store.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        store = Store(str(tmp))
        store.bulk_load(path=str(dump), format=RdfFormat.N_QUADS)
        store.flush()
        del store
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
        stamp.write_text(digest + "\n")
    return target


def base_of(build: Path) -> str:
    """The base IRI the build was made with: its VoID uriSpace without the trailing ``id/``."""
    text = (build / "void.ttl").read_text(encoding="utf-8")
    found = re.search(r'void:uriSpace\s+"([^"]+)id/"', text) or re.search(rf'<{re.escape(VOID)}uriSpace>\s+"([^"]+)id/"', text)
    if not found:
        raise ValueError(f"{build}/void.ttl has no void:uriSpace; pass --base")
    return found.group(1)


class App:
    """Routes a request to a response; holds the model, the query pool and the page cache."""

    def __init__(self, build: Path, model: Model, pool: sparql.Pool | None, cache_size: int = 4096):
        self.build, self.model, self.pool = build, model, pool
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
        self.files = {name for name in manifest["files"] if not name.startswith("site/")} | {"manifest.json"}
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    # --- entry --------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers, body: bytes) -> Response:
        if method not in ("GET", "HEAD", "POST"):
            return self.error(405, "Use GET, HEAD or POST.", headers, {"Allow": "GET, HEAD, POST"})
        parts = urlsplit(target)
        raw = parts.path
        if not raw.startswith("/") or "\\" in raw or "\x00" in raw:
            return self.error(400, "The request path is malformed.", headers)
        try:
            path = unquote(raw[1:], errors="strict")
        except UnicodeDecodeError:
            return self.error(400, "The request path is not UTF-8.", headers)
        if any(seg in (".", "..") for seg in path.split("/")) or "\x00" in path or "\\" in path:
            return self.error(400, "Paths with '.' or '..' segments are refused.", headers)
        if path == "sparql":
            return self.sparql(method, parts.query, headers, body)
        if method == "POST":
            return self.error(405, "Only /sparql takes POST.", headers, {"Allow": "GET, HEAD"})
        return self.get(path, parts.query, headers)

    def get(self, path: str, query: str, headers) -> Response:
        accept = headers.get("Accept")
        if path in self.files:
            return Response(200, (self.build / path).read_bytes(), MEDIA.get(Path(path).suffix, "application/octet-stream"))
        if path == "favicon.ico":  # browsers ask for it when they show a non-HTML representation
            return Response(204, headers={"Cache-Control": "max-age=86400"})
        if path.startswith("static/") and path[7:] in ("govkg.css", "govkg.js"):
            return Response(200, static_asset(path[7:]), MEDIA[Path(path).suffix], {"Cache-Control": "max-age=3600"})
        page_path = path[:-len(".html")] if path.endswith(".html") else path
        page_path = "" if page_path == "index" else page_path
        params = parse_qs(query)
        if page_path in ("", "orgchart", "sparql") or page_path.startswith(("orgchart/", "compare/")):
            return self.page(page_path, params, headers)
        if path == ".well-known/void":
            path = "dataset"
        return self.resource(path, accept, headers)

    # --- resources ----------------------------------------------------------------------------

    def resource(self, path: str, accept: str | None, headers) -> Response:
        m = self.model
        if m.exists(m.iri(path)):
            stem, fmt = path, None
        else:
            stem, fmt = split_suffix(path)
            if fmt is None or not m.exists(m.iri(stem)):
                if m.exists(m.iri(path + "/")):
                    return Response(301, b"", headers={"Location": "/" + quote(path + "/")})
                return self.error(404, "", headers, path=path)
        negotiated = fmt is None
        if negotiated:
            try:
                fmt = choose_format(accept)
            except NotAcceptable:
                return self.not_acceptable(stem, headers)
        body = self.cached(("r", stem, fmt.suffix), lambda: self.render(stem, fmt))
        extra = {"Vary": "Accept", "Content-Location": "/" + quote(file_name(stem, fmt))} if negotiated else {}
        link = self.cached(("l", stem), lambda: ", ".join(f'</{quote(file_name(stem, f))}>; rel="alternate"; '
                                                         f'type="{f.media}"' for f in RESOURCE_FORMATS))
        return Response(200, body, fmt.media, {**extra, "Link": link})

    def render(self, path: str, fmt: Format) -> bytes:
        iri = self.model.iri(path)
        if fmt == HTML:
            return pages.resource_page(pages.Page(self.model, path), iri).encode()
        return describe.representation(self.model, iri, fmt)

    def not_acceptable(self, path: str, headers) -> Response:
        offers = "\n".join(f"{f.media}: /{file_name(path, f)}" for f in RESOURCE_FORMATS)
        return Response(406, f"None of the types in Accept is offered. Available:\n{offers}\n".encode(),
                        headers={"Vary": "Accept"})

    # --- pages --------------------------------------------------------------------------------

    def page(self, path: str, params: dict, headers) -> Response:
        segments = path.split("/")
        try:
            if path == "":
                return self.html(path, lambda p: pages.home_page(p))
            if path == "orgchart":
                return self.html(path, pages.orgchart_index)
            if path == "sparql":
                return self.html(path, lambda p: pages.sparql_page(p))
            if segments[0] == "orgchart" and len(segments) == 2:
                pages.body_iri(self.model, segments[1])
                if "date" in params:
                    day = params["date"][-1]
                    if not DAY.fullmatch(day):
                        return self.error(400, "Give the date as YYYY-MM-DD.", headers)
                    return Response(303, headers={"Location": "/" + quote(f"{path}/{day}")})
                return self.html(path, lambda p: pages.orgchart_page(p, segments[1], None))
            if segments[0] == "orgchart" and len(segments) == 3 and DAY.fullmatch(segments[2]):
                return self.html(path, lambda p: pages.orgchart_page(p, segments[1], segments[2]))
            if segments[0] == "compare" and len(segments) == 2:
                pages.body_iri(self.model, segments[1])
                first, second = params.get("from", [""])[-1], params.get("to", [""])[-1]
                if not (DAY.fullmatch(first) and DAY.fullmatch(second)):
                    return self.error(400, "Give both dates as YYYY-MM-DD (from=…&to=…).", headers)
                return Response(303, headers={"Location": "/" + quote(f"{path}/{first}/{second}")})
            if segments[0] == "compare" and len(segments) == 4 and all(DAY.fullmatch(s) for s in segments[2:]):
                return self.html(path, lambda p: pages.compare_page(p, segments[1], segments[2], segments[3]))
        except pages.NotFound:
            pass
        return self.error(404, "", headers, path=path)

    def html(self, path: str, render) -> Response:
        body = self.cached(("p", path), lambda: render(pages.Page(self.model, path)).encode())
        return Response(200, body, "text/html")

    def cached(self, key: tuple, make, keep=lambda value: True):
        """The value made once for ``key`` (least recently used ones are dropped); ``keep`` says
        whether a new value is worth keeping."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = make()
        if keep(value):
            with self._lock:
                self._cache[key] = value
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return value

    # --- SPARQL -------------------------------------------------------------------------------

    def sparql(self, method: str, query: str, headers, body: bytes) -> Response:
        try:
            request = sparql.parse_request(method, query, headers.get("Content-Type"), body)
            if request is None:
                example = parse_qs(query).get("example", [None])[-1]
                text = next((e.text for e in self.model.examples if e.name == example), "")
                if example is not None and not text:
                    return self.error(404, f"No example query is called {example!r}.", headers)
                return Response(200, pages.sparql_page(pages.Page(self.model, "sparql"), text).encode(), "text/html")
            if self.pool is None:
                raise sparql.Refused(503, "This server runs no query workers.")
            # The graph does not change while serving, so a small answer is kept for the same query.
            answer = self.cached(("q", request.query, tuple(request.default_graphs), tuple(request.named_graphs)),
                                 lambda: self.pool.run(request), keep=lambda a: a[0] in ("ask", "error") or len(a[-2]) <= 1000)
        except sparql.Refused as err:
            return self.error(err.status, err.message, headers, err.headers)
        return self.results(request, answer, headers)

    def results(self, request: sparql.Request, answer: tuple, headers) -> Response:
        kind = answer[0]
        if kind == "error":
            return self.error(400, f"The query could not be run: {answer[1]}", headers)
        offered = sparql.GRAPH_FORMATS if kind == "graph" else sparql.SELECT_FORMATS
        by_suffix = {f.suffix: f for f in offered}
        if request.format:
            fmt = by_suffix.get(request.format)
            if fmt is None:
                return self.error(406, f"format={request.format} does not fit a {kind.upper()} result; use one of "
                                       + ", ".join(by_suffix) + ".", headers)
        else:
            try:
                fmt = choose_format(headers.get("Accept"), offered, sparql.RESULT_ALIASES)
            except NotAcceptable:
                return self.error(406, "None of the types in Accept fits this result; offered: "
                                  + ", ".join(f.media for f in offered) + ".", headers)
        extra = {"Vary": "Accept"}
        if kind == "ask":
            body = (self.results_page(request, f"<p>Answer: <strong>{'yes' if answer[1] else 'no'}</strong></p>")
                    if fmt == HTML else sparql.serialize_ask(fmt, answer[1]))
            return Response(200, body, fmt.media, extra)
        truncated = answer[-1]
        if truncated:
            extra["Govkg-Results-Truncated"] = str(self.pool.cap)
        if kind == "select":
            names, rows = answer[1], [[sparql.term_in(t) for t in row] for row in answer[2]]
            if fmt == HTML:
                return Response(200, self.results_page(request, self.table(names, rows, truncated)), "text/html", extra)
            return Response(200, sparql.serialize_select(fmt, names, rows), fmt.media, extra)
        triples = sparql.graph_triples(answer[1])
        if fmt == HTML:
            rows = [[t.subject, t.predicate, t.object] for t in triples]
            return Response(200, self.results_page(request, self.table(["subject", "predicate", "object"], rows, truncated)),
                            "text/html", extra)
        return Response(200, describe.serialize_rdf(self.model, triples, fmt), fmt.media, extra)

    def table(self, names: list[str], rows: list[list], truncated: bool) -> str:
        page = pages.Page(self.model, "sparql")
        head = "".join(f'<th scope="col">{pages._e(n)}</th>' for n in names)
        body = "".join("<tr>" + "".join(f"<td>{'' if t is None else page.term(t)}</td>" for t in row) + "</tr>"
                       for row in rows)
        note = f"<p>{len(rows)} rows{' (cut at the cap)' if truncated else ''}.</p>"
        return (f'{note}<div class="scroll" tabindex="0" role="region" aria-label="Results, scrollable"><table>'
                f'<caption>Query results</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')

    def results_page(self, request: sparql.Request, result: str) -> bytes:
        return pages.sparql_page(pages.Page(self.model, "sparql"), request.query, result).encode()

    # --- errors -------------------------------------------------------------------------------

    def error(self, status: int, message: str, headers, extra: dict | None = None, path: str | None = None) -> Response:
        """An error in HTML for browsers, in plain text for everyone else."""
        wants_html = "text/html" in (headers.get("Accept") or "")
        if status == 404 and path is not None:
            message = f"Nothing in govkg has the IRI <{self.model.iri(path)}>. Try / or /sparql."
            if wants_html:
                page = pages.Page(self.model, path)
                return Response(404, pages.not_found_page(page, path).encode(), "text/html", extra or {})
        if wants_html:
            phrase = HTTPStatus(status).phrase
            page = pages.Page(self.model, "")
            body = pages.layout(page, phrase, f'<p role="alert">{pages._e(message)}</p>'
                                              f'<p><a href="/">Home</a> · <a href="/sparql">SPARQL</a></p>')
            return Response(status, body.encode(), "text/html", extra or {})
        return Response(status, (message + "\n").encode(), "text/plain", extra or {})


class Handler(BaseHTTPRequestHandler):
    """Reads the request (refusing oversized bodies), asks the App, writes the response."""

    protocol_version = "HTTP/1.1"
    server_version = "govkg"
    timeout = 30
    disable_nagle_algorithm = True  # headers and body go out as two writes; do not hold the second back
    app: App

    def _serve(self) -> None:
        body = b""
        if self.command == "POST":
            if self.headers.get("Transfer-Encoding"):
                return self._send(Response(411, b"Send a Content-Length; chunked bodies are not taken.\n"), close=True)
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                return self._send(Response(411, b"POST needs a Content-Length.\n"), close=True)
            if length > MAX_BODY or length < 0:
                return self._send(Response(413, f"The body is limited to {MAX_BODY} bytes.\n".encode()), close=True)
            body = self.rfile.read(length)
        try:
            response = self.app.handle(self.command, self.path, self.headers, body)
        except Exception as err:  # a bug must not take the server down; the client learns it failed
            self.log_error("internal error on %s: %r", self.path, err)
            response = Response(500, b"Internal error; the server goes on.\n")
        self._send(response)

    def _send(self, response: Response, close: bool = False) -> None:
        etag = None
        if response.status == 200 and response.body:
            etag = '"' + hashlib.sha1(response.body).hexdigest()[:20] + '"'
            if self.headers.get("If-None-Match") == etag:
                response = Response(304, b"", response.media, response.headers)
        self.send_response(response.status)
        self.send_header("Content-Type", content_type(response.media))
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if response.media == "text/html":
            self.send_header("Content-Security-Policy", CSP)
        if etag:
            self.send_header("ETag", etag)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD" and response.status != 304:
            self.wfile.write(response.body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _serve

    def log_request(self, code="-", size="-") -> None:
        if self.server.verbose:
            super().log_request(code, size)


class Server(ThreadingHTTPServer):
    """One thread per connection, at most ``max_connections`` at a time (the rest wait in the backlog)."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, handler, max_connections: int = 128, verbose: bool = False):
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(max_connections)
        self.verbose = verbose

    def process_request(self, request, client_address):
        self._slots.acquire()
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def serve(build: Path, host: str, port: int, base: str | None, workers: int, timeout: float, cap: int,
          verbose: bool = False) -> int:
    """Opens (or first loads) the store, starts the query workers and serves until SIGTERM or ^C."""
    iris = Iris(base or base_of(build))
    store_path = ensure_store(build)
    model = Model.from_build(Store.read_only(str(store_path)), build, iris)
    pool = sparql.Pool(str(store_path), workers, timeout, cap)
    handler = type("BoundHandler", (Handler,), {"app": App(build, model, pool)})
    server = Server((host, port), handler, verbose=verbose)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    print(f"govkg serving {build}/ at http://{host}:{server.server_address[1]}/ (IRIs under {iris.base})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
    print("govkg server stopped", file=sys.stderr)
    return 0
