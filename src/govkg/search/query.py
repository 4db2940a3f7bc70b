"""Answers a search from the published index: words matched as substrings of names and duty
texts, filtered by body, kind and the day ("as of"), grouped by the unit they belong to.

Each word of the query must occur in the text. A word of up to three characters is one n-gram
of the index; a longer one is looked up by all its trigrams, and every candidate is then checked
to contain the word itself, so that what is shown matches exactly.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import tantivy

from .index import DUTY, NAME, NO_END, NO_START, day_number, normalize, open_index

MAX_QUERY = 200      # characters
MAX_WORDS = 8
CANDIDATES = 500     # documents read per query, best-scoring first


class QueryError(ValueError):
    """A query that cannot be searched (empty, too long): ``key`` names its message in the catalog
    (``govkg.i18n``), ``values`` fill it in."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values


@dataclass
class Match:
    type: str                          # NAME or DUTY
    iri: str                           # the duty, or the unit whose name matched
    text: str
    start: str | None
    end: str | None
    marks: list[tuple[int, int]]       # where the words occur in ``text``: [start, end) offsets


@dataclass
class Hit:
    unit: str
    body: str
    kinds: list[str]
    matches: list[Match] = field(default_factory=list)
    current: bool = False              # holds a match on the day asked (or, without a day, still)
    rank: int = 0                      # of its best match

    @property
    def names(self) -> list[Match]:
        return [m for m in self.matches if m.type == NAME]

    @property
    def duties(self) -> list[Match]:
        return [m for m in self.matches if m.type == DUTY]


@dataclass
class Results:
    words: list[str]
    date: str | None
    hits: list[Hit]
    matched: int        # matching names and duties found
    complete: bool      # False when more candidates existed than were read


def words_of(query: str) -> list[str]:
    text = normalize(unicodedata.normalize("NFC", query)).strip()
    if not text:
        raise QueryError("error.q.empty")
    if len(text) > MAX_QUERY:
        raise QueryError("error.q.long", n=MAX_QUERY)
    words = list(dict.fromkeys(text.split()))
    if len(words) > MAX_WORDS:
        raise QueryError("error.q.words", n=MAX_WORDS)
    return words


def _day(value: int, empty: int) -> str | None:
    if value == empty:
        return None
    text = f"{value:08d}"
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


class Searcher:
    """The index of one release, opened once; ``search`` may be called from many threads.

    tantivy takes a lock file in the folder it opens, even to read; so that the published folder
    stays as published (and may be read-only), a private copy is opened, removed with the searcher.
    """

    def __init__(self, folder: Path):
        self._copy = tempfile.TemporaryDirectory(prefix="govkg-search-")
        copy = Path(self._copy.name) / "index"
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".tantivy-*.lock"))
        self.index = open_index(copy)
        self.schema = self.index.schema

    def close(self) -> None:
        self._copy.cleanup()

    def _word(self, word: str) -> tantivy.Query:
        grams = [word] if len(word) <= 3 else list(dict.fromkeys(word[i:i + 3] for i in range(len(word) - 2)))
        terms = [tantivy.Query.term_query(self.schema, "text", g) for g in grams]
        return terms[0] if len(terms) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in terms])

    def query(self, words: list[str], date: str | None, body: str | None, kind: str | None) -> tantivy.Query:
        must = [self._word(w) for w in words]
        if body:
            must.append(tantivy.Query.term_query(self.schema, "body", body))
        if kind:
            must.append(tantivy.Query.term_query(self.schema, "kind", kind))
        if date:
            day = day_number(date)
            must.append(tantivy.Query.range_query(self.schema, "start", tantivy.FieldType.Integer, NO_START, day))
            must.append(tantivy.Query.range_query(self.schema, "end", tantivy.FieldType.Integer, day, NO_END))
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in must])

    def search(self, query: str, date: str | None = None, body: str | None = None, kind: str | None = None) -> Results:
        words = words_of(query)
        searcher = self.index.searcher()
        found = searcher.search(self.query(words, date, body, kind), CANDIDATES)
        hits: dict[str, Hit] = {}
        matched = 0
        for rank, (_, address) in enumerate(found.hits):
            doc = searcher.doc(address)
            label = doc["label"][0]
            marks = _marks(normalize(label), words)
            if marks is None:  # a long word's trigrams all occur, but not the word itself
                continue
            matched += 1
            unit = doc["unit"][0]
            hit = hits.get(unit)
            if hit is None:
                hit = hits[unit] = Hit(unit, doc["body"][0], [k for k in doc["kind"] if k], rank=rank)
            end = doc["end"][0]
            hit.matches.append(Match(doc["type"][0], doc["iri"][0], label, _day(doc["start"][0], NO_START),
                                     _day(end, NO_END), marks))
            hit.current = hit.current or end == NO_END or date is not None
        for hit in hits.values():
            hit.matches.sort(key=lambda m: (m.type != NAME, m.end is not None, -(int((m.start or "0").replace("-", ""))), m.text))
        ordered = sorted(hits.values(), key=lambda h: (not h.current, not h.names, -len(h.duties), h.rank))
        return Results(words, date, ordered, matched, found.count <= CANDIDATES)


def _marks(text: str, words: list[str]) -> list[tuple[int, int]] | None:
    """Every occurrence of every word in ``text``, merged; None if a word does not occur."""
    spans = []
    for word in words:
        at = text.find(word)
        if at < 0:
            return None
        while at >= 0:
            spans.append((at, at + len(word)))
            at = text.find(word, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
