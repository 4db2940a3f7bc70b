"""The search index, built at build time from the store and published as the folder ``search/``.

One document per name (each ``skos:prefLabel`` and ``skos:altLabel`` of a body or unit) and one
per duty (its ``skos:prefLabel``), each with the unit it belongs to, that unit's body and kinds,
and the days the sources attest it (``attestedFrom``/``attestedUntil``). Text is cut into
character n-grams of 1 to 3, lower-cased: Korean has no word boundaries a tokenizer could use, and
its queries are often two syllables (예산, 인사), which a trigram index would not match.

tantivy names a segment by a random id; the files are otherwise the same for the same documents
in the same order (one writer thread, one commit), so the segments are renamed by a digest of
their content and the index is byte-identical from build to build, like the rest of the release.
tantivy writes in a scratch folder beside the index: its threads may outlive the index object and
take a lock file again, so only the files its ``meta.json`` names are moved into the index.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

import tantivy
from pyoxigraph import Store

from ..iris import Iris

ANALYZER = "govkg_ngram"
NAME, DUTY = "name", "duty"
NO_START, NO_END = 0, 99991231   # a document without a known first or last day
_HEAP = 256 << 20                 # one segment for a national graph (about 10^5 duties)
_SEGMENT_FILES = (".fast", ".fieldnorm", ".idx", ".pos", ".store", ".term", ".del")


def analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(min_gram=1, max_gram=3, prefix_only=False))
            .filter(tantivy.Filter.lowercase()).build())


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("text", stored=False, tokenizer_name=ANALYZER, index_option="freq")
    builder.add_text_field("label", stored=True, tokenizer_name="raw", index_option="basic")  # as written
    for name in ("type", "iri", "unit", "body", "kind"):  # kind: every govkg class of the unit
        builder.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("start", stored=True, indexed=True, fast=True)
    builder.add_integer_field("end", stored=True, indexed=True, fast=True)
    builder.add_integer_field("order", stored=False, indexed=False, fast=True)  # document order, for ties
    return builder.build()


def day_number(day: str) -> int:
    """2020-08-05 → 20200805, the form dates are indexed in."""
    return int(day[:10].replace("-", ""))


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


@dataclass(frozen=True)
class Entry:
    type: str           # NAME or DUTY
    iri: str            # the unit (names) or the duty
    unit: str
    body: str
    kinds: tuple[str, ...]
    text: str
    start: str | None
    end: str | None


def entries(store: Store, iris: Iris) -> list[Entry]:
    """Every name and duty to index, sorted (so the index is the same from build to build)."""
    t = iris.term
    kinds: dict[str, list[str]] = {}
    for row in store.query(f"SELECT ?u ?c WHERE {{ ?u a <{t('Organization')}> ; a ?c . "
                           f"FILTER(STRSTARTS(STR(?c), \"{iris.vocab}\")) }}"):
        kinds.setdefault(row["u"].value, []).append(row["c"].value[len(iris.vocab):])
    bodies: dict[str, str] = {}
    for row in store.query(f"SELECT ?u ?b WHERE {{ ?u <{t('body')}> ?b }} ORDER BY ?u ?b"):
        bodies.setdefault(row["u"].value, row["b"].value)
    spans = f"""OPTIONAL {{ ?s <{t('attestedFrom')}> ?from }} OPTIONAL {{ ?s <{t('attestedUntil')}> ?until }}"""
    found: set[Entry] = set()

    def add(kind: str, iri: str, unit: str, text, start, end) -> None:
        found.add(Entry(kind, iri, unit, bodies.get(unit, unit), tuple(sorted(kinds.get(unit, ()))),
                        unicodedata.normalize("NFC", text.value), start and start.value, end and end.value))

    for row in store.query(f"""SELECT ?s ?label ?from ?until WHERE {{
        ?s a <{t('Organization')}> ; <http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2004/02/skos/core#altLabel> ?label .
        {spans} }}"""):
        add(NAME, row["s"].value, row["s"].value, row["label"], row["from"], row["until"])
    for row in store.query(f"""SELECT ?s ?unit ?label ?from ?until WHERE {{
        ?s a <{t('Duty')}> ; <{t('heldBy')}> ?unit ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label .
        {spans} }}"""):
        add(DUTY, row["s"].value, row["unit"].value, row["label"], row["from"], row["until"])
    return sorted(found, key=lambda e: (e.type, e.iri, e.text, e.unit))


def write(found: list[Entry], folder: Path) -> None:
    """Writes the index of ``found`` into ``folder`` (new or empty), byte-identical for the same entries."""
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder.with_name(folder.name + ".tantivy")
    _remove(scratch)
    scratch.mkdir()
    index = tantivy.Index(schema(), path=str(scratch))
    index.register_tokenizer(ANALYZER, analyzer())
    writer = index.writer(heap_size=_HEAP, num_threads=1)
    for order, e in enumerate(found):
        writer.add_document(tantivy.Document(
            text=normalize(e.text), label=e.text, type=e.type, iri=e.iri, unit=e.unit, body=e.body, kind=list(e.kinds) or [""],
            start=day_number(e.start) if e.start else NO_START, end=day_number(e.end) if e.end else NO_END,
            order=order))
    writer.commit()
    writer.wait_merging_threads()
    del writer, index
    _move_by_content(scratch, folder)
    _remove(scratch)


def _move_by_content(scratch: Path, folder: Path) -> None:
    """Moves the segments of ``scratch/meta.json`` into ``folder``, each named by a digest of its files."""
    meta = json.loads((scratch / "meta.json").read_text(encoding="utf-8"))
    managed = ["meta.json"]
    for segment in meta["segments"]:
        old = segment["segment_id"].replace("-", "")
        files = sorted(p for p in scratch.iterdir() if p.name.startswith(old + ".") and p.suffix in _SEGMENT_FILES)
        digest = hashlib.sha256(b"".join(p.suffix.encode() + p.read_bytes() for p in files)).hexdigest()
        new = uuid.UUID(digest[:32])
        for p in files:
            p.rename(folder / (new.hex + p.suffix))
            managed.append(new.hex + p.suffix)
        segment["segment_id"] = str(new)
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (folder / ".managed.json").write_text(json.dumps(sorted(managed)) + "\n", encoding="utf-8")


def _remove(scratch: Path, attempts: int = 50) -> None:
    """Removes ``scratch``, again while a lingering tantivy thread still writes a lock file into it."""
    for _ in range(attempts):
        shutil.rmtree(scratch, ignore_errors=True)
        if not scratch.exists():
            return
        time.sleep(0.1)
    shutil.rmtree(scratch)


def publish(release, path: Path) -> None:
    """The publish stage's generator (``govkg.publish.OUTPUTS``): the index of the release's store."""
    write(entries(release.store, release.iris), path)


def open_index(folder: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(folder))
    index.register_tokenizer(ANALYZER, analyzer())
    return index
