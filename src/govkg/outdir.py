"""The output folder: what may be replaced by a build, and where files may be written.

A build replaces its output folder whole, so ``--out`` must be a folder govkg made (it holds the
marker file ``.govkg-build``; a folder of an older govkg is known by its ``manifest.json``), a
folder that does not exist yet, or an empty one; and it must neither be, nor contain, nor lie
inside the project's sources or data. Every file written is resolved and checked to lie inside
the folder being written. Temporary folders left by a killed build (``.NAME.tmp-PID``,
``.NAME.old-PID`` beside the output folder, PID no longer running) are removed by the next build.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from .errors import InputError

MARKER = ".govkg-build"
MARKER_TEXT = "This folder was written by `govkg build`; the next build replaces it whole.\n"
SOURCES = Path(__file__).resolve().parent.parent  # the folder holding the govkg package (src/)


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def made_by_govkg(folder: Path) -> bool:
    if (folder / MARKER).is_file():
        return True
    try:  # a build of an older govkg, before the marker
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8")[:1 << 20]).get("name") == "govkg"
    except (OSError, ValueError, AttributeError):
        return False


def check_out(out: Path, protected: Iterable[Path | None]) -> None:
    """Refuses an output folder that a build must not replace (see the module's description)."""
    target = out.resolve()
    hint = "pass --out a new folder, or one an earlier `govkg build` wrote (e.g. --out build)"
    for folder in [SOURCES, *protected]:
        if folder is None:
            continue
        folder = folder.resolve()
        if _within(target, folder) or _within(folder, target):
            how = "is" if target == folder else "lies inside" if _within(target, folder) else "contains"
            raise InputError(out, None, "--out", f"the output folder {how} {folder}, one of the project's "
                             "sources or data; a build replaces its output folder whole", hint)
    if target.exists() and not target.is_dir():
        raise InputError(out, None, "--out", "is a file, not a folder", hint)
    if target.is_dir() and any(target.iterdir()) and not made_by_govkg(target):
        raise InputError(out, None, "--out", f"the folder was not made by govkg (no {MARKER} in it) and is not "
                         "empty; a build replaces its output folder whole", hint)


def contained(root: Path, relative: str) -> Path:
    """``root / relative``, refused (InputError) unless it resolves to a path inside ``root``: no
    absolute path, no ``..``, and its folder, links resolved, inside ``root``'s. (Called for every
    file of the static site, so the folders' verdicts are kept.)"""
    parts = Path(relative).parts
    target = root / relative
    if not parts or parts[0] == "/" or ".." in parts or not _folder_inside(str(target.parent), str(root)):
        shown = relative if len(relative) <= 80 else relative[:80] + "…"
        raise InputError(root, None, None, f"refused to write {shown!r}: it lies outside the output folder",
                         "keys must follow the rule of docs/curating.md (Keys and identity)")
    return target


@functools.lru_cache(maxsize=4096)
def _folder_inside(folder: str, root: str) -> bool:
    real, top = os.path.realpath(folder), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def clean_stale(out: Path) -> list[Path]:
    """Removes the temporary folders of builds into ``out`` whose process is gone; returns them.
    A build killed between its two renames leaves the previous build only as ``.NAME.old-PID``:
    that one is put back as ``out`` (when ``out`` is missing), not removed."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(tmp|old)-(\d+)")
    removed = []
    if not out.parent.is_dir():
        return removed
    stale = []
    for path in out.parent.iterdir():
        found = pattern.fullmatch(path.name)
        if not found or not path.is_dir() or path.is_symlink():
            continue
        pid = int(found[2])
        if pid != os.getpid() and _running(pid):
            continue
        stale.append((found[1] != "old", path))  # the old ones first
    for _, path in sorted(stale):
        if path.name.startswith(f".{out.name}.old-") and not out.exists() and made_by_govkg(path):
            path.rename(out)
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def mark(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
