"""Money in minor units (kopecks), as amounts are stored (R2f: a product line's amount).

The database keeps integers so sums are exact; the domain and the screens use :class:`decimal.Decimal`
roubles to the kopeck. These two functions are the only conversions between the two.
"""

from __future__ import annotations

from decimal import Decimal

#: Kopecks in a rouble.
MINOR_PER_UNIT = 100
_CENT = Decimal("0.01")


def to_minor(amount: Decimal) -> int:
    """``Decimal("1500.50")`` → ``150050``. A fraction of a kopeck is refused, not rounded."""
    minor = amount * MINOR_PER_UNIT
    if minor != minor.to_integral_value():
        raise ValueError("amount has a fraction of a kopeck")
    return int(minor)


def from_minor(minor: int) -> Decimal:
    """``150050`` → ``Decimal("1500.50")``, always with two decimals."""
    return (Decimal(minor) / MINOR_PER_UNIT).quantize(_CENT)
