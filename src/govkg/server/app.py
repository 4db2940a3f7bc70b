"""``govkg serve``: the routes (``App.handle``, a pure function of the request), the response's
final headers (``finish``) and the on-disk store; ``wsgi`` serves them with waitress.

Every IRI under the base answers at its path with 200 and the representation the Accept header
asks for (``Vary: Accept`` and ``Content-Location`` naming the suffix URL of what was sent); the
suffix URLs (``.ttl``, ``.jsonld`` …) answer without negotiation. A replaced IRI answers 301 and
a withdrawn one 410 Gone with its description (``retired``). Pages are rendered once and
kept in memory: the graph does not change while the server runs.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from pyoxigraph import RdfFormat, Store

from .. import i18n
from ..formats import (
    FILE_MEDIA,
    GRAPH_FORMATS,
    HTML,
    RESOURCE_FORMATS,
    RESULT_ALIASES,
    SELECT_FORMATS,
    SERVICE_FORMATS,
    file_name,
    split_suffix,
)
from ..search.query import QueryError, Searcher
from ..web import describe, finder, national, pages, retired
from ..web.assets import static_asset
from ..web.model import Model
from . import sparql
from .negotiate import NotAcceptable, choose_format

MAX_BODY = 256 * 1024
CACHE_BYTES = 64 << 20          # the page and answer cache holds at most this much
CACHE_ENTRY = 1 << 20           # and nothing larger than this
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')  # characters no IRI may hold


def is_day(text: str) -> bool:
    """A real calendar day written YYYY-MM-DD (not 2020-02-30, not 9999-99-99)."""
    if not DAY.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


TEXTUAL = ("text/", "application/ld+json", "application/n-", "application/trig", "application/rdf+xml",
           "application/sparql", "application/json", "application/javascript")
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
# The SPARQL page's editor (YASGUI) also sets inline styles (its column resizer) and sends the
# queries to this endpoint from the page; its scripts still come only from this origin.
CSP_EDITOR = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'self'; "
              "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
STATIC = ("govkg.css", "govkg.js", "sparql-editor.js", "yasgui/yasgui.min.js", "yasgui/yasgui.min.css", "yasgui/LICENSE")


@dataclass
class Response:
    status: int
    body: bytes = b""
    media: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)
    file: Path | None = None  # a published file, sent from disk in pieces instead of ``body``
    size: int = 0             # its length


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith(TEXTUAL) else media


def ensure_store(build: Path) -> tuple[Path, object]:
    """The on-disk store of build/govkg.nq, and a lock that says it is in use until it is closed.

    Stores live beside the build folder, in ``.<build>.stores/<digest of the dump>/``, so that a
    rebuild (which replaces the build folder whole) never deletes a store under running workers.
    A store is loaded once per dump; a store no running server holds is removed at the next start.
    """
    dump = build / "govkg.nq"
    digest = _file_digest(dump)
    stores = build.resolve().parent / f".{build.resolve().name}.stores"
    stores.mkdir(exist_ok=True)
    target = stores / digest[:24]
    with open(stores / ".lock", "w") as lock:  # one loader at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / ".complete").is_file():
            tmp = stores / f".{digest[:24]}.tmp-{os.getpid()}"
            shutil.rmtree(tmp, ignore_errors=True)
            store = Store(str(tmp))
            store.bulk_load(path=str(dump), format=RdfFormat.N_QUADS)
            store.flush()
            del store
            shutil.rmtree(target, ignore_errors=True)
            tmp.rename(target)
            (target / ".complete").write_text(digest + "\n")
        in_use = open(stores / f"{target.name}.in-use", "a")
        fcntl.flock(in_use, fcntl.LOCK_SH)
        for other in stores.iterdir():  # stores of older dumps that no server holds any more
            if other == target or other.name.startswith(".") or not other.is_dir():
                continue
            with open(stores / f"{other.name}.in-use", "a") as held:
                try:
                    fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue
                shutil.rmtree(other, ignore_errors=True)
                (stores / f"{other.name}.in-use").unlink(missing_ok=True)
    return target, in_use


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class App:
    """Routes a request to a response; holds the model, the query pool and the page cache."""

    def __init__(self, build: Path, model: Model, pool: sparql.Pool | None, cache_bytes: int = CACHE_BYTES):
        self.build, self.model, self.pool = build, model, pool
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
        listed = manifest["files"]
        self.files = {name: listed[name] if isinstance(listed, dict) else None for name in listed
                      if not name.startswith("site/")}
        self.files["manifest.json"] = None
        self.searcher = Searcher(build / "search") if (build / "search" / "meta.json").is_file() else None
        self._cache: OrderedDict = OrderedDict()  # key → (value, its size in bytes)
        self._cache_bytes, self._cached_bytes = cache_bytes, 0
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
        if IRI_UNSAFE.search(path):
            return self.error(400, "The path holds characters no IRI may contain (spaces, <, >, quotes, "
                                   "braces, control characters …).", headers)
        if path == "sparql":
            return self.sparql(method, parts.query, headers, body)
        if method == "POST":
            return self.error(405, "Only /sparql takes POST.", headers, {"Allow": "GET, HEAD"})
        return self.get(path, parts.query, headers)

    def get(self, path: str, query: str, headers) -> Response:
        accept = headers.get("Accept")
        if path in self.files:
            try:  # sent from disk in pieces: a download of a large dump holds no more memory than a page
                info = (self.build / path).stat()
            except OSError:  # the build folder is being replaced by a rebuild at this moment
                return self.error(503, "The build is being replaced; try again shortly.", headers, {"Retry-After": "2"})
            digest = self.files[path]
            tag = digest[:20] if isinstance(digest, str) else f"{info.st_mtime_ns:x}-{info.st_size:x}"
            return Response(200, b"", FILE_MEDIA.get(Path(path).suffix, "application/octet-stream"), {"ETag": f'"{tag}"'},
                            file=self.build / path, size=info.st_size)
        if path == "favicon.ico":  # browsers ask for it when they show a non-HTML representation
            return Response(204, headers={"Cache-Control": "max-age=86400"})
        if path.startswith("static/") and path[7:] in STATIC:
            try:
                asset = static_asset(path[7:])
            except FileNotFoundError:  # YASGUI not installed (scripts/install-yasgui.sh)
                return self.error(404, "", headers, path=path)
            return Response(200, asset, FILE_MEDIA.get(Path(path).suffix, "text/plain"), {"Cache-Control": "max-age=3600"})
        page_path = path[:-len(".html")] if path.endswith(".html") else path
        page_path = "" if page_path == "index" else page_path
        params = parse_qs(query)
        if page_path in ("search", "who"):  # an empty q= is a query too: it gets told what to give
            return self.find(page_path, parse_qs(query, keep_blank_values=True), headers)
        if page_path in ("", "orgchart", "sparql", "government") or page_path.startswith(("orgchart/", "compare/", "government/")):
            return self.page(page_path, params, headers)
        if path == ".well-known/void":
            path = "dataset"
        return self.resource(path, accept, headers, params)

    # --- resources ----------------------------------------------------------------------------

    def resource(self, path: str, accept: str | None, headers, params: dict) -> Response:
        try:
            return self._resource(path, accept, headers, params)
        except ValueError:  # pyoxigraph refused to make an IRI of the path
            return self.error(400, "The path is not a valid IRI path.", headers)

    def _resource(self, path: str, accept: str | None, headers, params: dict) -> Response:
        m = self.model
        if m.exists(m.iri(path)):
            stem, fmt = path, None
        else:
            stem, fmt = split_suffix(path)
            if fmt is None or not m.exists(m.iri(stem)):
                if m.exists(m.iri(path + "/")):
                    return Response(301, b"", headers={"Location": "/" + quote(path + "/")})
                return self.error(404, "", headers, path=path)
        moved = retired.replacement(m, m.iri(stem))
        if moved:  # the bare IRI to the bare IRI, negotiated there; a suffix URL to the same suffix
            return Response(301, b"", headers={"Location": retired.location(m, moved, fmt)})
        status = 410 if retired.withdrawn(m, m.iri(stem)) else 200
        negotiated = fmt is None
        if negotiated:
            try:
                fmt = choose_format(accept)
            except NotAcceptable:
                return self.not_acceptable(stem, headers)
        extra = {"Vary": "Accept", "Content-Location": "/" + quote(file_name(stem, fmt))} if negotiated else {}
        if fmt == HTML:
            page, ui = self.page_for(stem, params, headers)
            body = self.cached(("r", stem, fmt.suffix, page.lang),
                               lambda: pages.resource_page(page, self.model.iri(stem)).encode())
            extra = {**extra, **ui, "Vary": "Accept, Accept-Language, Cookie" if negotiated else ui["Vary"]}
        else:
            body = self.cached(("r", stem, fmt.suffix), lambda: describe.representation(self.model, self.model.iri(stem), fmt))
            if negotiated:  # the same URL gives HTML in the reader's language to browsers
                extra["Vary"] = "Accept, Accept-Language, Cookie"
        link = self.cached(("l", stem), lambda: ", ".join(f'</{quote(file_name(stem, f))}>; rel="alternate"; '
                                                         f'type="{f.media}"' for f in RESOURCE_FORMATS))
        return Response(status, body, fmt.media, {**extra, "Link": link})

    def not_acceptable(self, path: str, headers) -> Response:
        offers = "\n".join(f"{f.media}: /{file_name(path, f)}" for f in RESOURCE_FORMATS)
        return Response(406, f"None of the types in Accept is offered. Available:\n{offers}\n".encode(),
                        headers={"Vary": "Accept"})

    # --- pages --------------------------------------------------------------------------------

    def page(self, path: str, params: dict, headers) -> Response:
        segments = path.split("/")

        def html(render) -> Response:
            page, ui = self.page_for(path, params, headers)
            body = self.cached(("p", path, page.lang), lambda: render(page).encode())
            return Response(200, body, "text/html", ui)

        try:
            if path == "":
                return html(pages.home_page)
            if path == "orgchart":
                return html(pages.orgchart_index)
            if path == "government":
                if "date" in params:
                    day = params["date"][-1]
                    if not is_day(day):
                        return self.error(400, "Give the date as YYYY-MM-DD.", headers)
                    return Response(303, headers={"Location": "/" + quote(f"{path}/{day}")})
                return html(national.index_page)
            if segments[0] == "government" and len(segments) == 2 and is_day(segments[1]):
                return html(lambda p: national.national_page(p, segments[1]))
            if path == "sparql":
                response = html(pages.sparql_page)
                response.headers["Content-Security-Policy"] = CSP_EDITOR
                return response
            if segments[0] == "orgchart" and len(segments) == 2:
                pages.body_iri(self.model, segments[1])
                if "date" in params:
                    day = params["date"][-1]
                    if not is_day(day):
                        return self.error(400, "Give the date as YYYY-MM-DD.", headers)
                    return Response(303, headers={"Location": "/" + quote(f"{path}/{day}")})
                return html(lambda p: pages.orgchart_page(p, segments[1], None))
            if segments[0] == "orgchart" and len(segments) == 3 and is_day(segments[2]):
                return html(lambda p: pages.orgchart_page(p, segments[1], segments[2]))
            if segments[0] == "compare" and len(segments) == 2:
                pages.body_iri(self.model, segments[1])
                first, second = params.get("from", [""])[-1], params.get("to", [""])[-1]
                if not (is_day(first) and is_day(second)):
                    return self.error(400, "Give both dates as YYYY-MM-DD (from=…&to=…).", headers)
                return Response(303, headers={"Location": "/" + quote(f"{path}/{first}/{second}")})
            if segments[0] == "compare" and len(segments) == 4 and all(is_day(s) for s in segments[2:]):
                return html(lambda p: pages.compare_page(p, segments[1], segments[2], segments[3]))
        except pages.NotFound:
            pass
        return self.error(404, "", headers, path=path)

    def find(self, path: str, params: dict, headers) -> Response:
        """/search (HTML, or JSON with format=json or Accept: application/json) and /who."""
        lang, extra = self.language(params, headers)
        t = i18n.Messages(lang)
        try:
            form = finder.read_form(self.model, t, params, is_day)
        except finder.BadRequest as err:
            return self.error(400, str(err), headers)
        wants_json = params.get("format", [""])[-1] == "json" or (
            "application/json" in (headers.get("Accept") or "") and "text/html" not in (headers.get("Accept") or ""))
        if self.searcher is None:
            return self.error(503, "This build has no search index (search/); rebuild it with govkg build.", headers)
        key = ("f", path, form.query(), form.date or _today(), lang, wants_json)  # /who without a date: today
        try:
            body = self.cached(key, lambda: self._find(path, form, t, wants_json))
        except QueryError as err:  # empty or too long: the form again, with what to fix
            asked = "q" in params
            if wants_json:
                return self.error(400, t(err.key, **err.values), headers)
            message = t(err.key, **err.values) if asked else ""
            page = pages.Page(self.model, path, lang=lang, switch="?" + form.query(lang=i18n.other(lang)))
            html = (finder.search_page(page, t, form, None, message) if path == "search"
                    else finder.who_page(page, t, form, None, form.date or _today(), message))
            return Response(400 if asked else 200, html.encode(), "text/html", extra)
        return Response(200, body, "application/json" if wants_json else "text/html", extra)

    def _find(self, path: str, form: finder.Form, t: i18n.Messages, wants_json: bool) -> bytes:
        day = form.date or _today()
        if path == "who":
            form = finder.Form(form.q, day)
        results = finder.run(self.searcher, self.model, form)
        if wants_json:
            return finder.search_json(self.model, form, results)
        page = pages.Page(self.model, path, lang=t.lang, switch="?" + form.query(lang=i18n.other(t.lang)))
        if path == "who":
            return finder.who_page(page, t, form, results, day).encode()
        return finder.search_page(page, t, form, results).encode()

    def language(self, params: dict, headers) -> tuple[str, dict[str, str]]:
        """The interface language, and the headers that go with it: a ``lang=`` parameter (the
        switch) wins and is remembered in a cookie; otherwise the cookie, then Accept-Language."""
        asked = params.get("lang", [""])[-1]
        extra = {"Vary": "Accept-Language, Cookie"}
        if asked in i18n.LANGS:
            return asked, {**extra, "Set-Cookie": i18n.cookie(asked)}
        return i18n.choose(headers.get("Accept-Language"), headers.get("Cookie")), extra

    def page_for(self, path: str, params: dict, headers) -> tuple[pages.Page, dict[str, str]]:
        """The page at ``path`` in the reader's language, with the link to it in the other one
        (the same query, ``lang`` changed), and the headers that go with the choice."""
        lang, extra = self.language(params, headers)
        kept = [(k, v) for k, values in sorted(params.items()) if k != "lang" for v in values]
        switch = "?" + urlencode([*kept, ("lang", i18n.other(lang))])
        return pages.Page(self.model, path, lang=lang, switch=switch), extra

    def cached(self, key: tuple, make, size=len):
        """The value made once for ``key``; the cache keeps at most ``cache_bytes`` (by ``size`` of
        each value, and of its key), dropping the least recently used, and no value over
        CACHE_ENTRY bytes."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key][0]
        value = make()
        weight = size(value) + sum(len(k) if isinstance(k, (str, bytes)) else 64 for k in key)
        if weight <= CACHE_ENTRY:
            with self._lock:
                if key not in self._cache:
                    self._cache[key] = (value, weight)
                    self._cached_bytes += weight
                while self._cached_bytes > self._cache_bytes and self._cache:
                    self._cached_bytes -= self._cache.popitem(last=False)[1][1]
        return value

    # --- SPARQL -------------------------------------------------------------------------------

    def sparql(self, method: str, query: str, headers, body: bytes) -> Response:
        try:
            request = sparql.parse_request(method, query, headers.get("Content-Type"), body)
            if request is None:
                params = parse_qs(query)
                example = params.get("example", [None])[-1]
                text = next((e.text for e in self.model.examples if e.name == example), "")
                if example is not None and not text:
                    return self.error(404, f"No example query is called {example!r}.", headers)
                if example is None and method != "POST":
                    return self.service(params, headers)
                page, ui = self.page_for("sparql", params, headers)
                return Response(200, pages.sparql_page(page, text).encode(), "text/html",
                                {**ui, "Content-Security-Policy": CSP_EDITOR})
            if self.pool is None:
                raise sparql.Refused(503, "This server runs no query workers.")
            # The graph does not change while serving, so a small answer is kept for the same query.
            answer = self.cached(("q", request.query, *request.default_graphs, "|", *request.named_graphs),
                                 lambda: self.pool.run(request), size=sparql.answer_size)
        except sparql.Refused as err:
            return self.error(err.status, err.message, headers, err.headers)
        return self.results(request, answer, headers)

    def service(self, params: dict, headers) -> Response:
        """GET /sparql without a query: the form for a browser, the Service Description for RDF clients."""
        try:
            fmt = choose_format(headers.get("Accept"), SERVICE_FORMATS)
        except NotAcceptable:
            return self.error(406, "None of the types in Accept is offered here; offered: "
                              + ", ".join(f.media for f in SERVICE_FORMATS) + ".", headers, {"Vary": "Accept"})
        if fmt == HTML:
            page, ui = self.page_for("sparql", params, headers)
            body = self.cached(("p", "sparql", page.lang), lambda: pages.sparql_page(page).encode())
            return Response(200, body, fmt.media, {**ui, "Vary": "Accept, Accept-Language, Cookie",
                                                   "Content-Security-Policy": CSP_EDITOR})
        else:
            body = self.cached(("sd", fmt.suffix), lambda: describe.serialize_rdf(
                self.model, sparql.service_description(self.model.iri("sparql"), sorted(self.model.named_graphs)), fmt))
        return Response(200, body, fmt.media, {"Vary": "Accept"})

    def results(self, request: sparql.Request, answer: tuple, headers) -> Response:
        kind = answer[0]
        if kind == "error":
            return self.error(400, f"The query could not be run: {answer[1]}", headers)
        if kind == "refused":
            return self.error(400, f"The query is refused: {answer[1]}.", headers)
        offered = GRAPH_FORMATS if kind == "graph" else SELECT_FORMATS
        by_suffix = {f.suffix: f for f in offered}
        if request.format:
            fmt = by_suffix.get(request.format)
            if fmt is None:
                return self.error(406, f"format={request.format} does not fit a {kind.upper()} result; use one of "
                                       + ", ".join(by_suffix) + ".", headers)
        else:
            try:
                fmt = choose_format(headers.get("Accept"), offered, RESULT_ALIASES)
            except NotAcceptable:
                return self.error(406, "None of the types in Accept fits this result; offered: "
                                  + ", ".join(f.media for f in offered) + ".", headers)
        extra = {"Vary": "Accept"}
        page, ui = self.page_for("sparql", {}, headers)
        if fmt == HTML:
            extra = {**ui, "Vary": "Accept, Accept-Language, Cookie", "Content-Security-Policy": CSP_EDITOR}
        if kind == "ask":
            if fmt == HTML:
                return Response(200, self.results_page(request, pages.ask_answer(page, answer[1]), page), fmt.media, extra)
            return Response(200, sparql.serialize_ask(fmt, answer[1]), fmt.media, extra)
        truncated = answer[-1]
        if truncated:
            extra["Govkg-Results-Truncated"] = str(self.pool.cap)
        if kind == "select":
            names, rows = answer[1], [[sparql.term_in(t) for t in row] for row in answer[2]]
            if fmt == HTML:
                return Response(200, self.results_page(request, pages.results_table(page, names, rows, truncated), page),
                                "text/html", extra)
            return Response(200, sparql.serialize_select(fmt, names, rows), fmt.media, extra)
        triples = sparql.graph_triples(answer[1])
        if fmt == HTML:
            rows = [[t.subject, t.predicate, t.object] for t in triples]
            table = pages.results_table(page, ["subject", "predicate", "object"], rows, truncated)
            return Response(200, self.results_page(request, table, page), "text/html", extra)
        return Response(200, describe.serialize_rdf(self.model, triples, fmt), fmt.media, extra)

    def results_page(self, request: sparql.Request, result, page: pages.Page) -> bytes:
        return pages.sparql_page(page, request.query, result).encode()

    # --- errors -------------------------------------------------------------------------------

    def error(self, status: int, message: str, headers, extra: dict | None = None, path: str | None = None) -> Response:
        """An error in HTML for browsers, in plain text for everyone else."""
        wants_html = "text/html" in (headers.get("Accept") or "")
        if status == 404 and path is not None:
            message = f"Nothing in govkg has the IRI <{self.model.iri(path)}>. Try / or /sparql."
            if wants_html:
                page = pages.Page(self.model, path, lang=self.language({}, headers)[0])
                return Response(404, pages.not_found_page(page, path).encode(), "text/html", extra or {})
        if wants_html:
            phrase = HTTPStatus(status).phrase
            page = pages.Page(self.model, "", lang=self.language({}, headers)[0])
            body = pages.error_page(page, phrase, message)
            return Response(status, body.encode(), "text/html", extra or {})
        return Response(status, (message + "\n").encode(), "text/plain", extra or {})


def _today() -> str:
    """Today in Korea, the day "who handles it" answers for when none is given."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date().isoformat()


def finish(response: Response, method: str, headers) -> tuple[int, list[tuple[str, str]], bytes]:
    """The status, headers and body that go on the wire: content type with charset, length,
    nosniff, the CSP of pages, an ETag (and 304 when If-None-Match has it), no body for HEAD."""
    etag = None
    if response.file is not None:
        response.headers = dict(response.headers)
        etag = response.headers.pop("ETag")
        if headers.get("If-None-Match") == etag:
            response = Response(304, b"", response.media, response.headers)
    elif response.status == 200 and response.body:
        etag = '"' + hashlib.sha1(response.body).hexdigest()[:20] + '"'
        if headers.get("If-None-Match") == etag:
            response = Response(304, b"", response.media, response.headers)
    length = response.size if response.file is not None else len(response.body)
    out = [("Content-Type", content_type(response.media)), ("Content-Length", str(length)),
           ("X-Content-Type-Options", "nosniff")]
    if response.media == "text/html" and "Content-Security-Policy" not in response.headers:
        out.append(("Content-Security-Policy", CSP))
    if etag:
        out.append(("ETag", etag))
    out += list(response.headers.items())
    body = b"" if method == "HEAD" or response.status == 304 else response.body
    return response.status, out, body


def serve(build: Path, host: str, port: int, base: str | None, workers: int, timeout: float, cap: int,
          verbose: bool = False, limits: dict | None = None, access_log: str | None = None) -> int:
    """Serves ``build`` with waitress until SIGTERM or ^C (see ``wsgi``)."""
    from . import wsgi

    return wsgi.serve(build, host, port, base, workers, timeout, cap, verbose, limits or {}, access_log)
