"""Search latency on a build: the index alone and `GET /search` over HTTP, for queries drawn from
the data (two to four characters of real names and duty texts, half of them with a date).
Prints p50/p95/p99 in milliseconds. Not a timed test: run it by hand on the build to measure.

    python scripts/search_latency.py                 # build/, starts a server on loopback
    python scripts/search_latency.py --build DIR --queries 500 --url http://127.0.0.1:8080

Each query is sent once, so the server's answer cache does not hide the work.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from govkg.search.query import Searcher  # noqa: E402


def sample_queries(searcher: Searcher, count: int, seed: int) -> list[tuple[str, str | None]]:
    """Substrings of two to four Hangul syllables of indexed texts, each with a date or none."""
    rng = random.Random(seed)
    index = searcher.index.searcher()
    texts = []
    for _, address in index.search(searcher.index.parse_query("*"), 5000).hits:
        texts.append(index.doc(address)["label"][0])
    dates = [f"{y}-{m:02d}-01" for y in range(2009, 2026) for m in (1, 5, 9)]
    out: list[tuple[str, str | None]] = []
    while len(out) < count:
        runs = re.findall(r"[가-힣]{2,}", rng.choice(texts))
        if not runs:
            continue
        run = rng.choice(runs)
        size = rng.choice((2, 2, 3, 4))
        if len(run) < size:
            continue
        at = rng.randrange(len(run) - size + 1)
        query = (run[at:at + size], rng.choice(dates) if rng.random() < 0.5 else None)
        if query not in out:
            out.append(query)
    return out


def percentiles(times: list[float]) -> str:
    q = statistics.quantiles(times, n=100)
    return f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms, max {max(times):.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--url", help="a running server (loopback only); default: start one on --build")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    searcher = Searcher(args.build / "search")
    queries = sample_queries(searcher, args.queries, args.seed)

    index_times = []
    for q, day in queries:
        started = time.perf_counter()
        searcher.search(q, day)
        index_times.append((time.perf_counter() - started) * 1000)
    print(f"index  ({len(queries)} queries): {percentiles(index_times)}")

    process = None
    url = args.url
    if url is None:
        process = subprocess.Popen([sys.executable, "-m", "govkg.cli", "serve", "--build", str(args.build), "--port", "0"],
                                   stdout=subprocess.PIPE, text=True)
        found = re.search(r"(http://127\.0\.0\.1:\d+)/", process.stdout.readline())
        if not found:
            process.kill()
            sys.exit("the server did not start")
        url = found.group(1)
    host = urlsplit(url)
    if host.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("only loopback servers are measured")
    try:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        for kind, extra in (("HTML", {}), ("JSON", {"format": "json"})):
            times = []
            for q, day in queries:
                path = "/search?" + urlencode({"q": q, **({"date": day} if day else {}), **extra})
                started = time.perf_counter()
                conn.request("GET", path, headers={"Accept-Language": "ko"})
                response = conn.getresponse()
                body = response.read()
                times.append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    sys.exit(f"{path}: {response.status} {body[:200]!r}")
                if kind == "JSON":
                    json.loads(body)
            print(f"HTTP {kind} ({len(queries)} queries): {percentiles(times)}")
    finally:
        if process is not None:
            process.terminate()
            process.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
