"""Reading one law version: articles, establishing paragraphs, duty lists (invented texts)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from govkg.lawimport.articles import Annotation, Paragraph, normalise, parse_articles
from govkg.lawimport.corpus import front_matter
from govkg.lawimport.duties import read_duty_paragraph, resolve_items
from govkg.lawimport.units import Context, joined_names, read_paragraph

PARAGRAPHS = yaml.safe_load((Path(__file__).parent / "fixtures/lawimport/paragraphs.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", PARAGRAPHS, ids=[c["id"] for c in PARAGRAPHS])
def test_establishing_paragraph(case):
    body = case.get("body", "시험부")
    ctx = Context(body, case.get("article"), case.get("chapter", body), case.get("aliases", {}),
                  frozenset(case.get("joined", ())))
    outcome, units = read_paragraph(Paragraph(1, case["text"]), "3", ctx)
    assert outcome == case["outcome"]
    assert [[u.name, u.rank, u.parent] for u in units] == case["units"]


def test_names_the_law_uses_whole_keep_their_middle_dot():
    texts = ["출입국ㆍ시험정책본부장은 고위공무원단에 속하는 일반직공무원으로 보한다.",
             "가나ㆍ다라국에 가과를 둔다.", "가과ㆍ나과는 서기관으로 보한다."]
    assert joined_names(["마바ㆍ사아과", "가나실", None], texts) == {"출입국ㆍ시험정책본부", "가나ㆍ다라국", "마바ㆍ사아과"}


ARTICLES = """\
## 제2장 시험부

##### 제4조 (가나실)

**①** 가나실에 가과를 둔다. <개정 2020.6.1, 2021. 2. 5.>

**②** 가과장은 다음 사항을 분장한다.

  1\\. 가 업무의 계획 <신설 2020.6.1>
  2\\. 삭제 <2020.6.1>
  2의2\\. 가 업무의 &lt;특례&gt; 관리
  3\\. 가 민원의 처리
    가\\. 접수
    나\\. 삭제 <2020.6.1>
    다\\. 통보
  4\\. 가 통계의 관리 [종전 제3호는 제4호로 이동 <2020.6.1>]
 5의2 가 자료의 보존

##### 제5조

삭제 <2020.6.1>

## 부칙

##### 제1조 (시행일) 이 규칙은 공포한 날부터 시행한다.
"""


def test_articles_paragraphs_items_and_annotations():
    first, deleted = parse_articles(ARTICLES)
    assert (first.number, first.title, first.chapter) == ("4", "가나실", "시험부")
    listing, duties = first.paragraphs
    assert listing.text == "가나실에 가과를 둔다."
    assert listing.annotations == (Annotation("개정", ("2020-06-01", "2021-02-05")),)
    items = {i.number: i for i in duties.items}
    assert items["1"].text == "가 업무의 계획" and items["1"].annotations[0].kind == "신설"
    assert items["2"].deleted and items["2"].text == ""
    assert items["2-2"].text == "가 업무의 <특례> 관리"
    assert items["3"].full_text == "가 민원의 처리 가. 접수 다. 통보"  # a deleted sub-item has no text
    assert items["4"].text == "가 통계의 관리" and items["4"].annotations[0].kind == "이동"
    assert items["5-2"].text == "가 자료의 보존"  # an item written without its escaped dot
    assert deleted.deleted and deleted.annotations == (Annotation("삭제", ("2020-06-01",)),)


def test_addenda_are_not_read():
    assert [a.number for a in parse_articles(ARTICLES)] == ["4", "5"]


def test_normalise_removes_escapes_and_whitespace():
    assert normalise("  3\\.  가ㆍ나\u3000및 다 ") == "3. 가ㆍ나 및 다"


@pytest.mark.parametrize("text, problem", [
    ("# 제목\n", "no front matter"),
    ("---\n제목: 가\n", "front matter is not closed by ---"),
    ("---\n법령ID: [1\n---\n", "front matter is not valid YAML"),
    ("---\n- 가\n---\n", "front matter is not a mapping"),
])
def test_front_matter_problems(text, problem):
    fields, _, found = front_matter(text)
    assert fields is None and found.startswith(problem)


def test_front_matter_keeps_text_values():
    fields, body, problem = front_matter("---\n법령ID: '000123'\n공포일자: 2020-01-01\n---\n\n# 본문\n")
    assert problem is None and fields == {"법령ID": "000123", "공포일자": "2020-01-01"} and body.startswith("\n# 본문")


def _paragraph(text: str, items: list[str] = ()):
    return Paragraph(2, text, items=parse_articles("##### 제1조 (가)\n\n**①** x\n\n" + "".join(
        f"  {n}\\. {t}\n" for n, t in enumerate(items, start=1)))[0].paragraphs[0].items)


@pytest.mark.parametrize("text, holder", [
    ("가과장은 다음 사항을 분장한다.", "가과장"),
    ("홍보담당관은 다음 사항에 관하여 대변인을 보좌한다.", "홍보담당관"),
    ("기획부장은 원장의 명을 받아 다음 사무를 총괄하고, 소속 공무원을 지휘ㆍ감독한다.", "기획부장"),
    ("시험연구원(이하 \"연구원\"이라 한다)은 다음 사항을 관장한다.", "시험연구원"),
    ("가과장 및 나과장은 다음 사항을 분장한다.", "가과장 및 나과장"),
])
def test_duty_lists(text, holder):
    duty = read_duty_paragraph(_paragraph(text, ["가 업무", "나 업무"]), "3")
    assert duty.holder == holder and [i.text for i in duty.items] == ["가 업무", "나 업무"]


def test_duty_reference_to_ranges_of_items():
    duty = read_duty_paragraph(Paragraph(4, "가나정책관은 제2항제1호부터 제2호까지, 제3호의2 및 그 밖에 실장이 명하는 "
                                             "사항에 관하여 실장을 보좌한다."), "5")
    assert duty.holder == "가나정책관"
    (ref,) = duty.refs
    assert (ref.law, ref.article, ref.paragraph, ref.ranges) == (None, "5", 2, (("1", "2"), ("3-2", "3-2")))
    articles = {a.number: a for a in parse_articles(
        "##### 제5조 (가나실)\n\n**②** 실장은 다음 사항을 분장한다.\n\n  1\\. 가\n  1의2\\. 삭제 <2020.1.1>\n"
        "  2\\. 나\n  3\\. 다\n  3의2\\. 라\n")}
    assert resolve_items(ref, articles) == [("1", "가"), ("2", "나"), ("3-2", "라")]


def test_duty_reference_into_the_decree():
    duty = read_duty_paragraph(Paragraph(3, "가나정책관은 「시험부와 그 소속기관 직제」 제5조제2항제1호부터 제3호까지의 "
                                             "사항과 그 밖에 실장이 명하는 사항에 관하여 실장을 보좌한다."), "2")
    assert duty.refs[0].law == "「시험부와 그 소속기관 직제」" and duty.refs[0].article == "5"


def test_paragraph_without_duties():
    assert read_duty_paragraph(Paragraph(1, "가과장은 서기관으로 보한다."), "3") is None


def test_the_alias_of_a_body_whose_name_has_a_space_is_the_whole_name():
    from govkg.lawimport.reading import _aliases

    articles = parse_articles("##### 제2조 (직무)\n\n시험 보호위원회(이하 \"위원회\"라 한다)는 시험 사무를 관장한다.\n")
    assert _aliases(articles, "시험 보호위원회")[0] == {"위원회": "시험 보호위원회"}
    assert _aliases(articles, "다른위원회")[0] == {"위원회": "보호위원회"}


def test_an_alias_for_one_chapter_is_read_however_the_law_scopes_it():
    from govkg.lawimport.reading import _aliases

    articles = parse_articles("## 제3장 가나본부\n\n##### 제15조 (직무)\n\n"
                              "가나본부(이하 \"본부\"라 한다. 이 장에서 같다)는 가나 사무를 관장한다.\n\n"
                              "## 제4장 다라원\n\n##### 제20조 (직무)\n\n"
                              "다라원(이하 이 장에서 \"원\"이라 한다)은 다라 사무를 관장한다.\n")
    whole, chapters = _aliases(articles, "시험부")
    assert whole == {} and chapters == {"가나본부": {"본부": "가나본부"}, "다라원": {"원": "다라원"}}


def test_a_name_with_characters_keys_do_not_allow_gets_a_key_all_the_same():
    from govkg.keys import key_problem, segment

    assert segment("국립6.25전쟁 납북자기념관팀") == "국립6-25전쟁납북자기념관팀"
    assert key_problem("시험부/" + segment("국립6.25전쟁 납북자기념관팀")) is None
