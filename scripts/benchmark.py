"""Times the MOIS law import and the full build; reports wall time and peak memory of each.

    python scripts/benchmark.py [--checkout PATH] [--bundle PATH]

Each stage runs in its own Python process, which reports its wall time and its peak resident
memory (``resource.getrusage``). The import reads a legalize-kr checkout (``--checkout``), or a
clone of the corpus bundle made for the run; it writes into a temporary folder, not data/derived.
The build reads the committed data/ (curated and derived) and writes into a temporary folder,
without the validation cache.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT.parent / "shared" / "sources" / "kr-org-law.bundle"


def _stage(name: str, checkout: str, out: str) -> dict:
    """Runs one stage in this process and returns its measures."""
    sys.path.insert(0, str(ROOT / "src"))
    started = time.perf_counter()
    if name == "import":
        from govkg.lawimport.importer import import_folder

        summary = import_folder(Path(checkout), "행정안전부와그소속기관직제", Path(out), ROOT / "data" / "curated")
        detail = {b.body: {"states": b.states, "units": b.units, "duties": b.duties, "events": b.events}
                  for b in summary.bodies}
    else:
        from govkg.iris import Iris
        from govkg.pipeline import Paths, Progress, build

        paths = Paths(ROOT / "data" / "curated", ROOT / "ontology" / "govkg.ttl", ROOT / "shapes", ROOT / "queries",
                      Path(out) / "build", None, ROOT / "data" / "derived")
        summary = build(paths, Iris(), Progress(sys.stderr))
        detail = {"quads": summary["quads"], "snapshots": len(summary["graphs"]) - 1,
                  "violations": summary["violations"]}
    return {"stage": name, "seconds": round(time.perf_counter() - started, 1),
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), "detail": detail}


def _run(name: str, checkout: str, out: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--stage", name, "--checkout", checkout, "--out", out],
                          capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the {name} stage failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the MOIS import and the full build.")
    parser.add_argument("--checkout", help="a legalize-kr checkout (default: a clone of --bundle)")
    parser.add_argument("--bundle", default=str(BUNDLE), help="the corpus bundle (default: %(default)s)")
    parser.add_argument("--stage", choices=("import", "build"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(_stage(args.stage, args.checkout, args.out), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory(prefix="govkg-benchmark-") as tmp:
        checkout = args.checkout
        if checkout is None:
            checkout = str(Path(tmp) / "kr-org-law")
            subprocess.run(["git", "clone", "-q", args.bundle, checkout], check=True)
        results = [_run("import", checkout, str(Path(tmp) / "derived")), _run("build", checkout, tmp)]
    print(f"{'stage':<8} {'wall time':>10} {'peak memory':>12}  detail")
    for r in results:
        print(f"{r['stage']:<8} {r['seconds']:>9.1f}s {r['peak_mib']:>9.1f} MiB  "
              f"{json.dumps(r['detail'], ensure_ascii=False)}")


if __name__ == "__main__":
    main()
