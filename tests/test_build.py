"""The published build: files, manifest, determinism, atomicity, and the same triples in every format."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, RdfFormat, Store, parse
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from govkg.cli import main
from govkg.iris import Iris
from govkg.server.site import build_site
from govkg.pipeline import Progress, build

from .conftest import ROOT, project_paths

EXPECTED_FILES = [
    "govkg.nq", "govkg.trig", "govkg.ttl", "govkg.jsonld", "context.jsonld",
    "ontology/govkg.ttl", "ontology/govkg.owl", "ontology/govkg.jsonld",
    "shapes/core.ttl", "shapes/recommended.ttl", "void.ttl",
    "reports/validation.ttl", "reports/validation.txt", "manifest.json",
]


def test_every_output_is_there(built):
    for name in EXPECTED_FILES:
        assert (built / name).is_file(), name
    examples = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert sorted(p.stem for p in (built / "queries").glob("*.rq")) == examples
    assert sorted(p.stem for p in (built / "queries").glob("*.tsv")) == examples


def test_manifest_has_the_sha256_of_every_file(built):
    """Every release file; the static site (written by `govkg site`) is not part of the release."""
    manifest = json.loads((built / "manifest.json").read_text())
    files = {p.relative_to(built).as_posix() for p in built.rglob("*")
             if p.is_file() and not p.relative_to(built).as_posix().startswith("site/")} - {"manifest.json"}
    assert set(manifest["files"]) == files
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == digest


def test_two_builds_are_byte_identical(built, tmp_path):
    """The second build reuses the first one's validation cache: cached reports must publish the same bytes."""
    again = tmp_path / "build"
    cache = built.parent / "cache"
    reports = sorted((cache / "validation").glob("*.nt"))
    verdicts = sorted((cache / "reasoning").glob("*.json"))
    assert reports and verdicts
    build(project_paths(again, cache=cache), Iris(), Progress(None))
    assert sorted((cache / "validation").glob("*.nt")) == reports  # every view's report came from the cache
    assert sorted((cache / "reasoning").glob("*.json")) == verdicts  # and HermiT's verdict
    build_site(again)
    first = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def _store(path: Path) -> Store:
    store = Store()
    store.bulk_extend(parse(path=str(path), format=RdfFormat.from_extension(path.suffix[1:])))
    return store


def test_nquads_and_trig_hold_the_same_dataset(built):
    nq, trig = Dataset(), Dataset()
    nq.parse(built / "govkg.nq", format="nquads")
    trig.parse(built / "govkg.trig", format="trig")
    graphs = lambda d: {str(g.identifier): g for g in d.graphs() if len(g)}  # noqa: E731
    a, b = graphs(nq), graphs(trig)
    assert a.keys() == b.keys() and len(a) >= 3
    for name in a:
        assert isomorphic(a[name], b[name]), name


def test_trig_has_no_graph_keyword(built):
    text = (built / "govkg.trig").read_text()
    assert "GRAPH" not in text and "{" in text


def test_turtle_and_jsonld_equal_the_default_graph(built):
    default = Graph()
    default.parse(data=_default_ntriples(built), format="nt")
    turtle = Graph().parse(built / "govkg.ttl", format="turtle")
    assert isomorphic(default, turtle)
    doc = json.loads((built / "govkg.jsonld").read_text())
    assert doc["@context"] == "https://w3id.org/govkg/context.jsonld"
    doc["@context"] = json.loads((built / "context.jsonld").read_text())["@context"]  # no network here
    jsonld = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert isomorphic(default, jsonld)


def _default_ntriples(built: Path) -> str:
    store = _store(built / "govkg.nq")
    return store.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph()).decode()


def test_ontology_formats_agree(built):
    ttl = Graph().parse(built / "ontology/govkg.ttl", format="turtle")
    owl = Graph().parse(built / "ontology/govkg.owl", format="xml")
    doc = json.loads((built / "ontology/govkg.jsonld").read_text())
    doc["@context"] = json.loads((built / "context.jsonld").read_text())["@context"]
    jsonld = Graph().parse(data=json.dumps(doc), format="json-ld")
    source = Graph().parse(ROOT / "ontology/govkg.ttl", format="turtle")
    assert isomorphic(ttl, source) and isomorphic(owl, source) and isomorphic(jsonld, source)


def test_pyoxigraph_and_rdflib_read_the_dump_alike(built):
    """pyoxigraph is the fast path; rdflib the reference: both must see the same quads."""
    oxi = {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in _store(built / "govkg.nq")}
    ref = Dataset()
    ref.parse(built / "govkg.nq", format="nquads")
    assert len(oxi) == sum(1 for _ in ref.quads((None, None, None, None)))


def test_void_describes_counts_files_and_examples(built):
    void = _store(built / "void.ttl")
    dataset = "https://w3id.org/govkg/dataset"
    ask = lambda q: bool(void.query(q))  # noqa: E731
    total = len(_store(built / "govkg.nq"))
    assert ask(f'ASK {{ <{dataset}> <http://rdfs.org/ns/void#triples> {total} }}')
    assert ask(f'ASK {{ <{dataset}> <http://purl.org/dc/terms/license> ?l ; <http://www.w3.org/ns/dcat#version> ?v }}')
    dists = void.query(f'SELECT ?d WHERE {{ <{dataset}> <http://www.w3.org/ns/dcat#distribution> ?d . '
                       f'?d <http://www.w3.org/ns/dcat#mediaType> ?m }}')
    assert len(list(dists)) == 4
    assert len(list(void.query(f'SELECT ?q WHERE {{ <{dataset}> <http://purl.org/dc/terms/relation> ?q }}'))) \
        == len(list((ROOT / "queries").glob("*.rq")))


def test_a_violation_exits_1_and_leaves_build_intact(tmp_path, curated_copy, capsys):
    out = tmp_path / "build"
    out.mkdir()
    (out / "govkg.nq").write_text("last good output\n")
    (out / ".govkg-build").write_text("")  # as an earlier build left it
    events = curated_copy / "mois-2020/events.yaml"
    # a merger with one original unit breaks the event-arity shape
    events.write_text(events.read_text().replace(
        "from: [행정안전부/전자정부국/정보화사업성과관리과, 행정안전부/전자정부국/정보자원정책과]",
        "from: [행정안전부/전자정부국/정보화사업성과관리과]"))
    code = main(["build", "-q", "--data", str(curated_copy), "--out", str(out),
                 "--ontology", str(ROOT / "ontology/govkg.ttl"), "--shapes", str(ROOT / "shapes"),
                 "--queries", str(ROOT / "queries")])
    assert code == 1
    assert "Merger" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == [".govkg-build", "govkg.nq"]
    assert not list(tmp_path.glob(".build.tmp-*"))


def test_help_of_every_command(capsys):
    for argv in (["--help"], ["build", "--help"], ["validate", "--help"], ["query", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 0
        assert "usage: govkg" in capsys.readouterr().out


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_validate_and_query_commands(built, capsys):
    assert main(["validate", "-q", "--data", str(ROOT / "data/curated"), "--ontology", str(ROOT / "ontology/govkg.ttl"),
                 "--shapes", str(ROOT / "shapes")]) == 0
    assert "conforms: yes" in capsys.readouterr().out
    assert main(["validate", "-q", "--shapes", str(ROOT / "shapes"), str(built / "govkg.nq")]) == 0
    capsys.readouterr()
    assert main(["query", "--dataset", str(built / "govkg.nq"), "--format", "csv",
                 "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "n"
    assert main(["query", "--dataset", str(built / "govkg.nq"), "SELECT WHERE {"]) == 2
