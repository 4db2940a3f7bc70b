"""One day's org chart: the units, their parents and their duties, from the readings of the
law versions in force that day (a decree and its rule read together).

A unit is identified within the day by its path of names from the body down. A parent is
found by name (or alias) among the units of the day; where a name occurs more than once, the one
inside the agency whose chapter declared it wins. A unit set up in each of several parents (``X,
Y 및 Z에 각각 A를 둔다``) is one unit under each, when every one of them is found. What cannot be
placed is recorded as a problem for the parse report, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..vocab import ATTACHED_RANKS
from .corpus import LawVersion
from .duties import resolve_items
from .reading import Note, Reading
from .units import BODY, DIVISION_LEVEL_FROM, bare_head, split_names, unit_of_head

_LISTED = re.compile(r" 및 |, ")


@dataclass(frozen=True)
class Cite:
    """A provision of a law version: article, paragraph and item."""

    version: LawVersion
    article: str
    paragraph: int | None
    item: str | None = None


@dataclass
class Unit:
    path: tuple[str, ...]
    rank: str
    cites: list[Cite] = field(default_factory=list)
    listings: list[tuple] = field(default_factory=list)  # the establishing clauses that name it
    counted: bool = False  # a post the decree counts and the rule names

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def parent(self) -> tuple[str, ...]:
        return self.path[:-1]

    @property
    def is_body(self) -> bool:
        return self.rank in ATTACHED_RANKS


@dataclass
class Duty:
    holder: tuple[str, ...]
    text: str
    cites: list[Cite] = field(default_factory=list)


@dataclass
class OrgChart:
    date: str
    versions: tuple[LawVersion, ...]
    units: dict[tuple[str, ...], Unit] = field(default_factory=dict)
    duties: dict[tuple[tuple[str, ...], str], Duty] = field(default_factory=dict)
    notes: list[tuple[LawVersion, Note]] = field(default_factory=list)
    # duty paragraphs read: (version, article, paragraph) → (own items, given to a unit?, if not, why:
    # one of the causes the corpus is for, or None)
    lists: dict[tuple[LawVersion, str, int | None], tuple[int, bool, str | None]] = field(default_factory=dict)
    in_tables: set[str] = field(default_factory=set)  # units left unplaced under a unit a 별표 names
    ending: tuple[LawVersion, ...] = ()   # versions abolishing a law that day (their units end)
    activating: tuple[LawVersion, ...] = ()  # versions whose own 부칙 puts provisions into effect that day

    def find(self, name: str, *scopes: str | None) -> tuple[str, ...] | None:
        """The unit a name refers to; ``A B`` is a unit of that name, else B inside A, else B (but
        ``A 및 B`` is two units, so none: a unit set up in each is not placed under one). Of
        several units with the name, the one inside the first scope (a unit name) that tells them
        apart, else the one outside any agency. None if absent or ambiguous."""
        found = [p for p in self.units if p[-1] == name]
        if not found and ("·" in name or "ㆍ" in name):  # the law writes the dot both ways: 출입국·외국인정책본부
            found = [p for p in self.units if p[-1].replace("·", "ㆍ") == name.replace("·", "ㆍ")]
        if not found and " " in name and not _LISTED.search(name):  # a list names several units, not one
            outer, _, inner = name.rpartition(" ")
            found = ([p for p in self.units if p[-1] == inner and outer.split()[-1] in p[:-1]]
                     or [p for p in self.units if p[-1] == inner])
        for scope in scopes:
            if len(found) > 1 and scope and scope != BODY:
                inside = [p for p in found if scope in p[:-1]]
                found = inside or found
                nearest = [p for p in found if (self.body_of(p) or ("",))[-1] == scope]
                found = nearest or found
        if len(found) > 1:
            found = [p for p in found if not any(self.units[p[:i]].is_body for i in range(1, len(p)))] or found
        return found[0] if len(found) == 1 else None

    def parents(self, name: str, *scopes: str | None) -> list[tuple[str, ...]]:
        """Where a unit set up "in" ``name`` goes: the unit it names (``find``), else each of the
        units it lists (``find_each``); none if not found."""
        found = self.find(name, *scopes)
        return [found] if found is not None else self.find_each(name, *scopes)

    def find_each(self, names: str, *scopes: str | None) -> list[tuple[str, ...]]:
        """The units a list names (``A, B 및 C``: "in A, B and C each"), when it names two or more
        and every one is found; else none. Only a list with 및 or a comma: ``AㆍB`` alone may be
        one name the law writes with ㆍ (원자력ㆍ비확산외교기획관)."""
        if not _LISTED.search(names):
            return []
        parts = split_names(names)
        found = [self.find(part, *scopes) for part in parts]
        return found if len(parts) > 1 and None not in found else []

    def set_up_together(self, name: str, version: LawVersion, article: str) -> list[tuple[str, ...]]:
        """The units of this name that one clause of ``article`` of ``version`` set up, when it set
        up several (``X 및 Y에 각각 A를 둔다``): what that article says of its A holds for each."""
        clauses: dict[tuple, list[tuple[str, ...]]] = {}
        for path, unit in self.units.items():
            if path[-1] == name:
                for listing in set(unit.listings):
                    if listing[:2] == (version.commit, article):
                        clauses.setdefault(listing, []).append(path)
        together = [paths for paths in clauses.values() if len(paths) > 1]
        return together[0] if len(together) == 1 else []

    def body_of(self, path: tuple[str, ...]) -> tuple[str, ...]:
        """The nearest enclosing government body (an agency's path, or () for the body itself)."""
        for i in range(len(path) - 1, 0, -1):
            if self.units[path[:i]].is_body:
                return path[:i]
        return ()


def build(date: str, readings: list[Reading], body: str, pending=()) -> OrgChart:
    chart = OrgChart(date, tuple(r.version for r in readings))
    _place_units(chart, readings, body)
    _structural_ranks(chart, readings)
    _place_duties(chart, readings, [_amendment(p, prev, provisions) for p, prev, provisions in pending])
    return chart


NOT_YET = "amended wording not yet in effect: the earlier wording is read"
NEW_NOT_YET = "item not yet in effect: left out until its amendment takes effect"
CANNOT_TELL = "wording in force cannot be told: amended again before the amendment took effect"
# What the corpus does not hold: the 별표 (tables) that name some units are not in it
PARENT_IN_TABLE = "parent named only in a 별표 (not in the corpus)"
HOLDER_UNDER_TABLE = "duty holder in a unit named only in a 별표 (not in the corpus)"
HOLDER_IN_TABLE = "duty holder not found, in an article that leaves unit names to a 별표 (not in the corpus)"
TABLE_CAUSES = (PARENT_IN_TABLE, HOLDER_UNDER_TABLE, HOLDER_IN_TABLE)


@dataclass(frozen=True)
class Amendment:
    """A version promulgated before the text in force but taking effect later: the item texts it
    brought (``added``), each mapped to the earlier wording it replaced, if any, with its place."""

    version: LawVersion
    before: LawVersion
    texts: frozenset
    added: dict  # text → (earlier text, article, paragraph, item) or None for an item new in it
    # the items a 부칙 names one by one, (article, paragraph, item) → their earlier text, or None if new
    named: dict = field(default_factory=dict)
    moved: frozenset = frozenset()  # added texts whose earlier wording sat in another list (holder)


_AMENDMENTS: dict[tuple, Amendment] = {}


def _item_texts(version: LawVersion) -> dict[str, tuple[str, int | None, str]]:
    out = {}
    for place, text in _items_by_place(version).items():
        out.setdefault(text, place)
    return out


def _items_by_place(version: LawVersion) -> dict[tuple[str, int | None, str], str]:
    """(article, paragraph, item) → the item's text, for every item that states something."""
    from .articles import parse_articles
    return {(art.number, par.number, item.number): item.full_text for art in parse_articles(version.body)
            for par in art.paragraphs for item in par.items if not item.deleted and item.text and not item.doubtful}


def _leads(version: LawVersion) -> dict[tuple[str, int | None], tuple]:
    """(article, paragraph) → the article's title and the paragraph's own text: together they name
    the holder of the paragraph's items ("국장은 …" alone does not say which 국)."""
    from .articles import parse_articles
    return {(art.number, par.number): (art.title, par.text) for art in parse_articles(version.body)
            for par in art.paragraphs}


def _amendment(version: LawVersion, before: LawVersion, provisions=None) -> Amendment:
    """What a pending version changed in the items of the version promulgated before it (only in
    ``provisions``, (article, paragraph, item) triples, when given): the texts it has that the
    earlier one has not, each matched (``lineage.match``) to the earlier text it revises, where
    one is similar enough, and which of those it moved from one list to another."""
    from .. import lineage
    ident = (version.commit + version.path, before.commit + before.path, provisions)
    if ident not in _AMENDMENTS:
        new, old = _item_texts(version), _item_texts(before)

        def covered(place) -> bool:  # items named one by one are read by their place (``named``)
            return provisions is None or any(place[0] == a and p in (None, place[1]) and i is None
                                             for a, p, i in provisions)
        added = sorted(t for t in new if t not in old and covered(new[t]))
        removed = sorted(t for t in old if t not in new)
        revised = {added[j]: (removed[i], *old[removed[i]]) for i, j, _ in lineage.match(removed, added)}
        earlier = _items_by_place(before) if provisions else {}
        named = {(a, p, i): earlier.get((a, p, i)) for a, p, i in provisions or () if i is not None}
        now, then = _leads(version), _leads(before)
        moved = frozenset(t for t, (_, a, p, _) in revised.items() if now.get(new[t][:2]) != then.get((a, p)))
        _AMENDMENTS[ident] = Amendment(version, before, frozenset(new), {t: revised.get(t) for t in added},
                                       named, moved)
    return _AMENDMENTS[ident]


def _in_force(text: str, cite: Cite, amendments: list[Amendment]) -> tuple[str | None, Cite, str | None]:
    """The wording of an item on a day on which these amendments of its law are pending, latest
    first: (text or None if the item is not yet in effect, its cite, the note to report or None)."""
    note = None
    for amendment in sorted(amendments, key=lambda a: (a.version.promulgated, a.version.number), reverse=True):
        if text in amendment.added:
            earlier = amendment.added[text]
            if earlier is None or text in amendment.moved:  # not in this list until the amendment
                return None, cite, NEW_NOT_YET
            text, cite, note = earlier[0], Cite(amendment.before, earlier[1], earlier[2], earlier[3]), NOT_YET
        elif text not in amendment.texts and any(_similar(text, t) for t in amendment.added):
            return text, cite, CANNOT_TELL
    return text, cite, note


def _similar(a: str, b: str) -> bool:
    from .. import lineage
    return lineage.similarity(a, b) >= lineage.THRESHOLD


RANK_FROM_GRADE = "rank from the head's grade, not the name"
RANK_FROM_RULE = "rank from the law that sets it up (a 시행규칙 sets up 과-level units), not the name"
RANK_FROM_PEERS = "rank from the units listed with it, not the name"
DIVISION_RANKS = ("division", "officer-division", "team")


def _structural_ranks(chart: OrgChart, readings: list[Reading]) -> None:
    """A unit whose name reads 실, 본부, 국 or …관 is a division-level unit (``units`` explains the
    rules) when the day's law fills its head only at the 과 level, when only a 시행규칙 sets it up
    (not as a post the decree counts, not with a senior head), or when every other unit of a list
    that names it is of division level: an officer division when its duties assist (보좌한다), else
    a division. The head's grade, where the law gives it, decides before the other two. Each unit so
    placed is noted for the parse report, with the provision that placed it."""
    peers: dict[tuple, list[Unit]] = {}
    for unit in chart.units.values():
        for listing in unit.listings:
            peers.setdefault(listing, []).append(unit)
    for path, unit in chart.units.items():
        if unit.rank not in DIVISION_LEVEL_FROM or unit.is_body:
            continue
        said = [(r, r.grades[unit.name]) for r in readings if unit.name in r.grades]
        low = bool(said) and all(low for _, (low, _, _) in said)
        senior = any(not low for _, (low, _, _) in said)
        found = None
        if low:
            reading, (_, article, paragraph) = said[-1]
            found = (reading.version, article, paragraph, RANK_FROM_GRADE)
        elif not senior and not unit.counted and not chart.body_of(path) and unit.cites and all(
                c.version.kind != "대통령령" for c in unit.cites):
            cite = unit.cites[0]
            found = (cite.version, cite.article, cite.paragraph, RANK_FROM_RULE)
        elif not senior:
            for listing in unit.listings:
                others = [u for u in peers[listing] if u is not unit]
                if others and all(u.rank in DIVISION_RANKS for u in others):
                    cite = next(c for c in unit.cites if (c.version.commit, c.article, c.paragraph) == listing[:3])
                    found = (cite.version, cite.article, cite.paragraph, RANK_FROM_PEERS)
                    break
        if found is None:
            continue
        assists = any(h in (unit.name, unit.name + "장") for r in readings for h in r.assisting)
        rank = "officer-division" if assists else "division"
        version, article, paragraph, rule = found
        chart.notes.append((version, Note(article, paragraph, rule, f"{unit.name}: {rank}, not {unit.rank}")))
        unit.rank = rank


def _place_units(chart: OrgChart, readings: list[Reading], body: str) -> None:
    # units whose names give their rank first, so that a later mention without one only adds a cite
    pending = sorted(((r, d, scope) for r in readings for d, scope in r.units), key=lambda t: t[1].rank is None)
    aliases = {k: v for r in reversed(readings) for k, v in r.aliases.items()}
    placed: dict[tuple, list[str]] = {}   # ranks given to the units of one listing (its siblings)
    while pending:
        left = []
        for reading, d, scope in pending:
            parent_name = aliases.get(d.parent, d.parent) if d.parent not in (None, BODY) else d.parent
            if parent_name in (BODY, body):
                parents = [()]
            else:
                parents = chart.parents(parent_name, scope) if parent_name else []  # "A, B 및 C에 (각각) X를": one in each
                if not parents:
                    left.append((reading, d, scope))
                    continue
            if not all([_place(chart, reading, d, parent, aliases, placed) for parent in parents]):
                left.append((reading, d, scope))  # try again once its siblings are placed
        if len(left) == len(pending):
            chart.in_tables = _in_tables(left, {k for r in readings for k in r.table_kinds if len(k) > 1})
            for reading, d, _ in left:
                parent = aliases.get(d.parent, d.parent) if d.parent not in (None, BODY) else d.parent
                if parent in (BODY, body) or (parent and chart.parents(parent, _)):
                    kind, text = "unit with no rank class", d.name
                elif d.name in chart.in_tables:
                    kind, text = PARENT_IN_TABLE, f"{d.name} (under {d.parent})"
                else:
                    kind, text = "parent not found", f"{d.name} (under {d.parent})"
                chart.notes.append((reading.version, Note(d.article, d.paragraph, kind, text)))
            break
        pending = left


def _in_tables(left, kinds: set[str]) -> set[str]:
    """The names of the units left unplaced because their parent, or its parent …, is one of the
    units a 별표 names (``부산세관``, of the kind ``세관``): the corpus has no text that sets it up."""
    parent_of = {d.name: d.parent for _, d, _ in left if d.parent not in (None, BODY)}

    def lost(name: str, seen: frozenset = frozenset()) -> bool:
        parent = parent_of.get(name)
        if parent is None or name in seen:
            return False
        return any(parent.endswith(kind) for kind in kinds) or lost(parent, seen | {name})
    return {name for name in parent_of if lost(name)}


def _place(chart: OrgChart, reading: Reading, d, parent: tuple[str, ...], aliases: dict[str, str],
           placed: dict[tuple, list[str]]) -> bool:
    """Puts the unit ``d`` declares under ``parent`` (or adds the cite to the unit there); False
    when its rank is still to be told by its siblings in the same listing."""
    name = d.name
    first, _, rest = name.partition(" ")
    if rest and parent and aliases.get(first, first) == parent[-1]:
        name = rest
    path = parent + (name,)
    rank = "affiliated-agency" if d.affiliated and d.rank != "commission" else d.rank
    if rank is None and name.endswith("부") and (parent and (chart.units[parent].is_body or chart.body_of(parent))):
        rank = "agency-department"
    cite = Cite(d.source or reading.version, d.article, d.paragraph, d.item)
    listing = ((d.source or reading.version).commit, d.article, d.paragraph, d.group)
    path = _placed_nearby(chart, path)
    if path in chart.units:
        unit = chart.units[path]
        if cite not in unit.cites:  # a unit set up in each of several parents may come back once more
            unit.cites.append(cite)
            unit.listings.append(listing)
        unit.counted |= d.counted
        return True
    if rank is None:
        siblings = set(placed.get(listing, ()))
        if len(siblings) != 1:
            return False
        rank = siblings.pop()
    placed.setdefault(listing, []).append(rank)
    chart.units[path] = Unit(path, rank, [cite], [listing], d.counted)
    return True


def _placed_nearby(chart: OrgChart, path: tuple[str, ...]) -> tuple[str, ...]:
    """Where the division at ``path`` is when the chart has it one level off: the decree sets up
    a 과 "in 가실 나정책관" and the rule "in 가실", or the reverse. A …관 post assists its 실 (or 국)
    and holds no units of its own in the law's structure, so the two are one unit, kept where it
    is placed nearer (moved there if it was put under the 실 first and holds nothing)."""
    name, parent = path[-1], path[:-1]
    for other in [p for p in chart.units if p[-1] == name and p != path]:
        if chart.units[other].rank not in _DIVISIONS:
            continue
        outer, inner = sorted((other[:-1], parent), key=len)
        between = [inner[:i] for i in range(len(outer) + 1, len(inner) + 1)]
        if (not outer or inner[:len(outer)] != outer or not between or chart.units[outer].rank not in _LINE_UNITS
                or not all(p in chart.units and chart.units[p].rank == "director-general-post" for p in between)):
            continue
        if inner != parent or any(p[:len(other)] == other and p != other for p in chart.units):
            return other
        unit = chart.units.pop(other)  # under the 실 so far: moved under the post
        unit.path = path
        chart.units[path] = unit
        return path
    return path


_DIVISIONS = ("division", "officer-division", "team")
_LINE_UNITS = ("office", "headquarters", "bureau")


def _named_items(amendments: list[Amendment], article: str, paragraph: int | None) -> dict:
    """The items of one paragraph that a pending 부칙 names one by one: number → (the wording in
    force, from the version before the earliest amendment that names it, or None if that version has
    no such item; that version)."""
    out: dict[str, tuple[str | None, LawVersion]] = {}
    for amendment in sorted(amendments, key=lambda a: (a.version.promulgated, a.version.number)):
        for (a, p, i), earlier in amendment.named.items():
            if (a, p) == (article, paragraph):
                out.setdefault(i, (earlier, amendment.before))
    return out


def _holders(chart: OrgChart, written: str, ctx, version: LawVersion, number: str) -> list[tuple[str, ...]] | None:
    """The units a duty paragraph of article ``number`` names (``A 및 B`` names two; an A that
    the article set up in each of several units, each of them)."""
    out = []
    article = ctx.name(unit_of_head(ctx.subject()) or ctx.subject()).split()[-1] if ctx.article else None
    for name in _holder_names(written, ctx):
        path = chart.find(name, article, ctx.owner()) if name else None
        if path is None and name and name.endswith("장"):
            path = chart.find(name[:-1], article, ctx.owner())  # the head of a unit with another ending
        if path is None:
            together = chart.set_up_together(name, version, number) if name else []  # "A장은 …": the A of each
            if not together:
                return None
            out += together
            continue
        out.append(path)
    return out


def _holder_names(written: str, ctx) -> list[str | None]:
    """The names of the units a duty list's holder (``A과장 및 B과장``, ``부장``) is the head of;
    None for a bare title whose unit the context does not give."""
    names = []
    for part in re.split(r"\s+및\s+", written):
        words = part.split()
        if len(words) == 2 and bare_head(words[1]):
            part = words[0]            # 서울청사관리소 소장 → 서울청사관리소
        names.append(ctx.head(part, {}) if bare_head(part) else ctx.name(unit_of_head(part) or part))
    return names


def _unplaced(chart: OrgChart, holder: str, ctx, article_has_table: bool) -> str | None:
    """Why a duty list's holder is not in the chart, when the corpus is the reason: its unit lies
    in one a 별표 names, or its article leaves the names of the units it is about to a 별표."""
    if any(name in chart.in_tables for name in _holder_names(holder, ctx)):
        return HOLDER_UNDER_TABLE
    return HOLDER_IN_TABLE if article_has_table else None


def _place_duties(chart: OrgChart, readings: list[Reading], amendments: list[Amendment] = ()) -> None:
    """Each duty list's items become duties of its holders. Items given by reference (a 정책관
    given 제3항제12호부터 제23호까지 of its head's list) become duties of the post, cited to the
    paragraph that gives them and to the item that words them.

    A version's text carries the amendments promulgated before it even when they take effect
    later (a 부칙 sets their date; the version's front matter has it). On a day before such an
    amendment takes effect, an item it brought is read in the wording it replaced (cited to the
    version before the amendment), an item it added is left out, and an item amended again since
    cannot be told and is reported."""
    decree = next((r for r in readings if r.version.kind == "대통령령"), None)
    pending = {}
    for amendment in amendments:
        pending.setdefault(amendment.version.law_id, []).append(amendment)
    for reading in readings:
        for duty, ctx in reading.duties:
            src = duty.source or reading   # a list not yet replaced by the day's text: the earlier reading
            own = []
            named = _named_items(pending.get(src.version.law_id, []), duty.article, duty.paragraph)
            for number, (earlier, before) in sorted(named.items()):
                now = next((i.full_text for i in duty.items if i.number == number and i.text and not i.deleted), None)
                if earlier is None:
                    if now:
                        chart.notes.append((reading.version, Note(duty.article, duty.paragraph, NEW_NOT_YET,
                                                                  f"{number}. {now}")))
                    continue
                own.append((earlier, [Cite(before, duty.article, duty.paragraph, number)]))
                if earlier != now:
                    chart.notes.append((reading.version, Note(duty.article, duty.paragraph, NOT_YET,
                                                              f"{number}. {earlier}")))
            for item in duty.items:
                if item.deleted or not item.text or item.doubtful or item.number in named:
                    continue
                cite = Cite(src.version, duty.article, duty.paragraph, item.number)
                text, note = item.full_text, None  # a list read from an earlier text: its wording is in force
                if duty.source is None:
                    text, cite, note = _in_force(item.full_text, cite, pending.get(src.version.law_id, []))
                if note:
                    chart.notes.append((reading.version, Note(duty.article, duty.paragraph, note,
                                                              f"{item.number}. {item.full_text}")))
                if text is not None:
                    own.append((text, [cite]))
            for ref in duty.refs:
                source = decree if ref.law and "직제" in ref.law and decree else src
                found = resolve_items(ref, source.articles)
                if found is None:
                    chart.notes.append((reading.version, Note(duty.article, duty.paragraph,
                                                              "referenced items not found", f"{duty.holder}: {ref}")))
                    continue
                for number, text in found:
                    cite = Cite(source.version, ref.article, ref.paragraph, number)
                    text, cite, note = _in_force(text, cite, pending.get(source.version.law_id, []))
                    if text is not None:
                        own.append((text, [Cite(src.version, duty.article, duty.paragraph), cite]))
            holders = _holders(chart, duty.holder, ctx, src.version, duty.article)
            cause = None if holders is not None else _unplaced(chart, duty.holder, ctx, duty.article in src.table_articles)
            chart.lists[(src.version, duty.article, duty.paragraph)] = (
                sum(1 for i in duty.items if not i.deleted and i.text and not i.doubtful), holders is not None, cause)
            if holders is None:
                chart.notes.append((reading.version, Note(duty.article, duty.paragraph, cause or "duty holder not found",
                                                          f"{duty.holder} ({len(own)} items)")))
                continue
            for holder in holders:
                for text, cites in own:
                    entry = chart.duties.setdefault((holder, text), Duty(holder, text))
                    entry.cites += [c for c in cites if c not in entry.cites]
