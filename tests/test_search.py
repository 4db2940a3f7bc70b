"""Search on the whole MOIS build: what it finds is what the published graph holds, computed here
with SPARQL over the dump (the snapshot in force on the day, the duties its units hold), for
two-syllable words and for 개인정보 on the day before and the day of its move (2020-08-05)."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import RdfFormat, Store

from govkg.iris import Iris
from govkg.search import index
from govkg.search.query import QueryError, Searcher

from .serving import mois_served  # noqa: F401  (the fixture)

PREFIXES = """PREFIX govkg: <https://w3id.org/govkg/def/> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
# The units holding a duty whose text contains the word, in every body's snapshot in force on the
# day (the latest dated on or before it, not yet superseded, of a body that still existed).
HOLDERS = PREFIXES + """SELECT DISTINCT ?unit ?duty WHERE {
  ?g a govkg:Snapshot ; dcterms:date ?d ; dcterms:subject ?body . FILTER(?d <= ?day)
  OPTIONAL { ?g govkg:validUntil ?next } FILTER(!BOUND(?next) || ?next > ?day)
  OPTIONAL { ?body govkg:attestedUntil ?ended } FILTER(!BOUND(?ended) || ?ended >= ?day)
  GRAPH ?g { ?unit org:purpose ?duty }
  ?duty a govkg:Duty ; skos:prefLabel ?text . FILTER(CONTAINS(?text, ?word))
}"""
# Bodies and units whose name contains the word and that the sources attest on the day.
NAMED = PREFIXES + """SELECT DISTINCT ?unit WHERE {
  ?unit a govkg:Organization ; skos:prefLabel|skos:altLabel ?name . FILTER(CONTAINS(LCASE(?name), ?word))
  OPTIONAL { ?unit govkg:attestedFrom ?from } OPTIONAL { ?unit govkg:attestedUntil ?until }
  FILTER((!BOUND(?from) || ?from <= ?day) && (!BOUND(?until) || ?until >= ?day))
}"""
DUTIES = PREFIXES + """SELECT DISTINCT ?duty WHERE { ?duty a govkg:Duty ; skos:prefLabel ?text . FILTER(CONTAINS(?text, ?word)) }"""
CASES = [("예산", "2020-05-01"), ("인사", "2020-05-01"), ("재난", "2021-01-01"), ("재난", "2010-06-01"),
         ("개인정보", "2020-08-01"), ("개인정보", "2020-08-05"), ("지방 재정", "2024-01-01")]


@pytest.fixture(scope="module")
def store(mois_built) -> Store:
    store = Store()
    store.bulk_load(path=str(mois_built / "govkg.nq"), format=RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def searcher(mois_built) -> Searcher:
    return Searcher(mois_built / "search")


def _bind(query: str, **values: str) -> str:
    binds = " ".join(f'BIND({v} AS ?{k})' for k, v in values.items())
    return query.replace("WHERE {", "WHERE { " + binds, 1)


def holders(store: Store, words: str, day: str) -> dict[str, set[str]]:
    """unit → the duties it holds on ``day`` that contain every word."""
    found: dict[str, set[str]] | None = None
    for word in words.split():
        rows = store.query(_bind(HOLDERS, word=f'"{word}"', day=f'"{day}"^^xsd:date'))
        pairs = {(r["unit"].value, r["duty"].value) for r in rows}
        found = pairs if found is None else found & pairs
    out: dict[str, set[str]] = {}
    for unit, duty in found or ():
        out.setdefault(unit, set()).add(duty)
    return out


def named(store: Store, word: str, day: str) -> set[str]:
    return {r["unit"].value for r in store.query(_bind(NAMED, word=f'"{word}"', day=f'"{day}"^^xsd:date'))}


@pytest.mark.parametrize("words, day", CASES)
def test_search_as_of_a_day_finds_what_the_snapshot_holds(searcher, store, words, day):
    results = searcher.search(words, day)
    assert results.complete
    found = {hit.unit: {d.iri for d in hit.duties} for hit in results.hits if hit.duties}
    expected = holders(store, words, day)
    assert found == expected
    if " " not in words:
        assert {hit.unit for hit in results.hits if hit.names} == named(store, words, day)
    for hit in results.hits:
        for match in hit.matches:
            marked = [match.text[a:b].lower() for a, b in match.marks]
            assert all(any(w in m for m in marked) for w in words.split()), (match.text, match.marks)
            assert (match.start or "") <= day and (match.end is None or match.end >= day)


def test_personal_information_moved_on_2020_08_05(searcher, store):
    """The two days give different answers (the duties left MOIS for the 개인정보보호위원회), and
    search follows the data on each."""
    before, after = holders(store, "개인정보", "2020-08-01"), holders(store, "개인정보", "2020-08-05")
    assert before != after
    assert named(store, "개인정보", "2020-08-01") != named(store, "개인정보", "2020-08-05")
    for day, expected in (("2020-08-01", before), ("2020-08-05", after)):
        found = {h.unit: {d.iri for d in h.duties} for h in searcher.search("개인정보", day).hits if h.duties}
        assert found == expected


@pytest.mark.parametrize("word", ["예산", "인사", "재난", "개인정보"])
def test_any_time_search_finds_every_duty_that_contains_the_word(searcher, store, word):
    results = searcher.search(word)
    expected = {r["duty"].value for r in store.query(_bind(DUTIES, word=f'"{word}"'))}
    found = {d.iri for h in results.hits for d in h.duties}
    if results.complete:
        assert found == expected
    else:  # more candidates than one query reads: what it shows is still right
        assert found < expected and len(found) >= 100


def test_former_units_are_found_by_name_and_marked_so(searcher):
    results = searcher.search("전자정부국")
    hit = next(h for h in results.hits if h.unit.endswith("/전자정부국"))
    assert hit.names and not hit.current
    assert hit.names[0].end is not None


def test_filters_by_body_and_kind(searcher, store):
    everything = searcher.search("정보", "2020-05-01")
    divisions = searcher.search("정보", "2020-05-01", kind="Division")
    assert divisions.hits and {h.unit for h in divisions.hits} < {h.unit for h in everything.hits}
    assert all("Division" in h.kinds for h in divisions.hits)
    bodies = {h.body for h in searcher.search("정보").hits}
    assert len(bodies) > 1
    for body in bodies:
        assert {h.body for h in searcher.search("정보", body=body).hits} == {body}


@pytest.mark.parametrize("query, key", [("", "error.q.empty"), ("   ", "error.q.empty"),
                                        ("가" * 201, "error.q.long"), ("가 나 다 라 마 바 사 아 자", "error.q.words")])
def test_queries_that_cannot_be_searched(searcher, query, key):
    with pytest.raises(QueryError) as err:
        searcher.search(query)
    assert err.value.key == key


def test_query_syntax_is_text(searcher):
    """Words are looked up as text: the characters of tantivy's query language mean nothing."""
    for query in ('"예산', "예산 AND", "*", "(인사) OR -재난", "field:예산", "예산^2"):
        searcher.search(query)  # no error


def test_the_published_index_is_the_index_of_the_published_dump(store, mois_built, tmp_path):
    """Built again from the dump, the index has the same bytes: it is deterministic and current."""
    index.write(index.entries(store, Iris()), tmp_path / "search")
    published = {p.name: p.read_bytes() for p in (mois_built / "search").iterdir()}
    assert not any(name.endswith(".lock") for name in published)  # reading it left nothing behind
    again = {p.name: p.read_bytes() for p in (tmp_path / "search").iterdir()}
    assert published == again
    manifest = json.loads((mois_built / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert {n for n in manifest if n.startswith("search/")} == {f"search/{n}" for n in published}


# --- over HTTP ----------------------------------------------------------------------------------

def _json(server, query: str) -> dict:
    status, headers, body = server.get("/search?" + query + "&format=json")
    assert status == 200, body
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(body)


def test_json_gives_the_same_units_as_the_index(mois_served, searcher):  # noqa: F811
    for day in ("2020-08-01", "2020-08-05"):
        answer = _json(mois_served, f"q=개인정보&date={day}")
        results = searcher.search("개인정보", day)
        assert [u["iri"] for u in answer["units"]] == [h.unit for h in results.hits]
        assert answer["date"] == day and answer["query"] == "개인정보" and answer["complete"] is True
        for unit in answer["units"]:
            assert unit["page"].startswith("/id/org/") and unit["name"]["ko"]
            for duty in unit["duties"]:
                assert "개인정보" in duty["text"] and duty["iri"].startswith("https://w3id.org/govkg/id/duty/")


def test_json_by_accept(mois_served):  # noqa: F811
    status, headers, body = mois_served.get("/search?q=예산", accept="application/json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["units"]


@pytest.mark.parametrize("query, status, text", [
    ("q=예산&date=2020-02-30", 400, "YYYY-MM-DD"),
    ("q=예산&date=yesterday", 400, "YYYY-MM-DD"),
    ("q=예산&body=없는기관", 400, "없는기관"),
    ("q=예산&body=../../etc", 400, "../../etc"),
    ("q=예산&kind=Nonsense", 400, "Nonsense"),
    ("q=", 400, "search for"),
    ("q=" + "가" * 300, 400, "200"),
])
def test_bad_parameters_are_told(mois_served, query, status, text):  # noqa: F811
    got, _, body = mois_served.get("/search?" + query + "&lang=en")
    assert got == status and text in body.decode()


def test_the_search_page(mois_served):  # noqa: F811
    status, headers, body = mois_served.get("/search?q=개인정보&date=2020-08-05", headers={"Accept-Language": "ko-KR"})
    page = body.decode()
    assert status == 200 and '<html lang="ko">' in page and "<mark>개인정보</mark>" in page
    assert "Accept-Language" in headers["Vary"]
    status, _, body = mois_served.get("/search")
    assert status == 200 and 'type="search"' in body.decode()


def test_who_handles_it(mois_served, store):  # noqa: F811
    status, _, body = mois_served.get("/who?q=개인정보&date=2020-08-01&lang=en")
    page = body.decode()
    assert status == 200 and '<html lang="en">' in page
    for unit in holders(store, "개인정보", "2020-08-01"):
        assert unit.rsplit("/", 1)[1] in page
    assert 'class="timeline"' in page and "Who held them before" in page


def test_language_switch_is_remembered(mois_served):  # noqa: F811
    status, headers, body = mois_served.get("/search?q=예산&lang=en", headers={"Accept-Language": "ko"})
    assert status == 200 and '<html lang="en">' in body.decode()
    assert headers["Set-Cookie"].startswith("lang=en;")
    status, headers, body = mois_served.get("/search?q=예산", headers={"Accept-Language": "ko", "Cookie": "lang=en"})
    assert '<html lang="en">' in body.decode() and "Set-Cookie" not in headers
    status, headers, body = mois_served.get("/search?q=예산", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in body.decode()
    status, headers, body = mois_served.get("/search?q=예산", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.8"})
    assert '<html lang="ko">' in body.decode()


@pytest.mark.parametrize("query", [
    "q=%00", "q=%ED%95", "q=%FF%FE", "q=<script>alert(1)</script>", "q=%22%3E%3Cimg%20src%3Dx%3E",
    "q=' OR 1=1 --", "q=*:*", "q=text:예산", "q=%E1%84%8B%E1%85%A8%E1%84%89%E1%85%A1%E1%86%AB",  # 예산 in jamo (NFD)
    "q=\U0001F600", "q=%E2%80%AE%EC%98%88%EC%82%B0", "q=예산&q=인사", "q=예산&date=9999-12-31",
    "q=예산&date=0001-01-01", "q=예산&kind=", "q=예산&body=", "q=예산&lang=xx", "q=예산&format=xml",
    "q=" + "예" * 5000, "date=2020-08-01",
])
def test_hostile_queries_get_an_answer_never_an_error(mois_served, query):  # noqa: F811
    for path in ("/search?", "/who?"):
        status, headers, body = mois_served.get(path + query, headers={"Accept": "text/html"})
        assert status in (200, 400), (path + query, status)
        page = body.decode()
        assert "<script>alert" not in page and "<img src=x>" not in page
        assert "Traceback" not in page


def test_nfd_korean_is_searched_as_nfc(searcher):
    import unicodedata
    assert [h.unit for h in searcher.search(unicodedata.normalize("NFD", "예산")).hits] == \
        [h.unit for h in searcher.search("예산").hits]
