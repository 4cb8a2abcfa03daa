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
    if not values:
        if not 0 <= fraction <= 1:
            raise ValueError("a percentile is a fraction from 0 to 1")
        return None
    ordered = sorted(values)
    lower, upper = ranks(len(ordered), fraction)
    return between(ordered[lower], ordered[upper], len(ordered), fraction)


def ranks(count: int, fraction: float) -> tuple[int, int]:
    """The two ranks (0-based, in sorted order) the ``fraction`` percentile of ``count`` values lies
    between; a database that ranks its rows reads just these two (``db.repo.stage_history.stage_days``)."""
    if not 0 <= fraction <= 1:
        raise ValueError("a percentile is a fraction from 0 to 1")
    lower = int(fraction * (count - 1))
    return lower, min(lower + 1, count - 1)


def between(lower_value: float, upper_value: float, count: int, fraction: float) -> float:
    """The percentile from the values at its two :func:`ranks`: the point between them in proportion."""
    rank = fraction * (count - 1)
    return lower_value + (upper_value - lower_value) * (rank - int(rank))


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); ``None`` for no values."""
    return percentile(values, 0.5)
