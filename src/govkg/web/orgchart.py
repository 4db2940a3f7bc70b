"""The org chart of a body on a date as SVG: the body on top, each of its direct units a column
below, and every column an indented tree of that unit's descendants.

Widths are estimated from the text (Hangul at a full em, other characters at about half), so
the layout needs no font metrics and is the same on every machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

FONT, SMALL = 14, 11
ROW, HEAD_ROW, LINE, INDENT, GAP, PAD, TOP = 30, 44, 13, 18, 16, 10, 12
EN_WIDTH = 170  # English names of column heads wrap at this width


@dataclass(frozen=True)
class Node:
    iri: str
    ko: str
    en: str | None
    kind: str          # a short class name, e.g. "Bureau"
    kind_label: str    # its English label, e.g. "bureau"
    href: str


def text_width(text: str, size: int = FONT) -> float:
    return sum(size if ord(c) >= 0x1100 else size * 0.6 for c in text)


def wrap(text: str, width: float, size: int = SMALL) -> list[str]:
    """Words into lines no wider than ``width`` (a longer word gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def head_height(n: Node, width: float) -> int:
    return HEAD_ROW + (len(wrap(n.en, width - 2 * PAD)) - 1) * LINE if n.en else HEAD_ROW


def render(root: Node, children: dict[str, list[str]], node: Callable[[str], Node], title: str, desc: str) -> str:
    """SVG markup; ``children`` maps an IRI to its children's IRIs in drawing order."""
    parts: list[str] = []
    columns = []
    for head in children.get(root.iri, []):
        rows: list[tuple[int, Node]] = []

        def walk(iri: str, depth: int, seen: frozenset = frozenset()) -> None:
            rows.append((depth, node(iri)))
            for kid in children.get(iri, []):
                if kid not in seen:
                    walk(kid, depth + 1, seen | {iri})
        walk(head, 0)
        width = max(max(text_width(n.ko) + depth * INDENT for depth, n in rows),
                    min(text_width(rows[0][1].en or "", SMALL), EN_WIDTH)) + 2 * PAD
        columns.append((rows, width))

    root_w = max(text_width(root.ko), text_width(root.en or "", SMALL)) + 2 * PAD
    total = max(sum(w for _, w in columns) + GAP * (len(columns) + 1), root_w + 2 * GAP)
    root_x = (total - root_w) / 2
    parts.append(_box(root, root_x, TOP, root_w, HEAD_ROW, head=True))
    bus_y = TOP + HEAD_ROW + 18
    col_top = bus_y + 18
    height = col_top + HEAD_ROW
    x = GAP
    heads = []
    for rows, width in columns:
        heads.append(x + width / 2)
        y = col_top
        spine: dict[int, float] = {}
        for depth, n in rows:
            h = head_height(n, width) if depth == 0 else ROW - 4
            bx = x + depth * INDENT
            if depth > 0:
                line_x = x + (depth - 1) * INDENT + 8
                mid = y + h / 2
                parts.append(f'<path class="edge" d="M{line_x:.1f} {spine[depth - 1]:.1f}V{mid:.1f}H{bx:.1f}"/>')
            parts.append(_box(n, bx, y, width - depth * INDENT, h, head=depth == 0))
            spine[depth] = y + h
            y += h + 4
        height = max(height, y)
        x += width + GAP
    if heads:
        root_mid = root_x + root_w / 2
        parts.insert(0, f'<path class="edge" d="M{root_mid:.1f} {TOP + HEAD_ROW}V{bus_y}M{min(heads + [root_mid]):.1f} '
                        f'{bus_y}H{max(heads + [root_mid]):.1f}'
                        + "".join(f"M{h:.1f} {bus_y}V{col_top}" for h in heads) + '"/>')
    height += TOP
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="orgchart" role="group" width="{total:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {total:.0f} {height:.0f}" aria-labelledby="chart-title" '
            f'aria-describedby="chart-desc"><title id="chart-title" lang="en">{escape(title)}</title>'
            f'<desc id="chart-desc" lang="en">{escape(desc)}</desc>' + "".join(parts) + "</svg>")


def _box(n: Node, x: float, y: float, w: float, h: float, *, head: bool) -> str:
    """A unit: a link named by its Korean name (the title) and described in English (the desc)."""
    about = f"{n.en}, {n.kind_label}" if n.en else n.kind_label
    text = (f'<text x="{x + PAD:.1f}" y="{y + 19:.1f}" lang="ko">{escape(n.ko)}</text>')
    if head and n.en:
        text += "".join(f'<text class="en" x="{x + PAD:.1f}" y="{y + 35 + i * LINE:.1f}" lang="en">{escape(line)}</text>'
                        for i, line in enumerate(wrap(n.en, w - 2 * PAD)))
    return (f'<a href="{escape(n.href)}"><title lang="ko">{escape(n.ko)}</title><desc lang="en">{escape(about)}</desc>'
            f'<rect class="k-{escape(n.kind)}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h}" rx="4"/>'
            f'{text}</a>')
