"""Publish stage: one table of (output path, generator, media type), written atomically.

Everything is written into a fresh temporary folder beside the output folder; only when every
file is written does it replace the output folder, so a failed build leaves the last good one.
The outputs that do not need the validation (all but the reports) are written by two forked
children while the build validates (``start``): one writes govkg.nq and the dumps that stream from
it, the other everything else, then the JSON-LD dump once govkg.nq is there. ``finish`` adds the
reports and the manifest, or drops the folder when the data does not conform.
"""

from __future__ import annotations

import errno
import hashlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Triple

from . import __version__, dumps, outdir, rdfio
from . import queries as query_stage
from .errors import InputError
from .formats import JSONLD, NQUADS, RDFXML, TRIG, TURTLE
from .iris import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD, Iris
from .queries import Example
from .search import index as search_index
from .validate import ValidationResult, write_reports


@dataclass
class Release:
    """Everything the generators need."""

    iris: Iris
    store: Store
    ontology: list[Triple]
    ontology_path: Path
    shapes_dir: Path
    examples: list[Example]
    validation: ValidationResult | None = None  # known only once the outputs that need it are written
    dump: Path | None = None  # govkg.nq once written: every quad in publishing order
    cache: Path | None = None  # where govkg.nq's sorted graphs and the dumps' chunks are kept from build to build

    def written_dump(self) -> Path:
        """govkg.nq, every quad in publishing order (written first)."""
        if self.dump is None:
            raise RuntimeError("govkg.nq is written before the outputs that read it")
        return self.dump

    @cached_property
    def sizes(self) -> dumps.Sizes:
        """The size of each graph of govkg.nq, in its order."""
        return dumps.sizes(self.store)

    @cached_property
    def ontology_triples(self) -> list[Triple]:
        """The ontology with canonical blank-node labels, in publishing order."""
        return rdfio.sorted_triples(rdfio.canonical_blank_nodes(self.ontology))


Generator = Callable[[Release, Path], None]


def _nquads(r: Release, path: Path) -> None:
    rdfio.write_sorted_nquads(r.store, path, r.cache)
    r.dump = path


def _trig(r: Release, path: Path) -> None:
    dumps.write_trig(r.written_dump(), r.sizes, path, r.iris, r.cache)


def _turtle(r: Release, path: Path) -> None:
    dumps.write_turtle(r.written_dump(), r.sizes, path, r.iris, r.cache)


def _jsonld(r: Release, path: Path) -> None:
    dumps.write_jsonld(r.written_dump(), r.sizes, path, r.iris, r.iris.base + "context.jsonld", r.cache)


def _context(r: Release, path: Path) -> None:
    path.write_text(json.dumps(rdfio.jsonld_context(r.iris), indent=1) + "\n", encoding="utf-8")


def _ontology_source(r: Release, path: Path) -> None:
    path.write_text(r.iris.rebase(r.ontology_path.read_text(encoding="utf-8")), encoding="utf-8")


def _ontology(fmt: RdfFormat) -> Generator:
    def generate(r: Release, path: Path) -> None:
        triples = r.ontology_triples
        if fmt == RdfFormat.JSON_LD:
            rdfio.write_jsonld(triples, path, r.iris, r.iris.base + "context.jsonld")
        else:
            rdfio.write(triples, path, fmt, r.iris)
    return generate


def _shape_file(name: str) -> Generator:
    def generate(r: Release, path: Path) -> None:
        path.write_text(r.iris.rebase((r.shapes_dir / name).read_text(encoding="utf-8")), encoding="utf-8")
    return generate


def _reports(r: Release, path: Path) -> None:
    write_reports(r.validation, path)


def _queries(r: Release, path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    for example in r.examples:
        (path / f"{example.name}.rq").write_text(example.text, encoding="utf-8")
        (path / f"{example.name}.tsv").write_bytes(query_stage.run(r.store, example.text))


def _void(r: Release, path: Path) -> None:
    rdfio.write(rdfio.sorted_triples(void_triples(r)), path, RdfFormat.TURTLE, r.iris, rdfio.VOID_PREFIXES)


# The one table: what is published, where, as what. govkg.nq comes first: the other dumps stream from it.
OUTPUTS: tuple[tuple[str, Generator, str | None], ...] = (
    ("govkg.nq", _nquads, NQUADS.media),
    ("govkg.trig", _trig, TRIG.media),
    ("govkg.ttl", _turtle, TURTLE.media),
    ("govkg.jsonld", _jsonld, JSONLD.media),
    ("context.jsonld", _context, JSONLD.media),
    ("ontology/govkg.ttl", _ontology_source, TURTLE.media),
    ("ontology/govkg.owl", _ontology(RdfFormat.RDF_XML), RDFXML.media),
    ("ontology/govkg.jsonld", _ontology(RdfFormat.JSON_LD), JSONLD.media),
    ("shapes/core.ttl", _shape_file("core.ttl"), TURTLE.media),
    ("shapes/recommended.ttl", _shape_file("recommended.ttl"), TURTLE.media),
    ("reports", _reports, None),
    ("queries", _queries, None),
    ("void.ttl", _void, TURTLE.media),
    ("search", search_index.publish, None),
)
SITE = "site"  # written by `govkg site` (govkg.web.site), kept across builds
DISTRIBUTIONS = ("govkg.nq", "govkg.trig", "govkg.ttl", "govkg.jsonld")
# The two children's shares, about even in time: govkg.nq and two dumps streamed from it; the rest,
# then the JSON-LD dump, which waits for govkg.nq. The reports wait for the validation.
DUMP_WRITER = ("govkg.nq", "govkg.trig", "govkg.ttl")
AFTER_DUMP = ("govkg.jsonld",)
AFTER_VALIDATION = {"reports"}


def void_triples(r: Release) -> list[Triple]:
    """VoID and DCAT description of the dataset: title, license, version, counts, files, examples."""
    base, dataset = r.iris.base, r.iris.base + "dataset"
    out: list[Triple] = []

    def add(s: str, p: str, o) -> None:
        out.append(Triple(NamedNode(s), NamedNode(p), o if isinstance(o, Literal) else NamedNode(o)))

    add(dataset, RDF + "type", VOID + "Dataset")
    add(dataset, RDF + "type", DCAT + "Dataset")
    add(dataset, DCTERMS + "title", Literal("govkg: the organization of the Korean central government", language="en"))
    add(dataset, DCTERMS + "title", Literal("govkg: 대한민국 중앙행정기관 조직 지식그래프", language="ko"))
    add(dataset, DCTERMS + "description", Literal(
        "Ministries, offices, bureaus, director-general posts, divisions and their duties over time, "
        "with the change events between them, each fact citing the law provision or news article it "
        "comes from.", language="en"))
    add(dataset, DCTERMS + "license", "https://creativecommons.org/licenses/by/4.0/")
    add(dataset, DCAT + "version", Literal(__version__))
    add(dataset, RDFS + "label", Literal(f"govkg {__version__}", language="en"))
    add(dataset, VOID + "uriSpace", Literal(base + "id/"))
    add(dataset, VOID + "vocabulary", r.iris.vocab)
    add(dataset, VOID + "sparqlEndpoint", base + "sparql")
    sizes = rdfio.graph_sizes(r.store)
    default = sizes.pop(None)
    add(dataset, VOID + "triples", Literal(str(default + sum(sizes.values())), datatype=NamedNode(XSD + "integer")))
    for graph, size in sorted(sizes.items()):
        subset = f"{dataset}/{r.iris.local(graph)}"
        add(dataset, VOID + "subset", subset)
        add(subset, RDF + "type", VOID + "Dataset")
        add(subset, RDFS + "seeAlso", graph)
        add(subset, VOID + "triples", Literal(str(size), datatype=NamedNode(XSD + "integer")))
    default_subset = f"{dataset}/graph/default"
    add(dataset, VOID + "subset", default_subset)
    add(default_subset, RDF + "type", VOID + "Dataset")
    add(default_subset, VOID + "triples", Literal(str(default), datatype=NamedNode(XSD + "integer")))
    for row in r.store.query("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"):
        cls = row["c"].value
        part = f"{dataset}/class/{cls.replace('://', '/').replace('#', '/')}"
        add(dataset, VOID + "classPartition", part)
        add(part, VOID + "class", cls)
        add(part, VOID + "entities", Literal(row["n"].value, datatype=NamedNode(XSD + "integer")))
    for name, _, media in OUTPUTS:
        if name in DISTRIBUTIONS:
            dist = f"{dataset}/distribution/{name}"
            add(dataset, DCAT + "distribution", dist)
            add(dataset, VOID + "dataDump", base + name)
            add(dist, RDF + "type", DCAT + "Distribution")
            add(dist, DCAT + "downloadURL", base + name)
            add(dist, DCAT + "mediaType", f"https://www.iana.org/assignments/media-types/{media}")
            add(dist, DCTERMS + "format", Literal(media))
    for example in r.examples:
        query = f"{base}queries/{example.name}.rq"
        add(dataset, DCTERMS + "relation", query)
        add(query, DCTERMS + "title", Literal(example.title, language="en"))
        if example.description:
            add(query, DCTERMS + "description", Literal(example.description, language="en"))
        add(query, DCTERMS + "format", Literal("application/sparql-query"))
        add(query, FOAF + "page", f"{base}queries/{example.name}.tsv")
    return out


@dataclass
class Staged:
    """Outputs being written into ``tmp`` by a child process, to be finished into ``out_dir``."""

    release: Release
    out_dir: Path
    tmp: Path
    writing: tuple[Future, ...]
    pool: ProcessPoolExecutor


def start(release: Release, out_dir: Path) -> Staged:
    """Starts writing every output that does not need the validation (all but the reports) into a
    temporary folder beside ``out_dir``, in two forked child processes, while the build validates."""
    out_dir = out_dir.resolve()
    outdir.check_out(out_dir, ())
    outdir.clean_stale(out_dir)
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir(parents=True)
    except OSError as err:
        raise _input_error(out_dir, "the output folder", err) from None
    global _STAGING
    context = multiprocessing.get_context("fork")
    dumped = context.Event()
    _STAGING = release, dumped  # the forked children find them here: a store cannot be pickled
    pool = ProcessPoolExecutor(2, mp_context=context)
    others = [name for name, _, _ in OUTPUTS
              if name not in AFTER_VALIDATION and name not in DUMP_WRITER and name not in AFTER_DUMP]
    writing = (pool.submit(_write_dumps, tmp), pool.submit(_write_rest, tmp, others))
    pool.shutdown(wait=False)
    _STAGING = None
    return Staged(release, out_dir, tmp, writing, pool)


def finish(staged: Staged, validation: ValidationResult | None) -> dict[str, str]:
    """Waits for the child, writes the reports and manifest.json, then swaps the folder in.

    With ``validation`` None (the data did not conform) the staged folder is removed instead.
    """
    tmp, out_dir = staged.tmp, staged.out_dir
    try:
        for writing in staged.writing:
            writing.result()
        staged.pool.shutdown(wait=True)   # the children are done: let them end before the build does
        if validation is None:
            raise _Abandoned
        staged.release.validation = validation
        _write(tmp, sorted(AFTER_VALIDATION), staged.release)
        try:
            outdir.mark(tmp)  # says that govkg made the folder, so that a later build may replace it
            manifest = _manifest(tmp)
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
            _swap(tmp, out_dir)
        except OSError as err:
            raise _WriteError("manifest.json", err.errno, err.strerror or str(err)) from None
    except _Abandoned:
        shutil.rmtree(tmp, ignore_errors=True)
        return {}
    except _WriteError as err:  # disk full, quota, permissions: the previous build stays as it was
        shutil.rmtree(tmp, ignore_errors=True)
        raise _input_error(out_dir, err.name, OSError(err.errno, err.strerror)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest["files"]


def publish(release: Release, out_dir: Path) -> dict[str, str]:
    """Writes every output into a temporary folder, adds manifest.json, then swaps it in."""
    return finish(start(release, out_dir), release.validation)


_STAGING = None  # (Release, Event set once govkg.nq is written), for the forked children


class _Abandoned(Exception):
    pass


class _WriteError(Exception):
    """An output that could not be written (picklable, so a child can report it)."""

    def __init__(self, name: str, errno_: int | None, strerror: str) -> None:
        super().__init__(name, errno_, strerror)
        self.name, self.errno, self.strerror = name, errno_, strerror


def _write_dumps(tmp: Path) -> None:
    """The first child's share: govkg.nq, then the dumps that stream from it."""
    release, dumped = _STAGING
    try:
        _write(tmp, [DUMP_WRITER[0]], release)
    finally:
        dumped.set()  # also when it failed: the other child then fails on the missing file, not hangs
    _write(tmp, list(DUMP_WRITER[1:]), release)


def _write_rest(tmp: Path, names: list[str]) -> None:
    """The second child's share: ``names``, then, once govkg.nq is written, the JSON-LD dump."""
    release, dumped = _STAGING
    _write(tmp, names, release)
    dumped.wait()
    release.dump = outdir.contained(tmp, DUMP_WRITER[0])
    _write(tmp, list(AFTER_DUMP), release)


def _write(tmp: Path, names: list[str], release: Release) -> None:
    """Writes the named outputs into ``tmp``."""
    generators = {name: generate for name, generate, _ in OUTPUTS}
    for name in names:
        try:
            target = outdir.contained(tmp, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            generators[name](release, target)
        except OSError as err:
            raise _WriteError(name, err.errno, err.strerror or str(err)) from None


def _input_error(out_dir: Path, name: str, err: OSError) -> InputError:
    full = err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
    return InputError(out_dir, None, None, f"could not write {name}: {err.strerror or err}; "
                      "the previous build is left as it was", "free space on that disk and build again" if full else None)


def _manifest(folder: Path) -> dict:
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        files[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"name": "govkg", "version": __version__, "files": files}


def _swap(new: Path, out_dir: Path) -> None:
    """Puts ``new`` in the place of ``out_dir``, keeping the static site that ``govkg site`` made there."""
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    if (out_dir / SITE).is_dir():
        (out_dir / SITE).rename(new / SITE)
    if out_dir.exists():
        out_dir.rename(old)
    try:
        new.rename(out_dir)
    except OSError:
        if old.exists():
            if (new / SITE).is_dir():
                (new / SITE).rename(old / SITE)
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
