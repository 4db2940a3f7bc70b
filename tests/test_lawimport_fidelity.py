"""The classes of misreading of issue 9, on an invented ministry (tests/fixtures/lawimport/cases/fidelity):
keys and moves, rank from the law's structure, continuation lines, like-with-like matching and
delegated ranges, snapshots on duty-only days, and the replacement of published keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from pyoxigraph import NamedNode

from govkg.iris import DCTERMS, Iris
from govkg.lawimport.importer import import_folder
from govkg.records.duties import duty_blocks
from govkg.records.reader import read_records
from govkg.transform import transform

from .lawrepo import CASES, build_checkout, derived_orgs, section

FOLDER = "검증부와그소속기관직제"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    return build_checkout(CASES / "fidelity", tmp_path_factory.mktemp("checkout"))


@pytest.fixture(scope="module")
def derived(checkout, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("derived")
    import_folder(checkout, FOLDER, out, None)
    return out / "검증부"


def _duties(folder: Path, holder: str) -> dict[str, dict]:
    return {d["text"]: d for d in section(folder, "duties.yaml", "duty_history") if d["holder"] == holder}


def test_an_agency_that_moves_keeps_its_key_and_its_units_theirs(derived):
    orgs = derived_orgs(derived)
    agency = orgs["검증부/자료관"]
    # the decree of 2021-07-01 moves it, but its 부칙 puts 제2조 and 제7조 into effect on 2021-07-15
    assert [(p["unit"], str(p["from"])) for p in agency["parent"]] == [("검증부/검증원", "2021-01-01"),
                                                                        ("검증부", "2021-07-15")]
    assert "ended" not in agency and "until" not in agency["attested"]
    for key in ("검증부/자료관/자료과", "검증부/자료관/보존과"):  # the move ends neither (자료과 is renamed later)
        assert str(orgs[key]["attested"]["from"]) == "2021-01-01" and str(orgs[key].get("ended")) in ("None",
                                                                                                      "2021-11-01")
    move = [e for e in section(derived, "events.yaml", "events") if e.get("unit") == "검증부/자료관"]
    assert [(e["type"], e["from_parent"], e["to_parent"], str(e["date"]), e["framework"]) for e in move] == [
        ("move", "검증부/검증원", "검증부", "2021-07-15", ["검증부/dec-20010"])]


def test_keys_do_not_contain_the_parent(derived):
    # a unit first seen under 혁신실 has no 혁신실 in its key: it keeps it under 개혁실
    assert {"검증부/기획과", "검증부/상황실", "검증부/혁신정책관"} <= set(derived_orgs(derived))
    assert not [k for k in derived_orgs(derived) if "/혁신실/" in k]


def test_rank_comes_from_the_heads_grade_not_the_name(derived):
    unit = derived_orgs(derived)["검증부/상황실"]
    assert unit["rank"] == "officer-division"  # named …실, its head a 서기관 or 사무관, its duties assist
    assert "상황실: officer-division, not office" in (derived / "parse-report.md").read_text(encoding="utf-8")
    assert not [e for e in section(derived, "events.yaml", "events") if e["type"] == "rank-change"]


def test_a_continuation_line_is_joined_and_an_unplaced_line_leaves_its_item_out(derived):
    duties = _duties(derived, "검증부/기획과")
    assert "검증 분야 혁신 과제의 발굴 및 관리에 관한 사항" in duties
    assert not [t for t in duties if t.startswith("검증 분야 혁신 사례의 수집")]  # cut short by "및 전파"
    report = (derived / "parse-report.md").read_text(encoding="utf-8")
    assert "item left out" in report and "2. 검증 분야 혁신 사례의 수집" in report


def test_an_office_renamed_is_matched_with_the_office_not_its_posts(derived):
    events = section(derived, "events.yaml", "events")
    kinds = {(e["type"], tuple(e.get("from", ())), tuple(e.get("to", ()))) for e in events}
    assert ("renaming", ("검증부/혁신실",), ("검증부/개혁실",)) in kinds
    assert ("post-conversion", ("검증부/혁신정책관",), ("검증부/개혁정책관",)) in kinds
    assert not [e for e in events if e["type"] in ("merger", "split")]
    for e in events:  # no event ties an office to a post or a bureau
        ranks = {derived_orgs(derived)[k]["rank"] for k in e.get("from", []) + e.get("to", [])}
        assert not ("office" in ranks and len(ranks) > 1), e


def test_a_delegated_range_is_cited_to_the_delegating_paragraph(derived):
    duty = _duties(derived, "검증부/혁신정책관")["검증 분야 혁신 성과의 점검 및 평가"]
    assert duty["sources"] == ["검증부/dec-20001 art4 par2 item3", "검증부/dec-20001 art4 par3"]


def test_a_day_with_only_duty_changes_has_a_snapshot(derived):
    body = derived_orgs(derived)["검증부"]
    assert [str(d) for d in body["snapshots"]] == ["2021-01-01", "2021-07-01", "2021-07-15", "2021-08-01",
                                                   "2021-09-01", "2021-11-01"]
    assert not [e for e in section(derived, "events.yaml", "events") if str(e["date"]) == "2021-09-01"]
    revised = _duties(derived, "검증부/기획과")["검증 분야 혁신 협의회의 구성 및 운영"]
    assert str(revised["attested"]["from"]) == "2021-09-01"


def test_an_amendment_carried_early_takes_effect_on_its_own_day(derived):
    """dec-20005 (promulgated 2021-05-01, in effect 2021-08-01) rewords an item; dec-20010 of 2021-07-01
    already carries the new wording. The new wording starts on 2021-08-01, the old one runs until then."""
    duties = _duties(derived, "검증부/사업국")
    old, new = duties["검증 사업 중기계획의 수립 및 시행"], duties["검증 사업 중장기계획의 수립 및 시행"]
    assert (str(old["attested"]["from"]), str(old["attested"]["until"])) == ("2021-01-01", "2021-07-31")
    assert str(new["attested"]["from"]) == "2021-08-01" and new["sources"] == ["검증부/dec-20010 art5 par2 item1"]
    report = (derived / "parse-report.md").read_text(encoding="utf-8")
    assert "amended wording not yet in effect" in report and "2021년 7월 15일부터 시행한다" in report


def test_an_item_an_early_carried_amendment_moves_to_another_list_waits_for_its_day(derived):
    """dec-20005 also moves an item, reworded, from 사업국 to the office; dec-20010 carries the move.
    Before 2021-08-01 the office does not hold the item in either wording."""
    office = _duties(derived, "검증부/개혁실")
    assert "검증 사업 예산의 편성 및 집행 관리" not in office
    moved = office["검증 사업 예산의 편성 및 집행 총괄 관리"]
    assert str(moved["attested"]["from"]) == "2021-08-01" and moved["sources"] == ["검증부/dec-20010 art4 par2 item4"]
    assert str(_duties(derived, "검증부/사업국")["검증 사업 예산의 편성 및 집행 관리"]["attested"]["until"]) == "2021-06-30"


def test_a_unit_an_early_carried_amendment_sets_up_begins_on_its_day(derived):
    """dec-20005 (in effect 2021-08-01) also sets up a 대변인, in an article dec-20010 carries unchanged:
    the post begins on 2021-08-01, not on dec-20010's day, and dec-20005 is the legal basis."""
    post = derived_orgs(derived)["검증부/대변인"]
    assert str(post["attested"]["from"]) == "2021-08-01"
    event = next(e for e in section(derived, "events.yaml", "events") if e["key"] == "검증부/대변인-신설")
    assert str(event["date"]) == "2021-08-01" and event["framework"] == ["검증부/dec-20005"]
    assert {str(d["attested"]["from"]) for d in _duties(derived, "검증부/대변인").values()} == {"2021-08-01"}


def test_published_keys_stay_and_replaced_ones_say_by_what(checkout, derived, tmp_path):
    """An earlier import published the agency under two keys (before and after its move) and its
    division under the parent path: the next import keeps the first, replaces the other, and the
    graph says dcterms:isReplacedBy for the unit and its duties."""
    out = tmp_path / "derived" / "검증부"
    out.mkdir(parents=True)
    (out / "manifest.json").write_text(json.dumps({"folder": f"kr/{FOLDER}"}), encoding="utf-8")
    (out / "keys.yaml").write_text(yaml.safe_dump({"keys": [
        {"key": "검증부/검증원/자료관", "name": "자료관", "rank": "affiliated-agency", "body": "검증부",
         "from": "2021-01-01", "until": "2021-06-30"},
        {"key": "검증부/자료관", "name": "자료관", "rank": "affiliated-agency", "body": "검증부", "from": "2021-07-01"},
        {"key": "검증부/자료관/자료과", "name": "자료과", "rank": "division", "body": "검증부/자료관",
         "from": "2021-07-01"},
        {"key": "검증부/혁신실/상황실", "name": "상황실", "rank": "office", "body": "검증부", "from": "2021-01-01",
         "until": "2021-06-30"},
    ]}, allow_unicode=True), encoding="utf-8")
    import_folder(checkout, FOLDER, tmp_path / "derived", None)
    orgs = derived_orgs(out)
    assert "검증부/검증원/자료관" in orgs and "검증부/자료관" not in orgs
    # the division keeps the key it was published under, though its agency's key was replaced
    assert orgs["검증부/자료관/자료과"]["body"] == "검증부/검증원/자료관"
    keys = {k["key"]: k for k in section(out, "keys.yaml", "keys")}
    assert keys["검증부/자료관"]["replaced_by"] == "검증부/검증원/자료관"
    assert keys["검증부/혁신실/상황실"]["replaced_by"] == "검증부/상황실"  # the rank was misread
    records = read_records(out)
    records.duties = duty_blocks(records)
    store = transform(records, Iris())
    iris = Iris()
    replaced = NamedNode(DCTERMS + "isReplacedBy")
    assert list(store.quads_for_pattern(NamedNode(iris.org("검증부/자료관")), replaced, None))[0].object == \
        NamedNode(iris.org("검증부/검증원/자료관"))
    old_duty = NamedNode(iris.duty("검증부/혁신실/상황실", "검증 현장 상황의 종합 관리"))
    assert list(store.quads_for_pattern(old_duty, replaced, None))[0].object == \
        NamedNode(iris.duty("검증부/상황실", "검증 현장 상황의 종합 관리"))
    again = tmp_path / "again"
    again.mkdir()
    for name in ("keys.yaml", "manifest.json"):
        (again / "검증부").mkdir(exist_ok=True)
        (again / "검증부" / name).write_bytes((out / name).read_bytes())
    import_folder(checkout, FOLDER, again, None)  # a second import changes nothing
    for path in out.iterdir():
        assert (again / "검증부" / path.name).read_bytes() == path.read_bytes(), path.name


def test_an_affiliated_agency_has_its_own_snapshots_and_events(derived):
    agency = derived_orgs(derived)["검증부/자료관"]
    # its first day, the day it moves, the day a duty of its division ends, the day one comes back
    assert [str(d) for d in agency["snapshots"]] == ["2021-01-01", "2021-07-15", "2021-09-01", "2021-11-01"]
    renaming = [e for e in section(derived, "events.yaml", "events") if e.get("to") == ["검증부/자료관/기록자료과"]]
    assert [(e["type"], e["from"], str(e["date"])) for e in renaming] == [
        ("renaming", ["검증부/자료관/자료과"], "2021-11-01")]


def test_a_duty_that_comes_back_gets_every_period(derived, tmp_path):
    periods = [d for d in section(derived, "duties.yaml", "duty_history")
               if d["holder"] == "검증부/자료관/보존과" and d["text"] == "보존 시설의 관리"]
    assert [(str(d["attested"]["from"]), str(d["attested"].get("until"))) for d in periods] == [
        ("2021-01-01", "2021-08-31"), ("2021-11-01", "None")]
    records = read_records(derived)
    records.duties = duty_blocks(records)
    store = transform(records, Iris())
    iris = Iris()
    first, back = iris.duty("검증부/자료관/보존과", "보존 시설의 관리"), iris.duty("검증부/자료관/보존과", "보존 시설의 관리", 2)
    assert back == first + "~2"
    until = NamedNode(iris.term("attestedUntil"))
    assert [str(q.object.value) for q in store.quads_for_pattern(NamedNode(first), until, None)] == ["2021-08-31"]
    assert not list(store.quads_for_pattern(NamedNode(back), until, None))


def test_the_fixture_builds_and_validates(derived, tmp_path):
    from govkg.pipeline import Paths, Progress, build

    from .conftest import ROOT
    data = tmp_path / "data"
    (data / "curated").mkdir(parents=True)
    (data / "curated" / "empty.yaml").write_text("laws: []\n", encoding="utf-8")
    (data / "derived" / "검증부").mkdir(parents=True)
    for path in derived.iterdir():
        (data / "derived" / "검증부" / path.name).write_bytes(path.read_bytes())
    queries = tmp_path / "queries"
    queries.mkdir()
    summary = build(Paths(data / "curated", ROOT / "ontology/govkg.ttl", ROOT / "shapes", queries, tmp_path / "build",
                          None, data / "derived"), Iris(), Progress(None))
    assert summary["violations"] == 0
    assert any("snapshot/검증부/자료관/2021-11-01" in graph for graph in summary["graphs"]), summary["graphs"]
