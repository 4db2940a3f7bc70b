"""The versions of a law in a legalize-kr checkout: one git commit per promulgated version.

A version is dated by its YAML front matter (공포일자, 시행일자), never by git: commits may be in
any order and some carry 1970-01-01 dates. The commit message adds what the front matter lacks:
the kind of change (``(일부개정)``, ``(타법폐지)`` …) and the 제개정문 address. A version whose
dates cannot be read is not guessed: it is left out and reported.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import timeutil
from ..errors import InputError

ABOLISHING = ("폐지", "타법폐지")


@dataclass(frozen=True)
class LawVersion:
    """One promulgated version of a law file."""

    path: str            # inside the checkout, e.g. kr/…직제/대통령령.md
    commit: str
    law_id: str
    title: str
    kind: str            # 법령구분: 대통령령, 행정안전부령 …
    number: str          # 공포번호 without leading zeros
    promulgated: str     # 공포일자
    effective: str       # 시행일자
    ministries: tuple[str, ...]  # 소관부처
    status: str | None   # 상태 of the front matter
    change: str | None   # the kind of change named in the commit subject
    url: str | None      # 제개정문 address from the commit message
    body: str            # the Markdown after the front matter

    @property
    def abolishes(self) -> bool:
        """A version that abolishes the law (폐지 or 타법폐지)."""
        return self.change in ABOLISHING or self.status == "폐지"

    @property
    def order(self) -> tuple:
        """Timeline order: effective date, then promulgation date, then number."""
        return (self.effective, self.promulgated, int(self.number) if self.number.isdigit() else 0, self.number)


@dataclass(frozen=True)
class Problem:
    """Something in the corpus the importer could not use, for the parse report."""

    path: str
    commit: str
    problem: str


def is_checkout(root: Path) -> bool:
    """A git work tree with the legalize-kr ``kr/`` folder."""
    if not (root / "kr").is_dir():
        return False
    try:
        out = _git(root, "rev-parse", "--is-inside-work-tree")
    except InputError:
        return False
    return out.strip() == "true"


def _git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(root), *args], input=stdin, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as err:
        detail = getattr(err, "stderr", b"") or b""
        raise InputError(root, None, None, f"git {' '.join(args[:2])} failed: {detail.decode(errors='replace').strip() or err}")
    return done.stdout.decode("utf-8", errors="replace")


def is_organization_decree(laws: list[list[LawVersion]]) -> bool:
    """The laws of a folder are a 직제 (``…직제``, ``…직제 시행규칙``, ``…직제에 관한 규칙``), not the
    Government Organization Act or the general rules on organization (통칙), which set up bodies
    and rules for all of them rather than one body's units."""
    return any("직제" in versions[-1].title for versions in laws)


def law_files(root: Path, folder: str) -> list[str]:
    """Every Markdown file that ever existed in ``kr/<folder>/``, sorted."""
    out = _git(root, "log", "--format=", "--name-only", "--", f"kr/{folder}/")
    names = {line.strip() for line in out.splitlines() if line.strip().endswith(".md")}
    return sorted(names)


def history(root: Path, path: str) -> tuple[list[LawVersion], list[Problem]]:
    """The versions of one law file, in timeline order, and the commits that could not be used."""
    log = _git(root, "log", "--format=%H%x1f%s%x1f%b%x1e", "--", path)
    commits = []
    for record in log.split("\x1e"):
        if record.strip():
            sha, subject, message = (record.strip("\n").split("\x1f") + ["", ""])[:3]
            commits.append((sha.strip(), subject, message))
    texts = _blobs(root, [f"{sha}:{path}" for sha, _, _ in commits])
    versions, problems = [], []
    for (sha, subject, message), text in zip(commits, texts):
        if text is None:
            continue  # the commit removed the file
        version = _version(path, sha, subject, message, text, problems)
        if version:
            versions.append(version)
    versions.sort(key=lambda v: v.order)
    return versions, problems


def _blobs(root: Path, specs: list[str]) -> list[str | None]:
    """File contents for ``commit:path`` specs, in one ``git cat-file --batch`` call."""
    if not specs:
        return []
    try:
        done = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"],
                              input="\n".join(specs).encode() + b"\n", capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as err:
        raise InputError(root, None, None, f"git cat-file failed: {err}")
    data, pos, out = done.stdout, 0, []
    for _ in specs:
        end = data.index(b"\n", pos)
        header = data[pos:end].decode()
        pos = end + 1
        if header.endswith("missing"):
            out.append(None)
            continue
        size = int(header.rsplit(" ", 1)[1])
        out.append(data[pos:pos + size].decode("utf-8", errors="replace"))
        pos += size + 1
    return out


_URL = re.compile(r"^제개정문:\s*(\S+)", re.M)
_MESSAGE_FIELD = re.compile(r"(공포일자|공포번호):\s*([^|\n]+)")
_CHANGE = re.compile(r"\(([^()]*)\)\s*$")


def front_matter(text: str) -> tuple[dict | None, str, str | None]:
    """(fields, body, problem). Fields are strings (YAML read without type conversion)."""
    if not text.startswith("---"):
        return None, text, "no front matter"
    match = re.match(r"---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", text, re.S)
    if not match:
        return None, text, "front matter is not closed by ---"
    body = text[match.end():]
    problem = _front_matter_problem(match[1])
    if problem:
        return None, body, problem
    try:
        fields = yaml.load(match[1], Loader=yaml.BaseLoader)
    except yaml.YAMLError as err:
        return None, body, f"front matter is not valid YAML ({str(err).splitlines()[0]})"
    if not isinstance(fields, dict):
        return None, body, "front matter is not a mapping"
    return fields, body, None


FRONT_MATTER_BYTES, FRONT_MATTER_DEPTH = 64 * 1024, 8


def _front_matter_problem(text: str) -> str | None:
    """Front matter is a few flat fields: refuse it before building it when it is large, deep or
    uses aliases (an alias bomb of a few hundred bytes expands to gigabytes)."""
    if len(text) > FRONT_MATTER_BYTES:
        return f"front matter is longer than {FRONT_MATTER_BYTES} characters"
    level = 0
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader)):
            if isinstance(event, yaml.AliasEvent):
                return "front matter uses a YAML alias (*name), which law front matter never needs"
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                level += 1
                if level > FRONT_MATTER_DEPTH:
                    return f"front matter is nested more than {FRONT_MATTER_DEPTH} deep"
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                level -= 1
    except yaml.YAMLError as err:
        return f"front matter is not valid YAML ({str(err).splitlines()[0][:200]})"
    return None


def _date(value) -> str | None:
    try:
        return timeutil.iso(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None


def _version(path: str, sha: str, subject: str, message: str, text: str, problems: list[Problem]) -> LawVersion | None:
    fields, body, problem = front_matter(text)
    fields = fields or {}
    if problem:
        problems.append(Problem(path, sha, problem))
    from_message = dict(_MESSAGE_FIELD.findall(message))
    change = _CHANGE.search(subject)
    number = str(fields.get("공포번호") or from_message.get("공포번호", "")).strip()
    promulgated = _date(fields.get("공포일자")) or _date(from_message.get("공포일자"))
    effective = _date(fields.get("시행일자"))
    law_id, title, kind = (str(fields.get(k) or "").strip() for k in ("법령ID", "제목", "법령구분"))
    missing = [name for name, value in (("법령ID", law_id), ("제목", title), ("법령구분", kind), ("공포번호", number),
                                        ("공포일자", promulgated), ("시행일자", effective)) if not value]
    if missing:
        problems.append(Problem(path, sha, f"version left out: no readable {', '.join(missing)}"))
        return None
    if effective < promulgated:
        problems.append(Problem(path, sha, f"version left out: 시행일자 {effective} is before 공포일자 {promulgated}"))
        return None
    ministries = fields.get("소관부처") or ()
    if isinstance(ministries, str):
        ministries = (ministries,)
    url = _URL.search(message)
    return LawVersion(path, sha, law_id, title, kind, number.lstrip("0") or "0", promulgated, effective,
                      tuple(str(m).strip() for m in ministries if str(m).strip()),
                      str(fields.get("상태") or "").strip() or None, change[1].strip() if change else None,
                      url[1] if url else None, body)
