"""The build: load → transform → reason → validate → publish, with progress and a summary."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pyoxigraph import RdfFormat, Store, Triple, parse

from . import cachedir, rdfio
from . import load as load_stage
from . import publish as publish_stage
from . import queries as query_stage
from . import reason as reason_stage
from . import transform as transform_stage
from . import validate as validate_stage
from .errors import DataNotConforming, InputError
from .iris import Iris
from .outdir import check_out
from .publish import Release
from .records.model import Records


@dataclass(frozen=True)
class Paths:
    """Where the project's inputs are and where the build goes."""

    data: Path = Path("data/curated")
    ontology: Path = Path("ontology/govkg.ttl")
    shapes: Path = Path("shapes")
    queries: Path = Path("queries")
    out: Path = Path("build")
    cache: Path | None = Path(".cache/govkg")
    derived: Path | None = None  # law-derived records merged under the curated ones (data/derived)


@dataclass
class Progress:
    """Prints one line per stage with its time; quiet when asked."""

    stream: TextIO | None = sys.stderr
    started: float = field(default_factory=time.perf_counter)

    def stage(self, name: str, detail: str, since: float) -> float:
        now = time.perf_counter()
        if self.stream:
            print(f"[{now - self.started:6.1f}s] {name:<9} {detail} ({now - since:.1f}s)", file=self.stream)
        return now


def read_ontology(path: Path, iris: Iris) -> list[Triple]:
    try:
        text = iris.rebase(path.read_text(encoding="utf-8"))
        return list(parse(text, format=RdfFormat.TURTLE, base_iri=iris.vocab))
    except FileNotFoundError:
        raise InputError(path, None, None, "ontology file not found", "run from the project folder or pass --ontology")
    except SyntaxError as err:
        raise InputError(path, None, None, f"Turtle syntax error: {err}") from None


def read_shapes(folder: Path, iris: Iris):
    if not (folder / "core.ttl").exists():
        raise InputError(folder, None, None, "shapes/core.ttl not found", "run from the project folder or pass --shapes")
    return validate_stage.load_shapes(folder, rebase=iris.rebase)


def assemble(paths: Paths, iris: Iris, progress: Progress) -> tuple[Store, Records]:
    t = time.perf_counter()
    curated = load_stage.load(paths.data, paths.derived, cache=paths.cache)
    t = progress.stage("load", f"{len(curated.files)} files, {len(curated.orgs)} bodies and units, "
                       f"{sum(len(b.items) for b in curated.duties)} duty items, {len(curated.events)} events", t)
    store = transform_stage.transform(curated, iris)
    progress.stage("transform", f"{len(store)} quads in {1 + len(list(store.named_graphs()))} graphs", t)
    return store, curated


def check(store: Store, ontology: list[Triple], paths: Paths, iris: Iris, progress: Progress,
          curated: Records | None = None, *, reference: bool = False):
    """Reasoning and validation, side by side; raises DataNotConforming on an inconsistency or a violation.

    ``reference`` validates with pySHACL itself, without the cache.
    """
    t = time.perf_counter()
    digests = None if paths.cache is None else rdfio.predicate_digests(store)  # both caches' keys
    reasoning = reason_stage.start(ontology, store, cache=paths.cache, digests=digests)
    result = validate_stage.validate(store, shapes=read_shapes(paths.shapes, iris),
                                     cache=None if reference else paths.cache, reference=reference, digests=digests)
    progress.stage("validate", f"{result.shapes_checked} shapes, {len(result.violations)} violations, "
                   f"{len(result.warnings)} warnings{' (pySHACL)' if reference else ''}", t)
    reasoned = reasoning.result()
    progress.stage("reason", "HermiT: consistent" if reasoned.consistent else "HermiT: INCONSISTENT", t)
    if not reasoned.consistent:
        places = {iris.org(key): org.where for key, org in (curated.orgs.items() if curated else ())}
        lines = [line + "".join(f" [written at {w.path}:{w.line}]" for iri, w in places.items() if iri + " " in line)
                 for line in reasoned.explanation]
        raise DataNotConforming("The ontology and data are inconsistent:\n  " + "\n  ".join(lines))
    return result


def build(paths: Paths, iris: Iris, progress: Progress) -> dict:
    """Runs every stage; publishes only if the data conforms. Returns the summary."""
    started, began = time.perf_counter(), time.time()
    check_out(paths.out, (paths.data, paths.derived, paths.ontology, paths.shapes, paths.queries, paths.cache))
    ontology = read_ontology(paths.ontology, iris)
    store, curated = assemble(paths, iris, progress)
    examples = query_stage.read_examples(paths.queries, iris)
    release = Release(iris, store, ontology, paths.ontology, paths.shapes, examples, cache=paths.cache)
    staged = publish_stage.start(release, paths.out)
    try:
        result = check(store, ontology, paths, iris, progress, curated)
    except BaseException:
        publish_stage.finish(staged, None)
        raise
    if not result.conforms:
        publish_stage.finish(staged, None)
        raise DataNotConforming(validate_stage.summary_text(result))
    t = time.perf_counter()
    files = publish_stage.finish(staged, result)
    progress.stage("publish", f"{len(files)} files in {paths.out}/, {len(examples)} example queries run "
                   "(written beside validation)", t)
    if paths.cache is not None:
        cachedir.prune(paths.cache, began)
    sizes = rdfio.graph_sizes(store)
    graphs = {"(default)": sizes.pop(None), **dict(sorted(sizes.items()))}
    return {"quads": len(store), "graphs": graphs, "shapes": result.shapes_checked,
            "violations": len(result.violations), "warnings": len(result.warnings),
            "seconds": time.perf_counter() - started, "out": str(paths.out)}
