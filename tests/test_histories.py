"""Histories on the whole MOIS build (govkg.web.histories): no repeated rows, nothing lost."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, Store

from govkg.iris import Iris
from govkg.web import government, histories
from govkg.web.model import Model


@pytest.fixture(scope="module")
def model(mois_built) -> Model:
    store = Store()
    store.bulk_load(path=str(mois_built / "govkg.nq"), format=RdfFormat.N_QUADS)
    return Model.from_build(store, mois_built, Iris())


def _units(model: Model) -> list[str]:
    return sorted(u for u in model.types if model.is_a(u[1:-1], "InternalUnit"))[::7]  # a seventh of them


def test_parent_spans_tile_the_snapshots_without_repeating(model):
    for key in _units(model):
        unit = key[1:-1]
        spans = histories.parent_spans(model, unit)
        held = [s for s in histories._snapshots_with(model, unit)]
        assert sum(s.intervals for s in spans) == len(held), unit
        for a, b in zip(spans, spans[1:]):
            assert a.value != b.value or a.end != b.start, (unit, a, b)  # else they would be one row


def test_the_issue_s_division_reads_in_three_rows(model):
    """공공지능정책과: twenty-odd snapshot rows in the issue; one row per parent chain here."""
    unit = model.iris.org("행정안전부/디지털정부국/공공지능정책과")
    spans = histories.parent_spans(model, unit)
    names = [[model.label(p, "ko") for p in s.value] for s in spans]
    assert len(spans) < sum(s.intervals for s in spans)
    assert names[0][-1] == "디지털정부국" and names[-1][-1] == "공공서비스국"
    assert all(a != b for a, b in zip(names, names[1:]))
    assert histories.breadcrumbs(model, unit) == spans[-1].value


def test_children_changes_replay_the_spans(model):
    for key in _units(model):
        unit = key[1:-1]
        spans = histories.children_spans(model, unit)
        changes = histories.children_changes(spans)
        for a, b in zip(spans, spans[1:]):
            assert a.value != b.value or a.end != b.start
        current: set[str] = set(spans[0].value) if spans else set()
        for change in changes:
            current = (current - set(change.removed)) | set(change.added)
        if spans:
            assert current == set(spans[-1].value), unit


def test_citations_grouped_by_provision_count_every_citation(model):
    t = model.iris.term
    duties = model.subjects(t("heldBy"), model.iris.org("행정안전부/디지털정부국/공공지능정책과"))
    assert duties
    for duty in duties:
        groups = histories.citation_groups(model, duty)
        provisions = [s for s in model.values(duty, "http://purl.org/dc/terms/source") if model.one(s, t("article"))]
        assert sum(g.count for g in groups) == len(provisions)
        assert len({g.provision for g in groups}) == len(groups)
        for g in groups:
            assert g.first.issued <= g.last.issued


def test_freshness_of_a_unit_is_its_last_change(model):
    unit = model.iris.org("행정안전부/디지털정부국/공공지능정책과")
    fresh = histories.freshness(model, unit)
    t = model.iris.term
    assert fresh is not None and fresh.versions
    assert fresh.date >= max(s.start for s in histories.parent_spans(model, unit))
    assert fresh.date >= max(model.one(d, t("attestedFrom")) for d in model.subjects(t("heldBy"), unit))
    for version in fresh.versions:
        assert model.one(version, t("effectiveDate")) <= fresh.date


def test_bodies_by_kind_current_first(model):
    groups = government.of(model).bodies_by_kind()
    assert [k for k, _ in groups] == sorted((k for k, _ in groups), key=government.BODY_KINDS.index)
    assert set(model.snapshots) <= {line.body for _, lines in groups for line in lines}
    for _, lines in groups:
        ended = [line.end is not None for line in lines]
        assert ended == sorted(ended)  # the current ones (no end) first
