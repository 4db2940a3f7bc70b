"""``govkg audit``: the law-derived records checked against the law text, fact by fact.

What can be confirmed mechanically is confirmed for every record of a folder written by
``govkg import-law`` (``data/derived/<body>/``), against the versions of a legalize-kr checkout:

* **duty text** — every item a duty cites words it: the item's text (with its sub-items) is the
  duty's text; a paragraph a duty cites without an item gives items by reference and names them;
* **establishing paragraph** — every provision a unit or body cites names it;
* **start date** — a unit's or duty's ``attested.from`` is not before its earliest version takes
  effect, and is the effective date of a version it cites, a day on which an amendment those
  versions carry takes effect (its 시행일자, or a day its 부칙 gives), or the effective date of a
  version of the folder's other law (a rule's duty starts when the decree sets up its holder);
* **no silent break** — no key ends the day before another of the same body, name and rank
  begins (such a pair is one unit cut in two, unless an event explains it);
* **replaced keys** — every ``replaced_by`` names a key the data carries;
* **published keys** — every key of the registry is carried by a unit or body, replaced or
  withdrawn: none is left without an answer at its IRI;
* **retired events** — no retired event IRI is an event of the data, and each replaced one names
  an event of the data (or a retired one), of the same day.

It then prints a random sample of facts beside the provisions that state them, for a person to
read. Nothing here changes the data.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import timeutil
from ..errors import InputError
from . import corpus
from .articles import later_parts, normalise, parse_articles

_REF = re.compile(r"^(?P<ref>\S+)(?: art(?P<art>\d+(?:-\d+)?))?(?: par(?P<par>\d+))?(?: item(?P<item>\d+(?:-\d+)?))?$")


@dataclass
class Finding:
    check: str
    subject: str
    detail: str


@dataclass
class Audit:
    checked: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    sample: list[str] = field(default_factory=list)

    def count(self, check: str) -> None:
        self.checked[check] = self.checked.get(check, 0) + 1

    def fail(self, check: str, subject: str, detail: str) -> None:
        self.findings.append(Finding(check, subject, detail))


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else (str(value) if value else None)


def _section(folder: Path, name: str, section: str) -> list[dict]:
    path = folder / name
    if not path.is_file():
        raise InputError(path, None, None, "missing", "point --derived at a folder written by govkg import-law")
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(section) or []


class _Texts:
    """The parsed versions of the checkout, by ref."""

    def __init__(self, root: Path, folder: str, laws: list[dict]):
        wanted = {(law["id"], v["number"], _iso(v["promulgated"])): v for law in laws for v in law["versions"]}
        self.versions, self.effective, self._parsed, self.all = {}, {}, {}, []
        for path in corpus.law_files(root, folder):
            versions, _ = corpus.history(root, path)
            self.all += versions
            for version in versions:
                entry = wanted.get((version.law_id, version.number, version.promulgated))
                if entry:
                    self.versions[entry["ref"]] = version
                    self.effective[entry["ref"]] = version.effective

    def nodes(self, cite: str) -> list[tuple]:
        """Every (article, paragraph, item) a citation may name, as far as it goes: more than one
        where the law numbers two paragraphs or items alike; none if absent."""
        m = _REF.match(cite)
        if not m or m["ref"] not in self.versions:
            return []
        ref = m["ref"]
        if ref not in self._parsed:
            self._parsed[ref] = {a.number: a for a in parse_articles(self.versions[ref].body)}
        art = self._parsed[ref].get(m["art"]) if m["art"] else None
        if art is None:
            return []
        if not (m["par"] or m["item"]):
            return [(art, None, None)]
        number = int(m["par"]) if m["par"] else None  # items of an article's only, unnumbered paragraph
        pars = [p for p in art.paragraphs if p.number == number]
        if not m["item"]:
            return [(art, p, None) for p in pars]
        return [(art, p, i) for p in pars for i in p.items if i.number == m["item"]]


def _provision_text(node) -> str:
    art, par, item = node
    if item is not None:
        return item.full_text
    if par is not None:
        return " ".join([par.text, *(f"{i.number}. {i.full_text}" for i in par.items)])
    return " ".join([art.title or "", *(p.text for p in art.paragraphs)])


def run(root: Path, folder: str, derived: Path, sample: int = 12, seed: int = 9) -> Audit:
    audit = Audit()
    laws = _section(derived, "sources.yaml", "laws")
    texts = _Texts(root, folder, laws)
    orgs = _section(derived, "bodies.yaml", "bodies") + _section(derived, "units.yaml", "units")
    duties = _section(derived, "duties.yaml", "duty_history")
    keys = _section(derived, "keys.yaml", "keys") if (derived / "keys.yaml").is_file() else []
    facts: list[tuple[str, list[str]]] = []
    for duty in duties:
        subject = f"duty of {duty['holder']}: {duty['text']}"
        for cite in duty["sources"]:
            audit.count("duty text")
            nodes = texts.nodes(cite)
            if not nodes:
                audit.fail("duty text", subject, f"{cite}: no such provision")
            elif nodes[0][2] is not None and duty["text"] not in {normalise(n[2].full_text) for n in nodes}:
                audit.fail("duty text", subject, f"{cite} reads: {nodes[0][2].full_text}")
            elif nodes[0][2] is None and not any(re.search(r"제\d+호", p.text) for n in nodes
                                                 for p in ([n[1]] if n[1] else n[0].paragraphs)):
                audit.fail("duty text", subject, f"{cite}: names no item, and gives none by reference")
        _start(audit, texts, subject, duty["attested"]["from"], duty["sources"])
        facts.append((subject, duty["sources"]))
    for org in orgs:
        subject = f"{org['rank']} {org['key']}"
        cites = [c for c in org["sources"] if " art" in c]
        for cite in cites:
            audit.count("establishing paragraph")
            nodes = texts.nodes(cite)
            if not nodes:
                audit.fail("establishing paragraph", subject, f"{cite}: no such provision")
            elif not any(org["name"]["ko"].replace(" ", "") in _provision_text(n).replace(" ", "") for n in nodes):
                audit.fail("establishing paragraph", subject, f"{cite} does not name {org['name']['ko']}")
        if cites:
            _start(audit, texts, subject, org["attested"]["from"], cites)
            facts.append((subject, cites))
    _breaks(audit, orgs, _section(derived, "events.yaml", "events"))
    known = {o["key"] for o in orgs}
    for entry in keys:
        if entry.get("replaced_by"):
            audit.count("replaced keys")
            if entry["replaced_by"] not in known and entry["replaced_by"] not in {k["key"] for k in keys}:
                audit.fail("replaced keys", entry["key"], f"replaced by {entry['replaced_by']}, which is nowhere")
        audit.count("published keys")
        if entry["key"] not in known and not entry.get("replaced_by") and not entry.get("withdrawn"):
            audit.fail("published keys", entry["key"], "no unit or body carries it, and it is neither replaced nor withdrawn")
    _retired(audit, derived)
    rng = random.Random(seed)
    for subject, cites in rng.sample(facts, min(sample, len(facts))):
        lines = [subject]
        for cite in cites[:2]:
            nodes = texts.nodes(cite)
            lines.append(f"    {cite}: {_provision_text(nodes[0])[:300] if nodes else '(not found)'}")
        audit.sample.append("\n".join(lines))
    return audit


def _retired(audit: Audit, derived: Path) -> None:
    """Retired event IRIs (``keys.yaml``) against the events of the data."""
    if not (derived / "keys.yaml").is_file():
        return
    retired = yaml.safe_load((derived / "keys.yaml").read_text(encoding="utf-8")).get("retired_events") or []
    live = {f"{e['date']}/{e['key']}" for e in _section(derived, "events.yaml", "events")}
    known = live | {r["event"] for r in retired}
    for entry in retired:
        audit.count("retired events")
        by = entry.get("replaced_by")
        if entry["event"] in live:
            audit.fail("retired events", entry["event"], "retired, yet an event of the data")
        elif by and (by not in known or by.split("/")[0] != entry["event"].split("/")[0]):
            audit.fail("retired events", entry["event"], f"replaced by {by}, which is no event of that day")


def _start(audit: Audit, texts: _Texts, subject: str, start, cites: list[str]) -> None:
    """The start is not before the earliest version cited takes effect, and is a day on which a
    version cited takes effect (a duty given by reference starts when the later of the delegating
    paragraph and the item is in effect), on which an amendment those versions carry takes
    effect (its own 시행일자, or a day its 부칙 gives), or on which a version of the folder's other
    law, or an amendment it carries, takes effect (the decree that sets up the unit a rule's duty is
    of, perhaps by a provision its 부칙 puts into effect later than the rest)."""
    audit.count("start date")
    refs = [m["ref"] for c in cites if (m := _REF.match(c)) and m["ref"] in texts.effective]
    if not refs:
        return
    earliest = min(texts.effective[r] for r in refs)
    laws = {texts.versions[r].law_id for r in refs}
    latest = max(texts.versions[r].promulgated for r in refs)
    allowed = {texts.effective[r] for r in refs}
    for version in texts.all:
        days = {d for d in (version.effective, *(p.date for p in later_parts(version.body, version.number)))
                if d and d > earliest}
        if version.law_id not in laws or version.promulgated <= latest:
            allowed |= days  # of the other law: the decree set up the unit the cited text is of
    start = _iso(start)
    if start < earliest:
        audit.fail("start date", subject, f"attested from {start}, before its first version takes effect ({earliest})")
    elif start not in allowed:
        audit.fail("start date", subject, f"attested from {start}, a day on which none of its versions, nor an "
                   "amendment they carry, takes effect")


def _breaks(audit: Audit, orgs: list[dict], events: list[dict]) -> None:
    """Keys of one body, name and rank where one ends the day before the other begins: one unit cut
    in two (identity keeps a unit across a move, and a unit that keeps its name and rank keeps its
    key). Bodies are compared by top-level body and name, so that a unit is not told apart by the
    key of a body that was itself cut in two."""
    names = {o["key"]: o["name"]["ko"] for o in orgs}
    by_identity: dict[tuple, list[dict]] = {}
    for org in orgs:
        owner = org.get("body") or (org["key"].split("/")[0] if "/" in org["key"] else None)
        top = org["key"].split("/")[0]
        by_identity.setdefault((top, names.get(owner, owner), org["name"]["ko"], org["rank"]), []).append(org)
    for group in by_identity.values():
        audit.count("no silent break")
        for a in group:
            until = _iso(a["attested"].get("until"))
            for b in group:
                if until and _iso(b["attested"]["from"]) == timeutil.day_after(until):
                    audit.fail("no silent break", a["key"], f"ends {until}; {b['key']} of the same name and rank "
                               "begins the next day")


def render(audit: Audit) -> str:
    lines = ["Checked:"]
    for check, n in audit.checked.items():
        failed = sum(1 for f in audit.findings if f.check == check)
        lines.append(f"  {check}: {n} checked, {failed} not confirmed")
    for f in audit.findings[:200]:
        lines.append(f"  ✗ {f.check}: {f.subject} — {f.detail}")
    if len(audit.findings) > 200:
        lines.append(f"  … and {len(audit.findings) - 200} more")
    lines += ["", "A sample of facts beside the provisions that state them (read them):", ""]
    lines += audit.sample
    return "\n".join(lines) + "\n"
