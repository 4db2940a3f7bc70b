"""Old IRIs keep resolving (docs/identity.md): a replaced IRI answers 301 to the one that replaces
it, for every representation, and a withdrawn one 410 Gone with the reason, both from `govkg serve`
(a real process) and from the static site's nginx and Apache rules (parsed, not guessed at)."""

from __future__ import annotations

import re
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import quote, unquote

import crossplane
import pytest
from pyoxigraph import RdfFormat, parse

from govkg.iris import DCTERMS, OWL, RDFS, SKOS, Iris
from govkg.pipeline import Progress, build
from govkg.web.site import build_site

from .conftest import ROOT, project_paths
from .serving import start, stop

BASE = "https://w3id.org/govkg/"
OLD_UNIT, NEW_UNIT = "id/org/행정안전부/시험용옛키", "id/org/행정안전부/전자정부국"
OLD_EVENT, NEW_EVENT = "id/event/2020-04-28/시험용옛사건", "id/event/2020-04-28/전자정부국-디지털정부국"
GONE = "id/event/2020-04-28/시험용잘못읽은사건"
GONE_UNIT = "id/org/행정안전부/시험용잘못읽은키"


@pytest.fixture(scope="module")
def retired_build(tmp_path_factory) -> Path:
    """A build (with its site) of the curated data plus the test records of tests/fixtures/retired."""
    folder = tmp_path_factory.mktemp("retired")
    data = folder / "data"
    shutil.copytree(ROOT / "data/curated", data)
    shutil.copy(ROOT / "tests/fixtures/retired/retired.yaml", data / "retired.yaml")
    build(project_paths(folder / "build", data=data, cache=folder / "cache"), Iris(), Progress(None))
    build_site(folder / "build")
    return folder / "build"


@pytest.fixture(scope="module")
def server(retired_build, tmp_path_factory):
    served = start(retired_build, tmp_path_factory.mktemp("serve-retired"))
    yield served
    stop(served)


def _location(headers) -> str:
    return unquote(headers["Location"])


def test_the_graph_says_replaced_and_withdrawn(retired_build):
    triples = {(t.subject.value, t.predicate.value, getattr(t.object, "value", None))
               for t in parse(path=str(retired_build / "govkg.ttl"), format=RdfFormat.TURTLE)}
    assert (BASE + OLD_UNIT, DCTERMS + "isReplacedBy", BASE + NEW_UNIT) in triples
    assert (BASE + OLD_EVENT, DCTERMS + "isReplacedBy", BASE + NEW_EVENT) in triples
    assert (BASE + GONE, OWL + "deprecated", "true") in triples
    assert (BASE + GONE, RDFS + "seeAlso", BASE + NEW_EVENT) in triples
    assert any(s == BASE + GONE and p == SKOS + "historyNote" for s, p, _ in triples)
    assert not any(s == BASE + GONE and p == DCTERMS + "isReplacedBy" for s, p, _ in triples)
    assert (BASE + GONE_UNIT, OWL + "deprecated", "true") in triples  # a key that named a misreading
    assert any(s == BASE + GONE_UNIT and p == SKOS + "historyNote" for s, p, _ in triples)


@pytest.mark.parametrize("old, new", [(OLD_UNIT, NEW_UNIT), (OLD_EVENT, NEW_EVENT)])
def test_a_replaced_iri_redirects_every_representation(server, old, new):
    for accept in ("text/html", "text/turtle", "application/ld+json", None):
        status, headers, _ = server.get("/" + old, accept)
        assert status == 301 and _location(headers) == "/" + new, accept  # negotiated at the new IRI
    for suffix in ("ttl", "jsonld", "nt", "html"):
        status, headers, _ = server.get(f"/{old}.{suffix}")
        assert status == 301 and _location(headers) == f"/{new}.{suffix}"
    status, headers, _ = server.get("/" + old, "text/turtle", "HEAD")
    assert status == 301 and _location(headers) == "/" + new


def test_following_the_redirect_gives_the_new_resource(server):
    request = urllib.request.Request(server.url + "/" + quote(OLD_UNIT), headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200 and unquote(response.url).endswith("/" + NEW_UNIT)
        assert response.headers["Content-Type"].startswith("text/turtle")
        assert response.headers["Content-Location"] == "/" + quote(NEW_UNIT + ".ttl")


def test_a_withdrawn_iri_is_gone_with_its_reason(server):
    status, headers, body = server.get("/" + GONE, "text/turtle")
    assert status == 410 and headers["Content-Type"].startswith("text/turtle") and "Accept" in headers["Vary"].split(", ")
    assert {t.predicate.value for t in parse(body, format=RdfFormat.TURTLE, base_iri=BASE)} >= {
        OWL + "deprecated", SKOS + "historyNote", RDFS + "seeAlso"}
    status, headers, body = server.get("/" + GONE, "text/html")
    assert status == 410 and "a test record" in body.decode()
    assert server.get(f"/{GONE}.nt")[0] == 410
    assert server.get("/" + NEW_EVENT, "text/turtle")[0] == 200  # the live event it points to
    status, _, body = server.get("/" + GONE_UNIT, "text/html")
    assert status == 410 and "no unit of this name" in body.decode()


# --- the static site ----------------------------------------------------------------------

def _nginx(site: Path, tmp_path: Path) -> list[dict]:
    """The site's nginx.conf put where its comments say (maps in http, the rest in a server) and
    parsed by crossplane, nginx's own parser, with the contexts and arguments of each directive checked."""
    http, server = (site / "nginx.conf").read_text(encoding="utf-8").split("# In the server block:\n")
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"events {{}}\nhttp {{\n{http}\nserver {{\nroot {site};\n{server}\n}}\n}}\n", encoding="utf-8")
    parsed = crossplane.parse(str(conf), check_ctx=True, check_args=True)
    assert parsed["status"] == "ok", parsed["errors"]
    return next(d for d in parsed["config"][0]["parsed"] if d["directive"] == "http")["block"]


def test_nginx_rules_redirect_and_gone(retired_build, server, tmp_path):
    http = _nginx(retired_build / "site", tmp_path)
    maps = {d["args"][1]: {e["directive"]: e["args"][0] for e in d["block"]} for d in http if d["directive"] == "map"}
    for old in (OLD_UNIT, OLD_EVENT):
        for suffix in ("", ".html", ".ttl", ".jsonld"):
            target = maps["$govkg_moved"]["/" + old + suffix]
            assert target == server.get(f"/{old}{suffix}")[1]["Location"]  # the server's answer, encoded alike
    assert all(maps["$govkg_gone"]["/" + GONE + s] == "1" for s in ("", ".html", ".ttl", ".jsonld"))
    assert maps["$govkg_moved"]["default"] == "" and maps["$govkg_gone"]["default"] == "0"
    assert "/" + NEW_UNIT not in maps["$govkg_moved"] and "/" + NEW_EVENT not in maps["$govkg_gone"]
    server_block = next(d for d in http if d["directive"] == "server")["block"]
    assert ["410", "/gone.html"] in [d["args"] for d in server_block if d["directive"] == "error_page"]
    location = next(d for d in server_block if d["directive"] == "location" and d["args"] == ["/"])["block"]
    checks = [(d["args"], d["block"][0]["args"]) for d in location if d["directive"] == "if"]
    assert checks == [(["$govkg_moved"], ["301", "$govkg_moved"]), (["$govkg_gone"], ["410"])]
    assert [d["directive"] for d in location].index("if") < [d["directive"] for d in location].index("try_files")


def _apache(site: Path) -> list[tuple[re.Pattern, str, str]]:
    """The RewriteRules of the .htaccess, in order, as (pattern, substitution, flags)."""
    rules = []
    for line in (site / ".htaccess").read_text(encoding="utf-8").splitlines():
        if line.startswith("RewriteRule "):
            _, pattern, target, *flags = line.split(" ")
            rules.append((re.compile(pattern), target, flags[0] if flags else ""))
    return rules


def _apache_answer(rules, path: str) -> tuple[str, str | None]:
    """What mod_rewrite does with a request path (per-directory: no leading slash): the first rule that
    matches, and where a redirect goes (the substitution with its escapes undone)."""
    for pattern, target, flags in rules:
        if pattern.search(path):
            return flags, None if target == "-" else target.replace("\\%", "%")
    return "", None


def test_apache_rules_redirect_and_gone(retired_build, server):
    site = retired_build / "site"
    rules = _apache(site)
    for old in (OLD_UNIT, OLD_EVENT):
        for suffix in ("", ".html", ".ttl", ".jsonld"):
            flags, target = _apache_answer(rules, old + suffix)
            assert flags == "[R=301,NE,L]" and target == server.get(f"/{old}{suffix}")[1]["Location"]
    for suffix in ("", ".html", ".ttl", ".jsonld"):
        assert _apache_answer(rules, GONE + suffix)[0] == "[G]"
    assert _apache_answer(rules, NEW_UNIT)[0] != "[R=301,NE,L]"  # the live IRI goes on to the negotiation rules
    text = (site / ".htaccess").read_text(encoding="utf-8")
    assert "ErrorDocument 410 /gone.html" in text
    assert text.index("[R=301,NE,L]") < text.index("RewriteCond %{REQUEST_FILENAME} -f")  # before the plain files


def test_pages_for_hosts_without_rules(retired_build):
    site = retired_build / "site"
    page = (site / (OLD_UNIT + ".html")).read_text(encoding="utf-8")
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page).group(1)
    assert (site / OLD_UNIT).parent.joinpath(unquote(refresh)).resolve() == (site / (NEW_UNIT + ".html")).resolve()
    assert f'<link rel="canonical" href="{BASE}{NEW_UNIT}">' in page
    assert (site / (OLD_UNIT + ".ttl")).is_file()  # its description, which says what replaces it
    gone = (site / "gone.html").read_text(encoding="utf-8")
    assert BASE + GONE in gone and "a test record" in gone and BASE + OLD_EVENT not in gone
    assert "a test record" in (site / (GONE + ".html")).read_text(encoding="utf-8")  # its page says why


# --- the importer's record of retired events ----------------------------------------------

def _event(day: str, key: str, kind: str, original=(), resulting=()) -> dict:
    record = {"key": key, "type": kind, "date": day}
    if original:
        record["from"] = list(original)
    if resulting:
        record["to"] = list(resulting)
    return record


KEYS = [{"key": "부/가과", "replaced_by": "부/가과~2"}, {"key": "부/가과~2"}, {"key": "부/나과"}]


def test_an_event_no_longer_made_is_replaced_by_the_same_change_only():
    from govkg.lawimport.retired import retire_events

    published = [_event("2020-01-01", "가과-나과", "duty-transfer", ["부/가과"], ["부/나과"]),
                 _event("2020-01-01", "가과-승격", "rank-change", ["부/가과"], ["부/가국"]),
                 _event("2020-01-01", "나과-폐지", "abolition", ["부/나과"])]
    now = [_event("2020-01-01", "가과-나과~2", "duty-transfer", ["부/가과~2"], ["부/나과"]),
           _event("2020-01-02", "가과-승격", "rank-change", ["부/가과~2"], ["부/가국"]),  # another day: not the same
           _event("2020-01-01", "나과-폐지", "abolition", ["부/나과"])]
    entries = retire_events(published, [], now, KEYS)
    assert entries[0] == {"event": "2020-01-01/가과-나과", "replaced_by": "2020-01-01/가과-나과~2"}
    assert entries[1]["event"] == "2020-01-01/가과-승격" and "replaced_by" not in entries[1]
    assert "rank change" in entries[1]["withdrawn"] and entries[1]["related"] == ["2020-01-01/가과-나과~2"]
    assert len(entries) == 2  # the live one is not retired


def test_retired_entries_stay_and_a_live_again_event_leaves_them():
    from govkg.lawimport.retired import retire_events

    kept = [{"event": "2019-05-05/옛사건", "withdrawn": "why"}, {"event": "2020-01-01/나과-폐지", "withdrawn": "why"}]
    now = [_event("2020-01-01", "나과-폐지", "abolition", ["부/나과"])]
    assert retire_events([], kept, now, KEYS) == [kept[0]]


def test_two_candidates_of_one_kind_cannot_be_told_apart():
    from govkg.lawimport.retired import retire_events

    published = [_event("2020-01-01", "가과-나과", "duty-transfer", ["부/가과"], ["부/나과"])]
    now = [_event("2020-01-01", "가과-나과~2", "duty-transfer", ["부/가과~2"], ["부/나과"]),
           _event("2020-01-01", "가과-나과~3", "duty-transfer", ["부/가과~2"], ["부/나과"])]
    entry, = retire_events(published, [], now, KEYS)
    assert "cannot be told" in entry["withdrawn"] and "replaced_by" not in entry
    assert entry["related"] == ["2020-01-01/가과-나과~2", "2020-01-01/가과-나과~3"]
