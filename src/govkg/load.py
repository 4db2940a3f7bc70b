"""Load stage: curated and derived YAML files → checked records.

Every record keeps where it was written (file, line) so that later stages can point curators at
it. Cross-references (units, parents, sources, programmes) are checked here, so the transform
stage can assume a consistent catalogue.

Derived files (data/derived/, written by ``govkg import-law``) use the same sections. Where a
derived and a curated record share a key, they merge and the curated one wins: see ``merge``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import government, timeutil
from .errors import InputError, brief
from .keys import RULE as KEY_RULE
from .keys import key_problem
from .vocab import BODY_RANKS, EVENT_TYPE, RANK, STATUS
from .yamlfile import Node, Seq, read_yaml

_REF = re.compile(r"^(?P<ref>[^\s]+)(?: art(?P<art>\d+(?:-\d+)?))?(?: par(?P<par>\d+))?(?: item(?P<item>\d+(?:-\d+)?))?$")


@dataclass(frozen=True)
class Where:
    path: Path
    line: int

    def error(self, field: str | None, problem: str, hint: str | None = None) -> InputError:
        return InputError(self.path, self.line, field, problem, hint)


@dataclass(frozen=True)
class SourceRef:
    """A citation: a source's ref, optionally narrowed to article, paragraph and item."""

    ref: str
    article: str | None = None
    paragraph: int | None = None
    item: str | None = None

    def with_item(self, item: str) -> SourceRef:
        return SourceRef(self.ref, self.article, self.paragraph, item)


@dataclass(frozen=True)
class LawVersion:
    ref: str
    law_id: str
    title: str
    kind: str
    number: str
    promulgated: str
    effective: str
    publisher: str | None
    url: str | None
    where: Where


@dataclass(frozen=True)
class News:
    ref: str
    title: str
    issued: str
    publisher: str | None
    url: str | None
    where: Where


@dataclass(frozen=True)
class WebSource:
    ref: str
    title: str
    publisher: str | None
    url: str | None
    where: Where


@dataclass(frozen=True)
class ParentSpan:
    parent: str
    start: str | None
    end: str | None  # last day, inclusive


@dataclass(frozen=True)
class Org:
    key: str
    rank: str
    is_body: bool
    name_ko: str
    name_en: str | None
    en_source: str | None
    alt_en: str | None
    code: str | None
    code_source: str | None
    body: str | None
    parents: tuple[ParentSpan, ...]
    attested_from: str
    attested_until: str | None
    began: str | None
    ended: str | None
    snapshots: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    where: Where


@dataclass(frozen=True)
class DutyBlock:
    holder: str
    source: SourceRef
    attested_from: str
    attested_until: str | None
    items: tuple[tuple[str, str], ...]
    where: Where


@dataclass(frozen=True)
class DutyRecord:
    """One duty (holder and text) over its attested period, citing an item of each law version
    it draws on: the compact form of many duty blocks (section ``duty_history``)."""

    holder: str
    text: str
    attested_from: str
    attested_until: str | None
    sources: tuple[SourceRef, ...]
    where: Where


@dataclass(frozen=True)
class Event:
    key: str
    type: str
    date: str
    original: tuple[str, ...]
    resulting: tuple[str, ...]
    from_parent: str | None
    to_parent: str | None
    status: str
    framework: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    note: str | None
    where: Where


@dataclass(frozen=True)
class Programme:
    key: str
    name_ko: str
    service: bool
    sources: tuple[SourceRef, ...]
    where: Where


@dataclass(frozen=True)
class Responsibility:
    programme: str
    units: tuple[str, ...]
    status: str
    attested_from: str
    attested_until: str | None
    sources: tuple[SourceRef, ...]
    note: str | None
    where: Where


@dataclass(frozen=True)
class Grouping:
    key: str
    head: str
    members: tuple[str, ...]
    date: str
    status: str
    sources: tuple[SourceRef, ...]
    where: Where


@dataclass(frozen=True)
class Replaced:
    """A key once published for a unit that another key now carries (section ``keys``)."""

    key: str
    by: str
    attested_from: str
    attested_until: str | None
    where: Where


@dataclass(frozen=True)
class RetiredEvent:
    """An event IRI once published that the data no longer describes (section ``retired_events``):
    ``by`` is the event (``<date>/<key>``) that now states the same change, or None when no event
    does and ``reason`` says why it was withdrawn."""

    date: str
    key: str
    by: tuple[str, str] | None
    reason: str | None
    related: tuple[tuple[str, str], ...]
    where: Where


@dataclass
class Curated:
    """Everything read from the curated files, checked."""

    laws: dict[str, LawVersion] = field(default_factory=dict)
    news: dict[str, News] = field(default_factory=dict)
    web: dict[str, WebSource] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)
    duties: list[DutyBlock] = field(default_factory=list)
    duty_history: list[DutyRecord] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    programmes: dict[str, Programme] = field(default_factory=dict)
    responsibilities: list[Responsibility] = field(default_factory=list)
    groupings: list[Grouping] = field(default_factory=list)
    replaced: list[Replaced] = field(default_factory=list)
    retired_events: list[RetiredEvent] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    # the Government Organization Act's top of the tree (section `government`, govkg.government)
    placements: list[government.Placement] = field(default_factory=list)
    national_snapshots: tuple[str, ...] = ()
    act_bodies: dict[str, Org] = field(default_factory=dict)

    def source_kind(self, ref: str) -> str | None:
        return ("law" if ref in self.laws else "news" if ref in self.news
                else "web" if ref in self.web else None)


# --- field readers -------------------------------------------------------------------------

class _Fields:
    """Typed access to one YAML mapping, with errors naming file, line and field."""

    def __init__(self, node: Any, what: str, allowed: set[str], where: Where | None = None, prefix: str = ""):
        if not isinstance(node, Node):
            raise (where or Where(Path("?"), 0)).error(prefix.rstrip(".") or None,
                                                       f"{what} must be a mapping (key: value)")
        self.node, self.what, self.prefix = node, what, prefix
        self.where = Where(node.path, node.line)
        unknown = set(node) - allowed
        if unknown:
            key = sorted(unknown, key=str)[0]
            raise InputError(node.path, node.line_of(key), f"{prefix}{key}", f"unknown field in {what}",
                             f"allowed fields: {', '.join(sorted(allowed))}")

    def at(self, key: str) -> Where:
        return Where(self.node.path, self.node.line_of(key))

    def fail(self, key: str, problem: str, hint: str | None = None) -> InputError:
        return InputError(self.node.path, self.node.line_of(key), f"{self.prefix}{key}", problem, hint)

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.node.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"missing in {self.what}", f"add `{key}:`")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected text, got {brief(value)}")
        return _nfc(value.strip(), self, key)

    def key(self, key: str, required: bool = True) -> str | None:
        """A key or ref that becomes part of an IRI: text in the one character set of keys."""
        value = self.text(key, required)
        problem = value and key_problem(value)
        if problem:
            raise self.fail(key, f"{brief(value)} {problem}", KEY_RULE)
        return value

    def url(self, key: str) -> str | None:
        """An optional web address: http or https, nothing else (it becomes a link)."""
        value = self.text(key, False)
        if value and (not re.match(r"https?://[^\s<>\"]+$", value, re.I)):
            raise self.fail(key, f"not an http(s) address: {brief(value)}", "write the page's https:// address")
        return value

    def dates(self, key: str) -> tuple[str, ...]:
        """A list of dates, each checked where it is written."""
        value = self.node.get(key)
        if value is None:
            return ()
        if not isinstance(value, Seq):
            raise self.fail(key, f"expected a list of dates, got {brief(value)}", f"write `{key}: [YYYY-MM-DD, ...]`")
        out = []
        for i, item in enumerate(value):
            try:
                out.append(timeutil.iso(item))
            except ValueError:
                raise InputError(self.node.path, value.item_lines[i], f"{self.prefix}{key}",
                                 f"not a valid date: {brief(item)}", "write a real date as YYYY-MM-DD") from None
        return tuple(out)

    def date(self, key: str, required: bool = True) -> str | None:
        value = self.node.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"missing in {self.what}", "add a date as YYYY-MM-DD")
            return None
        try:
            return timeutil.iso(value)
        except ValueError:
            raise self.fail(key, f"not a valid date: {brief(value)}", "write a real date as YYYY-MM-DD") from None

    def texts(self, key: str, required: bool = True) -> tuple[str, ...]:
        value = self.node.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"missing in {self.what}", f"add `{key}: [...]`")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"expected a list of text, got {brief(value)}")
        return tuple(_nfc(v.strip(), self, key) for v in value)

    def refs(self, key: str, required: bool = True) -> tuple[SourceRef, ...]:
        refs = tuple(parse_ref(v, self, key) for v in self.texts(key, required))
        if required and not refs:
            raise self.fail(key, "no source given", "every record cites at least one source")
        return refs

    def choice(self, key: str, options: dict[str, Any]) -> str:
        value = self.text(key)
        if value not in options:
            raise self.fail(key, f"unknown value {brief(value)}", f"use one of: {', '.join(options)}")
        return value

    def mapping(self, key: str, what: str, allowed: set[str], required: bool = True) -> _Fields | None:
        value = self.node.get(key)
        if value is None:
            if required:
                raise self.fail(key, f"missing in {self.what}")
            return None
        return _Fields(value, what, allowed, self.at(key), f"{self.prefix}{key}.")


def _nfc(value: str, fields: _Fields, key: str) -> str:
    if unicodedata.normalize("NFC", value) != value:
        raise fields.fail(key, "text is not in Unicode NFC", "normalise the file to NFC (e.g. uconv -x any-nfc)")
    return " ".join(value.split())


def parse_ref(text: str, fields: _Fields, key: str) -> SourceRef:
    match = _REF.match(text)
    if not match:
        raise fields.fail(key, f"cannot read source reference {brief(text)}",
                          "write `<ref> [artN[-M]] [parN] [itemN[-M]]`, e.g. `rule-179 art10 par5 item3`")
    par = match["par"]
    return SourceRef(match["ref"], match["art"], int(par) if par else None, match["item"])


def _attested(fields: _Fields) -> tuple[str, str | None]:
    att = fields.mapping("attested", "attested period", {"from", "until"})
    start, end = att.date("from"), att.date("until", required=False)
    if end and end < start:
        raise att.fail("until", f"ends ({end}) before it starts ({start})", "swap or correct the dates")
    return start, end


# --- sections ------------------------------------------------------------------------------

def _laws(items: Any, cur: Curated) -> None:
    for node in _list(items, "laws"):
        law = _Fields(node, "law", {"id", "title", "versions"})
        law_id, title = law.key("id"), law.text("title")
        for vnode in _list(law.node.get("versions"), "versions", law.at("versions")):
            v = _Fields(vnode, "law version", {"ref", "kind", "number", "promulgated", "effective", "publisher", "url"})
            version = LawVersion(v.key("ref"), law_id, title, v.text("kind"), v.key("number"),
                                 v.date("promulgated"), v.date("effective"), v.text("publisher", False),
                                 v.url("url"), v.where)
            if version.effective < version.promulgated:
                raise v.fail("effective", "takes effect before it was promulgated", "check 시행일자 and 공포일자")
            _register(cur, version.ref, v, "ref")
            cur.laws[version.ref] = version


def _news(items: Any, cur: Curated) -> None:
    for node in _list(items, "news"):
        n = _Fields(node, "news article", {"ref", "title", "issued", "publisher", "url"})
        try:
            issued = timeutil.parse_instant(n.node.get("issued"))
        except ValueError as err:
            raise n.fail("issued", str(err), "write e.g. 2020-04-27T15:43:00+09:00") from None
        article = News(n.key("ref"), n.text("title"), issued, n.text("publisher", False), n.url("url"), n.where)
        _register(cur, article.ref, n, "ref")
        cur.news[article.ref] = article


def _web(items: Any, cur: Curated) -> None:
    for node in _list(items, "web"):
        w = _Fields(node, "web source", {"ref", "title", "publisher", "url"})
        page = WebSource(w.key("ref"), w.text("title"), w.text("publisher", False), w.url("url"), w.where)
        _register(cur, page.ref, w, "ref")
        cur.web[page.ref] = page


def _register(cur: Curated, ref: str, fields: _Fields, key: str) -> None:
    if cur.source_kind(ref):
        raise fields.fail(key, f"source ref {brief(ref)} is defined twice", "give each source its own ref")


_ORG_FIELDS = {"key", "rank", "name", "alt", "code", "body", "parent", "attested", "began", "ended",
               "snapshots", "sources"}


def _orgs(items: Any, cur: Curated, section: str) -> None:
    for node in _list(items, section):
        o = _Fields(node, "body" if section == "bodies" else "unit", _ORG_FIELDS)
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
        start, end = _attested(o)
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
        if key in cur.orgs:
            raise o.fail("key", f"key {brief(key)} is used twice", "keys are unique and never reused")
        cur.orgs[key] = org


def _parents(o: _Fields, start: str, end: str | None) -> tuple[ParentSpan, ...]:
    value = o.node.get("parent")
    if value is None:
        return ()
    if isinstance(value, str):
        return (ParentSpan(_nfc(value, o, "parent"), start, end),)
    spans = []
    for node in _list(value, "parent", o.at("parent")):
        p = _Fields(node, "parent period", {"unit", "from", "until"})
        spans.append(ParentSpan(p.text("unit"), p.date("from", False) or start, p.date("until", False)))
    for before, after in zip(spans, spans[1:]):
        if before.end is None or after.start != timeutil.day_after(before.end):
            raise o.fail("parent", "parent periods must follow each other without gap or overlap",
                         "end each period (`until`) the day before the next one's `from`")
    return tuple(spans)


def _duties(items: Any, cur: Curated) -> None:
    for node in _list(items, "duties"):
        d = _Fields(node, "duty block", {"holder", "source", "attested", "items"})
        start, end = _attested(d)
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
            items.append((str(number), _nfc(text, d, f"items.{number}")))
        cur.duties.append(DutyBlock(d.text("holder"), source, start, end, tuple(items), d.where))


def _duty_history(items: Any, cur: Curated) -> None:
    for node in _list(items, "duty_history"):
        d = _Fields(node, "duty record", {"holder", "text", "attested", "sources"})
        start, end = _attested(d)
        sources = d.refs("sources")
        for ref in sources:  # an item, or the paragraph (or one-paragraph article) that gives items by reference
            if not ref.article:
                raise d.fail("sources", f"{ref.ref}: a duty record cites the provisions that state it, "
                             "down to the article", "write e.g. `rule-179 art10 par5 item3`")
        if not any(ref.item for ref in sources):
            raise d.fail("sources", "a duty record cites at least one item that words it",
                         "write e.g. `rule-179 art10 par5 item3`")
        cur.duty_history.append(DutyRecord(d.text("holder"), d.text("text"), start, end, sources, d.where))


_EVENT_FIELDS = {"key", "type", "date", "from", "to", "unit", "from_parent", "to_parent", "status",
                 "framework", "sources", "note"}


def _events(items: Any, cur: Curated) -> None:
    for node in _list(items, "events"):
        e = _Fields(node, "event", _EVENT_FIELDS)
        kind = e.choice("type", EVENT_TYPE)
        if kind == "move":
            unit = e.text("unit")
            original = resulting = (unit,)
            from_parent, to_parent = e.text("from_parent"), e.text("to_parent")
        else:
            original, resulting = e.texts("from", False), e.texts("to", False)
            from_parent = to_parent = None
        cur.events.append(Event(e.key("key"), kind, e.date("date"), original, resulting, from_parent, to_parent,
                                e.choice("status", STATUS), e.texts("framework", False), e.refs("sources"),
                                e.text("note", False), e.where))


def _programmes(items: Any, cur: Curated) -> None:
    for node in _list(items, "programmes"):
        p = _Fields(node, "programme", {"key", "name", "service", "sources"})
        name = p.mapping("name", "name", {"ko"})
        service = p.node.get("service", False)
        if not isinstance(service, bool):
            raise p.fail("service", "expected true or false")
        prog = Programme(p.key("key"), name.text("ko"), service, p.refs("sources"), p.where)
        if prog.key in cur.programmes:
            raise p.fail("key", f"programme {brief(prog.key)} defined twice")
        cur.programmes[prog.key] = prog


def _responsibilities(items: Any, cur: Curated) -> None:
    for node in _list(items, "responsibilities"):
        r = _Fields(node, "responsibility", {"programme", "units", "status", "attested", "sources", "note"})
        start, end = _attested(r)
        cur.responsibilities.append(Responsibility(r.text("programme"), r.texts("units"), r.choice("status", STATUS),
                                                   start, end, r.refs("sources"), r.text("note", False), r.where))


def _groupings(items: Any, cur: Curated) -> None:
    for node in _list(items, "groupings"):
        g = _Fields(node, "grouping", {"key", "head", "members", "date", "status", "sources"})
        cur.groupings.append(Grouping(g.key("key"), g.text("head"), g.texts("members"), g.date("date"),
                                      g.choice("status", STATUS), g.refs("sources"), g.where))


def _keys(items: Any, cur: Curated) -> None:
    """The key registry of the law importer: only keys replaced by another matter to the graph."""
    for node in _list(items, "keys"):
        k = _Fields(node, "published key", {"key", "name", "rank", "body", "from", "until", "replaced_by"})
        by = k.text("replaced_by", False)
        if by:
            cur.replaced.append(Replaced(k.text("key"), by, k.date("from"), k.date("until", False), k.where))


def _retired_events(items: Any, cur: Curated) -> None:
    """Event IRIs the law importer once published and no longer makes: replaced or withdrawn."""
    for node in _list(items, "retired_events"):
        r = _Fields(node, "retired event", {"event", "replaced_by", "withdrawn", "related"})
        by, reason = r.text("replaced_by", False), r.text("withdrawn", False)
        if bool(by) == bool(reason):
            raise r.fail("event", "a retired event needs exactly one of `replaced_by` and `withdrawn`",
                         "give the event that now states the change, or the reason it was withdrawn")
        cur.retired_events.append(RetiredEvent(*_event_id(r, r.text("event"), "event"),
                                               _event_id(r, by, "replaced_by") if by else None, reason,
                                               tuple(_event_id(r, e, "related") for e in r.texts("related", False)),
                                               r.where))


def _event_id(fields: _Fields, text: str, name: str) -> tuple[str, str]:
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


def _list(value: Any, what: str, where: Where | None = None) -> list:
    if value is None:
        return []
    if not isinstance(value, Seq):
        line = getattr(value, "line", where.line if where else None)
        raise InputError(getattr(value, "path", where.path if where else "?"), line, what, "expected a list (- items)")
    return value


_SECTIONS = {
    "laws": _laws, "news": _news, "web": _web,
    "bodies": lambda v, c: _orgs(v, c, "bodies"), "units": lambda v, c: _orgs(v, c, "units"),
    "duties": _duties, "duty_history": _duty_history, "events": _events, "programmes": _programmes,
    "responsibilities": _responsibilities, "groupings": _groupings, "keys": _keys,
    "retired_events": _retired_events, "government": government.read,
}
_ORDER = list(_SECTIONS)  # sources first, so references can be checked as soon as all are read


def load(curated_dir: Path, derived_dir: Path | None = None) -> Curated:
    """Reads every ``*.yaml`` under ``curated_dir`` and, merged into it, under ``derived_dir`` (if
    given and present); checks the references and turns duty records into duty blocks."""
    cur = read_records(curated_dir)
    if derived_dir is not None and derived_dir.is_dir():
        cur = merge(cur, read_records(derived_dir, required=False))
    government.fill_in(cur)
    cur.duties = _duty_blocks(cur)
    check_references(cur)
    return cur


def read_records(folder: Path, required: bool = True) -> Curated:
    """The records of every ``*.yaml`` under a folder, each checked on its own, references not yet."""
    files = sorted(folder.rglob("*.yaml"))
    if required and not files:
        raise InputError(folder, None, None, "no curated YAML files found", "point --data at the data folder")
    docs = []
    for path in files:
        doc = read_yaml(path)
        if doc is None:
            raise InputError(path, None, None, "the file is empty: no sections in it",
                             f"write its sections ({', '.join(_SECTIONS)}) or delete the file")
        if not isinstance(doc, Node):
            raise InputError(path, 1, None, "a curated file is a mapping of sections",
                             f"start with one of: {', '.join(_SECTIONS)}")
        unknown = set(doc) - set(_SECTIONS)
        if unknown:
            key = sorted(unknown, key=str)[0]
            raise InputError(path, doc.line_of(key), str(key), "unknown section",
                             f"sections are: {', '.join(_SECTIONS)}")
        docs.append(doc)
    cur = Curated(files=files)
    for section in _ORDER:
        for doc in docs:
            if section in doc:
                _SECTIONS[section](doc[section], cur)
    return cur


# --- curated and derived records ------------------------------------------------------------

def merge(curated: Curated, derived: Curated) -> Curated:
    """Curated and derived records together; where both have a record with the same key, the
    curated one wins (docs/curating.md, "Curated and derived records"):

    * a law version (by ref) must describe the same version in both; the curated record is kept;
    * a body or unit (by key): curated fields override derived ones; sources and snapshots are the
      union (a curated snapshot date is kept only where the merged events change the body, or
      before the derived ones begin); the attested period starts at the earlier ``from`` and ends
      at the curated ``until`` if the curated record gives one, else at the derived one; parent
      periods are the derived
      ones, replaced on the days a curated parent period covers (an open-ended curated period
      lasts until the derived periods next show another parent);
    * an event: a derived event with the date and key of a curated one merges into it (sources and
      framework are the union); a derived event that creates, ends or moves a unit a curated event
      of the same day creates, ends or moves, or a transfer of duties between units a curated
      event of that day already links, or from or to a unit a curated event of that day creates or
      ends, is dropped;
    * duties: records of one holder and text, curated or derived, become one duty (see
      ``_duty_blocks``); any other open-ended curated duty block ends where its holder ends.
    """
    out = Curated(files=curated.files + derived.files)
    out.news, out.web = {**derived.news, **curated.news}, {**derived.web, **curated.web}
    out.laws = dict(derived.laws)
    for ref, version in curated.laws.items():
        other = derived.laws.get(ref)
        if other and (other.law_id, other.number, other.promulgated) != (version.law_id, version.number,
                                                                          version.promulgated):
            raise version.where.error("ref", f"ref {brief(ref)} names another law version in {other.where.path}",
                                      "give the curated version another ref")
        out.laws[ref] = version
    out.orgs = dict(derived.orgs)
    for key, org in curated.orgs.items():
        out.orgs[key] = _merge_org(org, derived.orgs[key]) if key in derived.orgs else org
    joined = {(r.holder, r.text) for r in derived.duty_history}
    out.duties = []
    for block in curated.duties:
        own = tuple(i for i in block.items if (block.holder, i[1]) not in joined)
        shared = tuple(i for i in block.items if (block.holder, i[1]) in joined)
        if shared:  # they join the derived duty records (see _duty_blocks)
            out.duties.append(replace(block, items=shared))
        if own:
            out.duties.append(_cap(replace(block, items=own), out.orgs.get(block.holder)))
    out.duties += derived.duties
    out.duty_history = curated.duty_history + derived.duty_history
    overridden = {(e.date, e.key): _overriding(e, curated.events) for e in derived.events
                  if _overridden(e, curated.events)}
    out.events = curated.events + [e for e in derived.events if (e.date, e.key) not in overridden]
    for i, event in enumerate(out.events[:len(curated.events)]):
        same = [e for e in derived.events if (e.date, e.key) == (event.date, event.key)]
        if same:
            out.events[i] = _merge_event(event, same[0])
    out.programmes, out.responsibilities, out.groupings = (
        curated.programmes, curated.responsibilities, curated.groupings)
    out.replaced = curated.replaced + [r for r in derived.replaced if r.key not in curated.orgs]
    out.placements = curated.placements + derived.placements  # the Act's, derived only (govkg.government)
    out.national_snapshots = curated.national_snapshots or derived.national_snapshots
    out.act_bodies = {**derived.act_bodies, **curated.act_bodies}
    known = {(e.date, e.key) for e in out.events} | {(r.date, r.key) for r in curated.retired_events + derived.retired_events}
    out.retired_events = [replace(r, related=tuple(e for e in r.related if e in known),  # not those curated ones override
                                  by=(overridden[r.by].date, overridden[r.by].key) if r.by in overridden else r.by)
                          for r in curated.retired_events + derived.retired_events]  # a replacement curated overrides: the curated event
    for key in curated.orgs.keys() & derived.orgs.keys():
        org, dates = out.orgs[key], derived.orgs[key].snapshots
        if dates and set(org.snapshots) != set(dates):
            changed = {e.date for e in out.events for k in (*e.original, *e.resulting)
                       if k == key or out.orgs.get(k) and out.orgs[k].body == key}
            kept = tuple(d for d in org.snapshots if d in dates or d in changed or d < dates[0])
            out.orgs[key] = replace(org, snapshots=kept)
    return out


def _union(first: tuple, second: tuple) -> tuple:
    return first + tuple(x for x in second if x not in first)


def _cap(block: DutyBlock, holder: Org | None) -> DutyBlock:
    """An open-ended curated duty block ends where its (merged) holder ends."""
    if block.attested_until or holder is None or not holder.attested_until:
        return block
    return DutyBlock(block.holder, block.source, block.attested_from, holder.attested_until, block.items, block.where)


def _merge_org(cur: Org, der: Org) -> Org:
    until = cur.attested_until or der.attested_until
    return Org(cur.key, cur.rank, cur.is_body, cur.name_ko, cur.name_en, cur.en_source, cur.alt_en, cur.code,
               cur.code_source, cur.body or der.body, _merge_parents(cur.parents, der.parents, until),
               min(cur.attested_from, der.attested_from), until, cur.began or der.began, cur.ended or der.ended,
               tuple(sorted(set(cur.snapshots) | set(der.snapshots))), _union(cur.sources, der.sources), cur.where)


def _merge_parents(cur: tuple[ParentSpan, ...], der: tuple[ParentSpan, ...],
                   until: str | None) -> tuple[ParentSpan, ...]:
    if not cur or not der:
        return cur or der
    covered = []
    for span in cur:
        end = span.end
        if end is None:  # open: until the derived periods next show another parent
            later = [d.start for d in der if d.start > span.start and d.parent != span.parent]
            end = timeutil.day_before(min(later)) if later else None
        covered.append(ParentSpan(span.parent, span.start, end))
    pieces = list(covered)
    for d in der:
        pieces += [ParentSpan(d.parent, a, b) for a, b in _minus(d.start, d.end, [(c.start, c.end) for c in covered])]
    merged: list[ParentSpan] = []
    for span in sorted(pieces, key=lambda p: p.start):
        if merged and merged[-1].parent == span.parent:
            merged[-1] = ParentSpan(span.parent, merged[-1].start, span.end)
        else:
            merged.append(span)
    if until is None:
        merged[-1] = ParentSpan(merged[-1].parent, merged[-1].start, None)
    return tuple(merged)


def _minus(start: str, end: str | None, cuts: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """The parts of [start, end] (end None: open) outside the cut periods."""
    out = []
    for cut_start, cut_end in sorted(cuts, key=lambda c: (c[0], c[1] is None, c[1] or "")):  # open ends last
        if end is not None and cut_start > end:
            break
        if cut_end is not None and cut_end < start:
            continue
        if cut_start > start:
            out.append((start, timeutil.day_before(cut_start)))
        if cut_end is None:
            return out
        start = timeutil.day_after(cut_end)
        if end is not None and start > end:
            return out
    out.append((start, end))
    return out


def _claims(event: Event) -> set[tuple[str, str]]:
    """What an event says happens to units: created, ended or moved."""
    if event.type == "move":
        return {("moved", k) for k in event.original}
    if event.type == "duty-transfer":
        return set()
    return {("ended", k) for k in event.original} | {("created", k) for k in event.resulting}


def _overridden(event: Event, curated: list[Event]) -> bool:
    same_day = [e for e in curated if e.date == event.date]
    if any(e.key == event.key for e in same_day):
        return True
    if event.type == "duty-transfer":
        settled = {k for e in same_day for _, k in _claims(e) - {("moved", k) for k in e.original}}
        return any(set(event.original) <= set(e.original) and set(event.resulting) <= set(e.resulting)
                   for e in same_day) or bool(settled & {*event.original, *event.resulting})
    claims = _claims(event)
    return any(claims & _claims(e) for e in same_day)


def _overriding(event: Event, curated: list[Event]) -> Event:
    """The curated event that overrides a derived one (``_overridden``): of the same key, else the
    first of that day that claims one of its units."""
    same_day = [e for e in curated if e.date == event.date]
    return (next((e for e in same_day if e.key == event.key), None)
            or next((e for e in same_day if _claims(event) & _claims(e)), same_day[0]))


def _merge_event(cur: Event, der: Event) -> Event:
    return Event(cur.key, cur.type, cur.date, cur.original, cur.resulting, cur.from_parent, cur.to_parent,
                 cur.status, _union(cur.framework, der.framework), _union(cur.sources, der.sources),
                 cur.note or der.note, cur.where)


def _touch(a_from: str, a_until: str | None, b_from: str, b_until: str | None) -> bool:
    """Whether two periods overlap or follow each other."""
    return (a_until is None or b_from <= timeutil.day_after(a_until)) and (
        b_until is None or a_from <= timeutil.day_after(b_until))


def _duty_blocks(cur: Curated) -> list[DutyBlock]:
    """Duty blocks for the transform: the curated blocks, with the duty records merged in.

    The uses of one holder and text (the items of curated blocks and the sources of duty records)
    become blocks that follow each other: each starts on the day its source takes effect (or the
    block's own start) and ends the day before the next one starts; a period starts at its
    earliest start and ends at the latest curated ``until`` if a curated block in it gives one,
    else at the duty record's ``until``. Uses that start on the same day make blocks that end the
    day before they start: they add a source, not a period. Each duty record is a period; a
    curated block joins the period it overlaps or adjoins. A duty that comes back after a gap thus
    has several periods, each a duty of its own (``~2`` … in the IRI, docs/identity.md).
    """
    records: dict[tuple[str, str], list[DutyRecord]] = {}
    for record in cur.duty_history:
        records.setdefault((record.holder, record.text), []).append(record)
    if not records:
        return cur.duties
    blocks, uses = [], {}
    for block in cur.duties:
        for number, text in block.items:
            if (block.holder, text) in records:
                uses.setdefault((block.holder, text), []).append(
                    (block.attested_from, block.source.with_item(number), block.attested_until, True, block.where))
            else:
                blocks.append(DutyBlock(block.holder, block.source, block.attested_from, block.attested_until,
                                        ((number, text),), block.where))
    for (holder, text), recs in sorted(records.items()):
        curated = uses.get((holder, text), [])
        # one period per duty record; a curated use joins the first period it overlaps or adjoins, and
        # curated uses that touch none make a period of their own (the duty came back after a gap)
        periods = [(record, []) for record in sorted(recs, key=lambda r: r.attested_from)]
        alone = []
        for use in curated:
            home = next((p for p in periods if _touch(p[0].attested_from, p[0].attested_until, use[0], use[2])), None)
            (home[1] if home else alone).append(use)
        for record, mine in periods + ([(None, alone)] if alone else []):
            if record is not None:
                for ref in record.sources:
                    start = max(record.attested_from, cur.laws[ref.ref].effective) if ref.ref in cur.laws \
                        else record.attested_from
                    mine.append((start, ref, record.attested_until, False, record.where))
            curated_ends = [u[2] for u in mine if u[3] and u[2]]
            end = max(curated_ends) if curated_ends else max((u[2] for u in mine if not u[3]),
                                                             key=lambda d: d or "9999", default=None)
            mine.sort(key=lambda u: (u[0], u[3]))
            for k, (start, ref, until, is_curated, where) in enumerate(mine):
                stop = timeutil.day_before(mine[k + 1][0]) if k + 1 < len(mine) else (
                    end if record is not None else until)
                item_ref = SourceRef(ref.ref, ref.article, ref.paragraph)
                blocks.append(DutyBlock(holder, item_ref, start, stop, ((ref.item, text),), where))
    return blocks


# --- cross-reference checks ----------------------------------------------------------------

def _parent_on(org: Org, day: str) -> str | None:
    for span in org.parents:
        if (span.start is None or span.start <= day) and (span.end is None or span.end >= day):
            return span.parent
    return None


def _check_parent_cycles(cur: Curated) -> None:
    """No unit is (through its parents on some day) its own ancestor: the cycle is named with the
    file and line of each of its members."""
    for org in cur.orgs.values():
        for day in sorted({span.start or org.attested_from for span in org.parents}):
            chain, key = [org.key], _parent_on(org, day)
            while key is not None and key in cur.orgs:
                if key in chain:
                    cycle = chain[chain.index(key):]
                    members = [f"{k} ({cur.orgs[k].where.path}:{cur.orgs[k].where.line})" for k in cycle[:8]]
                    more = f" and {len(cycle) - 8} more" if len(cycle) > 8 else ""
                    first = cur.orgs[cycle[0]]
                    raise first.where.error("parent", f"the parents form a cycle on {day}: "
                                            + " → ".join(members) + f" → {cycle[0]}{more}",
                                            "one of these units must sit under another parent")
                chain.append(key)
                key = _parent_on(cur.orgs[key], day)


def final(cur: Curated, key: str, where: Where | None = None) -> str:
    """The key that now carries what a replaced key named (replacements followed to the end)."""
    by = {r.key: r.by for r in cur.replaced}
    seen = {key}
    while key in by:
        key = by[key]
        if key in seen:
            raise (where or Where("?", None)).error("replaced_by", f"replacements of {key!r} go round in a circle")
        seen.add(key)
    if key not in cur.orgs:
        raise (where or Where("?", None)).error("replaced_by", f"unknown unit or body {key!r}",
                                                "a key is replaced by the key of a unit or body in the data")
    return key


def final_event(cur: Curated, retired: RetiredEvent) -> tuple[str, str]:
    """The event that now states what a replaced event IRI stated (replacements followed to a live
    event, or to a withdrawn one)."""
    by = {(r.date, r.key): r for r in cur.retired_events}
    live = {(e.date, e.key) for e in cur.events}
    here, seen = retired, set()
    while here.by is not None:
        if here.by in live:
            return here.by
        if here.by in seen or here.by not in by:
            problem = "go round in a circle" if here.by in seen else "end at an event that is nowhere"
            raise retired.where.error("replaced_by", f"the replacements of {'/'.join((retired.date, retired.key))} "
                                      f"{problem}", "name an event of the data, or a retired one")
        seen.add(here.by)
        here = by[here.by]
    return here.date, here.key


def check_references(cur: Curated) -> None:
    """Every unit, parent, programme and source named anywhere must exist."""
    def org(key: str, where: Where, field: str) -> Org:
        if key not in cur.orgs:
            raise where.error(field, f"unknown unit or body {brief(key)}", "use a key defined under `bodies:` or `units:`")
        return cur.orgs[key]

    def sources(refs: tuple[SourceRef, ...], where: Where, field: str = "sources") -> None:
        for ref in refs:
            kind = cur.source_kind(ref.ref)
            if kind is None:
                raise where.error(field, f"unknown source {brief(ref.ref)}", "define it in a `laws`, `news` or `web` section")
            if kind != "law" and (ref.article or ref.paragraph or ref.item):
                raise where.error(field, f"{brief(ref.ref)} is not a law: it has no articles")

    for version in cur.laws.values():
        if version.publisher:
            org(version.publisher, version.where, "publisher")
    for page in cur.web.values():
        if page.publisher:
            org(page.publisher, page.where, "publisher")
    for o in cur.orgs.values():
        sources(o.sources, o.where)
        if o.en_source and cur.source_kind(o.en_source) is None:
            raise o.where.error("name.en_source", f"unknown source {brief(o.en_source)}")
        if o.code_source and cur.source_kind(o.code_source) is None:
            raise o.where.error("code.source", f"unknown source {brief(o.code_source)}")
        if o.body:
            if not org(o.body, o.where, "body").is_body:
                raise o.where.error("body", f"{brief(o.body)} is not a government body")
        for span in o.parents:
            parent = org(span.parent, o.where, "parent")
            if parent.key == o.key:
                raise o.where.error("parent", "a unit cannot be its own parent")
        if not o.is_body and not o.parents:
            raise o.where.error("parent", "missing in unit", "name the unit it sits under")
    _check_parent_cycles(cur)
    for block in cur.duties:
        holder = org(block.holder, block.where, "holder")
        sources((block.source,), block.where, "source")
        if block.attested_from < holder.attested_from or (
                holder.attested_until and (block.attested_until or "9999") > holder.attested_until):
            raise block.where.error("attested", f"the duties are attested outside the life of {holder.key}",
                                    "make the duty block's period fit the unit's `attested` period")
    for record in cur.duty_history:
        holder = org(record.holder, record.where, "holder")
        sources(record.sources, record.where)
        if record.attested_from < holder.attested_from or (
                holder.attested_until and (record.attested_until or "9999") > holder.attested_until):
            raise record.where.error("attested", f"the duty is attested outside the life of {holder.key}",
                                     "make the duty's period fit the unit's `attested` period")
    for old in cur.replaced:
        if old.key in cur.orgs:
            raise old.where.error("key", f"{old.key!r} is replaced, yet a unit or body still has that key",
                                  "a replaced key is never given again: rerun the import")
        final(cur, old.key, old.where)
    live = {(e.date, e.key) for e in cur.events}
    known = live | {(r.date, r.key) for r in cur.retired_events}
    for old in cur.retired_events:
        if (old.date, old.key) in live:
            raise old.where.error("event", f"{old.date}/{old.key} is retired, yet an event still has that date and key",
                                  "a retired event IRI is never given again: rerun the import")
        final_event(cur, old)
        for day, key in old.related:
            if (day, key) not in known:
                raise old.where.error("related", f"{day}/{key} is no event of the data",
                                      "name events of the data, or leave `related` out")
    keys = set()
    for event in cur.events:
        if event.key in keys:
            raise event.where.error("key", f"event key {brief(event.key)} used twice")
        keys.add(event.key)
        for key in event.original + event.resulting:
            org(key, event.where, "from/to")
        for key in filter(None, (event.from_parent, event.to_parent)):
            org(key, event.where, "from_parent/to_parent")
        for ref in event.framework:
            if ref not in cur.laws:
                raise event.where.error("framework", f"unknown law version {brief(ref)}", "list law version refs")
        sources(event.sources, event.where)
    for resp in cur.responsibilities:
        if resp.programme not in cur.programmes:
            raise resp.where.error("programme", f"unknown programme {brief(resp.programme)}")
        for key in resp.units:
            org(key, resp.where, "units")
        sources(resp.sources, resp.where)
    for prog in cur.programmes.values():
        sources(prog.sources, prog.where)
    for grouping in cur.groupings:
        for key in (grouping.head, *grouping.members):
            org(key, grouping.where, "head/members")
        sources(grouping.sources, grouping.where)
    for placement in cur.placements:
        sources(placement.sources, placement.where)
    government.check(cur)
