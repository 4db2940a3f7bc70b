"""Duty records expanded into duty blocks (``records.duties.duty_blocks``), checked through the
transform's reading of them (``transform._duties``): property tests over generated histories,
and examples of the rules docs/curating.md states.

A generated history is one holder and text: duty records with a free day between them (the
importer writes a duty that comes back as a new record), each citing law versions in force in it
(the first one from its start), and curated blocks of the same text, each inside one record's
period, adjoining it, or alone in a gap, touching none.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from govkg.iris import Iris
from govkg.records.duties import duty_blocks
from govkg.records.model import DutyBlock, DutyRecord, LawVersion, Records, SourceRef, Where
from govkg.transform import _duties

ORIGIN = dt.date(2020, 1, 1)
HORIZON = 60
HOLDER, TEXT = "부/과", "기록물의 관리"
CURATED = SourceRef("cur-1", "10", 1)


def _day(n: int | None) -> str | None:
    return None if n is None else (ORIGIN + dt.timedelta(days=n)).isoformat()


def _where(n: int) -> Where:
    return Where(Path("case.yaml"), n)


def _law(ref: str, effective: int) -> LawVersion:
    day = _day(effective)
    return LawVersion(ref, f"law-{ref}", "직제", "decree", ref, day, day, None, None, _where(1))


@st.composite
def histories(draw) -> tuple[Records, list[tuple[int, int | None]]]:
    """Records of one duty, and the periods (first day, last day or None) it must come out as."""
    count = draw(st.integers(1, 3))
    bounds = sorted(draw(st.sets(st.integers(0, HORIZON), min_size=2 * count, max_size=2 * count)))
    spans = [(bounds[2 * i], bounds[2 * i + 1] - 1) for i in range(count)]
    if draw(st.booleans()):
        spans[-1] = (spans[-1][0], None)
    laws, history, blocks, expected = {}, [], [], []
    for i, (start, end) in enumerate(spans):
        sources = []
        for j in range(draw(st.integers(1, 3))):
            effective = draw(st.integers(0, start) if j == 0 else st.integers(start, HORIZON if end is None else end))
            ref = f"v{i}-{j}"
            laws[ref] = _law(ref, effective)
            sources.append(SourceRef(ref, "10", 1, str(j + 1)))
        history.append(DutyRecord(HOLDER, TEXT, _day(start), _day(end), tuple(sources), _where(10 + i)))
        curated_ends = []
        for k in range(draw(st.integers(0, 2))):
            first = draw(st.integers(start, HORIZON if end is None else end))
            last = draw(st.one_of(st.integers(first, end if end is not None else HORIZON),
                                  *([st.none()] if end is None else [])))
            if last is not None:
                curated_ends.append(last)
            blocks.append(DutyBlock(HOLDER, CURATED, _day(first), _day(last), ((f"{i}{k}", TEXT),), _where(20 + k)))
        # a curated block that adjoins the record, before or after, without touching its neighbours
        earliest = max(spans[i - 1][1], expected[-1][1]) + 2 if i else 0
        if start - 1 >= earliest and draw(st.booleans()):
            first = draw(st.integers(earliest, start - 1))
            blocks.append(DutyBlock(HOLDER, CURATED, _day(first), _day(start - 1), ((f"{i}b", TEXT),), _where(28)))
            start, curated_ends = first, [*curated_ends, start - 1]  # a curated until ends the period
        latest = spans[i + 1][0] - 2 if i + 1 < len(spans) else HORIZON
        if end is not None and end + 1 <= latest and draw(st.booleans()):
            last = draw(st.integers(end + 1, latest))
            blocks.append(DutyBlock(HOLDER, CURATED, _day(end + 1), _day(last), ((f"{i}a", TEXT),), _where(29)))
            curated_ends.append(last)
        expected.append((start, max(curated_ends) if curated_ends else end))
    taken = {d for start, end in spans + expected for d in range(start - 1, (HORIZON + 2 if end is None else end + 2))}
    free = [d for d in range(HORIZON) if d not in taken]
    if free and draw(st.booleans()):  # a curated block alone in a gap: a period of its own
        first = draw(st.sampled_from(free))
        last = max(d for d in free if d >= first and all(x in free for x in range(first, d + 1)))
        last = draw(st.integers(first, last))
        blocks.append(DutyBlock(HOLDER, CURATED, _day(first), _day(last), (("99", TEXT),), _where(30)))
        expected.append((first, last))
    return Records(laws=laws, duties=blocks, duty_history=history), sorted(expected)


def _sources(records: Records) -> set[SourceRef]:
    return ({ref for r in records.duty_history for ref in r.sources}
            | {b.source.with_item(n) for b in records.duties for n, _ in b.items})


@given(histories())
def test_each_record_and_lone_block_is_one_duty_with_every_source(history):
    records, expected = history
    expanded = Records(laws=records.laws, duties=duty_blocks(records), duty_history=records.duty_history)
    assert all(len(b.items) == 1 for b in expanded.duties)
    duties = _duties(expanded, Iris())  # raises if the blocks of one duty overlap
    assert sorted((d.start, d.end) for d in duties) == [(_day(s), _day(e)) for s, e in expected]
    assert {ref for d in duties for ref in d.sources} == _sources(records)
    assert sorted(d.period for d in duties) == list(range(1, len(expected) + 1))


@given(histories())
def test_blocks_of_one_period_follow_each_other(history):
    records, _ = history
    blocks = sorted(duty_blocks(records), key=lambda b: b.attested_from)
    for before, after in zip(blocks, blocks[1:]):
        if before.attested_until is not None and before.attested_until >= after.attested_from:
            raise AssertionError(f"{before} overlaps {after}")


def test_without_duty_records_the_curated_blocks_stay_as_they_are():
    blocks = [DutyBlock(HOLDER, CURATED, "2020-01-01", None, (("1", TEXT), ("2", "다른 일")), _where(1))]
    assert duty_blocks(Records(duties=blocks)) is blocks


def test_a_source_that_takes_effect_the_same_day_adds_a_source_not_a_period():
    laws = {"v1": _law("v1", 0), "v2": _law("v2", 0)}
    record = DutyRecord(HOLDER, TEXT, "2020-01-01", None, (SourceRef("v1", "10", 1, "3"), SourceRef("v2", "10", 1, "4")),
                        _where(1))
    blocks = duty_blocks(Records(laws=laws, duty_history=[record]))
    assert [(b.attested_from, b.attested_until, b.items) for b in blocks] == [
        ("2020-01-01", "2019-12-31", (("3", TEXT),)), ("2020-01-01", None, (("4", TEXT),))]
    [duty] = _duties(Records(laws=laws, duties=blocks), Iris())
    assert (duty.start, duty.end, len(duty.sources)) == ("2020-01-01", None, 2)


def test_a_curated_until_closes_the_period_it_joins():
    laws = {"v1": _law("v1", 0), "v2": _law("v2", 30)}
    record = DutyRecord(HOLDER, TEXT, "2020-01-01", None, (SourceRef("v1", "10", 1, "3"), SourceRef("v2", "10", 1, "3")),
                        _where(1))
    curated = DutyBlock(HOLDER, CURATED, "2020-01-05", "2020-03-31", (("7", TEXT),), _where(2))
    blocks = duty_blocks(Records(laws=laws, duties=[curated], duty_history=[record]))
    assert [(b.attested_from, b.attested_until, b.source.ref) for b in blocks] == [
        ("2020-01-01", "2020-01-04", "v1"), ("2020-01-05", "2020-01-30", "cur-1"), ("2020-01-31", "2020-03-31", "v2")]
