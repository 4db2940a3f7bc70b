"""The output folder: files only inside it, stale temporary folders removed, and a disk that fills
up during publishing leaves the previous build as it was."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from govkg.errors import InputError
from govkg.outdir import check_out, clean_stale, contained

from .conftest import ROOT


def test_nothing_is_written_outside_the_folder(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path)
    assert contained(tmp_path / "out", "id/org/x.ttl") == tmp_path / "out/id/org/x.ttl"
    for bad in ("../PWNED.html", "id/../../PWNED.ttl", "/etc/passwd", "link/PWNED.ttl"):
        with pytest.raises(InputError, match="outside the output folder"):
            contained(tmp_path / "out", bad)


def test_out_must_be_made_by_govkg_and_apart_from_the_sources(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for out in (tmp_path, data, data / "build", ROOT, ROOT / "src/govkg"):
        with pytest.raises(InputError, match="--out"):
            check_out(out, [data])
    check_out(tmp_path / "new", [data])
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not made by govkg"):
        check_out(tmp_path / "old", [data])
    (tmp_path / "old" / ".govkg-build").write_text("")
    check_out(tmp_path / "old", [data])


def test_stale_temporary_folders_of_killed_builds_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = [tmp_path / f".build.tmp-{dead.pid}", tmp_path / f".build.old-{dead.pid}"]
    alive = tmp_path / f".build.tmp-{os.getppid()}"  # a build still running: left alone
    for folder in (*stale, alive, tmp_path / ".other.tmp-1"):
        folder.mkdir()
        (folder / "govkg.nq").write_text("half")
    assert sorted(clean_stale(tmp_path / "build")) == sorted(stale)
    assert alive.is_dir() and (tmp_path / ".other.tmp-1").is_dir() and not any(p.exists() for p in stale)


def test_a_build_killed_between_its_renames_gets_its_previous_build_back(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    old, half = tmp_path / f".build.old-{dead.pid}", tmp_path / f".build.tmp-{dead.pid}"
    for folder in (old, half):
        folder.mkdir()
        (folder / ".govkg-build").write_text("")
    (old / "govkg.nq").write_text("the previous build")
    assert clean_stale(tmp_path / "build") == [half]
    assert (tmp_path / "build" / "govkg.nq").read_text() == "the previous build" and not old.exists()


def _mount_small_disk(folder: Path) -> bool:
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def test_a_full_disk_during_publishing_is_an_error_and_keeps_the_last_build(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = _mount_small_disk(disk)
    limit = None
    if not mounted:  # no tmpfs without root: a file-size limit fails the writes the same way (EFBIG)
        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
    try:
        out = disk / "build"
        out.mkdir()
        (out / ".govkg-build").write_text("")
        (out / "govkg.nq").write_text("last good output\n")
        done = subprocess.run([sys.executable, "-m", "govkg.cli", "build", "-q", "--no-cache", "--out", str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=limit,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        assert done.returncode == 2, done.stderr[-2000:]
        assert "Traceback" not in done.stderr
        assert "could not write" in done.stderr and "previous build is left as it was" in done.stderr
        assert ("No space left on device" if mounted else "File too large") in done.stderr
        assert (out / "govkg.nq").read_text() == "last good output\n"
        assert sorted(p.name for p in disk.iterdir()) == ["build"]
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)
