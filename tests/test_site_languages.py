"""The static site carries every page in Korean (X.html) and English (X.en.html), each linking to
the other, and the host rules pick one by the lang cookie or Accept-Language."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("page", ["index", "orgchart", "sparql", "id/org/행정안전부/디지털정부국", "def/Bureau"])
def test_every_page_in_both_languages(built, page):
    site = built / "site"
    ko, en = (site / f"{page}.html").read_text(encoding="utf-8"), (site / f"{page}.en.html").read_text(encoding="utf-8")
    assert '<html lang="ko">' in ko and '<html lang="en">' in en
    name = page.rsplit("/", 1)[-1]
    assert re.search(rf'<a href="{re.escape(name)}\.en\.html" hreflang="en" lang="en">English</a>', ko)
    assert re.search(rf'<a href="{re.escape(name)}\.html" hreflang="ko" lang="ko">한국어</a>', en)
    assert "검색" not in ko.split("<main", 1)[0]  # a static host cannot search: no search in the banner


def test_host_rules_choose_the_language(built):
    nginx = (built / "site/nginx.conf").read_text(encoding="utf-8")
    assert "$cookie_lang" in nginx and "$uri$govkg_lang.$govkg_suffix" in nginx
    htaccess = (built / "site/.htaccess").read_text(encoding="utf-8")
    assert "lang=en" in htaccess and "%{ENV:GOVKG_LANG}.html" in htaccess
