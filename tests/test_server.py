"""`govkg serve` as a real process: dereferencing, content negotiation, pages, SPARQL, and hostile
requests, each answered clearly while the server keeps serving."""

from __future__ import annotations

import json
import re
import socket
import time
from urllib.parse import quote, unquote, urlencode

from pyoxigraph import NamedNode, RdfFormat, parse

from govkg.formats import split_suffix
from govkg.server.negotiate import NotAcceptable, choose, parse_accept

from .serving import served  # noqa: F401  (the fixture)

MOIS = "/id/org/행정안전부"
BUREAU = "/id/org/행정안전부/디지털정부국"
EN = {"Accept-Language": "en"}  # these tests read the English interface
BASE = "https://w3id.org/govkg/"
RDF_TYPES = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES,
             "application/rdf+xml": RdfFormat.RDF_XML, "application/ld+json": None,
             "application/trig": RdfFormat.TRIG, "application/n-quads": RdfFormat.N_QUADS}
SUFFIXES = {"ttl": "text/turtle", "nt": "application/n-triples", "rdf": "application/rdf+xml",
            "jsonld": "application/ld+json", "trig": "application/trig", "nq": "application/n-quads", "html": "text/html"}


def _alive(served):
    status, _, body = served.get("/id/org/행정안전부", "text/turtle")
    assert status == 200 and "행정안전부".encode() in body


def _parse(body: bytes, media: str):
    if media == "application/ld+json":
        doc = json.loads(body)
        assert doc["@context"] == BASE + "context.jsonld"
        return doc["@graph"]
    return list(parse(body, format=RDF_TYPES[media], base_iri=BASE))


# --- negotiation, in-process ----------------------------------------------------------------

def test_accept_parsing_weighs_q_values_and_specificity():
    offered = ("text/html", "text/turtle", "application/rdf+xml")
    assert choose("text/turtle;q=0.5, application/rdf+xml;q=0.9", offered) == "application/rdf+xml"
    assert choose("text/*;q=0.3, text/turtle", offered) == "text/turtle"
    assert choose("*/*", offered) == "text/html"
    assert choose(None, offered) == "text/html"
    assert choose("text/html;q=0, */*;q=0.1", offered) == "text/turtle"
    assert parse_accept("text/html;q=abc, text/turtle") == [("text/turtle", 1.0)]
    for bad in ("garbage", "text/html;q=2", ";;;", "*/html"):
        try:
            choose(bad, offered)
        except NotAcceptable:
            continue
        raise AssertionError(bad)
    assert split_suffix("id/org/x.ttl")[0] == "id/org/x" and split_suffix("def/index.nt")[0] == "def/"


# --- dereferencing --------------------------------------------------------------------------

def test_every_format_by_accept_with_vary_and_content_location(served):
    for media in RDF_TYPES:
        status, headers, body = served.get(BUREAU, media)
        assert status == 200, media
        assert headers["Content-Type"].startswith(media)
        assert "Accept" in [v.strip() for v in headers["Vary"].split(",")]
        assert headers["Content-Location"].endswith("." + next(s for s, m in SUFFIXES.items() if m == media))
        assert _parse(body, media), media
    status, headers, body = served.get(BUREAU, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", headers=EN)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<html lang="en">' in body.decode() and '<span lang="ko">디지털정부국</span>' in body.decode()


def test_q_values_pick_the_preferred_format(served):
    _, headers, _ = served.get(MOIS, "text/turtle;q=0.4, application/rdf+xml;q=0.8, text/html;q=0.1")
    assert headers["Content-Type"].startswith("application/rdf+xml")
    _, headers, _ = served.get(MOIS, "application/n-triples, text/turtle;q=0.9")
    assert headers["Content-Type"].startswith("application/n-triples")


def test_suffix_urls_need_no_accept(served):
    for suffix, media in SUFFIXES.items():
        status, headers, body = served.get(f"{BUREAU}.{suffix}", "text/html", headers=EN)
        assert status == 200 and headers["Content-Type"].startswith(media), suffix
        assert "Accept" not in [v.strip() for v in headers.get("Vary", "").split(",")]
        if media != "text/html":
            _parse(body, media)


def test_the_description_is_the_resource_and_its_snapshot_statements(served):
    _, _, body = served.get(BUREAU + ".ttl")
    triples = _parse(body, "text/turtle")
    assert all(t.subject.value == BASE + "id/org/행정안전부/디지털정부국" for t in triples)
    assert any(t.predicate.value.endswith("prefLabel") for t in triples)
    _, _, body = served.get(BUREAU + ".nq")
    quads = _parse(body, "application/n-quads")
    assert any(q.graph_name.value.endswith("snapshot/행정안전부/2020-04-28") and q.predicate.value.endswith("subOrganizationOf")
               for q in quads if hasattr(q.graph_name, "value"))


def test_unknown_iris_get_a_helpful_404(served):
    status, headers, body = served.get("/id/org/행정안전부/없는국", "text/html", headers=EN)
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert "Nothing in govkg has the IRI" in page and "행정안전부" in page and 'href="../../' in page
    status, headers, body = served.get("/id/nothing", "text/turtle")
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
    assert served.get("/id/org/행정안전부.xyz")[0] == 404


def test_the_ontology_and_its_terms(served):
    status, _, body = served.get("/def/", "text/turtle")
    assert status == 200 and b"owl:Ontology" in body
    assert len(_parse(body, "text/turtle")) > 500
    assert served.get("/def")[0] == 301
    status, _, body = served.get("/def/Bureau", "text/html", headers=EN)
    assert status == 200 and "bureau" in body.decode() and "국" in body.decode()
    status, _, body = served.get("/def/Bureau.ttl")
    assert status == 200 and any(t.predicate.value.endswith("subClassOf") for t in _parse(body, "text/turtle"))
    assert served.get("/def/index.jsonld")[0] == 200


def test_snapshot_graphs_and_void(served):
    status, _, body = served.get("/graph/snapshot/행정안전부/2020-04-28", "text/turtle")
    assert status == 200
    assert sum(t.predicate.value.endswith("subOrganizationOf") for t in _parse(body, "text/turtle")) >= 20
    status, _, body = served.get("/graph/snapshot/행정안전부/2020-04-28.trig")
    assert status == 200 and b"{" in body
    for path in ("/.well-known/void", "/dataset"):
        status, _, body = served.get(path, "text/turtle")
        assert status == 200 and b"void:Dataset" in body, path
    status, _, body = served.get("/dataset", "text/html", headers=EN)
    assert status == 200 and 'href="govkg.nq"' in body.decode()
    status, headers, body = served.get("/govkg.nq")
    assert status == 200 and headers["Content-Type"].startswith("application/n-quads") and len(body) > 100_000


def test_pages_of_events_duties_sources_and_charts(served):
    _, _, body = served.get(BUREAU, "text/html", headers=EN)
    page = body.decode()
    for heading in ("Names over time", "Parent chain", "Children", "Events", "Sources"):
        assert f">{heading}" in page, heading
    assert "전자정부국" in page  # the name before the renaming
    _, _, body = served.get("/id/event/2020-04-28/전자정부국-디지털정부국", "text/html", headers=EN)
    assert "Renaming" in body.decode() and "디지털정부국" in body.decode()
    _, _, body = served.get("/id/org/행정안전부/디지털정부국/디지털정부기반과", "text/html", headers=EN)
    assert "Duties (" in body.decode() and "Source:" in body.decode()
    _, _, body = served.get("/id/news/etoday-1888627", "text/html", headers=EN)
    assert "Cited by (" in body.decode() and "Read it at" in body.decode()
    status, headers, _ = served.get("/orgchart/행정안전부?date=2020-05-01")
    assert status == 303 and headers["Location"] == "/" + quote("orgchart/행정안전부/2020-05-01")
    status, _, body = served.get("/orgchart/행정안전부/2020-05-01", "text/html", headers=EN)
    page = body.decode()
    assert status == 200 and "<svg" in page and "<title id=\"chart-title\" lang=\"en\">" in page and "2020-04-28" in page
    assert "디지털정부국" in page and "전자정부국" not in page.split("<svg")[1].split("</svg>")[0]
    _, _, body = served.get("/orgchart/행정안전부/2020-04-01", "text/html", headers=EN)
    assert "전자정부국" in body.decode().split("<svg")[1]
    _, _, body = served.get("/orgchart/행정안전부/1999-01-01", "text/html", headers=EN)
    assert "Pick a later date" in body.decode()
    assert served.get("/orgchart/행정안전부?date=yesterday")[0] == 400
    assert served.get("/orgchart/없는부")[0] == 404
    status, _, body = served.get("/compare/행정안전부/2020-03-24/2020-05-01", "text/html", headers=EN)
    page = body.decode()
    assert status == 200 and "Renamed (" in page and "Created (" in page and "Moved (" in page
    assert "전자정부국" in page.split("Renamed (")[1].split("</section>")[0]


def test_duty_pages_show_their_lineage(served):
    query = ("SELECT ?d WHERE { ?d <http://www.w3.org/ns/prov#wasDerivedFrom> ?o . "
             "?o a <https://w3id.org/govkg/def/Duty> } ORDER BY ?d LIMIT 1")
    _, _, body = served.get("/sparql?" + urlencode({"query": query}), "application/sparql-results+json")
    duty = json.loads(body)["results"]["bindings"][0]["d"]["value"]
    status, _, body = served.get("/" + duty[len(BASE):], "text/html", headers=EN)
    page = body.decode()
    assert status == 200 and "Lineage: where it came from" in page and ">moved<" in page


# --- SPARQL ---------------------------------------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_sparql_get_and_both_posts(served):
    status, headers, body = served.get("/sparql?" + urlencode({"query": COUNT}), "application/sparql-results+json")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    n = json.loads(body)["results"]["bindings"][0]["n"]["value"]
    status, _, body = served.get("/sparql", "application/sparql-results+json", "POST", urlencode({"query": COUNT}).encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == n
    status, _, body = served.get("/sparql", "application/sparql-results+json", "POST", COUNT.encode(),
                                 {"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == n
    assert served.get("/sparql", None, "POST", b"x", {"Content-Type": "text/plain"})[0] == 415


def test_sparql_results_formats(served):
    query = urlencode({"query": 'SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l . '
                                'FILTER(?l = "디지털정부국"@ko) }'})
    expected = {"application/sparql-results+xml": b"<sparql", "text/csv": b"s,l\r\n",
                "text/tab-separated-values": '?s\t?l\n<https://w3id.org/govkg/id/org/행정안전부/디지털정부국>\t"디지털정부국"@ko'.encode(),
                "application/sparql-results+json": b'"xml:lang": "ko"'}
    for media, start in expected.items():
        status, headers, body = served.get("/sparql?" + query, media)
        assert status == 200 and headers["Content-Type"].startswith(media), media
        assert start in body, (media, body[:200])
    status, _, body = served.get("/sparql?" + query, "text/html", headers=EN)
    assert status == 200 and "<table>" in body.decode()
    status, _, body = served.get("/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}), "application/sparql-results+json")
    assert json.loads(body)["boolean"] is True


def test_construct_and_describe_in_rdf_formats(served):
    construct = urlencode({"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<{BASE}id/org/행정안전부> AS ?s) ?s ?p ?o }}"})
    for media in ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"):
        status, headers, body = served.get("/sparql?" + construct, media)
        assert status == 200 and headers["Content-Type"].startswith(media), media
        assert _parse(body, media)
    status, _, body = served.get("/sparql?" + urlencode({"query": f"DESCRIBE <{BASE}id/org/행정안전부>"}), "text/turtle")
    assert status == 200 and _parse(body, "text/turtle")
    status, _, _ = served.get("/sparql?" + construct, "text/csv")
    assert status == 406


def test_updates_are_refused(served):
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    assert served.get("/sparql", None, "POST", urlencode({"update": update}).encode(),
                      {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert served.get("/sparql", None, "POST", update.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    status, _, body = served.get("/sparql?" + urlencode({"query": update}))
    assert status == 400
    status, _, body = served.get("/sparql?" + urlencode({"query": "ASK { <http://example.org/a> ?p ?o }"}),
                                 "application/sparql-results+json")
    assert json.loads(body)["boolean"] is False
    _alive(served)


def test_service_is_refused_before_it_runs(served):
    for query in ("SELECT * WHERE { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }",
                  "select * where { service silent <http://127.0.0.1:1/> { ?s ?p ?o } }",
                  "SELECT * WHERE {\n SERVICE# comment\n <http://example.org/> { ?s ?p ?o } }"):
        status, _, body = served.get("/sparql?" + urlencode({"query": query}))
        assert status == 400 and b"SERVICE is disabled" in body, query
    status, _, _ = served.get("/sparql?" + urlencode({"query": 'ASK { FILTER("SERVICE" != "x") } # SERVICE'}),
                              "application/sparql-results+json")
    assert status == 200
    _alive(served)


def test_a_huge_query_times_out_and_the_endpoint_recovers(served):
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    status, headers, body = served.get("/sparql?" + urlencode({"query": cartesian}))
    assert status == 503 and b"longer than 2 s" in body and headers["Retry-After"]
    assert time.monotonic() - started < 10
    _alive(served)
    deadline = time.monotonic() + 20  # the killed worker is being replaced; the other one answers meanwhile
    while time.monotonic() < deadline:  # a new query text each time, so no kept answer is reused
        query = f"{COUNT} # {time.monotonic()}"
        status, _, _ = served.get("/sparql?" + urlencode({"query": query}), "application/sparql-results+json")
        if status == 200:
            break
    assert status == 200


def test_results_are_capped(served):
    status, headers, body = served.get("/sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}),
                                       "application/sparql-results+json")
    assert status == 200 and headers["Govkg-Results-Truncated"] == "50"
    assert len(json.loads(body)["results"]["bindings"]) == 50
    status, headers, body = served.get("/sparql?" + urlencode({"query": "CONSTRUCT WHERE { ?s ?p ?o }"}),
                                       "application/n-triples")
    assert status == 200 and headers["Govkg-Results-Truncated"] == "50" and body.count(b"\n") == 50


def test_the_form_offers_the_examples(served):
    status, _, body = served.get("/sparql", "text/html", headers=EN)
    page = body.decode()
    assert status == 200 and '<label for="query">' in page and "MOIS organization chart as of a date" in page
    status, _, body = served.get("/sparql?example=01-org-chart-as-of", "text/html", headers=EN)
    assert "SELECT ?snapshotDate" in body.decode()
    assert served.get("/sparql?example=nope", "text/html", headers=EN)[0] == 404


# --- hostile requests -----------------------------------------------------------------------

def test_sparql_endpoint_describes_itself(served):
    """GET /sparql without a query: a SPARQL 1.1 Service Description for RDF clients, the form for browsers."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    status, headers, body = served.get("/sparql", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and "Accept" in headers["Vary"]
    triples = {(str(t.subject), t.predicate.value, str(t.object)) for t in parse(body, format=RdfFormat.TURTLE)}
    service = str(NamedNode(BASE + "sparql"))
    assert (service, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{sd}Service>") in triples
    assert (service, sd + "endpoint", service) in triples
    assert (service, sd + "supportedLanguage", f"<{sd}SPARQL11Query>") in triples
    formats = {o for s, p, o in triples if s == service and p == sd + "resultFormat"}
    assert {"<http://www.w3.org/ns/formats/SPARQL_Results_JSON>", "<http://www.w3.org/ns/formats/Turtle>"} <= formats
    names = {o[1:-1] for s, p, o in triples if p == sd + "name"}
    assert BASE + "graph/snapshot/행정안전부/2020-04-28" in names
    status, _, body = served.get("/sparql", "application/ld+json")
    assert status == 200 and json.loads(body)["@graph"]
    status, _, body = served.get("/sparql", "text/html,*/*;q=0.8")
    assert status == 200 and b'<label for="query">' in body
    assert served.get("/sparql", "image/png")[0] == 406


def test_path_traversal_is_refused(served):
    for path in ("/id/../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                 "/queries/..%2f..%2fpyproject.toml", "/static/../app.py", "/id/%252e%252e/etc/passwd",
                 "/..\\..\\etc\\passwd", "/id/%ff%fe", "/ontology/%00.ttl"):
        request = f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
        with socket.create_connection(served.url.removeprefix("http://").split(":"), timeout=10) as sock:
            sock.sendall(request)
            answer = b"".join(iter(lambda: sock.recv(65536), b""))
        status = int(answer.split(b" ", 2)[1])
        assert status in (400, 404), (path, answer[:100])
        assert b"root:" not in answer and b"[project]" not in answer and b"import" not in answer
    _alive(served)


def test_malformed_accept_headers(served):
    for accept in ("garbage", "text/html;q=2", ";;;,,,", "*/html", "text/turtle;q=abc", "\u00e9/\u00e9"):
        status, headers, body = served.get(MOIS, accept.encode("latin-1").decode("latin-1"))
        assert status == 406 and b"Available" in body, accept
    status, _, _ = served.get(MOIS, "text/turtle;q=abc, application/n-triples")
    assert status == 200
    _alive(served)


def test_oversized_and_odd_bodies(served):
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100000000\r\n\r\n" + b"x" * 65536)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/sparql-query"
                     b"\r\nAccept: text/csv\r\n\r\n5\r\nASK{}\r\n0\r\n\r\n")  # waitress reads chunked bodies, bounded
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n"
                     + b"x" * 0x100000 + b"\r\n0\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 413")
    status, _, _ = served.get("/sparql", None, "POST", b"\xff\xfe", {"Content-Type": "application/sparql-query"})
    assert status == 400
    assert served.get(MOIS, None, "DELETE")[0] == 405
    assert served.get("/" + "a" * 70000)[0] in (400, 404, 414, 431)
    _alive(served)


def test_a_slow_client_does_not_block_others(served):
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as slow:
        slow.sendall(b"GET /id/org/")  # and nothing more, for now
        _alive(served)
        status, _, _ = served.get("/sparql?" + urlencode({"query": "ASK {}"}), "application/sparql-results+json")
        assert status == 200


def test_conditional_get_and_head(served):
    status, headers, body = served.get(MOIS, "text/turtle")
    status, _, again = served.get(MOIS, "text/turtle", headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and again == b""
    status, headers, body = served.get(MOIS, "text/turtle", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_static_pages_offer_only_the_files_the_site_has(built):
    """A static page's alternates (head and footer) name files of the site, never a format only
    the server makes."""
    site = built / "site"
    pages = ["id/org/행정안전부.html", "id/org/행정안전부/디지털정부국.en.html", "def/index.html",
             str(next(site.glob("id/duty/**/*.en.html")).relative_to(site)),
             str(next(site.glob("id/law/**/*.html")).relative_to(site))]
    for page in pages:
        html = (site / page).read_text(encoding="utf-8")
        linked = re.findall(r'href="([^":#?]+\.(?:ttl|jsonld|nt|rdf|trig|nq))"', html)
        assert linked, page
        for href in linked:
            assert ((site / page).parent / unquote(href)).is_file(), (page, href)


def test_the_static_site_holds_the_same_representations(served, built):
    site = built / "site"
    for path in ("id/org/행정안전부.ttl", "id/org/행정안전부/디지털정부국.jsonld", "def/index.ttl", "def/Bureau.jsonld",
                 "graph/snapshot/행정안전부/2020-04-28.ttl"):
        assert served.get("/" + path)[2] == (site / path).read_bytes(), path
    assert not any(site.rglob("*.rdf")) and not (site / "def/index.nt").exists()  # three files per resource
    for path in ("index.html", "404.html", "sparql.html", "orgchart/행정안전부.html", "orgchart/행정안전부/2020-03-24.html",
                 "compare/행정안전부/2020-03-24/2020-04-28.html", "dataset.html", ".well-known/void.ttl",
                 "static/govkg.css", "static/govkg.js", "govkg.nq", "queries/01-org-chart-as-of.rq"):
        assert (site / path).is_file(), path
    assert "try_files $uri $uri$govkg_lang.$govkg_suffix $uri.$govkg_suffix" in (site / "nginx.conf").read_text()
    assert "RewriteRule ^(.*)$ $1.ttl [L]" in (site / ".htaccess").read_text()
    page = (site / "orgchart/행정안전부/2020-03-24.html").read_text()
    assert 'src="../../static/govkg.js"' in page and 'data-snapshots="2020-03-24 2020-04-28"' in page
