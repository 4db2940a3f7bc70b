"""What one law version says, read paragraph by paragraph: the units it sets up, the duty lists
it states, the aliases it defines, and the paragraphs it was not possible to understand."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .articles import Article, later_parts, parse_articles
from .corpus import LawVersion
from .duties import DutyList, is_duty_like, read_duty_paragraph
from .units import BODY, Context, Declared, head_grades, joined_names, read_paragraph, split_names

# "A(이하 "B"라 한다)", scoped "A(이하 이 장에서 "B"라 한다)" or "A(이하 "B"라 한다. 이 장에서 같다)"
_ALIAS = re.compile(r"([^\s()「」]+)\(이하 (이 (?:장|조|항)에서 )?\"([^\"]+)\"(?:이)?라 한다(\. 이 (?:장|조|항)에서 같다)?\)")
_TABLE_SUBJECT = re.compile(r"(?:\S+에 두는 )?(?P<names>.+?)의 명칭")
# "…의 명칭 및 위치는 별표 1과 같다"; "각 세무서에 두는 과 및 이에 상당하는 담당관은 별표 5와 같다"
_NAMES_IN_TABLE = re.compile(r"명칭(?:ㆍ위치|ㆍ등급| 및 위치|과 위치)*(?: 및 관할구역)?[은는] 별표|두는 (?:과|부서|하부조직)\S*[^.]*?[은는] 별표")


@dataclass(frozen=True)
class Note:
    """A paragraph the parse report lists: what was not understood, or left to another source."""

    article: str
    paragraph: int | None
    kind: str
    text: str


LATER_APPLIED = "provisions in effect on a later day (부칙): their duty items are read in the earlier wording until then"
LATER_UNREAD = "provisions in effect on another day (부칙), which day or which part cannot be told: not applied"


@dataclass
class Reading:
    version: LawVersion
    body: str
    articles: dict[str, Article]
    units: list[tuple[Declared, str]] = field(default_factory=list)      # (unit, scope: agency or BODY)
    duties: list[tuple[DutyList, Context]] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)               # defined for the whole law
    notes: list[Note] = field(default_factory=list)
    # unit name → (head graded only at the 과 level?, article, paragraph) from its filling clause
    grades: dict[str, tuple[bool, str, int | None]] = field(default_factory=dict)
    assisting: set[str] = field(default_factory=set)   # holders (as written) whose duties assist (보좌한다)
    establishing: int = 0          # unit-establishing paragraphs
    establishing_understood: int = 0
    # what a 별표 (a table the corpus does not hold) names: the kinds of unit it lists (세관, whose
    # instances 부산세관 … the text then names), and the articles that leave their units' names to it
    table_kinds: set[str] = field(default_factory=set)
    table_articles: set[str] = field(default_factory=set)


def _kind(name: str) -> str:
    """``관세청장 소속 하에 두는 세관`` → ``세관``: the kind of unit a table lists."""
    return name.split()[-1]


def body_name(title: str) -> str:
    """``행정안전부와 그 소속기관 직제 시행규칙`` → ``행정안전부``."""
    return re.sub(r"(?:와|과) 그 소속기관 직제.*$|\s*직제.*$", "", title).strip()


def _aliases(articles: list[Article], body: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Aliases for the whole law, and per chapter (chapter-scoped ones and those defined there).
    A name with a space is read whole where it is the body's (개인정보 보호위원회(이하 "위원회"))."""
    whole: dict[str, str] = {}
    chapters: dict[str, dict[str, str]] = {}
    for art in articles:
        for par in art.paragraphs:
            for item_text in [par.text, *(i.text for i in par.items)]:
                for full, scoped, alias, scoped_after in _ALIAS.findall(item_text):
                    scoped = scoped or scoped_after
                    if " " in body and body.endswith(" " + full) and body + "(이하" in item_text:
                        full = body
                    chapters.setdefault(art.chapter or "", {}).setdefault(alias, full)
                    if not scoped:
                        whole.setdefault(alias, full)
    return whole, chapters


def read_version(version: LawVersion, body: str) -> Reading:
    articles = parse_articles(version.body)
    whole, chapters = _aliases(articles, body)
    joined = joined_names([a.title for a in articles], [p.text for a in articles for p in a.paragraphs])
    reading = Reading(version, body, {a.number: a for a in articles}, aliases=whole)
    for part in later_parts(version.body, version.number):
        reading.notes.append(Note("부칙", None, LATER_APPLIED if part.date else LATER_UNREAD, part.sentence))
    for art in articles:
        for line in art.stray:
            reading.notes.append(Note(art.number, None, "stray line", line))
        for line in art.joined:
            reading.notes.append(Note(art.number, None, "continuation line joined to its item", line))
        for par in art.paragraphs:
            for item in par.items:
                if item.doubtful:
                    reading.notes.append(Note(art.number, par.number, "item left out: a line after it was not "
                                              "understood, it may be cut short", f"{item.number}. {item.text}"))
        if art.deleted:
            continue
        aliases = {**whole, **chapters.get(art.chapter or "", {})}
        ctx = Context(body, art.title, art.chapter, aliases, joined)
        scope = ctx.owner()
        tables: list[str] = []
        declared: list[Declared] = []
        for par in art.paragraphs:
            if par.deleted:
                continue
            outcome, units = read_paragraph(par, art.number, ctx)
            if outcome in ("establishes", "not-understood"):
                reading.establishing += 1
            if outcome == "establishes":
                reading.establishing_understood += 1
            if outcome == "not-understood":
                reading.notes.append(Note(art.number, par.number, "establishing paragraph not understood", par.text))
            elif outcome == "table":
                subject = _TABLE_SUBJECT.search(par.text)
                tables += split_names(subject["names"]) if subject else []
                reading.notes.append(Note(art.number, par.number, "unit names only in a 별표 (table)", par.text))
            elif outcome == "delegated":
                reading.notes.append(Note(art.number, par.number, "sub-units set by another instrument", par.text))
            declared += units
            if "별표" in par.text and _NAMES_IN_TABLE.search(par.text):
                reading.table_articles.add(art.number)
                if subject := _TABLE_SUBJECT.search(par.text):
                    reading.table_kinds.update(_kind(name) for name in split_names(subject["names"]))
            for unit, low in head_grades(par.text):
                reading.grades.setdefault(ctx.name(unit), (low, art.number, par.number))
            duty = read_duty_paragraph(par, art.number)
            if duty:
                reading.duties.append((duty, ctx))
                if "보좌한다" in par.text:
                    reading.assisting.add(duty.holder)
            elif is_duty_like(par):
                reading.notes.append(Note(art.number, par.number, f"duty list not understood ({len(par.items)} items)",
                                          par.text))
        for unit in declared:
            if unit.name in tables:
                continue  # a generic name; the units themselves are listed in a 별표
            if re.search(r"[「」]", unit.name):  # a law's title read into a name: reported, never a unit
                reading.notes.append(Note(unit.article, unit.paragraph, "unit name not understood", unit.name))
                continue
            reading.units.append((unit, scope if unit.parent != BODY else BODY))
    return reading
