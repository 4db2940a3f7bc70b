"""What a SPARQL query may be, decided from the text before it runs: no deeper nesting than
``MAX_DEPTH`` (a cheap scan, so that no parser recurses into a stack overflow), and no SERVICE
(federated query: the engine would fetch from any address it can reach), found by parsing the
query with rdflib's SPARQL 1.1 parser and walking its syntax tree, so that escapes, comments or
spacing cannot hide it. A query rdflib cannot parse is refused too: it is not SPARQL 1.1.
"""

from __future__ import annotations

import re

MAX_DEPTH = 32
MAX_LENGTH = 256 * 1024
_SKIP = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*', re.S)
_OPEN, _CLOSE = set("{(["), set("})]")


def depth(text: str) -> int:
    """The deepest nesting of braces, parentheses and brackets outside strings, IRIs and comments."""
    deepest = level = 0
    for ch in _SKIP.sub(" ", text):
        if ch in _OPEN:
            level += 1
            deepest = max(deepest, level)
        elif ch in _CLOSE:
            level -= 1
    return deepest


def problem(text: str) -> str | None:
    """Why the query is refused, or None. The message never quotes the query."""
    if len(text) > MAX_LENGTH:
        return f"the query is longer than {MAX_LENGTH} characters"
    if "\x00" in text:
        return "the query has a NUL character"
    if depth(text) > MAX_DEPTH:
        return f"the query is nested more than {MAX_DEPTH} deep"
    from rdflib.plugins.sparql.parser import parseQuery  # here: only query checks need it

    try:
        tree = parseQuery(text)
    except RecursionError:
        return "the query is nested too deeply to parse"
    except Exception as err:  # pyparsing's ParseException and whatever else rdflib raises on odd input
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        return f"the query is not SPARQL 1.1 ({first[:200]})"
    if _has_service(tree):
        return "SERVICE is disabled (no federated queries): only the govkg graph is queried"
    return None


def _has_service(tree) -> bool:
    stack, seen = [tree], 0
    while stack:
        node = stack.pop()
        seen += 1
        if getattr(node, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)
    return False
