"""The report link's percent-encoding is urllib's, for any text (its subject and body hold
Korean, IRIs and newlines)."""

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from govkg.web.feedback import _quote


@given(st.text())
def test_quote_equals_urllib(text):
    assert _quote(text) == quote(text)
