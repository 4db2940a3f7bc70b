"""Finding a parent by name in one day's org chart (``orgchart.OrgChart``), on invented units."""

from __future__ import annotations

from types import SimpleNamespace

from govkg.lawimport.orgchart import OrgChart, Unit


def _chart(*paths: tuple[str, ...]) -> OrgChart:
    chart = OrgChart("2020-01-01", ())
    for path in paths:
        chart.units[path] = Unit(path, "bureau")
    return chart


def test_a_list_of_parents_names_each_and_no_single_one():
    chart = _chart(("가국",), ("나국",), ("다국",))
    assert chart.find("가국ㆍ나국 및 다국") is None   # once the last one: a unit set up in each went under 다국 alone
    assert chart.find_each("가국ㆍ나국 및 다국") == [("가국",), ("나국",), ("다국",)]
    assert chart.find_each("가국, 나국 및 다국") == [("가국",), ("나국",), ("다국",)]
    assert chart.parents("가국, 나국 및 다국") == chart.find_each("가국, 나국 및 다국")
    assert chart.parents("나국") == [("나국",)]


def test_a_list_is_read_only_when_every_parent_in_it_is_found():
    assert _chart(("가국",), ("나국",)).find_each("가국 및 라국") == []


def test_a_name_written_with_a_middle_dot_is_no_list():
    chart = _chart(("원자력",), ("비확산외교기획관",))  # the halves of a name misread as two units
    assert chart.find_each("원자력ㆍ비확산외교기획관") == []


def test_a_qualified_name_still_finds_the_unit_inside():
    chart = _chart(("가실",), ("가실", "나과"))
    assert chart.find("가실 나과") == ("가실", "나과")


def test_units_one_clause_set_up_in_each_parent_are_held_together():
    version = SimpleNamespace(commit="v1")
    chart = _chart(("가국",), ("나국",), ("다국",))
    for parent in ("가국", "나국"):
        chart.units[(parent, "기획과")] = Unit((parent, "기획과"), "division", listings=[("v1", "3", 2, 0)])
    chart.units[("다국", "기획과")] = Unit(("다국", "기획과"), "division", listings=[("v1", "4", 1, 0)])
    assert chart.set_up_together("기획과", version, "3") == [("가국", "기획과"), ("나국", "기획과")]
    assert chart.set_up_together("기획과", version, "4") == []   # one 기획과 there: find() names it
    assert chart.set_up_together("기획과", version, "5") == []   # no clause of that article set them up
