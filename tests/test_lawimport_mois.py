"""The committed MOIS files are what the importer makes of the law corpus (when the bundle is here)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from govkg.lawimport.importer import import_folder

from .conftest import ROOT

BUNDLE = ROOT.parent / "shared" / "sources" / "kr-org-law.bundle"
COMMITTED = ROOT / "data" / "derived" / "행정안전부"


@pytest.mark.skipif(not BUNDLE.exists(), reason="the law corpus bundle is not present")
def test_mois_import_matches_the_committed_files(tmp_path):
    checkout = tmp_path / "kr-org-law"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(checkout)], check=True)
    produced = tmp_path / "derived" / "행정안전부"
    produced.mkdir(parents=True)
    for name in ("keys.yaml", "events.yaml", "manifest.json"):  # what was published so far is an input too
        shutil.copy(COMMITTED / name, produced / name)
    summary = import_folder(checkout, "행정안전부와그소속기관직제", tmp_path / "derived", ROOT / "data" / "curated")
    assert summary.folder == produced
    assert sorted(p.name for p in produced.iterdir()) == sorted(p.name for p in COMMITTED.iterdir())
    for path in sorted(produced.iterdir()):
        assert path.read_bytes() == (COMMITTED / path.name).read_bytes(), f"{path.name} differs: rerun the import"
    for body in summary.bodies:  # the bar of issue 3
        assert body.establishing_understood == body.establishing
        assert body.duty_items_placed >= 0.99 * body.duty_items
