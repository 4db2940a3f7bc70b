"""The pages of the whole government: the national org chart as of a date (one page per national
snapshot, also at any day, showing the one then in force) and the index of those dates.

A national chart shows each head (the President, the Prime Minister) with the bodies the Act
puts under it, a ministry's 청 below it, as the body org charts draw units; then the bodies the
Act names as set up by their own laws. Each body links to its page and, where its 직제 is in
the sources, to its own org chart in force on that day.
"""

from __future__ import annotations

from ..iris import DCTERMS
from . import government, orgchart
from .model import Snapshot
from .pages import Page, _statements, chart_node, korean


def index_page(page: Page) -> str:
    gov = government.of(page.model)
    rows = [(n, gov.chart(n).bodies) for n in gov.snapshots]
    return page.render("government_index.html", page.t("gov.index_title"), rows=rows,
                       dates=[n.date for n in gov.snapshots])


def national_page(page: Page, day: str | None, iri: str | None = None) -> str:
    """The government as of ``day`` (None: the latest snapshot); ``iri``: as the page of that
    snapshot's graph, with its statements."""
    m, gov = page.model, government.of(page.model)
    national = gov.at(day) if day else (gov.snapshots[-1] if gov.snapshots else None)
    day = day or (national.date if national else "")
    title = page.t("gov.title", date=day)
    view = {"day": day, "national": national, "dates": [n.date for n in gov.snapshots],
            "statements": _statements(page, iri) if iri else []}
    if national is None:
        return page.render("government.html", title, iri=iri, chart=None, charts=[], **view)
    chart = gov.chart(national)
    at = gov.snapshots.index(national)
    charts = []
    for head in chart.roots:
        name = m.label(head, "ko") or head
        en = m.label(head, "en")
        charts.append((head, orgchart.layout(
            chart_node(page, head), chart.children, lambda i: chart_node(page, i),
            f"Bodies under {name}{f' ({en})' if en else ''} as of {day}",
            f"{chart.below(head)} bodies under {name} in the national snapshot of {national.date}, each "
            f"direct body a column with the bodies under it indented below; each box links to the body's page.")))
    own: dict[str, Snapshot | None] = {body: gov.body_snapshots.get(graph) for body, graph in national.parts.items()}
    law = m.one(national.law, DCTERMS + "identifier") if national.law else None
    return page.render("government.html", title, iri=iri, chart=chart, charts=charts, own=own,
                       law=page.link(national.law, korean(law) if law else None) if national.law else "—",
                       keys={b: m.iris.key(b) for b in own},
                       tree=[(head, _nested(chart.children, head)) for head in chart.roots],
                       earlier=gov.snapshots[at - 1] if at else None,
                       later=gov.snapshots[at + 1] if at + 1 < len(gov.snapshots) else None, **view)


def _nested(children: dict[str, list[str]], iri: str, seen: frozenset = frozenset()) -> list[tuple[str, list]]:
    return [(k, _nested(children, k, seen | {iri})) for k in children.get(iri, []) if k not in seen]

