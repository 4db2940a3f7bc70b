"""Retired IRIs: those the data says are replaced (``dcterms:isReplacedBy``) or withdrawn
(``owl:deprecated`` with no replacement), as docs/identity.md describes.

``govkg serve`` answers a replaced IRI with 301 to the IRI that replaces it, for every
representation (the bare IRI to the bare IRI, so negotiation happens there; a suffix URL to the
same suffix), and a withdrawn one with 410 Gone and its description, negotiated as usual. The
static site gets the same from the rules made here (an nginx ``map`` and Apache rewrite rules),
a page with a meta refresh at each replaced IRI for hosts that apply neither, and ``gone.html``,
the page of every withdrawn IRI and why, which both rules serve with the 410.
"""

from __future__ import annotations

from urllib.parse import quote

from pyoxigraph import DefaultGraph, Literal, NamedNode

from ..iris import DCTERMS, OWL, RDFS, SKOS
from . import pages
from .model import Model
from .negotiate import BY_SUFFIX, HTML, Format, file_name

REPLACED_BY = NamedNode(DCTERMS + "isReplacedBy")
DEPRECATED = NamedNode(OWL + "deprecated")
GONE_PAGE = "gone.html"
SUFFIXES = ("html", "ttl", "jsonld")  # the files the static site writes per resource


def replacement(model: Model, iri: str) -> str | None:
    """The IRI that replaces ``iri``, or None."""
    found = sorted(q.object.value for q in model.store.quads_for_pattern(NamedNode(iri), REPLACED_BY, None, DefaultGraph())
                   if isinstance(q.object, NamedNode))
    return found[0] if found else None


def withdrawn(model: Model, iri: str) -> bool:
    """Whether ``iri`` is withdrawn: deprecated, and nothing replaces it."""
    return replacement(model, iri) is None and any(
        isinstance(q.object, Literal) and q.object.value == "true"
        for q in model.store.quads_for_pattern(NamedNode(iri), DEPRECATED, None, DefaultGraph()))


def location(model: Model, target: str, fmt: Format | None) -> str:
    """Where a request for a replaced IRI goes: the target's bare path, or its suffix URL for ``fmt``."""
    local = model.local(target)
    if local is None:
        return target
    return "/" + quote(file_name(local, fmt) if fmt is not None else local)


def replaced_paths(model: Model) -> list[tuple[str, str]]:
    """(local path, replacing IRI) of every replaced IRI under the base, sorted."""
    return sorted({(model.local(q.subject.value), q.object.value)
                   for q in model.store.quads_for_pattern(None, REPLACED_BY, None, DefaultGraph())
                   if isinstance(q.subject, NamedNode) and isinstance(q.object, NamedNode)
                   and model.local(q.subject.value) is not None})


def withdrawn_paths(model: Model) -> list[str]:
    """The local path of every withdrawn IRI, sorted."""
    return sorted(model.local(q.subject.value) for q in model.store.quads_for_pattern(None, DEPRECATED, None, DefaultGraph())
                  if isinstance(q.subject, NamedNode) and model.local(q.subject.value) is not None
                  and withdrawn(model, q.subject.value))


# --- the static site ----------------------------------------------------------------------

def redirect_page(model: Model, path: str, target: str) -> str:
    """The HTML at a replaced IRI for hosts that apply no rules: a meta refresh and a link."""
    page = pages.Page(model, path, static=True)
    local = model.local(target)
    href = pages._e(page.root + quote(file_name(local, HTML)) if local is not None else target)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Replaced — govkg</title>'
            f'<meta http-equiv="refresh" content="0; url={href}"><link rel="canonical" href="{pages._e(target)}">'
            f'<meta name="robots" content="noindex"></head><body><p>The IRI <code>{pages._e(model.iri(path))}</code> '
            f'is replaced by <a href="{href}">{pages._e(target)}</a>.</p></body></html>\n')


def gone_page(model: Model) -> str:
    """Every withdrawn IRI with the reason, and the events that now speak of its units."""
    page = pages.Page(model, "gone", static=True, absolute=True)
    items = []
    for path in withdrawn_paths(model):
        iri = model.iri(path)
        notes = "".join(f"<p>{pages._e(n)}</p>" for n in model.values(iri, SKOS + "historyNote"))
        related = model.values(iri, RDFS + "seeAlso")
        see = ("<p>See: " + ", ".join(page.link(r, pages._e(model.local(r) or r)) for r in related) + ".</p>") if related else ""
        items.append(f'<li id="{pages._e(quote(path))}"><code>{pages._e(iri)}</code>{notes}{see}</li>')
    body = ("<p>These IRIs were published once and no longer name anything: the change or thing they stated was "
            "a misreading that no later reading replaces. They answer 410 Gone.</p>"
            f'<ul class="gone">{"".join(items)}</ul>')
    return pages.layout(page, "Withdrawn IRIs", body)


def _variants(path: str) -> list[tuple[str, Format | None]]:
    """The request paths of a resource in the static site: the IRI and its suffix URLs, with their format."""
    return [("/" + path, None)] + [("/" + file_name(path, BY_SUFFIX[s]), BY_SUFFIX[s]) for s in SUFFIXES]


def _nginx_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_maps(model: Model) -> str:
    """The http-level maps: where a replaced IRI (or its suffix URL) moves to, and whether one is gone.
    The bucket size fits the longest path (nginx refuses a map whose keys do not fit)."""
    moved = [(v, location(model, target, fmt)) for path, target in replaced_paths(model) for v, fmt in _variants(path)]
    gone = [v for path in withdrawn_paths(model) for v, _ in _variants(path)]
    longest = max((len(k.encode()) for k in [k for k, _ in moved] + gone), default=0)
    size = 64
    while size < longest + 32:
        size *= 2
    lines = [f"map_hash_bucket_size {size};", "map $uri $govkg_moved {", '    default "";']
    lines += [f"    {_nginx_string(k)} {_nginx_string(v)};" for k, v in moved]
    lines += ["}", "map $uri $govkg_gone {", "    default 0;"]
    lines += [f"    {_nginx_string(k)} 1;" for k in gone]
    return "\n".join(lines + ["}"]) + "\n"


# In the server block's ``location /``, and beside it: what the maps decide, and the page of a 410.
NGINX_CHECKS = "    if ($govkg_moved) { return 301 $govkg_moved; }\n    if ($govkg_gone) { return 410; }\n"
NGINX_GONE = f"error_page 410 /{GONE_PAGE};\n"

_PCRE_SPECIAL = set(".^$*+?()[]{}|\\")


def _pattern(path: str) -> str:
    return "".join("\\" + c if c in _PCRE_SPECIAL else c for c in path)


def htaccess_rules(model: Model) -> str:
    """mod_rewrite rules: 301 for every replaced IRI and its suffix URLs (the target percent-encoded,
    its ``%`` escaped from mod_rewrite), 410 Gone for every withdrawn one, with the page that lists them."""
    lines = [f"ErrorDocument 410 /{GONE_PAGE}"]
    for path, target in replaced_paths(model):
        for variant, fmt in _variants(path):
            goes = location(model, target, fmt).replace("%", "\\%")
            lines.append(f"RewriteRule ^{_pattern(variant[1:])}$ {goes} [R=301,NE,L]")
    for path in withdrawn_paths(model):
        lines += [f"RewriteRule ^{_pattern(variant[1:])}$ - [G]" for variant, _ in _variants(path)]
    return "\n".join(lines) + "\n"
