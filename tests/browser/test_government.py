"""The whole government in a real browser, on the small national build: from the home page's date
form to the national chart of that day, then to a body and its own chart. Accessible, no console
errors, in English with Korean names tagged."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..serving import national_served  # noqa: F401  (the fixture)
from .test_browser import accessible, chromium
from .test_finder import shot


@pytest.fixture(scope="module")
def page(national_served, tmp_path_factory):  # noqa: F811
    with chromium(tmp_path_factory) as context:
        tab = context.new_page()
        errors: list[str] = []
        tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        tab.on("pageerror", lambda error: errors.append(str(error)))
        yield tab
        assert errors == []


def test_from_the_home_page_to_the_government_of_a_day_and_a_body(page, national_served):  # noqa: F811
    page.goto(national_served.url + "/")
    expect(page.get_by_role("heading", name=re.compile(r"^ministry \(\d+\)$", re.I))).to_be_visible()
    accessible(page)
    page.fill("#gov-date", "2020-10-01")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile("/government/2020-10-01$"))
    expect(page.locator("h1")).to_have_text("The government as of 2020-10-01")
    charts = page.locator("svg.orgchart")
    expect(charts).to_have_count(2)
    expect(charts.first).to_contain_text("행정안전부")
    expect(charts.first).to_contain_text("경찰청")
    accessible(page)
    shot(page, "government")
    charts.first.get_by_role("link", name="경찰청", exact=True).click()
    expect(page.locator("h1 [lang=ko]")).to_have_text("경찰청")
    expect(page.get_by_role("heading", name=re.compile("Place in the government"))).to_be_visible()
    accessible(page)
    page.go_back()
    page.get_by_role("link", name=re.compile("^org chart of 20")).first.click()
    expect(page).to_have_url(re.compile("/orgchart/.+/20"))
    expect(page.locator("svg.orgchart")).to_contain_text("디지털정부국")
