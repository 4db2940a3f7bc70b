"""Every example query gives its expected results, on the curated data and in the published build.

An example whose header says ``# data: national`` is about the whole government: it runs on the
curated data with the Government Organization Act's records (data/derived/정부조직법)."""

from __future__ import annotations

import pytest

from govkg import queries
from govkg.iris import Iris
from govkg.load import load
from govkg.transform import transform

from .conftest import ROOT

EXAMPLES = queries.read_examples(ROOT / "queries", Iris())


@pytest.fixture(scope="module")
def store():
    return transform(load(ROOT / "data/curated"), Iris())


@pytest.fixture(scope="module")
def national_store():
    return transform(load(ROOT / "data/curated", ROOT / "data/derived/정부조직법"), Iris())


def test_there_are_enough_examples():
    assert len(EXAMPLES) >= 15
    for example in EXAMPLES:
        assert example.title != example.name and example.description, f"{example.name} needs a title and description"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_gives_expected_results(example, request):
    assert example.expected_path.exists(), f"{example.expected_path.name} missing"
    store = request.getfixturevalue("national_store" if example.national else "store")
    got = queries.normalise(queries.run(store, example.text))
    expected = queries.normalise(example.expected_path.read_bytes())
    assert len(expected) > 1, f"{example.name} expects no rows: an example should show something"
    assert got == expected


@pytest.mark.parametrize("example", EXAMPLES[:3], ids=[e.name for e in EXAMPLES[:3]])
def test_published_results_match(example, built):
    assert (built / "queries" / f"{example.name}.tsv").read_bytes() == example.expected_path.read_bytes()
