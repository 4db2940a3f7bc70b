"""The ``govkg`` command.

Exit codes (as pySHACL's): 0 ok, 1 the data does not conform (a core shape is violated or the
ontology and data are inconsistent), 2 usage or input error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pyoxigraph import QueryResultsFormat, RdfFormat, Store, parse

from . import __version__
from . import queries as query_stage
from . import validate as validate_stage
from .errors import DataNotConforming, InputError
from .iris import DEFAULT_BASE, Iris
from .pipeline import Paths, Progress, assemble, build, check, read_ontology, read_shapes

EXIT_OK, EXIT_NOT_CONFORMING, EXIT_INPUT = 0, 1, 2

_RESULT_FORMATS = {"tsv": QueryResultsFormat.TSV, "csv": QueryResultsFormat.CSV,
                   "json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML}


def _paths(args: argparse.Namespace) -> Paths:
    return Paths(args.data, args.ontology, args.shapes, args.queries, getattr(args, "out", Path("build")),
                 None if args.no_cache else args.cache, args.derived)


def _read_dataset(path: Path) -> Store:
    """An RDF file (format from its extension) in a new store; unreadable input is an InputError."""
    store = Store()
    try:
        store.bulk_extend(parse(path=str(path), format=RdfFormat.from_extension(path.suffix[1:])))
    except (SyntaxError, ValueError, OSError) as err:
        raise InputError(path, None, None, f"cannot read the dataset: {err}") from None
    return store


def _cmd_build(args: argparse.Namespace) -> int:
    summary = build(_paths(args), Iris(args.base), Progress(None if args.quiet else sys.stderr))
    print(f"Built {summary['out']}/ in {summary['seconds']:.1f}s")
    print(f"  quads: {summary['quads']}")
    for graph, count in summary["graphs"].items():
        print(f"    {count:>8}  {graph}")
    print(f"  shapes checked: {summary['shapes']}")
    print(f"  violations: {summary['violations']}")
    print(f"  warnings: {summary['warnings']}")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from .server.app import serve  # imported here: the other commands do not need it

    if not (args.build / "govkg.nq").is_file():
        raise InputError(args.build, None, None, "no govkg.nq in the build folder", "run `govkg build` first")
    return serve(args.build, args.host, args.port, args.base, args.workers, args.query_timeout, args.max_results,
                 args.verbose)


def _cmd_validate(args: argparse.Namespace) -> int:
    iris, paths = Iris(args.base), _paths(args)
    progress = Progress(None if args.quiet else sys.stderr)
    if args.dataset:
        result = validate_stage.validate(_read_dataset(args.dataset), shapes=read_shapes(paths.shapes, iris))
    else:
        store, curated = assemble(paths, iris, progress)
        try:
            result = check(store, read_ontology(paths.ontology, iris), paths, iris, progress, curated)
        except DataNotConforming as err:
            print(err, file=sys.stderr)
            return EXIT_NOT_CONFORMING
    print(validate_stage.summary_text(result))
    return EXIT_OK if result.conforms else EXIT_NOT_CONFORMING


def _cmd_query(args: argparse.Namespace) -> int:
    text = args.query.read_text(encoding="utf-8") if args.query.exists() else str(args.query)
    if args.dataset:
        store = _read_dataset(args.dataset)
    else:
        store, _ = assemble(_paths(args), Iris(args.base), Progress(None))
    try:
        sys.stdout.buffer.write(query_stage.run(store, text, _RESULT_FORMATS[args.format]))
    except (SyntaxError, ValueError) as err:
        raise InputError(args.query if args.query.exists() else "<query>", None, None, f"query failed: {err}") from None
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
    from .lawimport.importer import import_folder  # imported here: the other commands do not need it

    summary = import_folder(args.path, args.body, args.out, args.data)
    print(f"Wrote {summary.folder}/: {', '.join(summary.files)}")
    for body in summary.bodies:
        print(f"  {body.body} ({body.start} – {body.until or ''}): {body.states} states, {body.snapshots} snapshots, "
              f"{body.units} units, {body.duties} duties, {body.events} events; unit-establishing paragraphs "
              f"understood {body.establishing_understood}/{body.establishing}, duty items given to a unit "
              f"{body.duty_items_placed}/{body.duty_items}")
    return EXIT_OK


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
                       help="keeps each validation view's report by content, so unchanged views are not "
                            "validated again (default: %(default)s)")
        p.add_argument("--no-cache", action="store_true", help="validate every view afresh")
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
    p.set_defaults(run=_cmd_validate)

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
    p.add_argument("-v", "--verbose", action="store_true", help="log every request")
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


if __name__ == "__main__":
    sys.exit(main())
