"""Unit-establishing paragraphs: which units and posts a law version sets up, and under what.

Patterns understood (each clause of a paragraph on its own):

* ``<where>에 A·B 및 C를 둔다`` — units in a body, office, bureau or agency; ``X 및 Y에 각각 A를
  둔다`` — an A in each of X and Y (placed when the day's org chart is put together), and
  ``X 및 Y에 각각 과장 1명을 둔다`` their heads, no unit;
* ``<head> 밑에 A 및 B 각 1명을 둔다`` — posts (and offices named by their heads, such as
  기획조정실장) under a minister, vice-minister or the head of a unit;
* ``<head> 밑에 두는 보좌기관은 A·B로 하며`` — the names of posts a decree only counts;
* ``<head> 소속으로 A를 둔다`` / ``소속 하에 A를 둔다`` / ``소속의 책임운영기관으로 A를 둔다`` —
  affiliated agencies;
* ``<X>의 사무를 분장하기 위하여 A를 둔다`` — branch offices of an agency;
* items ``<where>: A`` or ``<where>에 두는 A`` of a temporary-organisation list (한시조직);
* clauses that share their verb (``X에 A를, Y에 B를 (각각) 둔다``, each with a 한시조직 term of
  its own), and ``X 밑에 A를 두고, B를 둔다`` (B where A went); ``<head>은 …으로 보하고, 그 밑에
  A를`` (under that head); ``X에는`` as ``X에``.

Heads as parents: a title ending in a head (``지방가나청장``, ``가나정책단장``) is its unit; a
numbered deputy (``국무1차장``, ``제2차장``) is the body's, or in an agency's chapter the agency's;
a 위원회's 사무총장 heads its 사무처. In lists, 과/와 between two names that read as units
separates them as 및 does, and asides (``(… 경우에는 …)``, ``직할단으로서``, a purpose) are no
part of a name.

A unit's rank comes first from the ending of its name, after the types of 「행정기관의 조직과 정원에
관한 통칙」: 실 (office), 본부 (headquarters), 국 (bureau), 담당관 (officer division), other …관
posts and the 보좌기관 대변인 and 차관보 (director-general post), 과 (division), 팀 (team),
부 inside an affiliated agency (agency department), 위원회 (commission), and …단 (a 국 under
another name, 통칙 제14조③); anything set up ``소속으로`` is an affiliated agency. A name with
another ending (…센터) takes the rank its siblings in the same list share (decided when the
day's org chart is put together); failing that it gets no rank and is reported.

The ending is only a first reading: the law's structure wins over it (``head_grades``,
``orgchart.build``). A paragraph that says with which grades a unit's head is filled
(``<A장>은 <grades>으로 보한다``) places the unit: a head of 실·국 rank (and the posts of 통칙
제12조) is of the 고위공무원단 (or 1급·2급, 이사관); a head of 과 rank is a 부이사관, 서기관,
사무관 or 연구관 (3급 or 4급, 통칙 제12조④). A unit whose name reads 실, 본부, 국 or …관 but whose
head is graded only at the 과 level is a division-level unit: an officer division (a 과에 상당하는
보좌기관) when its duties are stated as assisting (보좌한다), else a division. So is one that only
a 직제 시행규칙 sets up, unless it is a post the decree counts and the rule only names (a 실장's
or 국장's 보좌기관, ``밑에 두는 보좌기관은 A로 하며``) or its head is graded senior: by 통칙 제4조의2
the rule sets up 과 and the 보좌기관 equal to them, while 실·국 are set up by the decree. And so is
one listed in a clause whose other units are all of division level (``X에 A과·B상황실 및 C과를
둔다``): the peers of one list are of one level. (The reverse is not read: the decree may set up a
과 beside its 실·국, as 운영지원과.) The parse report lists every unit so placed, with the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

BODY = "@body"  # a parent reference meaning the government body itself

_RANK_ENDINGS = (
    ("담당관", "officer-division"), ("위원회", "commission"), ("본부", "headquarters"),
    ("실", "office"), ("국", "bureau"), ("단", "bureau"), ("관", "director-general-post"),
    ("과", "division"), ("팀", "team"),
)
_NAMED_POSTS = {"대변인": "director-general-post", "차관보": "director-general-post"}
# Heads of units, longest first: a title ending in one of these names the unit before it.
_HEADS = ("위원장", "분원장", "지소장", "분소장", "본부장", "센터장", "사무국장", "사무처장", "실장", "국장", "과장",
          "팀장", "부장", "원장", "소장", "관장", "단장", "처장", "청장")
_OWN_NAME_HEADS = ("사무처장", "사무국장", "사무총장")   # heads of a unit of that very name: the 사무처, the 사무국
_MINISTERS = re.compile(r"^(?:\S*장관|제?\d?차관|장관과 차관|장관 및 차관)$")
_COUNT = re.compile(r"\s*(?:각\s*)?\d+\s*(?:명|개|인)$")
# "A·B 및 C", and the counted lists of older texts: "법제심의관2명과법제관", "감사담당관각1인"
_LIST_SPLIT = re.compile(r"\s*[ㆍ·,]\s*|\s+및\s+|(?<=\d[명인])\s*(?:과|와|및)\s*")
# a 위원회's 사무처 (its secretariat, headed by a 사무처장, with its 국 under it) is an office-level unit
_OFFICE_NAMES = re.compile(r"사무처$")
# heads of the body itself by the ending of its name, beside 장관 and 차관 (of a 부)
_BODY_HEADS = (("위원회", ("위원장", "부위원장")), ("사무처", ("사무처장", "사무총장", "사무차장", "처장", "차장")),
               ("처", ("처장", "차장")), ("청", ("청장", "차장")), ("원", ("원장", "부원장")),
               ("실", ("실장", "차장")), ("본부", ("본부장", "차장")), ("사령부", ("사령관", "부사령관")),
               ("사무국", ("사무국장",)))
_NOT_UNITS = re.compile(r"정원|직위|공무원$|공무원으로|서기관$|사무관$|연구관$|지도관$|정책관등|부대변인|^제?\d?차관$")


@dataclass(frozen=True)
class Declared:
    """A unit (or post) that a paragraph sets up, with a reference to its parent."""

    name: str
    rank: str | None      # None: the name's ending gives no rank (reported)
    parent: str | None    # a unit name or alias, or BODY; None: not resolved
    article: str
    paragraph: int | None
    item: str | None = None
    affiliated: bool = False  # set up ``소속으로``: an affiliated agency
    group: int = 0            # units listed together in one clause share a group number
    counted: bool = False     # a post the decree counts and the rule only names (통칙 제4조의2②2)
    source: object = None     # the law version that states it, when not the reading's (a provision not yet in effect)


def rank_of(name: str) -> str | None:
    """The rank a unit's name gives, or None (부 is decided by the resolver: inside an agency)."""
    if name in _NAMED_POSTS:
        return _NAMED_POSTS[name]
    if _OFFICE_NAMES.search(name):
        return "office"
    for ending, rank in _RANK_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending):
            return rank
    return None


def unit_of_head(title: str) -> str | None:
    """``기획조정실장`` → ``기획조정실``; a bare head (``국장``) or a non-head → None."""
    for head in _HEADS:
        if title.endswith(head) and len(title) > len(head):
            unit = title[: -len(head)].rstrip() + head[:-1]
            return unit.split()[-1] if " " in unit else unit
    return None


def bare_head(word: str) -> str | None:
    """``국장`` → ``국`` (the ending the unit it heads has), for a title without a unit name; a
    사무총장 heads a 사무처 (of a 위원회)."""
    return _OTHER_HEADS.get(word) or (word[:-1] if word in _HEADS else None)


_OTHER_HEADS = {"사무총장": "사무처"}


def is_minister(word: str) -> bool:
    """장관, 차관, 제1차관 …: a post of the body itself, not a unit."""
    return bool(_MINISTERS.match(word))


def heads_body(word: str, body: str) -> bool:
    """A title of the head (or deputy head) of the body itself: ``경찰청장``, or in 경찰청 ``청장``
    and ``차장``, in a 위원회 ``위원장``: a parent meaning the body, as 장관 does in a 부."""
    if word == body + "장" or word in (body + "장관", body + "차장"):
        return True
    deputy = _NUMBERED_DEPUTY.sub("차장", word)  # 국무1차장, 제2차장: one of several 차장
    return any(word in titles or deputy in titles for ending, titles in _BODY_HEADS if body.endswith(ending))


_NUMBERED_DEPUTY = re.compile(r"^\S*?제?\d차장$")


def protect_joined(text: str, joined: frozenset[str]) -> str:
    """The names the law uses whole that contain ㆍ (출입국ㆍ외국인정책본부) with the ㆍ masked, so
    that a list split at ㆍ keeps them in one piece (``restore_joined`` gives the ㆍ back)."""
    for name in sorted(joined, key=len, reverse=True):
        text = text.replace(name, name.replace("ㆍ", _MASK).replace("·", _MASK_DOT))
    return text


def restore_joined(name: str) -> str:
    return name.replace(_MASK, "ㆍ").replace(_MASK_DOT, "·")


_MASK, _MASK_DOT = "\ue000", "\ue001"
_JOINED_HEAD = re.compile(r"(?<![\w])([가-힣]+(?:[ㆍ·][가-힣]+)+?)(?=장(?:은|는|이|의|과|와| 밑에| 1명)|에 [^,.]*(?:둔다|두고|두며|두되))")
_JOINED_TITLE = re.compile(r"^[가-힣]+(?:[ㆍ·][가-힣]+)+$")


def joined_names(titles, texts) -> frozenset[str]:
    """Names with ㆍ that a law uses as one: an article's title that is such a name and ends as a
    unit does (제N조(출입국ㆍ외국인정책본부)), or such a name with its head after it (…본부장은) or as
    the place where units are set up (…본부에 …를 둔다), when the last part has a rank ending."""
    found = {t for t in titles if t and _JOINED_TITLE.match(t) and rank_of(re.split("[ㆍ·]", t)[-1])}
    for text in texts:
        found |= {m for m in _JOINED_HEAD.findall(text) if rank_of(re.split("[ㆍ·]", m)[-1])}
    return frozenset(found)


def split_names(text: str) -> list[str]:
    """``A 1명, B 4명 및 C 각 1명`` → ``[A, B, C]`` (counts and empty parts dropped). A law named
    in the list is no separator and no part of a name: ``「가ㆍ나에 관한 법률」 제17조에 따른
    관리소로서 시험현충원`` → ``시험현충원``."""
    text = _COUNT.sub("", re.sub(r"「[^「」]*」", lambda m: m[0].translate(_IN_BRACKETS), text.strip()))
    text = _AND.sub(lambda m: m[1] + " 및 " if _unit_like(m[1]) and _unit_like(m[2]) else m[0], text)
    names = []
    for part in _LIST_SPLIT.split(text):
        part = _COUNT.sub("", _QUALIFIED.sub("", part.strip()).translate(_OUT_OF_BRACKETS))
        part = _AS.sub("", re.sub(r"\(이하[^)]*\)|^\d+\s*명의\s+", "", part).strip())  # "7명의 비서관": 비서관
        if part:
            names.append(part)
    return names


# "A과 B", "A와 B": 과/와 as the conjunction, when both sides read as units (교수부와 개발지원부,
# 가나담당관과 다라담당관), never inside a name (운영지원과 ends in 과, and 운영지원 is no unit)
_AND = re.compile(r"(?<![^\s,ㆍ·])([가-힣]+)(?:과|와) (?=([가-힣]+))")
_UNIT_ENDINGS = ("부", "원", "소", "센터", "처", "청", "사무국")


def _unit_like(word: str) -> bool:
    return bool(rank_of(word)) or (len(word) > 2 and word.endswith(_UNIT_ENDINGS))


_IN_BRACKETS = str.maketrans({"ㆍ": "\ue010", "·": "\ue011", ",": "\ue012", " ": "\ue013"})
_OUT_OF_BRACKETS = {v: k for k, v in _IN_BRACKETS.items()}
_AS = re.compile(r"^\S+?(?:으로서|로서)\s+")  # "직할단으로서 가단": a 가단, set up as a unit of that kind
_QUALIFIED = re.compile(r"^[^「」]*「[^「」]*」[^「」]*?(?:에 따른|에 의한)\s+(?:\S+?(?:으로서|로서)\s+)?")


# "A에 B를 두고, C에 D를 둔다"; "A에 B를, C에 D를 둔다" (the verb shared); counted posts "… 1명을, …"
_CLAUSE_SPLIT = re.compile(r"(?<=[을를])\s*(?:각각\s+)?(?:두고|두며|두되)(?:\s*,\s*|\s+(?=\S+ ?밑에 |\S+에 ))"
                           r"|(?<=각 \d명을)\s*,\s*|(?<=\d명을)\s*,\s*"
                           r"|(?<=[을를]),\s*(?=(?:\d{4}년 \d{1,2}월 \d{1,2}일까지 존속하는 )?(?:한시조직으로 )?"
                           r"[^\s,]+(?:\s+(?:및\s+)?[^\s,]+){0,2}에(?:는)?\s)")
_DO = r"\s*(?:을|를)(?:\s+(?:각각\s+)?(?:둔다|두고|두며|두되))?$"  # "X에 A를, Y에 B를 각각 둔다": respectively
_UNDER = re.compile(r"^(?P<head>.+?) ?밑에 (?P<list>.+?)" + _DO)  # older texts: 청장밑에
_UNDER_NAMED = re.compile(r"(?P<head>\S+) 밑에 두는 (?:보좌기관|정책관등)은 (?P<list>.+?)(?:으로|로) 하")
# older texts: "…장관소속하에", "청장소속으로" (no space, 하에); some "…처장 소속 하에" (하에 apart)
_AFFILIATED = re.compile(r"(?P<holder>\S+?(?: \S+장)?) ?소속(?: ?하에(?: 책임운영기관으로)?|으로|의 책임운영기관으로) ?(?P<list>.+?)" + _DO)
_PURPOSE = re.compile(r"^(?P<purpose>.+?)하기 위하여 (?P<rest>.+)$")
_LAW_BASIS = re.compile(r"^(?:「[^」]*」\s*\S*(?:\s+및\s+\S+)?에 따라 )")
_WHERE = re.compile(r"^(?P<where>\S+?(?: \S+?)*?)(?<!경우)(?<!때)에(?:는)? (?:「[^」]*」\s*\S*에 따라 )?(?:(?:\d{4}년 \d{1,2}월 \d{1,2}일까지 "
                    r"존속하는 )?한시조직으로 )?(?:두는 (?:보조|보좌)기관으로 )?(?P<list>[^「」]+?)" + _DO)
_LEADING_BASIS = re.compile(r"^(?:「[^」]*」\s*\S*(?:\s+및\s+\S+)?에 따라 )?(?:(?:\d{4}년 \d{1,2}월 \d{1,2}일까지 존속하는 )?"
                            r"한시조직으로 )?(?=\S+(?: \S+)?에 )")
_TEMPORARY_ITEM = re.compile(r"^(?:\S+ )*?(?P<where>\S+)(?::|에 두는)\s*(?P<name>\S+)$")


@dataclass(frozen=True)
class Context:
    """What a paragraph's bare titles (실장, 원장 …), aliases and unnamed owners refer to."""

    body: str                 # the body's name, e.g. 행정안전부
    article: str | None       # the article's title
    chapter: str | None       # the chapter's title
    aliases: dict[str, str] = field(default_factory=dict)  # 기록원 → 국가기록원, as defined in scope
    joined: frozenset[str] = frozenset()                    # names with ㆍ used whole (joined_names)

    def name(self, ref: str) -> str:
        return self.aliases.get(ref, ref)

    def owner(self) -> str:
        """The unit a chapter is about (an agency's chapter), else the body."""
        if self.chapter and self.chapter != self.body and not re.search(r"총칙|정원|한시|평가", self.chapter):
            return self.chapter
        return BODY

    def subject(self) -> str | None:
        """The article's title as the unit it is about: "우정사업국에 두는 과" (what is in a
        unit) and "가나기획단 및 정원" (its staff) are about 우정사업국, 가나기획단."""
        return self.article and re.sub(r"에 두는 \S+$| 및 정원$", "", self.article)

    def head(self, word: str, local: dict[str, str]) -> str | None:
        """The unit a bare title heads: set up in this paragraph, else the article's or the
        chapter's subject when its name has the right ending, else, for the head of a unit that
        has one name in every body (사무처장, 사무국장), that unit."""
        if word in local:
            return local[word]
        ending = bare_head(word)
        for candidate in (self.subject(), self.chapter):
            if not candidate or re.search(r",| 및 ", candidate) or ("ㆍ" in candidate and candidate not in self.joined):
                continue
            name = self.name(unit_of_head(candidate) or candidate)
            if name.endswith(ending):
                return name
        return ending if word in _OWN_NAME_HEADS and not self.body.endswith(ending) else None

    def parent(self, ref: str, local: dict[str, str]) -> str | None:
        """A parent reference made explicit: a minister → BODY, a title → its unit."""
        ref = _LAW_BASIS.sub("", ref).strip() if ref else ref
        if ref and ref.split()[0] == self.body and " " in ref:
            ref = ref.split(" ", 1)[1]  # 행정안전부 지방재정경제실 → 지방재정경제실
        if not ref:
            return self.owner()
        if is_minister(ref.split()[-1]) or ref == self.body:
            return BODY
        if deputy := re.match(r"^(\S+) (?:제\d)?차장$", ref):  # "가나지방청 차장 밑에": in the 가나지방청
            return self.name(deputy[1])
        if _NUMBERED_DEPUTY.match(ref) and self.owner() != BODY:
            return self.owner()  # 제2차장 in an agency's chapter: that agency's deputy, not the body's
        if heads_body(ref, self.body) and (self.head(ref, local) if bare_head(ref) else None) in (None, self.body):
            return BODY  # 청장 밑에 …, 위원장 소속으로 …: unless the chapter's unit has that head
        if bare_head(ref):
            return self.head(ref, local)
        return self.name(unit_of_head(ref) or ref)


_GRADED = re.compile(r"(?P<heads>\S+[장관](?: 및 (?:각 )?\S+[장관])*)(?:은|는) (?P<grades>[^,.]+?)(?:으로|로)(?=,|\s*보[하한]|\s*임명)")
_SENIOR = re.compile(r"고위공무원단|(?<!부)이사관|[12]급|차관급|정무직")
_DIVISION_GRADES = re.compile(r"부이사관|서기관|사무관|연구관|지도관|[345]급")
DIVISION_LEVEL_FROM = ("office", "headquarters", "bureau", "director-general-post")


def head_grades(text: str) -> list[tuple[str, bool]]:
    """(unit, graded only at the 과 level?) for each head a filling clause names.

    >>> head_grades("가상황실장은 부이사관ㆍ서기관 또는 행정사무관으로, 가과장 및 나과장은 서기관으로 보한다.")
    [('가상황실', True), ('가과', True), ('나과', True)]
    >>> head_grades("가나실장은 고위공무원단에 속하는 일반직공무원으로 보한다.")
    [('가나실', False)]
    >>> head_grades("가상황실장 및 각 과장은 서기관으로 보한다.")
    [('가상황실', True)]
    >>> head_grades("가정책관은 고위공무원단에 속하는 일반직공무원으로 보한다.")
    [('가정책관', False)]
    """
    if not re.search(r"보한다|보하되|보하며|보하고", text):
        return []
    out = []
    for m in _GRADED.finditer(text):
        grades = m["grades"]
        if not (_SENIOR.search(grades) or _DIVISION_GRADES.search(grades)):
            continue
        low = not _SENIOR.search(grades)
        for head in split_names(m["heads"]):
            unit = unit_of_head(head) if not head.startswith("각 ") else None
            if unit is None and head.endswith("관") and not is_minister(head) and rank_of(head):
                unit = head  # a post is its own head: 정책관은 …으로 보한다
            if unit:
                out.append((unit, low))
    return out


def clauses(text: str) -> list[str]:
    """The establishing clauses of a paragraph's first sentence."""
    sentence = re.split(r"(?<=둔다)\.\s*|(?<=한다)\.\s*", text, maxsplit=1)[0].rstrip(".")
    sentence = re.sub(r"([을를])\s*두되,.*$", r"\1", sentence)  # "…를 두되, 각 과장은 …으로 보한다"
    parts = [d for c in _CLAUSE_SPLIT.split(sentence) if c.strip() for d in _each_head(c.strip())]
    # a clause that says how a post is filled ("원장은 …으로 보한다") or who acts for whom sets up nothing
    return [c for c in parts if not (c.endswith("한다") and not re.search(_DO, c))]


_BARE_LIST = re.compile(r"[^「」에]+?" + _DO)  # "X에 A를 두고, B를 둔다": B where the clause before put A
_NEXT_HEAD = re.compile(r",\s*(?=(?!그 )\S+ ?밑에 )")  # not "…으로 보하고, 그 밑에": the same head
_SHARED_TAIL = re.compile(r"(?:\s*각?\s*\d+\s*명)?\s*[을를](?:\s+둔다)?$")


def _each_head(clause: str) -> list[str]:
    """``처장 밑에 대변인, 차장 밑에 기획조정관 각 1명을`` → one clause per head, each with the count
    and particle the list shares."""
    pieces = _NEXT_HEAD.split(clause)
    tail = _SHARED_TAIL.search(pieces[-1])
    if len(pieces) < 2 or not tail:
        return [clause]
    return [p if _SHARED_TAIL.search(p) else p + tail[0] for p in pieces[:-1]] + [pieces[-1]]


def read_paragraph(paragraph, article: str, ctx: Context) -> tuple[str, list[Declared]]:
    """(outcome, units) for one paragraph. Outcomes: ``establishes``, ``heads`` (only heads of
    units set up elsewhere), ``staffing`` (posts counted as staff, not units), ``delegated``
    (sub-units left to another instrument), ``table`` (names only in a 별표),
    ``not-establishing`` and ``not-understood`` (with whatever could be read)."""
    if not ctx.joined:
        return _read_paragraph(paragraph, article, ctx)
    outcome, found = _read_paragraph(replace(paragraph, text=protect_joined(paragraph.text, ctx.joined)), article, ctx)
    return outcome, [replace(d, name=restore_joined(d.name), parent=d.parent and restore_joined(d.parent))
                     for d in found]


# asides a list carries: a short name defined (이하 …), an exception for one place (…의 경우에는 …)
_ASIDE = re.compile(r"\((?:이하|[^()]*경우에는)[^()]*\)")


def _read_paragraph(paragraph, article: str, ctx: Context) -> tuple[str, list[Declared]]:
    text, number = _ASIDE.sub("", paragraph.text), paragraph.number
    if "별표" in text and re.search(r"명칭ㆍ위치|명칭은 별표", text):
        return "table", []
    if not re.search(r"둔다|두되|두며|[을를] 두고[, ]|두는 (?:보좌기관|정책관등)은", text):
        if re.match(r"^[^,.]{0,40}하부\s*조직(?:의 설치와 분장사무)?[은는].*기본운영규정", text):
            return "delegated", []
        return "not-establishing", []
    if re.search(r"한시정원|정원[을은]|직위 \d+개|서기관 또는 기술서기관 \d+명", text):
        return "staffing", []
    if "다음 각 호" in text and "한시조직" in text:
        found = read_temporary_items(paragraph.items, article, number, ctx)
        return ("establishes" if found else "not-understood"), found
    local: dict[str, str] = {}
    if m := _UNDER_NAMED.search(text):
        parent = ctx.parent(m["head"], local)
        names = [unit_of_head(n) or n for n in split_names(m["list"])]  # 보좌기관은 가나단장으로: the 가나단
        found = [Declared(n, rank_of(n), parent, article, number, counted=True) for n in names]
        return ("establishes" if parent and found else "not-understood"), found
    found: list[Declared] = []
    understood = True
    for group, clause in enumerate(clauses(text), start=1):
        units = _clause(clause, article, number, ctx, local)
        if units is None and _BARE_LIST.fullmatch(clause):
            parents = {d.parent for d in found if d.group == group - 1}
            if len(parents) == 1:
                units = _units(split_names(re.sub(_DO, "", clause)), parents.pop(), article, number, local)
        if units is None:
            understood = False
        else:
            found.extend(replace(d, group=group) for d in units)
    if not understood or any(d.parent is None for d in found):
        return "not-understood", [d for d in found if d.parent is not None]
    return ("establishes" if found else "heads"), found


def _clause(clause: str, article: str, number: int | None, ctx: Context,
            local: dict[str, str]) -> list[Declared] | None:
    """Units a clause sets up ([] for heads only); None if the clause is not understood."""
    clause = _LEADING_BASIS.sub("", clause)  # 「통칙」 제17조의3제1항제3호에 따라 …까지 존속하는 한시조직으로 X에 …
    if m := _AFFILIATED.search(clause):
        holder = m["holder"].split()
        ending = bare_head(holder[-1]) if len(holder) > 1 else None
        ref = holder[0] if ending and holder[0].endswith(ending) else holder[-1]
        parent = ctx.parent(ref, local)
        return [Declared(n, None, parent, article, number, affiliated=True) for n in split_names(m["list"])]
    if m := _UNDER.match(clause):  # "국장 밑에 가나에 관한 사항을 보좌하기 위하여 가나정책관을": the post only
        names = split_names(_LISTED_PURPOSE.sub(r"\1", m["list"]))
        that = _THAT_HEAD.match(m["head"])  # "차장은 …으로 보하고, 그 밑에 A를": under the 차장
        return _units(names, ctx.parent(that[1] if that else m["head"], local), article, number, local)
    if m := _PURPOSE.match(clause):
        purpose, rest = m["purpose"], _LAW_BASIS.sub("", m["rest"])
        if u := _UNDER.match(rest):
            return _units(split_names(u["list"]), ctx.parent(u["head"], local), article, number, local)
        if w := _WHERE.match(rest):
            return _units(split_names(w["list"]), ctx.parent(w["where"], local), article, number, local)
        if re.fullmatch(r"[^「」]+?" + _DO, rest):
            owner = re.match(r"^(\S+)의 ", purpose)
            parent = ctx.parent(owner[1], local) if owner else None
            if parent is None or (parent != BODY and re.search(r"청사$", parent)):
                parent = ctx.owner()  # the owner named is a building, not a unit
            names = split_names(re.sub(_DO, "", rest))
            return [Declared(_strip_owner(n, parent), None if parent != BODY else rank_of(n), parent, article, number,
                             affiliated=parent != BODY) for n in names]
        return None
    if m := _WHERE.match(clause):
        return _units(split_names(m["list"]), ctx.parent(m["where"], local), article, number, local)
    return None


# a purpose inside a list of posts, from the list's start or after a counted post ("A 1명 및 …하기 위하여 B")
_LISTED_PURPOSE = re.compile(r"(^|\d\s*명\s*(?:및|,)\s*)(?:(?!\d\s*명\s*(?:및|,))[^,])*?하기 위하여 ")
_THAT_HEAD = re.compile(r"^(\S+?)(?:은|는) [^,]+,\s*그$")
_EACH = re.compile(r"^각(?:각)? ")


def read_name(name: str) -> str:
    """A listed name as a unit's name: without the distributive 각각 / 각 (``A 및 B에 각각 C과를
    둔다`` sets up a C과 in each). Also how a name an earlier import published is read again."""
    return _EACH.sub("", name)


def _strip_owner(name: str, parent: str | None) -> str:
    """``국가기록원 나라기록관`` under 국가기록원 → ``나라기록관``."""
    first, _, rest = name.partition(" ")
    return rest if rest and parent and first == parent else name


def _units(names: list[str], parent: str | None, article: str, number: int | None,
           local: dict[str, str]) -> list[Declared]:
    out = []
    for name in names:
        name = read_name(name)  # "A 및 B에 각각 C과를 (과장 1명을) 둔다": one in each
        if bare_head(name):
            if parent:
                local[name] = parent  # "X에 실장 1명을 두고, 실장 밑에 …": 실장 is X's head
            continue
        if _NOT_UNITS.search(name) or "보좌기관" in name:
            continue  # staff, or posts counted here and named elsewhere
        unit = unit_of_head(name) or name
        out.append(Declared(_strip_owner(unit, parent), rank_of(unit), parent, article, number))
    return out


def read_temporary_items(items, article: str, number: int | None, ctx: Context) -> list[Declared]:
    """Units listed in the items (and sub-items) of a 한시조직 paragraph: ``<where>: <name>``."""
    out = []
    for item in items:
        if item.deleted:
            continue
        parts = [item.text.split(":", 1)[1].strip()] if ":" in item.text else []
        parts += [text for _, text in item.subitems]
        for part in parts:
            if m := _TEMPORARY_ITEM.match(part):
                unit = unit_of_head(m["name"]) or m["name"]
                out.append(Declared(unit, rank_of(unit), ctx.parent(m["where"], {}), article, number, item.number))
    return out
