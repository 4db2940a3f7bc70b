"""The interface language of a request, and the message catalog (govkg.i18n)."""

from __future__ import annotations

import re
import string

import pytest

from govkg import i18n
from govkg.i18n.catalog import MESSAGES


@pytest.mark.parametrize("accept, cookie, expected", [
    (None, None, "ko"),                                   # no header: the language of the data
    ("", None, "ko"),
    ("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", None, "ko"),  # a Korean browser
    ("en-US,en;q=0.9", None, "en"),
    ("en-US,en;q=0.9,ko;q=0.8", None, "en"),
    ("en;q=0.5, ko;q=0.8", None, "ko"),                   # q-values weigh, not order
    ("ko, en", None, "ko"),                               # equal q: the first
    ("de-DE,de;q=0.9", None, "en"),                       # neither: English for a foreign reader
    ("*", None, "ko"),
    ("ko;q=0, en", None, "en"),                           # q=0 refuses
    ("ko;q=abc, en;q=0.1", None, "en"),                   # an unreadable q refuses too
    ("en-US,en;q=0.9", "lang=ko", "ko"),                  # the switch remembered wins
    ("ko-KR", "theme=dark; lang=en", "en"),
    ("ko-KR", "lang=fr", "ko"),                           # a language we do not offer is ignored
    ("ko-KR", "lang=en\x00", "ko"),
])
def test_choose(accept, cookie, expected):
    assert i18n.choose(accept, cookie) == expected


def test_cookie_is_site_wide_and_lasts():
    value = i18n.cookie("en")
    assert value.startswith("lang=en;") and "Path=/" in value and "Max-Age=31536000" in value and "SameSite=Lax" in value


def test_every_message_in_both_languages_with_the_same_fields():
    fields = lambda text: sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)  # noqa: E731
    for key, by_lang in MESSAGES.items():
        assert set(by_lang) == set(i18n.LANGS), key
        assert all(text.strip() for text in by_lang.values()), key
        assert fields(by_lang["ko"]) == fields(by_lang["en"]), key


def test_korean_messages_are_korean():
    """Every Korean message that is not a name or a symbol holds Hangul (nothing left in English)."""
    words = {key: re.sub(r"\{\w+\}", "", by_lang["ko"]) for key, by_lang in MESSAGES.items()}  # fields apart
    untranslated = [key for key, text in words.items()
                    if re.search(r"[A-Za-z]{4,}", text) and not re.search(r"[가-힣]", text)
                    and text not in ("SPARQL", "English")]
    assert untranslated == []


def test_text_fills_fields():
    assert i18n.text("en", "count.units", n=3) == "3 units"
    assert i18n.Messages("ko")("count.units", n=3) == "부서 3개"


def test_english_messages_hold_no_hangul():
    """Korean in an English message would be text in the wrong language for its element."""
    # the switch's text is the name of the other language, written in it (and tagged so)
    assert [key for key, by_lang in MESSAGES.items() if re.search(r"[가-힣]", by_lang["en"])] == ["lang.switch"]


def test_html_escapes_the_message_and_keeps_the_fragments():
    from markupsafe import Markup
    assert i18n.html("en", "search.title.q", q=Markup('<span lang="ko">예산</span>')) == \
        'Search results for “<span lang="ko">예산</span>”'
    assert i18n.html("en", "search.title.q", q="<b>") == "Search results for “&lt;b&gt;”"  # text is escaped
