"""Papers-per-year bar chart as PNG bytes (matplotlib, Agg backend, imported only when drawn)."""

from __future__ import annotations

import io
from collections.abc import Mapping


def year_rows(counts: Mapping[int, int]) -> list[tuple[int, int]]:
    """Every year from the first to the last, zeros included, so gaps show."""
    if not counts:
        return []
    return [(y, counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)]


def year_chart(counts: Mapping[int, int], title: str = "Papers per year") -> bytes:
    """A PNG bar chart of papers per year."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    rows = year_rows(counts)
    fig, ax = plt.subplots(figsize=(8, 3.5), dpi=100)
    try:
        ax.bar([str(y) for y, _ in rows], [n for _, n in rows], color="#5865F2")
        ax.set_title(title)
        ax.set_ylabel("papers")
        ax.tick_params(axis="x", labelrotation=45)
        ax.yaxis.get_major_locator().set_params(integer=True)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)
    return buffer.getvalue()
