"""The static site written by forked processes, each rendering its runs of resources with the
model's caches, is the site one process makes page by page with no cache; and a second run does
only what changed."""

from __future__ import annotations

import hashlib
import json
import shutil

from pyoxigraph import RdfFormat, Store

from govkg.iris import Iris
from govkg.web import model as model_module
from govkg.web import site
from govkg.web.model import Model, base_of


def _uncached_files(build, monkeypatch) -> dict[str, bytes]:
    """Every file of the site, rendered in this process in order, with no description cached."""
    monkeypatch.setattr(model_module, "DESCRIPTIONS_CACHED", 0)
    store = Store()
    store.bulk_load(path=str(build / "govkg.nq"), format=RdfFormat.N_QUADS)
    model = Model.from_build(store, build, Iris(base_of(build)))
    published = json.loads((build / "manifest.json").read_text(encoding="utf-8"))["files"]
    files = {}
    for path, digest, content in site._files(model, build, published):
        data = content.read_bytes() if not isinstance(content, bytes) else content
        assert hashlib.sha256(data).hexdigest() == digest, path
        files[path] = data
    return files


def test_parallel_site_equals_one_page_at_a_time(built, monkeypatch):
    written = built / "site"
    on_disk = {p.relative_to(written).as_posix(): p.read_bytes() for p in written.rglob("*")
               if p.is_file() and p.name != site.STATE}
    alone = _uncached_files(built, monkeypatch)
    assert len(alone) > 2 * site.RUN  # more than one run, so more than one process had work
    assert on_disk.keys() == alone.keys()
    assert [path for path in alone if alone[path] != on_disk[path]] == []


def test_second_run_does_only_what_changed(built, tmp_path):
    release = tmp_path / "build"
    shutil.copytree(built, release, ignore=shutil.ignore_patterns("site"))
    first = site.build_site(release)
    assert not first.skipped and first.written > 0 and first.unchanged == 0
    again = site.build_site(release)
    assert again.skipped and again.unchanged == first.written
    page = release / "site/index.html"
    expected = page.read_bytes()
    page.unlink()
    repaired = site.build_site(release)
    assert (repaired.written, repaired.removed, repaired.skipped) == (1, 0, False)
    assert page.read_bytes() == expected
