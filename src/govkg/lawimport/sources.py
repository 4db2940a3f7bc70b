"""Refs for law versions and citations in the curated-data reference form.

A ref names a law version inside the derived data of all bodies: ``<body>/dec-<number>`` for a
presidential decree and ``<body>/rule-<number>`` for an enforcement rule, ``<body>`` being the key
of the folder's body (the name of its output folder), for the law of each kind that is current in
the folder (the one with the latest version); an earlier law of the same kind gets the year of its
first version in the prefix (``행정안전부/dec2008-20741``). The body part keeps refs apart where one
decree amends the 직제 of many bodies at once (대통령령 제32204호 amends 37): each 직제's version is
a version of its own law, with its own effective date. Refs are names inside the YAML files only;
the IRI of a law version comes from its law ID, promulgation date and number (``iris``). Where
two versions of one law share a number (the numbering of ministerial ordinances restarts when a
ministry is created), the later one also gets its promulgation date.
A curated record of the same version keeps its ref.

A citation is ``<ref> [artN[-M]] [parN] [itemN[-M]]``. A fact stated by many versions cites, for
each run of versions that state it at the same article, paragraph and item, the first and the last
version of the run: the versions in between say the same at the same place.
"""

from __future__ import annotations

from .corpus import LawVersion
from .orgchart import Cite


def version_refs(laws: list[list[LawVersion]], curated: dict[tuple[str, str, str], str],
                 body: str) -> dict[str, str]:
    """Ref of every version, by ``commit:path``. ``curated`` maps (law id, number, promulgated)
    to a curated ref; ``body`` is the key that prefixes the others."""
    latest_of_kind: dict[str, tuple[str, str]] = {}
    for versions in laws:
        if versions:
            kind = _prefix(versions[0])
            latest = max(v.promulgated for v in versions)
            if kind not in latest_of_kind or latest_of_kind[kind][0] < latest:
                latest_of_kind[kind] = (latest, versions[0].law_id)
    refs: dict[str, str] = {}
    for versions in laws:
        if not versions:
            continue
        kind = _prefix(versions[0])
        prefix = kind if latest_of_kind[kind][1] == versions[0].law_id else f"{kind}{versions[0].promulgated[:4]}"
        seen: set[str] = set()
        for v in sorted(versions, key=lambda v: (v.promulgated, v.number)):
            ref = curated.get((v.law_id, v.number, v.promulgated)) or f"{body}/{prefix}-{v.number}"
            if ref in seen:
                ref = f"{ref}-{v.promulgated.replace('-', '')}"
            seen.add(ref)
            refs[key(v)] = ref
    return refs


def key(version: LawVersion) -> str:
    return f"{version.commit}:{version.path}"


def _prefix(version: LawVersion) -> str:
    return "dec" if version.kind == "대통령령" else "rule"


def citation(cite: Cite, refs: dict[str, str]) -> str:
    return address(refs[key(cite.version)], cite)


def address(ref: str, cite) -> str:
    """A source ref with the article, paragraph and item a cite names: ``ref art2 par1 item3``."""
    text = ref
    if cite.article:
        text += f" art{cite.article}"
    if cite.paragraph is not None:
        text += f" par{cite.paragraph}"
    if cite.item:
        text += f" item{cite.item}"
    return text


def runs(cites_by_state: list[list[Cite]]) -> list[Cite]:
    """First and last cite of each run of states citing the same provision address."""
    out: list[Cite] = []
    open_runs: dict[tuple, list[Cite]] = {}
    finished: list[list[Cite]] = []
    for cites in cites_by_state:
        addresses = {}
        for c in cites:
            addresses.setdefault((c.version.law_id, c.article, c.paragraph, c.item), c)
        for address in list(open_runs):
            if address not in addresses:
                finished.append(open_runs.pop(address))
        for address, c in addresses.items():
            run = open_runs.setdefault(address, [])
            if not run or run[-1].version != c.version:
                run.append(c)
    finished += open_runs.values()
    seen = set()
    for run in finished:
        for c in (run[0], run[-1]):
            ident = (key(c.version), c.article, c.paragraph, c.item)
            if ident not in seen:
                seen.add(ident)
                out.append(c)
    return sorted(out, key=lambda c: (c.version.promulgated, c.version.number, c.version.path,
                                      _num(c.article), c.paragraph or 0, _num(c.item)))


def _num(text: str | None) -> tuple:
    if not text:
        return (0, 0)
    main, _, sub = text.partition("-")
    return (int(main), int(sub or 0))
