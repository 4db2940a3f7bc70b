"""What a SPARQL query may be, decided from the text before it runs: at most ``MAX_LENGTH``
characters, no deeper nesting than ``MAX_DEPTH`` and no run of more than ``MAX_PREFIX`` prefix
operators (``!``, ``^``, ``+``, ``-``) — cheap scans, so that no parser recurses into a stack
overflow — and no SERVICE (federated query: the engine would fetch from any address it can
reach), found by parsing the query with rdflib's SPARQL 1.1 parser and walking its syntax tree,
so that escapes, comments or spacing cannot hide it. A query rdflib cannot parse is refused too.

pyoxigraph's parser and evaluator recurse once per operand of a long chain (``1+1+1…``,
``a/b/c…``, ``{} UNION {} …``, a long collection or object list): with a thread's usual 8 MiB of
stack about 7 000 operands end the process with SIGSEGV. ``deep_stack`` runs a function in a
thread with ``STACK`` bytes of stack, enough for any chain a query of ``MAX_LENGTH`` characters
can write (about 1.2 KiB of stack per operand, at most one operand per two characters).
"""

from __future__ import annotations

import re
import threading

MAX_DEPTH = 32
MAX_PREFIX = 32
MAX_LENGTH = 64 * 1024
STACK = 256 << 20
_SKIP = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n\r]*', re.S)
_OPEN, _CLOSE = set("{(["), set("})]")
_PREFIXES = re.compile(rf"(?:[!^+\-]\s*){{{MAX_PREFIX + 1},}}")


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
    if _PREFIXES.search(_SKIP.sub(" ", text)):
        return f"the query has a run of more than {MAX_PREFIX} operators (! ^ + -)"
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


def deep_stack(function, *args):
    """``function(*args)`` in a thread with STACK bytes of stack (see above); its exception, if any,
    is raised here."""
    result: dict = {}

    def run() -> None:
        try:
            result["value"] = function(*args)
        except BaseException as err:  # handed to the caller
            result["error"] = err

    previous = threading.stack_size(STACK)
    try:
        thread = threading.Thread(target=run, name="govkg-deep-stack", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]
