"""The Government Organization Act (정부조직법, ``kr/정부조직법/``): which central bodies exist on
each day since 1948, under whom, and their establishments, abolitions and moves between states.

Each version is read for the clauses that set up a body (what the 직제 of that body then
organises), each cited by article, paragraph and item:

* ``<holder> 소속(하에|으로|의 책임운영기관으로) A를 둔다`` and ``<holder> 밑에 A를 둔다``, the holder
  being 대통령, 국무총리 or a minister (``…장관``, ``…부장관``) or the head of a 처 (``…처장``):
  A is under that holder (a ministry's 청 under the ministry);
* ``다음의 행정각부를 둔다`` (``좌의 행정각부를 두고``) with its items: the ministries, under the
  President, who directs them (대통령의 통할하에);
* in the chapters on the President and on the Prime Minister, ``…하기 위하여 A를 둔다`` without a
  holder: A is under the head the chapter is about (대통령비서실, 국무총리비서실);
* the items of ``중앙행정기관은 이 법에 따라 설치된 부ㆍ처ㆍ청과 다음 각 호의 행정기관으로 하되``
  (제2조②, since 2008): ``「<law>」 제N조에 따른 A``: A is a central body set up by that law, which
  (not the Act) says whom it is under (``under`` is None).

Only names that end as a body does (…부, …처, …청, …원, …실, …위원회, …대 and …본부) are taken;
posts (차관보 …) and units inside a body set up ``X에 …를 둔다`` are left to the 직제.

A day's state is read from the version in force that day (the one promulgated last among those
in effect), as for a 직제 (``timeline``). Between two states, a name that appears is an
establishment, one that goes an abolition, one under another holder a move; each cites the
provision (or, for an abolition, the version that no longer states it). Renamings, mergers and
changes of rank are not stated by these clauses: ``act_records`` reads them from the 부칙 of the
day (which put the new names for the old in other laws), and ``act_report`` lists each day's pairs
of a body gone and one come under the same holder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import timeutil
from ..vocab import UNDESIGNATED, designated_rank
from . import corpus
from .articles import parse_articles
from .timeline import text_order

FOLDER = "정부조직법"
PRESIDENT, PRIME_MINISTER = "대통령", "국무총리"

_BODY_NAME = re.compile(r"^[가-힣]+(?:부|처|청|원|실|위원회|대|본부)$")
_NOT_BODIES = re.compile(r"^(?:차관보|차관|장관|처장|차장|청장|본부장|실장|원장|부|처|청|원|실|행정각부)$|전담기구|공무원")
_DO = r"(?:을|를)\s*(?:둔다|두고|두며|두되)"
_HOLDER = (r"(?P<holder>대통령|국무총리|[가-힣]+?(?:부장관|처장|장관))\s*(?:의\s*)?"
           r"(?:소속(?:하에|으로|의 책임운영기관으로)?|밑에)\s*")
_UNDER = re.compile(_HOLDER + r"(?P<list>[^「」]+?)" + _DO)
_OTHER_LAWS = re.compile(r"설치된 부ㆍ처ㆍ청과 다음 각 호의 행정기관")
_BY_LAW = re.compile(r"^「(?P<law>[^」]+)」\s*제\d+조(?:의\d+)?에 따른\s*(?P<name>[가-힣 ]+)$")
_MINISTRIES = re.compile(r"(?:다음의|좌의)\s*행정각부" + _DO)
_PURPOSE = re.compile(r"위하여\s*(?P<list>[가-힣ㆍ·\s]+?)" + _DO)
_SPLIT = re.compile(r"\s*[ㆍ·,]\s*|\s+및\s+|(?<=[가-힣])(?:와|과)\s+(?=[가-힣]+(?:부|처|청|원|실|위원회)(?:를|을|\s|$))")


@dataclass(frozen=True)
class Cite:
    version: corpus.LawVersion
    article: str
    paragraph: int | None
    item: str | None = None


@dataclass(frozen=True)
class Placed:
    """A body the Act sets up in one version: its name, whom it is under, the provision."""

    name: str
    under: str | None   # 대통령, 국무총리 or the name of the body it is under; None: its own law says
    cite: Cite
    law: str | None = None   # the law that sets it up, when not the Act
    ministry: bool = False   # listed among the 행정각부


@dataclass
class State:
    date: str
    version: corpus.LawVersion
    bodies: dict[str, Placed] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    type: str           # establishment, abolition, move
    date: str
    name: str
    under: str | None   # after the change (before it, for an abolition)
    before: str | None  # the holder before a move
    cite: Cite
    rank: str           # as ``kind`` reads it, after the change (before it, for an abolition)


def kind(placed: Placed) -> str:
    """The rank of a body from where the Act sets it up: one of the 행정각부 it lists, a ministry;
    one it puts under a minister or the head of a 처, an agency of that body; one under the
    President or the Prime Minister, or set up by another law, what its name designates
    (``vocab.designated_rank``), else a central body of no stated rank."""
    if placed.ministry:
        return "ministry"
    if placed.under not in (PRESIDENT, PRIME_MINISTER, None):
        return "agency"
    return designated_rank(placed.name) or UNDESIGNATED


def same(name: str) -> str:
    """A name as compared across laws: the Act writes 개인정보 보호위원회, the 직제 개인정보보호위원회."""
    return name.replace(" ", "")


def body_rank(states: list[State], name: str, first: str, until: str | None) -> str:
    """The rank of the body a 직제 organises under ``name`` from ``first`` to ``until``: ``kind``
    of the Act's placement of that name in the earliest of its states in force then. A body the
    Act does not set up then is none of the Act's 부, 처 and 청, whatever its name ends with (a
    사령부, a 사무처 of the National Assembly): a commission if its name designates one, else a
    central body of no stated rank. Without the Act (no ``states``: a checkout that lacks it), what
    its name designates.

    >>> body_rank([], "행정안전부", "2020-01-01", None), body_rank([], "해병대사령부", "2020-01-01", None)
    ('ministry', 'central-body')
    """
    if not states:
        return designated_rank(name) or UNDESIGNATED
    life = timeutil.Period.of(first, until)
    for state, following in zip(states, states[1:] + [None]):
        if timeutil.Period.before(state.date, following and following.date).overlaps(life):
            placed = next((p for n, p in state.bodies.items() if same(n) == same(name)), None)
            if placed is not None:
                return kind(placed)
    return "commission" if designated_rank(name) == "commission" else UNDESIGNATED


def _names(text: str) -> list[str]:
    text = re.sub(r"\([^()]*\)", "", text)
    return [n for n in (p.strip() for p in _SPLIT.split(text)) if n and _BODY_NAME.match(n) and not _NOT_BODIES.search(n)]


def _unspaced(line: str) -> str:
    """A listed name set out letter by letter (``통  일  부``, typesetting of the 1990s) in one piece."""
    words = line.split()
    return "".join(words) if len(words) > 1 and all(len(w) <= 2 for w in words) else line


def _holder(word: str) -> str:
    """대통령 and 국무총리 as written; ``행정안전부장관`` → ``행정안전부``, ``법제처장`` → ``법제처``."""
    if word in (PRESIDENT, PRIME_MINISTER):
        return word
    return re.sub(r"(?:장관|장)$", "", word)


def read(version: corpus.LawVersion) -> dict[str, Placed]:
    """The bodies one version of the Act sets up."""
    out: dict[str, Placed] = {}
    for art in parse_articles(version.body):
        if art.deleted:
            continue
        chapter = art.chapter or ""
        head = PRESIDENT if re.search(r"대통령$", chapter) else PRIME_MINISTER if "국무총리" in chapter else None
        texts = [(p.number, None, p.text, p.items) for p in art.paragraphs if not p.deleted]
        texts += [(None, None, line, []) for line in art.stray]
        for number, _, text, items in texts:
            cite = Cite(version, art.number, number)
            if _OTHER_LAWS.search(text):
                for item in items:
                    if not item.deleted and (m := _BY_LAW.match(item.text)):
                        out.setdefault(m["name"], Placed(m["name"], None, Cite(version, art.number, number, item.number),
                                                         m["law"]))
                continue
            if _MINISTRIES.search(text):
                listed = [(i.number, i.text) for i in items if not i.deleted]
                # some texts list the ministries as unnumbered lines, which the article reader keeps aside
                for item, line in listed or [(None, line) for line in art.stray]:
                    for name in _names(_unspaced(line)):
                        out.setdefault(name, Placed(name, PRESIDENT, Cite(version, art.number, number, item),
                                                    ministry=True))
                continue
            for clause in re.split(r"(?<=둔다)\.?\s*|(?<=두고),\s*", text):
                if m := _UNDER.search(clause):
                    for name in _names(m["list"]):
                        out.setdefault(name, Placed(name, _holder(m["holder"]), cite))
                elif head and (m := _PURPOSE.search(clause)) and not re.search(r"\S+에\s", m["list"]):
                    for name in _names(m["list"]):
                        out.setdefault(name, Placed(name, head, cite))
    return out


def history(root: Path) -> tuple[list[State], list[corpus.Problem]]:
    """The states of the Act, one per day a version takes effect, in date order."""
    versions, problems = corpus.history(root, f"kr/{FOLDER}/법률.md")
    states: list[State] = []
    readings: dict[str, dict[str, Placed]] = {}
    for day in sorted({v.effective for v in versions}):
        version = max((v for v in versions if v.effective <= day), key=text_order)
        if version.abolishes:
            continue
        if version.commit not in readings:
            readings[version.commit] = read(version)
        if states and states[-1].version is version:
            continue
        states.append(State(day, version, readings[version.commit]))
    return states, problems


def changes(states: list[State]) -> list[Change]:
    """Establishments, abolitions and moves between consecutive states."""
    out: list[Change] = []
    for before, after in zip(states, states[1:]):
        for name, placed in sorted(after.bodies.items()):
            old = before.bodies.get(name)
            if old is None:
                out.append(Change("establishment", after.date, name, placed.under, None, placed.cite, kind(placed)))
            elif old.under != placed.under:
                out.append(Change("move", after.date, name, placed.under, old.under, placed.cite, kind(placed)))
        for name, placed in sorted(before.bodies.items()):
            if name not in after.bodies:
                out.append(Change("abolition", after.date, name, placed.under, None, Cite(after.version, "", None),
                                  kind(placed)))
    return out


@dataclass(frozen=True)
class Period:
    """One unbroken period in which the Act sets up a body under one holder."""

    name: str
    under: str
    start: str
    until: str | None        # the last day, None while in force
    first: Cite
    last: Cite
    rank: str                # as ``kind`` reads its last placement in the period


def periods(states: list[State]) -> list[Period]:
    """Each body's periods under each holder, in order of name and date."""
    out: list[Period] = []
    open_: dict[str, tuple[str, str, Cite, Placed]] = {}
    for i, state in enumerate(states):
        for name in list(open_):
            under, start, first, last = open_[name]
            now = state.bodies.get(name)
            if now is None or now.under != under:
                out.append(Period(name, under, start, timeutil.day_before(state.date), first, last.cite, kind(last)))
                del open_[name]
        for name, placed in state.bodies.items():
            if name in open_:
                under, start, first, _ = open_[name]
                open_[name] = (under, start, first, placed)
            else:
                open_[name] = (placed.under, state.date, placed.cite, placed)
    out += [Period(name, under, start, None, first, last.cite, kind(last))
            for name, (under, start, first, last) in open_.items()]
    return sorted(out, key=lambda p: (p.name, p.start))
