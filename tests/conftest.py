"""Shared fixtures: project paths and one real build of the curated data per test session."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from govkg.iris import Iris
from govkg.pipeline import Paths, Progress, build
from govkg.web.site import build_site

ROOT = Path(__file__).resolve().parent.parent


# The MOIS layer of the law-derived data (the national data, every body, would take the suite past its time).
MOIS = ROOT / "data/derived/행정안전부"
# The Government Organization Act's records: every body since 1948 and the national snapshots.
ACT = ROOT / "data/derived/정부조직법"


def project_paths(out: Path, data: Path | None = None, cache: Path | None = None) -> Paths:
    return Paths(data or ROOT / "data/curated", ROOT / "ontology/govkg.ttl", ROOT / "shapes", ROOT / "queries", out,
                 cache)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """build/ of the real curated data, made once per session."""
    folder = tmp_path_factory.mktemp("release")
    build(project_paths(folder / "build", cache=folder / "cache"), Iris(), Progress(None))
    build_site(folder / "build")
    return folder / "build"


@pytest.fixture
def curated_copy(tmp_path) -> Path:
    """A writable copy of the curated data, for tests that break it."""
    target = tmp_path / "curated"
    shutil.copytree(ROOT / "data/curated", target)
    return target


@pytest.fixture(scope="session")
def mois_built(tmp_path_factory) -> Path:
    """build/ of the curated and the law-derived MOIS data (no static site), made once per session."""
    folder = tmp_path_factory.mktemp("mois")
    paths = dataclasses.replace(project_paths(folder / "build", cache=folder / "cache"), derived=MOIS)
    build(paths, Iris(), Progress(None))
    return folder / "build"


@pytest.fixture(scope="session")
def national_built(tmp_path_factory) -> Path:
    """build/ and its static site of the curated data and the Act's records: a small national
    graph (the whole government on every date, with MOIS's units from the curated layer)."""
    folder = tmp_path_factory.mktemp("national")
    paths = dataclasses.replace(project_paths(folder / "build", cache=folder / "cache"), derived=ACT)
    build(paths, Iris(), Progress(None))
    build_site(folder / "build")
    return folder / "build"
