"""Who works with whom: the coauthor graph of some records, cut to what one picture can show, as PNG.

People are nodes sized by their paper count among the records; an edge joins two people who share
papers and is as heavy as the papers they share. A picture stays readable only up to a few dozen
people and their strongest ties, so ``plan_network`` keeps the people with the most papers (the
person in focus always), then the heaviest edges among them, and says what it cut. The drawing
(networkx layout, drawn through chart.drawn_png) only lays the plan out: tests check the plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from bot.names import name_key
from bot.records import Paper

from .chart import drawn_png

MAX_PEOPLE = 40  # nodes drawn; more overlap into an unreadable ball at this picture size
MAX_EDGES = 120  # edges drawn, heaviest first
MAX_LABELS = 15  # names written next to their node, most papers first


@dataclass(frozen=True, slots=True)
class NetworkPlan:
    """The part of a coauthor graph that one picture shows, and what was left out."""

    people: dict[str, int]  # display name -> papers among the records, drawn ones only, most first
    edges: list[tuple[str, str, int]]  # (person, person, shared papers), heaviest first
    labelled: list[str]  # names written on the picture
    center: str | None  # the person in focus, if any
    people_total: int  # people among the records (before the cut)
    edges_total: int  # pairs with a shared paper (before the cut)
    apart: int = 0  # people with no chain of shared papers to the center (or to the busiest person): not drawn

    @property
    def people_cut(self) -> int:
        return self.people_total - len(self.people)

    @property
    def edges_cut(self) -> int:
        return self.edges_total - len(self.edges)


def plan_network(
    papers: Iterable[Paper],
    center: str | None = None,
    max_people: int = MAX_PEOPLE,
    max_edges: int = MAX_EDGES,
    max_labels: int = MAX_LABELS,
) -> NetworkPlan:
    """The coauthor graph of ``papers`` (an answer's records: a person's, a topic's, a profile's), cut to
    ``max_people`` people and ``max_edges`` edges. ``center``, the person in focus, is always kept and
    drawn in another colour."""
    focus = name_key(center) if center else None
    display: dict[str, str] = {}
    counts: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for paper in papers:
        keys = []
        for name in paper.authors:
            key = name_key(name)
            if key and key not in keys:
                keys.append(key)
                display.setdefault(key, name)
        counts.update(keys)
        pairs.update(tuple(sorted(pair)) for pair in combinations(keys, 2))  # type: ignore[misc]
    joined = _component(pairs, focus if focus in counts else max(counts, key=lambda k: (counts[k], k), default=None))
    ranked = sorted(joined, key=lambda k: (k != focus, -counts[k], display[k]))
    kept = set(ranked[:max_people])
    edges = sorted(
        ((a, b, n) for (a, b), n in pairs.items() if a in kept and b in kept), key=lambda e: (-e[2], display[e[0]], display[e[1]])
    )
    people = {display[k]: counts[k] for k in ranked[:max_people]}
    labelled = [display[k] for k in ranked[:max_labels]]
    return NetworkPlan(
        people=people,
        edges=[(display[a], display[b], n) for a, b, n in edges[:max_edges]],
        labelled=labelled,
        center=display.get(focus) if focus else None,
        people_total=len(counts),
        edges_total=len(pairs),
        apart=len(counts) - len(joined),
    )


def _component(pairs: Counter[tuple[str, str]], start: str | None) -> set[str]:
    """The people linked to ``start`` through shared papers (itself included): one connected picture,
    instead of islands that a layout flings to the corners."""
    if start is None:
        return set()
    links: dict[str, list[str]] = {}
    for a, b in pairs:
        links.setdefault(a, []).append(b)
        links.setdefault(b, []).append(a)
    seen, todo = {start}, [start]
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def draw_network(plan: NetworkPlan, title: str) -> bytes:
    """A PNG of the plan: node area by papers, edge width by shared papers, the top names labelled."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(plan.people)
    graph.add_weighted_edges_from(plan.edges)
    layout = nx.spring_layout(graph, weight="weight", seed=7, k=2.5 / max(len(graph), 1) ** 0.5, iterations=300)
    most = max(plan.people.values(), default=1)
    heaviest = max((w for _, _, w in plan.edges), default=1)

    def draw(fig: Any, ax: Any) -> None:
        widths = [0.5 + 3.5 * graph.edges[e]["weight"] / heaviest for e in graph.edges]
        nx.draw_networkx_edges(graph, layout, ax=ax, width=widths, edge_color="#99AAB5", alpha=0.7)
        sizes = [80 + 900 * plan.people[n] / most for n in graph.nodes]
        colours = ["#ED4245" if n == plan.center else "#5865F2" for n in graph.nodes]
        nx.draw_networkx_nodes(graph, layout, ax=ax, node_size=sizes, node_color=colours, alpha=0.9)
        labels = {n: n for n in plan.labelled if n in graph}
        box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 1}
        nx.draw_networkx_labels(graph, layout, labels=labels, ax=ax, font_size=8, verticalalignment="bottom", bbox=box)
        ax.set_title(title)
        ax.set_axis_off()
        note = network_note(plan)
        if note:
            fig.text(0.01, 0.01, note, fontsize=8, color="#555555")

    return drawn_png((9, 7), draw)


def network_note(plan: NetworkPlan) -> str:
    """What the picture shows when it cannot show everything, in words ("" when it shows everything)."""
    shown = []
    if plan.people_cut - plan.apart > 0:
        shown.append(f"{len(plan.people)} of {plan.people_total - plan.apart} linked people (most papers first)")
    if plan.edges_cut:
        shown.append(f"{len(plan.edges)} of {plan.edges_total} ties (most shared papers first)")
    text = " and ".join(shown)
    if plan.apart:
        apart = f"{plan.apart} {'person' if plan.apart == 1 else 'people'} with no shared paper linking them to the rest left out"
        text = f"{text}; {apart}" if text else apart
    return text
