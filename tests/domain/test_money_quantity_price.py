"""R2f: a product line's amount typed as an amount or as quantity × price (``parse_line_total``)."""

from __future__ import annotations

import pytest

from domain.errors import ValidationError
from domain.money import QUANTITY_MAX, parse_line_total


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("5 × 90 000", 45_000_000),
        ("5x90000", 45_000_000),
        ("5 * 90 000", 45_000_000),
        ("5 X 90 000", 45_000_000),
        ("5 х 90к", 45_000_000),  # a Cyrillic «х»
        ("2 × 1 500,50", 300_100),
        ("10 000 × 1", 1_000_000),
        ("1×150 000 руб.", 15_000_000),
        ("150 000", 15_000_000),  # a plain amount is read as before
        ("1,5 млн", 150_000_000),
    ],
)
def test_r2f_line_total_as_amount_or_quantity_times_price(text: str, minor: int) -> None:
    assert parse_line_total(text) == minor


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("0 × 90 000", "err-amount-quantity"),
        (f"{QUANTITY_MAX + 1} × 10", "err-amount-quantity"),
        ("5 × 0", "err-amount-not-positive"),
        ("5 × -10", "err-amount-not-positive"),
        ("5 × abc", "err-amount-format"),
        ("5 ×", "err-amount-format"),
        ("1.5 × 100", "err-amount-format"),
        ("10 000 × 500 млрд", "err-amount-too-large"),
        ("", "err-amount-empty"),
    ],
)
def test_r2f_line_total_refusals_name_the_reason(text: str, key: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_line_total(text)
    assert refused.value.key == key
