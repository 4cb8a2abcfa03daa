"""The pipeline's stage probabilities: the chance, in whole percent, that a deal at a stage is won.

The forecast weighs each open deal's sum by its stage's probability. An admin sets a stage's own value in the
directory; a stage without one (a stage an admin added) takes a default from its place in the pipeline,
rising evenly from 10 % at the first stage to 90 % at the last. The won outcome is 100 %, the lost one 0 %.
"""

from __future__ import annotations

from domain.errors import ValidationError

PROBABILITY_MIN = 0
PROBABILITY_MAX = 100
FIRST_STAGE_PROBABILITY = 10
LAST_STAGE_PROBABILITY = 90
OUTCOME_PROBABILITY = {"won": 100, "lost": 0}


def parse_probability(text: str) -> int:
    """A probability typed by an admin: a whole number of percent from 0 to 100, «40» or «40 %»."""
    cleaned = text.strip().removesuffix("%").strip()
    if (
        not cleaned.isascii()
        or not cleaned.isdigit()
        or not (PROBABILITY_MIN <= int(cleaned) <= PROBABILITY_MAX)
    ):
        raise ValidationError(
            "dir-probability-invalid",
            "probability is not a whole percent from 0 to 100",
            min=PROBABILITY_MIN,
            max=PROBABILITY_MAX,
        )
    return int(cleaned)


def default_probability(index: int, count: int) -> int:
    """The default of the ``index``-th (from 0) of ``count`` pipeline stages: 10 % to 90 % in even steps."""
    if not 0 <= index < count:
        raise ValueError("the stage is not in the pipeline")
    if count == 1:
        return (FIRST_STAGE_PROBABILITY + LAST_STAGE_PROBABILITY) // 2
    step = (LAST_STAGE_PROBABILITY - FIRST_STAGE_PROBABILITY) * index / (count - 1)
    return FIRST_STAGE_PROBABILITY + round(step)


def stage_probability(kind: str, own: int | None, index: int, count: int) -> int:
    """The probability the forecast uses for a stage: the outcome's fixed one, the admin's, or the default."""
    if kind in OUTCOME_PROBABILITY:
        return OUTCOME_PROBABILITY[kind]
    if own is not None:
        return own
    return default_probability(index, count)
