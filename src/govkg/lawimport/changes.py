"""Change events from consecutive states of one body.

Between the state before a day D and the state of D:

* a unit present in both under another parent has **moved**;
* the duties that left a unit are matched to the duties that joined another with
  ``govkg.lineage.match`` (character-bigram Dice ≥ ``lineage.THRESHOLD``, one-to-one, best first),
  after each surviving unit's own revised duties have been matched to their old texts; like is
  matched only with like (``vocab.LEVELS``): an office's duties with an office's, a bureau's or a
  director-general post's with a bureau's or a post's, a division's with a division's. A 실장's
  list holds the items its bureaus and posts are given by reference, and a 정책관's duties are a
  range of its head's items: matched across levels, the same text would tie an office to the
  posts under it and make splits and mergers that did not happen;
* a unit that disappeared and one that appeared are **linked** when at least one duty went from one
  to the other and those duties make up at least ``LINK_SHARE`` of the duties of either side;
  linked units form groups: one gone and one new unit is a **renaming** (a **post conversion** if
  both are director-general posts, a **rank change** if the ranks differ), several gone and one new
  a **merger**, one gone and several new a **split**; other groups become transfers of duties;
* every other gone unit is **abolished**, every other new unit **established**, and duties that went
  from one unit to another outside those groups are **transfers of duties**.

Every event matched on duties is ``inferred`` (the law does not say which unit became which) and
gets the duty-overlap evidence in the build. An establishment, an abolition and a move are read
from the texts of two consecutive states, and are ``stated``; the note says whether an annotation
of a version of that day marks the change (``<신설 …>`` on the unit's listing or duty paragraph,
``삭제 <…>`` on its old one, ``<개정 …>`` on its new listing).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .. import lineage
from ..iris import text_digest
from ..vocab import LEVELS
from .articles import takes_effect
from .identity import EraLives, Life, duty_runs
from .orgchart import Cite

LINK_SHARE = 0.5
_FILTER = lineage.THRESHOLD - 0.0005  # the lowest similarity that rounds to the threshold
_POST = "director-general-post"


@dataclass
class Change:
    type: str
    date: str
    original: list[Life]
    resulting: list[Life]
    status: str
    cites: list[Cite] = field(default_factory=list)
    from_parent: Life | None = None
    to_parent: Life | None = None
    matched: int = 0          # duties matched, for events inferred from them
    marked: bool = False      # an annotation of a version of that day marks the change


def _duties(lives: EraLives, index: int) -> dict[int, dict[str, list[Cite]]]:
    """The duties of a state by holder life."""
    out: dict[int, dict[str, list[Cite]]] = defaultdict(dict)
    chart = lives.era.charts[index]
    for (path, text), duty in chart.duties.items():
        out[lives.at[index][path].id][text] = duty.cites
    return out


@dataclass
class Refused:
    """Pairs of duties alike enough to match that belong to units of different levels."""

    pairs: int = 0


def changes(lives: EraLives, paragraph, refused: Refused | None = None) -> list[Change]:
    """The events of an era. ``paragraph(cite)`` returns the parsed paragraph (or article, when
    the cite has no paragraph) a cite points at, for the annotations."""
    out = []
    by_id = {life.id: life for life in lives.lives}
    runs = duty_runs(lives)
    for index in range(1, len(lives.era.charts)):
        out += _day(lives, index, by_id, paragraph, runs, refused or Refused())
    return out


def _day(lives: EraLives, index: int, by_id: dict[int, Life], paragraph, runs, refused: Refused) -> list[Change]:
    chart = lives.era.charts[index]
    day = chart.date
    before, now = lives.at[index - 1], lives.at[index]
    old_ids = {life.id for life in before.values()}
    new_ids = {life.id for life in now.values()}
    gone, born, kept = old_ids - new_ids, new_ids - old_ids, old_ids & new_ids
    old_duties, new_duties = _duties(lives, index - 1), _duties(lives, index)
    events: list[Change] = []

    def parent_at(life: Life, date: str) -> Life:
        return by_id[[p for d, p in life.parents if d <= date][-1]]

    for lid in sorted(kept):
        life = by_id[lid]
        was, now_parent = parent_at(life, lives.era.charts[index - 1].date), parent_at(life, day)
        if was.id != now_parent.id:
            cites = _listing(life, day)
            marked = any(_annotated(paragraph(c), ("개정", "신설"), c.version) for c in cites)
            events.append(Change("move", day, [life], [life], "stated", _listing(life, lives.era.charts[index - 1].date)
                                 + cites, from_parent=was, to_parent=now_parent, marked=marked))

    # duties that left a unit and duties that joined one, in the order the build matches them
    # (holder key, start of the duty, IRI digest), so that equal similarities resolve alike
    start = {ident: lives.era.charts[next(r for r in rs if index - 1 in r)[0]].date
             for ident, rs in runs.items() if any(index - 1 in r for r in rs)}
    lost = sorted(((u, t) for u, texts in old_duties.items() for t in texts if t not in new_duties.get(u, {})),
                  key=lambda d: (by_id[d[0]].key, start[d], text_digest(d[1])))
    gained = sorted(((v, t) for v, texts in new_duties.items() for t in texts if t not in old_duties.get(v, {})),
                    key=lambda d: (by_id[d[0]].key, text_digest(d[1])))
    revised = set()
    for i, j in match(lost, gained, same_holder=True):
        revised |= {lost[i], gained[j]}
    lost = [d for d in lost if d not in revised]
    gained = [d for d in gained if d not in revised]
    links: dict[tuple[int, int], int] = defaultdict(int)
    level = lambda lid: LEVELS.get(by_id[lid].rank)  # noqa: E731
    for i, j in match(lost, gained, same_holder=False, like=lambda u, v: level(u) == level(v), refused=refused):
        links[(lost[i][0], gained[j][0])] += 1

    def strong(u: int, v: int) -> bool:
        n = links.get((u, v), 0)
        return n > 0 and (n / max(len(old_duties.get(u, {})), 1) >= LINK_SHARE
                          or n / max(len(new_duties.get(v, {})), 1) >= LINK_SHARE)

    edges = [(u, v) for (u, v) in links if u in gone and v in born and strong(u, v)]
    explained = set()
    for group_old, group_new in _groups(edges):
        olds = [by_id[u] for u in sorted(group_old)]
        news = [by_id[v] for v in sorted(group_new)]
        cites = [c for u in olds for c in _duty_paragraphs(old_duties.get(u.id, {}))] + \
                [c for v in news for c in _duty_paragraphs(new_duties.get(v.id, {}))]
        matched = sum(links.get((u.id, v.id), 0) for u in olds for v in news)
        if len(olds) == 1 and len(news) == 1:
            u, v = olds[0], news[0]
            kind = ("post-conversion" if u.rank == v.rank == _POST else
                    "rank-change" if u.rank != v.rank else "renaming")
        elif len(news) == 1:
            kind = "merger"
        elif len(olds) == 1:
            kind = "split"
        else:
            continue  # many to many: abolitions, establishments and transfers below
        events.append(Change(kind, day, olds, news, "inferred", cites, matched=matched))
        explained |= {(u.id, v.id) for u in olds for v in news}
        gone -= set(group_old)
        born -= set(group_new)

    for lid in sorted(gone):
        life = by_id[lid]
        old_cites = _listing(life, lives.era.charts[index - 1].date) + _duty_paragraphs(old_duties.get(lid, {}))
        marked = any(_deleted_in(c, chart, paragraph) for c in old_cites)
        events.append(Change("abolition", day, [life], [], "stated", old_cites, marked=marked))
    for lid in sorted(born):
        life = by_id[lid]
        cites = _listing(life, day) + _duty_paragraphs(new_duties.get(lid, {}))
        marked = any(_annotated(paragraph(c), ("신설",), c.version) for c in cites if takes_effect(c.version, day))
        events.append(Change("establishment", day, [], [life], "stated", cites, marked=marked))
    for (u, v), n in sorted(links.items()):
        if (u, v) in explained:
            continue
        cites = _duty_paragraphs(old_duties.get(u, {})) + _duty_paragraphs(new_duties.get(v, {}))
        events.append(Change("duty-transfer", day, [by_id[u]], [by_id[v]], "inferred", cites, matched=n))
    return events


def match(old: list[tuple[int, str]], new: list[tuple[int, str]], same_holder: bool,
          like=lambda u, v: True, refused: Refused | None = None) -> list[tuple[int, int]]:
    """``lineage.match`` over (holder, text) duties, restricted to pairs of the same holder or of
    different holders (of which ``like(old holder, new holder)`` holds). The result is that of one call over all duties; it is computed per group of
    duties linked by a similarity at the threshold, found by prefix filtering on their bigrams."""
    grams = [lineage._bigrams(t) for _, t in old]
    new_grams = [lineage._bigrams(t) for _, t in new]
    rarity = Counter(g for counter in grams + new_grams for g in counter)

    def prefix(counter: Counter) -> list[tuple[str, int]]:
        tokens = sorted(((g, k) for g, n in counter.items() for k in range(n)), key=lambda t: (rarity[t[0]], t))
        size = len(tokens)  # a Dice of t needs an overlap of at least t/(2-t) of each side
        return tokens[: size - math.floor(_FILTER * size / (2 - _FILTER)) + 1]

    index: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, counter in enumerate(grams):
        for token in prefix(counter):
            index[token].append(i)
    parent: dict = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for j, counter in enumerate(new_grams):
        size = sum(counter.values())
        for i in sorted({i for token in prefix(counter) for i in index.get(token, ())}):
            if (old[i][0] == new[j][0]) != same_holder:
                continue
            other = grams[i]
            common = sum(min(n, other[g]) for g, n in counter.items() if g in other)
            if round(2 * common / (size + sum(grams[i].values())), 3) >= lineage.THRESHOLD:
                if not like(old[i][0], new[j][0]):
                    if refused is not None:
                        refused.pairs += 1
                    continue
                parent[root(("o", i))] = root(("n", j))
    groups: dict = defaultdict(lambda: ([], []))
    for node in list(parent):
        groups[root(node)][0 if node[0] == "o" else 1].append(node[1])
    out = []
    for olds, news in groups.values():
        olds, news = sorted(olds), sorted(news)
        candidates = ((a, b) for a in range(len(olds)) for b in range(len(news))
                      if (old[olds[a]][0] == new[news[b]][0]) == same_holder and like(old[olds[a]][0], new[news[b]][0]))
        for i, j, _ in lineage.match([old[i][1] for i in olds], [new[j][1] for j in news], candidates=candidates):
            out.append((olds[i], news[j]))
    return sorted(out)


def _groups(edges: list[tuple[int, int]]) -> list[tuple[set[int], set[int]]]:
    """Connected groups of (gone, new) units linked by edges."""
    groups: list[tuple[set[int], set[int]]] = []
    for u, v in sorted(edges):
        hits = [g for g in groups if u in g[0] or v in g[1]]
        merged = (set().union(*(g[0] for g in hits)) | {u}, set().union(*(g[1] for g in hits)) | {v})
        groups = [g for g in groups if g not in hits] + [merged]
    return sorted(groups, key=lambda g: (min(g[0]), min(g[1])))


def _listing(life: Life, date: str) -> list[Cite]:
    """The provisions that list a unit in the state of a date."""
    return list(life.cites.get(date, []))


def _duty_paragraphs(duties: dict[str, list[Cite]]) -> list[Cite]:
    """The paragraphs (not items) that state a unit's duties."""
    seen = {}
    for cites in duties.values():
        for c in cites:
            seen.setdefault((c.version.commit, c.version.path, c.article, c.paragraph),
                            Cite(c.version, c.article, c.paragraph))
    return list(seen.values())


def _annotated(node, kinds: tuple[str, ...], version) -> bool:
    """Whether a paragraph (or article) carries an annotation of these kinds dated the day the
    version was promulgated."""
    return node is not None and any(a.kind in kinds and version.promulgated in a.dates for a in node.annotations)


def _deleted_in(cite: Cite, chart, paragraph) -> bool:
    """Whether the provision a cite pointed at is marked deleted (삭제) in the same law's version
    of the new state, by that version."""
    version = next((v for v in chart.versions if v.law_id == cite.version.law_id), None)
    if version is None:
        return False
    node = paragraph(Cite(version, cite.article, cite.paragraph))
    return node is not None and node.deleted and _annotated(node, ("삭제",), version)
