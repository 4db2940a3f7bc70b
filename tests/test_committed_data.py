"""The committed data loads as one dataset: the curated records with every folder of
``data/derived/`` (what ``make build`` reads first). A re-import that leaves a reference dangling
(a key replaced by one that names no unit, say) fails here, not on a fresh clone's build."""

from __future__ import annotations

from pathlib import Path

from govkg.load import load

ROOT = Path(__file__).resolve().parent.parent


def test_the_curated_and_the_derived_data_load_together():
    records = load(ROOT / "data/curated", ROOT / "data/derived")
    assert len(records.orgs) > 10_000 and records.events and records.laws
