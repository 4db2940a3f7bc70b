"""The example queries of ``queries/``: read, run, and compare with their expected results.

A query file starts with comment lines ``# title: …`` and ``# description: …``; its expected
results sit beside it as ``<name>.tsv`` (SPARQL 1.1 TSV results, which keep datatypes and
language tags).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, Store

from .iris import Iris


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    text: str
    path: Path
    data: str = ""  # the header's `# data:` line: "national" for a question about the whole government

    @property
    def expected_path(self) -> Path:
        return self.path.with_suffix(".tsv")

    @property
    def national(self) -> bool:
        """Whether the example needs the Government Organization Act's records (data/derived/정부조직법)."""
        return self.data.partition(" ")[0] == "national"


def read_examples(folder: Path, iris: Iris) -> list[Example]:
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = iris.rebase(path.read_text(encoding="utf-8"))
        meta = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            key, _, value = line[1:].strip().partition(":")
            meta[key.strip()] = value.strip()
        examples.append(Example(path.stem, meta.get("title", path.stem), meta.get("description", ""), text, path,
                                meta.get("data", "")))
    return examples


def run(store: Store, text: str, fmt: QueryResultsFormat = QueryResultsFormat.TSV) -> bytes:
    """Runs a SELECT or ASK query on the union of all graphs' named graphs and default graph."""
    results = store.query(text)
    if not isinstance(results, (QuerySolutions, QueryBoolean)):
        raise ValueError("example queries are SELECT or ASK queries")
    return results.serialize(format=fmt)


def normalise(tsv: bytes | str) -> list[str]:
    """Header first, then rows sorted: example results are compared as multisets of rows."""
    text = tsv.decode("utf-8") if isinstance(tsv, bytes) else tsv
    lines = [line for line in text.splitlines() if line]
    return lines[:1] + sorted(lines[1:])
