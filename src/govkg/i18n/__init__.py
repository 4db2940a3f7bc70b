"""The interface in Korean and English: the language of a request, and the message catalog.

The language comes from, in this order: the ``lang`` cookie the switch sets (the reader's own
choice, remembered), then ``Accept-Language`` (q-values weighed: Korean when the browser prefers
it to English), then Korean, the language of the data, for clients that send neither. A browser
that asks only for other languages gets English.
"""

from __future__ import annotations

import string
from functools import cache

from markupsafe import Markup, escape

from .catalog import MESSAGES

LANGS = ("ko", "en")
DEFAULT = "ko"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def choose(accept_language: str | None, cookie: str | None = None) -> str:
    """The interface language for a request."""
    chosen = from_cookie(cookie)
    if chosen:
        return chosen
    if not accept_language or not accept_language.strip():
        return DEFAULT
    best: dict[str, float] = {}
    other = False
    for position, entry in enumerate(accept_language.split(",")[:32]):
        tag, _, params = entry.strip().partition(";")
        tag = tag.strip().lower()
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if not tag or q <= 0:
            continue
        primary = tag.split("-")[0]
        if primary in LANGS:
            best[primary] = max(best.get(primary, 0.0), q - position * 1e-6)  # on equal q the first wins
        elif tag != "*":
            other = True
    if best:
        return max(best, key=lambda lang: best[lang])
    return "en" if other else DEFAULT


def from_cookie(header: str | None) -> str | None:
    """The language the switch remembered in the Cookie header, if it is one we offer."""
    for part in (header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE and value.strip() in LANGS:
            return value.strip()
    return None


def cookie(lang: str) -> str:
    """The Set-Cookie value that remembers ``lang`` for a year, for the whole site."""
    return f"{COOKIE}={lang}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax"


def other(lang: str) -> str:
    return "en" if lang == "ko" else "ko"


def text(lang: str, key: str, **values) -> str:
    """The message ``key`` in ``lang``, with ``{name}`` fields filled in (plain text: escape it)."""
    message = MESSAGES[key][lang]
    return message.format(**values) if values else message


def html(lang: str, key: str, **fragments) -> Markup:
    """The message ``key`` as HTML: its own text escaped, its fields filled with ``fragments``:
    markup (a link, a name with its ``lang``) as it is, anything else escaped."""
    out = Markup()
    for literal, name in _parsed(lang, key):
        out += literal
        if name is not None:
            out += escape(fragments[name])
    return out


@cache
def _parsed(lang: str, key: str) -> tuple[tuple[Markup, str | None], ...]:
    """The message's literal pieces (escaped) and field names, parsed once."""
    return tuple((escape(literal), name) for literal, name, _, _ in string.Formatter().parse(MESSAGES[key][lang]))


class Messages:
    """``t("key", n=3)`` for one language, as pages and templates call it; ``t.html(…)`` for
    messages with HTML in their fields."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, key: str, **values) -> str:
        return text(self.lang, key, **values)

    def html(self, key: str, **fragments) -> Markup:
        return html(self.lang, key, **fragments)
