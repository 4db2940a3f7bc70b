"""The sections of a data file (``laws``, ``units``, ``events`` …), each read into records."""

from __future__ import annotations

import re
from typing import Any

from .. import timeutil
from ..errors import InputError, brief
from ..keys import key_problem
from ..vocab import BODY_RANKS, EVENT_TYPE, RANK, STATUS
from ..yamlfile import Node
from . import government
from .fields import Fields, attested, listed, nfc, parse_ref
from .model import (
    DutyBlock,
    DutyRecord,
    Event,
    Grouping,
    LawVersion,
    News,
    Org,
    ParentSpan,
    Programme,
    Records,
    Replaced,
    Responsibility,
    RetiredEvent,
    WebSource,
    WithdrawnKey,
)


def _laws(items: Any, records: Records) -> None:
    for node in listed(items, "laws"):
        law = Fields(node, "law", {"id", "title", "versions"})
        law_id, title = law.key("id"), law.text("title")
        for vnode in listed(law.node.get("versions"), "versions", law.at("versions")):
            v = Fields(vnode, "law version", {"ref", "kind", "number", "promulgated", "effective", "later_effective",
                                              "publisher", "url"})
            version = LawVersion(v.key("ref"), law_id, title, v.text("kind"), v.key("number"),
                                 v.date("promulgated"), v.date("effective"), v.text("publisher", False),
                                 v.url("url"), v.where, v.dates("later_effective"))
            if version.effective < version.promulgated:
                raise v.fail("effective", "takes effect before it was promulgated", "check 시행일자 and 공포일자")
            if any(day <= version.effective for day in version.later_effective):
                raise v.fail("later_effective", f"a day on or before the version's effective date {version.effective}",
                             "list only the later days its 부칙 puts provisions into effect")
            _register(records, version.ref, v, "ref")
            records.laws[version.ref] = version


def _news(items: Any, records: Records) -> None:
    for node in listed(items, "news"):
        n = Fields(node, "news article", {"ref", "title", "issued", "publisher", "url"})
        try:
            issued = timeutil.parse_instant(n.node.get("issued"))
        except ValueError as err:
            raise n.fail("issued", str(err), "write e.g. 2020-04-27T15:43:00+09:00") from None
        article = News(n.key("ref"), n.text("title"), issued, n.text("publisher", False), n.url("url"), n.where)
        _register(records, article.ref, n, "ref")
        records.news[article.ref] = article


def _web(items: Any, records: Records) -> None:
    for node in listed(items, "web"):
        w = Fields(node, "web source", {"ref", "title", "publisher", "url"})
        page = WebSource(w.key("ref"), w.text("title"), w.text("publisher", False), w.url("url"), w.where)
        _register(records, page.ref, w, "ref")
        records.web[page.ref] = page


def _register(records: Records, ref: str, fields: Fields, key: str) -> None:
    if records.source_kind(ref):
        raise fields.fail(key, f"source ref {brief(ref)} is defined twice", "give each source its own ref")


_ORG_FIELDS = {"key", "rank", "name", "alt", "code", "body", "parent", "attested", "began", "ended",
               "snapshots", "sources"}


def _orgs(items: Any, records: Records, section: str) -> None:
    for node in listed(items, section):
        o = Fields(node, "body" if section == "bodies" else "unit", _ORG_FIELDS)
        key, rank = o.key("key"), o.choice("rank", RANK)
        is_body = rank in BODY_RANKS
        if is_body != (section == "bodies"):
            raise o.fail("rank", f"rank {brief(rank)} does not belong in `{section}`",
                         "list government bodies under `bodies:` and internal units under `units:`")
        name = o.mapping("name", "name", {"ko", "en", "en_source"})
        name_en, en_source = name.text("en", False), name.text("en_source", False)
        if name_en and not en_source:
            raise name.fail("en", "English name without a source",
                            "add `en_source:` naming the official source, or remove the English name")
        alt = o.mapping("alt", "alternative names", {"en"}, required=False)
        code = o.mapping("code", "code", {"value", "source"}, required=False)
        start, end = attested(o)
        parents = _parents(o, start, end)
        if not is_body and not o.text("body", False):
            raise o.fail("body", "missing in unit", "name the government body the unit belongs to")
        if o.node.get("snapshots") is not None and not is_body:
            raise o.fail("snapshots", "only a government body has snapshots")
        org = Org(key, rank, is_body, name.text("ko"), name_en, en_source, alt.text("en", False) if alt else None,
                  code.text("value") if code else None, code.text("source") if code else None,
                  o.text("body", False), parents, start, end, o.date("began", False), o.date("ended", False),
                  tuple(sorted(o.dates("snapshots"))), o.refs("sources"), o.where)
        if org.began and org.began > start:
            raise o.fail("began", "the unit began after the sources first show it", "check `began` and `attested.from`")
        if org.ended and end and org.ended <= end:
            raise o.fail("ended", "the unit ended while the sources still show it", "`ended` is the first day it no longer exists")
        if key in records.orgs:
            raise o.fail("key", f"key {brief(key)} is used twice", "keys are unique and never reused")
        records.orgs[key] = org


def _parents(o: Fields, start: str, end: str | None) -> tuple[ParentSpan, ...]:
    value = o.node.get("parent")
    if value is None:
        return ()
    if isinstance(value, str):
        return (ParentSpan(nfc(value, o, "parent"), start, end),)
    spans = []
    for node in listed(value, "parent", o.at("parent")):
        p = Fields(node, "parent period", {"unit", "from", "until"})
        first = p.date("from", False) or start
        spans.append(ParentSpan(p.text("unit"), first, p.until("until", first)))
    for before, after in zip(spans, spans[1:]):
        if before.end is None or after.start != timeutil.day_after(before.end):
            raise o.fail("parent", "parent periods must follow each other without gap or overlap",
                         "end each period (`until`) the day before the next one's `from`")
    return tuple(spans)


def _duties(items: Any, records: Records) -> None:
    for node in listed(items, "duties"):
        d = Fields(node, "duty block", {"holder", "source", "attested", "items"})
        start, end = attested(d)
        source = parse_ref(d.text("source"), d, "source")
        if source.paragraph is None:
            raise d.fail("source", "a duty block cites its article and paragraph", "e.g. `rule-179 art10 par5`")
        items_node = d.node.get("items")
        if not isinstance(items_node, Node) or not items_node:
            raise d.fail("items", "expected numbered items (number: text)")
        items = []
        for number, text in items_node.items():
            if not isinstance(text, str) or not text.strip():
                raise InputError(items_node.path, items_node.line_of(number), f"items.{number}", "empty duty text")
            if not re.fullmatch(r"\d+(-\d+)?", str(number)):
                raise InputError(items_node.path, items_node.line_of(number), f"items.{number}",
                                 "item numbers are integers, or N-M for 제N호의M")
            items.append((str(number), nfc(text, d, f"items.{number}")))
        records.duties.append(DutyBlock(d.text("holder"), source, start, end, tuple(items), d.where))


def _duty_history(items: Any, records: Records) -> None:
    for node in listed(items, "duty_history"):
        d = Fields(node, "duty record", {"holder", "text", "attested", "sources"})
        start, end = attested(d)
        sources = d.refs("sources")
        for ref in sources:  # an item, or the paragraph (or one-paragraph article) that gives items by reference
            if not ref.article:
                raise d.fail("sources", f"{ref.ref}: a duty record cites the provisions that state it, "
                             "down to the article", "write e.g. `rule-179 art10 par5 item3`")
        if not any(ref.item for ref in sources):
            raise d.fail("sources", "a duty record cites at least one item that words it",
                         "write e.g. `rule-179 art10 par5 item3`")
        records.duty_history.append(DutyRecord(d.text("holder"), d.text("text"), start, end, sources, d.where))


_EVENT_FIELDS = {"key", "type", "date", "from", "to", "unit", "from_parent", "to_parent", "status",
                 "framework", "sources", "note"}


def _events(items: Any, records: Records) -> None:
    for node in listed(items, "events"):
        e = Fields(node, "event", _EVENT_FIELDS)
        kind = e.choice("type", EVENT_TYPE)
        if kind == "move":
            unit = e.text("unit")
            original = resulting = (unit,)
            from_parent, to_parent = e.text("from_parent"), e.text("to_parent")
        else:
            original, resulting = e.texts("from", False), e.texts("to", False)
            from_parent = to_parent = None
        records.events.append(Event(e.key("key"), kind, e.date("date"), original, resulting, from_parent, to_parent,
                                    e.choice("status", STATUS), e.texts("framework", False), e.refs("sources"),
                                    e.text("note", False), e.where))


def _programmes(items: Any, records: Records) -> None:
    for node in listed(items, "programmes"):
        p = Fields(node, "programme", {"key", "name", "service", "sources"})
        name = p.mapping("name", "name", {"ko"})
        service = p.node.get("service", False)
        if not isinstance(service, bool):
            raise p.fail("service", "expected true or false")
        prog = Programme(p.key("key"), name.text("ko"), service, p.refs("sources"), p.where)
        if prog.key in records.programmes:
            raise p.fail("key", f"programme {brief(prog.key)} defined twice")
        records.programmes[prog.key] = prog


def _responsibilities(items: Any, records: Records) -> None:
    for node in listed(items, "responsibilities"):
        r = Fields(node, "responsibility", {"programme", "units", "status", "attested", "sources", "note"})
        start, end = attested(r)
        records.responsibilities.append(Responsibility(r.text("programme"), r.texts("units"), r.choice("status", STATUS),
                                                       start, end, r.refs("sources"), r.text("note", False), r.where))


def _groupings(items: Any, records: Records) -> None:
    for node in listed(items, "groupings"):
        g = Fields(node, "grouping", {"key", "head", "members", "date", "status", "sources"})
        records.groupings.append(Grouping(g.key("key"), g.text("head"), g.texts("members"), g.date("date"),
                                          g.choice("status", STATUS), g.refs("sources"), g.where))


def _keys(items: Any, records: Records) -> None:
    """The key registry of the law importer: only keys replaced by another or withdrawn matter to the graph."""
    for node in listed(items, "keys"):
        k = Fields(node, "published key", {"key", "name", "rank", "body", "from", "until", "replaced_by", "withdrawn"})
        by, reason = k.text("replaced_by", False), k.text("withdrawn", False)
        if by and reason:
            raise k.fail("withdrawn", "a key is either replaced or withdrawn, not both",
                         "keep `replaced_by` when another key carries the unit, else `withdrawn`")
        if by:
            first = k.date("from")
            records.replaced.append(Replaced(k.text("key"), by, first, k.until("until", first), k.where))
        elif reason:
            records.withdrawn_keys.append(WithdrawnKey(k.text("key"), reason, k.where))


def _retired_events(items: Any, records: Records) -> None:
    """Event IRIs the law importer once published and no longer makes: replaced or withdrawn."""
    for node in listed(items, "retired_events"):
        r = Fields(node, "retired event", {"event", "replaced_by", "withdrawn", "related"})
        by, reason = r.text("replaced_by", False), r.text("withdrawn", False)
        if bool(by) == bool(reason):
            raise r.fail("event", "a retired event needs exactly one of `replaced_by` and `withdrawn`",
                         "give the event that now states the change, or the reason it was withdrawn")
        records.retired_events.append(RetiredEvent(*_event_id(r, r.text("event"), "event"),
                                                   _event_id(r, by, "replaced_by") if by else None, reason,
                                                   tuple(_event_id(r, e, "related") for e in r.texts("related", False)),
                                                   r.where))


def _event_id(fields: Fields, text: str, name: str) -> tuple[str, str]:
    """``<YYYY-MM-DD>/<key>``, an event's date and key (the tail of its IRI)."""
    day, _, key = text.partition("/")
    try:
        day = timeutil.iso(day)
    except ValueError:
        key = ""
    if not key or key_problem(key):
        raise fields.fail(name, f"{brief(text)} is not an event's <YYYY-MM-DD>/<key>",
                          "write the date and key of the event, e.g. 2020-04-28/전자정부국-디지털정부국")
    return day, key


SECTIONS = {
    "laws": _laws, "news": _news, "web": _web,
    "bodies": lambda v, c: _orgs(v, c, "bodies"), "units": lambda v, c: _orgs(v, c, "units"),
    "duties": _duties, "duty_history": _duty_history, "events": _events, "programmes": _programmes,
    "responsibilities": _responsibilities, "groupings": _groupings, "keys": _keys,
    "retired_events": _retired_events, "government": government.read,
}
ORDER = list(SECTIONS)  # sources first, so references can be checked as soon as all are read
