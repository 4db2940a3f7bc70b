"""Content negotiation: Accept parsing with q-values, and the offered format a client prefers."""

from __future__ import annotations

from ..formats import ALIASES, RESOURCE_FORMATS, Format


class NotAcceptable(Exception):
    """No offered type is acceptable (or the Accept header says nothing we can read)."""


def parse_accept(header: str | None, aliases: dict[str, str] = ALIASES) -> list[tuple[str, float]]:
    """(media range, q) pairs; malformed entries are dropped. A missing header accepts anything."""
    if header is None or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for entry in header.split(","):
        parts = [p.strip() for p in entry.split(";")]
        media = parts[0].lower()
        kind, slash, sub = media.partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*") or any(c in media for c in " \t\"'"):
            continue
        q = 1.0
        try:
            for param in parts[1:]:
                name, _, value = param.partition("=")
                if name.strip().lower() == "q":
                    q = float(value)
                    if not 0 <= q <= 1:
                        raise ValueError(value)
        except ValueError:
            continue
        ranges.append((aliases.get(media, media), q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range that matches ``media`` (0 if none does)."""
    kind = media.split("/")[0]
    best, specificity = 0.0, -1
    for pattern, q in ranges:
        level = 2 if pattern == media else 1 if pattern == f"{kind}/*" else 0 if pattern == "*/*" else -1
        if level > specificity:
            best, specificity = q, level
    return best


def choose(header: str | None, offered: tuple[str, ...], aliases: dict[str, str] = ALIASES) -> str:
    """The offered media type the client prefers; raises NotAcceptable."""
    ranges = parse_accept(header, aliases)
    scored = [(_quality(m, ranges), -i, m) for i, m in enumerate(offered)]
    q, _, media = max(scored)
    if q <= 0:
        raise NotAcceptable(header)
    return media


def choose_format(header: str | None, formats: tuple[Format, ...] = RESOURCE_FORMATS,
                  aliases: dict[str, str] = ALIASES) -> Format:
    media = choose(header, tuple(f.media for f in formats), aliases)
    return next(f for f in formats if f.media == media)
