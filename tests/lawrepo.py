"""Builds a git checkout in the legalize-kr layout from a case folder of tests/fixtures/lawimport."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml

CASES = Path(__file__).resolve().parent / "fixtures" / "lawimport" / "cases"


def build_checkout(case: Path, target: Path) -> Path:
    """Commits the case's versions, in the order and with the dates ``case.yaml`` gives (each into
    the case's ``folder`` under kr/, or the commit's own ``folder``)."""
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    git = ["git", "-C", str(target), "-c", "user.name=test", "-c", "user.email=test@example.org",
           "-c", "commit.gpgsign=false"]
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(git + ["init", "-q"], check=True)
    for commit in spec["commits"]:
        folder = target / "kr" / commit.get("folder", spec["folder"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / commit["file"]).write_text((case / commit["text"]).read_text(encoding="utf-8"), encoding="utf-8")
        env = {**os.environ, "GIT_AUTHOR_DATE": commit["date"], "GIT_COMMITTER_DATE": commit["date"]}
        subprocess.run(git + ["add", "-A"], check=True)
        subprocess.run(git + ["commit", "-q", "-m", commit["message"]], check=True, env=env)
    return target


def imported(case: str, folder: str, body: str, tmp_path_factory) -> Path:
    """The derived folder of ``body`` after importing the 직제 ``folder`` of the fixture ``case``."""
    from govkg.lawimport.importer import import_folder

    checkout = build_checkout(CASES / case, tmp_path_factory.mktemp("checkout"))
    out = tmp_path_factory.mktemp("derived")
    import_folder(checkout, folder, out, None)
    return out / body


def section(folder: Path, name: str, key: str) -> list[dict]:
    """One section of a derived YAML file."""
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))[key]


def derived_orgs(folder: Path) -> dict[str, dict]:
    """The bodies and units of a derived folder, by key."""
    return {u["key"]: u for u in section(folder, "bodies.yaml", "bodies") + section(folder, "units.yaml", "units")}
