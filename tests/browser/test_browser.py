"""The pages in a real browser: Playwright drives Debian's chromium (installed by `make test`)
against a `govkg serve` process. No console errors, keyboard use, text alternatives."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from ..serving import served  # noqa: F401  (the fixture)

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

ACCESSIBILITY = """() => {
  const problems = [];
  if (!document.documentElement.lang) problems.push('html has no lang');
  if (document.querySelectorAll('main').length !== 1) problems.push('not one main');
  if (document.querySelectorAll('h1').length !== 1) problems.push('not one h1');
  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push('img without alt');
  for (const svg of document.querySelectorAll('svg')) {
    const title = svg.querySelector(':scope > title');
    if (!(title && title.textContent.trim()) && !svg.getAttribute('aria-label')) problems.push('svg without title');
    if (!svg.querySelector(':scope > desc')) problems.push('svg without desc');
  }
  for (const field of document.querySelectorAll('input, select, textarea')) {
    if (!(field.labels && field.labels.length) && !field.getAttribute('aria-label')) problems.push('unlabelled ' + field.name);
  }
  for (const a of document.querySelectorAll('a')) {
    if (!(a.textContent.trim() || a.getAttribute('aria-label'))) problems.push('link without text');
  }
  for (const el of document.querySelectorAll('body *')) {
    for (const node of el.childNodes) {
      // Korean text must sit in an element that states its language (ko, or the data's own tag), unless
      // the page itself is Korean
      if (node.nodeType === 3 && /[\\uac00-\\ud7a3]/.test(node.textContent) && el.closest('[lang]') === document.documentElement
          && !document.documentElement.lang.startsWith('ko')
          && !el.closest('textarea, code, script')) problems.push('Korean text without lang: ' + node.textContent.slice(0, 30));
    }
  }
  return problems;
}"""


@contextlib.contextmanager
def chromium(tmp_path_factory):
    """A headless Chromium context with its own profile, in English, 1280×900."""
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing: `make test` installs it (scripts/install-browser.sh)")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=FLAGS, locale="en-US", viewport={"width": 1280, "height": 900})
        yield context
        context.close()


@pytest.fixture(scope="module")
def browser(served, tmp_path_factory):  # noqa: F811
    with chromium(tmp_path_factory) as context:
        yield context


@pytest.fixture
def page(browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
    page.close()


def accessible(page) -> None:
    """Landmarks, one h1, labels, link text, text alternatives for pictures, lang on Korean text."""
    problems = page.evaluate(ACCESSIBILITY)
    assert problems == [], problems


def test_a_unit_page(page, served):  # noqa: F811
    page.goto(served.url + "/id/org/행정안전부/디지털정부국")
    expect(page.locator("h1 [lang=ko]")).to_have_text("디지털정부국")
    expect(page.locator("h1 [lang=en]")).to_have_text("Digital Government Bureau")
    expect(page.get_by_role("heading", name="Names over time")).to_be_visible()
    accessible(page)
    page.get_by_role("link", name=re.compile("전자정부국")).first.click()
    expect(page.locator("h1 [lang=ko]")).to_have_text("전자정부국")
    page.get_by_role("link", name="Turtle").click()  # a suffix link: the browser gets Turtle


def test_moving_the_date_on_the_org_chart(page, served):  # noqa: F811
    page.goto(served.url + "/orgchart/행정안전부")
    chart = page.locator("svg.orgchart")
    expect(chart).to_contain_text("디지털정부국")
    accessible(page)
    page.fill("#date", "2020-04-01")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile("/orgchart/.+/2020-04-01$"))
    expect(chart).to_contain_text("전자정부국")
    expect(chart).not_to_contain_text("디지털정부국")
    accessible(page)
    page.locator("svg.orgchart a", has_text="전자정부국").first.click()
    expect(page.locator("h1 [lang=ko]")).to_have_text("전자정부국")


def test_keyboard_reaches_the_date_and_submits(page, served):  # noqa: F811
    page.goto(served.url + "/orgchart/행정안전부/2020-04-28")
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    for _ in range(20):
        if page.evaluate("document.activeElement.id") == "date":
            break
        page.keyboard.press("Tab")
    expect(page.locator("#date")).to_be_focused()
    page.keyboard.type("04012020")  # month, day, year in the en-US date field
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/2020-04-01$"))
    expect(page.locator("svg.orgchart")).to_contain_text("전자정부국")


def test_comparing_two_dates(page, served):  # noqa: F811
    page.goto(served.url + "/orgchart/행정안전부/2020-05-01")
    page.get_by_role("link", name=re.compile("Compare with")).click()
    page.fill("#from", "2020-03-30")
    page.fill("#to", "2020-06-01")
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile("/compare/.+/2020-03-30/2020-06-01$"))
    renamed = page.locator("section", has=page.get_by_role("heading", name=re.compile("^Renamed")))
    expect(renamed).to_contain_text("전자정부국")
    expect(renamed).to_contain_text("디지털정부국")
    accessible(page)


def test_running_an_example_query_from_the_form(browser, served):  # noqa: F811
    """The plain form, as a browser without JavaScript has it (with JavaScript the editor replaces
    it): no script of the site is let through."""
    page = browser.new_page()
    page.route("**/*.js", lambda route: route.abort())
    page.goto(served.url + "/sparql")
    page.get_by_role("link", name="Load into the form").first.click()
    expect(page.locator("#query")).to_contain_text("SELECT ?snapshotDate")
    page.get_by_role("button", name="Run query").click()
    results = page.get_by_role("table", name="Query results")
    expect(results).to_be_visible()
    expect(results).to_contain_text("디지털정부국")
    assert results.locator("tbody tr").count() == 30
    accessible(page)
    page.close()
