"""Pure figures for the reports (issue 12): the median and percentiles of days in a stage, and the stages'
probability for the forecast (typed by an admin, or a default from the stage's place in the pipeline)."""

from __future__ import annotations

import pytest

from domain.errors import ValidationError
from domain.pipeline import default_probability, parse_probability, stage_probability
from domain.stats import median, percentile


def test_median_of_odd_and_even_counts_and_of_nothing() -> None:
    assert median([5.0, 1.0, 3.0]) == 3.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert median([7.0]) == 7.0
    assert median([]) is None


def test_percentiles_interpolate_between_ranks_like_percentile_cont() -> None:
    days = [float(n) for n in range(10, 0, -1)]  # 10 … 1, unsorted on purpose
    assert percentile(days, 0.9) == pytest.approx(9.1)
    assert percentile(days, 0.0) == 1.0
    assert percentile(days, 1.0) == 10.0
    assert percentile([2.0, 4.0], 0.25) == 2.5
    assert percentile([], 0.9) is None
    for wrong in (-0.1, 1.5):
        with pytest.raises(ValueError):
            percentile(days, wrong)


@pytest.mark.parametrize(("typed", "percent"), [("0", 0), ("40", 40), (" 75 % ", 75), ("100%", 100)])
def test_a_typed_probability_is_whole_percent(typed: str, percent: int) -> None:
    assert parse_probability(typed) == percent


@pytest.mark.parametrize("typed", ["abc", "150", "-1", "40.5", "", "%", "１０", "101"])
def test_a_probability_outside_0_to_100_or_not_a_number_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_probability(typed)
    assert refused.value.key == "dir-probability-invalid"
    assert refused.value.params == {"min": 0, "max": 100}


def test_default_probability_rises_evenly_along_the_pipeline() -> None:
    assert [default_probability(i, 6) for i in range(6)] == [10, 26, 42, 58, 74, 90]
    assert [default_probability(i, 3) for i in range(3)] == [10, 50, 90]
    assert default_probability(0, 1) == 50
    with pytest.raises(ValueError):
        default_probability(3, 3)


def test_stage_probability_prefers_the_outcome_then_the_admins_value() -> None:
    assert stage_probability("won", 30, 0, 1) == 100
    assert stage_probability("lost", 30, 0, 1) == 0
    assert stage_probability("open", 30, 0, 6) == 30
    assert stage_probability("open", 0, 5, 6) == 0  # zero is a value, not "unset"
    assert stage_probability("open", None, 5, 6) == 90
