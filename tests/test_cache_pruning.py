"""The build cache keeps what the last builds used: entries only older builds used are pruned,
and a pruned cache still serves every later build in full."""

from __future__ import annotations

import shutil
from pathlib import Path

from govkg import cachedir
from govkg.iris import Iris
from govkg.pipeline import Progress, build

from .conftest import ROOT, project_paths


def _entries(cache: Path) -> set[Path]:
    return {p for folder in cachedir.ENTRIES for p in (cache / folder).glob("*") if p.is_file()}


def test_entries_no_recent_build_used_are_pruned(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(cachedir, "_SLACK", 0.0)  # the file system here keeps exact times
    data, cache = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(ROOT / "tests/fixtures/mini", data)
    paths = project_paths(tmp_path / "out", data, cache)
    build(paths, Iris(), Progress(None))
    before = _entries(cache)
    record = data / "mini.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("name: {ko: 가국}", "name: {ko: 가국(개칭)}", 1),
                      encoding="utf-8")
    for _ in range(cachedir.KEEP - 1):
        build(paths, Iris(), Progress(None))
        assert before <= _entries(cache)  # the first build is still one of the last KEEP
    after = _entries(cache) - before
    assert after  # the edit made new entries: the YAML file and what reads the new name
    build(paths, Iris(), Progress(None))
    left = _entries(cache)
    assert after <= left
    gone = before - left
    assert gone and all(p.parent.name in ("yaml", "validation", "reasoning", "dumps") for p in gone)
    build(paths, Iris(), Progress(None))
    assert _entries(cache) == left  # everything the next build needed was still there
    assert not list((cache / "reasoning").glob("reasoning-*"))  # no scratch left behind
