"""Finding a parent by name in one day's org chart (``orgchart.OrgChart``), on invented units."""

from __future__ import annotations

from types import SimpleNamespace

from govkg.lawimport.orgchart import HOLDER_IN_TABLE, HOLDER_UNDER_TABLE, OrgChart, Unit, _in_tables, _place_units, _unplaced
from govkg.lawimport.units import BODY, Context, Declared


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


def _placed(*declared) -> list[tuple[str, ...]]:
    """The paths of the 다과 units the readings' declarations give, on a chart with an office, a
    …관 post in it and a bureau in it."""
    chart = OrgChart("2020-01-01", ())
    for path, rank in ((("가실",), "office"), (("가실", "나정책관"), "director-general-post"), (("가실", "라국"), "bureau")):
        chart.units[path] = Unit(path, rank)
    readings = [SimpleNamespace(version=SimpleNamespace(commit=f"v{i}"), units=[(d, BODY)], aliases={})
                for i, d in enumerate(declared)]
    _place_units(chart, readings, "시험부")
    return sorted(p for p in chart.units if p[-1] == "다과")


def test_a_division_set_up_in_an_office_and_in_its_post_is_one_unit_under_the_post():
    in_office = Declared("다과", "division", "가실", "9", 2)
    under_post = Declared("다과", "division", "가실 나정책관", "45", 1)
    assert _placed(in_office, under_post) == [("가실", "나정책관", "다과")]
    assert _placed(under_post, in_office) == [("가실", "나정책관", "다과")]


def test_a_division_of_the_same_name_in_a_bureau_of_the_office_is_another_unit():
    assert _placed(Declared("다과", "division", "가실", "9", 2), Declared("다과", "division", "가실 라국", "10", 1)) == [
        ("가실", "다과"), ("가실", "라국", "다과")]


def test_units_under_a_unit_only_a_table_names_are_told_apart_from_misreadings():
    left = [(None, Declared(name, "division", parent, "11", 3), BODY)
            for name, parent in (("감시국", "부산시험소"), ("물류과", "감시국"), ("가과", "나국"))]
    lost = _in_tables(left, {"시험소"})   # "시험소의 명칭 및 위치는 별표 1과 같다": 부산시험소 is in the 별표
    assert lost == {"감시국", "물류과"}   # 가과's parent 나국 is simply not found: a misreading, reported as such
    chart = OrgChart("2020-01-01", (), in_tables=lost)
    ctx = Context("시험부", "감시국", "부산시험소")
    assert _unplaced(chart, "물류과장", ctx, False) == HOLDER_UNDER_TABLE
    assert _unplaced(chart, "국장", ctx, False) == HOLDER_UNDER_TABLE  # the 국 the article is about
    assert _unplaced(chart, "가과장", ctx, True) == HOLDER_IN_TABLE
    assert _unplaced(chart, "가과장", ctx, False) is None


def test_a_name_is_found_whichever_middle_dot_the_law_writes():
    chart = _chart(("출입국ㆍ시험정책본부",))
    assert chart.find("출입국·시험정책본부") == ("출입국ㆍ시험정책본부",)
