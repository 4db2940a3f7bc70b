"""Articles, paragraphs and items of one law version's Markdown body (legalize-kr layout).

The body is read up to the addenda (``## 부칙``). Headings ``## 제N장 …`` open a chapter and
``##### 제N조[의M] (title)`` an article; a paragraph starts with a bold circled number
(``**①**``), an item with ``N\\.`` or ``N의M\\.`` indented by two spaces, a sub-item with
``가\\.`` indented by four. Text is normalised (NFC, Markdown escapes and HTML entities
removed, whitespace collapsed) and amendment annotations (``<개정 2020.4.28>``,
``<신설 …>``, ``삭제 <…>``, ``[종전 … 이동 <…>]``) are taken out of the text as data.

A line that fits none of these is a continuation when it is indented and follows an item or
sub-item (blank lines between them aside): the item's text goes on there, and the line is joined
to it with a space (``Article.joined`` keeps it for the parse report). Any other such line is a
stray line; when it follows an item, that item may be cut short, and it is marked ``doubtful``:
the importer states no duty from it and reports it.

>>> a = parse_articles("##### 제4조 (하부조직)\\n\\n**①** 가부에 가과를 둔다. <개정 2020.4.28>\\n")[0]
>>> a.number, a.title, a.paragraphs[0].number, a.paragraphs[0].text
('4', '하부조직', 1, '가부에 가과를 둔다.')
>>> a.paragraphs[0].annotations
(Annotation(kind='개정', dates=('2020-04-28',), note=None),)
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field

_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}            # ①..⑳
_CIRCLED |= {chr(0x3251 + i): i + 21 for i in range(15)}          # ㉑..㉟
_CIRCLED |= {chr(0x32B1 + i): i + 36 for i in range(15)}          # ㊱..㊿

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_DATE = r"\d{4}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\.?"
_DATES = rf"{_DATE}(?:\s*,\s*{_DATE})*"
_AMENDED = re.compile(rf"<\s*(개정|신설)\s+({_DATES})\s*>")
_DELETED = re.compile(rf"^삭제\s*(?:<\s*({_DATES})\s*>)?\s*$")
_MOVED = re.compile(rf"\[\s*(종전[^\[\]<>]*?)\s*<\s*({_DATES})\s*>\s*\]")

_CHAPTER = re.compile(r"^##\s+제(\d+)장(?:의(\d+))?\s*(.*)$")
_ARTICLE = re.compile(r"^#{3,6}\s+제(\d+)조(?:의(\d+))?\s*(?:\((.*)\))?\s*(.*)$")
_PARAGRAPH = re.compile(r"^\*\*\s*([" + "".join(_CIRCLED) + r"])\s*\*\*\s*(.*)$")
_ITEM = re.compile(r"^ {1,3}(\d+)(?:(?:의(\d+))?\\?\.|의(\d+)(?= ))\s*(.*)$")
_SUBITEM = re.compile(r"^ {4,}([가-힣])\\?\.\s*(.*)$")


@dataclass(frozen=True)
class Annotation:
    """An amendment note: ``개정``, ``신설`` or ``삭제`` with its dates, or ``이동`` (renumbering)."""

    kind: str
    dates: tuple[str, ...]
    note: str | None = None


@dataclass
class Item:
    number: str                      # "3", or "14-2" for 제14호의2
    text: str
    deleted: bool = False
    annotations: tuple[Annotation, ...] = ()
    subitems: list[tuple[str, str]] = field(default_factory=list)
    continued: int = 0               # continuation lines joined to it
    doubtful: bool = False           # a line after it could not be placed: it may be cut short

    @property
    def full_text(self) -> str:
        """The item with its sub-items (가. …) in force, as one text (a deleted one has none)."""
        return " ".join([self.text, *(f"{mark}. {text}" for mark, text in self.subitems if text)])


@dataclass
class Paragraph:
    number: int | None               # None: the article's only, unnumbered paragraph
    text: str
    deleted: bool = False
    annotations: tuple[Annotation, ...] = ()
    items: list[Item] = field(default_factory=list)
    line: int = 0


@dataclass
class Article:
    number: str                      # "10", or "10-2" for 제10조의2
    title: str | None
    chapter: str | None
    deleted: bool = False
    annotations: tuple[Annotation, ...] = ()
    paragraphs: list[Paragraph] = field(default_factory=list)
    line: int = 0
    stray: list[str] = field(default_factory=list)  # lines that fit no paragraph or item
    joined: list[str] = field(default_factory=list)  # continuation lines joined to the item before


def normalise(text: str) -> str:
    """NFC, Markdown escapes and HTML entities removed, whitespace collapsed.

    >>> normalise("  1\\\\. 가ㆍ나 &lt;A&gt;  ")
    '1. 가ㆍ나 <A>'
    """
    text = html.unescape(_ESCAPE.sub(r"\1", unicodedata.normalize("NFC", text)))
    return " ".join(text.split())


def iso_dates(text: str) -> tuple[str, ...]:
    """``2020.4.28, 2021. 2. 5.`` → ``('2020-04-28', '2021-02-05')``."""
    out = []
    for y, m, d in re.findall(r"(\d{4})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})", text):
        out.append(f"{int(y):04d}-{int(m):02d}-{int(d):02d}")
    return tuple(out)


def split_annotations(text: str) -> tuple[str, bool, tuple[Annotation, ...]]:
    """(text without annotations, deleted?, annotations) of one normalised line."""
    notes = []
    for match in _MOVED.finditer(text):
        notes.append(Annotation("이동", iso_dates(match[2]), match[1]))
    text = _MOVED.sub(" ", text)
    for match in _AMENDED.finditer(text):
        notes.append(Annotation(match[1], iso_dates(match[2])))
    text = " ".join(_AMENDED.sub(" ", text).split())
    deleted = _DELETED.match(text)
    if deleted:
        notes.append(Annotation("삭제", iso_dates(deleted[1] or "")))
        text = ""
    return text, bool(deleted), tuple(notes)


def _number(main: str, sub: str | None) -> str:
    return f"{int(main)}-{int(sub)}" if sub else str(int(main))


def parse_articles(body: str) -> list[Article]:
    """The articles of a law body, in order, up to the addenda."""
    articles: list[Article] = []
    chapter = None
    article: Article | None = None
    last = None  # the item a continuation line would belong to, or None
    for lineno, raw in enumerate(body.splitlines(), start=1):
        if raw.startswith("## 부칙") or raw.strip() == "## 부칙":
            break
        if not raw.strip():
            continue
        line = raw.rstrip()
        if line.startswith("#"):
            last = None
        if m := _CHAPTER.match(line):
            chapter, _, _ = split_annotations(normalise(m[3]))
            article = None
            continue
        if line.startswith("#"):
            m = _ARTICLE.match(line)
            if not m:
                article = None  # the law's title or another heading
                continue
            title = None
            if m[3]:  # "(경비국 <개정 2001.12.27>)": the title without the amendments noted in it
                title = split_annotations(re.sub(r"^\((.*)\)$", r"\1", normalise(m[3])))[0].strip() or None
            rest, deleted, notes = split_annotations(normalise(m[4] or ""))
            article = Article(_number(m[1], m[2]), title, chapter or None, deleted, notes, line=lineno)
            articles.append(article)
            continue
        if article is None:
            continue
        if m := _PARAGRAPH.match(line):
            text, deleted, notes = split_annotations(normalise(m[2]))
            article.paragraphs.append(Paragraph(_CIRCLED[m[1]], text, deleted, notes, line=lineno))
            last = None
            continue
        if (m := _ITEM.match(raw)) and article.paragraphs:
            text, deleted, notes = split_annotations(normalise(m[4]))
            last = Item(_number(m[1], m[2] or m[3]), text, deleted, notes)
            article.paragraphs[-1].items.append(last)
            continue
        if (m := _SUBITEM.match(raw)) and article.paragraphs and article.paragraphs[-1].items:
            text, _, _ = split_annotations(normalise(m[2]))
            article.paragraphs[-1].items[-1].subitems.append((m[1], text))
            continue
        if last is not None and raw[:1].isspace() and not last.deleted:
            text, _, notes = split_annotations(normalise(line))
            if last.subitems:
                mark, before = last.subitems[-1]
                last.subitems[-1] = (mark, f"{before} {text}".strip())
            else:
                last.text = f"{last.text} {text}".strip()
            last.annotations += notes
            last.continued += 1
            article.joined.append(normalise(line))
            continue
        if last is not None:
            last.doubtful = True
        last = None
        text, deleted, notes = split_annotations(normalise(line))
        if not article.paragraphs:
            # the body of an article without numbered paragraphs (or a deleted article)
            if deleted and not text:
                article.deleted = True
                article.annotations += notes
                continue
            article.paragraphs.append(Paragraph(None, text, deleted, notes, line=lineno))
        elif text or notes:
            article.stray.append(normalise(line))
    return articles


_ADDENDUM = re.compile(r"^부칙(?:\([^)]*\))?\s*<\s*제(\d+)호\s*,\s*([\d.\s]+)>")
_LATER = re.compile(r"다만, (?P<what>[^.]*?)(?:은|는) (?P<when>\d{4}년 \d{1,2}월 \d{1,2}일|[^.]*?)부터 시행한다")
_LATER_ITEMS = re.compile(r"다만, 다음 각 호의 (?:개정규정|규정)은 (?:각각 )?해당 호에서 정(?:하는|한) 날부터 시행한다")
_LATER_ITEM = re.compile(r"^\d+\.\s*(?P<what>.+?)\s*:\s*(?P<when>\d{4}년 \d{1,2}월 \d{1,2}일)$")
_DAY = re.compile(r"(\d{4})년 (\d{1,2})월 (\d{1,2})일")
# one reference: 제N조[의M], 제N항 or 제N호[의M], each optionally the end of a range (…부터 …까지)
_REF = re.compile(r"(?P<range>부터 )?(?<!부칙 )(?:제(?P<art>\d+)조(?:의(?P<art_sub>\d+))?)?(?:제(?P<par>\d+)항)?"
                  r"(?:제(?P<item>\d+)호(?:의(?P<item_sub>\d+))?)?")
# provisions of the addenda or of another law, with every 항 and 호 after them
_ELSEWHERE = re.compile(r"(?:부칙|「[^」]*」)\s*(?:제\d+조(?:의\d+)?)?(?:제\d+항)?(?:제\d+호(?:의\d+)?)?")
_PART = re.compile(r"단서|본문|전단|후단|외의 부분|각 호 외|별표 부분")  # a part of a provision only


@dataclass(frozen=True)
class LaterPart:
    """Provisions of a version that its own 부칙 puts into effect on a later day."""

    date: str | None                                    # None: the day could not be read
    provisions: tuple[tuple[str, int | None, str | None], ...]  # (article, paragraph, item)
    sentence: str


def provisions_named(text: str) -> list[tuple[str, int | None, str | None]]:
    """The (article, paragraph, item) a 부칙 names, in the law's own shorthand: a 항 or 호 named
    without its 조 (or 항) belongs to the one named before it, and ``…부터 …까지`` names every
    article, paragraph or item between. Provisions of the addenda (부칙 제2조) are left out.

    >>> provisions_named("제50조제2항ㆍ제7항, 제3조제2항제5호부터 제7호까지 및 제48조의2부터 제48조의4까지"
    ...                  " 및 행정안전부령 제367호 부칙 제2조, 부칙 제3조제8항")
    [('50', 2, None), ('50', 7, None), ('3', 2, '5'), ('3', 2, '6'), ('3', 2, '7'), ('48-2', None, None), ('48-3', None, None), ('48-4', None, None)]
    """
    out: list[tuple[str, int | None, str | None]] = []
    last: tuple[str | None, int | None] = (None, None)
    text = _ELSEWHERE.sub("", text)
    for m in _REF.finditer(text):
        if not (m["art"] or m["par"] or m["item"]):
            continue
        before = text[:m.start()]
        if before.endswith("부칙 ") or (not (m["art"] or m["par"]) and re.search(r"(?:령|법률|규칙) $", before)):
            continue  # a provision of the addenda, or the number of another law (행정안전부령 제367호)
        art = (f"{int(m['art'])}-{int(m['art_sub'])}" if m["art_sub"] else str(int(m["art"]))) if m["art"] else last[0]
        par = int(m["par"]) if m["par"] else (last[1] if not m["art"] and m["item"] else None)
        item = (f"{int(m['item'])}-{int(m['item_sub'])}" if m["item_sub"] else str(int(m["item"]))) if m["item"] else None
        if art is None:
            continue  # a 항 or 호 of no article named: of the addenda or another law
        if m["range"] and out:
            first = out[-1]
            if item and first[2] and first[:2] == (art, par) and "-" not in first[2] + item:
                out += [(art, par, str(k)) for k in range(int(first[2]) + 1, int(item) + 1)]
            elif par and not item and first[0] == art and first[1] and not first[2]:
                out += [(art, k, None) for k in range(first[1] + 1, par + 1)]
            elif not par and not item and first[0].split("-")[0] == art.split("-")[0] and "-" in art:
                low = int(first[0].split("-")[1]) if "-" in first[0] else 0
                out += [(f"{art.split('-')[0]}-{k}", None, None) for k in range(low + 1, int(art.split("-")[1]) + 1)]
            elif not par and not item and "-" not in first[0] + art and not first[1]:
                out += [(str(k), None, None) for k in range(int(first[0]) + 1, int(art) + 1)]
            else:
                out.append((art, par, item))
        else:
            out.append((art, par, item))
        last = (art, par)
    return out


def _later_part(what: str, when: str | None, sentence: str) -> LaterPart | None:
    """One 부칙 clause or item: its provisions and day; the day is None where it cannot be told
    (no day written, or only a part of a provision named, as a paragraph's 단서). None when it
    names no provision of the text (only 별표, the addenda or another law)."""
    provisions = tuple(provisions_named(what))
    if not provisions:
        return None
    day = _DAY.fullmatch(when or "")
    if day is None or _PART.search(what):
        return LaterPart(None, provisions, sentence)
    return LaterPart(f"{int(day[1]):04d}-{int(day[2]):02d}-{int(day[3]):02d}", provisions, sentence)


@functools.lru_cache(maxsize=4096)
def later_parts(body: str, number: str) -> tuple[LaterPart, ...]:
    r"""The clauses of a version's own 부칙 (the addendum headed with its number) that put some of
    its provisions into effect on another day than the rest: ``다만, …의 개정규정은 YYYY년 M월 D일부터
    시행한다``, or ``다만, 다음 각 호의 개정규정은 해당 호에서 정하는 날부터 시행한다`` followed by items
    ``N. …의 개정규정: YYYY년 M월 D일``. Provisions may be articles, paragraphs or items. A clause
    whose day or provisions cannot be read is returned with ``date`` None, for the report.

    >>> later_parts("## 부칙\n\n부칙 <제7호,2020.1.1>\n\n제1조(시행일) 이 영은 공포한 날부터 시행한다. "
    ...             "다만, 제5조제2항 및 제9조의 개정규정은 2020년 3월 1일부터 시행한다.\n", "7")[0].provisions
    (('5', 2, None), ('9', None, None))
    >>> [(p.date, p.provisions) for p in later_parts("## 부칙\n\n부칙 <제8호,2020.1.1>\n\n제1조(시행일) 이 영은 공포한 날부터 시행한다. "
    ...  "다만, 다음 각 호의 개정규정은 해당 호에서 정하는 날부터 시행한다.\n\n1. 제3조제2항제5호의 개정규정: "
    ...  "2020년 3월 28일\n\n2. 제4조제1항 단서의 개정규정: 2020년 4월 1일\n\n3. 별표 1의 개정규정: 2020년 5월 1일\n", "8")]
    [('2020-03-28', (('3', 2, '5'),)), (None, (('4', 1, None),))]
    """
    out, mine, listed = [], False, None
    in_addenda = False
    for raw in body.splitlines():
        line = normalise(raw)
        if raw.startswith("## 부칙"):
            in_addenda = True
            continue
        if not in_addenda or not line:
            continue
        if m := _ADDENDUM.match(line):
            mine = str(int(m[1])) == str(int(number)) if number.isdigit() else m[1] == number
            listed = None
            continue
        if not mine:
            continue
        if listed is not None:  # the items of a "다음 각 호" clause
            if item := _LATER_ITEM.match(line):
                part = _later_part(item["what"], item["when"], f"{listed} {line}")
                if part:
                    out.append(part)
                continue
            if re.match(r"^\d+\.", line):
                out.append(LaterPart(None, tuple(provisions_named(line)), f"{listed} {line}"))  # no day to read
                continue
            listed = None
        if "다만" not in line:
            continue
        if m := _LATER_ITEMS.search(line):
            listed = m[0]
            continue
        for m in _LATER.finditer(line):
            if "다음 각 호" in m["what"]:
                out.append(LaterPart(None, (), m[0]))  # a list of another form: not read, reported
                continue
            part = _later_part(m["what"], m["when"], m[0])
            if part:
                out.append(part)
    return tuple(out)


def takes_effect(version, day: str) -> bool:
    """Whether a version, or provisions its own 부칙 dates, take effect on a day."""
    return version.effective == day or any(p.date == day for p in later_parts(version.body, version.number))
