"""The static site renders each resource's page once for both languages (web/bilingual.py): the
pages it fills in are byte for byte those a rendering in each language makes, for every resource
of the curated build; and what the filling cannot read makes it render once per language."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, Store

from govkg import i18n
from govkg.formats import HTML, file_name
from govkg.iris import Iris
from govkg.web import bilingual, pages, retired, site
from govkg.web.model import Model, base_of


def _model(build) -> Model:
    store = Store()
    store.bulk_load(path=str(build / "govkg.nq"), format=RdfFormat.N_QUADS)
    return Model.from_build(store, build, Iris(base_of(build)))


@pytest.fixture(scope="module")
def model(built) -> Model:
    return _model(built)


def test_one_rendering_gives_the_page_of_each_language(model):
    once = 0
    for iri in model.resources():
        path = model.local(iri)
        if retired.replacement(model, iri) or path in ("dataset",):
            continue
        apart = [(name, pages.resource_page(page, iri)) for name, page in site._variants(model, path, file_name(path, HTML))]
        with bilingual.rendering():
            try:
                both = pages.resource_page(pages.Page(model, path, static=True, lang=bilingual.LANG,
                                                      switch=bilingual.chosen({"ko": "x.en.html", "en": "x.html"})), iri)
                once += 1
            except bilingual.Unfilled:  # the pages that read their language themselves
                assert model.is_a(iri, "NationalSnapshot") or iri in (model.iris.vocab, model.void_dataset()), iri
        assert _once(model, path, lambda p: pages.resource_page(p, iri)) == apart, iri
        if once == 1:
            assert bilingual.START in both and f'<html lang="{bilingual.LANG}">' in both
    assert once > 1000  # units, duties, events, sources, snapshots, terms: nearly every page


def _once(model: Model, path: str, render) -> list[tuple[str, str]]:
    return site._in_each_language(model, path, file_name(path, HTML), render, True)


def test_org_charts_and_comparisons_too(model):
    assert any(len(snaps) > 1 for snaps in model.snapshots.values())  # charts and comparisons to check
    for body, snaps in model.snapshots.items():
        key = model.iris.key(body)
        charts = [(f"orgchart/{key}/{a.date}", lambda p, a=a: pages.orgchart_page(p, key, a.date)) for a in snaps]
        compared = [(f"compare/{key}/{a.date}/{b.date}", lambda p, a=a, b=b: pages.compare_page(p, key, a.date, b.date))
                    for a, b in zip(snaps, snaps[1:])]
        for path, render in [(f"orgchart/{key}", lambda p: pages.orgchart_page(p, key, None)), *charts, *compared]:
            apart = [(name, render(page)) for name, page in site._variants(model, path, path + ".html")]
            with bilingual.rendering():
                both = render(pages.Page(model, path, static=True, lang=bilingual.LANG))
                assert bilingual.START in both
            assert site._in_each_language(model, path, path + ".html", render, True) == apart, path


def test_what_is_no_placeholder_is_refused():
    with bilingual.rendering():
        text = bilingual.Both()("present") + " and \x02 from the data"
        with pytest.raises(bilingual.Unfilled):
            bilingual.fill(text, "ko", lambda local, lang: local)
        assert bilingual.fill(bilingual.Both()("present"), "en", lambda local, lang: local) == i18n.text("en", "present")
    with pytest.raises(RuntimeError):  # an entry made outside a rendering would be read by no page
        bilingual.Both()("more", n=3)


def test_a_label_with_a_control_character_falls_back(built):
    """A name holding \\x02 (which YAML can carry) cannot be told from a placeholder: that page is
    rendered once per language, and is the same as then."""
    model = _model(built)  # its own: the fixture's has the name's markup kept already
    unit = next(iri for iri in model.resources() if "/id/org/" in iri)
    model.labels[unit][pages.SKOS + "prefLabel"]["ko"] += "\x02vlang\x03\x02"
    path = model.local(unit)
    with bilingual.rendering(), pytest.raises(bilingual.Unfilled):
        bilingual.fill(pages.resource_page(pages.Page(model, path, static=True, lang=bilingual.LANG), unit), "ko",
                       lambda local, lang: local)
    apart = [(name, pages.resource_page(page, unit)) for name, page in site._variants(model, path, file_name(path, HTML))]
    assert "\x02" in apart[0][1]
    assert _once(model, path, lambda p: pages.resource_page(p, unit)) == apart


@pytest.mark.parametrize("written", [b"\x02", b"\\u0002", b"\\U00000002"])
def test_data_holding_the_placeholder_start_is_found(tmp_path, written):
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology/govkg.ttl").write_bytes(b"")
    (tmp_path / "void.ttl").write_bytes(b"")
    (tmp_path / "govkg.nq").write_bytes(b"<a:s> <a:p> \"x" * (1 << 22) + written + b"\" .\n")  # past the first chunk
    assert site._holds_start(tmp_path)
    (tmp_path / "govkg.nq").write_bytes(b"<a:s> <a:p> \"\\u0003\" .\n")
    assert not site._holds_start(tmp_path)
