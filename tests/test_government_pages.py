"""The whole government on the web: the home page's bodies by kind and date, the national org chart
as of a date (server and static site, Korean and English), and body pages for bodies of every
kind, on a small national build (the curated data and the Government Organization Act's records)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import yaml
from pyoxigraph import RdfFormat, Store

from govkg.iris import Iris
from govkg.web import government
from govkg.web.model import Model

from .conftest import ACT
from .serving import national_served  # noqa: F401  (the fixture)

EN = {"Accept-Language": "en"}
HTML = "text/html"


@pytest.fixture(scope="module")
def model(national_built) -> Model:
    store = Store()
    store.bulk_load(path=str(national_built / "govkg.nq"), format=RdfFormat.N_QUADS)
    return Model.from_build(store, national_built, Iris())


@pytest.fixture(scope="module")
def act() -> dict:
    """The Act's records as the importer wrote them: the dates and placements the pages must show."""
    return yaml.safe_load((ACT / "government.yaml").read_text(encoding="utf-8"))["government"]


def _org(key: str) -> str:
    return Iris().org(key)


def _in_force(placements: list[dict], day: str) -> list[dict]:
    return [p for p in placements if str(p["from"]) <= day and ("until" not in p or day <= str(p["until"]))]


# --- the model ------------------------------------------------------------------------------

def test_every_national_snapshot_and_placement_is_read(model, act):
    gov = government.of(model)
    assert [n.date for n in gov.snapshots] == [str(d) for d in act["snapshots"]]
    read = sorted((p.body, p.start) for found in gov.placements.values() for p in found)
    assert read == sorted((_org(p["body"]), str(p["from"])) for p in act["placements"])
    for a, b in zip(gov.snapshots, gov.snapshots[1:]):
        assert a.until == b.date
    assert gov.at("1948-07-16") is None
    assert gov.at("2020-04-28").date == max(str(d) for d in act["snapshots"] if str(d) <= "2020-04-28")


@pytest.mark.parametrize("day", ["1948-07-17", "1990-12-27", "2017-07-26", "2020-09-12"])
def test_a_national_chart_holds_what_the_act_then_states(model, act, day):
    gov = government.of(model)
    chart = gov.chart(gov.at(day))
    placed = _in_force(act["placements"], day)
    under = {(_org(p["body"]), _org(p["under"])) for p in placed if "under" in p}
    assert {(k, parent) for parent, kids in chart.children.items() for k in kids} == under
    assert {b for b, _ in chart.by_law} == {_org(p["body"]) for p in placed if "law" in p}
    assert _org("대통령") in chart.roots and all(gov.kinds[r] == "ExecutiveHead" for r in chart.roots)
    assert chart.roots[0] == _org("대통령")  # the President first, then the Prime Minister


def test_bodies_by_kind_in_the_order_of_the_ranks_current_first(model, act):
    groups = government.of(model).bodies_by_kind()
    kinds = [k for k, _ in groups]
    assert kinds == sorted(kinds, key=government.BODY_KINDS.index)
    assert {"ExecutiveHead", "Ministry", "MinistryLevelAgency", "Agency", "Commission", "CentralBody"} <= set(kinds)
    listed = {line.body for _, lines in groups for line in lines}
    assert {_org(p["body"]) for p in act["placements"]} <= listed
    assert set(model.snapshots) <= listed
    for _, lines in groups:
        ended = [line.end is not None for line in lines]
        assert ended == sorted(ended)


# --- the server -----------------------------------------------------------------------------

def test_home_lists_every_kind_with_dates_and_the_way_to_a_date(national_served):  # noqa: F811
    status, _, body = national_served.get("/", HTML, headers=EN)
    html = body.decode()
    assert status == 200
    for kind in ("executive head", "ministry", "ministry-level agency", "agency", "commission"):
        assert re.search(rf"<h3>{kind} \(\d+\)</h3>", html, re.IGNORECASE), kind
    assert 'action="government"' in html and 'name="date"' in html
    # a body of the Act with no 직제 in this build: listed with its dates and its places in the Act
    found = re.search(r'<li><a href="id/org/%EB%82%B4%EB%AC%B4%EB%B6%80"><span lang="ko">내무부</span></a>(.*?)</li>', html, re.S)
    assert found and '<time datetime="1948-07-17">' in found.group(1) and 'href="government/1948-07-17"' in found.group(1)


def test_the_date_form_goes_to_the_national_chart(national_served):  # noqa: F811
    status, headers, _ = national_served.get("/government?date=2018-01-01", HTML)
    assert status == 303 and headers["Location"] == "/government/2018-01-01"
    status, _, body = national_served.get("/government?date=2018-13-01", HTML)
    assert status == 400
    status, _, body = national_served.get("/government/2018-01-01", HTML, headers=EN)
    html = body.decode()
    assert status == 200 and '<time datetime="2017-07-26">2017-07-26</time>' in html  # the state then in force


def test_the_national_chart_links_every_body_and_its_own_chart(national_served, act):  # noqa: F811
    day = "2020-09-12"
    status, _, body = national_served.get(f"/government/{day}", HTML, headers=EN)
    html = body.decode()
    assert status == 200 and '<html lang="en">' in html
    assert html.count("<svg") == 2  # the President's and the Prime Minister's
    for p in _in_force(act["placements"], day):
        assert f'href="../id/org/{quote(p["body"])}"' in html, p["body"]
    assert f'href="../orgchart/{quote("행정안전부")}/2020-04-28"' in html  # MOIS's own chart: the one then in force
    assert "Set up by their own laws" in html and '<span lang="ko">독점규제 및 공정거래에 관한 법률</span>' in html
    status, _, ko = national_served.get(f"/government/{day}", HTML)
    assert '<html lang="ko">' in ko.decode() and "소속 기관" in ko.decode()


def test_index_of_dates_and_no_chart_before_the_act(national_served, act):  # noqa: F811
    status, _, body = national_served.get("/government", HTML, headers=EN)
    html = body.decode()
    assert status == 200
    assert all(f'href="government/{d}"' in html for d in act["snapshots"])
    status, _, body = national_served.get("/government/1900-01-01", HTML, headers=EN)
    assert status == 200 and 'role="alert"' in body.decode()
    assert national_served.get("/government/9999-99-99", HTML)[0] == 404


def test_the_national_graph_is_a_page_and_data(national_served):  # noqa: F811
    status, _, body = national_served.get("/graph/national/2017-07-26", HTML, headers=EN)
    assert status == 200 and "The government as of 2017-07-26" in body.decode()
    status, _, body = national_served.get("/graph/national/2017-07-26", "text/turtle")
    assert status == 200 and b"NationalSnapshot" in body


@pytest.mark.parametrize("key", ["경찰청", "공정거래위원회", "법제처", "안전행정부", "대통령", "행정안전부"])
def test_any_body_has_a_page_with_its_places_in_the_act(national_served, act, key):  # noqa: F811
    status, _, body = national_served.get(f"/id/org/{key}", HTML, headers=EN)
    html = body.decode()
    assert status == 200, key
    mine = [p for p in act["placements"] if p["body"] == key]
    assert html.count('href="../../government/') >= len(mine)
    for p in mine:
        assert f'<time datetime="{p["from"]}">' in html


def test_a_body_with_units_has_its_org_chart(national_served):  # noqa: F811
    status, _, body = national_served.get("/orgchart/행정안전부/2020-04-28", HTML, headers=EN)
    assert status == 200 and "<svg" in body.decode()


# --- the static site ------------------------------------------------------------------------

def test_the_site_writes_every_national_page_in_both_languages(national_built: Path, act):
    site = national_built / "site"
    for name in ["government", *(f"government/{d}" for d in act["snapshots"])]:
        ko = (site / f"{name}.html").read_text(encoding="utf-8")
        en = (site / f"{name}.en.html").read_text(encoding="utf-8")
        assert '<html lang="ko">' in ko and '<html lang="en">' in en, name
    chart = (site / "government/2017-07-26.html").read_text(encoding="utf-8")
    assert 'data-snapshots="1948-07-17 ' in chart  # the script sends the form to the state in force
    assert 'href="../id/org/%EA%B2%BD%EC%B0%B0%EC%B2%AD"' in chart  # 경찰청, relative to the page
    assert (site / "graph/national/2017-07-26.html").is_file()


@pytest.mark.parametrize("page", ["index.en.html", "government.html", "government/2017-07-26.en.html",
                                  "id/org/경찰청.en.html", "orgchart.html"])
def test_the_sites_national_links_lead_to_files(national_built: Path, page):
    site = national_built / "site"
    html = (site / page).read_text(encoding="utf-8")
    folder = (site / page).parent
    for href in set(re.findall(r'href="((?:\.\./)*(?:government|id/org|orgchart)[^"#?.]*)"', html)):  # the pages
        target = (folder / unquote(href)).resolve()
        assert any(Path(f"{target}{suffix}").is_file() for suffix in (".html", "")), (page, href)


def test_a_body_chart_leads_to_the_whole_government_of_its_day(national_served):  # noqa: F811
    status, _, body = national_served.get("/orgchart/행정안전부/2020-05-01", HTML, headers=EN)
    assert status == 200 and '<a href="../../government/2018-06-08">The whole government as of 2020-05-01</a>' in body.decode()
