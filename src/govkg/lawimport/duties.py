"""Duty paragraphs: the numbered items a unit ``분장한다`` (or a post ``보좌한다``) and the
paragraphs that give a post the items of another paragraph by reference.

Understood heads of a list: ``<holder>은 다음 사항을 분장한다`` (also 관장한다, 처리한다, and
``<상관>의 명을 받아 다음 사무를 총괄하고``) and ``<holder>은 다음 사항에 관하여 <상관>을
보좌한다``. A reference paragraph (``<holder>은 제3항제1호부터 제5호까지 … 보좌한다``, or with
``「…직제」 제7조제3항…`` into the decree) gives the holder the items it names: a range runs
from its first to its last item in the order of the text, deleted items left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HOLDER = r"^(?P<holder>\S+(?: 및 \S+)+|\S+(?: \S+)?)(?:은|는) "
_LIST = re.compile(_HOLDER + r"(?:.*?)다음\s*(?:각 호의\s*)?(?:사항|사무)(?:을|를)?\s*(?:분장|관장|처리|통할|총괄)")
_ASSIST = re.compile(_HOLDER + r"(?:.*?)다음\s*(?:각 호의\s*)?사항에 관하여 .+?(?:을|를) 보좌한다")
_REFERENCE = re.compile(r"^(?P<holder>[^「」\s]+(?: [^「」\s]+)?)(?:은|는) (?P<refs>(?:「[^」]+」\s*)?제\d+(?:조|항).*?)"
                        r"(?:의 사항|사항|에 관한 사무|에 관하여|, 그 밖에| 및 그 밖에)")
_ARTICLE_REF = re.compile(r"(?:(?P<law>「[^」]+」)\s*)?(?:제(?P<art>\d+)조(?:의(?P<artsub>\d+))?)?제(?P<par>\d+)항"
                          r"(?P<items>(?:(?!제\d+[조항])[^「」])*)")
_ITEM_RANGE = re.compile(r"제(\d+)호(?:의(\d+))?(?:부터 제(\d+)호(?:의(\d+))?까지)?")


@dataclass(frozen=True)
class ItemRef:
    """Items of one paragraph named by reference: ``law`` is None for the same law version."""

    law: str | None
    article: str
    paragraph: int
    ranges: tuple[tuple[str, str], ...]  # (first item, last item), item numbers as "3" / "14-2"


@dataclass
class DutyList:
    """The duties one paragraph gives one holder: its own items, or items named by reference."""

    holder: str              # as written: unit names or titles (``A 및 B``), or a bare title
    article: str
    paragraph: int | None
    items: list              # the paragraph's Items (own list)
    refs: tuple[ItemRef, ...] = ()
    source: object = None    # the Reading that states it, when not the day's (a provision not yet in effect)


def _item_number(main: str, sub: str | None) -> str:
    return f"{int(main)}-{int(sub)}" if sub else str(int(main))


def read_duty_paragraph(paragraph, article: str) -> DutyList | None:
    """The duty list a paragraph states, or None if it states none."""
    text = re.sub(r"\(이하[^()]*\)", "", paragraph.text)
    if paragraph.items:
        m = _LIST.match(text) or _ASSIST.match(text)
        return DutyList(m["holder"], article, paragraph.number, paragraph.items) if m else None
    if not re.search(r"보좌한다|분장한다", text):
        return None
    m = _REFERENCE.match(text)
    if not m:
        return None
    refs = []
    for ref in _ARTICLE_REF.finditer(m["refs"]):
        ranges = tuple((_item_number(a, b), _item_number(c, d) if c else _item_number(a, b))
                       for a, b, c, d in _ITEM_RANGE.findall(ref["items"]))
        if not ranges:
            continue
        art = _item_number(ref["art"], ref["artsub"]) if ref["art"] else article
        refs.append(ItemRef(ref["law"], art, int(ref["par"]), ranges))
    return DutyList(m["holder"], article, paragraph.number, [], tuple(refs)) if refs else None


def is_duty_like(paragraph) -> bool:
    """A paragraph that looks like it assigns duties (for the parse report when not understood)."""
    return bool(paragraph.items) and bool(re.search(r"분장|보좌|관장|처리|총괄|통할", paragraph.text))


def resolve_items(ref: ItemRef, articles: dict[str, object]) -> list[tuple[str, str]] | None:
    """(item number, text) of the items a reference names, or None if they cannot be found."""
    art = articles.get(ref.article)
    if art is None:
        return None
    par = next((p for p in art.paragraphs if p.number == ref.paragraph), None)
    if par is None or not par.items:
        return None
    order = [item.number for item in par.items]
    out = []
    for first, last in ref.ranges:
        if first not in order or last not in order or order.index(last) < order.index(first):
            return None
        for item in par.items[order.index(first): order.index(last) + 1]:
            if not item.deleted and item.text and not item.doubtful:
                out.append((item.number, item.full_text))
    return out
