"""Load test of `govkg serve` on loopback: bounded clients for a bounded time, a mix of pages,
content negotiation and SPARQL; prints requests per second, p50/p95/p99 latency per kind of
request, and errors. Not a timed test: run it with `make loadtest`.

    python scripts/loadtest.py                       # starts a server on build/, 50 clients, 30 s
    python scripts/loadtest.py --url http://127.0.0.1:8080 --clients 20 --duration 10
    python scripts/loadtest.py --hostile 200         # beside them, 200 slow-header and idle connections

With ``--hostile N`` the run also holds N hostile connections for its whole duration, half of them
sending a request's headers one byte a second (never finishing), half connecting and sending
nothing; one the server closes is opened again at once. The report gives the normal clients'
latency as before and how often the server closed hostile connections.

Only loopback addresses are accepted as targets. Exit code 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
ACCEPTS = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
           "text/turtle;q=0.5, application/ld+json;q=0.9")
SUFFIXES = (".ttl", ".jsonld", ".nt", ".rdf", ".nq")


def start_server(build: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "govkg.cli", "serve", "--build", str(build), "--port", "0"],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    found = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
    if not found:
        process.kill()
        sys.exit(f"the server did not start: {line}")
    return process, found.group(1)


def fetch(conn: http.client.HTTPConnection, path: str, accept: str) -> tuple[int, bytes]:
    conn.request("GET", path, headers={"Accept": accept})
    response = conn.getresponse()
    return response.status, response.read()


def targets(url: str) -> dict[str, list[tuple[str, str]]]:
    """(path, Accept) per kind of request, read from the server itself."""
    host = urlsplit(url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    base = None
    status, body = fetch(conn, "/.well-known/void", "application/n-triples")
    for line in body.decode().splitlines():
        if "<http://rdfs.org/ns/void#uriSpace>" in line:
            base = line.split('"')[1][: -len("id/")]
    classes = ", ".join(f"<{base}def/{c}>" for c in ("Organization", "ChangeEvent", "Duty", "Provision", "Snapshot"))
    query = f"SELECT ?s WHERE {{ ?s a ?c . FILTER(?c IN ({classes})) }} ORDER BY ?s"
    status, body = fetch(conn, "/sparql?" + urlencode({"query": query}), "application/sparql-results+json")
    iris = [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]]
    paths = ["/" + quote(iri[len(base):]) for iri in iris if iri.startswith(base)]
    status, body = fetch(conn, "/sparql", "text/html")
    examples = sorted(set(re.findall(r'href="sparql\?example=([^"#]+)', body.decode())))
    queries = []
    for name in examples:
        status, text = fetch(conn, f"/queries/{name}.rq", "application/sparql-query")
        queries.append("/sparql?" + urlencode({"query": text.decode()}))
    chart = "/orgchart/" + quote("행정안전부")
    html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    days = [f"2020-{m:02d}-{d:02d}" for m in (3, 4, 5, 6) for d in (1, 15, 28)]
    return {
        "page": [(p, html) for p in paths] + [(f"{chart}/{d}", html) for d in days]
                + [(f"/compare/{quote('행정안전부')}/2020-03-24/{d}", html) for d in days] + [("/", html), ("/dataset", html)],
        "negotiated": [(p, a) for p in paths[::3] for a in ACCEPTS],
        "suffix": [(p + s, "*/*") for p in paths[::5] for s in SUFFIXES],
        "sparql": [(q, "application/sparql-results+json") for q in queries]
                  + [("/sparql?" + urlencode({"query": f"ASK {{ <{base}{p[1:]}> ?p ?o }}"}), "application/sparql-results+json")
                     for p in paths[::7]],
    }


async def client(url: str, plan: list[tuple[str, str, str]], deadline: float, seed: int, out: list) -> None:
    """One keep-alive connection sending requests one after another until the deadline. asyncio and
    a minimal HTTP/1.1 reader keep the load generator light, so it measures the server, not itself."""
    host = urlsplit(url)
    rng = random.Random(seed)
    reader = writer = None
    while time.monotonic() < deadline:
        kind, path, accept = rng.choice(plan)
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host.hostname, host.port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host.netloc}\r\nAccept: {accept}\r\n\r\n".encode())
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            status = int(head[9:12])
            length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            await reader.readexactly(int(length.group(1)) if length else 0)
            ok = status < 400
        except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as err:
            status, ok = repr(err), False
            if writer is not None:
                writer.close()
            reader = writer = None
        out.append((kind, time.perf_counter() - started, ok, status, path))
    if writer is not None:
        writer.close()


async def hostile(url: str, slow: bool, deadline: float, closed: list) -> None:
    """One hostile connection after another until the deadline: a slow-header one trickles a
    request's headers a byte a second, an idle one sends nothing. Counts the closes by the server."""
    host = urlsplit(url)
    trickle = f"GET / HTTP/1.1\r\nHost: {host.netloc}\r\nX-Slow: " + "a" * 10000
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(host.hostname, host.port)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        try:
            for ch in trickle if slow else iter(int, 1):
                if time.monotonic() >= deadline:
                    break
                if slow:
                    writer.write(ch.encode())
                    await writer.drain()
                try:  # the server closing the connection ends the read at once
                    if await asyncio.wait_for(reader.read(1024), 1.0) == b"":
                        closed.append(time.monotonic())
                        break
                except TimeoutError:
                    pass
        except OSError:
            closed.append(time.monotonic())
        finally:
            writer.close()


async def drive(url: str, plan: list, clients: int, duration: float, hostiles: int = 0) -> tuple[list, list]:
    results: list = []
    closed: list = []
    deadline = time.monotonic() + duration
    attackers = [hostile(url, i % 2 == 0, deadline, closed) for i in range(hostiles)]
    if attackers:  # the hostile connections are all open before the normal clients start
        tasks = [asyncio.ensure_future(a) for a in attackers]
        await asyncio.sleep(2)
    else:
        tasks = []
    await asyncio.gather(*(client(url, plan, deadline, i, results) for i in range(clients)), *tasks)
    return results, closed


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server on loopback (default: start one on --build)")
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="build folder to serve (default: build/)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default: %(default)s)")
    parser.add_argument("--duration", type=float, default=30, help="seconds (default: %(default)s)")
    parser.add_argument("--hostile", type=int, default=0,
                        help="also hold this many slow-header and idle connections (default: %(default)s)")
    parser.add_argument("--mix", default="page=5,negotiated=2,suffix=2,sparql=1",
                        help="relative weights of the kinds of request (default: %(default)s)")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 0 < args.duration <= 600 or not 0 <= args.hostile <= 500:
        parser.error("clients must be 1–200, hostile connections 0–500 and duration at most 600 s")
    process = None
    if args.url:
        if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            parser.error("only loopback targets are allowed")
        url = args.url.rstrip("/")
    else:
        process, url = start_server(args.build)
    try:
        by_kind = targets(url)
        weights = dict((k, int(w)) for k, w in (part.split("=") for part in args.mix.split(",")))
        plan = [(kind, p, a) for kind, items in by_kind.items() for p, a in items for _ in range(weights.get(kind, 0) *
                max(1, 600 // max(1, len(items))))]
        started = time.monotonic()
        results, closed = asyncio.run(drive(url, plan, args.clients, args.duration, args.hostile))
        elapsed = time.monotonic() - started
    finally:
        if process:
            os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    report(results, elapsed, args.clients)
    if args.hostile:
        print(f"hostile: {args.hostile} slow-header and idle connections held; the server closed "
              f"{len(closed)} of them over the run (they were opened again)")
    return 1 if any(not ok for _, _, ok, _, _ in results) else 0


def report(results: list, elapsed: float, clients: int) -> None:
    groups = defaultdict(list)
    for kind, seconds, ok, _, _ in results:
        groups[kind].append(seconds * 1000)
        groups["all"].append(seconds * 1000)
    errors = [(status, path) for _, _, ok, status, path in results if not ok]
    print(f"{len(results)} requests in {elapsed:.1f} s from {clients} clients: {len(results) / elapsed:.0f} requests/s, "
          f"{len(errors)} errors")
    print(f"{'kind':<11}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'mean ms':>9}")
    for kind in ("page", "negotiated", "suffix", "sparql", "all"):
        values = groups.get(kind)
        if values:
            print(f"{kind:<11}{len(values):>9}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}"
                  f"{percentile(values, 99):>9.1f}{max(values):>9.1f}{statistics.fmean(values):>9.1f}")
    for status, path in errors[:10]:
        print(f"error: {status} {path}")


if __name__ == "__main__":
    sys.exit(main())
