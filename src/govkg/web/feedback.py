"""The "report a problem" link of a page: a mail, its subject naming the resource and its body
listing the resource's IRI and sources (each with the law's identifier), for the reader to
complete. The recipient is left to the reader's mail program: govkg names no address of its own."""

from __future__ import annotations

from urllib.parse import quote

from ..i18n import Messages
from ..iris import CV, DCTERMS
from .model import Model

MAX_SOURCES = 20  # a mailto: URL stays short enough for every mail program


def sources_of(model: Model, iri: str) -> list[str]:
    """What the resource cites: its sources, and the law versions that effect an event."""
    return sorted(set(model.values(iri, DCTERMS + "source")) | set(model.values(iri, CV + "hasFormalFramework")))


def report_href(model: Model, iri: str, t: Messages) -> str:
    cited = sources_of(model, iri)
    lines = []
    for source in cited[:MAX_SOURCES]:
        ident = model.one(source, DCTERMS + "identifier")
        lines.append(f"- {source}" + (f" ({ident})" if ident else ""))
    if len(cited) > MAX_SOURCES:
        lines.append("- " + t("more", n=len(cited) - MAX_SOURCES))
    subject = t("report.subject", iri=iri)
    body = t("report.body", iri=iri, sources="\n".join(lines) or "-")
    return f"mailto:?subject={quote(subject)}&body={quote(body)}"
