"""The transform stage against a golden file (graph isomorphism) and its contract rules."""

from __future__ import annotations

import pytest
from pyoxigraph import DefaultGraph, NamedNode
from rdflib import Dataset
from rdflib.compare import isomorphic

from govkg.iris import Iris
from govkg.load import load
from govkg.transform import transform

from .conftest import ROOT

MINI = ROOT / "tests/fixtures/mini"
GOLDEN = ROOT / "tests/golden/mini.trig"
ID = "https://w3id.org/govkg/id/"


def _as_rdflib(store) -> Dataset:
    data = Dataset()
    data.parse(data=store.dump(format=__import__("pyoxigraph").RdfFormat.N_QUADS).decode(), format="nquads")
    return data


def _graphs(data: Dataset) -> dict[str, object]:
    return {str(g.identifier): g for g in data.graphs() if len(g)}


def test_matches_golden_by_isomorphism():
    produced = _graphs(_as_rdflib(transform(load(MINI), Iris())))
    golden_data = Dataset()
    golden_data.parse(GOLDEN, format="trig")
    golden = _graphs(golden_data)
    assert produced.keys() == golden.keys()
    for name in golden:
        assert isomorphic(produced[name], golden[name]), f"graph {name} differs from {GOLDEN.name}"


@pytest.fixture(scope="module")
def mini():
    return transform(load(MINI), Iris())


def _ask(store, query: str) -> bool:
    return store.query("PREFIX org: <http://www.w3.org/ns/org#> PREFIX prov: <http://www.w3.org/ns/prov#> "
                       "PREFIX govkg: <https://w3id.org/govkg/def/> PREFIX dcterms: <http://purl.org/dc/terms/> "
                       + query).__bool__()


def test_move_keeps_the_iri_and_changes_the_parent(mini):
    division = f"<{ID}org/시험부/가국/가과>"
    assert _ask(mini, f"ASK {{ GRAPH <https://w3id.org/govkg/graph/snapshot/시험부/2021-01-01> "
                      f"{{ {division} org:subOrganizationOf <{ID}org/시험부/가국> }} }}")
    assert _ask(mini, f"ASK {{ GRAPH <https://w3id.org/govkg/graph/snapshot/시험부/2021-07-01> "
                      f"{{ {division} org:subOrganizationOf <{ID}org/시험부/나국> }} }}")


def test_ended_units_are_not_in_later_snapshots(mini):
    assert not _ask(mini, f"ASK {{ GRAPH <https://w3id.org/govkg/graph/snapshot/시험부/2021-07-01> "
                          f"{{ <{ID}org/시험부/가국> ?p ?o }} }}")


def test_unchanged_duty_keeps_its_iri_and_cites_both_versions(mini):
    rows = list(mini.query("""SELECT ?d (COUNT(?s) AS ?n) WHERE {
        ?d <http://www.w3.org/2004/02/skos/core#prefLabel> "시험 정책의 수립 및 조정"@ko ;
           <http://purl.org/dc/terms/source> ?s } GROUP BY ?d"""))
    assert len(rows) == 1 and rows[0]["n"].value == "2"


def test_revised_duty_links_to_its_previous_text(mini):
    assert _ask(mini, """ASK { ?new prov:wasRevisionOf ?old .
        ?new <http://www.w3.org/2004/02/skos/core#prefLabel> "시험 자료의 관리 및 공개에 관한 사항"@ko .
        ?old <http://www.w3.org/2004/02/skos/core#prefLabel> "시험 자료의 관리에 관한 사항"@ko }""")


def test_transferred_duty_is_derived_and_named_by_the_event(mini):
    assert _ask(mini, """ASK { ?e a govkg:DutyTransfer ; govkg:transferredDuty ?d ; govkg:evidence ?ev .
        ?ev govkg:overlapScore ?score . ?d prov:wasDerivedFrom ?old . FILTER(?score = 1) }""")


def test_events_have_inverse_links_and_times(mini):
    assert _ask(mini, f"""ASK {{ ?e a org:ChangeEvent ; org:originalOrganization <{ID}org/시험부/가국> ;
        prov:startedAtTime "2021-07-01T00:00:00+09:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
        <{ID}org/시험부/가국> org:changedBy ?e . <{ID}org/시험부/나국> org:resultedFrom ?e }}""")


def test_no_blank_nodes(mini):
    from pyoxigraph import BlankNode
    assert not [q for q in mini if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)]


def test_base_is_configurable(tmp_path):
    store = transform(load(MINI), Iris("https://example.org/kg/"))
    iris = {t.value for q in store for t in (q.subject, q.object) if isinstance(t, NamedNode)}
    assert not [i for i in iris if i.startswith("https://w3id.org/govkg/")]
    assert any(q.graph_name != DefaultGraph() for q in store)


def test_a_programme_held_before_its_unit_exists_shows_only_where_the_unit_does(tmp_path):
    text = (MINI / "mini.yaml").read_text(encoding="utf-8")
    held = "    status: reported\n    attested: {from: 2021-07-01}\n    sources: [n-1]"
    assert held in text
    (tmp_path / "mini.yaml").write_text(text.replace(held, held.replace("2021-07-01", "2021-01-01")), encoding="utf-8")
    store = transform(load(tmp_path), Iris())
    graphs = {q.graph_name.value for q in store.quads_for_pattern(
        NamedNode(f"{ID}org/시험부/나국/다과"), NamedNode("http://www.w3.org/ns/org#purpose"),
        NamedNode(f"{ID}programme/시험서비스"))}
    assert graphs == {"https://w3id.org/govkg/graph/snapshot/시험부/2021-07-01"}  # 다과 is set up on 2021-07-01


def test_the_snapshots_a_period_reaches_are_those_whose_days_it_overlaps():
    import datetime as dt
    import random

    from govkg.timeutil import Period
    from govkg.transform import _Shown

    rnd = random.Random(7)
    day = lambda n: (dt.date(2020, 1, 1) + dt.timedelta(days=n)).isoformat()  # noqa: E731
    for _ in range(2000):
        dates = tuple(day(n) for n in sorted(rnd.sample(range(60), rnd.randint(1, 6))))
        start = rnd.randrange(-5, 65)
        end = None if rnd.random() < 0.3 else day(start + rnd.randrange(0, 20))
        within = range(rnd.randrange(0, 4), rnd.randrange(0, 8))
        expected = [i for i in range(len(dates)) if i in within and Period.of(day(start), end).overlaps(
            Period.before(dates[i], dates[i + 1] if i + 1 < len(dates) else None))]
        shown = _Shown(dates)
        assert list(shown.indexes(day(start), end, within)) == expected
        assert list(range(len(dates)))[shown.slice(day(start), end, within)] == expected
