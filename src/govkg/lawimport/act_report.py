"""``government-act.md``: the bodies the Government Organization Act sets up, period by period,
the changes between its states, and where it and a body's 직제 disagree on dates.

A 직제 body and an Act body are compared by name (spaces aside: the Act writes 개인정보 보호위원회,
the 직제 개인정보보호위원회). Both keep their dates and sources; this report says where they differ,
and which 직제 bodies the Act does not set up (the National Assembly's and the courts' offices,
the armed forces' headquarters …) and which Act bodies no 직제 in the corpus organises.
"""

from __future__ import annotations

from collections import defaultdict

from . import act
from .report import BodyCounts

NAME = "government-act.md"


def _cite(cite: act.Cite) -> str:
    v = cite.version
    where = (f" 제{cite.article.replace('-', '조의')}조" if cite.article else "") + (
        f"제{cite.paragraph}항" if cite.paragraph else "") + (f"제{cite.item}호" if cite.item else "")
    return f"법률 제{v.number}호 ({v.promulgated}, in effect {v.effective}){where}"


def _under(under: str | None) -> str:
    return under if under else "its own law (named by 제2조②)"


def render(states: list[act.State], bodies: list[BodyCounts]) -> str:
    changes = act.changes(states)
    periods = act.periods(states)
    lines = ["# The Government Organization Act (정부조직법)", "",
             "Written by `govkg import-law --all` from `kr/정부조직법/법률.md` (`govkg.lawimport.act` says how it "
             "is read). Dates are effective dates; a period ends the day before the Act's next state no longer "
             "sets the body up under the same holder.", "",
             f"- {len(states)} states (one per day a version takes effect and carries a new text), "
             f"{states[0].date} – {states[-1].date}.",
             f"- {len({act.same(p.name) for p in periods})} bodies in {len(periods)} periods; "
             f"{sum(c.type == 'establishment' for c in changes)} establishments, "
             f"{sum(c.type == 'abolition' for c in changes)} abolitions, "
             f"{sum(c.type == 'move' for c in changes)} moves (another holder).", "",
             "## Bodies, period by period", "",
             "| body | kind | under | from | until | set up by |", "|---|---|---|---|---|---|"]
    for p in periods:
        lines.append(f"| {p.name} | {p.rank} | {_under(p.under)} | {p.start} | {p.until or '—'} "
                     f"| {_cite(p.first)} … {_cite(p.last)} |")
    lines += ["", "## Changes between states", "",
              "A body gone and one come on one day under the same holder are listed together; which of them "
              "succeed one another is read from the 부칙 of that day into the Act's records (`정부조직법/`, "
              "whose `parse-report.md` lists the successions read and those left in doubt).", ""]
    by_day: dict[str, list[act.Change]] = defaultdict(list)
    for c in changes:
        by_day[c.date].append(c)
    for day, items in sorted(by_day.items()):
        lines.append(f"- **{day}**:")
        for c in items:
            if c.type == "move":
                lines.append(f"  - move: {c.name}, from under {_under(c.before)} to under {_under(c.under)} "
                             f"({_cite(c.cite)})")
            elif c.type == "establishment":
                lines.append(f"  - establishment: {c.name}, under {_under(c.under)} ({_cite(c.cite)})")
            else:
                lines.append(f"  - abolition: {c.name}, was under {_under(c.under)} (no longer set up by "
                             f"{_cite(c.cite)})")
        gone, come = defaultdict(list), defaultdict(list)
        for c in items:
            if c.type == "abolition":
                gone[c.under].append(c.name)
            elif c.type == "establishment":
                come[c.under].append(c.name)
        for under in sorted(set(gone) & set(come), key=str):
            lines.append(f"  - candidates for succession under {_under(under)}: {', '.join(gone[under])} → "
                         f"{', '.join(come[under])}")
    lines += _disagreements(periods, bodies)
    return "\n".join(lines) + "\n"


def _disagreements(periods: list[act.Period], bodies: list[BodyCounts]) -> list[str]:
    """Where a 직제 body's life and the Act's periods of that name differ."""
    act_lives: dict[str, list[act.Period]] = defaultdict(list)
    for p in periods:
        act_lives[act.same(p.name)].append(p)
    lines = ["", "## The Act and the 직제", "",
             "Each 직제 body beside the Act's periods of the same name. Both are kept with their sources: "
             "a 직제 may take effect on another day than the Act's amendment, or the corpus may hold only "
             "part of a 직제's history.", "",
             "| 직제 body | 직제 from | 직제 until | first 직제 versions | Act periods | agrees |",
             "|---|---|---|---|---|---|"]
    seen = set()
    for b in sorted(bodies, key=lambda b: (b.name, b.start)):
        name = act.same(b.name)
        seen.add(name)
        mine = [p for p in act_lives.get(name, [])
                if (b.until is None or p.start <= b.until) and (p.until is None or p.until >= b.start)]
        if not act_lives.get(name):
            verdict, spans = "not a body of the Act", "—"
        else:
            start = min(p.start for p in mine) if mine else None
            ends = [p.until for p in mine]
            until = None if not mine or None in ends else max(ends)
            spans = "; ".join(f"{p.start} – {p.until or 'in force'} under {_under(p.under)}" for p in mine) or "none overlapping"
            if not mine:
                verdict = "no: the Act sets it up only at other times"
            elif (start, until) == (b.start, b.until):
                verdict = "yes"
            else:
                parts = []
                if start != b.start:
                    parts.append(f"from: Act {start}, 직제 {b.start}")
                if until != b.until:
                    parts.append(f"until: Act {until or 'in force'}, 직제 {b.until or 'in force'}")
                verdict = "no (" + "; ".join(parts) + ")"
        lines.append(f"| {b.body} | {b.start} | {b.until or '—'} | {', '.join(b.opening) or '—'} | {spans} "
                     f"| {verdict} |")
    missing = sorted({p.name for p in periods if p.until is None and act.same(p.name) not in seen})
    lines += ["", "Bodies the Act sets up today that no 직제 of the corpus organises: "
              + (", ".join(missing) if missing else "none") + "."]
    return lines
