"""Times the MOIS law import, the naive pipeline and govkg's build and site; wall time and peak memory.

    python scripts/benchmark.py [--checkout PATH] [--bundle PATH] [--skip-naive] [--national]

Each stage runs in its own Python process, which reports its wall time, its peak resident
memory and that of its largest child process (HermiT, the publishing child; ``resource.getrusage``),
on the committed data/ (curated and derived), into a temporary folder:

* ``import``: ``govkg import-law`` of the MOIS folder from a legalize-kr checkout (``--checkout``,
  or a clone of the corpus bundle made for the run);
* ``naive``: what a plain rdflib + pySHACL pipeline does with the same data: rdflib parses the
  dataset (the N-Quads the cold build wrote), pySHACL validates every view, rdflib writes Turtle,
  N-Quads and JSON-LD;
* ``build cold``: ``govkg build --derived data/derived/행정안전부`` (the MOIS layer) with an empty cache;
* ``build warm``: the same after one curated YAML record changed (a programme's name, in a copy
  of data/curated), with the cache of the cold build;
* ``site cold`` and ``site warm``: ``govkg site`` on the cold build, then again with nothing changed.

It then checks that the naive pipeline's pySHACL findings equal the build's, one for one. Each
stage reports its wall time and its CPU time (user + system, with its children) beside the load
average: on a shared machine the CPU time is the steadier figure.

With ``--national`` every body is imported and built, as a user who pulls a new law version does:

* ``import``: ``govkg import-law --all`` of the checkout as it was one commit (one law version)
  before its newest, from a clone of it made for the run;
* ``build cold`` and ``build warm``: as above, with ``--derived`` the folder that import wrote;
* ``law import``: the clone moved on to the newest commit, ``govkg import-law`` of the one folder
  that commit changed, into the same folder;
* ``build law``: ``govkg build`` again with the cache of the earlier builds (and the edited
  record, so that only the law changed).

The naive pipeline and the site are left out (the naive run alone would take hours).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT.parent / "shared" / "sources" / "kr-org-law.bundle"
EDIT = ("name: {ko: 원격근무 지원}", "name: {ko: 원격근무 지원 (benchmark edit)}")


def _paths(tmp: Path, data: Path, out: str, cache: str, national: bool):
    from govkg.pipeline import Paths

    derived = tmp / "derived" if national else ROOT / "data" / "derived" / "행정안전부"  # MOIS: as in README
    return Paths(data, ROOT / "ontology" / "govkg.ttl", ROOT / "shapes", ROOT / "queries", tmp / out, tmp / cache,
                 derived)


def _git(checkout: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(checkout), *args],
                          capture_output=True, text=True, check=True).stdout.strip()


def _newest_folder(corpus: Path) -> str:
    """The folder under kr/ that the newest commit of the corpus changed (one law version)."""
    folders = {Path(p).parts[1] for p in _git(corpus, "show", "--format=", "--name-only", "HEAD").splitlines()
               if p.startswith("kr/")}
    if len(folders) != 1:
        raise SystemExit(f"the corpus's newest commit changes {len(folders)} law folders, not one")
    return folders.pop()


def _stage(name: str, checkout: str, tmp: Path, national: bool) -> dict:
    """Runs one stage in this process and returns its measures."""
    sys.path.insert(0, str(ROOT / "src"))
    started = time.perf_counter()
    if name == "import" and national:
        from govkg.lawimport.national import import_all

        summary = import_all(tmp / "corpus", tmp / "derived", ROOT / "data" / "curated")
        detail = {"folders": len(summary.imported), "bodies": sum(len(s.bodies) for _, s in summary.imported),
                  "corpus": _git(tmp / "corpus", "rev-parse", "--short", "HEAD")}
    elif name == "law-import":
        from govkg.lawimport.importer import import_folder

        _git(tmp / "corpus", "checkout", "-q", "newest")
        folder = _newest_folder(tmp / "corpus")
        summary = import_folder(tmp / "corpus", folder, tmp / "derived", ROOT / "data" / "curated")
        detail = {"folder": folder, "bodies": [b.body for b in summary.bodies]}
    elif name == "import":
        from govkg.lawimport.importer import import_folder

        summary = import_folder(Path(checkout), "행정안전부와그소속기관직제", tmp / "derived", ROOT / "data" / "curated")
        detail = {b.body: {"units": b.units, "duties": b.duties, "events": b.events} for b in summary.bodies}
    elif name == "naive":
        detail = _naive(tmp)
    elif name.startswith("build"):
        from govkg.iris import Iris
        from govkg.pipeline import Progress, build

        data = ROOT / "data" / "curated"
        if name == "build-warm":
            data = tmp / "curated-edited"
            shutil.copytree(ROOT / "data" / "curated", data)
            target = data / "mois-2020" / "programmes.yaml"
            text = target.read_text(encoding="utf-8")
            assert EDIT[0] in text, "the benchmark's edit no longer applies"
            target.write_text(text.replace(EDIT[0], EDIT[1]), encoding="utf-8")
        elif name == "build-law":
            data = tmp / "curated-edited"
        out = name
        summary = build(_paths(tmp, data, out, "cache", national), Iris(), Progress(sys.stderr))
        detail = {"quads": summary["quads"], "snapshots": len(summary["graphs"]) - 1,
                  "violations": summary["violations"], "warnings": summary["warnings"]}
    else:
        from govkg.web.site import build_site

        s = build_site(tmp / "build-cold")
        detail = {"written": s.written, "unchanged": s.unchanged, "removed": s.removed}
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return {"stage": name, "seconds": round(time.perf_counter() - started, 1),
            "cpu_seconds": round(sum(u.ru_utime + u.ru_stime for u in used), 1), "load": round(os.getloadavg()[0], 1),
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "child_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1), "detail": detail}


def _naive(tmp: Path) -> dict:
    """rdflib parse, pySHACL on every view, rdflib writers; the findings go to naive-findings.txt."""
    import pyoxigraph as ox
    from rdflib import Dataset

    from govkg import validate
    from govkg.iris import Iris
    from govkg.pipeline import read_shapes
    from govkg.shacl import to_oxigraph

    dataset = Dataset()
    dataset.parse(tmp / "build-cold" / "govkg.nq", format="nquads")
    store = ox.Store()  # the views are cut from the parsed data; pySHACL validates each
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph = ox.DefaultGraph() if g is None or g == dataset.default_graph.identifier else to_oxigraph(g)
        store.add(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph))
    result = validate.validate(store, shapes=read_shapes(ROOT / "shapes", Iris()), reference=True)
    (tmp / "naive-findings.txt").write_text(validate.summary_text(result), encoding="utf-8")
    out = tmp / "naive-out"
    out.mkdir()
    dataset.default_graph.serialize(out / "govkg.ttl", format="turtle")
    dataset.serialize(out / "govkg.nq", format="nquads")
    dataset.default_graph.serialize(out / "govkg.jsonld", format="json-ld")
    return {"default_graph_triples": len(dataset), "violations": len(result.violations),
            "warnings": len(result.warnings)}


def _run(name: str, checkout: str, tmp: str, national: bool) -> dict:
    done = subprocess.run([sys.executable, __file__, "--stage", name, "--checkout", checkout, "--out", tmp,
                           *(["--national"] if national else [])], capture_output=True, text=True)
    sys.stderr.write(done.stderr)  # the build's progress lines: the time of each of its stages
    if done.returncode:
        raise SystemExit(f"the {name} stage failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the MOIS import, the naive pipeline, govkg build and site.")
    parser.add_argument("--checkout", help="a legalize-kr checkout (default: a clone of --bundle)")
    parser.add_argument("--bundle", default=str(BUNDLE), help="the corpus bundle (default: %(default)s)")
    parser.add_argument("--skip-naive", action="store_true", help="leave out the naive pipeline (about 8 minutes)")
    parser.add_argument("--national", action="store_true", help="import and build every body (no naive run, no site)")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(_stage(args.stage, args.checkout, Path(args.out), args.national), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory(prefix="govkg-benchmark-") as tmp:
        checkout = args.checkout
        if checkout is None:
            checkout = str(Path(tmp) / "kr-org-law")
            subprocess.run(["git", "clone", "-q", args.bundle, checkout], check=True)
        stages = ["import", "build-cold", "build-warm", "site-cold", "site-warm"]
        if args.national:
            stages = [*stages[:3], "law-import", "build-law"]
            corpus = Path(tmp) / "corpus"  # the checkout one law version back; law-import moves it on
            subprocess.run(["git", "clone", "-q", checkout, str(corpus)], check=True)
            _git(corpus, "branch", "newest")
            _git(corpus, "checkout", "-q", "--detach", "HEAD~1")
        elif not args.skip_naive:
            stages.insert(3, "naive")
        results = {name: _run(name, checkout, tmp, args.national) for name in stages}
        same = None
        if "naive" in results:
            ours = (Path(tmp) / "build-cold" / "reports" / "validation.txt").read_text(encoding="utf-8")
            same = ours == (Path(tmp) / "naive-findings.txt").read_text(encoding="utf-8")
    # CPU time (user + system, the stage's process and its children) is the steadier figure on a
    # shared machine; the load is the 1-minute average when the stage ended.
    print(f"{'stage':<11} {'wall time':>10} {'CPU time':>9} {'load':>5} {'peak memory':>12} {'largest child':>14}  detail")
    for r in results.values():
        print(f"{r['stage']:<11} {r['seconds']:>9.1f}s {r['cpu_seconds']:>8.1f}s {r['load']:>5.1f} {r['peak_mib']:>9.1f} MiB "
              f"{r['child_mib']:>10.1f} MiB  "
              f"{json.dumps(r['detail'], ensure_ascii=False)}")
    if same is not None:
        ratio = results["naive"]["seconds"] / results["build-cold"]["seconds"]
        print(f"naive / build cold: {ratio:.1f}x; findings identical: {'yes' if same else 'NO'}")
        if not same:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
