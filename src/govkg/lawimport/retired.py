"""Event IRIs an earlier import published and this one no longer makes (docs/identity.md).

An event's IRI is its date and key. When a better reading of the same law versions drops an
event, its IRI stays answerable: it is *replaced* by the event of this import that states the
same change (the same day, the same original and resulting units once replaced unit keys are
followed, and for a move the same parents), or, when no event does, *withdrawn* with the reason
and the events of that day that now speak of any of its units. An entry, once written, is kept
by every later import; an event the import makes again is live again and leaves the list.
"""

from __future__ import annotations

from collections import defaultdict

REASON = ("Withdrawn: read again, the law versions state no change on this day with these original and "
          "resulting units; an earlier import misread them as {kind}.")
AMBIGUOUS = ("Withdrawn: read again, the law versions state several changes on this day with these units, and "
             "which of them this {bare} was cannot be told.")


def retire_events(published: list[dict], retired: list[dict], events: list[dict], keys: list[dict]) -> list[dict]:
    """The retired-event entries after this import.

    ``published`` holds the events of the previous import (records as in events.yaml), ``retired``
    the entries it kept, ``events`` this import's events and ``keys`` the key registry (with
    ``replaced_by``)."""
    by = {k["key"]: k["replaced_by"] for k in keys if k.get("replaced_by")}

    def unit(key: str) -> str:
        seen = set()
        while key in by and key not in seen:
            seen.add(key)
            key = by[key]
        return key

    def facts(e: dict) -> tuple:
        units = [e["unit"]] if e.get("unit") else []
        return (str(e["date"]), frozenset(unit(k) for k in e.get("from", units)),
                frozenset(unit(k) for k in e.get("to", units)),
                unit(e["from_parent"]) if e.get("from_parent") else None,
                unit(e["to_parent"]) if e.get("to_parent") else None)

    live = {event_id(e): e for e in events}
    same, on_day = defaultdict(list), defaultdict(list)
    for ident, e in sorted(live.items()):
        same[facts(e)].append(ident)
        on_day[str(e["date"])].append(ident)
    out = {r["event"]: r for r in retired if r["event"] not in live}
    for e in published:
        ident = event_id(e)
        if ident in live or ident in out:
            continue
        candidates = same.get(facts(e), [])
        if len(candidates) > 1:  # the same units twice on one day: the one of the same kind, if one is
            candidates = [c for c in candidates if live[c]["type"] == e["type"]]
        if len(candidates) == 1:
            out[ident] = {"event": ident, "replaced_by": candidates[0]}
            continue
        _, original, resulting, *_ = facts(e)
        units = original | resulting
        related = [c for c in on_day[str(e["date"])] if units & (facts(live[c])[1] | facts(live[c])[2])]
        reason = AMBIGUOUS if candidates else REASON
        bare = e["type"].replace("-", " ")
        entry = {"event": ident, "withdrawn": reason.format(kind=f"{'an' if bare[0] in 'aeiou' else 'a'} {bare}",
                                                            bare=bare)}
        if related:
            entry["related"] = related
        out[ident] = entry
    return [out[k] for k in sorted(out)]


def event_id(event: dict) -> str:
    """``<date>/<key>``: the tail of the event's IRI."""
    return f"{event['date']}/{event['key']}"
