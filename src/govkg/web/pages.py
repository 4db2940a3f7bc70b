"""Server-rendered HTML: a page per unit, event, duty, source and snapshot, the org chart and
comparison of a body, the dataset, the ontology, the SPARQL form and a helpful 404.

Each page is a Jinja2 template in ``templates/`` (autoescaped: every value is escaped unless it
is markup made here). The functions below gather what a page shows; ``Page`` gives the templates
links, names and terms as markup. Links are relative to the page, so the same HTML works on the
server and on any static host, under any path. The interface is in the page's language (``lang``,
Korean or English, from the message catalog ``govkg.i18n``); data keeps its own language tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from urllib.parse import quote
from weakref import WeakKeyDictionary

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from pyoxigraph import BlankNode, Literal, NamedNode

from .. import i18n, rdfio
from ..formats import RESOURCE_FORMATS, SITE_FORMATS, file_name
from ..i18n import Messages
from ..iris import CV, DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID
from ..timeutil import day_before
from ..vocab import RENAMING_LIKE
from . import bilingual, feedback, government, histories, orgchart
from .compare import compare
from .kinds import DUTY, EVENT, KINDS, SOURCE, UNIT, kind, kind_label
from .model import Model, Snapshot


class NotFound(Exception):
    """No page at this path."""


REMEMBERED = 1 << 16  # links and names a process keeps per model at once
_MEMOS: WeakKeyDictionary[Model, dict] = WeakKeyDictionary()


def _remembered(model: Model, key: tuple, make):
    """What ``make`` gives for ``key``, made once per model: markup that depends on the model alone
    (and the key), which many pages repeat. Bounded: forgotten whole when full."""
    memo = _MEMOS.get(model)
    if memo is None:
        memo = _MEMOS[model] = {}
    found = memo.get(key)
    if found is None:
        if len(memo) >= REMEMBERED:
            memo.clear()
        found = memo[key] = make()
    return found


_LAST: WeakKeyDictionary[Model, dict] = WeakKeyDictionary()


def _again(model: Model, kind: str, key, make):
    """What ``make`` gives for ``key``, kept until the next key of the same ``kind``: the same
    resource's page in the other language reads its view, freshness and statements once."""
    last = _LAST.get(model)
    if last is None:
        last = _LAST[model] = {}
    entry = last.get(kind)
    if entry is None or entry[0] != key:  # read and kept as one tuple: safe for the server's threads
        entry = last[kind] = (key, make())
    return entry[1]


@lru_cache(maxsize=65536)
def _quote(path: str) -> str:
    return quote(path, safe="/-._~!$&'()*+,;=:@")


def lang(code: str | None) -> Markup:
    """The ``lang`` attribute of an element holding text in ``code`` (nothing when unknown)."""
    return Markup(f' lang="{escape(code)}"') if code else Markup("")


def time(day: str | None) -> Markup:
    """A date (the first ten characters of ``day``) as a ``<time>`` element; nothing for None."""
    if not day:
        return Markup("")
    day = escape(day[:10])
    return Markup(f'<time datetime="{day}">{day}</time>')


def last_day(end: str | None) -> str | None:
    """The last day of a half-open span ending at ``end`` (None: still open)."""
    return day_before(end) if end else None


def korean(text: str) -> Markup:
    """Text in Korean (a law's identifier, a name), tagged so."""
    return Markup(f'<span lang="ko">{escape(text)}</span>')


def section_html(title: str, content: Markup, level: int = 2) -> Markup:
    """A titled ``<section>`` of ``content``; nothing when the content is empty. The ``section``
    macro of _macros.html is this; the most made pages call it directly, without a macro's cost."""
    if not content.strip():
        return Markup("")
    ident, title = escape(slug(title)), escape(title)  # f-strings of escaped parts: Markup's % costs more
    return Markup(f'<section aria-labelledby="s-{ident}">\n  <h{level:d} id="s-{ident}">{title}</h{level:d}>\n  {escape(content)}\n</section>\n')


def fact_list(facts: list[tuple[str, str]]) -> Markup:
    """A ``<dl>`` of (term, value) facts, as the ``facts`` and ``fact`` macros of _macros.html make
    it: a fact without a value is left out, the list without facts too."""
    rows = "".join(f"<dt>{escape(term)}</dt><dd>{shown}</dd>\n" for term, value in facts if (shown := escape(value).strip()))
    return Markup(f"<dl>{rows}</dl>\n") if rows else Markup("")  # f-strings of escaped parts: Markup's % costs more


def statements_table(t: Messages, rows: Markup) -> Markup:
    """Every statement of a resource's description (the rows of ``_statements``), folded in a
    ``<details>`` for readers who want all of it; nothing without rows. A function, not an
    included template: nearly every page has it, and an include copies the page's context."""
    if not rows:
        return Markup("")
    return Markup(f'<details>\n  <summary>{escape(t("statements.all"))}</summary>\n  <table>\n'
                  f'    <caption>{escape(t("statements.caption"))}</caption>\n'
                  f'    <thead><tr><th scope="col">{escape(t("statements.property"))}</th>'
                  f'<th scope="col">{escape(t("statements.value"))}</th></tr></thead>\n'
                  f'    <tbody>\n{escape(rows)}    </tbody>\n  </table>\n</details>\n')


def slug(title: str) -> str:
    if bilingual.START in title:  # a title in both languages: the slug of each
        return bilingual.derived(title, slug)
    return "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")


def kind_text(model: Model, local: str, lang: str) -> str:
    """The label of the class ``local`` in ``lang`` (English, or the local name, when it has none)."""
    return model.label(model.iris.term(local), lang) or model.label(model.iris.term(local), "en") or local


def pieces(match) -> list[tuple[str, bool]]:
    """The text of a search match (``search.query.Match``) in pieces, each with whether it is a
    matched word (shown marked)."""
    out, at = [], 0
    for start, end in match.marks:
        out += [(match.text[at:start], False), (match.text[start:end], True)]
        at = end
    return [*out, (match.text[at:], False)]


ENV = Environment(loader=PackageLoader("govkg.web", "templates"), autoescape=True, undefined=StrictUndefined,
                  trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
ENV.filters.update(lang=lang, time=time, slug=slug, last_day=last_day, pieces=pieces)
ENV.globals.update(ko=korean, fact_list=fact_list, section_html=section_html, statements_table=statements_table)
SHOWN_DUTIES = 30   # a unit's duties listed before the rest is folded away
SHOWN_BODIES = 12   # bodies of one kind on the home page, likewise
ENV.globals.update(CV=CV, DCAT=DCAT, DCTERMS=DCTERMS, FOAF=FOAF, ORG=ORG, PROV=PROV, RDFS=RDFS, VOID=VOID)


def compile_templates() -> None:
    """Compiles every template now (in a parent, once, rather than in each process it forks)."""
    for name in ENV.list_templates():
        ENV.get_template(name)


@dataclass
class Page:
    """One page being rendered: knows its own path, so every link it makes is relative."""

    model: Model
    path: str
    static: bool = False
    absolute: bool = False  # links from "/" instead of relative ones
    lang: str = i18n.DEFAULT   # the interface language (the data keeps its own tags)
    switch: str | None = None  # the link to this page in the other language

    @property
    def t(self) -> Messages:
        return bilingual.Both() if self.lang == bilingual.LANG else Messages(self.lang)

    @cached_property
    def root(self) -> str:
        return "/" if self.absolute else "../" * self.path.count("/")

    def href(self, target: str) -> str:
        """A link to a local path, or to an IRI (relative when under the base)."""
        local = self.model.local(target) if "://" in target else target
        if local is None:
            return target
        return (self.root + _quote(local)) or "./"

    def name(self, iri: str) -> Markup:
        """Korean and English labels, each with its language."""
        return _remembered(self.model, ("name", iri), lambda: self._name(iri))

    def _name(self, iri: str) -> Markup:
        ko, en = self.model.label(iri, "ko"), self.model.label(iri, "en")
        if ko and en and ko != en:
            return Markup(f'<span lang="ko">{escape(ko)}</span> <span class="en" lang="en">{escape(en)}</span>')
        if ko or en:
            return Markup(f'<span lang="{"ko" if ko else "en"}">{escape(ko or en)}</span>')
        other = self.model.label(iri)
        return escape(other) if other else Markup(f"<code>{escape(self.short(iri))}</code>")

    def short(self, iri: str) -> str:
        for prefix, ns in (("govkg", self.model.iris.vocab), ("", self.model.iris.base)):
            if iri.startswith(ns):
                return f"{prefix}:{iri[len(ns):]}" if prefix else iri[len(ns):]
        for prefix, ns in (("org", ORG), ("prov", PROV), ("skos", SKOS), ("dcterms", DCTERMS), ("rdf", RDF),
                           ("rdfs", RDFS), ("owl", OWL), ("cv", CV), ("foaf", FOAF), ("void", VOID), ("dcat", DCAT)):
            if iri.startswith(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def link(self, iri: str, text: str | None = None) -> Markup:
        """A link to ``iri`` named ``text`` (escaped unless it is markup) or by its labels. IRIs
        outside the base are external links, and only http(s) ones: ``javascript:`` and the like
        are shown as text, never linked. Made once per page depth (links are relative)."""
        return _remembered(self.model, ("link", self.root, iri, text, type(text)), lambda: self._link(iri, text))

    def _link(self, iri: str, text: str | None) -> Markup:
        if self.model.local(iri) is None:
            if not iri.lower().startswith(("http://", "https://")):
                return Markup(f"<code>{escape(text or iri)}</code>")
            return Markup(f'<a href="{escape(iri)}" rel="external nofollow">{escape(text or iri)}</a>')
        return Markup(f'<a href="{escape(self.href(iri))}">{escape(text if text is not None else self.name(iri))}</a>')

    def cite(self, source: str) -> Markup:
        """A source cited: its link, and its identifier (the law's number) beside it."""
        return _remembered(self.model, ("cite", self.root, source), lambda: self._cite(source))

    def _cite(self, source: str) -> Markup:
        ident = self.model.one(source, DCTERMS + "identifier")
        return self.link(source) + (Markup(' <span class="muted" lang="ko">(%s)</span>') % ident if ident else "")

    def sources(self, sources: list[str]) -> Markup:
        """The section of the sources a resource cites, each cited (``cite``); nothing without any."""
        cited = Markup(f'<ul>{"".join(f"<li>{self.cite(s)}</li>" for s in sources)}</ul>\n') if sources else Markup("")
        return section_html(self.t("s.sources"), cited)

    def term(self, term) -> Markup:
        if isinstance(term, NamedNode):
            return self.link(term.value)
        if isinstance(term, BlankNode):
            return Markup(f"<code>{escape(str(term))}</code>")
        if isinstance(term, Literal):
            return Markup(f"<span{lang(term.language)}>{escape(term.value)}</span>")
        return escape(str(term))

    def period(self, iri: str) -> Markup:
        """When a resource is attested: from – until (or present)."""
        m = self.model
        start, end = m.one(iri, m.iris.term("attestedFrom")), m.one(iri, m.iris.term("attestedUntil"))
        if not start and not end:
            return Markup("")
        return (time(start) or Markup("…")) + Markup(" – ") + (time(end) if end else escape(self.t("present")))

    def provision(self, source: str) -> str:
        """A provision without its law version: 제10조제12항제11호 of 행정안전부령 제195호 제10조제12항제11호."""
        m = self.model
        ident = m.one(source, DCTERMS + "identifier") or m.label(source) or source
        version = m.one(m.one(source, DCTERMS + "isPartOf") or "", DCTERMS + "identifier")
        return ident[len(version):].strip() if version and ident.startswith(version) else ident

    def kind_label(self, iri: str) -> str:
        """The kind of the resource (its most specific class) in the page's language."""
        local = kind(self.model, iri)
        if not local:
            return ""
        return bilingual.kind_label(local) if self.lang == bilingual.LANG else kind_text(self.model, local, self.lang)

    def frame(self, part: str) -> Markup:
        """A macro of ``_frame.html``: a part of the layout that follows only the page's language,
        depth and kind (static or served), so it is made once for each of them."""
        if self.lang == bilingual.LANG:  # each language's frame, itself made once
            framed = _remembered(self.model, ("framed", self.root, self.static), lambda: {
                lang: Page(self.model, self.path, self.static, self.absolute, lang) for lang in i18n.LANGS})
            return Markup(bilingual.entry(lambda lang, plain: str(framed[lang].frame(part))))

        def make() -> Markup:
            module = ENV.get_template("_frame.html").make_module({"page": self, "root": self.root, "t": self.t})
            return Markup(getattr(module, part)())
        return _remembered(self.model, ("frame", part, self.lang, self.root, self.static), make)

    def render(self, template: str, title: str, *, iri: str | None = None, h1: Markup | None = None, **view) -> str:
        """The page: ``template`` (which extends the layout) with what it shows in ``view``."""
        path = self.model.local(iri) or "" if iri is not None else None
        formats = SITE_FORMATS if self.static else RESOURCE_FORMATS  # a static host has only the site's files
        alternates = (_again(self.model, "alternates", (path, self.root, self.static),  # the same in both languages
                             lambda: [(f, self.root + quote(file_name(path, f))) for f in formats[1:]])
                      if path is not None else [])
        fresh = (_again(self.model, "freshness", iri, lambda: histories.freshness(self.model, iri))
                 if iri is not None and path is not None else None)
        fresh_links = Markup(", ").join(self.link(v, korean(self.model.one(v, DCTERMS + "identifier") or v))
                                        for v in fresh.versions) if fresh else Markup("")
        reported = iri is not None and path is not None
        if self.lang == bilingual.LANG:
            report = bilingual.chosen(feedback.report_hrefs(self.model, iri, i18n.LANGS)) if reported else None
            other_lang = bilingual.chosen({lang: i18n.other(lang) for lang in i18n.LANGS})
        else:
            report = feedback.report_href(self.model, iri, self.t) if reported else None
            other_lang = i18n.other(self.lang)
        return ENV.get_template(template).render(page=self, m=self.model, root=self.root, title=title, h1=h1,
                                                 iri=iri, alternates=alternates, t=self.t,
                                                 other_lang=other_lang, freshness=fresh,
                                                 freshness_links=fresh_links, report=report, **view)


def parent_chain(m: Model, iri: str, snapshot: Snapshot) -> list[str]:
    parents = m.parents(snapshot)
    chain, node = [], iri
    while node in parents and node not in chain:
        node = parents[node]
        chain.insert(0, node)
    return chain


def _statements(page: Page, iri: str) -> Markup:
    """The rows of ``statements_table``: the triples of the description with ``iri`` as subject, for
    readers who want all of it, each a row of the property's link and the value. They are the same
    in either language, so they are made here once for both, not by the template for each."""
    if page.model.local(iri) is None:
        return Markup("")
    def row_head(predicate: str) -> str:  # a few hundred properties, on every page: made once per depth
        return _remembered(page.model, ("row", page.root, predicate),
                           lambda: f'      <tr><th scope="row">{page.link(predicate, page.short(predicate))}</th><td>')

    return Markup("".join(f'{row_head(t.predicate.value)}{page.term(t.object)}</td></tr>\n'
                          for t in page.model.triples(iri) if isinstance(t.subject, NamedNode) and t.subject.value == iri))


# --- resource pages -------------------------------------------------------------------------

def resource_page(page: Page, iri: str) -> str:
    m, local = page.model, kind(page.model, iri)
    if page.lang == bilingual.LANG and (m.is_a(iri, "NationalSnapshot") or iri in (m.iris.vocab, m.void_dataset())):
        raise bilingual.Unfilled("these pages read the language themselves")
    if m.is_a(iri, "NationalSnapshot"):
        from . import national  # its pages build on this module's
        return national.national_page(page, m.one(iri, DCTERMS + "date"), iri)
    if iri == m.iris.vocab:
        return ontology_page(page)
    if iri == m.void_dataset():
        return dataset_page(page)

    def view(make) -> dict:  # the same in both languages (its links follow the page's depth)
        return _again(m, "view", (iri, page.root), lambda: make(page, iri))

    if iri in m.named_graphs:
        template, view, title = "snapshot.html", view(snapshot_view), m.label(iri) or iri
    elif local in KINDS or local == UNIT:
        template, view, title = "unit.html", view(unit_view), m.label(iri) or iri
    elif m.is_a(iri, EVENT):
        template, view, title = "event.html", view(event_view), m.label(iri) or iri
    elif local == DUTY:
        template, view = "duty.html", view(duty_view)
        title = page.t("page.duty_of", unit=m.label(m.one(iri, m.iris.term("heldBy")) or "") or "")
    elif local in SOURCE:
        template, view, title = "source.html", view(source_view), m.label(iri) or iri
    elif iri.startswith(m.iris.vocab):
        template, view, title = "term.html", view(term_view), page.short(iri)
    else:  # its statements are the page, shown in full
        return page.render("generic.html", m.label(iri) or page.short(iri), iri=iri,
                           h1=page.name(iri) if m.label(iri) else None,
                           statements=[t for t in m.triples(iri) if str(t.subject) == f"<{iri}>"],
                           incoming=m.incoming(iri), comments=m.objects(iri, RDFS + "comment"))
    h1 = page.name(iri) if title == m.label(iri) else None
    statements = _again(m, "statements", (iri, page.root), lambda: _statements(page, iri))
    return page.render(template, title, iri=iri, h1=h1, statements=statements, **view)


def _names_over_time(m: Model, iri: str) -> list[str]:
    """This unit and its predecessors and successors by renaming, rank change or post conversion."""

    def step(node: str, forward: bool) -> str | None:
        for event in m.values(node, ORG + ("changedBy" if forward else "resultedFrom")):
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
    return chain


def unit_view(page: Page, iri: str) -> dict:
    m, t = page.model, page.model.iris.term
    body = m.one(iri, t("body")) or iri
    duties = sorted(m.subjects(t("heldBy"), iri), key=lambda d: (m.one(d, t("attestedFrom")) or "", m.label(d) or ""))
    events = sorted({e for p in ("changedBy", "resultedFrom") for e in m.values(iri, ORG + p)}
                    | set(m.subjects(t("fromParent"), iri)) | set(m.subjects(t("toParent"), iri)),
                    key=lambda e: (m.one(e, DCTERMS + "date") or "", e))
    names = _names_over_time(m, iri)
    children = histories.children_spans(m, iri)
    return {"body": body, "names": names if len(names) > 1 else [], "parents": histories.parent_spans(m, iri),
            "children": children, "changes": histories.children_changes(children),
            "crumbs": histories.breadcrumbs(m, iri), "duties": duties, "shown": SHOWN_DUTIES,
            "citations": {d: histories.citation_groups(m, d) for d in duties},
            "events": events, "programmes": m.values(iri, t("responsibleFor")),
            "chart": m.iris.key(body) if body in m.snapshots else None,
            "placements": government.of(m).placements.get(iri, []),
            "aliases": m.objects(iri, SKOS + "altLabel"), "sources": m.values(iri, DCTERMS + "source")}


def event_view(page: Page, iri: str) -> dict:
    m, t = page.model, page.model.iris.term
    evidence = [(ev, m.one(ev, t("overlapScore")),
                 [(m.one(x, t("fromDuty")), m.one(x, t("toDuty")), m.one(x, t("similarity")))
                  for x in m.values(ev, t("matchedDuty"))])
                for ev in m.values(iri, t("evidence"))]
    return {"status": m.one(iri, t("evidenceStatus")), "notes": m.objects(iri, RDFS + "comment"),
            "moved": m.values(iri, t("transferredDuty")), "evidence": evidence,
            "sources": m.values(iri, DCTERMS + "source")}


def _lineage(m: Model, duty: str, forward: bool, seen: set[str]) -> list[tuple[str, str, list]]:
    """The duties this one was revised or moved from (or, ``forward``, into), each with its own."""
    found = []
    for p in (PROV + "wasRevisionOf", PROV + "wasDerivedFrom"):
        for node in m.subjects(p, duty) if forward else m.values(duty, p):
            if node in seen or m.local(node) is None or not m.is_a(node, DUTY):
                continue
            seen.add(node)
            how = "revised" if p.endswith("RevisionOf") else "moved"
            found.append((node, how, _lineage(m, node, forward, seen)))
    return found


def duty_view(page: Page, iri: str) -> dict:
    m, t = page.model, page.model.iris.term
    return {"holder": m.one(iri, t("heldBy")), "earlier": _lineage(m, iri, False, {iri}),
            "later": _lineage(m, iri, True, {iri}), "events": m.subjects(t("transferredDuty"), iri),
            "sources": m.values(iri, DCTERMS + "source")}


def source_view(page: Page, iri: str) -> dict:
    m = page.model
    cited = {s for s, p in m.incoming(iri) if p in (DCTERMS + "source", CV + "hasFormalFramework", PROV + "wasDerivedFrom")}
    return {"part_of": m.one(iri, DCTERMS + "isPartOf") or m.one(iri, DCTERMS + "isVersionOf"),
            "publishers": m.objects(iri, DCTERMS + "publisher"), "read_at": m.values(iri, FOAF + "page"),
            "parts": sorted(set(m.subjects(DCTERMS + "isPartOf", iri)) | set(m.subjects(DCTERMS + "isVersionOf", iri))),
            "cited": sorted(cited)}


def snapshot_view(page: Page, iri: str) -> dict:
    m = page.model
    body = m.one(iri, DCTERMS + "subject")
    snap = next(s for s in m.snapshots.get(body, ()) if s.iri == iri)
    tree = m.tree(snap)
    return {"body": body, "snap": snap, "units": len({k for kids in tree.values() for k in kids}),
            "chart": f"orgchart/{m.iris.key(body)}/{m.one(iri, DCTERMS + 'date')}",
            "rows": [(u, p) for p, kids in sorted(tree.items()) for u in kids]}


def term_view(page: Page, iri: str) -> dict:
    m = page.model
    subs = sorted(str(t.subject.value) for triples in m.meta.values() for t in triples
                  if t.predicate.value == RDFS + "subClassOf" and t.object == NamedNode(iri)
                  and isinstance(t.subject, NamedNode))
    return {"definitions": [o for p in (SKOS + "definition", RDFS + "comment") for o in m.objects(iri, p)],
            "supers": [o.value for o in m.objects(iri, RDFS + "subClassOf") if isinstance(o, NamedNode)],
            "subs": subs, "labels": m.objects(iri, RDFS + "label"),
            "count": m.instances(iri)}


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
    shown = [(group, sorted(set(groups.get(group, ()))))
             for group in ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "NamedIndividual")]
    return page.render("ontology.html", m.label(onto, page.lang) or page.t("ontology.title"), iri=onto, groups=shown,
                       descriptions=[o for p in (DCTERMS + "description", RDFS + "comment") for o in m.objects(onto, p)])


def dataset_page(page: Page) -> str:
    m = page.model
    ds = m.void_dataset()
    return page.render(
        "dataset.html", m.label(ds, page.lang) or m.label(ds, "en") or "govkg", iri=ds, ds=ds,
        distributions=[(m.one(d, DCAT + "downloadURL"), m.one(d, DCTERMS + "format"))
                       for d in m.values(ds, DCAT + "distribution")],
        classes=[(m.one(p, VOID + "class"), m.one(p, VOID + "entities")) for p in m.values(ds, VOID + "classPartition")],
        graphs=[(m.one(s, RDFS + "seeAlso"), m.one(s, VOID + "triples")) for s in m.values(ds, VOID + "subset")])


# --- org charts and comparison --------------------------------------------------------------

def body_iri(m: Model, key: str) -> str:
    try:
        iri = m.iris.org(key)
    except ValueError:  # not a key: no IRI is minted from it
        raise NotFound(key) from None
    if iri not in m.snapshots:
        raise NotFound(key)
    return iri


def chart_node(page: Page, iri: str) -> orgchart.Node:
    m = page.model
    local = kind(m, iri) or "Organization"
    return orgchart.Node(iri, m.label(iri, "ko") or m.label(iri) or iri, m.label(iri, "en"), local,
                         kind_label(m, iri) or local, page.href(iri))


def _nested(tree: dict[str, list[str]], iri: str, seen: frozenset = frozenset()) -> list[tuple[str, list]]:
    return [(k, _nested(tree, k, seen | {iri})) for k in tree.get(iri, []) if k not in seen]


def orgchart_index(page: Page) -> str:
    m = page.model
    bodies = [(body, m.iris.key(body), snaps) for body, snaps in sorted(m.snapshots.items())]
    return page.render("orgchart_index.html", page.t("nav.orgcharts"), bodies=bodies)


def orgchart_page(page: Page, key: str, day: str | None) -> str:
    m = page.model
    body = body_iri(m, key)
    snaps = m.snapshots[body]
    day = day or snaps[-1].date
    snap = m.snapshot_at(body, day)
    ko, en = m.label(body, "ko") or key, m.label(body, "en")
    view = {"key": key, "day": day, "snap": snap, "snaps": snaps, "ko": ko, "body": body, "national": government.of(m).at(day),
            "earlier": [s for s in snaps if snap and s.date < snap.date]}
    title = page.t("chart.title", body=ko, date=day)
    if snap is None:
        return page.render("orgchart.html", title, **view)
    tree = m.tree(snap)
    units = sum(len(k) for k in tree.values())
    chart = orgchart.layout(chart_node(page, body), tree, lambda i: chart_node(page, i),
                            f"Organization chart of {ko}{f' ({en})' if en else ''} as of {day}",
                            f"{units} units under {ko} in the snapshot of {snap.date}, each direct unit a column with "
                            f"its sub-units indented below; each box links to the unit's page.")
    return page.render("orgchart.html", title, h1=page.t.html("orgchart.of", body=korean(ko)),
                       chart=chart, units=units, tree=[(body, _nested(tree, body))], **view)


def compare_page(page: Page, key: str, first: str, second: str) -> str:
    m = page.model
    body = body_iri(m, key)
    first, second = sorted((first, second))
    a, b = m.snapshot_at(body, first), m.snapshot_at(body, second)
    ko = m.label(body, "ko") or key
    h1 = page.t.html("compare.title", body=korean(ko), first=time(first), second=time(second))
    changes = compare(m, a, b) if a is not None and b is not None and a.iri != b.iri else None
    return page.render("compare.html", page.t("compare.title", body=ko, first=first, second=second), h1=h1, key=key, ko=ko,
                       first=first, second=second, a=a, b=b, snaps=m.snapshots[body], changes=changes)


# --- home, SPARQL form and results, errors --------------------------------------------------

def home_page(page: Page) -> str:
    m = page.model
    ds = m.void_dataset()
    gov = government.of(m)
    bodies = gov.bodies_by_kind()
    kind_names = {k: m.label(m.iris.term(k), page.lang) or page.t("home.kinds.GovernmentBody") for k, _ in bodies}
    predecessors = {line.body: Markup(", ").join(page.link(p) for p in line.predecessors)
                    for _, lines in bodies for line in lines}
    return page.render("home.html", page.t("home.title"), bodies=bodies, kind_names=kind_names, shown=SHOWN_BODIES,
                       keys={b: m.iris.key(b) for b in m.snapshots}, predecessor_links=predecessors,
                       dates=[n.date for n in gov.snapshots], placed={line.body: _placed(page, line.placements)
                                                                     for _, lines in bodies for line in lines},
                       descriptions=[o for o in m.objects(ds, DCTERMS + "description")
                                     if o.language in (page.lang, None)] or m.objects(ds, DCTERMS + "description"))


def _placed(page: Page, placements) -> Markup:
    """A body's places in the Act, each linking to the national chart of its first day:
    "1998-02-28 – 2008-02-28 under 행정자치부"."""
    return Markup("; ").join(
        Markup('<a href="{}">{}</a> {}').format(
            page.href("government/" + p.start), time(p.start) + Markup(" – ") + (time(p.until) if p.until else page.t("present")),
            page.t.html("gov.placed_under", head=page.link(p.under)) if p.under
            else page.t.html("gov.placed_by_law", law=korean(p.law or "")))
        for p in placements)


def sparql_formats(t: Messages) -> tuple[tuple[str, str], ...]:
    return (("html", t("sparql.f.html")), ("json", "SPARQL JSON"), ("xml", "SPARQL XML"), ("csv", "CSV"),
            ("tsv", "TSV"), ("ttl", t("sparql.f.construct", format="Turtle")),
            ("jsonld", t("sparql.f.construct", format="JSON-LD")))


def editor_installed() -> bool:
    """Whether scripts/install-yasgui.sh put YASGUI into the static assets."""
    return resources.files("govkg.web").joinpath("static", "yasgui", "yasgui.min.js").is_file()


def sparql_page(page: Page, query: str = "", result: Markup | None = None, error: str = "") -> str:
    """The SPARQL page with ``query`` in it, the examples, and ``result`` (see ``results_table``);
    with the editor, except on the static site (which cannot run queries)."""
    m = page.model
    return page.render("sparql.html", "SPARQL", query=query, result=result, error=error,
                       examples=m.examples, formats=sparql_formats(page.t),
                       editor=not page.static and editor_installed(), prefixes=rdfio.prefixes(m.iris),
                       example_queries=[{"title": e.title, "query": e.text} for e in m.examples])


def results_table(page: Page, names: list[str], rows: list[list], truncated: bool) -> Markup:
    """Query results as an HTML table (None for an unbound value)."""
    return Markup(ENV.get_template("results.html").render(page=page, names=names, rows=rows, truncated=truncated,
                                                          t=page.t))


def ask_answer(page: Page, value: bool) -> Markup:
    return Markup(ENV.get_template("results.html").render(answer=value, t=page.t))


def error_page(page: Page, title: str, message: str) -> str:
    return page.render("error.html", title, message=message)


def not_found_page(page: Page, path: str | None) -> str:
    """The 404 page for ``path``; None for the static site's page that any missing path gets."""
    m = page.model
    parent, nearby = (path or "").rstrip("/").rpartition("/")[0], None
    while parent:
        if m.exists(m.iri(parent)):
            nearby = m.iri(parent)
            break
        parent = parent.rpartition("/")[0]
    return page.render("not_found.html", page.t("notfound.title"), missing=m.iri(path) if path is not None else None,
                       nearby=nearby)
