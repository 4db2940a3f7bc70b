"""fact_list() makes the same <dl> as the facts and fact macros of _macros.html, which the
pages other than the source pages use: same bytes for every mix of empty, blank, plain and
markup values."""

import pytest
from markupsafe import Markup

from govkg.web.pages import ENV, fact_list

CASES = {
    "none": [],
    "all empty": [("a", ""), ("b", Markup(""))],
    "blank is empty": [("a", "  \n "), ("b", "x")],
    "plain escaped": [("kind", "a < b & c"), ("id", "제1조")],
    "markup kept": [("part", Markup('<a href="x">law</a>')), ("when", Markup('<time datetime="2020">2020</time>'))],
    "trimmed": [("a", Markup("  <ul><li>x</li></ul>\n")), ("b", "")],
    "term escaped": [("<term>", "v")],
}


def _by_macros(facts: list) -> str:
    calls = "".join(f"  {{% call fact(terms[{n}]) %}}{{{{ values[{n}] }}}}{{% endcall %}}\n" for n in range(len(facts)))
    template = ENV.from_string('{% from "_macros.html" import facts, fact %}{% call facts() %}\n' + calls
                               + "{% endcall %}\n")
    return template.render(terms=[t for t, _ in facts], values=[v for _, v in facts])


@pytest.mark.parametrize("case", sorted(CASES))
def test_fact_list_equals_the_macros(case):
    facts = CASES[case]
    assert str(fact_list(facts)) == _by_macros(facts)


SECTION_BODIES = {"empty": "", "blank": "\n  \n", "list": "<ul><li>{{ x }}</li></ul>\n", "escaped": "{{ x }}"}


@pytest.mark.parametrize("body", sorted(SECTION_BODIES))
def test_section_html_in_a_set_block_equals_the_section_macro(body):
    """The most made pages call section_html on a {% set %} block; the others the section macro."""
    content = SECTION_BODIES[body]
    by_macro = ENV.from_string('{% from "_macros.html" import section %}{% call section(title) %}\n'
                               + content + "{% endcall %}\nafter")
    by_call = ENV.from_string("{% set content %}\n" + content + "{% endset %}\n{{ section_html(title, content) -}}\nafter")
    values = {"title": "부서 <목록> (2)", "x": "a < b"}
    assert by_call.render(**values) == by_macro.render(**values)
