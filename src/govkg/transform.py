"""Transform stage: checked curated records → RDF quads in a pyoxigraph store.

The default graph holds every resource with its standard (ORG, PROV, SKOS, dcterms, CPSV) and
govkg terms; one named graph per body and snapshot date holds that day's org chart
(``org:subOrganizationOf`` and ``org:purpose``). docs/model.md is the contract.
"""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Store

from . import lineage, nationalgraph, timeutil
from .errors import brief
from .iris import CPSV, CV, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, Iris
from .quadtext import Quads, en, ko, plain, typed
from .quadtext import date as _date
from .quadtext import instant as _instant
from .records.checks import Successors
from .records.model import DutyBlock, Event, LawVersion, Org, Records, SourceRef
from .timeutil import Period
from .vocab import EVENT_TYPE, RANK, STATUS

_DATETIME, _DECIMAL, _INTEGER = (XSD + t for t in ("dateTime", "decimal", "integer"))
_EVENT_LABELS = {
    "establishment": "Establishment", "abolition": "Abolition", "renaming": "Renaming",
    "merger": "Merger", "split": "Split", "move": "Move", "duty-transfer": "Transfer of duties",
    "post-conversion": "Conversion of a post", "rank-change": "Change of rank",
}


@dataclass
class Duty:
    """One duty: a holder and a text, over one contiguous attested period."""

    iri: str
    holder: str
    text: str
    start: str
    end: str | None
    sources: list[SourceRef] = field(default_factory=list)
    period: int = 1      # 2, 3 … for a duty that comes back after a gap


class Graph(Quads):
    """The quads of the dataset being made (``quadtext.Quads``), with the IRIs they are minted by."""

    def __init__(self, iris: Iris) -> None:
        super().__init__()
        self.iris, self._terms = iris, {}

    def types(self, s: str, *classes: str) -> None:
        for cls in classes:
            self.add(s, RDF + "type", cls)

    def term(self, local: str) -> str:
        iri = self._terms.get(local)
        if iri is None:
            iri = self._terms[local] = self.iris.term(local)
        return iri


def transform(cur: Records, iris: Iris) -> Store:
    """Builds the whole dataset in a new in-memory store."""
    collecting = gc.isenabled()
    gc.disable()  # it leaves next to no cyclic garbage, and each collection walks the millions of records
    try:
        with Graph(iris) as g:
            _dataset(cur, g)
            return g.finish()
    finally:
        if collecting:
            gc.enable()


def _dataset(cur: Records, g: Graph) -> None:
    source_iri = _Sources(cur, g)
    duties = _duties(cur, g.iris)
    for org in cur.orgs.values():
        _org(org, cur, g, source_iri)
    _duty_triples(duties, g, source_iri)
    revisions = _revisions(duties)
    for new, old in revisions:
        g.add(new.iri, PROV + "wasRevisionOf", old.iri)
    revised = ({old.iri for _, old in revisions}, {new.iri for new, _ in revisions})
    matches = lineage_matches(cur.events, duties, revised)
    for event in cur.events:
        _event(event, cur, matches.get(event.key), g, source_iri)
    _programmes(cur, {ref: d.iri for d in duties for ref in d.sources}, g, source_iri)
    _groupings(cur, g, source_iri)
    _replaced(cur, duties, g)
    _retired_events(cur, g)
    _snapshots(cur, duties, g, source_iri)
    nationalgraph.add(cur, g, source_iri)


class _Sources:
    """Mints source IRIs (law versions, provisions, news, web pages) and describes each once."""

    def __init__(self, cur: Records, g: Graph):
        self.cur, self.g, self.done = cur, g, set()
        self.minted: dict[SourceRef, str] = {}  # the IRI of each citation: most are cited again and again

    def __call__(self, ref: SourceRef) -> str:
        iri = self.minted.get(ref)
        if iri is None:
            iri = self.minted[ref] = self._mint(ref)
            if iri not in self.done:
                self.done.add(iri)
                self._describe(ref, iri)
        return iri

    def _mint(self, ref: SourceRef) -> str:
        cur, iris = self.cur, self.g.iris
        if ref.ref in cur.news:
            return iris.news(ref.ref)
        if ref.ref in cur.web:
            return iris.web(ref.ref)
        iri = self.minted.get(SourceRef(ref.ref)) if ref.article else None
        if iri is None:
            version = cur.laws[ref.ref]
            iri = iris.law_version(version.law_id, version.promulgated, version.number)
        return iris.provision(iri, ref.article, ref.paragraph, ref.item) if ref.article else iri

    def _describe(self, ref: SourceRef, iri: str) -> None:
        g, cur, t = self.g, self.cur, self.g.term
        if ref.ref in cur.news:
            news = cur.news[ref.ref]
            g.types(iri, t("NewsArticle"), PROV + "Entity")
            g.add(iri, DCTERMS + "title", ko(news.title))
            g.add(iri, DCTERMS + "issued", typed(news.issued, _DATETIME))
            g.add(iri, DCTERMS + "identifier", plain(news.url or news.ref))
            if news.publisher:
                g.add(iri, DCTERMS + "publisher", ko(news.publisher))
            if news.url:
                g.add(iri, FOAF + "page", news.url)
            return
        if ref.ref in cur.web:
            page = cur.web[ref.ref]
            g.types(iri, t("WebSource"), PROV + "Entity")
            g.add(iri, DCTERMS + "title", plain(page.title))
            if page.publisher:
                g.add(iri, DCTERMS + "publisher", g.iris.org(page.publisher))
            if page.url:
                g.add(iri, FOAF + "page", page.url)
            return
        version = cur.laws[ref.ref]
        number = f"{version.kind} 제{version.number}호"
        if not ref.article:
            law_iri = g.iris.law(version.law_id)
            g.types(law_iri, t("Law"), PROV + "Entity")
            g.add(law_iri, DCTERMS + "title", ko(version.title))
            g.add(law_iri, DCTERMS + "identifier", plain(version.law_id))
            g.types(iri, t("LawVersion"), PROV + "Entity")
            g.add(iri, DCTERMS + "title", ko(version.title))
            g.add(iri, DCTERMS + "isVersionOf", law_iri)
            g.add(iri, t("lawKind"), ko(version.kind))
            g.add(iri, t("lawNumber"), plain(version.number))
            g.add(iri, DCTERMS + "identifier", plain(number))
            g.add(iri, DCTERMS + "issued", _date(version.promulgated))
            g.add(iri, t("effectiveDate"), _date(version.effective))
            for day in version.later_effective:
                g.add(iri, t("laterEffectiveDate"), _date(day))
            if version.publisher:
                g.add(iri, DCTERMS + "publisher", g.iris.org(version.publisher))
            if version.url:
                g.add(iri, FOAF + "page", version.url)
            return
        version_iri = self(SourceRef(ref.ref))  # the version the provision belongs to
        citation = _citation(ref)
        g.about(iri, ((RDF + "type", t("Provision")), (RDF + "type", PROV + "Entity"),
                      (DCTERMS + "isPartOf", version_iri), (DCTERMS + "title", ko(f"{version.title} {citation}")),
                      (DCTERMS + "identifier", plain(f"{number} {citation}")),
                      (DCTERMS + "issued", _date(version.promulgated)), (t("article"), plain(ref.article)),
                      *(((t("paragraph"), typed(str(ref.paragraph), _INTEGER)),) if ref.paragraph is not None else ()),
                      *(((t("item"), plain(ref.item)),) if ref.item else ())))


def _citation(ref: SourceRef) -> str:
    """Korean citation form: 제10조의2제4항제3호."""
    def part(number: str, unit: str) -> str:
        main, _, sub = number.partition("-")
        return f"제{main}{unit}" + (f"의{sub}" if sub else "")
    text = part(ref.article, "조")
    if ref.paragraph is not None:
        text += f"제{ref.paragraph}항"
    if ref.item:
        text += part(ref.item, "호")
    return text


def _org(org: Org, cur: Records, g: Graph, source_iri: _Sources) -> None:
    t, iri = g.term, g.iris.org(org.key)
    rank_class = RANK[org.rank].local
    g.types(iri, t(rank_class), t("Organization"), ORG + "Organization", PROV + "Entity")
    if org.is_body:
        g.types(iri, t("GovernmentBody"), ORG + "FormalOrganization", CV + "PublicOrganisation")
    else:
        g.types(iri, t("InternalUnit"), ORG + "OrganizationalUnit")
    for prop in (SKOS + "prefLabel", RDFS + "label"):
        g.add(iri, prop, ko(org.name_ko))
        if org.name_en:
            g.add(iri, prop, en(org.name_en))
    if org.alt_en:
        g.add(iri, SKOS + "altLabel", en(org.alt_en))
    if org.code:
        g.add(iri, ORG + "identifier", plain(org.code))
        g.add(iri, DCTERMS + "identifier", plain(org.code))
        g.add(iri, DCTERMS + "source", source_iri(SourceRef(org.code_source)))
    if org.en_source:
        g.add(iri, DCTERMS + "source", source_iri(SourceRef(org.en_source)))
    if org.body:
        g.add(iri, t("body"), g.iris.org(org.body))
        g.add(iri, ORG + "unitOf", g.iris.org(org.body))
    if org.is_body and org.parents:  # an affiliated agency: within its top-level body for life
        top = _root(org, cur)
        if top.key != org.key:
            g.add(iri, ORG + "transitiveSubOrganizationOf", g.iris.org(top.key))
    g.add(iri, t("attestedFrom"), _date(org.attested_from))
    if org.attested_until:
        g.add(iri, t("attestedUntil"), _date(org.attested_until))
    if org.began:
        g.add(iri, PROV + "generatedAtTime", _instant(org.began))
    if org.ended:
        g.add(iri, PROV + "invalidatedAtTime", _instant(org.ended))
    for ref in org.sources:
        g.add(iri, DCTERMS + "source", source_iri(ref))


# --- duties --------------------------------------------------------------------------------

def _duties(cur: Records, iris: Iris) -> list[Duty]:
    """One Duty per (holder, text) and contiguous attested period, blocks merged."""
    by_key: dict[tuple[str, str], list[tuple[DutyBlock, str]]] = defaultdict(list)
    for block in cur.duties:
        for item, text in block.items:
            by_key[(block.holder, text)].append((block, item))
    duties = []
    for (holder, text), uses in by_key.items():
        uses.sort(key=lambda u: u[0].attested_from)
        duty = None
        for block, item in uses:
            if duty is None:
                duty = Duty(iris.duty(holder, text), holder, text, block.attested_from, block.attested_until)
            elif duty.end is not None and timeutil.day_after(duty.end) < block.attested_from:
                duties.append(duty)  # a gap: the duty that comes back is a new duty (docs/identity.md)
                duty = Duty(iris.duty(holder, text, duty.period + 1), holder, text, block.attested_from,
                            block.attested_until, period=duty.period + 1)
            elif duty.end is None or timeutil.day_after(duty.end) != block.attested_from:
                raise block.where.error("items", f"duty {brief(text)} of {holder} is attested in periods that overlap",
                                        "check the periods of the blocks of this duty")
            else:
                duty.end = block.attested_until
            duty.sources.append(block.source.with_item(item))
        duties.append(duty)
    return sorted(duties, key=lambda d: (d.holder, d.start, d.iri))


def _duty_triples(duties: list[Duty], g: Graph, source_iri: _Sources) -> None:
    t, kind = g.term, RDF + "type"
    head = ((kind, t("Duty")), (kind, SKOS + "Concept"), (kind, PROV + "Entity"))
    label, held_by, since, until, source = (SKOS + "prefLabel", t("heldBy"), t("attestedFrom"),
                                            t("attestedUntil"), DCTERMS + "source")
    for duty in duties:
        g.about(duty.iri, (*head, (label, ko(duty.text)), (held_by, g.iris.org(duty.holder)),
                           (since, _date(duty.start)), *(((until, _date(duty.end)),) if duty.end else ()),
                           *((source, source_iri(ref)) for ref in duty.sources)))


def _revisions(duties: list[Duty]) -> list[tuple[Duty, Duty]]:
    """(new, old) pairs: a holder's duty that ends the day before a similar one of it begins."""
    ending, starting = defaultdict(list), defaultdict(list)
    for duty in duties:
        if duty.end:
            ending[(duty.holder, timeutil.day_after(duty.end))].append(duty)
        starting[(duty.holder, duty.start)].append(duty)
    pairs = []
    for key, old in sorted(ending.items()):
        new = starting.get(key, [])
        for i, j, _ in lineage.match([d.text for d in old], [d.text for d in new]):
            pairs.append((new[j], old[i]))
    return pairs


# --- events --------------------------------------------------------------------------------

def _event(event: Event, cur: Records, matched: tuple | None, g: Graph, source_iri: _Sources) -> None:
    t, iri = g.term, g.iris.event(event.date, event.key)
    g.types(iri, t(EVENT_TYPE[event.type].local), t("ChangeEvent"), ORG + "ChangeEvent", PROV + "Activity")
    names = lambda keys: ", ".join(cur.orgs[k].name_ko for k in keys)  # noqa: E731
    label = _EVENT_LABELS[event.type]
    if event.type == "move":
        label += f" of {names(event.original)} from {names([event.from_parent])} to {names([event.to_parent])}"
    elif event.original and event.resulting:
        label += f": {names(event.original)} → {names(event.resulting)}"
    else:
        label += f" of {names(event.original or event.resulting)}"
    g.add(iri, RDFS + "label", en(f"{label} ({event.date})"))
    for key in event.original:
        g.add(iri, ORG + "originalOrganization", g.iris.org(key))
        g.add(g.iris.org(key), ORG + "changedBy", iri)
    for key in event.resulting:
        g.add(iri, ORG + "resultingOrganization", g.iris.org(key))
        g.add(g.iris.org(key), ORG + "resultedFrom", iri)
    if event.from_parent:
        g.add(iri, t("fromParent"), g.iris.org(event.from_parent))
        g.add(iri, t("toParent"), g.iris.org(event.to_parent))
    g.add(iri, PROV + "startedAtTime", _instant(event.date))
    g.add(iri, DCTERMS + "date", _date(event.date))
    for ref in event.framework:
        g.add(iri, CV + "hasFormalFramework", source_iri(SourceRef(ref)))
    for ref in event.sources:
        g.add(iri, DCTERMS + "source", source_iri(ref))
    g.add(iri, t("evidenceStatus"), t(STATUS[event.status].local))
    if event.note:
        g.add(iri, RDFS + "comment", en(event.note))
    if matched:
        _duty_lineage(event, matched, g, iri)


def lineage_matches(events: list[Event], duties: list[Duty], revised: tuple[set[str], set[str]]) -> dict[str, tuple]:
    """For each lineage event: (old duties, matched pairs). Matching is joint per date, so a duty
    that ended is matched at most once, to the most similar duty among the units that events of
    that day link its holder to. ``revised`` holds the duties that a revision ends and those it
    starts: they are left out on that side only (a duty that began as a revision can still move
    when it ends)."""
    result = {}
    by_date = defaultdict(list)
    for event in events:
        if EVENT_TYPE[event.type].lineage:
            by_date[event.date].append(event)
    ending, starting = defaultdict(list), defaultdict(list)  # by the day after a duty's end, by its start
    for d in duties:
        if d.end:
            ending[timeutil.day_after(d.end)].append(d)
        starting[d.start].append(d)
    for day, day_events in sorted(by_date.items()):
        links = {(o, r) for e in day_events for o in e.original for r in e.resulting}
        givers, takers = {o for o, _ in links}, {r for _, r in links}
        old = [d for d in ending.get(day, ()) if d.holder in givers and d.iri not in revised[0]]
        new = [d for d in starting.get(day, ()) if d.holder in takers and d.iri not in revised[1]]
        by_holder = defaultdict(list)
        for j, d in enumerate(new):
            by_holder[d.holder].append(j)
        takers_of = defaultdict(set)
        for o, r in links:
            takers_of[o].add(r)
        pairs = lineage.match([d.text for d in old], [d.text for d in new],
                              candidates=((i, j) for i, d in enumerate(old)
                                          for r in takers_of[d.holder] for j in by_holder.get(r, ())))
        for event in day_events:
            mine = [d for d in old if d.holder in event.original]
            chosen = [(old[i], new[j], sim) for i, j, sim in pairs
                      if old[i].holder in event.original and new[j].holder in event.resulting]
            result[event.key] = (mine, new, chosen)
    return result


def _duty_lineage(event: Event, matched: tuple, g: Graph, event_iri: str) -> None:
    """Writes the duty-overlap evidence of an event and links each continued duty to its origin."""
    t = g.term
    old, new, pairs = matched
    if not old:
        return
    evidence = g.iris.evidence(event_iri)
    g.add(event_iri, t("evidence"), evidence)
    g.types(evidence, t("DutyOverlapEvidence"), PROV + "Entity")
    g.add(evidence, t("overlapScore"), typed(f"{len(pairs) / len(old):.3f}", _DECIMAL))
    g.add(evidence, RDFS + "comment", en(
        f"{len(pairs)} of the {len(old)} duties that the original units held until the day before "
        f"continue in the resulting units with a similar text (character-bigram Dice coefficient "
        f"≥ {lineage.THRESHOLD}; each old duty matched once among all changes of {event.date})."))
    for n, (old_duty, new_duty, sim) in enumerate(pairs, start=1):
        match_iri = g.iris.duty_match(event_iri, n)
        g.add(evidence, t("matchedDuty"), match_iri)
        g.types(match_iri, t("DutyMatch"), PROV + "Entity")
        g.add(match_iri, t("fromDuty"), old_duty.iri)
        g.add(match_iri, t("toDuty"), new_duty.iri)
        g.add(match_iri, t("similarity"), typed(f"{sim:.3f}", _DECIMAL))
        g.add(new_duty.iri, PROV + "wasDerivedFrom", old_duty.iri)
        if event.type == "duty-transfer":
            g.add(event_iri, t("transferredDuty"), new_duty.iri)


# --- replaced keys -------------------------------------------------------------------------

def _replaced(cur: Records, duties: list[Duty], g: Graph) -> None:
    """``dcterms:isReplacedBy`` from each IRI published under a replaced key to the IRI now
    carrying it: the unit's, and each duty's that its new holder held during the old key's period
    (a duty's IRI is its holder's key and its text: the same text under the old key); and a
    withdrawn key's unit IRI ``owl:deprecated``, with the reason (``skos:historyNote``)."""
    held = defaultdict(list)
    for duty in duties:
        held[duty.holder].append(duty)
    successors = Successors(cur)
    for old in sorted(cur.replaced, key=lambda r: r.key):
        new = successors.key(old.key, old.where)
        g.add(g.iris.org(old.key), DCTERMS + "isReplacedBy", g.iris.org(new))
        for duty in held[new]:
            if Period.of(duty.start, duty.end).overlaps(old.attested):
                g.add(g.iris.duty(old.key, duty.text), DCTERMS + "isReplacedBy", duty.iri)
    for gone in sorted(cur.withdrawn_keys, key=lambda w: w.key):  # a misreading: nothing states it now
        g.add(g.iris.org(gone.key), OWL + "deprecated", typed("true", XSD + "boolean"))
        g.add(g.iris.org(gone.key), SKOS + "historyNote", en(gone.reason))


def _retired_events(cur: Records, g: Graph) -> None:
    """Event IRIs published once and no longer made: ``dcterms:isReplacedBy`` the event that now
    states the same change, or, withdrawn, ``owl:deprecated`` with the reason (``skos:historyNote``)
    and the events of that day that now speak of the same units (``rdfs:seeAlso``)."""
    successors = Successors(cur)
    for old in sorted(cur.retired_events, key=lambda r: (r.date, r.key)):
        iri = g.iris.event(old.date, old.key)
        if old.by is not None:
            g.add(iri, DCTERMS + "isReplacedBy", g.iris.event(*successors.event(old)))
            continue
        g.add(iri, OWL + "deprecated", typed("true", XSD + "boolean"))
        g.add(iri, SKOS + "historyNote", en(old.reason))
        for day, key in old.related:
            g.add(iri, RDFS + "seeAlso", g.iris.event(day, key))


# --- programmes and groupings --------------------------------------------------------------

def _programmes(cur: Records, duty_at: dict[SourceRef, str], g: Graph, source_iri: _Sources) -> None:
    t = g.term
    for prog in cur.programmes.values():
        iri = g.iris.programme(prog.key)
        g.types(iri, t("Programme"), SKOS + "Concept", PROV + "Entity")
        if prog.service:
            g.types(iri, t("PublicServiceProgramme"), CPSV + "PublicService")
        g.add(iri, SKOS + "prefLabel", ko(prog.name_ko))
        g.add(iri, RDFS + "label", ko(prog.name_ko))
        for ref in prog.sources:
            g.add(iri, DCTERMS + "source", source_iri(ref))
    for resp in cur.responsibilities:
        prog_iri = g.iris.programme(resp.programme)
        iri = g.iris.responsibility(resp.programme, resp.status, list(resp.units))
        g.types(iri, t("Responsibility"), PROV + "Entity")
        g.add(iri, t("programme"), prog_iri)
        for key in resp.units:
            g.add(iri, t("responsibleUnit"), g.iris.org(key))
        g.add(iri, t("evidenceStatus"), t(STATUS[resp.status].local))
        g.add(iri, t("attestedFrom"), _date(resp.attested_from))
        if resp.attested_until:
            g.add(iri, t("attestedUntil"), _date(resp.attested_until))
        for ref in resp.sources:
            g.add(iri, DCTERMS + "source", source_iri(ref))
            if ref in duty_at:  # the duty a cited item states: the evidence of an inferred claim
                g.add(iri, PROV + "wasDerivedFrom", duty_at[ref])
        if resp.note:
            g.add(iri, RDFS + "comment", en(resp.note))
        if len(resp.units) == 1:
            unit = g.iris.org(resp.units[0])
            g.add(prog_iri, CV + "hasCompetentAuthority", unit)
            g.add(unit, t("responsibleFor"), prog_iri)


def _groupings(cur: Records, g: Graph, source_iri: _Sources) -> None:
    t = g.term
    for grouping in cur.groupings:
        iri = g.iris.grouping(grouping.key)
        g.types(iri, t("ReportedGrouping"), PROV + "Entity")
        g.add(iri, t("groupHead"), g.iris.org(grouping.head))
        for key in grouping.members:
            g.add(iri, t("groupMember"), g.iris.org(key))
        g.add(iri, DCTERMS + "date", _date(grouping.date))
        g.add(iri, t("evidenceStatus"), t(STATUS[grouping.status].local))
        for ref in grouping.sources:
            g.add(iri, DCTERMS + "source", source_iri(ref))


# --- snapshots -----------------------------------------------------------------------------

def _root(org: Org, cur: Records) -> Org:
    seen = set()
    while org.parents and org.key not in seen:
        seen.add(org.key)
        org = cur.orgs[org.parents[-1].parent]
    return org


def _parent_in(org: Org, day: str) -> str | None:
    """The parent on ``day``, or on the day the org is first attested if that is later."""
    moment = max(day, org.attested_from)  # ISO days: their text sorts as the days do
    return next((span.parent for span in org.parents if timeutil.covers(span.start, span.end, moment)), None)


def snapshot_dates(cur: Records) -> dict[str, tuple[str, ...]]:
    return {key: org.snapshots for key, org in cur.orgs.items() if org.snapshots}


def _members(cur: Records) -> dict[str, list[Org]]:
    """The units shown in each body's org chart: an affiliated agency's own units; a top-level
    body's whole tree, its agencies' units included."""
    members = defaultdict(list)
    for org in cur.orgs.values():
        if org.body is not None:
            members[("own", org.body)].append(org)
        root = _root(org, cur)
        if root.key != org.key:
            members[("tree", root.key)].append(org)
    return {key: members[("own" if cur.orgs[key].parents else "tree", key)] for key in snapshot_dates(cur)}


class _Shown:
    """Which of a body's snapshots show something attested over a period: snapshot ``i`` shows
    the days from ``dates[i]`` to the day before ``dates[i + 1]`` (the last one, every day after)."""

    def __init__(self, dates: tuple[str, ...]) -> None:
        self.dates = dates

    def indexes(self, start: str, end: str | None, within: range | None = None) -> range:
        """The snapshots whose days overlap ``start`` … ``end`` (None: open), among ``within``."""
        first = max(bisect_right(self.dates, start) - 1, 0)
        shown = range(first, len(self.dates) if end is None else bisect_right(self.dates, end))
        return shown if within is None else range(max(shown.start, within.start), min(shown.stop, within.stop))

    def slice(self, start: str, end: str | None, within: range | None = None) -> slice:
        """``indexes`` as a slice of a list of the snapshots."""
        shown = self.indexes(start, end, within)
        return slice(shown.start, max(shown.start, shown.stop))


def _snapshots(cur: Records, duties: list[Duty], g: Graph, source_iri: _Sources) -> None:
    t = g.term
    held = defaultdict(list)
    for duty in duties:
        held[duty.holder].append(duty)
    programmes = defaultdict(list)
    for resp in cur.responsibilities:
        if len(resp.units) == 1:
            programmes[resp.units[0]].append(resp)
    news = {key: [g.iris.news(ref.ref) for ref in org.sources if ref.ref in cur.news] for key, org in cur.orgs.items()}
    laws = _Laws(cur)
    sub_of, purpose, derived_from = ORG + "subOrganizationOf", ORG + "purpose", PROV + "wasDerivedFrom"
    for body_key, members in _members(cur).items():
        body, dates = cur.orgs[body_key], cur.orgs[body_key].snapshots
        graphs = [g.iris.snapshot(body_key, day) for day in dates]
        for day, next_day, graph in zip(dates, dates[1:] + (None,), graphs):
            g.types(graph, t("Snapshot"), PROV + "Entity")
            g.add(graph, DCTERMS + "date", _date(day))
            g.add(graph, DCTERMS + "subject", g.iris.org(body_key))
            g.add(graph, RDFS + "label", en(f"Organization chart of {body.name_ko} as of {day}"))
            if next_day:
                g.add(graph, t("validUntil"), _date(next_day))
        in_force = laws.in_force(laws.of([body, *members], held), dates)
        for graph, versions in zip(graphs, in_force):  # described even if no record cites them
            for version in versions:
                g.add(graph, derived_from, source_iri(SourceRef(version.ref)))
        shown = _Shown(dates)
        for org in members:  # in the snapshots that show it: its parent, and what it holds then
            iri, there = g.iris.org(org.key), shown.indexes(org.attested_from, org.attested_until)
            for i in there:
                graph = graphs[i]
                for page in news[org.key]:
                    g.add(graph, derived_from, page)
                parent = _parent_in(org, dates[i])
                if parent:
                    g.add(iri, sub_of, g.iris.org(parent), graph)
            for duty in held[org.key]:
                g.in_graphs(iri, purpose, duty.iri, graphs[shown.slice(duty.start, duty.end, within=there)])
            for resp in programmes[org.key]:
                g.in_graphs(iri, purpose, g.iris.programme(resp.programme),
                            graphs[shown.slice(resp.attested_from, resp.attested_until, within=there)])


class _Laws:
    """The law versions a body's org chart is read from, and which of them are in force on a day."""

    def __init__(self, cur: Records) -> None:
        self.cur = cur
        self.versions = defaultdict(list)  # law id → its versions, in the order of the records
        for version in cur.laws.values():
            self.versions[version.law_id].append(version)

    def of(self, orgs: list[Org], held: dict[str, list[Duty]]) -> list[str]:
        """The laws (a body's decree and rule) that these units, or the duties they hold, cite."""
        laws, ids = self.cur.laws, set()
        for org in orgs:
            ids.update(laws[ref.ref].law_id for ref in org.sources if ref.ref in laws)
            for duty in held.get(org.key, ()):
                ids.update(laws[ref.ref].law_id for ref in duty.sources if ref.ref in laws)
        return sorted(ids)

    def in_force(self, law_ids: list[str], days: tuple[str, ...]) -> list[list[LawVersion]]:
        """For each day: the latest version of each law in effect (of two in effect from the same
        day, the one the records give first), and those whose delayed provisions take effect that
        day (the day's chart reads them even when a later text is in force)."""
        out = [[] for _ in days]
        for law_id in law_ids:
            versions = sorted(self.versions[law_id], key=lambda v: v.effective)  # stable: ties in order
            effective = [v.effective for v in versions]
            later = defaultdict(list)
            for version in self.versions[law_id]:
                for day in version.later_effective:
                    later[day].append(version)
            for versions_of_day, day in zip(out, days):
                n = bisect_right(effective, day)
                latest = versions[bisect_left(effective, effective[n - 1])] if n else None
                if latest is not None:
                    versions_of_day.append(latest)
                versions_of_day.extend(v for v in later.get(day, ()) if v is not latest)
        for versions_of_day in out:
            versions_of_day.sort(key=lambda v: (v.law_id, v.promulgated, v.ref))
        return out
