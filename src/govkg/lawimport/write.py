"""Deterministic output: the same records give byte-identical files."""

from __future__ import annotations

from pathlib import Path

import yaml


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Block style for records, flow style for their small parts; no aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def dump(document: dict, header: str) -> str:
    """YAML text of a document (a mapping of sections), after comment lines."""
    body = yaml.dump(document, Dumper=_Dumper, default_flow_style=None, sort_keys=False, allow_unicode=True,
                     width=100_000)
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comments + body


def write_files(folder: Path, files: dict[str, str]) -> None:
    """Replaces the folder's generated files with these (name → text); other files are left alone."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(files.items()):
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
