"""The ``government`` section of the records: the Government Organization Act's top of the tree.

Written by the law importer into ``data/derived/정부조직법/government.yaml`` (``lawimport.act_records``)::

    government:
      snapshots: [1948-07-17, …]        # every day a state of the Act takes effect: a national snapshot
      bodies: [{key: 행정안전부, rank: ministry, …}]   # the Act's record of bodies a 직제 also describes
      placements:
      - {body: 행정안전부, under: 대통령, from: 2017-07-26, sources: [정부조직법/law-14839 art26 par1 item8]}
      - {body: 공정거래위원회, law: 독점규제 및 공정거래에 관한 법률, from: 2020-09-12, sources: […]}

``bodies`` are in the format of the ``bodies`` section; each stands in for the 직제's record of that
key only where no other record has it (a layer of the data without that body's 직제 folder).
A placement says under whom (a key: a head, or a ministry for its 청) or by which other law a body
is set up over a period, citing the Act. It is read here, on its own, and checked against the
bodies by ``check``; the load stage keeps it beside the records, never in a body's own fields.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError, brief
from ..yamlfile import Node
from .fields import Fields, listed
from .model import Placement, Records


def read(node: Any, cur: Records) -> None:
    """Parses the section into ``cur.placements`` and ``cur.national_snapshots``."""
    from .sections import _orgs  # the sections table names this reader

    if not isinstance(node, Node):
        raise InputError(getattr(node, "path", "?"), getattr(node, "line", None), "government",
                         "expected a mapping of `snapshots`, `bodies` and `placements`",
                         "write them indented under `government:` (docs/model.md, The whole government)")
    g = Fields(node, "government", {"snapshots", "bodies", "placements"})
    if cur.national_snapshots:
        raise g.fail("snapshots", "a second `government` section", "the Act's records are in one folder only")
    cur.national_snapshots = tuple(sorted(set(g.dates("snapshots"))))
    scratch = Records()
    _orgs(g.node.get("bodies"), scratch, "bodies")
    cur.act_bodies = scratch.orgs
    for item in listed(g.node.get("placements"), "placements", g.at("placements")):
        p = Fields(item, "placement", {"body", "under", "law", "from", "until", "sources"})
        under, law = p.text("under", False), p.text("law", False)
        if bool(under) == bool(law):
            raise p.fail("under", "a placement names exactly one of `under` and `law`",
                         "give the key of the body it is under, or the law that sets it up")
        start, until = p.date("from"), p.date("until", False)
        if until and until < start:
            raise p.fail("until", "the placement ends before it begins", "`until` is its last day")
        cur.placements.append(Placement(p.key("body"), under, law, start, until, p.refs("sources"), p.where))


def fill_in(cur: Records) -> None:
    """The Act's record of a body stands in where no folder loaded describes that key."""
    for key, org in cur.act_bodies.items():
        cur.orgs.setdefault(key, org)


def check(cur: Records) -> None:
    """Every placed body and head exists and is a government body; one body's placements do not overlap."""
    last: dict[str, Placement] = {}
    for p in sorted(cur.placements, key=lambda p: (p.body, p.start)):
        for key, field in ((p.body, "body"), (p.under, "under")):
            if key is None:
                continue
            org = cur.orgs.get(key)
            if org is None or not org.is_body:
                raise p.where.error(field, f"{brief(key)} is no government body of the data",
                                    "name a key defined under `bodies:`")
        if p.under == p.body:
            raise p.where.error("under", "a body cannot be placed under itself")
        before = last.get(p.body)
        if before and (before.until is None or before.until >= p.start):
            raise p.where.error("from", f"overlaps the placement of {brief(p.body)} from {before.start}",
                                "a body has one place at a time: end the earlier one the day before")
        last[p.body] = p
