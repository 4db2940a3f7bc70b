"""Rank from the law's structure, not the name's ending (issue 9, class 1), on an invented
ministry (tests/fixtures/lawimport/cases/rank): the law that sets a unit up, the units listed
with it and its head's grade decide; the parse report lists each unit so placed."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkg.lawimport.units import head_grades

from .lawrepo import derived_orgs, imported, section


@pytest.fixture(scope="module")
def derived(tmp_path_factory) -> Path:
    return imported("rank", "서열부와그소속기관직제", "서열부", tmp_path_factory)


@pytest.mark.parametrize("key, rank, rule", [
    # only the rule sets it up, beside two divisions: a division, whatever its name says
    ("서열부/안전상황실", "division", "rank from the law that sets it up"),
    # the decree lists it with divisions only, and gives its head no grade
    ("서열부/점검상황실", "division", "rank from the units listed with it"),
])
def test_structure_wins_over_the_name(derived, key, rank, rule):
    assert derived_orgs(derived)[key]["rank"] == rank
    report = (derived / "parse-report.md").read_text(encoding="utf-8")
    name = key.rsplit("/", 1)[1]
    assert any(rule in line and f"{name}: {rank}, not office" in line for line in report.splitlines()), name


@pytest.mark.parametrize("key, rank", [
    ("서열부/안전정책관", "director-general-post"),  # counted by the decree, named by the rule
    ("서열부/특별점검관", "director-general-post"),  # set up by the rule, but its holder is senior
    ("서열부/운영지원과", "division"),                     # the decree may set up a division beside bureaus
    ("서열부/안전국", "bureau"),                          # and the bureaus listed with it stay bureaus
    ("서열부/점검국", "bureau"),
])
def test_the_name_stands_where_the_structure_agrees(derived, key, rank):
    assert derived_orgs(derived)[key]["rank"] == rank


def test_the_report_counts_each_rule(derived):
    report = (derived / "parse-report.md").read_text(encoding="utf-8")
    rows = {line.split(" | ")[1]: line.rsplit(" | ", 1)[1].rstrip(" |") for line in report.splitlines()
            if line.startswith("| 1 rank |")}
    assert rows == {"units whose rank the head's grade gives, not the name's ending": "0",
                    "units of division level because only the rule sets them up, not the name's ending": "1",
                    "units of division level because the units listed with them are, not the name's ending": "1"}
    assert not [e for e in section(derived, "events.yaml", "events") if e["type"] == "rank-change"]


def test_a_post_is_its_own_head():
    assert head_grades("가정책관은 고위공무원단에 속하는 일반직공무원으로 보한다.") == [("가정책관", False)]
    assert head_grades("가담당관 및 나과장은 서기관으로 보한다.") == [("가담당관", True), ("나과", True)]
    assert head_grades("장관은 정무직으로 보한다.") == []
