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
