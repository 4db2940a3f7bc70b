"""부칙 effective dates on single items (issue 9, class 5), on an invented ministry
(tests/fixtures/lawimport/cases/effective-items): items a 부칙 names one by one take effect on
their own day, the rest of their paragraph at once; a part of a provision (단서) is reported.
And a day only a 부칙 starts, after a later text came into force (cases/delayed-units): the
version whose 부칙 sets the day is the legal basis of that day's changes and of its snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.iris import Iris
from govkg.lawimport.articles import provisions_named
from govkg.pipeline import Paths, Progress, build
from govkg.rdfio import read_quads

from .conftest import ROOT
from .lawrepo import imported, section


@pytest.fixture(scope="module")
def derived(tmp_path_factory) -> Path:
    return imported("effective-items", "시행부와그소속기관직제", "시행부", tmp_path_factory)


@pytest.mark.parametrize("text, start, until, source", [
    ("시행 분야 기본계획의 수립", "2022-01-01", None, "시행부/dec-40001 art3 par2 item1"),         # unchanged
    ("시행 분야 예산의 편성", "2022-01-01", "2022-03-31", "시행부/dec-40001 art3 par2 item2"),    # named: in force till April
    ("시행 분야 예산의 편성 및 집행 관리", "2022-04-01", None, "시행부/dec-40005 art3 par2 item2"),
    ("시행 분야 통계의 작성", "2022-01-01", "2022-02-28", "시행부/dec-40001 art3 par2 item3"),    # not named: replaced at once
    ("시행 분야 통계의 작성 및 공개", "2022-03-01", None, "시행부/dec-40005 art3 par2 item3"),
    ("시행 분야 성과의 평가", "2022-03-01", None, "시행부/dec-40005 art3 par2 item4"),            # new, not named
    ("시행 분야 국제 협력", "2022-05-01", None, "시행부/dec-40005 art3 par2 item5"),              # new, named: from May
])
def test_each_named_item_takes_effect_on_its_own_day(derived, text, start, until, source):
    duty, = [d for d in section(derived, "duties.yaml", "duty_history") if d["text"] == text]
    assert str(duty["attested"]["from"]) == start and str(duty["attested"].get("until")) == str(until)
    assert source in duty["sources"]


def test_a_part_of_a_provision_is_reported_not_applied(derived):
    report = (derived / "parse-report.md").read_text(encoding="utf-8")
    unread = [line for line in report.splitlines() if "which day or which part cannot be told" in line and line.startswith("- ")]
    assert len(unread) == 1 and "제3조제1항 단서" in unread[0]
    assert "| 5 effective dates | 부칙 clauses that put provisions into effect on a later day, applied | 2 |" in report


@pytest.mark.parametrize("text, provisions", [
    ("제50조제2항ㆍ제7항", [("50", 2, None), ("50", 7, None)]),
    ("제3조제2항제5호ㆍ제6호 및 제4조", [("3", 2, "5"), ("3", 2, "6"), ("4", None, None)]),
    ("제3조제2항제5호부터 제7호까지", [("3", 2, "5"), ("3", 2, "6"), ("3", 2, "7")]),
    ("제5조제1항부터 제3항까지", [("5", 1, None), ("5", 2, None), ("5", 3, None)]),
    ("제6장의2(제48조의2부터 제48조의4까지)", [("48-2", None, None), ("48-3", None, None), ("48-4", None, None)]),
    ("제19조의2제8항제14호의2", [("19-2", 8, "14-2")]),
    ("제49조제1항 단서 및 행정안전부령 제149호 부칙 제2조", [("49", 1, None)]),  # another law's number, the addenda
    ("제46조 및 부칙 제3조제8항", [("46", None, None)]),             # a paragraph of the addenda is none of the text's
    ("「정부조직법」 제2조제3항 및 제5조제2항", [("5", 2, None)]),       # nor is one of another law
])
def test_the_provisions_a_clause_names(text, provisions):
    assert provisions_named(text) == provisions


@pytest.fixture(scope="module")
def delayed(tmp_path_factory) -> Path:
    return imported("delayed-units", "지연부와그소속기관직제", "지연부", tmp_path_factory)


def test_a_version_lists_the_later_days_its_addenda_set(delayed):
    versions = {v["ref"]: v for law in section(delayed, "sources.yaml", "laws") for v in law["versions"]}
    assert [str(d) for d in versions["지연부/dec-50005"]["later_effective"]] == ["2022-05-01"]
    assert "later_effective" not in versions["지연부/dec-50007"]


def test_a_delayed_establishment_rests_on_the_version_that_delays_it(delayed):
    event, = [e for e in section(delayed, "events.yaml", "events") if e["type"] == "establishment"]
    assert (str(event["date"]), event["to"]) == ("2022-05-01", ["지연부/평가국"])
    assert event["framework"] == ["지연부/dec-50005"]  # the April text in force sets nothing up in May


def test_the_delayed_day_builds_and_validates(delayed, tmp_path):
    curated, queries = tmp_path / "curated", tmp_path / "queries"
    curated.mkdir(), queries.mkdir()
    (curated / "units.yaml").write_text("units: []\n", encoding="utf-8")  # nothing curated
    paths = Paths(curated, ROOT / "ontology/govkg.ttl", ROOT / "shapes", queries, tmp_path / "build", None,
                  delayed.parent)
    assert build(paths, Iris(), Progress(None))["violations"] == 0
    may = "<https://w3id.org/govkg/graph/snapshot/지연부/2022-05-01>"
    derived_from = {q.object.value for q in read_quads(tmp_path / "build" / "govkg.nq")
                    if str(q.subject) == may and q.predicate.value.endswith("wasDerivedFrom")}
    assert any(iri.endswith("/50005") for iri in derived_from), derived_from
