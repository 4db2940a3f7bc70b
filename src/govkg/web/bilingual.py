"""One rendering of a static page for both interface languages.

A resource's page differs between Korean and English only in its interface texts: what it shows
(the view, the links, the names, the statements) is the same. So the static site renders each
resource's page once with ``Both`` as its messages, which writes a placeholder for every text
that depends on the language, and ``fill`` then puts the texts of one language in. The pages are
byte for byte those a rendering in that language makes (tests/test_site_bilingual.py checks it
on every resource of the curated build).

A placeholder is ``\\x02…\\x03`` around ASCII that escaping leaves alone: ``m`` and a message key
(a text without fields), ``k`` and a class's local name (its label), ``v`` and the number of an
entry of the current rendering (a text with fields, a link that names the page's own file; read
only while that page is filled). An entry may be made from text that holds placeholders (a
section's id, from its title): it resolves them itself, in the language it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from markupsafe import Markup, escape

from .. import i18n
from ..i18n import Messages
from ..i18n.catalog import MESSAGES

START, END = "\x02", "\x03"
LANG = f"{START}vlang{END}"  # the page's language code, where Page.lang is read

Entry = Callable[[str, bool], str]  # (language, as plain text?) → the text in that language
_ENTRIES: ContextVar[list[Entry] | None] = ContextVar("bilingual_entries", default=None)


@contextmanager
def rendering():
    """The scope of one page's rendering: its entries are numbered from 0 and dropped after."""
    token = _ENTRIES.set([])
    try:
        yield
    finally:
        _ENTRIES.reset(token)


def entry(make: Entry) -> str:
    """A placeholder for what ``make`` gives in each language, valid in the current rendering."""
    entries = _ENTRIES.get()
    if entries is None:
        raise RuntimeError("a bilingual placeholder made outside bilingual.rendering()")
    entries.append(make)
    return f"{START}v{len(entries) - 1}{END}"


class Both(Messages):
    """``t("key", n=3)`` and ``t.html(…)`` for both languages at once: placeholders."""

    def __init__(self):
        super().__init__(LANG)

    def __call__(self, key: str, **values) -> str:
        if not values:
            return f"{START}m{key}{END}"
        return entry(lambda lang, plain: _text(i18n.text(lang, key, **_values(values, lang)), plain))

    def html(self, key: str, **fragments) -> Markup:
        return Markup(entry(lambda lang, plain: i18n.html(lang, key, **_values(fragments, lang))))


def kind_label(local: str) -> str:
    """The placeholder of a class's label (``Page.kind_label``)."""
    return f"{START}k{local}{END}"


def derived(text: str, make: Callable[[str], str]) -> str:
    """A placeholder for ``make`` of ``text``'s plain form in each language (escaped), or
    ``make(text)`` when ``text`` holds no placeholder."""
    if START not in text:
        return make(text)
    return entry(lambda lang, plain: _text(make(plain_text(text, lang)), plain))


def chosen(by_lang: dict[str, str]) -> str:
    """A placeholder for the text given for each language (escaped as text)."""
    return entry(lambda lang, plain: _text(by_lang[lang], plain))


def fill(html: str, lang: str, kind_labels: Callable[[str, str], str]) -> str:
    """``html`` with the texts of ``lang`` in place of its placeholders; ``kind_labels(local,
    lang)`` gives a class's label. Must run inside the page's ``rendering()``."""
    entries, messages = _ENTRIES.get() or [], _MESSAGES[lang]

    def put(kind: str, ref: str) -> str:
        if kind == "m" and ref in messages:
            return messages[ref]
        if kind == "k":
            return str(escape(kind_labels(ref, lang)))
        if kind == "v":
            return lang if ref == "lang" else _entry(entries, ref)(lang, False)
        raise Unfilled(f"no placeholder {kind}{ref}")

    return _substituted(html, put)


def plain_text(text: str, lang: str) -> str:
    """``text`` with each placeholder's plain (unescaped) text in ``lang``."""
    entries = _ENTRIES.get() or []

    def put(kind: str, ref: str) -> str:
        if kind == "m":
            return i18n.text(lang, ref)
        if kind == "v" and ref != "lang":
            return _entry(entries, ref)(lang, True)
        raise Unfilled(f"no plain text for the placeholder {kind}{ref}")

    return _substituted(text, put)


class Unfilled(ValueError):
    """A text holds what is no placeholder of ours (the data's own control characters): the page
    is then rendered once per language instead."""


def _entry(entries: list[Entry], ref: str) -> Entry:
    try:
        return entries[int(ref)]
    except (ValueError, IndexError):
        raise Unfilled(f"no entry {ref!r} in this rendering") from None


def _substituted(text: str, put: Callable[[str, str], str]) -> str:
    """``text`` with each placeholder replaced by ``put(kind, ref)``, in one pass: what an entry
    gives has its own placeholders resolved already."""
    pieces = text.split(START)
    out = [pieces[0]]
    for piece in pieces[1:]:
        ref, closed, rest = piece.partition(END)
        if not closed:
            raise Unfilled("a \\x02 that starts no placeholder")
        out += (put(ref[:1], ref[1:]), rest)
    done = "".join(out)
    if START in done:  # only the data's own control characters can bring one back
        raise Unfilled("a \\x02 in a placeholder's text")
    return done


_MESSAGES = {lang: {key: str(escape(texts[lang])) for key, texts in MESSAGES.items()} for lang in i18n.LANGS}


def _text(text: str, plain: bool) -> str:
    return text if plain else str(escape(text))


def _values(values: dict, lang: str) -> dict:
    """A message's field values in ``lang``: placeholders among them resolved (as markup, or as
    plain text where the value was plain text)."""
    return {name: (Markup(fill(value, lang, _no_kinds)) if isinstance(value, Markup) else plain_text(value, lang))
            if isinstance(value, str) and START in value else value for name, value in values.items()}


def _no_kinds(local: str, lang: str) -> str:
    raise Unfilled(f"a class label ({local}) inside a message's field")
