"""``govkg serve`` on waitress, a production WSGI server: ``App.handle`` stays a pure function of
the request; this module adds what a server on the open network needs.

- **Deadlines.** A request's headers (and its body) must arrive within ``header_timeout`` seconds
  of its first byte; a connection with no request in progress is closed after ``idle_timeout``
  seconds. waitress reads every connection in one I/O loop and hands only complete requests to its
  threads, so a slow or idle connection holds a socket, never a thread.
- **Bounds.** Headers at most ``max_header`` bytes (431), bodies at most ``app.MAX_BODY`` (413),
  at most ``max_connections`` open connections (far more than the threads, so that slow clients
  do not starve the others; beyond it, new connections wait in the backlog).
- **Files** (the dumps …) are sent from disk in pieces, so downloads hold no more memory than a
  page; their ETag is their digest in ``manifest.json``.
- **gzip** for textual answers of 1 KiB or more when the client accepts it (``Vary:
  Accept-Encoding``; compressed bodies are kept, within a budget of bytes).
- **Access log**: one JSON object per request (time, client, method, target, status, bytes, ms,
  user agent), cut to bounded lengths, to ``--access-log`` (a file, or ``-`` for stderr; ``-v``
  is ``--access-log -``).
- **Rebuilds.** The store of each dump lives beside the build folder (``app.ensure_store``). When
  ``govkg build`` replaces the folder, a watcher loads the new dump into a new store, starts a new
  App with new workers and moves requests over to it at once; the old workers are stopped after
  the longest a query may run, and the old store is removed by a later start, never under them.
"""

from __future__ import annotations

import gzip
import json
import logging
import signal
import sys
import threading
import time
from collections import OrderedDict
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Store
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

from ..errors import InputError
from ..iris import Iris
from . import sparql
from .app import MAX_BODY, App, Response, base_of, ensure_store, finish
from .model import Model

DEFAULTS = {"threads": 8, "max_connections": 1000, "header_timeout": 10, "idle_timeout": 15,
            "max_header": 64 * 1024, "watch": 2.0}
GZIP_MIN, GZIP_CACHE = 1024, 32 << 20
COMPRESSIBLE = ("text/", "application/ld+json", "application/n-", "application/trig", "application/rdf+xml",
                "application/sparql", "application/json", "application/javascript")
REASONS = {200: "OK", 204: "No Content", 301: "Moved Permanently", 303: "See Other", 304: "Not Modified",
           400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           406: "Not Acceptable", 410: "Gone", 411: "Length Required", 413: "Content Too Large",
           415: "Unsupported Media Type", 500: "Internal Server Error", 503: "Service Unavailable"}


class Headers:
    """The request's headers from the WSGI environ, looked up by name in any case."""

    def __init__(self, environ: dict):
        self._environ = environ

    def get(self, name: str, default=None):
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            return self._environ.get(key) or default
        return self._environ.get("HTTP_" + key, default)


class _Gzipped:
    """Compressed bodies by ETag, at most GZIP_CACHE bytes of them."""

    def __init__(self):
        self._kept: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, etag: str, body: bytes) -> bytes:
        with self._lock:
            if etag in self._kept:
                self._kept.move_to_end(etag)
                return self._kept[etag]
        packed = gzip.compress(body, compresslevel=5, mtime=0)
        with self._lock:
            if etag not in self._kept and len(packed) < GZIP_CACHE // 16:
                self._kept[etag] = packed
                self._bytes += len(packed)
                while self._bytes > GZIP_CACHE:
                    self._bytes -= len(self._kept.popitem(last=False)[1])
        return packed


def _accepts_gzip(value: str | None) -> bool:
    for part in (value or "").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class AccessLog:
    def __init__(self, target: str | None):
        self._stream = None if target is None else sys.stderr if target == "-" else open(target, "a", buffering=1)
        self._lock = threading.Lock()

    def __call__(self, environ: dict, target: str, status: int, size: int, started: float) -> None:
        if self._stream is None:
            return
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "client": environ.get("REMOTE_ADDR"),
                  "method": environ.get("REQUEST_METHOD", "")[:16], "target": target[:500], "status": status,
                  "bytes": size, "ms": round((time.perf_counter() - started) * 1000, 1),
                  "agent": (environ.get("HTTP_USER_AGENT") or "")[:200]}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            try:
                self._stream.write(line)
            except (OSError, ValueError):
                pass


def application(current: dict, log: AccessLog):
    """The WSGI callable: the request to ``current["app"].handle``, its answer to the wire."""
    gzipped = _Gzipped()

    def wsgi(environ, start_response):
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "GET")
        target = environ.get("REQUEST_URI") or quote(environ.get("PATH_INFO", "").encode("latin-1")) + (
            "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
        headers = Headers(environ)
        body, response = b"", None
        if method == "POST":  # waitress has read the body (chunked or not) within MAX_BODY
            try:
                length = int(environ.get("CONTENT_LENGTH") or "")
            except ValueError:
                response = Response(411, b"POST needs a Content-Length.\n")
            else:
                if not 0 <= length <= MAX_BODY:
                    response = Response(413, f"The body is limited to {MAX_BODY} bytes.\n".encode())
                else:
                    body = environ["wsgi.input"].read(length)
        if response is None:
            try:
                response = current["app"].handle(method, target, headers, body)
            except Exception as err:  # a bug must not take the server down; the client learns it failed
                print(f"govkg: internal error on {target[:200]!r}: {type(err).__name__}: {str(err)[:300]}",
                      file=sys.stderr, flush=True)
                response = Response(500, b"Internal error; the server goes on.\n")
        status, out, payload = finish(response, method, headers)
        if response.file is not None and status == 200:
            if method == "HEAD":
                start_response(f"{status} {REASONS[status]}", out)
                log(environ, target, status, 0, started)
                return [b""]
            try:
                stream = open(response.file, "rb")
            except OSError:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8"),
                                                            ("Retry-After", "2")])
                return [b"The build is being replaced; try again shortly.\n"]
            start_response(f"{status} {REASONS[status]}", out)
            log(environ, target, status, response.size, started)
            wrapper = environ.get("wsgi.file_wrapper")
            return wrapper(stream, 1 << 16) if wrapper else iter(lambda: stream.read(1 << 16), b"")
        etag = next((v for k, v in out if k == "ETag"), None)
        eligible = etag and len(response.body) >= GZIP_MIN and response.media.startswith(COMPRESSIBLE)
        if eligible and _accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING")):
            packed = gzipped.get(etag, response.body)
            out = [(k, str(len(packed)) if k == "Content-Length" else f'{v[:-1]}-gz"' if k == "ETag" else v)
                   for k, v in out] + [("Content-Encoding", "gzip")]
            payload = b"" if method == "HEAD" else packed
        if eligible:
            vary = [v for k, v in out if k == "Vary"]
            out = [(k, v) for k, v in out if k != "Vary"] + [("Vary", ", ".join(vary + ["Accept-Encoding"]))]
        if status == 200 and etag and headers.get("If-None-Match") == f'{etag[:-1]}-gz"':
            status, payload = 304, b""
        start_response(f"{status} {REASONS.get(status, 'Status')}", out)
        log(environ, target, status, len(payload), started)
        return [payload]

    return wsgi


class _Channel(HTTPChannel):
    """A connection that remembers when its current request began to arrive."""

    request_started = 0.0

    def received(self, data):
        if self.request is None and data:
            self.request_started = time.time()
        return super().received(data)


class _Server(TcpWSGIServer):
    """waitress's server with a deadline for a request's headers and body, on top of its idle
    timeout (``channel_timeout``)."""

    channel_class = _Channel
    header_timeout = 10.0

    def maintenance(self, now):
        super().maintenance(now)
        for channel in list(self.active_channels.values()):
            if channel.request is not None and not channel.requests and \
                    now - getattr(channel, "request_started", now) > self.header_timeout:
                channel.will_close = True


class _Release:
    """One build being served: its store, workers and App."""

    def __init__(self, build: Path, base: str | None, workers: int, timeout: float, cap: int, max_bytes: int):
        self.stamp = _stamp(build)
        self.store_path, self.lock = ensure_store(build)
        iris = Iris(base or base_of(build))
        model = Model.from_build(Store.read_only(str(self.store_path)), build, iris)
        self.pool = sparql.Pool(str(self.store_path), workers, timeout, cap, max_bytes)
        self.app = App(build, model, self.pool)
        self.iris = iris

    def close(self) -> None:
        self.pool.close()
        self.lock.close()


def _stamp(build: Path):
    """What says that the build folder was replaced: the identity and age of its dump and manifest."""
    try:
        return tuple((s.st_ino, s.st_mtime_ns, s.st_size) for s in
                     ((build / "govkg.nq").stat(), (build / "manifest.json").stat()))
    except OSError:
        return None


def _watch(build: Path, current: dict, make, every: float, grace: float, stop: threading.Event) -> None:
    """Moves serving to a new build when the folder is replaced (see the module's description)."""
    while not stop.wait(every):
        stamp = _stamp(build)
        if stamp is None or stamp == current["release"].stamp:
            continue
        time.sleep(every)  # let the build finish its swap
        if _stamp(build) != stamp:
            continue
        try:
            release = make()
        except Exception as err:  # a broken new build: keep serving the old one
            print(f"govkg: the new build could not be served ({type(err).__name__}: {str(err)[:300]}); "
                  "still serving the previous one", file=sys.stderr, flush=True)
            current["release"].stamp = stamp
            continue
        old = current["release"]
        current["release"], current["app"] = release, release.app
        print(f"govkg: now serving the new build ({release.store_path.name})", file=sys.stderr, flush=True)
        threading.Timer(grace, old.close).start()  # queries already running on the old workers may finish


def serve(build: Path, host: str, port: int, base: str | None, workers: int, timeout: float, cap: int,
          verbose: bool, limits: dict, access_log: str | None) -> int:
    """Opens (or first loads) the store, starts the query workers and serves until SIGTERM or ^C."""
    opts = {**DEFAULTS, **{k: v for k, v in limits.items() if v is not None}}
    max_bytes = opts.get("max_result_bytes") or sparql.MAX_RESULT_BYTES

    def make() -> _Release:
        return _Release(build, base, workers, timeout, cap, max_bytes)

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is 1" on every burst
    current: dict = {}
    try:
        current["release"] = make()
    except (OSError, ValueError, KeyError, SyntaxError) as err:
        raise InputError(build, None, None, f"cannot serve this build folder: {str(err)[:300]}",
                         "run `govkg build` and serve its --out folder") from None
    current["app"] = current["release"].app
    try:
        log = AccessLog("-" if verbose and not access_log else access_log)
        server = _Server(application(current, log),
                         host=host, port=port, threads=opts["threads"], connection_limit=opts["max_connections"],
                         channel_timeout=int(opts["idle_timeout"]), cleanup_interval=1,
                         max_request_header_size=opts["max_header"], max_request_body_size=MAX_BODY,
                         asyncore_use_poll=True, ident="govkg", expose_tracebacks=False, backlog=1024,
                         clear_untrusted_proxy_headers=True, log_socket_errors=False)
    except OSError as err:
        current["release"].close()
        raise InputError(f"{host}:{port}", None, None, f"cannot listen or log there: {err.strerror or err}",
                         "pick another --port (0 picks a free one) or --access-log file") from None
    server.header_timeout = float(opts["header_timeout"])
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(build, current, make, opts["watch"], timeout + 1, stop),
                               daemon=True, name="govkg-watch")
    if opts["watch"]:
        watcher.start()

    def _stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    print(f"govkg serving {build}/ at http://{host}:{server.effective_port}/ "
          f"(IRIs under {current['release'].iris.base})", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.close()
        current["release"].close()
    print("govkg server stopped", file=sys.stderr)
    return 0
