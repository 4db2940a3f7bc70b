"""The layout of a body's org chart on a date: the body on top, each of its direct units a column
below, and every column an indented tree of that unit's descendants. ``templates/orgchart.svg``
draws it.

Widths are estimated from the text (Hangul at a full em, other characters at about half), so
the layout needs no font metrics and is the same on every machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Edge:
    d: str             # the path's data


@dataclass(frozen=True)
class Box:
    node: Node
    x: str
    y: str
    width: str
    height: str
    lines: list[tuple[str, str]]  # the English name's lines under a column head: (y, text)
    text_x: str
    text_y: str

    @property
    def about(self) -> str:
        return f"{self.node.en}, {self.node.kind_label}" if self.node.en else self.node.kind_label


@dataclass(frozen=True)
class Chart:
    width: str
    height: str
    title: str
    desc: str
    shapes: list[Edge | Box]  # in painting order


def layout(root: Node, children: dict[str, list[str]], node: Callable[[str], Node], title: str, desc: str) -> Chart:
    """The chart's geometry; ``children`` maps an IRI to its children's IRIs in drawing order."""
    shapes: list[Edge | Box] = []
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
    shapes.append(_box(root, root_x, TOP, root_w, HEAD_ROW, head=True))
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
                shapes.append(Edge(f"M{line_x:.1f} {spine[depth - 1]:.1f}V{mid:.1f}H{bx:.1f}"))
            shapes.append(_box(n, bx, y, width - depth * INDENT, h, head=depth == 0))
            spine[depth] = y + h
            y += h + 4
        height = max(height, y)
        x += width + GAP
    if heads:
        root_mid = root_x + root_w / 2
        shapes.insert(0, Edge(f"M{root_mid:.1f} {TOP + HEAD_ROW}V{bus_y}M{min(heads + [root_mid]):.1f} "
                              f"{bus_y}H{max(heads + [root_mid]):.1f}"
                              + "".join(f"M{h:.1f} {bus_y}V{col_top}" for h in heads)))
    height += TOP
    return Chart(f"{total:.0f}", f"{height:.0f}", title, desc, shapes)


def _box(n: Node, x: float, y: float, w: float, h: float, *, head: bool) -> Box:
    """A unit: a link named by its Korean name (the title) and described in English (the desc)."""
    lines = ([(f"{y + 35 + i * LINE:.1f}", line) for i, line in enumerate(wrap(n.en, w - 2 * PAD))]
             if head and n.en else [])
    return Box(n, f"{x:.1f}", f"{y:.1f}", f"{w:.1f}", f"{h}", lines, f"{x + PAD:.1f}", f"{y + 19:.1f}")
