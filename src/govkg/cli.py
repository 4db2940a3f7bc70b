"""The ``govkg`` command.

Exit codes (as pySHACL's): 0 ok, 1 the data does not conform (a core shape is violated or the
ontology and data are inconsistent), 2 usage or input error.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import stat
import sys
import threading
from pathlib import Path

from pyoxigraph import QueryResultsFormat, RdfFormat, Store, parse

from . import __version__, sparqlguard
from . import queries as query_stage
from . import validate as validate_stage
from .errors import DataNotConforming, InputError, brief
from .iris import DEFAULT_BASE, Iris
from .pipeline import Paths, Progress, assemble, build, check, read_ontology, read_shapes
from .yamlfile import read_text

EXIT_OK, EXIT_NOT_CONFORMING, EXIT_INPUT = 0, 1, 2

_RESULT_FORMATS = {"tsv": QueryResultsFormat.TSV, "csv": QueryResultsFormat.CSV,
                   "json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML}


def _paths(args: argparse.Namespace) -> Paths:
    return Paths(args.data, args.ontology, args.shapes, args.queries, getattr(args, "out", Path("build")),
                 None if args.no_cache else args.cache, args.derived)


def _read_dataset(path: Path) -> Store:
    """An RDF file (format from its extension) in a new store; unreadable or empty input is an InputError."""
    try:
        info = path.stat()
    except OSError as err:
        raise InputError(path, None, None, f"cannot read the dataset: {err.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, None, None, "is a folder, not an RDF file", "give a file such as build/govkg.nq")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, None, None, "is not a regular file (a FIFO, socket or device)", "give an RDF file")
    try:
        fmt = RdfFormat.from_extension(path.suffix[1:])
    except ValueError:
        fmt = None
    if fmt is None:
        raise InputError(path, None, None, f"cannot tell the RDF format from the file name ending {brief(path.suffix)}",
                         "name it .nq, .trig, .ttl, .nt, .rdf or .jsonld")
    store = Store()
    try:
        store.bulk_extend(parse(path=str(path), format=fmt))
    except (SyntaxError, ValueError, OSError) as err:
        raise InputError(path, None, None, f"cannot read the dataset: {str(err)[:300]}") from None
    if len(store) == 0:
        raise InputError(path, None, None, "the dataset holds no triples", "give the dump of a build (build/govkg.nq)")
    return store


def _query_text(query: Path) -> tuple[str, str]:
    """(where, text): a query file's text, or the argument itself when it names no file."""
    try:
        is_file = query.exists()
    except OSError:  # e.g. a long query text is a name too long for a file
        is_file = False
    if not is_file:
        return "<query>", str(query)
    return str(query), read_text(query, "query file", 1 << 20, "give a .rq file or the query text")


def _cmd_build(args: argparse.Namespace) -> int:
    summary = build(_paths(args), Iris(args.base), Progress(None if args.quiet else sys.stderr))
    print(f"Built {summary['out']}/ in {summary['seconds']:.1f}s")
    print(f"  quads: {summary['quads']}")
    for line in _graph_lines(summary["graphs"], Iris(args.base)):
        print(f"    {line}")
    print(f"  shapes checked: {summary['shapes']}")
    print(f"  violations: {summary['violations']}")
    print(f"  warnings: {summary['warnings']}")
    return EXIT_OK


def _graph_lines(graphs: dict[str, int], iris: Iris) -> list[str]:
    """The default graph's size, then each kind of named graph's: how many graphs, how many quads,
    for how many bodies (one line each, however many graphs; every graph's size is in void.ttl).

    >>> _graph_lines({"(default)": 9, "https://example.org/graph/snapshot/가부/2020-01-01": 3,
    ...               "https://example.org/graph/snapshot/가부/2021-01-01": 4,
    ...               "https://example.org/graph/national/2020-01-01": 2}, Iris("https://example.org/"))
    ['       9  (default)', '       7  in 2 snapshot graphs of 1 body', '       2  in 1 national snapshot graph']
    """
    lines = [f"{count:>8}  {graph}" for graph, count in graphs.items() if graph == "(default)"]
    for kind, name in (("snapshot", "snapshot graph"), ("national", "national snapshot graph")):
        sizes = {g: n for g, n in graphs.items() if iris.kind(g) == kind}
        if sizes:
            bodies = {iris.key(g).rsplit("/", 1)[0] for g in sizes} if kind == "snapshot" else ()
            of = f" of {len(bodies)} bod{'y' if len(bodies) == 1 else 'ies'}" if bodies else ""
            lines.append(f"{sum(sizes.values()):>8}  in {len(sizes)} {name}{'' if len(sizes) == 1 else 's'}{of}")
    other = {g: n for g, n in graphs.items() if g != "(default)" and iris.kind(g) not in ("snapshot", "national")}
    return lines + [f"{count:>8}  {graph}" for graph, count in other.items()]


def _cmd_serve(args: argparse.Namespace) -> int:
    from .server.app import serve  # imported here: the other commands do not need it

    if not (args.build / "govkg.nq").is_file():
        raise InputError(args.build, None, None, "no govkg.nq in the build folder", "run `govkg build` first")
    if not 0 <= args.port <= 65535:
        raise InputError("--port", None, None, "a port is 0–65535")
    if min(args.workers, args.threads, args.max_connections, args.max_results, args.max_result_bytes) < 1 or \
            min(args.query_timeout, args.header_timeout, args.idle_timeout) <= 0:
        raise InputError("serve", None, None, "workers, threads, connections, caps and timeouts must be positive")
    limits = {"threads": args.threads, "max_connections": args.max_connections, "header_timeout": args.header_timeout,
              "idle_timeout": args.idle_timeout, "max_header": args.max_header_bytes,
              "max_result_bytes": args.max_result_bytes}
    return serve(args.build, args.host, args.port, args.base, args.workers, args.query_timeout, args.max_results,
                 args.verbose, limits, args.access_log)


def _cmd_site(args: argparse.Namespace) -> int:
    from .web.site import build_site  # imported here: the other commands do not need it

    if not (args.build / "manifest.json").is_file():
        raise InputError(args.build, None, None, "no manifest.json in the build folder", "run `govkg build` first")
    summary = build_site(args.build)
    if summary.skipped:
        print(f"{args.build}/site/ is up to date ({summary.unchanged} files)")
    else:
        print(f"Wrote {args.build}/site/: {summary.written} files written, {summary.unchanged} unchanged, "
              f"{summary.removed} removed")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    iris, paths = Iris(args.base), _paths(args)
    progress = Progress(None if args.quiet else sys.stderr)
    if args.dataset:
        result = validate_stage.validate(_read_dataset(args.dataset), shapes=read_shapes(paths.shapes, iris),
                                         reference=args.reference)
    else:
        store, curated = assemble(paths, iris, progress)
        try:
            result = check(store, read_ontology(paths.ontology, iris), paths, iris, progress, curated,
                           reference=args.reference)
        except DataNotConforming as err:
            print(err, file=sys.stderr)
            return EXIT_NOT_CONFORMING
    print(validate_stage.summary_text(result))
    return EXIT_OK if result.conforms else EXIT_NOT_CONFORMING


def _cmd_query(args: argparse.Namespace) -> int:
    where, text = _query_text(args.query)
    problem = sparqlguard.problem(text)
    if problem and not problem.startswith("the query is not SPARQL 1.1"):  # pyoxigraph says what is wrong
        raise InputError(where, None, None, problem, "write a SPARQL 1.1 query over the local data")
    if args.dataset:
        store = _read_dataset(args.dataset)
    else:
        store, _ = assemble(_paths(args), Iris(args.base), Progress(None))
    try:
        sys.stdout.buffer.write(sparqlguard.deep_stack(query_stage.run, store, text, _RESULT_FORMATS[args.format]))
    except (SyntaxError, ValueError, OSError) as err:
        raise InputError(where, None, None, f"query failed: {str(err)[:300]}") from None
    return EXIT_OK


def _cmd_load(args: argparse.Namespace) -> int:
    from . import storeload  # imported here: the other commands do not need it

    password = args.password if args.password is not None else os.environ.get("GOVKG_STORE_PASSWORD")
    opts = storeload.Options(endpoint=args.endpoint, graph_store=args.graph_store, dataset=args.dataset,
                             user=args.user, password=password, default_graph_iri=args.default_graph_iri,
                             dry_run=args.dry_run, verify=not args.no_verify, retries=args.retries,
                             timeout=args.timeout)
    try:
        return storeload.run(opts)
    except storeload.StoreError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except storeload.CountMismatch as err:
        print(f"error: the loaded data does not match: {err}", file=sys.stderr)
        return EXIT_NOT_CONFORMING


def _cmd_audit(args: argparse.Namespace) -> int:
    from .lawimport import audit  # imported here: the other commands do not need it

    if not (args.path / "kr" / args.body).is_dir():
        raise InputError(args.path / "kr" / args.body, None, None, "no such law folder in the checkout",
                         "pass a legalize-kr checkout and --body")
    result = audit.run(args.path, args.body, args.derived, args.sample, args.seed)
    print(audit.render(result), end="")
    return EXIT_OK if not result.findings else EXIT_NOT_CONFORMING


def _cmd_import_law(args: argparse.Namespace) -> int:
    from .lawimport import act_records
    from .lawimport.importer import import_folder  # imported here: the other commands do not need it
    from .lawimport.national import SUMMARY, import_all

    if args.all:
        result = import_all(args.path, args.out, args.data)
        for folder, why in result.skipped:
            print(f"Skipped kr/{folder}/: {why}")
        summaries = [s for _, s in result.imported]
        print(f"Wrote {len(summaries)} folders under {args.out}/ and {args.out / SUMMARY}")
    elif args.body == act_records.FOLDER:
        result = act_records.write_folder(args.path, args.out)
        print(f"Wrote {args.out / act_records.FOLDER}/: {', '.join(sorted(result.files))}; {len(result.eras)} bodies, "
              f"{len(result.placements)} placements, {len(result.events)} events")
        return EXIT_OK
    else:
        summaries = [import_folder(args.path, args.body, args.out, args.data)]
    for summary in summaries:
        _print_import(summary)
    return EXIT_OK


def _print_import(summary) -> None:
    print(f"Wrote {summary.folder}/: {', '.join(summary.files)}")
    for body in summary.bodies:
        print(f"  {body.body} ({body.start} – {body.until or ''}): {body.states} states, {body.snapshots} snapshots, "
              f"{body.units} units, {body.duties} duties, {body.events} events; unit-establishing paragraphs "
              f"understood {body.establishing_understood}/{body.establishing}, duty items given to a unit "
              f"{body.duty_items_placed}/{body.duty_items}")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="govkg", description=(
        "Build, validate and query the govkg knowledge graph of government organization. "
        "Exit codes: 0 ok, 1 the data does not conform, 2 usage or input error."))
    top.add_argument("--version", action="version", version=f"govkg {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data", type=Path, default=Path("data/curated"), help="curated YAML folder (default: %(default)s)")
        p.add_argument("--derived", type=Path, help="law-derived YAML folder (data/derived, written by import-law) "
                       "to merge under the curated data; the full dataset, slower to build (default: none)")
        p.add_argument("--ontology", type=Path, default=Path("ontology/govkg.ttl"), help="ontology file (default: %(default)s)")
        p.add_argument("--shapes", type=Path, default=Path("shapes"), help="SHACL shapes folder (default: %(default)s)")
        p.add_argument("--queries", type=Path, default=Path("queries"), help="example queries folder (default: %(default)s)")
        p.add_argument("--base", default=DEFAULT_BASE, help="base of every IRI (default: %(default)s)")
        p.add_argument("--cache", type=Path, default=Path(".cache/govkg"),
                       help="keeps parsed YAML files, validation reports and HermiT's verdict by content, so "
                            "what did not change is not done again (default: %(default)s)")
        p.add_argument("--no-cache", action="store_true", help="parse, validate and reason over everything afresh")
        p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")

    p = sub.add_parser("build", help="load, transform, reason, validate and publish into build/",
                       description="Runs every stage and, only if the data conforms, replaces the output folder "
                                   "with the new dumps, ontology, shapes, reports, query results and manifest.")
    common(p)
    p.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: %(default)s)")
    p.set_defaults(run=_cmd_build)

    p = sub.add_parser("validate", help="check the curated data (or an RDF dataset) against the shapes and ontology",
                       description="Without DATASET: loads the curated data, checks it with HermiT and the SHACL "
                                   "shapes, and prints the findings. With DATASET (.nq, .trig, .ttl …): validates "
                                   "that file against the shapes only.")
    common(p)
    p.add_argument("dataset", nargs="?", type=Path, help="an RDF file to validate instead of the curated data")
    p.add_argument("--reference", action="store_true", help="validate with plain pySHACL on every view, without "
                   "the cache, instead of govkg's planned runs (slower; the findings are the same)")
    p.set_defaults(run=_cmd_validate)

    p = sub.add_parser("site", help="write the static site into build/site/ (only what changed)",
                       description="Writes every page of `govkg serve` and the HTML, Turtle and JSON-LD of every "
                                   "resource as files into BUILD/site/, with nginx and Apache rules. Only files whose "
                                   "content changed are written; nothing is done when the build did not change.")
    p.add_argument("--build", type=Path, default=Path("build"), help="the build folder (default: %(default)s)")
    p.set_defaults(run=_cmd_site)

    p = sub.add_parser("serve", help="serve the built graph: dereferenceable IRIs, pages, org charts, SPARQL",
                       description="Serves build/ over HTTP: every IRI under the base at its path (HTML, Turtle, "
                                   "JSON-LD, N-Triples, RDF/XML, TriG, N-Quads by Accept or suffix), org charts, "
                                   "a read-only SPARQL 1.1 endpoint at /sparql, and the dumps. The store is loaded "
                                   "from build/govkg.nq into build/store on first start. Stop it with ^C or SIGTERM.")
    p.add_argument("--build", type=Path, default=Path("build"), help="the build folder (default: %(default)s)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    p.add_argument("--port", type=int, default=8080, help="port (default: %(default)s; 0 picks a free one)")
    p.add_argument("--base", help="base of the IRIs (default: the one the build was made with, from void.ttl)")
    p.add_argument("--workers", type=int, default=2, help="SPARQL worker processes (default: %(default)s)")
    p.add_argument("--query-timeout", type=float, default=10, help="seconds a query may run (default: %(default)s)")
    p.add_argument("--max-results", type=int, default=10000,
                   help="rows or triples a query may return; more are cut (default: %(default)s)")
    p.add_argument("--max-result-bytes", type=int, default=4 << 20,
                   help="bytes of term text a query may return; more are cut (default: %(default)s)")
    p.add_argument("--threads", type=int, default=8, help="threads answering requests (default: %(default)s)")
    p.add_argument("--max-connections", type=int, default=1000,
                   help="open connections at most; more wait (default: %(default)s)")
    p.add_argument("--header-timeout", type=float, default=10,
                   help="seconds a request's headers and body may take to arrive (default: %(default)s)")
    p.add_argument("--idle-timeout", type=int, default=15,
                   help="seconds a connection may stay open with no request (default: %(default)s)")
    p.add_argument("--max-header-bytes", type=int, default=64 * 1024,
                   help="bytes of request line and headers at most; more get 431 (default: %(default)s)")
    p.add_argument("--access-log", metavar="FILE", help="write one JSON line per request to FILE (- for stderr)")
    p.add_argument("-v", "--verbose", action="store_true", help="log every request to stderr (--access-log -)")
    p.set_defaults(run=_cmd_serve)

    p = sub.add_parser("query", help="run a SPARQL query over the graph",
                       description="Runs a SELECT or ASK query (a file or the query text) over the curated data, "
                                   "or over a published dump given with --dataset; named graphs are queried "
                                   "with GRAPH.")
    common(p)
    p.add_argument("query", type=Path, help="a .rq file or the query text")
    p.add_argument("--dataset", type=Path, help="query this RDF file (e.g. build/govkg.nq) instead of the curated data")
    p.add_argument("--format", choices=sorted(_RESULT_FORMATS), default="tsv", help="results format (default: %(default)s)")
    p.set_defaults(run=_cmd_query)

    p = sub.add_parser("import-law", help="derive units, duties and events from a 직제 in a legalize-kr checkout",
                       description="Reads every version of the decree and enforcement rule in kr/<BODY>/ of a "
                                   "legalize-kr checkout (dated by their front matter) and writes the units, duties, "
                                   "events, the sources, a manifest and a parse report to <OUT>/<body key>/. "
                                   "Curated records in --data give the keys of the units they describe.")
    p.add_argument("path", type=Path, help="a legalize-kr checkout (a git work tree with kr/)")
    p.add_argument("--body", default="행정안전부와그소속기관직제", help="the folder under kr/ (default: %(default)s)")
    p.add_argument("--all", action="store_true", help="import every 직제 folder under kr/ (the national graph) and "
                   "write <OUT>/summary.md; folders that hold no 직제 (정부조직법, the 통칙) are skipped")
    p.add_argument("--out", type=Path, default=Path("data/derived"), help="output folder (default: %(default)s)")
    p.add_argument("--data", type=Path, default=Path("data/curated"), help="curated YAML folder, the key registry "
                   "(default: %(default)s)")
    p.set_defaults(run=_cmd_import_law)

    p = sub.add_parser("audit", help="check the law-derived records against the law text",
                       description="Confirms, for every unit, duty and key of a folder written by import-law, what "
                                   "can be confirmed mechanically against the law text of a legalize-kr checkout (the "
                                   "cited item words the duty, the cited provision names the unit, no fact starts "
                                   "before the version that states it takes effect, no key ends the day before "
                                   "another of the same name and rank begins) and prints a sample of facts beside "
                                   "their provisions. Exit code 1 if anything is not confirmed.")
    p.add_argument("path", type=Path, help="the legalize-kr checkout")
    p.add_argument("--body", default="행정안전부와그소속기관직제", help="law folder under kr/ (default: %(default)s)")
    p.add_argument("--derived", type=Path, default=Path("data/derived/행정안전부"),
                   help="the folder import-law wrote (default: %(default)s)")
    p.add_argument("--sample", type=int, default=12, help="facts to print beside their text (default: %(default)s)")
    p.add_argument("--seed", type=int, default=9, help="seed of the sample (default: %(default)s)")
    p.set_defaults(run=_cmd_audit)

    p = sub.add_parser("load", help="load the dataset into a SPARQL 1.1 store over HTTP",
                       description="Puts each graph of the dataset (the default graph and every named graph) into "
                                   "a triple store with the SPARQL 1.1 Graph Store HTTP Protocol, replacing that "
                                   "graph whole (PUT ?default, PUT ?graph=<g>), then checks each graph's triple "
                                   "count with a SPARQL COUNT query. Exit codes: 0 loaded and checked, 1 a count "
                                   "differs, 2 the store refused or could not be reached, or a bad dataset. "
                                   "README 'Loading into a triple store' gives the URLs for Oxigraph, Virtuoso, "
                                   "Fuseki, GraphDB and QLever.")
    p.add_argument("--endpoint", required=True, help="the store's SPARQL query endpoint, for the checks")
    p.add_argument("--graph-store", help="the store's Graph Store endpoint (default: the --endpoint URL)")
    p.add_argument("--dataset", type=Path, default=Path("build/govkg.nq"), help="the dataset (default: %(default)s)")
    p.add_argument("--user", help="user name for the store (HTTP Basic or Digest authentication)")
    p.add_argument("--password", help="password (default: $GOVKG_STORE_PASSWORD)")
    p.add_argument("--default-graph-iri", metavar="IRI",
                   help="put the default graph into this named graph instead, for stores without a writable "
                        "default graph")
    p.add_argument("--dry-run", action="store_true", help="print the graphs, their triple counts and the PUTs; send nothing")
    p.add_argument("--no-verify", action="store_true", help="skip the count checks")
    p.add_argument("--retries", type=int, default=6,
                   help="tries again this often on a transient failure, waiting 0.5s, 1s, 2s … (default: %(default)s)")
    p.add_argument("--timeout", type=float, default=600, help="seconds to wait for the store at a time (default: %(default)s)")
    p.set_defaults(run=_cmd_load)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except DataNotConforming as err:
        print(f"the data does not conform: {err}", file=sys.stderr)
        return EXIT_NOT_CONFORMING


def run() -> None:
    """The ``govkg`` command: ``main``, then the exit. When a command succeeded, has written and
    flushed everything, and no child process, other thread, profiler or tracer (coverage, a
    debugger) is left, the process ends at once, without freeing a dataset of millions of objects
    one by one (a second or more)."""
    code = main()
    if code == EXIT_OK and not multiprocessing.active_children() and threading.active_count() == 1 \
            and sys.getprofile() is None and sys.gettrace() is None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
