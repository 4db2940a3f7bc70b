"""Reading a data folder: every ``*.yaml`` file in it, section by section."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..yamlfile import Node, read_yaml
from .model import Records
from .sections import ORDER, SECTIONS


def read_records(folder: Path, required: bool = True, cache: Path | None = None) -> Records:
    """The records of every ``*.yaml`` under a folder, each checked on its own, references not yet;
    with ``cache``, files parsed in an earlier run are read back from it (``yamlfile.read_yaml``)."""
    files = sorted(folder.rglob("*.yaml"))
    if required and not files:
        raise InputError(folder, None, None, "no curated YAML files found", "point --data at the data folder")
    docs = []
    for path in files:
        doc = read_yaml(path, cache)
        if doc is None:
            raise InputError(path, None, None, "the file is empty: no sections in it",
                             f"write its sections ({', '.join(SECTIONS)}) or delete the file")
        if not isinstance(doc, Node):
            raise InputError(path, 1, None, "a curated file is a mapping of sections",
                             f"start with one of: {', '.join(SECTIONS)}")
        unknown = set(doc) - set(SECTIONS)
        if unknown:
            key = sorted(unknown, key=str)[0]
            raise InputError(path, doc.line_of(key), str(key), "unknown section",
                             f"sections are: {', '.join(SECTIONS)}")
        docs.append(doc)
    records = Records(files=files)
    for section in ORDER:
        for doc in docs:
            if section in doc:
                SECTIONS[section](doc[section], records)
    return records
