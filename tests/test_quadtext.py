"""Quads made as N-Quads text and loaded by a thread: the same quads as made term by term, and
errors raised where the quads are made."""

from __future__ import annotations

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, Store

from govkg.quadtext import Quads, date, en, instant, ko, plain, typed

S, P, G = "https://example.org/s", "https://example.org/p", "https://example.org/g"
XSD = "http://www.w3.org/2001/XMLSchema#"
TEXTS = ["행정안전부", 'a "quoted" word', "back\\slash \\n", "two\nlines\r\n", "tab\tand ㆍ", ""]


@pytest.mark.parametrize("chunk", [1, 3, 1000])
def test_literals_and_graphs_load_as_the_terms_they_stand_for(chunk):
    with Quads(chunk=chunk) as quads:
        for n, text in enumerate(TEXTS):
            quads.add(S, P, plain(text))
            quads.add(S, P, ko(text), G)
            quads.add(f"{S}/{n}", P, en(text))
        quads.add(S, P, typed("0.500", XSD + "decimal"))
        quads.add(S, P, date("2020-04-28"), G)
        quads.add(S, P, instant("2020-04-28"))
        quads.add(S, P, f"{S}/행정안전부")
        store = quads.finish()
    s, p, g, d = NamedNode(S), NamedNode(P), NamedNode(G), DefaultGraph()
    expected = {Quad(s, p, Literal(text), d) for text in TEXTS}
    expected |= {Quad(s, p, Literal(text, language="ko"), g) for text in TEXTS}
    expected |= {Quad(NamedNode(f"{S}/{n}"), p, Literal(text, language="en"), d) for n, text in enumerate(TEXTS)}
    expected |= {Quad(s, p, Literal("0.500", datatype=NamedNode(XSD + "decimal")), d),
                 Quad(s, p, Literal("2020-04-28", datatype=NamedNode(XSD + "date")), g),
                 Quad(s, p, Literal("2020-04-28T00:00:00+09:00", datatype=NamedNode(XSD + "dateTime")), d),
                 Quad(s, p, NamedNode(f"{S}/행정안전부"), d)}
    term_by_term = Store()  # a store keeps some literals in canonical form (0.500 as 0.5): compare stores
    term_by_term.extend(expected)
    assert set(store) == set(term_by_term)


def test_a_bad_iri_fails_when_the_store_is_finished():
    quads = Quads(chunk=1000)
    quads.add(S, P, "not an iri")
    with pytest.raises(SyntaxError):
        quads.finish()


def test_a_bad_iri_fails_while_quads_are_still_made():
    with pytest.raises(SyntaxError), Quads(chunk=1) as quads:
        quads.add(S, P, "not an iri")
        for n in range(10_000):  # the loader's error reaches the producer at a later hand-over
            quads.add(S, P, plain(str(n)))
        quads.finish()


def test_an_error_where_quads_are_made_stops_the_loader():
    quads = Quads(chunk=1)
    with pytest.raises(KeyError), quads:
        for n in range(100):
            quads.add(S, P, plain(str(n)))
        raise KeyError("made-up failure")
    assert not quads.lines
