"""IRI minting and namespaces: the one place where govkg IRIs are made.

>>> iris = Iris("https://example.org/kg/")
>>> iris.org("행정안전부/디지털정부국")
'https://example.org/kg/id/org/행정안전부/디지털정부국'
>>> iris.snapshot("행정안전부", "2020-04-28")
'https://example.org/kg/graph/snapshot/행정안전부/2020-04-28'
>>> iris.provision("https://example.org/kg/id/law/012925/2020-04-28/179", "10", 4, "3")
'https://example.org/kg/id/law/012925/2020-04-28/179/art10/par4/item3'
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from .errors import brief
from .keys import key_problem

DEFAULT_BASE = "https://w3id.org/govkg/"

ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
CV = "http://data.europa.eu/m8g/"
CPSV = "http://purl.org/vocab/cpsv#"
FOAF = "http://xmlns.com/foaf/0.1/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"
SH = "http://www.w3.org/ns/shacl#"
TIME = "http://www.w3.org/2006/time#"

STANDARD_PREFIXES = {
    "org": ORG, "prov": PROV, "skos": SKOS, "dcterms": DCTERMS, "rdf": RDF, "rdfs": RDFS,
    "owl": OWL, "xsd": XSD, "cv": CV, "cpsv": CPSV, "foaf": FOAF, "void": VOID, "dcat": DCAT,
    "sh": SH, "time": TIME, "vann": "http://purl.org/vocab/vann/",
}


def _check_key(key: str) -> str:
    """Keys follow the one character set of ``govkg.keys`` (checked where they are read, with file
    and line; checked again here, so that no IRI is minted from anything else)."""
    problem = key_problem(key)
    if problem:
        raise ValueError(f"key {brief(key)} {problem}")
    return key


def text_digest(text: str) -> str:
    """The 12-hex digest that names a duty within its holder (identity = holder + text)."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Iris:
    """Mints every IRI of the graph under one base."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            raise ValueError(f"base {self.base!r} must end with '/'")

    @property
    def vocab(self) -> str:
        return self.base + "def/"

    @property
    def shapes(self) -> str:
        return self.base + "def/shapes/"

    def term(self, local: str) -> str:
        return self.vocab + local

    def org(self, key: str) -> str:
        return f"{self.base}id/org/{_check_key(key)}"

    def duty(self, holder_key: str, text: str, period: int = 1) -> str:
        """A duty's IRI; a duty that comes back after a gap is a new duty, ``~2``, ``~3`` …"""
        suffix = f"~{period}" if period > 1 else ""
        return f"{self.base}id/duty/{_check_key(holder_key)}/{text_digest(text)}{suffix}"

    def programme(self, key: str) -> str:
        return f"{self.base}id/programme/{_check_key(key)}"

    def responsibility(self, programme_key: str, status: str, unit_keys: list[str]) -> str:
        digest = hashlib.sha256("\n".join(sorted(unit_keys)).encode("utf-8")).hexdigest()[:8]
        return f"{self.base}id/responsibility/{_check_key(programme_key)}/{status}-{digest}"

    def grouping(self, key: str) -> str:
        return f"{self.base}id/grouping/{_check_key(key)}"

    def event(self, date: str, key: str) -> str:
        return f"{self.base}id/event/{date}/{_check_key(key)}"

    @staticmethod
    def evidence(event_iri: str) -> str:
        return f"{event_iri}/evidence"

    @staticmethod
    def duty_match(event_iri: str, n: int) -> str:
        return f"{event_iri}/evidence/match/{n}"

    def law(self, law_id: str) -> str:
        return f"{self.base}id/law/{_check_key(law_id)}"

    def law_version(self, law_id: str, promulgated: str, number: str) -> str:
        return f"{self.law(law_id)}/{promulgated}/{_check_key(number)}"

    @staticmethod
    def provision(version_iri: str, article: str, paragraph: int | None = None,
                  item: str | None = None) -> str:
        iri = f"{version_iri}/art{_check_key(article)}"
        if paragraph is not None:
            iri += f"/par{paragraph}"
        if item is not None:
            iri += f"/item{_check_key(item)}"
        return iri

    def news(self, key: str) -> str:
        return f"{self.base}id/news/{_check_key(key)}"

    def web(self, key: str) -> str:
        return f"{self.base}id/web/{_check_key(key)}"

    def snapshot(self, body_key: str, date: str) -> str:
        return f"{self.base}graph/snapshot/{_check_key(body_key)}/{date}"

    def placement(self, body_key: str, start: str) -> str:
        """The Government Organization Act's place of a body from one day (under whom)."""
        return f"{self.base}id/placement/{_check_key(body_key)}/{start}"

    def national_snapshot(self, date: str) -> str:
        """The whole government as of a date: the bodies the Act sets up, each under its head."""
        return f"{self.base}graph/national/{date}"

    # --- the inverses: what an IRI minted here is ------------------------------------------

    def local(self, iri: str) -> str | None:
        """The path of an IRI under the base (``id/org/행정안전부``); None for any other IRI.

        >>> Iris("https://example.org/").local("https://example.org/id/org/행정안전부")
        'id/org/행정안전부'
        """
        return iri[len(self.base):] if iri.startswith(self.base) else None

    def kind(self, iri: str) -> str | None:
        """What an IRI names, from where it was minted: ``org``, ``duty``, ``event`` … for
        ``id/<kind>/…``, ``snapshot`` for a snapshot graph, ``national`` for a national snapshot graph,
        ``term`` for the ontology's terms.

        >>> Iris("https://example.org/").kind("https://example.org/graph/snapshot/행정안전부/2020-04-28")
        'snapshot'
        """
        path = self.local(iri)
        if path is None:
            return None
        head, _, rest = path.partition("/")
        if head == "id" and "/" in rest:
            return rest.split("/", 1)[0]
        if head == "graph" and rest.startswith("snapshot/"):
            return "snapshot"
        if head == "graph" and rest.startswith("national/"):
            return "national"
        return "term" if head == "def" and rest else None

    def key(self, iri: str) -> str | None:
        """What follows the kind in an IRI: the key of a unit or body (``id/org/<key>``), of a
        programme, a law …; ``<body key>/<date>`` for a snapshot graph, ``<date>`` for a national one.

        >>> Iris("https://example.org/").key("https://example.org/id/org/행정안전부/디지털정부국")
        '행정안전부/디지털정부국'
        """
        kind = self.kind(iri)
        if kind is None or kind == "term":
            return None
        return self.local(iri).split("/", 2)[2]

    def rebase(self, text: str) -> str:
        """Moves IRIs written under the default base (ontology, shapes, queries) to this base."""
        return text if self.base == DEFAULT_BASE else text.replace(DEFAULT_BASE, self.base)
