"""The example queries on the full MOIS build, in a real Oxigraph server and a real Virtuoso 7,
each within its default limits, must give the embedded store's rows.

Both stores are loaded with their own bulk loaders (``oxigraph load``; Virtuoso's ``ld_dir`` and
``rdf_loader_run``), which take seconds where the Graph Store Protocol takes a minute;
``govkg load`` itself is tested on the curated build in test_stores.py. Virtuoso keeps the
limits its Debian package ships (at most 10 000 rows, queries estimated over 400 s refused, 60 s
of execution), and an answer cut short by them (the ``X-SQL-State`` header of an "anytime"
result) fails. The Oxigraph server has no limits of its own: each query gets 60 s here too.

Pointed at another build with ``GOVKG_STORES_BUILD=<build folder>`` (``make test-stores-national``
after ``make build``, which builds the national graph), the same tests run on that build instead,
the national examples included.

Virtuoso is asked with only the default graph named (``default-graph-uri``): naming the 186
snapshot graphs as well makes it echo each in a response header, more than the 100 headers
Python's HTTP client reads. Its other graphs are its own system graphs, which hold no ``org:``
triple an example could match in a ``GRAPH`` pattern.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from pyoxigraph import QueryResultsFormat, Store

from govkg import queries
from govkg.iris import Iris

from .test_stores import DEFAULT_HOLDER, EXAMPLES, VIRTUOSO_INI, _isql, _rows, embedded_store
from .tools.servers import free_port, http_ok, require, start, stop, wait_until

OTHER_BUILD = os.environ.get("GOVKG_STORES_BUILD")  # a build folder to test instead of MOIS
if OTHER_BUILD:
    EXAMPLES = queries.read_examples(Path(__file__).resolve().parents[1] / "queries", Iris())  # noqa: F811
LIMIT_S = 60  # Virtuoso's default MaxQueryExecutionTime, and the Oxigraph server's budget here
DEFAULT_SPARQL_LIMITS = """\
[SPARQL]
ResultSetMaxRows           = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
"""


def _ask(endpoint: str, text: str, params: tuple = ()) -> tuple[dict, http.client.HTTPMessage]:
    data = urllib.parse.urlencode([("query", text), *params]).encode()
    request = urllib.request.Request(endpoint, data=data, headers={
        "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=LIMIT_S + 30) as response:
            return json.loads(response.read()), response.headers
    except urllib.error.HTTPError as err:
        pytest.fail(f"{endpoint} answered {err.code}: {err.read()[:500].decode(errors='replace')}", pytrace=False)


@pytest.fixture(scope="module")
def scale_built(request) -> Path:
    """The MOIS build (made once per session), or the build GOVKG_STORES_BUILD names."""
    return Path(OTHER_BUILD) if OTHER_BUILD else request.getfixturevalue("mois_built")


@pytest.fixture(scope="module")
def embedded(scale_built) -> Store:
    return embedded_store(scale_built)


@pytest.fixture(scope="module")
def oxigraph_server(scale_built, tmp_path_factory):
    work = tmp_path_factory.mktemp("oxigraph-mois")
    program = require("oxigraph")
    subprocess.run([program, "load", "--location", str(work / "db"), "--file", str(scale_built / "govkg.nq")],
                   check=True, capture_output=True, timeout=1800)
    port, log = free_port(), work / "oxigraph.log"
    process = start([program, "serve-read-only", "--location", str(work / "db"), "--bind", f"127.0.0.1:{port}",
                     "--timeout-s", str(LIMIT_S)], log)
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until(lambda: http_ok(f"{url}?query=ASK%7B%7D"), process, "oxigraph serve-read-only", log)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def virtuoso_server(scale_built, tmp_path_factory):
    work = tmp_path_factory.mktemp("virtuoso-mois")
    (work / "bulk").mkdir()
    shutil.copy(scale_built / "govkg.nq", work / "bulk" / "govkg.nq")  # ld_dir reads only DirsAllowed
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.format(work=work, sql_port=sql_port, http_port=http_port).split("[SPARQL]")[0]
    # memory for millions of quads (Virtuoso's guide: 170 000 buffers for 2 GB); the query limits stay
    ini = ini.replace("NumberOfBuffers    = 10000", "NumberOfBuffers    = 170000").replace(
        "MaxDirtyBuffers    = 6000", "MaxDirtyBuffers    = 130000")
    (work / "virtuoso.ini").write_text(ini + DEFAULT_SPARQL_LIMITS)
    log = work / "out.log"
    process = start([require("virtuoso-t"), "+foreground", "+configfile", str(work / "virtuoso.ini")], log, cwd=work)
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        wait_until(lambda: http_ok(f"{url}?query=ASK%7B%7D"), process, "virtuoso-t", log, timeout=120)
        _isql(sql_port, f"ld_dir('{work / 'bulk'}', 'govkg.nq', '{DEFAULT_HOLDER}'); rdf_loader_run(); checkpoint;",
              timeout=1800)
        state = _isql(sql_port, "SELECT ll_state, ll_error FROM DB.DBA.load_list;")
        assert "NULL" in state, state
        yield url
    finally:
        stop(process)


def _timed(call):
    """The call's result, and fails if it took longer than the stores' execution limit."""
    began = time.monotonic()
    result = call()
    took = time.monotonic() - began
    assert took < LIMIT_S, f"{took:.0f}s, over the {LIMIT_S}s limit"
    return result


@pytest.fixture(scope="module")
def expected(embedded):
    """Every example's rows in the embedded store, as the build runs them."""
    return {e.name: _timed(lambda e=e: _rows(json.loads(
        embedded.query(e.text).serialize(format=QueryResultsFormat.JSON)))) for e in EXAMPLES}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_on_mois_in_oxigraph_server(example, oxigraph_server, expected):
    results, _ = _timed(lambda: _ask(oxigraph_server, example.text))
    assert expected[example.name], "an example should find something on a full build"
    assert _rows(results) == expected[example.name]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_on_mois_in_virtuoso(example, virtuoso_server, expected):
    results, headers = _timed(lambda: _ask(
        virtuoso_server, example.text, (("default-graph-uri", DEFAULT_HOLDER),)))
    assert headers.get("X-SQL-State") is None, f"cut short by a limit: {headers.get('X-SQL-Message')}"
    got, want = _rows(results), expected[example.name]
    assert got == want, (f"only in the embedded store: {sorted(want - got, key=str)[:3]}; "
                         f"only in Virtuoso: {sorted(got - want, key=str)[:3]}")
