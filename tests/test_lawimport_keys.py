"""Keys across imports (``identity.assign_keys``): what a better reading changes and what it keeps."""

from __future__ import annotations

from govkg.lawimport.identity import EraLives, Life, assign_keys
from govkg.lawimport.timeline import Era


def _era(*lives: Life) -> EraLives:
    return EraLives(Era(lives[0].name), lives[0], list(lives), [])


def _published(key: str, name: str, rank: str, body: str | None) -> dict:
    return {"key": key, "name": name, "rank": rank, "body": body, "from": "2020-01-01"}


def test_a_body_read_with_another_rank_keeps_its_key():
    body = Life(0, "국회도서관", "central-body", None, "2020-01-01")    # once read as a ministry
    out = assign_keys([_era(body)], [], set(), [_published("국회도서관", "국회도서관", "ministry", None)])
    assert body.key == "국회도서관"
    assert out == [_published("국회도서관", "국회도서관", "central-body", None)]   # no replaced_by: same IRI


def test_a_unit_read_with_another_rank_gets_a_new_key_and_the_old_one_points_to_it():
    body = Life(0, "시험부", "ministry", None, "2020-01-01")
    unit = Life(1, "기획관", "director-general-post", 0, "2020-01-01")   # once read as a bureau
    out = assign_keys([_era(body, unit)], [], set(), [_published("시험부", "시험부", "ministry", None),
                                                      _published("시험부/기획관", "기획관", "bureau", "시험부")])
    assert (body.key, unit.key) == ("시험부", "시험부/기획관~2")
    assert {e["key"]: e.get("replaced_by") for e in out} == {"시험부": None, "시험부/기획관": "시험부/기획관~2",
                                                             "시험부/기획관~2": None}


def test_a_unit_whose_name_was_misread_is_replaced_by_the_unit_read_again():
    body = Life(0, "시험부", "ministry", None, "2020-01-01")
    unit = Life(1, "기획과", "division", 0, "2020-01-01")   # once read as "각각 기획과" (A 및 B에 각각 기획과를 둔다)
    out = assign_keys([_era(body, unit)], [], set(), [_published("시험부", "시험부", "ministry", None),
                                                      _published("시험부/각각기획과", "각각 기획과", "division", "시험부")])
    assert unit.key == "시험부/기획과"
    assert {e["key"]: e.get("replaced_by") for e in out} == {"시험부": None, "시험부/각각기획과": "시험부/기획과",
                                                             "시험부/기획과": None}


def test_a_key_nothing_carries_or_replaces_is_withdrawn_and_live_again_when_its_unit_is_read_again():
    body = Life(0, "시험부", "ministry", None, "2020-01-01")
    published = [_published("시험부", "시험부", "ministry", None), _published("시험부/각각과", "각각과", "division", "시험부")]
    out = assign_keys([_era(body)], [], set(), published)
    gone = next(e for e in out if e["key"] == "시험부/각각과")
    assert gone["withdrawn"].startswith("Withdrawn:") and "replaced_by" not in gone
    again = Life(1, "각각과", "division", 0, "2020-01-01")
    out = assign_keys([_era(Life(0, "시험부", "ministry", None, "2020-01-01"), again)], [], set(), out)
    assert again.key == "시험부/각각과"
    assert "withdrawn" not in next(e for e in out if e["key"] == "시험부/각각과")


def test_a_key_replaced_by_one_read_again_follows_it_to_the_end_of_the_chain():
    body = Life(0, "시험부", "ministry", None, "2020-01-01")
    unit = Life(1, "기획과", "division", 0, "2020-01-01")
    published = [_published("시험부", "시험부", "ministry", None),
                 {**_published("시험부/가각기획과", "가 각 기획과", "division", "시험부"), "replaced_by": "시험부/각기획과"},
                 {**_published("시험부/각기획과", "각 기획과", "division", "시험부")}]
    out = {e["key"]: e for e in assign_keys([_era(body, unit)], [], set(), published)}
    assert out["시험부/각기획과"]["replaced_by"] == "시험부/기획과"
    assert out["시험부/가각기획과"]["replaced_by"] == "시험부/기획과"   # one redirect, to a key that names a unit


def test_a_key_replaced_by_one_now_withdrawn_is_withdrawn_too():
    body = Life(0, "시험부", "ministry", None, "2020-01-01")
    published = [_published("시험부", "시험부", "ministry", None),
                 {**_published("시험부/각가나비서관", "각 가나 비서관", "division", "시험부"), "replaced_by": "시험부/가나비서관"},
                 _published("시험부/가나비서관", "가나 비서관", "division", "시험부")]
    out = {e["key"]: e for e in assign_keys([_era(body)], [], set(), published)}
    assert out["시험부/가나비서관"]["withdrawn"].startswith("Withdrawn:")
    assert "replaced_by" not in out["시험부/각가나비서관"] and out["시험부/각가나비서관"]["withdrawn"].startswith("Withdrawn:")
