"""Order statistics for the reports: the median and the percentiles of a list of figures (days in a stage).

A percentile interpolates linearly between the two closest ranks, as PostgreSQL's ``percentile_cont`` and
NumPy's default do, so a figure computed here and one computed by the database agree exactly.
"""

from __future__ import annotations

from collections.abc import Sequence


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` (0–1) percentile of ``values``; ``None`` for no values.

    With the values sorted, the rank is ``fraction × (n − 1)``; a rank between two values takes the point
    between them in proportion (the 90th percentile of 1..10 is 9.1).
    """
    if not 0 <= fraction <= 1:
        raise ValueError("a percentile is a fraction from 0 to 1")
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    lower = int(rank)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (rank - lower)


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); ``None`` for no values."""
    return percentile(values, 0.5)
