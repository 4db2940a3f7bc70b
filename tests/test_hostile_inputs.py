"""Every bad input of tests/hostile/cases/ (one folder each, see its README) run as a real `govkg`
process: the expected exit code and message, never a traceback, bounded output, bounded time, and
the previous build left as it was."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

CASES = sorted((Path(__file__).parent / "hostile" / "cases").glob("*/case.json"))
LAST_GOOD = "last good output\n"


def _parts(spec) -> str:
    return spec if isinstance(spec, str) else "".join(text * times for text, times in spec)


@pytest.mark.parametrize("case_file", CASES, ids=[c.parent.name for c in CASES])
def test_bad_input_is_an_error_with_a_message(case_file: Path, tmp_path: Path):
    case = json.loads(case_file.read_text(encoding="utf-8"))
    if case.get("skip_if_root") and os.geteuid() == 0:
        pytest.skip("permissions do not stop root")
    data, out = tmp_path / "curated", tmp_path / "build"
    shutil.copytree(ROOT / "data/curated", data)
    out.mkdir()
    (out / ".govkg-build").write_text("")
    (out / "govkg.nq").write_text(LAST_GOOD)
    (tmp_path / "x.nq").write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")

    def fill(text: str) -> str:
        return text.replace("{data}", str(data)).replace("{out}", str(out)).replace("{tmp}", str(tmp_path)) \
                   .replace("{root}", str(ROOT))

    def at(path: str) -> Path:
        path = fill(path)
        return Path(path) if os.path.isabs(path) else data / path

    if "edit" in case:
        file, old, new = case["edit"]
        text = at(file).read_text(encoding="utf-8")
        assert old in text, f"{case_file.parent.name}: the text to replace is not in {file}"
        at(file).write_text(text.replace(old, _parts(new), 1), encoding="utf-8")
    for path, spec in case.get("write", {}).items():
        at(path).parent.mkdir(parents=True, exist_ok=True)
        at(path).write_bytes(bytes.fromhex(spec["bytes_hex"]) if "bytes_hex" in spec else _parts(spec["parts"]).encode())
    for kind, path, *rest in case.get("make", []):
        target = at(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "dir":
            target.mkdir()
        elif kind == "file":
            target.write_text("")
        elif kind == "fifo":
            os.mkfifo(target)
        elif kind == "symlink":
            target.symlink_to(rest[0])
        elif kind == "truncate":
            with open(target, "ab") as f:
                f.truncate(rest[0])
        elif kind == "chmod":
            target.chmod(int(rest[0], 8))
    argv = [fill(a) for a in case.get("argv", [
        "build", "-q", "--no-cache", "--data", "{data}", "--out", case.get("out", "{out}"),
        "--ontology", "{root}/ontology/govkg.ttl", "--shapes", "{root}/shapes", "--queries", "{root}/queries"])]
    if argv[0] == "validate":
        argv[2:2] = ["--shapes", str(ROOT / "shapes"), "--ontology", str(ROOT / "ontology/govkg.ttl")]
    done = subprocess.run([sys.executable, "-m", "govkg.cli", *argv], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    err = done.stderr
    assert "Traceback" not in err, err[-3000:]
    assert done.returncode == case["exit"], err[-3000:]
    for words in case["message"]:
        assert words in err, f"{words!r} not in {err[:2000]!r}"
    assert len(err) <= case.get("max_stderr", 3000), f"{len(err)} characters of message"
    if case.get("intact", True):
        assert (out / "govkg.nq").read_text() == LAST_GOOD
        assert sorted(p.name for p in out.iterdir()) == [".govkg-build", "govkg.nq"]
    assert not list(tmp_path.glob(".build.tmp-*")) and not list(ROOT.glob("PWNED*"))
    assert (ROOT / "src/govkg/cli.py").is_file() and (data / "mois-2020").is_dir()


def test_law_front_matter_is_read_within_limits():
    """A 700-byte alias bomb in a law's front matter is a problem of that version, found at once."""
    import time

    from govkg.lawimport.corpus import front_matter

    bomb = "".join(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9 if p else ['"lol"'] * 9) + "]\n"
                   for p, c in zip(["", *"abcdefgh"], "abcdefghi"))
    started = time.monotonic()
    fields, body, problem = front_matter(f"---\n{bomb}제목: x\n---\n본문")
    assert fields is None and body == "본문" and "alias" in problem and time.monotonic() - started < 1
    assert "nested" in front_matter("---\nx: " + "[" * 1000 + "]" * 1000 + "\n---\n")[2]
    assert "longer than" in front_matter("---\nx: '" + "a" * 100000 + "'\n---\n")[2]
    assert front_matter("---\n제목: 직제\n공포일자: 2020-04-28\n---\n본문")[0] == {"제목": "직제", "공포일자": "2020-04-28"}
