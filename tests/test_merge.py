"""The curated-over-derived merge (``records.merge``): examples of its hardest rules, the parent
periods and the derived events a curated event overrides (docs/curating.md, "Curated and derived
records together"); the parent merge's properties are in test_periods.py."""

from __future__ import annotations

from pathlib import Path

from govkg.records.merge import _merge_parents, _overridden, _overriding, merge
from govkg.records.model import Event, ParentSpan, Records, SourceRef, Where

WHERE = Where(Path("case.yaml"), 1)


def _event(key: str, kind: str, original: tuple[str, ...], resulting: tuple[str, ...], day: str = "2020-04-28",
           sources: tuple = ()) -> Event:
    moved = kind == "move"
    return Event(key, kind, day, original, resulting, "위" if moved else None, "아래" if moved else None, "stated",
                 (), sources, None, WHERE)


def test_an_open_curated_parent_lasts_until_the_law_shows_another():
    derived = (ParentSpan("a", "2020-01-01", "2020-01-31"), ParentSpan("b", "2020-02-01", None))
    curated = (ParentSpan("c", "2020-01-10", None),)
    assert _merge_parents(curated, derived, None) == (
        ParentSpan("a", "2020-01-01", "2020-01-09"), ParentSpan("c", "2020-01-10", "2020-01-31"),
        ParentSpan("b", "2020-02-01", None))


def test_a_closed_curated_parent_replaces_the_law_on_its_days_only():
    derived = (ParentSpan("a", "2020-01-01", None),)
    curated = (ParentSpan("c", "2020-01-10", "2020-01-20"),)
    assert _merge_parents(curated, derived, None) == (
        ParentSpan("a", "2020-01-01", "2020-01-09"), ParentSpan("c", "2020-01-10", "2020-01-20"),
        ParentSpan("a", "2020-01-21", None))


def test_parent_spans_of_one_parent_that_meet_become_one():
    derived = (ParentSpan("a", "2020-01-01", "2020-01-09"), ParentSpan("b", "2020-01-10", None))
    curated = (ParentSpan("a", "2020-01-10", "2020-01-20"),)
    assert _merge_parents(curated, derived, None) == (
        ParentSpan("a", "2020-01-01", "2020-01-20"), ParentSpan("b", "2020-01-21", None))


def test_which_derived_events_a_curated_event_overrides():
    curated = [_event("국-통합", "merger", ("가국", "나국"), ("다국",))]
    same_key = _event("국-통합", "abolition", ("라국",), ())
    same_unit = _event("가국-폐지", "abolition", ("가국",), ())
    other_day = _event("가국-폐지", "abolition", ("가국",), (), day="2020-04-29")
    linked = _event("가국-다국", "duty-transfer", ("가국",), ("다국",))
    from_created = _event("다국-마국", "duty-transfer", ("다국",), ("마국",))
    elsewhere = _event("바국-사국", "duty-transfer", ("바국",), ("사국",))
    moved = _event("가국-이동", "move", ("가국",), ("가국",))
    assert [_overridden(e, curated) for e in (same_key, same_unit, other_day, linked, from_created, elsewhere, moved)] \
        == [True, True, False, True, True, False, False]
    assert _overriding(same_unit, curated) is curated[0]


def test_a_derived_event_of_the_same_date_and_key_adds_its_sources():
    curated = _event("국-통합", "merger", ("가국", "나국"), ("다국",), sources=(SourceRef("news-1"),))
    derived = _event("국-통합", "merger", ("가국", "나국"), ("다국",), sources=(SourceRef("dec-1", "3", 1),))
    elsewhere = _event("바국-폐지", "abolition", ("바국",), ())
    out = merge(Records(events=[curated]), Records(events=[derived, elsewhere]))
    assert [(e.key, e.sources) for e in out.events] == [
        ("국-통합", (SourceRef("news-1"), SourceRef("dec-1", "3", 1))), ("바국-폐지", ())]
