"""Which kind of thing a resource is, as the pages name it: the most specific govkg class it has."""

from __future__ import annotations

from ..vocab import EVENT_TYPES, RANKS
from .model import Model

# Classes that decide which page a resource gets, most specific first.
UNIT, EVENT, DUTY, SOURCE = "Organization", "ChangeEvent", "Duty", ("Law", "LawVersion", "Provision", "NewsArticle", "WebSource")
KINDS = tuple(r.local for r in RANKS)
_MOST_SPECIFIC_FIRST = (*KINDS, *(e.local for e in EVENT_TYPES), UNIT, EVENT, DUTY, *SOURCE, "Snapshot", "Programme",
                        "Responsibility", "ReportedGrouping")


def kind(model: Model, iri: str) -> str | None:
    classes = model.types.get(f"<{iri}>", set())
    for local in _MOST_SPECIFIC_FIRST:
        if model.iris.term(local) in classes:
            return local
    return None


def kind_label(model: Model, iri: str) -> str:
    local = kind(model, iri)
    return (model.label(model.iris.term(local), "en") or local) if local else ""
