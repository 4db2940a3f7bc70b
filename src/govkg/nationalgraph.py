"""The top of the tree in RDF: the Government Organization Act's placements and the national
snapshots (docs/model.md, "The whole government").

A placement (``govkg:Placement``) is in the default graph with its dates and provisions. For every
day a state of the Act takes effect, a named graph ``graph:national/<D>`` holds each body the Act
then sets up ``org:subOrganizationOf`` its head (or its ministry); its description in the default
graph says which law version it comes from and which body snapshots then in force are its parts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .iris import DCTERMS, ORG, PROV, RDFS
from .quadtext import date as _date
from .quadtext import en, ko
from .records.model import SourceRef

if TYPE_CHECKING:
    from .records.model import Records
    from .transform import Graph, _Sources


def add(cur: Records, g: Graph, source_iri: _Sources) -> None:
    t = g.term
    for p in cur.placements:
        iri = g.iris.placement(p.body, p.start)
        g.types(iri, t("Placement"), PROV + "Entity")
        g.add(iri, t("placedBody"), g.iris.org(p.body))
        if p.under:
            g.add(iri, t("placedUnder"), g.iris.org(p.under))
        else:
            g.add(iri, t("placedByLaw"), ko(p.law))
        g.add(iri, t("attestedFrom"), _date(p.start))
        if p.until:
            g.add(iri, t("attestedUntil"), _date(p.until))
        for ref in p.sources:
            g.add(iri, DCTERMS + "source", source_iri(ref))
    act_laws = {cur.laws[r.ref].law_id for p in cur.placements for r in p.sources if r.ref in cur.laws}
    dates = cur.national_snapshots
    for day, next_day in zip(dates, dates[1:] + (None,)):
        graph = g.iris.national_snapshot(day)
        g.types(graph, t("NationalSnapshot"), PROV + "Entity")
        g.add(graph, DCTERMS + "date", _date(day))
        g.add(graph, RDFS + "label", en(f"The government as of {day}"))
        if next_day:
            g.add(graph, t("validUntil"), _date(next_day))
        versions = [(v.effective, v.promulgated, v.number, ref) for ref, v in cur.laws.items()
                    if v.law_id in act_laws and v.effective <= day]
        if versions:
            g.add(graph, PROV + "wasDerivedFrom", source_iri(SourceRef(max(versions)[-1])))
        for p in cur.placements:
            if p.start > day or (p.until is not None and p.until < day):
                continue
            if p.under:
                g.add(g.iris.org(p.body), ORG + "subOrganizationOf", g.iris.org(p.under), graph)
            body = cur.orgs[p.body]
            shown = [d for d in body.snapshots if d <= day]
            if shown and (body.attested_until is None or body.attested_until >= day):
                g.add(graph, DCTERMS + "hasPart", g.iris.snapshot(p.body, shown[-1]))
