"""Duty records (section ``duty_history``) expanded into the duty blocks the transform reads."""

from __future__ import annotations

from .. import timeutil
from ..timeutil import Period, latest_end
from .model import DutyBlock, DutyRecord, Records, SourceRef


def duty_blocks(records: Records) -> list[DutyBlock]:
    """Duty blocks for the transform: the curated blocks, with the duty records merged in.

    The uses of one holder and text (the items of curated blocks and the sources of duty records)
    become blocks that follow each other: each starts on the day its source takes effect (or the
    block's own start) and ends the day before the next one starts; a period starts at its
    earliest start and ends at the latest curated ``until`` if a curated block in it gives one,
    else at the duty record's ``until``. Uses that start on the same day make blocks that end the
    day before they start: they add a source, not a period. Each duty record is a period; a
    curated block joins the period it overlaps or adjoins. A duty that comes back after a gap thus
    has several periods, each a duty of its own (``~2`` … in the IRI, docs/identity.md).
    """
    history: dict[tuple[str, str], list[DutyRecord]] = {}
    for record in records.duty_history:
        history.setdefault((record.holder, record.text), []).append(record)
    if not history:
        return records.duties
    blocks, uses = [], {}
    for block in records.duties:
        for number, text in block.items:
            if (block.holder, text) in history:
                uses.setdefault((block.holder, text), []).append(
                    (block.attested_from, block.source.with_item(number), block.attested_until, True, block.where))
            else:
                blocks.append(DutyBlock(block.holder, block.source, block.attested_from, block.attested_until,
                                        ((number, text),), block.where))
    for (holder, text), recs in sorted(history.items()):
        curated = uses.get((holder, text), [])
        # one period per duty record; a curated use joins the first period it overlaps or adjoins, and
        # curated uses that touch none make a period of their own (the duty came back after a gap)
        periods = [(record, []) for record in sorted(recs, key=lambda r: r.attested_from)]
        alone = []
        for use in curated:
            home = next((p for p in periods if p[0].attested.touches(Period.of(use[0], use[2]))), None)
            (home[1] if home else alone).append(use)
        for record, mine in periods + ([(None, alone)] if alone else []):
            if record is not None:
                for ref in record.sources:
                    start = max(record.attested_from, records.laws[ref.ref].effective) if ref.ref in records.laws \
                        else record.attested_from
                    mine.append((start, ref, record.attested_until, False, record.where))
            curated_ends = [u[2] for u in mine if u[3] and u[2]]
            end = max(curated_ends) if curated_ends else latest_end(u[2] for u in mine if not u[3])
            mine.sort(key=lambda u: (u[0], u[3]))
            for k, (start, ref, until, is_curated, where) in enumerate(mine):
                stop = timeutil.day_before(mine[k + 1][0]) if k + 1 < len(mine) else (
                    end if record is not None else until)
                item_ref = SourceRef(ref.ref, ref.article, ref.paragraph)
                blocks.append(DutyBlock(holder, item_ref, start, stop, ((ref.item, text),), where))
    return blocks
