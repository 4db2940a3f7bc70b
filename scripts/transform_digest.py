"""The transform's output as one digest: the sha256 of its quads as sorted N-Quads lines.

Run it before and after a change to the transform (``git stash``, or another worktree's src on
PYTHONPATH): equal digests mean the change writes exactly the same quads. Also reports the
transform's wall and CPU time and its peak memory. The dump is sorted by the system's ``sort`` in
a scratch folder, so memory stays bounded on the national data (1.4 GB of N-Quads).

    PYTHONPATH=src python scripts/transform_digest.py [--derived data/derived] [--cache DIR] [--keep FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path

from pyoxigraph import RdfFormat

from govkg import load, transform
from govkg.iris import Iris


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--curated", type=Path, default=Path("data/curated"))
    parser.add_argument("--derived", type=Path, help="a derived data folder, e.g. data/derived")
    parser.add_argument("--cache", type=Path, help="the YAML cache folder (a second load is faster)")
    parser.add_argument("--keep", type=Path, help="also write the sorted N-Quads there (to diff two runs)")
    args = parser.parse_args()
    records = load.load(args.curated, args.derived, cache=args.cache)
    wall, cpu = time.perf_counter(), time.process_time()
    store = transform.transform(records, Iris())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    quads, graphs = len(store), 1 + sum(1 for _ in store.named_graphs())
    with tempfile.TemporaryDirectory(prefix="transform-digest-") as scratch:
        unsorted, ordered = Path(scratch) / "all.nq", args.keep or Path(scratch) / "sorted.nq"
        store.dump(str(unsorted), format=RdfFormat.N_QUADS)
        del store
        subprocess.run(["sort", "-S", "512M", "-T", scratch, "-o", str(ordered), str(unsorted)], check=True,
                       env={**os.environ, "LC_ALL": "C"})
        digest = hashlib.sha256()
        with ordered.open("rb") as lines:
            while block := lines.read(1 << 24):
                digest.update(block)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"{digest.hexdigest()}  {quads} quads in {graphs} graphs; transform {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU; peak {peak:.2f} GiB; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
