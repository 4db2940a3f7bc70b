"""The Government Organization Act as records (tests/fixtures/lawimport/cases/act): its bodies,
the heads above them, dated placements, events with a renaming its 부칙 state, the 직제 bodies it
shares a key with, the national snapshots in the graph, and the checks of the new section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad

from govkg.cli import main
from govkg.errors import InputError
from govkg.iris import ORG, Iris
from govkg.lawimport import act, act_records
from govkg.lawimport.national import import_all
from govkg.load import load
from govkg.transform import transform

from .conftest import ROOT
from .lawrepo import CASES, build_checkout, section

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    return build_checkout(CASES / "act", tmp_path_factory.mktemp("checkout"))


@pytest.fixture(scope="module")
def out(checkout, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("derived")
    import_all(checkout, out, None)
    return out


def test_the_act_writes_its_folder_in_the_record_formats(out):
    folder = out / "정부조직법"
    assert sorted(p.name for p in folder.iterdir()) == [
        "bodies.yaml", "events.yaml", "government.yaml", "keys.yaml", "manifest.json", "parse-report.md",
        "sources.yaml"]
    versions = section(folder, "sources.yaml", "laws")[0]["versions"]
    assert [(v["ref"], v["effective"]) for v in versions] == [
        ("정부조직법/law-100", D("2020-01-01")), ("정부조직법/law-110", D("2021-01-01")),
        ("정부조직법/law-120", D("2022-01-01"))]


def test_bodies_the_act_alone_sets_up_and_the_heads(out):
    bodies = {b["key"]: b for b in section(out / "정부조직법", "bodies.yaml", "bodies")}
    assert set(bodies) == {"대통령", "국무총리", "다른부", "새로운부", "새이름부", "시험비서실", "시험처"}
    assert {k: b["rank"] for k, b in bodies.items()} == {
        "대통령": "executive-head", "국무총리": "executive-head", "다른부": "ministry", "새로운부": "ministry",
        "새이름부": "ministry", "시험비서실": "central-body", "시험처": "ministry-level-agency"}
    assert bodies["새로운부"]["attested"] == {"from": D("2021-01-01"), "until": D("2021-12-31")}
    assert (bodies["새로운부"]["began"], bodies["새로운부"]["ended"]) == (D("2021-01-01"), D("2022-01-01"))
    assert bodies["시험처"]["sources"] == ["정부조직법/law-100 art3 par1"]
    assert "began" not in bodies["대통령"]   # the Act places bodies under the President; it does not set him up


def test_a_body_a_decree_holds_keeps_its_key_and_record(out):
    government = section(out / "정부조직법", "government.yaml", "government")
    standing_in = {b["key"] for b in government["bodies"]}
    assert standing_in == {"시험부", "시험청"}   # the 직제 bodies of the same names, by their keys
    decree_keys = {e["key"] for e in section(out / "시험청", "keys.yaml", "keys")}
    assert "시험청" in decree_keys


def test_placements_are_dated_and_cited(out):
    government = section(out / "정부조직법", "government.yaml", "government")
    assert government["snapshots"] == [D("2020-01-01"), D("2021-01-01"), D("2022-01-01")]
    agency = [(p["under"], p["from"], p.get("until"), p["sources"]) for p in government["placements"]
              if p["body"] == "시험청"]
    assert agency == [("시험부", D("2020-01-01"), D("2020-12-31"), ["정부조직법/law-100 art5 par3"]),
                      ("새로운부", D("2021-01-01"), D("2021-12-31"), ["정부조직법/law-110 art6 par2"]),
                      ("새이름부", D("2022-01-01"), None, ["정부조직법/law-120 art6 par2"])]
    ministry = [(p["under"], p["from"], p.get("until")) for p in government["placements"] if p["body"] == "시험부"]
    assert ministry == [("대통령", D("2020-01-01"), None)]


def test_events_with_a_renaming_the_부칙_state(out):
    events = {e["key"]: e for e in section(out / "정부조직법", "events.yaml", "events")}
    renaming = events["정부조직법/새로운부-새이름부"]
    assert (renaming["type"], renaming["date"], renaming["from"], renaming["to"]) == (
        "renaming", D("2022-01-01"), ["새로운부"], ["새이름부"])
    assert renaming["framework"] == ["정부조직법/law-120"] and "2 times" in renaming["note"]
    # the renamed body is neither abolished nor established that day
    assert "정부조직법/새로운부-폐지" not in events and "정부조직법/새이름부-신설" not in events
    move = events["정부조직법/시험청-이관-20210101"]
    assert (move["from_parent"], move["to_parent"], move["sources"]) == (
        "시험부", "새로운부", ["정부조직법/law-110 art6 par2"])
    assert events["정부조직법/시험처-폐지"]["sources"] == ["정부조직법/law-110"]
    assert events["정부조직법/시험부-신설"]["note"].startswith("The Act is enacted")


def test_the_parse_report_says_where_act_and_decree_disagree(out):
    text = (out / "정부조직법" / "parse-report.md").read_text(encoding="utf-8")
    assert "| 시험청 | 2020-03-01 | — | 2020-01-01 | — | no |" in text
    assert "| 시험부 | 2020-01-01 | — | 2020-01-01 | — | yes |" in text
    assert "2022-01-01: renaming, 새로운부 → 새이름부" in text


def test_a_second_import_gives_the_same_files(checkout, out):
    before = {p.name: p.read_bytes() for p in (out / "정부조직법").iterdir()}
    act_records.write_folder(checkout, out)
    assert {p.name: p.read_bytes() for p in (out / "정부조직법").iterdir()} == before


def test_the_graph_has_the_top_of_the_tree_and_national_snapshots(out):
    iris = Iris()
    store = transform(load(ROOT / "data/curated", out), iris)
    org = lambda key: NamedNode(iris.org(key))  # noqa: E731
    sub = NamedNode(ORG + "subOrganizationOf")

    def national(day: str) -> set[tuple[str, str]]:
        graph = NamedNode(iris.national_snapshot(day))
        return {(iris.key(q.subject.value), iris.key(q.object.value)) for q in store.quads_for_pattern(None, sub, None, graph)}

    assert national("2020-01-01") == {("시험비서실", "대통령"), ("시험처", "국무총리"), ("시험부", "대통령"),
                                      ("다른부", "대통령"), ("시험청", "시험부")}
    assert ("시험청", "새이름부") in national("2022-01-01") and ("새로운부", "대통령") not in national("2022-01-01")
    head = org("대통령")
    assert Quad(head, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                NamedNode(iris.term("ExecutiveHead"))) in store
    placement = NamedNode(iris.placement("시험청", "2021-01-01"))
    assert Quad(placement, NamedNode(iris.term("placedUnder")), org("새로운부")) in store
    # the ministry's own snapshot is a part of the national one in force
    parts = {q.object.value for q in store.quads_for_pattern(NamedNode(iris.national_snapshot("2021-01-01")),
                                                              NamedNode("http://purl.org/dc/terms/hasPart"), None)}
    assert iris.snapshot("시험부", "2020-01-01") in parts


def test_the_act_alone_loads_its_record_standing_in_for_the_decree_bodies(out):
    cur = load(ROOT / "data/curated", out / "정부조직법")
    assert cur.orgs["시험청"].rank == "agency" and not cur.orgs["시험청"].snapshots
    both = load(ROOT / "data/curated", out)
    assert both.orgs["시험청"].snapshots   # the 직제's record wins where its folder is loaded


@pytest.mark.parametrize("placement, problem", [
    ("{body: 시험부, under: 대통령, law: 시험법, from: 2020-01-01, sources: [정부조직법/law-100]}", "exactly one of"),
    ("{body: 없는부, under: 대통령, from: 2020-01-01, sources: [정부조직법/law-100]}", "no government body"),
    ("{body: 시험부, under: 대통령, from: 2020-01-01, until: 2019-01-01, sources: [정부조직법/law-100]}",
     "ends before it begins"),
    ("{body: 시험청, under: 시험부, from: 2020-01-01, sources: [정부조직법/law-100]}\n"
     "  - {body: 시험청, under: 대통령, from: 2020-06-01, sources: [정부조직법/law-100]}", "overlaps"),
])
def test_a_bad_placement_is_refused_with_its_place(out, tmp_path, placement, problem):
    import shutil

    data = tmp_path / "derived"
    shutil.copytree(out, data)
    path = data / "정부조직법" / "government.yaml"
    text = path.read_text(encoding="utf-8")
    head, _, _ = text.partition("  placements:\n")
    path.write_text(head + "  placements:\n  - " + placement + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load(ROOT / "data/curated", data)
    assert problem in str(err.value) and "government.yaml" in str(err.value)


def test_import_of_the_act_alone_from_the_command_line(checkout, out, tmp_path, capsys):
    assert main(["import-law", str(checkout), "--body", "정부조직법", "--out", str(out)]) == 0
    assert "placements" in capsys.readouterr().out
    assert main(["import-law", str(tmp_path), "--body", "정부조직법", "--out", str(tmp_path / "x")]) == 2
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("block, found, doubtful, lesser, split", [
    # the new name most often put for an old one is its successor; two old names with one successor merge
    ('제1조 중 "갑부장관"을 "병부장관"으로 한다. 제2조 중 "을부장관"을 "병부장관"으로 하고, "갑부령"을 "병부령"으로 한다.',
     {"병부": [("갑부", 2), ("을부", 1)]}, [], {}, {}),
    # a tie leaves the successor in doubt: nothing is recorded for that body
    ('"갑부장관"을 "병부장관"으로 한다. "갑부장관"을 "정부장관"으로 한다.', {}, ["갑부: 정부 (1), 병부 (1)"], {}, {}),
    # an old name put less often for another new one that succeeds no other body: a split
    ('"갑부장관"을 "병부장관"으로 한다. "갑부령"을 "병부령"으로 한다. "갑부장관"을 "정부장관"으로 한다.',
     {"병부": [("갑부", 2)]}, [], {"갑부": [("정부", 1)]}, {"갑부": [("정부", 1)]}),
    # … but not when that new body succeeds another one: more than a split, left unrecorded
    ('"갑부장관"을 "병부장관"으로 한다. "갑부령"을 "병부령"으로 한다. "갑부장관"을 "정부장관"으로 한다. '
     '"을부장관"을 "정부장관"으로 한다. "을부령"을 "정부령"으로 한다.',
     {"병부": [("갑부", 2)], "정부": [("을부", 2)]}, [], {"갑부": [("정부", 1)]}, {}),
    # names that neither go nor come that day are no succession
    ('"무관부장관"을 "병부장관"으로 한다.', {}, [], {}, {}),
])
def test_successions_from_the_부칙_replacements(block, found, doubtful, lesser, split):
    got, unsure, also = act_records.successions([block], {"갑부", "을부"}, {"병부", "정부"})
    assert dict(got) == found and unsure == doubtful and also == lesser
    assert act_records.splits(got, also) == split


def test_the_curated_data_with_the_real_act_builds_clean(tmp_path):
    """The committed records of the Act (data/derived/정부조직법), with the curated data: the whole
    pipeline, SHACL (0 violations) and HermiT (consistent), as `govkg build` runs it."""
    import dataclasses

    from govkg.pipeline import Progress, build

    from .conftest import project_paths

    paths = dataclasses.replace(project_paths(tmp_path / "build", cache=tmp_path / "cache"),
                                derived=ROOT / "data/derived/정부조직법")
    build(paths, Iris(), Progress(None))   # raises DataNotConforming on a violation or an inconsistency
    assert (tmp_path / "build" / "govkg.nq").read_text(encoding="utf-8").count("/graph/national/") > 78


@pytest.mark.parametrize("placed, rank", [
    (act.Placed("질병관리본부", "보건복지부", None), "agency"),       # under a minister: not a 부 for its …본부
    (act.Placed("중앙기상대", "과학기술처", None), "agency"),         # under the head of a 처
    (act.Placed("시험원", act.PRESIDENT, None, ministry=True), "ministry"),  # listed among the 행정각부
    (act.Placed("법제처", act.PRIME_MINISTER, None), "ministry-level-agency"),
    (act.Placed("국무조정실", act.PRIME_MINISTER, None), "central-body"),     # no rank stated anywhere
    (act.Placed("공정거래위원회", None, None, "독점규제 및 공정거래에 관한 법률"), "commission"),
])
def test_a_body_s_rank_comes_from_where_the_act_sets_it_up(placed, rank):
    assert act.kind(placed) == rank
