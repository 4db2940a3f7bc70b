"""The "report a problem" link of a page: a mail, its subject naming the resource and its body
listing the resource's IRI and sources (each with the law's identifier), for the reader to
complete. The recipient is left to the reader's mail program: govkg names no address of its own."""

from __future__ import annotations

import re
from functools import cache
from string import Formatter

from .. import i18n
from ..i18n import Messages
from ..i18n.catalog import MESSAGES
from ..iris import CV, DCTERMS
from .model import Model

MAX_SOURCES = 20  # a mailto: URL stays short enough for every mail program


def sources_of(model: Model, iri: str) -> list[str]:
    """What the resource cites: its sources, and the law versions that effect an event."""
    return sorted(set(model.values(iri, DCTERMS + "source")) | set(model.values(iri, CV + "hasFormalFramework")))


def report_href(model: Model, iri: str, t: Messages) -> str:
    return report_hrefs(model, iri, (t.lang,))[t.lang]


def report_hrefs(model: Model, iri: str, langs: tuple[str, ...]) -> dict[str, str]:
    """The report link in each of ``langs``: the sources read and quoted once for all of them."""
    cited = sources_of(model, iri)
    lines = []
    for source in cited[:MAX_SOURCES]:
        ident = model.one(source, DCTERMS + "identifier")
        lines.append(f"- {source}" + (f" ({ident})" if ident else ""))
    quoted_iri, listed = _quote(iri), _quote("\n".join(lines) or "-")
    links = {}
    for lang in langs:
        sources = listed
        if len(cited) > MAX_SOURCES:
            sources = _quote("\n".join([*lines, "- " + i18n.text(lang, "more", n=len(cited) - MAX_SOURCES)]))
        subject = _quoted(lang, "report.subject", iri=quoted_iri)
        body = _quoted(lang, "report.body", iri=quoted_iri, sources=sources)
        links[lang] = f"mailto:?subject={subject}&body={body}"
    return links


def _quoted(lang: str, key: str, **quoted: str) -> str:
    """``_quote(i18n.text(lang, key, **values))`` given the values ``quoted`` already, the message's
    own text quoted once: quoting works character by character, so the quoted pieces join into
    the quoted whole."""
    return "".join(literal + (quoted[name] if name is not None else "") for literal, name in _pieces(lang, key))


@cache
def _pieces(lang: str, key: str) -> tuple[tuple[str, str | None], ...]:
    return tuple((_quote(literal), name) for literal, name, _, _ in Formatter().parse(MESSAGES[key][lang]))


_UNSAFE = re.compile(r"[^A-Za-z0-9_.~/-]+")
_PERCENT = [f"%{b:02X}" for b in range(256)]


def _quote(text: str) -> str:
    """``urllib.parse.quote(text)``, a run of unsafe characters at a time rather than a byte at a time
    (each page's link holds a few hundred bytes of Korean).

    >>> from urllib.parse import quote
    >>> _quote("행정 a/b?c") == quote("행정 a/b?c")
    True
    """
    return _UNSAFE.sub(lambda m: "".join(map(_PERCENT.__getitem__, m.group().encode())), text)
