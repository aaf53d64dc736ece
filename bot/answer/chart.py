"""PNG pictures of answers (matplotlib, Agg backend, imported only when drawn): papers per year here,
the coauthor network in network.py; both draw through ``drawn_png``."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any


def drawn_png(size: tuple[float, float], draw: Callable[[Any, Any], None]) -> bytes:
    """``draw(figure, axes)`` on a new figure, returned as PNG bytes; the figure is always closed."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=size, dpi=100)
    try:
        draw(fig, ax)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)
    return buffer.getvalue()


def year_rows(counts: Mapping[int, int]) -> list[tuple[int, int]]:
    """Every year from the first to the last, zeros included, so gaps show."""
    if not counts:
        return []
    return [(y, counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)]


def year_chart(counts: Mapping[int, int], title: str = "Papers per year") -> bytes:
    """A PNG bar chart of papers per year."""
    rows = year_rows(counts)

    def draw(fig: Any, ax: Any) -> None:
        ax.bar([str(y) for y, _ in rows], [n for _, n in rows], color="#5865F2")
        ax.set_title(title)
        ax.set_ylabel("papers")
        ax.tick_params(axis="x", labelrotation=45)
        ax.yaxis.get_major_locator().set_params(integer=True)

    return drawn_png((8, 3.5), draw)
