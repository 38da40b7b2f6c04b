"""Grouped bar charts for the speed page: one panel per adapter, one group
of bars per response shape, one bar per variant (floor, corsguard, peer)."""

from __future__ import annotations

from pathlib import Path

# (title, the shapes under the groups, {variant: one height per shape})
Panel = tuple[str, list[str], dict[str, list[float]]]


def bar_panels(panels: list[Panel], path: Path) -> None:
    """Draw ``panels`` one above the other and save them to ``path`` (PNG)."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    figure, axes = plt.subplots(len(panels), 1, figsize=(10, 2.6 * len(panels)), squeeze=False)
    for axis, (title, shapes, series) in zip(axes[:, 0], panels, strict=True):
        width = 0.8 / len(series)
        for index, (label, heights) in enumerate(series.items()):
            axis.bar([x + index * width for x in range(len(shapes))], heights, width, label=label)
        axis.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(shapes))], shapes, fontsize=8)
        axis.set_title(title, fontsize=10)
        axis.axhline(0, color="black", linewidth=0.5)
        axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
