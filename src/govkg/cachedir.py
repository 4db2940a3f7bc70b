"""The build cache (``.cache/govkg``): what the stages keep by content, and how it is pruned.

Each stage keeps its results in a folder of its own (``ENTRIES``) under the digest of what they
were made from, so an entry is never stale, only unused. An entry found is marked used
(``kept``); after each build that publishes, ``prune`` removes the entries that none of the last
``KEEP`` builds used, so the cache holds what recent builds need, not what every build ever made.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

ENTRIES = ("yaml", "validation", "reasoning", "sorted", "dumps")  # the folders the stages keep entries in
KEEP = 3  # builds whose entries are kept
_BUILDS = "builds.json"  # when the last KEEP builds began
_SLACK = 2.0  # seconds: file times may be coarser than the clock


def kept(path: Path) -> bool:
    """Whether the cache holds ``path``; if it does, it is marked used now."""
    try:
        os.utime(path)
    except OSError:
        return False
    return True


def put(path: Path, data: str | bytes) -> None:
    """Writes an entry whole or not at all: into a scratch file beside it, then renamed, so that a
    build stopped midway leaves no half entry (text as UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    tmp.replace(path)


def prune(cache: Path, started: float, *, keep: int = KEEP) -> int:
    """Records that a build began at ``started`` (``time.time()``) and removes the entries last used
    before the oldest of the last ``keep`` builds began, and scratch files left there as long ago
    (by a build that was stopped). Only the folders of ``ENTRIES`` are looked at. Returns how many
    entries were removed.

    >>> import tempfile, time
    >>> cache = Path(tempfile.mkdtemp())
    >>> (cache / "yaml").mkdir()
    >>> for name, age in (("old", 100), ("new", 0)):
    ...     _ = (cache / "yaml" / name).write_text("")
    ...     os.utime(cache / "yaml" / name, (time.time() - age,) * 2)
    >>> prune(cache, time.time() - 50, keep=1), sorted(p.name for p in (cache / "yaml").iterdir())
    (1, ['new'])
    >>> shutil.rmtree(cache)
    """
    record = cache / _BUILDS
    try:
        starts = [float(t) for t in json.loads(record.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        starts = []
    starts = sorted([*starts, started])[-keep:]
    cache.mkdir(parents=True, exist_ok=True)
    tmp = record.with_name(f"{_BUILDS}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(starts), encoding="utf-8")
    tmp.replace(record)
    if len(starts) < keep:
        return 0
    before, removed = starts[0] - _SLACK, 0
    for folder in ENTRIES:
        try:
            entries = list(os.scandir(cache / folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_mtime >= before:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
                removed += 1
            except OSError:
                continue  # gone meanwhile, or another build's: left for the next prune
    return removed
