"""A scenario's turns and endings as a server-rendered SVG (the editor's graph preview).

Pure: layered by distance from the start turn, one row per layer; choices are labelled
with their number and score. Unreachable turns get a row of their own at the bottom.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from trainer.roleplay.scenario_model import Scenario

NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 150, 46, 30, 70, 20


def _edges(spec: Scenario) -> list[tuple[str, str, str]]:
    """(from node, to node, label); node ids are 't:<turn>' and 'e:<ending>'.

    Several choices leading to the same place share one arrow with all their labels.
    """
    labels: dict[tuple[str, str], list[str]] = {}
    for turn in spec.turns.values():
        if turn.kind == "choice":
            for i, choice in enumerate(turn.choices, start=1):
                target = f"t:{choice.next}" if choice.next else f"e:{choice.ending}"
                labels.setdefault((f"t:{turn.key}", target), []).append(f"{i}·{choice.score}")
        else:
            target = f"t:{turn.next}" if turn.next else f"e:{turn.ending}"
            labels.setdefault((f"t:{turn.key}", target), []).append("✎")
    return [(src, dst, " / ".join(parts)) for (src, dst), parts in labels.items()]


def _layers(spec: Scenario, edges) -> list[list[str]]:
    depth: dict[str, int] = {}
    if spec.start in spec.turns:
        depth[f"t:{spec.start}"] = 0
        frontier = [f"t:{spec.start}"]
        while frontier:
            following = []
            for node in frontier:
                for src, dst, _label in edges:
                    if src == node and dst not in depth:
                        depth[dst] = depth[node] + 1
                        following.append(dst)
            frontier = following
    nodes = [f"t:{k}" for k in spec.turns] + [f"e:{k}" for k in spec.endings]
    bottom = max(depth.values(), default=-1) + 1
    layers: dict[int, list[str]] = {}
    for node in nodes:
        layers.setdefault(depth.get(node, bottom), []).append(node)
    return [layers[d] for d in sorted(layers)]


DEFAULT_LABELS = {"choice": "choice", "reply": "typed reply", "good": "good end", "bad": "bad end"}


def scenario_svg(spec: Scenario, labels: dict[str, str] | None = None) -> Markup:
    """The graph as inline SVG; `labels` are the (translated) words for node kinds."""
    labels = {**DEFAULT_LABELS, **(labels or {})}
    edges = _edges(spec)
    layers = _layers(spec, edges)
    width = MARGIN * 2 + max(len(row) for row in layers) * (NODE_W + GAP_X)
    height = MARGIN * 2 + len(layers) * (NODE_H + GAP_Y)
    pos: dict[str, tuple[float, float]] = {}
    for row, nodes in enumerate(layers):
        row_w = len(nodes) * (NODE_W + GAP_X) - GAP_X
        x0 = (width - row_w) / 2
        for col, node in enumerate(nodes):
            pos[node] = (x0 + col * (NODE_W + GAP_X), MARGIN + row * (NODE_H + GAP_Y))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="scenario-graph" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="scenario-graph-title" data-testid="scenario-graph">',
        # the scenario is content in its own language (Chinese); the node kinds are the UI's
        f'<title id="scenario-graph-title" lang="zh-CN">{escape(spec.title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#6c757d"/></marker></defs>',
    ]
    for src, dst, label in edges:
        if src not in pos or dst not in pos:
            continue  # a broken reference; the validator reports it
        (x1, y1), (x2, y2) = pos[src], pos[dst]
        ax, ay = x1 + NODE_W / 2, y1 + NODE_H
        bx, by = x2 + NODE_W / 2, y2
        if by <= ay:  # a loop back up: route it around the side
            bx, by = x2 + NODE_W, y2 + NODE_H / 2
        parts.append(
            f'<path d="M{ax:.0f},{ay:.0f} L{bx:.0f},{by:.0f}" stroke="#6c757d" fill="none" '
            f'marker-end="url(#arrow)"/>'
            f'<text x="{(ax + bx) / 2 + 4:.0f}" y="{(ay + by) / 2:.0f}" font-size="11" '
            f'fill="#495057">{escape(label)}</text>'
        )
    for node, (x, y) in pos.items():
        kind, key = node.split(":", 1)
        if kind == "t":
            turn = spec.turns[key]
            fill = "#cfe2ff" if turn.kind == "choice" else "#fff3cd"
            title = labels["choice" if turn.kind == "choice" else "reply"]
            subtitle = turn.customer[:10]
        else:
            ending = spec.endings[key]
            fill = "#d1e7dd" if ending.outcome == "good" else "#f8d7da"
            title, subtitle = labels[ending.outcome], ""
        stroke = "#0d6efd" if key == spec.start and kind == "t" else "#495057"
        parts.append(
            f'<g data-node="{escape(node)}"><rect x="{x:.0f}" y="{y:.0f}" width="{NODE_W}" '
            f'height="{NODE_H}" rx="8" fill="{fill}" stroke="{stroke}"/>'
            f'<text x="{x + 8:.0f}" y="{y + 18:.0f}" font-size="12" font-weight="600">'
            # the key is the author's handle in the YAML: a code (lang "zxx": no language)
            f'<tspan lang="zxx">{escape(key)}</tspan> · {escape(title)}</text>'
            f'<text x="{x + 8:.0f}" y="{y + 36:.0f}" font-size="11" lang="zh-CN">'
            f"{escape(subtitle)}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
