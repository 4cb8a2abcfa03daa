"""Report charts as PNG pictures (matplotlib, drawn off the event loop).

A report sends its chart as a photo under its text summary. The charts are plain and readable on a phone:
horizontal bars in large type with the value at the end of each bar, labels clipped to fit, at most
``MAX_BARS`` categories: a report folds the rest into one «прочие» bar with :func:`fold` where its values add
up (counts and sums), and shows the first ones only where they do not (medians). matplotlib is
imported on first use, so that a bot that never draws a chart does not pay its start-up cost; its bundled
DejaVu Sans font has Cyrillic.
"""

from __future__ import annotations

import asyncio
import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

#: At most this many categories on a chart, so that it reads on a phone (the rest go into «прочие»: see
#: :func:`fold`).
MAX_BARS = 8
LABEL_MAX = 28
TITLE_WIDTH = 48
COLORS = ("#2f6fbf", "#3aa76d", "#d9822b", "#c0392b", "#8e44ad", "#7f8c8d")


T = TypeVar("T")


def fold(
    rows: Sequence[T],
    label: Callable[[T], str],
    values: Sequence[Callable[[T], float]],
    others: Callable[[int], str],
    limit: int = MAX_BARS,
) -> tuple[list[str], list[list[float]]]:
    """A chart's categories: the first rows one by one, the rest summed into one «прочие (N)» category."""
    shown = rows if len(rows) <= limit else rows[: limit - 1]
    rest = rows[len(shown) :]
    labels = [label(row) for row in shown] + ([others(len(rest))] if rest else [])
    series = [
        [value(row) for row in shown] + ([sum(value(row) for row in rest)] if rest else [])
        for value in values
    ]
    return labels, series


@dataclass(frozen=True)
class Series:
    """One set of bars: its legend name and a value per category."""

    name: str
    values: Sequence[float]


def _drawable(text: str) -> str:
    """The text without emoji, which the chart font has no glyphs for."""
    kept = "".join(char for char in text if ord(char) < 0x2190 or 0x2200 <= ord(char) < 0x2300)
    return " ".join(kept.split())


def _clip(label: str) -> str:
    label = _drawable(label)
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def _pyplot() -> Any:
    """pyplot on the Agg backend, imported on first use (see the module docstring)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _whole_ticks() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=6, integer=True)


def draw_bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    value_label: Callable[[float], str] = lambda value: f"{value:g}",
) -> bytes:
    """Horizontal bars, one group per label (top to bottom in the given order), one bar per series."""
    plt = _pyplot()
    labels = [_clip(label) for label in labels[:MAX_BARS]]
    count, width = max(len(series), 1), 0.8 / max(len(series), 1)
    fig, ax = plt.subplots(figsize=(8, 1.6 + 0.6 * max(len(labels), 1) * count**0.5), dpi=110)
    try:
        positions = range(len(labels))
        peak = max((value for one in series for value in one.values[: len(labels)]), default=0.0)
        for index, one in enumerate(series):
            values = list(one.values[: len(labels)])
            offsets = [pos + (index - (count - 1) / 2) * width for pos in positions]
            bars = ax.barh(
                offsets, values, height=width, color=COLORS[index % len(COLORS)], label=_drawable(one.name)
            )
            for bar, value in zip(bars, values, strict=True):
                ax.text(
                    bar.get_width() + peak * 0.01,
                    bar.get_y() + bar.get_height() / 2,
                    value_label(value),
                    va="center",
                    fontsize=11,
                )
        ax.set_yticks(list(positions), labels, fontsize=12)
        ax.tick_params(axis="x", labelsize=10)
        ax.invert_yaxis()
        ax.set_xlim(0, peak * 1.18 if peak > 0 else 1)
        ax.set_title("\n".join(textwrap.wrap(_drawable(title), TITLE_WIDTH)), fontsize=14)
        ax.spines[["top", "right"]].set_visible(False)
        # Tick labels in plain numbers with thousands spaced, never an offset such as «1e7».
        ax.xaxis.set_major_locator(_whole_ticks())
        ax.xaxis.set_major_formatter(lambda value, _pos: f"{value:,.0f}".replace(",", "\u2009"))
        if count > 1:  # under the bars, so that it never covers a value
            ax.legend(fontsize=11, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=count, frameon=False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


async def bars_png(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    value_label: Callable[[float], str] = lambda value: f"{value:g}",
) -> bytes:
    """:func:`draw_bars` in a worker thread: drawing takes tens of milliseconds; the loop goes on."""
    return await asyncio.to_thread(draw_bars, title, labels, series, value_label)
