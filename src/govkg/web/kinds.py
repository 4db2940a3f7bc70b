"""Which kind of thing a resource is, as the pages name it: the most specific govkg class it has."""

from __future__ import annotations

from functools import lru_cache
from weakref import WeakKeyDictionary

from ..vocab import EVENT_TYPES, RANKS
from .model import Model

# Classes that decide which page a resource gets, most specific first.
UNIT, EVENT, DUTY, SOURCE = "Organization", "ChangeEvent", "Duty", ("Law", "LawVersion", "Provision", "NewsArticle", "WebSource")
KINDS = tuple(r.local for r in RANKS)
_MOST_SPECIFIC_FIRST = (*KINDS, *(e.local for e in EVENT_TYPES), UNIT, EVENT, DUTY, *SOURCE, "Snapshot", "Programme",
                        "Responsibility", "ReportedGrouping")


@lru_cache(maxsize=8)
def _classes(vocab: str) -> tuple[tuple[str, str], ...]:
    """(class IRI, local name) of the classes that decide a page, most specific first, under ``vocab``."""
    return tuple((vocab + local, local) for local in _MOST_SPECIFIC_FIRST)


_KINDS: WeakKeyDictionary[Model, dict[str, str | None]] = WeakKeyDictionary()


def kind(model: Model, iri: str) -> str | None:
    """The local name of the most specific of those classes that ``iri`` has (None: none of them);
    found once per typed resource and model, as a page asks it of every resource it lists."""
    known = _KINDS.get(model)
    if known is None:
        known = _KINDS[model] = {}
    if iri in known:
        return known[iri]
    classes = model.types.get(f"<{iri}>")
    if not classes:  # not kept: a request may name any IRI, the data's are bounded
        return None
    known[iri] = next((local for cls, local in _classes(model.iris.vocab) if cls in classes), None)
    return known[iri]


def kind_label(model: Model, iri: str) -> str:
    local = kind(model, iri)
    return (model.label(model.iris.term(local), "en") or local) if local else ""
