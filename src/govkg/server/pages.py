"""Server-rendered HTML: a page per unit, event, duty, source and snapshot, the org chart and
comparison of a body, the dataset, the ontology, the SPARQL form and a helpful 404.

Links are relative to the page, so the same HTML works on the server and on any static host,
under any path. Korean text carries ``lang="ko"``; the interface is English.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from importlib import resources
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode

from .. import i18n, rdfio
from ..i18n import Messages
from ..iris import CV, DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID
from . import orgchart
from .model import Model, Snapshot
from .negotiate import RESOURCE_FORMATS, file_name

# Classes that decide which page a resource gets, most specific first.
UNIT, EVENT, DUTY, SOURCE = "Organization", "ChangeEvent", "Duty", ("Law", "LawVersion", "Provision", "NewsArticle", "WebSource")
KINDS = ("Ministry", "MinistryLevelAgency", "Agency", "Commission", "AffiliatedAgency", "Office", "Headquarters",
         "Bureau", "DirectorGeneralPost", "Division", "OfficerDivision", "Team", "AgencyDepartment")
RENAMING_LIKE = ("Renaming", "RankChange", "PostConversion")


class NotFound(Exception):
    """No page at this path."""


@lru_cache(maxsize=65536)
def _quote(path: str) -> str:
    return quote(path, safe="/-._~!$&'()*+,;=:@")


def _e(text) -> str:
    return escape(str(text), quote=True)


def _lang(lang: str | None) -> str:
    return f' lang="{_e(lang)}"' if lang else ""


@dataclass
class Page:
    """One page being rendered: knows its own path, so every link it makes is relative."""

    model: Model
    path: str
    static: bool = False
    absolute: bool = False  # links from "/" instead of relative ones
    lang: str = "en"        # the interface language (the data keeps its own tags)
    switch: str | None = None  # the link to this page in the other language

    @property
    def root(self) -> str:
        return "/" if self.absolute else "../" * self.path.count("/")

    def href(self, target: str) -> str:
        """A link to a local path, or to an IRI (relative when under the base)."""
        local = self.model.local(target) if "://" in target else target
        if local is None:
            return target
        return (self.root + _quote(local)) or "./"

    def name(self, iri: str) -> str:
        """Korean and English labels, each with its language."""
        ko, en = self.model.label(iri, "ko"), self.model.label(iri, "en")
        if ko and en and ko != en:
            return f'<span lang="ko">{_e(ko)}</span> <span class="en" lang="en">{_e(en)}</span>'
        if ko or en:
            return f'<span{_lang("ko" if ko else "en")}>{_e(ko or en)}</span>'
        other = self.model.label(iri)
        return _e(other) if other else f"<code>{_e(self.short(iri))}</code>"

    def short(self, iri: str) -> str:
        for prefix, ns in (("govkg", self.model.iris.vocab), ("", self.model.iris.base)):
            if iri.startswith(ns):
                return f"{prefix}:{iri[len(ns):]}" if prefix else iri[len(ns):]
        for prefix, ns in (("org", ORG), ("prov", PROV), ("skos", SKOS), ("dcterms", DCTERMS), ("rdf", RDF),
                           ("rdfs", RDFS), ("owl", OWL), ("cv", CV), ("foaf", FOAF), ("void", VOID), ("dcat", DCAT)):
            if iri.startswith(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def link(self, iri: str, text: str | None = None) -> str:
        if self.model.local(iri) is None:
            if not iri.lower().startswith(("http://", "https://")):  # javascript:, data: … are shown, never linked
                return f'<code>{_e(text or iri)}</code>'
            return f'<a href="{_e(iri)}" rel="external nofollow">{_e(text or iri)}</a>'
        return f'<a href="{_e(self.href(iri))}">{text if text is not None else self.name(iri)}</a>'

    def term(self, term) -> str:
        if isinstance(term, NamedNode):
            return self.link(term.value)
        if isinstance(term, BlankNode):
            return f"<code>{_e(term)}</code>"
        if isinstance(term, Literal):
            return f"<span{_lang(term.language)}>{_e(term.value)}</span>"
        return _e(term)


# --- layout ---------------------------------------------------------------------------------

def layout(page: Page, title: str, body: str, *, iri: str | None = None, h1: str | None = None,
           head: str = "") -> str:
    """The frame around every page: skip link, banner with navigation, main, footer."""
    root = page.root
    alternates, formats = "", ""
    if iri is not None:
        path = page.model.local(iri) or ""
        alternates = "".join(f'<link rel="alternate" type="{f.media}" href="{_e(root + quote(file_name(path, f)))}">'
                             for f in RESOURCE_FORMATS[1:])
        formats = ('<p>This page describes <code>' + _e(iri) + '</code>. Also as '
                   + ", ".join(f'<a href="{_e(root + quote(file_name(path, f)))}" type="{f.media}">{f.label}</a>'
                               for f in RESOURCE_FORMATS[1:]) + ".</p>")
    script = f'<script src="{root}static/govkg.js" defer></script>' if page.static else ""
    t = Messages(page.lang)
    served = () if page.static else (("search", "nav.search"), ("who", "nav.who"))  # a static host cannot search
    nav = "".join(f'<li><a href="{root}{href}">{_e(t(key))}</a></li>' for href, key in (
        *served, ("dataset", "nav.dataset"), ("orgchart", "nav.orgcharts"), ("sparql", "nav.sparql"),
        ("def/", "nav.ontology")))
    if page.switch is not None:
        other = i18n.other(page.lang)
        nav += (f'<li class="lang"><a href="{_e(page.switch)}" hreflang="{other}" lang="{other}">'
                f'{_e(t("lang.switch"))}</a></li>')
    license_link = ('<a href="https://creativecommons.org/licenses/by/4.0/" rel="license external">CC BY 4.0</a>')
    return (f'<!DOCTYPE html>\n<html lang="{page.lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{_e(title)} — govkg</title><link rel="icon" href="data:,">'
            f'<link rel="stylesheet" href="{root}static/govkg.css">'
            f'{alternates}{script}{head}</head><body>'
            f'<a class="skip" href="#main">{_e(t("skip"))}</a>'
            f'<header><nav aria-label="{_e(t("nav.site"))}"><ul><li class="brand"><a href="{root or "./"}">govkg</a></li>{nav}</ul></nav></header>'
            f'<main id="main" tabindex="-1"><h1>{h1 if h1 is not None else _e(title)}</h1>{body}</main>'
            f'<footer>{formats}<p>{t.html("footer.license", license=license_link)}</p></footer>'
            f'</body></html>\n')


def section(title: str, body: str, level: int = 2) -> str:
    if not body:
        return ""
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    return f'<section aria-labelledby="s-{slug}"><h{level} id="s-{slug}">{_e(title)}</h{level}>{body}</section>'


def ul(items: Iterable[str], cls: str = "") -> str:
    items = list(items)
    return f'<ul{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>' + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""


def dl(rows: Iterable[tuple[str, str]]) -> str:
    rows = [(k, v) for k, v in rows if v]
    return "<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>" if rows else ""


def _time(day: str | None) -> str:
    return f'<time datetime="{_e(day[:10])}">{_e(day[:10])}</time>' if day else ""


def period(model: Model, iri: str) -> str:
    start, end = model.one(iri, model.iris.term("attestedFrom")), model.one(iri, model.iris.term("attestedUntil"))
    if not start and not end:
        return ""
    return f"{_time(start) or '…'} – {_time(end) if end else 'present'}"


def kind(model: Model, iri: str) -> str | None:
    classes = model.types.get(f"<{iri}>", set())
    for local in (*KINDS, *RENAMING_LIKE, "Establishment", "Abolition", "Merger", "Split", "Move", "DutyTransfer",
                  UNIT, EVENT, DUTY, *SOURCE, "Snapshot", "Programme", "Responsibility", "ReportedGrouping"):
        if model.iris.term(local) in classes:
            return local
    return None


def kind_label(model: Model, iri: str) -> str:
    local = kind(model, iri)
    return (model.label(model.iris.term(local), "en") or local) if local else ""


def sources(page: Page, iri: str) -> str:
    return ul(source_line(page, s) for s in page.model.values(iri, DCTERMS + "source"))


def source_line(page: Page, src: str) -> str:
    ident = page.model.one(src, DCTERMS + "identifier")
    return page.link(src) + (f' <span class="muted" lang="ko">({_e(ident)})</span>' if ident else "")


def statements(page: Page, iri: str) -> str:
    """Every statement of the description, as a table, for readers who want all of it."""
    rows = []
    for t in page.model.triples(iri) if page.model.local(iri) is not None else []:
        if isinstance(t.subject, NamedNode) and t.subject.value == iri:
            rows.append(f'<tr><th scope="row">{page.link(t.predicate.value, _e(page.short(t.predicate.value)))}</th>'
                        f"<td>{page.term(t.object)}</td></tr>")
    if not rows:
        return ""
    return ('<details><summary>All statements</summary><table><caption>Statements with this resource as subject '
            '(default graph)</caption><thead><tr><th scope="col">Property</th><th scope="col">Value</th></tr></thead>'
            "<tbody>" + "".join(rows) + "</tbody></table></details>")


# --- resource pages -------------------------------------------------------------------------

def resource_page(page: Page, iri: str) -> str:
    m, local = page.model, kind(page.model, iri)
    if iri == m.iris.vocab:
        return ontology_page(page)
    if iri == m.void_dataset():
        return dataset_page(page)
    if iri in m.named_graphs:
        body, title = snapshot_body(page, iri), m.label(iri) or iri
    elif local in KINDS or local == UNIT:
        body, title = unit_body(page, iri), m.label(iri) or iri
    elif m.is_a(iri, EVENT):
        body, title = event_body(page, iri), m.label(iri) or iri
    elif local == DUTY:
        body, title = duty_body(page, iri), "Duty of " + (m.label(m.one(iri, m.iris.term("heldBy")) or "") or "")
    elif local in SOURCE:
        body, title = source_body(page, iri), m.label(iri) or iri
    elif iri.startswith(m.iris.vocab):
        body, title = term_body(page, iri), page.short(iri)
    else:  # its statements are the page, shown in full
        body, title = generic_body(page, iri), m.label(iri) or page.short(iri)
        return layout(page, title, body, iri=iri, h1=page.name(iri) if m.label(iri) else None)
    h1 = page.name(iri) if title == m.label(iri) else None
    return layout(page, title, body + statements(page, iri), iri=iri, h1=h1)


def _names_over_time(page: Page, iri: str) -> list[tuple[str, str]]:
    """This unit and its predecessors and successors by renaming, rank change or post conversion."""
    m = page.model

    def step(node: str, forward: bool) -> str | None:
        events = m.values(node, ORG + ("changedBy" if forward else "resultedFrom"))
        for event in events:
            if kind(m, event) in RENAMING_LIKE:
                found = m.values(event, ORG + ("resultingOrganization" if forward else "originalOrganization"))
                if len(found) == 1:
                    return found[0]
        return None

    chain, seen = [iri], {iri}
    for forward in (False, True):
        node = iri
        while (node := step(node, forward)) and node not in seen:
            seen.add(node)
            chain.insert(len(chain) if forward else 0, node)
    return [(n, period(m, n)) for n in chain]


def parent_chain(m: Model, iri: str, snapshot: Snapshot) -> list[str]:
    parents = m.parents(snapshot)
    chain, node = [], iri
    while node in parents and node not in chain:
        node = parents[node]
        chain.insert(0, node)
    return chain


def unit_body(page: Page, iri: str) -> str:
    m, t = page.model, page.model.iris.term
    body = m.one(iri, t("body")) or iri
    facts = dl([
        ("Kind", _e(kind_label(m, iri))),
        ("Also known as", ", ".join(f"<span{_lang(o.language)}>{_e(o.value)}</span>" for o in m.objects(iri, SKOS + "altLabel"))),
        ("Attested", period(m, iri)),
        ("Established", _time(m.one(iri, PROV + "generatedAtTime"))),
        ("Ended", _time(m.one(iri, PROV + "invalidatedAtTime"))),
        ("Part of", page.link(body) if body != iri else ""),
        ("Code", _e(m.one(iri, ORG + "identifier") or "")),
    ])
    names = _names_over_time(page, iri)
    names_html = ("<ol>" + "".join(
        f"<li>{page.link(n) if n != iri else '<strong>' + page.name(n) + '</strong>'} {p}</li>"
        for n, p in names) + "</ol>") if len(names) > 1 else ""
    chains, kids = [], []
    for snap in m.snapshots.get(body, ()):
        if iri not in m.parents(snap) and iri != body:
            continue
        tree = m.tree(snap)
        when = f"{_time(snap.date)} – {_time(snap.until) if snap.until else 'present'}"
        chain = parent_chain(m, iri, snap)
        if chain:
            chains.append(f"<li>{when}: <nav aria-label=\"Parents as of {_e(snap.date)}\"><ol class=\"crumbs\">"
                          + "".join(f"<li>{page.link(p)}</li>" for p in chain) + "</ol></nav></li>")
        if tree.get(iri):
            kids.append(f"<li>{when}{ul(page.link(k) + f' <span class=muted>{_e(kind_label(m, k))}</span>' for k in tree[iri])}</li>")
    duties = []
    for duty in sorted(m.subjects(t("heldBy"), iri), key=lambda d: (m.one(d, t("attestedFrom")) or "", m.label(d) or "")):
        cites = ", ".join(source_line(page, s) for s in m.values(duty, DCTERMS + "source"))
        duties.append(f'<li><a href="{_e(page.href(duty))}" lang="ko">{_e(m.label(duty, "ko") or duty)}</a>'
                      f' <span class="muted">{period(m, duty)}</span>{"<br>Source: " + cites if cites else ""}</li>')
    events = sorted({e for p in ("changedBy", "resultedFrom") for e in m.values(iri, ORG + p)}
                    | set(m.subjects(t("fromParent"), iri)) | set(m.subjects(t("toParent"), iri)),
                    key=lambda e: (m.one(e, DCTERMS + "date") or "", e))
    timeline = "".join(f'<li>{_time(m.one(e, DCTERMS + "date"))} {page.link(e)} '
                       f'<span class="muted">{_e(kind_label(m, e))}</span></li>' for e in events)
    programmes = ul(page.link(p) for p in m.values(iri, t("responsibleFor")))
    chart = ""
    if body in m.snapshots:
        key = m.local(body)[len("id/org/"):]
        chart = f'<p><a href="{_e(page.href("orgchart/" + key))}">Org chart of {page.name(body)}</a></p>'
    return (facts + chart + section("Names over time", names_html)
            + section("Parent chain", f"<ul>{''.join(chains)}</ul>" if chains else "")
            + section("Children", f"<ul>{''.join(kids)}</ul>" if kids else "")
            + section(f"Duties ({len(duties)})", f'<ol class="duties">{"".join(duties)}</ol>' if duties else "")
            + section("Programmes", programmes)
            + section("Events", f'<ol class="timeline">{timeline}</ol>' if timeline else "")
            + section("Sources", sources(page, iri)))


def event_body(page: Page, iri: str) -> str:
    m, t = page.model, page.model.iris.term
    status = m.one(iri, t("evidenceStatus"))
    facts = dl([
        ("Kind", _e(kind_label(m, iri))),
        ("Date", _time(m.one(iri, DCTERMS + "date"))),
        ("Before", ul(page.link(o) for o in m.values(iri, ORG + "originalOrganization"))),
        ("After", ul(page.link(o) for o in m.values(iri, ORG + "resultingOrganization"))),
        ("From parent", ul(page.link(o) for o in m.values(iri, t("fromParent")))),
        ("To parent", ul(page.link(o) for o in m.values(iri, t("toParent")))),
        ("Evidence", page.link(status) if status else ""),
        ("Note", "".join(f"<p{_lang(o.language)}>{_e(o.value)}</p>" for o in m.objects(iri, RDFS + "comment"))),
        ("Effected by", ul(source_line(page, o) for o in m.values(iri, CV + "hasFormalFramework"))),
    ])
    moved = ul(f'<a href="{_e(page.href(d))}" lang="ko">{_e(m.label(d, "ko") or d)}</a>'
               for d in m.values(iri, t("transferredDuty")))
    evidence = ""
    for ev in m.values(iri, t("evidence")):
        score = m.one(ev, t("overlapScore"))
        matches = []
        for match in m.values(ev, t("matchedDuty")):
            a, b, sim = m.one(match, t("fromDuty")), m.one(match, t("toDuty")), m.one(match, t("similarity"))
            matches.append(f"<tr><td>{page.link(a, _e(m.label(a, 'ko') or a)) if a else ''}</td>"
                           f"<td>{page.link(b, _e(m.label(b, 'ko') or b)) if b else ''}</td><td>{_e(sim or '')}</td></tr>")
        evidence += (f"<p>Overlap score: {_e(score or '?')}. {page.link(ev, 'The evidence')}</p>"
                     + ("<table><caption>Matched duties</caption><thead><tr><th scope=col>Before</th>"
                        "<th scope=col>After</th><th scope=col>Similarity</th></tr></thead><tbody lang=ko>"
                        + "".join(matches) + "</tbody></table>" if matches else ""))
    return (facts + section("Duties transferred", moved) + section("Duty-overlap evidence", evidence)
            + section("Sources", sources(page, iri)))


def _lineage(page: Page, duty: str, forward: bool, seen: set[str]) -> str:
    m = page.model
    items = []
    for p in (PROV + "wasRevisionOf", PROV + "wasDerivedFrom"):
        nodes = m.subjects(p, duty) if forward else m.values(duty, p)
        for node in nodes:
            if node in seen or m.local(node) is None or not m.is_a(node, DUTY):
                continue
            seen.add(node)
            how = "revised" if p.endswith("RevisionOf") else "moved"
            holder = m.one(node, m.iris.term("heldBy"))
            items.append(f'<li><span class="muted">{how}</span> <a href="{_e(page.href(node))}" lang="ko">'
                         f'{_e(m.label(node, "ko") or node)}</a> — {page.link(holder) if holder else ""} '
                         f'<span class="muted">{period(m, node)}</span>{_lineage(page, node, forward, seen)}</li>')
    return f"<ul>{''.join(items)}</ul>" if items else ""


def duty_body(page: Page, iri: str) -> str:
    m, t = page.model, page.model.iris.term
    text = m.label(iri, "ko") or ""
    holder = m.one(iri, t("heldBy"))
    facts = dl([("Held by", page.link(holder) if holder else ""), ("Attested", period(m, iri))])
    earlier = _lineage(page, iri, False, {iri})
    later = _lineage(page, iri, True, {iri})
    holders = [e for e in m.subjects(t("transferredDuty"), iri)]
    return (f'<blockquote lang="ko" class="duty">{_e(text)}</blockquote>' + facts
            + section("Lineage: where it came from", earlier or "<p>No earlier duty is recorded.</p>")
            + section("Lineage: where it went", later or "<p>No later duty is recorded.</p>")
            + section("Events", ul(page.link(e) for e in holders))
            + section("Sources", sources(page, iri)))


def source_body(page: Page, iri: str) -> str:
    m, t = page.model, page.model.iris.term
    pages = [o for o in m.values(iri, FOAF + "page")]
    part_of = m.one(iri, DCTERMS + "isPartOf") or m.one(iri, DCTERMS + "isVersionOf")
    facts = dl([
        ("Kind", _e(kind_label(m, iri))),
        ("Identifier", f'<span lang="ko">{_e(m.one(iri, DCTERMS + "identifier") or "")}</span>'
         if m.one(iri, DCTERMS + "identifier") else ""),
        ("Issued", _time(m.one(iri, DCTERMS + "issued"))),
        ("In force from", _time(m.one(iri, t("effectiveDate")))),
        ("Publisher", " ".join(page.term(o) for o in m.objects(iri, DCTERMS + "publisher"))),
        ("Part of", page.link(part_of) if part_of else ""),
        ("Read it at", ul(page.link(p) for p in pages)),
    ])
    parts = sorted(set(m.subjects(DCTERMS + "isPartOf", iri)) | set(m.subjects(DCTERMS + "isVersionOf", iri)))
    cited = sorted({s for s, p in m.incoming(iri) if p in (DCTERMS + "source", CV + "hasFormalFramework",
                                                          PROV + "wasDerivedFrom")})
    return (facts + section(f"Parts and versions ({len(parts)})", ul(page.link(p) for p in parts))
            + section(f"Cited by ({len(cited)})", ul(f"{page.link(c)} <span class=muted>{_e(kind_label(m, c))}</span>"
                                                     for c in cited)))


def snapshot_body(page: Page, iri: str) -> str:
    m = page.model
    body, day = m.one(iri, DCTERMS + "subject"), m.one(iri, DCTERMS + "date")
    snap = next(s for s in m.snapshots.get(body, ()) if s.iri == iri)
    tree = m.tree(snap)
    units = sorted({k for kids in tree.values() for k in kids}, key=lambda u: (m.label(u, "ko") or u, u))
    chart = f"orgchart/{m.local(body)[len('id/org/'):]}/{day}"
    rows = "".join(f"<tr><td>{page.link(u)}</td><td>{page.link(p)}</td></tr>"
                   for p, kids in sorted(tree.items()) for u in kids)
    return (dl([("Body", page.link(body)), ("Date", _time(day)), ("Valid until", _time(snap.until) or "—"),
                ("Derived from", ul(source_line(page, s) for s in m.values(iri, PROV + "wasDerivedFrom")))])
            + f'<p><a href="{_e(page.href(chart))}">See it as an org chart</a>. {len(units)} units.</p>'
            + section("Units and their parents", "<table><caption>org:subOrganizationOf in this graph</caption><thead><tr>"
                      "<th scope=col>Unit</th><th scope=col>Parent</th></tr></thead><tbody>" + rows + "</tbody></table>"))


def term_body(page: Page, iri: str) -> str:
    m = page.model
    defs = "".join(f"<p{_lang(o.language)}>{_e(o.value)}</p>" for p in (SKOS + "definition", RDFS + "comment")
                   for o in m.objects(iri, p))
    supers = ul(page.link(o.value, _e(page.short(o.value))) for o in m.objects(iri, RDFS + "subClassOf")
                if isinstance(o, NamedNode))
    subs = ul(page.link(s, _e(page.short(s))) for s in sorted(
        str(t.subject.value) for triples in m.meta.values() for t in triples
        if t.predicate.value == RDFS + "subClassOf" and t.object == NamedNode(iri) and isinstance(t.subject, NamedNode)))
    labels = ", ".join(f"<span{_lang(o.language)}>{_e(o.value)}</span>" for o in m.objects(iri, RDFS + "label"))
    count = sum(1 for k in m.types if iri in m.types[k] and k.startswith("<"))
    return (dl([("Labels", labels), ("Instances in the data", str(count) if count else "")]) + defs
            + section("Broader classes", supers) + section("Narrower classes", subs)
            + f'<p><a href="{_e(page.href(m.iris.vocab))}">The whole ontology</a></p>')


def generic_body(page: Page, iri: str) -> str:
    m = page.model
    incoming = ul(f"{page.link(s)} <span class=muted>{_e(page.short(p))}</span>" for s, p in m.incoming(iri))
    comments = "".join(f"<p{_lang(o.language)}>{_e(o.value)}</p>" for o in m.objects(iri, RDFS + "comment"))
    return (dl([("Kind", _e(kind_label(m, iri)))]) + comments
            + '<table><caption>Statements</caption><thead><tr><th scope="col">Property</th><th scope="col">Value'
            '</th></tr></thead><tbody>' + "".join(
                f'<tr><th scope="row">{_e(page.short(t.predicate.value))}</th><td>{page.term(t.object)}</td></tr>'
                for t in m.triples(iri) if str(t.subject) == f"<{iri}>") + "</tbody></table>"
            + section("Referred to by", incoming))


def ontology_page(page: Page) -> str:
    m = page.model
    onto = m.iris.vocab
    groups: dict[str, list[str]] = {}
    for key, triples in sorted(m.meta.items()):
        if not key.startswith(f"<{onto}") or key == f"<{onto}>":
            continue
        for t in triples:
            if t.predicate.value == RDF + "type" and t.object.value.startswith(OWL):
                groups.setdefault(t.object.value[len(OWL):], []).append(key[1:-1])
    body = "".join(f'<p{_lang(o.language)}>{_e(o.value)}</p>' for p in (DCTERMS + "description", RDFS + "comment")
                   for o in m.objects(onto, p))
    body += ('<p>Download: ' + ", ".join(f'<a href="{page.root}ontology/govkg.{ext}">{label}</a>' for ext, label in
                                        (("ttl", "Turtle"), ("owl", "RDF/XML (OWL)"), ("jsonld", "JSON-LD"))) + ".</p>")
    for group in ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "NamedIndividual"):
        terms = sorted(set(groups.get(group, ())))
        body += section(f"{group} ({len(terms)})", ul(
            f'{page.link(iri, _e(page.short(iri)))} {" ".join(f"<span{_lang(l)} class=muted>{_e(v)}</span>" for l, v in ((lang, m.label(iri, lang)) for lang in ("en", "ko")) if v)}'
            for iri in terms))
    return layout(page, m.label(onto, "en") or "The govkg ontology", body, iri=onto)


def dataset_page(page: Page) -> str:
    m = page.model
    ds = m.void_dataset()
    title = m.label(ds, "en") or "govkg"
    downloads = []
    for dist in m.values(ds, DCAT + "distribution"):
        url, media = m.one(dist, DCAT + "downloadURL"), m.one(dist, DCTERMS + "format")
        downloads.append(f'<a href="{_e(page.href(url))}" type="{_e(media)}" download>{_e(m.local(url) or url)}</a> '
                         f'<span class="muted">{_e(media)}</span>')
    downloads += [f'<a href="{page.root}{name}">{name}</a> <span class="muted">{note}</span>' for name, note in (
        ("context.jsonld", "the JSON-LD context"), ("void.ttl", "this description in Turtle"),
        ("manifest.json", "the sha256 of every published file"))]
    examples = "".join(f"<li>{_e(e.title)} — <a href=\"{page.root}queries/{quote(e.name)}.rq\">query</a>, "
                       f"<a href=\"{page.root}queries/{quote(e.name)}.tsv\">results</a></li>" for e in m.examples)
    classes = []
    for part in m.values(ds, VOID + "classPartition"):
        cls, n = m.one(part, VOID + "class"), m.one(part, VOID + "entities")
        classes.append(f"<tr><td>{page.link(cls, _e(page.short(cls)))}</td><td class=num>{_e(n)}</td></tr>")
    graphs = []
    for sub in m.values(ds, VOID + "subset"):
        graph = m.one(sub, RDFS + "seeAlso")
        graphs.append(f"<tr><td>{page.link(graph) if graph else 'default graph'}</td>"
                      f"<td class=num>{_e(m.one(sub, VOID + 'triples'))}</td></tr>")
    body = ("".join(f"<p{_lang(o.language)}>{_e(o.value)}</p>" for o in m.objects(ds, DCTERMS + "description"))
            + dl([("Titles", " / ".join(f"<span{_lang(o.language)}>{_e(o.value)}</span>" for o in m.objects(ds, DCTERMS + "title"))),
                  ("Version", _e(m.one(ds, DCAT + "version") or "")),
                  ("License", page.link(m.one(ds, DCTERMS + "license") or "")),
                  ("Triples", _e(m.void_value("triples") or "")),
                  ("SPARQL endpoint", f'<a href="{page.root}sparql">sparql</a>')])
            + section("Downloads", ul(downloads)) + section("Example queries", f"<ul>{examples}</ul>" if examples else "")
            + section("Graphs", "<table><caption>Graphs and their sizes</caption><thead><tr><th scope=col>Graph</th>"
                      "<th scope=col>Triples</th></tr></thead><tbody>" + "".join(graphs) + "</tbody></table>")
            + section("Classes", "<table><caption>Entities per class</caption><thead><tr><th scope=col>Class</th>"
                      "<th scope=col>Entities</th></tr></thead><tbody>" + "".join(classes) + "</tbody></table>"))
    return layout(page, title, body, iri=ds)


# --- org charts and comparison --------------------------------------------------------------

def body_iri(m: Model, key: str) -> str:
    iri = m.iris.base + "id/org/" + key
    if iri not in m.snapshots:
        raise NotFound(key)
    return iri


def chart_node(page: Page, iri: str) -> orgchart.Node:
    m = page.model
    local = kind(m, iri) or "Organization"
    return orgchart.Node(iri, m.label(iri, "ko") or m.label(iri) or iri, m.label(iri, "en"), local,
                         kind_label(m, iri) or local, page.href(iri))


def _nested(page: Page, tree: dict[str, list[str]], iri: str, seen: frozenset = frozenset()) -> str:
    kids = [k for k in tree.get(iri, []) if k not in seen]
    return ul(page.link(k) + _nested(page, tree, k, seen | {iri}) for k in kids)


def orgchart_index(page: Page) -> str:
    m = page.model
    items = []
    for body, snaps in sorted(m.snapshots.items()):
        key = m.local(body)[len("id/org/"):]
        items.append(f'<a href="{_e(page.href("orgchart/" + key))}">{page.name(body)}</a>: '
                     + ", ".join(f'<a href="{_e(page.href(f"orgchart/{key}/{s.date}"))}">{_time(s.date)}</a>' for s in snaps))
    return layout(page, "Org charts", ul(items))


def orgchart_page(page: Page, key: str, day: str | None) -> str:
    m = page.model
    body = body_iri(m, key)
    snaps = m.snapshots[body]
    day = day or snaps[-1].date
    snap = m.snapshot_at(body, day)
    ko, en = m.label(body, "ko") or key, m.label(body, "en")
    form = (f'<form class="picker" method="get" action="{_e(page.href("orgchart/" + key))}" '
            f'data-snapshots="{_e(" ".join(s.date for s in snaps))}">'
            f'<label for="date">Show the chart as of</label> <input type="date" id="date" name="date" required '
            f'value="{_e(day)}" min="{_e(snaps[0].date)}"> <button type="submit">Show</button></form>')
    dates = ("<p>Snapshots: " + ", ".join(
        f'<a href="{_e(page.href(f"orgchart/{key}/{s.date}"))}"'
        f'{" aria-current=page" if snap and s.iri == snap.iri else ""}>{_time(s.date)}</a>' for s in snaps) + ".</p>")
    earlier = [s for s in snaps if snap and s.date < snap.date]
    compare = (f'<p><a href="{_e(page.href(f"compare/{key}/{earlier[-1].date}/{snap.date}"))}">Compare with the '
               f"snapshot before, of {_e(earlier[-1].date)}</a></p>") if earlier else ""
    if snap is None:
        body_html = (f'<p role="alert">The sources cover {_e(ko)} from {_time(snaps[0].date)} on; there is no chart '
                     f'for {_time(day)}. Pick a later date.</p>')
        return layout(page, f"Org chart of {ko} as of {day}", form + dates + body_html)
    tree = m.tree(snap)
    units = sum(len(k) for k in tree.values())
    title = f"Organization chart of {ko}{f' ({en})' if en else ''} as of {day}"
    desc = (f"{units} units under {ko} in the snapshot of {snap.date}, each direct unit a column with its "
            f"sub-units indented below; each box links to the unit's page.")
    svg = orgchart.render(chart_node(page, body), tree, lambda i: chart_node(page, i), title, desc)
    note = (f'<p>As of {_time(day)}: the snapshot of {_time(snap.date)}'
            f'{", valid until " + _time(snap.until) if snap.until else ""} '
            f'(<a href="{_e(page.href(snap.iri))}">the graph</a>). {units} units.</p>')
    figure = (f'<figure><div class="scroll" tabindex="0" role="region" aria-label="Org chart, scrollable">{svg}</div>'
              f"<figcaption>Organization chart of {page.name(body)} as of {_time(day)}. Boxes link to the units."
              f"</figcaption></figure>")
    listing = f"<details><summary>The chart as a list</summary>{ul([page.link(body) + _nested(page, tree, body)])}</details>"
    h1 = f'Org chart of <span lang="ko">{_e(ko)}</span>'
    return layout(page, f"Org chart of {ko} as of {day}", note + form + dates + compare + figure + listing, h1=h1)


def compare_page(page: Page, key: str, first: str, second: str) -> str:
    m = page.model
    body = body_iri(m, key)
    first, second = sorted((first, second))
    a, b = m.snapshot_at(body, first), m.snapshot_at(body, second)
    ko = m.label(body, "ko") or key
    snaps = m.snapshots[body]
    form = (f'<form class="picker" method="get" action="{_e(page.href("compare/" + key))}" '
            f'data-snapshots="{_e(" ".join(s.date for s in snaps))}">'
            f'<label for="from">From</label> <input type="date" id="from" name="from" value="{_e(first)}" required> '
            f'<label for="to">to</label> <input type="date" id="to" name="to" value="{_e(second)}" required> '
            f'<button type="submit">Compare</button></form>')
    title = f"{ko}: {first} compared with {second}"
    h1 = f'<span lang="ko">{_e(ko)}</span>: {_time(first)} compared with {_time(second)}'
    if a is None or b is None:
        return layout(page, title, form + f'<p role="alert">The sources cover {_e(ko)} from {_time(snaps[0].date)} '
                                          f"on; pick dates from then.</p>", h1=h1)
    if a.iri == b.iri:
        return layout(page, title, form + f"<p>Both dates fall in the snapshot of {_time(a.date)}: nothing changed.</p>", h1=h1)

    before, after = m.parents(a), m.parents(b)
    created = sorted(set(after) - set(before), key=lambda u: (m.label(u, "ko") or u, u))
    abolished = sorted(set(before) - set(after), key=lambda u: (m.label(u, "ko") or u, u))
    renamed = []
    for old in list(abolished):
        for event in m.values(old, ORG + "changedBy"):
            new = m.values(event, ORG + "resultingOrganization")
            if kind(m, event) in RENAMING_LIKE and len(new) == 1 and new[0] in created:
                renamed.append((old, new[0], event))
                abolished.remove(old)
                created.remove(new[0])
    moved = [(u, before[u], after[u]) for u in sorted(set(before) & set(after), key=lambda u: (m.label(u, "ko") or u, u))
             if before[u] != after[u]]
    events = {q.subject.value for q in m.store.quads_for_pattern(None, NamedNode(DCTERMS + "date"), None)
              if m.is_a(q.subject.value, EVENT) and a.date < q.object.value <= b.date}
    note = f"<p>Snapshots compared: {page.link(a.iri, _time(a.date))} and {page.link(b.iri, _time(b.date))}.</p>"
    body_html = (note + form
                 + section(f"Created ({len(created)})", ul(page.link(u) for u in created) or "<p>None.</p>")
                 + section(f"Abolished ({len(abolished)})", ul(page.link(u) for u in abolished) or "<p>None.</p>")
                 + section(f"Renamed ({len(renamed)})", ul(f"{page.link(o)} → {page.link(n)} ({page.link(e, 'event')})"
                                                           for o, n, e in renamed) or "<p>None.</p>")
                 + section(f"Moved ({len(moved)})", ul(f"{page.link(u)}: from {page.link(p)} to {page.link(q)}"
                                                       for u, p, q in moved) or "<p>None.</p>")
                 + section(f"Events in between ({len(events)})", ul(
                     f'{_time(m.one(e, DCTERMS + "date"))} {page.link(e)}' for e in
                     sorted(events, key=lambda e: (m.one(e, DCTERMS + "date") or "", e)))))
    return layout(page, title, body_html, h1=h1)


# --- home, SPARQL form, 404 -----------------------------------------------------------------

def home_page(page: Page) -> str:
    m = page.model
    ds = m.void_dataset()
    bodies = ul(f'{page.link(b)} — <a href="{_e(page.href("orgchart/" + m.local(b)[len("id/org/"):]))}">org chart</a>'
                for b in sorted(m.snapshots))
    intro = "".join(f"<p{_lang(o.language)}>{_e(o.value)}</p>" for o in m.objects(ds, DCTERMS + "description"))
    body = (intro + section("Bodies", bodies)
            + section("Ways in", ul([
                f'<a href="{page.root}dataset">The dataset</a>: downloads, graphs, counts and example queries',
                f'<a href="{page.root}sparql">SPARQL</a>: query the graph, starting from the examples',
                f'<a href="{page.root}def/">The ontology</a>: every class and property',
                "Every IRI under <code>" + _e(m.iris.base) + "</code> answers here at the same path, in HTML, "
                "Turtle, JSON-LD, N-Triples, RDF/XML, TriG and N-Quads (ask with Accept or add .ttl, .jsonld, "
                ".nt, .rdf, .trig, .nq, .html)"])))
    return layout(page, "govkg: the organization of the Korean government", body)


def sparql_page(page: Page, query: str = "", result: str = "", error: str = "") -> str:
    m = page.model
    examples = "".join(
        f'<li lang="en"><h3 id="ex-{_e(e.name)}">{_e(e.title)}</h3><p>{_e(e.description)}</p>'
        f'<p><a href="sparql?example={quote(e.name)}#query" aria-describedby="ex-{_e(e.name)}">Load into the form</a> · '
        f'<a href="{page.root}queries/{quote(e.name)}.rq">{_e(e.name)}.rq</a> · '
        f'<a href="{page.root}queries/{quote(e.name)}.tsv">expected results</a></p></li>' for e in m.examples)
    form = (f'<form method="get" action="sparql" class="sparql"><label for="query">SPARQL query</label>'
            f'<textarea id="query" name="query" rows="16" cols="100" spellcheck="false" required>{_e(query)}</textarea>'
            f'<p><label for="format">Results as</label> <select id="format" name="format">'
            + "".join(f'<option value="{v}">{label}</option>' for v, label in (
                ("html", "a table (HTML)"), ("json", "SPARQL JSON"), ("xml", "SPARQL XML"), ("csv", "CSV"),
                ("tsv", "TSV"), ("ttl", "Turtle (CONSTRUCT, DESCRIBE)"), ("jsonld", "JSON-LD (CONSTRUCT, DESCRIBE)")))
            + '</select> <button type="submit">Run query</button></p></form>')
    notice = (f'<p role="alert" class="error">{_e(error)}</p>' if error else "")
    help_text = ("<p>Read-only SPARQL 1.1 over the default graph and the snapshot graphs (use <code>GRAPH</code>). "
                 "Queries time out, results are capped and <code>SERVICE</code> is refused; see the README. "
                 "Programs can GET or POST the SPARQL 1.1 Protocol here and choose the results format "
                 "with Accept.</p>")
    editor = ""
    if not page.static and editor_installed():
        editor = (f'<div id="editor" class="editor" hidden data-endpoint="sparql" '
                  f'data-prefixes="{_e(json.dumps(rdfio.prefixes(m.iris), ensure_ascii=False))}" '
                  f'data-examples="{_e(json.dumps([{"title": e.title, "query": e.text} for e in m.examples], ensure_ascii=False))}">'
                  f'</div>')
    body = (help_text + notice + editor + form + (section("Results", result) if result else "")
            + section(f"Examples ({len(m.examples)})", f'<ol class="examples">{examples}</ol>'))
    head = (f'<link rel="stylesheet" href="{page.root}static/yasgui/yasgui.min.css">'
            f'<script src="{page.root}static/yasgui/yasgui.min.js" defer></script>'
            f'<script src="{page.root}static/sparql-editor.js" defer></script>') if editor else ""
    return layout(page, "SPARQL", body, head=head)


def editor_installed() -> bool:
    """Whether scripts/install-yasgui.sh put YASGUI into the static assets."""
    return resources.files("govkg.server").joinpath("static", "yasgui", "yasgui.min.js").is_file()


def not_found_page(page: Page, path: str | None) -> str:
    """The 404 page for ``path``; None for the static site's page that any missing path gets."""
    m = page.model
    parent = (path or "").rstrip("/").rpartition("/")[0]
    nearby = []
    while parent:
        if m.exists(m.iri(parent)):
            nearby.append(page.link(m.iri(parent)))
            break
        parent = parent.rpartition("/")[0]
    missing = f"the IRI <code>{_e(m.iri(path))}</code>" if path is not None else "an IRI at this address"
    body = (f"<p>Nothing in govkg has {missing}.</p>"
            "<p>IRIs of things look like <code>id/org/행정안전부/디지털정부국</code> (a unit), "
            "<code>id/event/2020-04-28/…</code> (a change), <code>id/duty/…</code>, <code>id/law/…</code>, "
            "<code>graph/snapshot/행정안전부/2020-04-28</code> (an org chart graph) or <code>def/Bureau</code> "
            "(a term of the ontology). Keys are the Korean names as the law writes them.</p>"
            + (f"<p>The nearest resource above it: {nearby[0]}.</p>" if nearby else "")
            + f'<p>Start from <a href="{page.root or "./"}">the home page</a>, browse the '
              f'<a href="{page.root}orgchart">org charts</a> or search with <a href="{page.root}sparql">SPARQL</a>.</p>')
    return layout(page, "Not found", body)
