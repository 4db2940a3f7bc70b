"""The one character set of keys: what may become a path segment of a govkg IRI.

A key (of a body, unit, event, programme or grouping) and a source ref, law ID or law number is
one or more segments separated by ``/``. A segment is made of letters, digits and combining marks
(any script, in Unicode NFC) and the characters ``- _ ~ · ㆍ ( )``. Not allowed: ``.`` (so no
``.``/``..`` segments and no ending such as ``.ttl`` that would collide with a representation's
suffix URL), spaces, ``? # % < > " \\`` and other punctuation, control characters, bidi and
zero-width characters (Unicode category Cf), empty segments (a leading, trailing or doubled ``/``),
and more than 200 characters.

>>> key_problem("행정안전부/디지털정부국~2") is None
True
>>> key_problem("행정안전부/../x")
"has '.' (U+002E FULL STOP), which keys do not allow"
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

MAX_KEY = 200
EXTRA = frozenset("-_~·ㆍ()")
RULE = ("a key is segments separated by '/', each of letters, digits and - _ ~ · ㆍ ( ); no '.', "
        "spaces, other punctuation, control, bidi or zero-width characters, at most 200 characters "
        "(docs/curating.md, Keys and identity)")


def _char(ch: str) -> str:
    return f"{ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')})" if ch.isprintable() else \
        f"U+{ord(ch):04X} ({unicodedata.name(ch, 'a control character')})"


def key_problem(key: object) -> str | None:
    """What is wrong with a key, or None when it follows the rule above."""
    if not isinstance(key, str) or not key:
        return "is empty or not text"
    return _text_key_problem(key)


@lru_cache(maxsize=1 << 16)  # every IRI minted checks its key, and keys recur
def _text_key_problem(key: str) -> str | None:
    if len(key) > MAX_KEY:
        return f"is {len(key)} characters long, more than {MAX_KEY}"
    if unicodedata.normalize("NFC", key) != key:
        return "is not in Unicode NFC"
    if any(not segment for segment in key.split("/")):
        return "has an empty segment (a leading, trailing or doubled '/')"
    for ch in key:
        if ch == "/" or ch in EXTRA or unicodedata.category(ch)[0] in "LMN":
            continue
        return f"has {_char(ch)}, which keys do not allow"
    return None


def segment(name: str) -> str:
    """A key segment for a name: spaces dropped, and each character a key does not allow (the
    ``.`` of 국립6.25전쟁납북자기념관) written ``-``; the name itself stays as written, in the label."""
    text = "".join(name.split())
    return "".join(ch if ch in EXTRA or unicodedata.category(ch)[0] in "LMN" else "-" for ch in text)
