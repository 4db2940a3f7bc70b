"""The search page, its JSON form, and the page that answers "who handles X" (the units holding
matching duties on a day, and the line of units that held them before)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from markupsafe import Markup

from ..i18n import Messages
from ..iris import DCTERMS, ORG, PROV
from ..search.index import DUTY
from ..search.query import Hit, Match, Results, Searcher
from ..spans import merge
from ..timeutil import day_after
from .kinds import KINDS, kind, kind_label
from .model import Model
from .pages import Page, last_day

SHOWN_DUTIES = 5     # matching duties shown per unit before the rest is folded away
FOLDED_DUTIES = 20   # and folded; beyond them, the unit's page has them all
SHOWN_UNITS = 100


class BadRequest(ValueError):
    """A parameter that cannot be used; the message (in the page's language) says how to fix it."""


@dataclass
class Form:
    q: str = ""
    date: str = ""
    body: str = ""   # the body's key, e.g. 행정안전부
    kind: str = ""   # a class of govkg, e.g. Division

    def query(self, **extra) -> str:
        values = {k: v for k, v in (("q", self.q), ("date", self.date), ("body", self.body), ("kind", self.kind),
                                    *extra.items()) if v}
        return urlencode(values)


def read_form(model: Model, t: Messages, params: dict, is_day) -> Form:
    """The form's values from the query string, checked (BadRequest says what is wrong)."""
    form = Form(*(params.get(name, [""])[-1].strip() for name in ("q", "date", "body", "kind")))
    if form.date and not is_day(form.date):
        raise BadRequest(t("error.date"))
    if form.body and _body(model, form.body) not in model.snapshots:
        raise BadRequest(t("error.body", body=form.body))
    if form.kind and form.kind not in KINDS:
        raise BadRequest(t("error.kind", kind=form.kind))
    return form


def _body(model: Model, key: str) -> str | None:
    try:
        return model.iris.org(key)
    except ValueError:  # not a key at all
        return None


def run(searcher: Searcher, model: Model, form: Form) -> Results:
    body = model.iris.org(form.body) if form.body else None
    return searcher.search(form.q, form.date or None, body, form.kind or None)


@dataclass(frozen=True)
class Filters:
    """The search form's choices: bodies (key, Korean name, first year) and kinds (class, label)."""

    bodies: list[tuple[str, str, str]]
    kinds: list[tuple[str, str]]


def _filters(page: Page, t: Messages) -> Filters:
    m = page.model
    bodies = [(m.iris.key(b), m.label(b, "ko") or b, s[0].date[:4])
              for b, s in sorted(m.snapshots.items(), key=lambda i: i[1][0].date)]
    kinds = [(k, m.label(m.iris.term(k), t.lang) or m.label(m.iris.term(k), "en") or k) for k in KINDS]
    return Filters(bodies, kinds)


def _query_html(q: str) -> str:
    """The reader's query inside a heading, tagged Korean when it is."""
    return Markup('<span lang="ko">{}</span>').format(q) if _hangul(q) else q


@dataclass(frozen=True)
class ShownHit:
    """A unit found, as the search page shows it."""

    unit: str
    body: str
    kind: str
    start: str | None
    end: str | None
    current: bool
    names: list     # matching names other than the heading's, each with .lang
    duties: list    # the matching duties shown (folded after SHOWN_DUTIES)
    beyond: int     # matching duties left to the unit's page


@dataclass(frozen=True)
class _Name:
    text: str
    marks: tuple
    lang: str


def search_page(page: Page, t: Messages, form: Form, results: Results | None, error: str = "") -> str:
    m = page.model
    title = t("search.title.q", q=form.q) if form.q else t("search.title")
    h1 = t.html("search.title.q", q=_query_html(form.q)) if form.q else None
    hits = []
    for hit in (results.hits[:SHOWN_UNITS] if results is not None else []):
        heading = m.label(hit.unit, "ko") or ""
        names = [_Name(x.text, x.marks, "ko" if _hangul(x.text) else "en") for x in hit.names if x.text != heading]
        duties = hit.duties[:SHOWN_DUTIES + FOLDED_DUTIES]
        hits.append(ShownHit(hit.unit, hit.body, _kind(m, hit.unit, t), m.one(hit.unit, m.iris.term("attestedFrom")),
                             m.one(hit.unit, m.iris.term("attestedUntil")), hit.current, names, duties,
                             len(hit.duties) - len(duties)))
    more = len(results.hits) - SHOWN_UNITS if results is not None and len(results.hits) > SHOWN_UNITS else 0
    return page.render("search.html", title, h1=h1, form=form, filters=_filters(page, t), message=error,
                       results=results, hits=hits, more=more, shown_duties=SHOWN_DUTIES)


def _hangul(text: str) -> bool:
    return any("\uac00" <= c <= "\ud7a3" for c in text)


def _kind(m: Model, iri: str, t: Messages) -> str:
    local = kind(m, iri)
    return (m.label(m.iris.term(local), t.lang) or kind_label(m, iri)) if local else ""


def search_json(model: Model, form: Form, results: Results) -> bytes:
    """The results for programs: units with their matching names and duties (see the README)."""
    m, t = model, model.iris.term

    def match(x: Match) -> dict:
        return {"text": x.text, "from": x.start, "until": x.end, "marks": [list(s) for s in x.marks],
                **({"iri": x.iri} if x.type == DUTY else {})}

    def unit(hit: Hit) -> dict:
        return {"iri": hit.unit, "page": "/" + (m.local(hit.unit) or ""),
                "name": {lang: m.label(hit.unit, lang) for lang in ("ko", "en") if m.label(hit.unit, lang)},
                "kind": kind(m, hit.unit), "body": hit.body,
                "from": m.one(hit.unit, t("attestedFrom")), "until": m.one(hit.unit, t("attestedUntil")),
                "current": hit.current, "names": [match(x) for x in hit.names],
                "duties": [match(x) for x in hit.duties]}

    out = {"query": form.q, "date": form.date or None, "body": model.iris.org(form.body) if form.body else None,
           "kind": form.kind or None, "matched": results.matched, "complete": results.complete,
           "units": [unit(h) for h in results.hits]}
    return (json.dumps(out, ensure_ascii=False, indent=1) + "\n").encode()


# --- who handles it -------------------------------------------------------------------------

@dataclass
class Step:
    """A unit that held the duty (or one it came from) over a span, or an event between them."""

    start: str | None
    end: str | None        # inclusive, as attestedUntil
    unit: str
    duties: int = 0
    event: str | None = None
    kind: str = ""                              # the event's kind
    before: list = field(default_factory=list)  # links to the units it started from
    after: list = field(default_factory=list)   # and those it resulted in


def holders_line(model: Model, duties: list[str]) -> list[tuple[str, str | None, str, int]]:
    """The units that held ``duties`` or the duties they came from (``prov:wasRevisionOf``,
    ``prov:wasDerivedFrom``, followed back), each with its merged span [start, end) and how many
    of these duties it held; oldest first."""
    m, t = model, model.iris.term
    intervals, counted, seen = [], {}, set()
    todo = list(duties)
    while todo:
        duty = todo.pop()
        if duty in seen:
            continue
        seen.add(duty)
        holder = m.one(duty, t("heldBy"))
        start, end = m.one(duty, t("attestedFrom")), m.one(duty, t("attestedUntil"))
        if holder and start:
            intervals.append((start, day_after(end) if end else None, holder))
            counted.setdefault(holder, set()).add(duty)
        for p in (PROV + "wasRevisionOf", PROV + "wasDerivedFrom"):
            todo.extend(d for d in m.values(duty, p) if m.is_a(d, "Duty"))
    return [(s.start, s.end, s.value, len(counted[s.value])) for s in merge(intervals)]


def events_line(model: Model, unit: str, day: str, limit: int = 50) -> list[str]:
    """The change events (on or before ``day``) the unit came from, followed back through the
    units they started from."""
    m, found, todo, seen = model, [], [unit], set()
    while todo and len(found) < limit:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for event in m.values(node, ORG + "resultedFrom"):
            if event not in found and (m.one(event, DCTERMS + "date") or "") <= day:
                found.append(event)
                todo.extend(m.values(event, ORG + "originalOrganization"))
    return found


@dataclass(frozen=True)
class WhoHit:
    """A unit holding matching duties on the day, and the line that held them before."""

    unit: str
    kind: str
    duties: list
    steps: list[Step]


def who_page(page: Page, t: Messages, form: Form, results: Results | None, day: str, error: str = "") -> str:
    m = page.model
    title = t("who.title.q", q=form.q) if form.q else t("who.title")
    h1 = t.html("who.title.q", q=_query_html(form.q)) if form.q else None
    hits = None if results is None else [h for h in results.hits if h.duties]
    shown = []
    for hit in (hits or [])[:SHOWN_UNITS]:
        steps = [((start or "", 1), Step(start, last_day(end), unit, count))
                 for start, end, unit, count in holders_line(m, [d.iri for d in hit.duties])]
        for event in events_line(m, hit.unit, day):
            date = m.one(event, DCTERMS + "date")
            steps.append(((date or "", 0), Step(date, None, "", event=event, kind=_kind(m, event, t),
                                                before=[page.link(u) for u in m.values(event, ORG + "originalOrganization")],
                                                after=[page.link(u) for u in m.values(event, ORG + "resultingOrganization")])))
        steps.sort(key=lambda s: s[0])  # by day, an event before the span it opens
        shown.append(WhoHit(hit.unit, _kind(m, hit.unit, t), hit.duties, [step for _, step in steps]))
    return page.render("who.html", title, h1=h1, form=Form(form.q, form.date or day), message=error,
                       hits=None if hits is None else shown, units=len(hits or []), day=day)
