"""The report link's percent-encoding is urllib's, for any text (its subject and body hold
Korean, IRIs and newlines), and quoting a message piece by piece gives the quoted message."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govkg import i18n
from govkg.web.feedback import _quote, _quoted


@given(st.text())
def test_quote_equals_urllib(text):
    assert _quote(text) == quote(text)


@pytest.mark.parametrize("lang", i18n.LANGS)
@given(iri=st.text(), sources=st.text())
def test_quoted_message_equals_the_message_quoted(lang, iri, sources):
    assert _quoted(lang, "report.subject", iri=quote(iri)) == quote(i18n.text(lang, "report.subject", iri=iri))
    assert _quoted(lang, "report.body", iri=quote(iri), sources=quote(sources)) == quote(
        i18n.text(lang, "report.body", iri=iri, sources=sources))
