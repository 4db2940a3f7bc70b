"""Duty matching: which duty of one state continues as which duty of the next.

The rule (also used by the law importer): two duty texts are compared by the Dice coefficient of
their character bigrams, ignoring spaces and punctuation. Pairs are taken greedily, best first,
one-to-one, while the similarity is at least ``THRESHOLD``. An event's overlap score is the share
of the old duties that found a match.

>>> round(similarity("전자정부 정책의 수립 및 조정", "전자정부 정책의 수립ㆍ조정"), 2)
0.82
>>> match(["가나다라마", "바사아자"], ["가나다라", "차카타파"])
[(0, 0, 0.857)]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

THRESHOLD = 0.6
_IGNORED = re.compile(r"[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=1 << 16)
def _bigrams(text: str) -> Counter:
    """The character bigrams of a text, spaces and punctuation left out (not to be changed: cached).

    Matching compares every old duty of a unit with every new one, so each text recurs.
    """
    core = _IGNORED.sub("", text)
    return Counter(core[i:i + 2] for i in range(len(core) - 1)) if len(core) > 1 else Counter({core: 1})


@lru_cache(maxsize=1 << 16)
def _tokens(text: str) -> frozenset[str]:
    """The bigrams of a text as a set, the k-th repeat of a bigram a token of its own (``ab``,
    ``ab\x002`` …; NUL is never part of a bigram): the overlap of two texts' bigram multisets is
    then the size of the intersection of their sets, which Python computes in C."""
    return frozenset(gram if k == 1 else f"{gram}\x00{k}" for gram, n in _bigrams(text).items()
                     for k in range(1, n + 1))


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams (1.0 for equal texts)."""
    x, y = _tokens(a), _tokens(b)
    total = len(x) + len(y)
    return 2 * len(x & y) / total if total else 0.0


def match(old: list[str], new: list[str], threshold: float = THRESHOLD,
          candidates: Iterable[tuple[int, int]] | None = None) -> list[tuple[int, int, float]]:
    """One-to-one pairs (old index, new index, similarity rounded to 3 places) among the candidate
    pairs (default: every pair), taken best first; returned in old-index order."""
    if candidates is None:
        candidates = ((i, j) for i in range(len(old)) for j in range(len(new)))
    old_tokens, new_tokens = [_tokens(text) for text in old], [_tokens(text) for text in new]
    scored = []
    for i, j in candidates:  # similarity() inlined: this loop is the whole cost of matching
        x, y = old_tokens[i], new_tokens[j]
        score = round(2 * len(x & y) / (len(x) + len(y)), 3)  # never 0 / 0: every text has a token
        if score >= threshold:
            scored.append((score, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_old, used_new, pairs = set(), set(), []
    for score, i, j in scored:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j, score))
    return sorted(pairs)
