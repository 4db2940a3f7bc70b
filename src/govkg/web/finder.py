"""The search page, its JSON form, and the page that answers "who handles X" (the units holding
matching duties on a day, and the line of units that held them before)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from markupsafe import Markup

from ..i18n import Messages
from ..iris import DCTERMS, ORG, PROV
from ..search.index import DUTY
from ..search.query import Hit, Match, Results, Searcher
from ..spans import merge
from ..timeutil import day_after, day_before
from .kinds import KINDS, kind, kind_label
from .model import Model
from .pages import Page

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


def _e(text) -> str:
    return escape(str(text), quote=True)


def marked(match: Match) -> str:
    """The text with the matched words in <mark>."""
    out, at = [], 0
    for start, end in match.marks:
        out.append(_e(match.text[at:start]) + "<mark>" + _e(match.text[start:end]) + "</mark>")
        at = end
    return "".join(out) + _e(match.text[at:])


def _time(day: str | None) -> str:
    return f'<time datetime="{_e(day)}">{_e(day)}</time>' if day else ""


def span(t: Messages, start: str | None, end: str | None) -> str:
    return f"{_time(start) or t('unknown.start')} – {_time(end) if end else t('present')}"


def form_html(page: Page, t: Messages, form: Form, action: str, with_filters: bool = True) -> str:
    m = page.model
    bodies = "".join(f'<option value="{_e(m.local(b)[len("id/org/"):])}"'
                     f'{" selected" if m.local(b)[len("id/org/"):] == form.body else ""} lang="ko">'
                     f'{_e(m.label(b, "ko") or b)} ({_e(s[0].date[:4])}–)</option>'
                     for b, s in sorted(m.snapshots.items(), key=lambda i: i[1][0].date))
    kinds = "".join(f'<option value="{k}"{" selected" if k == form.kind else ""}>'
                    f'{_e(m.label(m.iris.term(k), t.lang) or m.label(m.iris.term(k), "en") or k)}</option>' for k in KINDS)
    filters = (f'<label for="body">{_e(t("search.body"))}</label> <select id="body" name="body">'
               f'<option value="">{_e(t("search.any"))}</option>{bodies}</select> '
               f'<label for="kind">{_e(t("search.kind"))}</label> <select id="kind" name="kind">'
               f'<option value="">{_e(t("search.any"))}</option>{kinds}</select> ') if with_filters else ""
    return (f'<form class="picker search" method="get" action="{_e(page.root + action)}" role="search">'
            f'<p><label for="q">{_e(t("search.q"))}</label> '
            f'<input type="search" id="q" name="q" value="{_e(form.q)}" required maxlength="200" lang="ko"> '
            f'<label for="date">{_e(t("search.date") if with_filters else t("who.date"))}</label> '
            f'<input type="date" id="date" name="date" value="{_e(form.date)}"></p>'
            f'<p>{filters}<button type="submit">{_e(t("search.submit"))}</button></p></form>')


def _layout(page: Page, title: str, body: str, h1) -> str:
    return page.render("finder.html", title, h1=h1, body=Markup(body))


def _query_html(q: str) -> str:
    """The reader's query inside a heading, tagged Korean when it is."""
    return Markup(f'<span lang="ko">{_e(q)}</span>') if _hangul(q) else q


def search_page(page: Page, t: Messages, form: Form, results: Results | None, error: str = "") -> str:
    title = t("search.title.q", q=form.q) if form.q else t("search.title")
    h1 = t.html("search.title.q", q=_query_html(form.q)) if form.q else None
    body = f'<p>{_e(t("search.intro"))}</p>' + form_html(page, t, form, "search")
    if error:
        body += f'<p role="alert" class="error">{_e(error)}</p>'
    if results is not None:
        body += results_html(page, t, form, results)
    return _layout(page, title, body, h1)


def results_html(page: Page, t: Messages, form: Form, results: Results) -> str:
    m = page.model
    key = "search.summary.date" if results.date else "search.summary"
    head = f'<p role="status">{_e(t(key, date=results.date or "", units=len(results.hits), matched=results.matched))}'
    head += (f' <a href="{_e(page.root)}search?{_e(form.query(format="json"))}" type="application/json">'
             f'{_e(t("search.json"))}</a> · <a href="{_e(page.root)}who?{_e(form.query())}">{_e(t("search.who"))}</a></p>')
    if not results.complete:
        head += f'<p>{_e(t("search.incomplete", n=results.matched))}</p>'
    if not results.hits:
        return head + f'<p>{_e(t("search.none"))}</p>'
    items = []
    for hit in results.hits[:SHOWN_UNITS]:
        parts = [f'<h3>{page.link(hit.unit)} <span class="muted">{_e(_kind(m, hit.unit, t))}</span></h3>'
                 f'<p class="muted">{page.link(hit.body) if hit.body != hit.unit else ""} '
                 f'{span(t, m.one(hit.unit, m.iris.term("attestedFrom")), m.one(hit.unit, m.iris.term("attestedUntil")))}'
                 f'{" · " + _e(t("search.former")) if not hit.current else ""}</p>']
        names = [x for x in hit.names if x.text != (m.label(hit.unit, "ko") or "")] if hit.names else []
        if hit.names and not names:
            pass  # the heading is the matching name
        elif names:
            parts.append(f'<p>{_e(t("search.name_match"))}: ' + ", ".join(
                f'<span lang="{"ko" if _hangul(x.text) else "en"}">{marked(x)}</span>' for x in names) + "</p>")
        duties = [f'<li><a href="{_e(page.href(d.iri))}" lang="ko">{marked(d)}</a> '
                  f'<span class="muted">{span(t, d.start, d.end)}</span></li>'
                  for d in hit.duties[:SHOWN_DUTIES + FOLDED_DUTIES]]
        if duties:
            shown = "".join(duties[:SHOWN_DUTIES])
            rest = ("<details><summary>" + _e(t("more", n=len(duties) - SHOWN_DUTIES)) + "</summary><ul>"
                    + "".join(duties[SHOWN_DUTIES:]) + "</ul></details>") if len(duties) > SHOWN_DUTIES else ""
            beyond = len(hit.duties) - len(duties)
            if beyond:
                rest += f'<p><a href="{_e(page.href(hit.unit))}">{_e(t("search.more_on_page", n=beyond))}</a></p>'
            parts.append(f'<ul class="duties">{shown}</ul>{rest}')
        items.append(f'<li class="hit">{"".join(parts)}</li>')
    more = (f'<p>{_e(t("more", n=len(results.hits) - SHOWN_UNITS))}</p>' if len(results.hits) > SHOWN_UNITS else "")
    return (head + f'<section aria-labelledby="s-results"><h2 id="s-results">{_e(t("search.results"))}</h2>'
            f'<ol class="hits">{"".join(items)}</ol>{more}</section>')


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


def who_page(page: Page, t: Messages, form: Form, results: Results | None, day: str, error: str = "") -> str:
    m = page.model
    title = t("who.title.q", q=form.q) if form.q else t("who.title")
    h1 = t.html("who.title.q", q=_query_html(form.q)) if form.q else None
    body = f'<p>{_e(t("who.intro"))}</p>' + form_html(page, t, Form(form.q, form.date or day), "who", with_filters=False)
    if error:
        body += f'<p role="alert" class="error">{_e(error)}</p>'
    if results is None:
        return _layout(page, title, body, h1)
    hits = [h for h in results.hits if h.duties]
    if not hits:
        return _layout(page, title, body + f'<p role="status">{_e(t("who.none", date=day))}</p>', h1)
    body += f'<p role="status">{_e(t("who.summary", date=day, units=len(hits)))}</p>'
    for n, hit in enumerate(hits[:SHOWN_UNITS]):
        duties = "".join(f'<li><a href="{_e(page.href(d.iri))}" lang="ko">{marked(d)}</a> '
                         f'<span class="muted">{span(t, d.start, d.end)}</span></li>' for d in hit.duties)
        line = holders_line(m, [d.iri for d in hit.duties])
        steps = [((start or "", 1), f'<li>{span(t, start, _last_day(end))}: {page.link(unit)} '
                         f'<span class="muted">{_e(t("who.held", n=count))}</span></li>') for start, end, unit, count in line]
        for event in events_line(m, hit.unit, day):
            date = m.one(event, DCTERMS + "date")
            before = ", ".join(page.link(u) for u in m.values(event, ORG + "originalOrganization"))
            after = ", ".join(page.link(u) for u in m.values(event, ORG + "resultingOrganization"))
            steps.append(((date or "", 0), f'<li class="event">{_time(date)} {page.link(event, _e(_kind(m, event, t)))}: '
                                      f'{before} → {after}</li>'))
        steps.sort(key=lambda s: s[0])  # by day, an event before the span it opens
        timeline = f'<ol class="timeline">{"".join(s for _, s in steps)}</ol>' if steps else f'<p>{_e(t("who.no_line"))}</p>'
        body += (f'<section aria-labelledby="w-{n}"><h2 id="w-{n}">{page.link(hit.unit)} '
                 f'<span class="muted">{_e(_kind(m, hit.unit, t))}</span></h2>'
                 f'<h3>{_e(t("who.holds"))}</h3><ul class="duties">{duties}</ul>'
                 f'<h3>{_e(t("who.line"))}</h3>{timeline}</section>')
    return _layout(page, title, body, h1)


def _last_day(end: str | None) -> str | None:
    """The inclusive last day of a half-open span's end."""
    return day_before(end) if end else None
