"""``govkg import-law --all``: every 직제 folder of a checkout into one national set of derived
folders, and a summary of what was understood in each.

Each folder is imported into ``<out>/<body key>/``; keys are unique across all of them (a folder
never mints a key another folder published, ``importer.other_folders_keys``), and so are refs and
event keys (both start with the folder's body key). The folders are read in parallel processes,
each against what ``<out>`` held before, and written in the order of their names. The result is
the one importing them one after the other in that order gives: a folder that minted a key an
earlier folder minted too is derived again once the earlier ones are written, as it would have
been in turn (a key is minted only when it is free, so no other folder's outcome can differ).

A folder that holds no 직제 (정부조직법, the 통칙) is not imported as if it were one: the summary
lists it as skipped, with the reason. The Act is read by ``act`` instead, into its own records
(``<out>/정부조직법/``, ``act_records``), after every 직제 (it takes their bodies' keys),
and into ``government-act.md`` (``act_report``), beside the summary.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..records.model import Records
from . import act, act_records, act_report, corpus, write
from .importer import Derived, NotADecree, Summary, act_states, curated_records, derive, other_folders_keys

SUMMARY = "summary.md"


@dataclass
class National:
    imported: list[tuple[str, Summary]] = field(default_factory=list)   # (folder, summary)
    skipped: list[tuple[str, str]] = field(default_factory=list)        # (folder, why)


def import_all(root: Path, out_root: Path, curated_dir: Path | None, *, jobs: int | None = None) -> National:
    """Imports every folder under ``kr/`` that holds a 직제 and writes ``<out>/summary.md``;
    ``jobs`` processes read the folders (default: one per core, at most four)."""
    if not corpus.is_checkout(root):
        raise InputError(root, None, None, "not a legalize-kr checkout (a git work tree with a kr/ folder)",
                         "clone one, e.g. git clone …/kr-org-law.bundle, and pass its path")
    folders = sorted(p.name for p in (root / "kr").iterdir() if p.is_dir())
    curated, states = curated_records(curated_dir), act_states(root)
    result, minted = National(), set()
    for folder, outcome in zip(folders, _derive_all(root, folders, out_root, (curated, states), jobs)):
        if isinstance(outcome, NotADecree):
            result.skipped.append((folder, outcome.problem))
            continue
        if outcome.minted & minted:   # an earlier folder took the key first: derive it in turn
            outcome = derive(root, folder, out_root, curated, states)
        write.write_files(out_root / outcome.target, outcome.files)
        minted |= outcome.minted
        result.imported.append((folder, outcome.summary))
    (out_root / SUMMARY).write_text(render(result), encoding="utf-8", newline="\n")
    if (root / "kr" / act.FOLDER).is_dir():
        act_records.write_folder(root, out_root)
        bodies = [b for _, s in result.imported for b in s.bodies]
        (out_root / act_report.NAME).write_text(act_report.render(states, bodies), encoding="utf-8", newline="\n")
    return result


_JOB: tuple | None = None   # (root, out_root, (curated, states)): what the forked readers read


def _derive_all(root: Path, folders: list[str], out_root: Path, given: tuple[Records, list[act.State]],
                jobs: int | None) -> list[Derived | NotADecree]:
    """Each folder's derived records (or why it is no 직제), in the order of ``folders``, given the
    curated records and the Act's states. Nothing is written until all are read, so that each is
    read against the same ``out_root``; the largest folders are started first, so that the
    processes end together."""
    global _JOB
    jobs = jobs or max(1, min(os.cpu_count() or 1, 4))
    if jobs == 1:
        return [_derive_one(root, folder, out_root, given) for folder in folders]
    other_folders_keys(out_root, "")   # each published folder parsed once, here, not once per process
    _JOB = (root, out_root, given)
    size = {f: sum(p.stat().st_size for p in (root / "kr" / f).rglob("*") if p.is_file()) for f in folders}
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            started = {f: pool.submit(_derive_forked, f) for f in sorted(folders, key=lambda f: (-size[f], f))}
            return [started[f].result() for f in folders]
    finally:
        _JOB = None


def _derive_forked(folder: str) -> Derived | NotADecree:
    return _derive_one(_JOB[0], folder, _JOB[1], _JOB[2])


def _derive_one(root: Path, folder: str, out_root: Path, given: tuple[Records, list[act.State]]) -> Derived | NotADecree:
    try:
        return derive(root, folder, out_root, *given)
    except NotADecree as err:
        return err


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def render(result: National) -> str:
    """The national summary: per body, what its parse report counts, and the totals."""
    lines = ["# National import summary", "",
             "Written by `govkg import-law --all`; each body's `parse-report.md` lists what is counted here. "
             "Paragraphs and items count once per law version that states them.", "",
             "| folder | body | from | until | units | unit-establishing paragraphs understood "
             "| duty items given to a unit | not given: unit in a 별표 | not understood (distinct texts, by kind) |",
             "|---|---|---|---|---|---|---|---|---|"]
    total = [0, 0, 0, 0, 0, 0]
    kinds: dict[str, int] = {}
    for folder, summary in result.imported:
        for body, failures in zip(summary.bodies, summary.not_understood):
            lines.append(
                f"| {folder} | {body.body} | {body.start} | {body.until or '—'} | {body.units} "
                f"| {body.establishing_understood} / {body.establishing} "
                f"({_pct(body.establishing_understood, body.establishing)}) "
                f"| {body.duty_items_placed} / {body.duty_items} ({_pct(body.duty_items_placed, body.duty_items)}) "
                f"| {body.duty_items_in_tables} | {'; '.join(f'{k}: {n}' for k, n in sorted(failures.items())) or '—'} |")
            for i, n in enumerate((body.units, body.establishing_understood, body.establishing,
                                   body.duty_items_placed, body.duty_items, body.duty_items_in_tables)):
                total[i] += n
            for k, n in failures.items():
                kinds[k] = kinds.get(k, 0) + n
    bodies = sum(len(s.bodies) for _, s in result.imported)
    lines += ["", "## Totals", "",
              f"- {len(result.imported)} folders imported, {bodies} bodies (a folder has one per era of its "
              f"name), {total[0]} units.",
              f"- Unit-establishing paragraphs understood: {total[1]} / {total[2]} ({_pct(total[1], total[2])}).",
              f"- Duty items given to a unit: {total[3]} / {total[4]} ({_pct(total[3], total[4])}); of those not "
              f"given, {total[5]} have a holder under a unit only a 별표 names, or in an article that leaves "
              "its units' names to a 별표: the corpus holds no 별표.", "",
              "Not understood, by kind (distinct texts over all bodies):", ""]
    lines += [f"- {k}: {n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))] or ["- nothing"]
    lines += ["", "## Not imported", ""]
    lines += [f"- `kr/{folder}/`: {why}" + (f" (read as the Government Organization Act into `{act.FOLDER}/`)"
                                             if folder == act.FOLDER else "")
              for folder, why in result.skipped] or ["- nothing"]
    return "\n".join(lines) + "\n"
