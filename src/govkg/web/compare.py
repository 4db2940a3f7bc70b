"""What changed in a body's organization between two snapshots: units created, abolished,
renamed (a renaming-like event links the vanished unit to the new one) and moved to another
parent, and the events dated in between."""

from __future__ import annotations

from dataclasses import dataclass

from ..iris import DCTERMS, ORG
from ..vocab import RENAMING_LIKE
from .kinds import EVENT, kind
from .model import Model, Snapshot


@dataclass(frozen=True)
class Comparison:
    created: list[str]
    abolished: list[str]
    renamed: list[tuple[str, str, str]]      # (old unit, new unit, the event)
    moved: list[tuple[str, str, str]]        # (unit, parent before, parent after)
    events: list[str]                         # dated after the first snapshot, up to the second


def compare(m: Model, a: Snapshot, b: Snapshot) -> Comparison:
    """The changes from snapshot ``a`` to ``b``."""
    before, after = m.parents(a), m.parents(b)

    def by_name(u: str) -> tuple[str, str]:
        return m.label(u, "ko") or u, u

    created = sorted(set(after) - set(before), key=by_name)
    abolished = sorted(set(before) - set(after), key=by_name)
    renamed = []
    for old in list(abolished):
        for event in m.values(old, ORG + "changedBy"):
            new = m.values(event, ORG + "resultingOrganization")
            if kind(m, event) in RENAMING_LIKE and len(new) == 1 and new[0] in created:
                renamed.append((old, new[0], event))
                abolished.remove(old)
                created.remove(new[0])
    moved = [(u, before[u], after[u]) for u in sorted(set(before) & set(after), key=by_name) if before[u] != after[u]]
    events = {e for e in m.dated_between(a.date, b.date) if m.is_a(e, EVENT)}
    return Comparison(created, abolished, renamed, moved,
                      sorted(events, key=lambda e: (m.one(e, DCTERMS + "date") or "", e)))
