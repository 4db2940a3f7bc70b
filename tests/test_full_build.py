"""The full MOIS build (curated and derived data): deterministic, and validated as pySHACL would.

One build with an empty validation cache and one with the cache it filled must publish the same
bytes (the static site's determinism is tested on the curated build, in test_build.py: at this size
it takes minutes). The planned SHACL runs must give pySHACL's findings on a sample of
the derived data: the descriptions of a seeded random sample of resources, cut out of the default
graph, which breaks links on purpose so that many shapes fire.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from govkg import queries
from govkg.iris import Iris
from govkg.pipeline import Paths, Progress, assemble, build
from govkg.validate import load_shapes, validate

ROOT = Path(__file__).resolve().parent.parent


def _paths(out: Path, cache: Path) -> Paths:
    return Paths(ROOT / "data/curated", ROOT / "ontology/govkg.ttl", ROOT / "shapes", ROOT / "queries", out, cache,
                 ROOT / "data/derived/행정안전부")  # MOIS only: the national data would take the suite past its time


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("full")
    cache = folder / "cache"
    build(_paths(folder / "cold", cache), Iris(), Progress(None))
    build(_paths(folder / "warm", cache), Iris(), Progress(None))
    return folder / "cold", folder / "warm"


def test_full_build_is_byte_identical_with_and_without_the_cache(full):
    cold, warm = _files(full[0]), _files(full[1])
    assert sorted(cold) == sorted(warm)
    differ = [name for name in cold if cold[name] != warm[name]]
    assert not differ, f"{len(differ)} files differ, e.g. {differ[:5]}"


def test_full_build_conforms(full):
    report = (full[0] / "reports/validation.txt").read_text(encoding="utf-8")
    assert report.splitlines()[-1].startswith("0 violations,")


@pytest.fixture(scope="module")
def published(full) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(full[0] / "govkg.nq"), format=ox.RdfFormat.N_QUADS)
    return store


EXAMPLES = queries.read_examples(ROOT / "queries", Iris())


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_query_runs_in_seconds_on_the_mois_build(example, published):
    """Every build runs every example: one the store plans badly (a join of every name with every
    other) costs minutes at this size, and more with each body added."""
    started = time.perf_counter()
    queries.run(published, example.text)
    assert time.perf_counter() - started < 10, f"{example.name} is too slow on the MOIS data: plan its joins"


def test_planned_runs_equal_pyshacl_on_a_derived_sample(tmp_path):
    store, _ = assemble(_paths(tmp_path / "out", tmp_path / "cache"), Iris(), Progress(None))
    subjects = sorted({q.subject for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
                       if isinstance(q.subject, ox.NamedNode)}, key=lambda t: t.value)
    chosen = random.Random(8).sample(subjects, 1500)
    sample = ox.Store()
    sample.bulk_extend(q for s in chosen for q in store.quads_for_pattern(s, None, None, ox.DefaultGraph()))
    snapshot = next(iter(sorted(store.named_graphs(), key=lambda g: g.value)))
    sample.bulk_extend(store.quads_for_pattern(None, None, None, snapshot))
    sample.bulk_extend(store.quads_for_pattern(snapshot, None, None, ox.DefaultGraph()))
    shapes = load_shapes(ROOT / "shapes")
    fast, reference = validate(sample, shapes=shapes), validate(sample, shapes=shapes, reference=True)
    assert fast.findings, "the sample should break some shapes"
    assert fast.findings == reference.findings
    assert isomorphic(fast.report, reference.report)
