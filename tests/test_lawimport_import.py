"""``govkg import-law`` on an invented ministry's checkout, one check per pattern and oddity; the
derived files merged with curated ones through load, transform, reasoning and validation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from govkg.cli import main
from govkg.iris import Iris
from govkg.lawimport.importer import import_folder
from govkg.load import load
from govkg.pipeline import Paths, Progress, build

from .conftest import ROOT
from .lawrepo import CASES, build_checkout, derived_orgs, section

FOLDER = "시험부와그소속기관직제"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    return build_checkout(CASES / "ministry", tmp_path_factory.mktemp("checkout"))


@pytest.fixture(scope="module")
def derived(checkout, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("derived")
    import_folder(checkout, FOLDER, out, None)
    return out / "시험부"


def _events(folder: Path) -> list[dict]:
    return section(folder, "events.yaml", "events")


def _duties(folder: Path, holder: str) -> dict[str, dict]:
    return {d["text"]: d for d in section(folder, "duties.yaml", "duty_history") if d["holder"] == holder}


def _report(folder: Path) -> str:
    return (folder / "parse-report.md").read_text(encoding="utf-8")


def test_versions_are_dated_by_front_matter_not_commits(derived):
    # commits dated 1970-01-01 and committed out of order
    body = derived_orgs(derived)["시험부"]
    assert str(body["attested"]["from"]) == "2020-01-01" and str(body["began"]) == "2020-01-01"
    assert [str(d) for d in body["snapshots"]] == ["2020-01-01", "2020-06-01", "2020-09-01"]


def test_units_ranks_and_parents(derived):
    units = derived_orgs(derived)
    expected = {
        "시험부/운영지원과": ("division", "시험부"), "시험부/가나실": ("office", "시험부"),
        "시험부/다라국": ("bureau", "시험부"), "시험부/대변인": ("director-general-post", "시험부"),
        "시험부/감사관": ("director-general-post", "시험부"), "시험부/가나정책관": ("director-general-post", "시험부/가나실"),
        "시험부/가과": ("division", "시험부/가나실"), "시험부/홍보담당관": ("officer-division", "시험부/대변인"),
        "시험부/시험연구원": ("affiliated-agency", "시험부"),
        "시험부/시험연구원/기획부": ("agency-department", "시험부/시험연구원"),
    }
    for key, (rank, parent) in expected.items():
        assert units[key]["rank"] == rank and units[key]["parent"] == parent, key
    assert units["시험부/시험연구원/기획부"]["body"] == "시험부/시험연구원"


def test_names_listed_only_in_a_table_are_reported(derived):
    assert "unit names only in a 별표 (table)" in _report(derived)
    assert not [k for k in derived_orgs(derived) if k.endswith("분원")]


def test_move_keeps_the_key(derived):
    unit = derived_orgs(derived)["시험부/라과"]
    assert [(p["unit"], str(p["from"])) for p in unit["parent"]] == [("시험부/다라국", "2020-01-01"),
                                                                      ("시험부/가나실", "2020-06-01")]
    move = next(e for e in _events(derived) if e["type"] == "move")
    assert move["status"] == "stated" and "개정" in move["note"]


def test_renaming_is_inferred_from_the_duties(derived):
    renaming = next(e for e in _events(derived) if e["type"] == "renaming" and str(e["date"]) == "2020-06-01")
    assert (renaming["from"], renaming["to"], renaming["status"]) == (["시험부/가과"], ["시험부/마과"], "inferred")


def test_deleted_paragraph_states_the_abolition(derived):
    abolition = next(e for e in _events(derived) if e["type"] == "abolition")
    assert abolition["from"] == ["시험부/나과"] and abolition["status"] == "stated" and "삭제" in abolition["note"]
    assert str(derived_orgs(derived)["시험부/나과"]["ended"]) == "2020-06-01"


def test_new_paragraph_states_the_establishment(derived):
    establishment = next(e for e in _events(derived) if e["type"] == "establishment")
    assert establishment["to"] == ["시험부/바과"] and "신설" in establishment["note"]


def test_annotations_and_deleted_items_stay_out_of_duties(derived):
    duties = _duties(derived, "시험부/마과")
    assert not [t for t in duties if "삭제" in t or "<" in t]
    added = _duties(derived, "시험부/라과")["라 사업 관계기관 협의회의 운영"]
    assert added["sources"] == ["시험부/rule-5 art2 par4 item2-2"]


def test_sub_items_belong_to_their_item(derived):
    assert "나 제도 관련 민원의 처리 가. 온라인 민원의 접수 나. 민원 처리 결과의 통보" in _duties(derived, "시험부/나과")


def test_duties_by_reference(derived):
    assert set(_duties(derived, "시험부/가나정책관")) == {"가나 분야 정책의 총괄ㆍ조정", "가나 분야 제도의 연구 및 개선"}


def test_duty_cites_first_and_last_version_of_a_run(derived):
    duty = _duties(derived, "시험부/다라국")["다라 사업 기본계획의 수립 및 시행"]
    assert duty["sources"] == ["시험부/dec-10001 art6 par2 item1", "시험부/dec-10051 art6 par2 item1"]


def test_equal_dates_take_the_higher_number(derived):
    assert "시험부/dec-10050 (대통령령 제10050호" in _report(derived)
    added = _duties(derived, "시험부/다라국")["다라 사업 관련 법령의 정비"]
    assert str(added["attested"]["from"]) == "2020-06-01"


def test_change_takes_effect_on_the_effective_date(derived):
    renaming = next(e for e in _events(derived) if e.get("to") == ["시험부/사아국"])
    assert str(renaming["date"]) == "2020-09-01" and renaming["framework"] == ["시험부/dec-10070"]


def test_broken_front_matter_is_reported_not_guessed(derived):
    report = _report(derived)
    assert "no front matter" in report and "front matter is not valid YAML" in report
    assert "version left out: no readable" in report


def test_abolition_by_another_law_ends_everything(derived):
    units = derived_orgs(derived)
    assert {str(u["ended"]) for u in units.values() if "ended" in u and str(u["attested"].get("until")) == "2020-12-31"} \
        == {"2021-01-01"}
    assert str(units["시험부"]["attested"]["until"]) == "2020-12-31"
    assert not [e for e in _events(derived) if str(e["date"]) == "2021-01-01"]


def test_sources_and_manifest(derived):
    refs = [v["ref"] for law in section(derived, "sources.yaml", "laws") for v in law["versions"]]
    assert refs == ["시험부/dec-10001", "시험부/dec-10050", "시험부/dec-10051", "시험부/dec-10070", "시험부/dec-10090",
                    "시험부/rule-1", "시험부/rule-5", "시험부/rule-1-20210101"]
    manifest = (derived / "manifest.json").read_text(encoding="utf-8")
    assert '"commit"' in manifest and '"in_timeline": false' in manifest


def test_output_is_deterministic(checkout, derived, tmp_path):
    import_folder(checkout, FOLDER, tmp_path, None)
    for path in derived.iterdir():
        assert (tmp_path / "시험부" / path.name).read_bytes() == path.read_bytes(), path.name


def test_curated_keys_are_reused(checkout, tmp_path):
    curated = tmp_path / "curated"
    curated.mkdir()
    (curated / "units.yaml").write_text(CURATED, encoding="utf-8")
    import_folder(checkout, FOLDER, tmp_path / "derived", curated)
    units = derived_orgs(tmp_path / "derived" / "시험부")
    assert units["시험부/가나실/가과"]["name"] == {"ko": "가과"} and "시험부/가과" not in units


CURATED = """\
laws:
  - id: "900002"
    title: 시험부와 그 소속기관 직제 시행규칙
    versions:
      - {ref: rule-1, kind: 시험부령, number: "1", promulgated: 2020-01-01, effective: 2020-01-01}
news:
  - {ref: news-1, title: 가과 소식, issued: "2020-03-01T09:00:00+09:00", publisher: 시험일보}
bodies:
  - key: 시험부
    rank: ministry
    name: {ko: 시험부}
    attested: {from: 2020-03-01}
    snapshots: [2020-03-01]
    sources: [rule-1]
units:
  - key: 시험부/가나실/가과
    rank: division
    name: {ko: 가과}
    body: 시험부
    parent: 시험부/가나실
    attested: {from: 2020-03-01}
    sources: [rule-1 art2 par1, news-1]
  - key: 시험부/가나실
    rank: office
    name: {ko: 가나실}
    body: 시험부
    parent: 시험부
    attested: {from: 2020-03-01}
    sources: [news-1]
duties:
  - holder: 시험부/가나실/가과
    source: rule-1 art2 par2
    attested: {from: 2020-03-01}
    items:
      1: 가 업무 연간 계획의 수립 및 시행
events:
  - key: 가과-마과
    type: renaming
    date: 2020-06-01
    from: [시험부/가나실/가과]
    to: [시험부/마과]
    status: reported
    sources: [news-1]
"""


@pytest.fixture(scope="module")
def merged(checkout, tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("data")
    (data / "curated").mkdir()
    (data / "curated" / "units.yaml").write_text(CURATED, encoding="utf-8")
    import_folder(checkout, FOLDER, data / "derived", data / "curated")
    return data


def test_curated_wins_and_both_stay_cited(merged):
    cur = load(merged / "curated", merged / "derived")
    unit = cur.orgs["시험부/가나실/가과"]
    assert unit.attested_from == "2020-01-01" and unit.attested_until == "2020-05-31"
    assert {r.ref for r in unit.sources} >= {"news-1", "rule-1"}
    body = cur.orgs["시험부"]
    assert body.snapshots == ("2020-01-01", "2020-06-01", "2020-09-01")  # 2020-03-01 has no event
    renamings = [e for e in cur.events if e.date == "2020-06-01" and e.type == "renaming"]
    assert [(e.key, e.status) for e in renamings] == [("가과-마과", "reported")]
    duty = [b for b in cur.duties if b.holder == "시험부/가나실/가과" and b.items[0][1] == "가 업무 연간 계획의 수립 및 시행"]
    assert min(b.attested_from for b in duty) == "2020-01-01" and max(b.attested_until for b in duty) == "2020-05-31"


def test_curated_and_derived_build_and_validate(merged, tmp_path):
    queries = tmp_path / "queries"
    queries.mkdir()
    paths = Paths(merged / "curated", ROOT / "ontology/govkg.ttl", ROOT / "shapes", queries, tmp_path / "build", None,
                  merged / "derived")
    summary = build(paths, Iris(), Progress(None))
    assert summary["violations"] == 0
    assert any("snapshot/시험부/2020-09-01" in graph for graph in summary["graphs"])


def test_cli_refuses_a_folder_that_is_not_a_checkout(tmp_path, capsys):
    assert main(["import-law", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "not a legalize-kr checkout" in capsys.readouterr().err


def test_cli_refuses_an_unknown_body(checkout, tmp_path, capsys):
    assert main(["import-law", str(checkout), "--body", "없는부직제", "--out", str(tmp_path)]) == 2
    assert "no such law folder" in capsys.readouterr().err


def test_cli_writes_the_files(checkout, tmp_path, capsys):
    assert main(["import-law", str(checkout), "--body", FOLDER, "--out", str(tmp_path), "--data",
                 str(tmp_path / "none")]) == 0
    assert "unit-establishing paragraphs understood 20/20" in capsys.readouterr().out
    shutil.rmtree(tmp_path / "시험부")
