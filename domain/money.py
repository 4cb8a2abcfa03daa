"""Money (R2f: a product line's amount): the :class:`Money` value a person types, and amounts in minor units
(kopecks), as they are stored.

``Money.parse`` is the way in for a typed amount: it returns the value or raises
:class:`~domain.errors.ValidationError` with a locale key, parameters and a data-free reason. The database
keeps integers so sums are exact; the domain and the screens use :class:`decimal.Decimal` roubles to the
kopeck. ``to_minor`` and ``from_minor`` are the only conversions between the two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from domain.dates import normalise_text
from domain.errors import ValidationError

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


# ---------------------------------------------------------------------------------------------
# A typed amount
# ---------------------------------------------------------------------------------------------

_MAX_AMOUNT = Decimal(10) ** 12
_MULTIPLIERS: dict[str, Decimal] = {
    **dict.fromkeys(("", "р", "руб", "рубль", "рубля", "рублей", "₽", "rub", "rur"), Decimal(1)),
    **dict.fromkeys(("к", "k", "т", "тыс", "тысяча", "тысячи", "тысяч", "thousand"), Decimal(1000)),
    **dict.fromkeys(
        ("м", "m", "млн", "миллион", "миллиона", "миллионов", "mln", "million"), Decimal(10) ** 6
    ),
    **dict.fromkeys(("млрд", "миллиард", "миллиарда", "миллиардов", "bn", "billion"), Decimal(10) ** 9),
}
_AMOUNT = re.compile(r"(?P<sign>[-−–])?\s*(?P<number>\d[\d\s'.,]*?)\s*(?P<suffix>[^\d\s.,]*)\.?")
_CURRENCY_WORDS = re.compile(r"\s*(?:₽|р\.?|руб\.?|рублей|рубля|rub|rur)$")
_CURRENCY_SIGNS = {"RUB": "₽", "USD": "$", "EUR": "€"}


def _plain_number(number: str) -> str | None:
    """«150 000» → «150000», «1,5» → «1.5», «1,500,000.50» → «1500000.50»; ``None`` if ambiguous.

    A single «,» or «.» is the decimal separator (Russian habit). Repeated separators, or both
    kinds at once, are read as thousands grouping plus a final decimal separator.
    """
    compact = re.sub(r"[\s']", "", number)
    separators = [char for char in compact if char in ",."]
    if not separators:
        return compact
    if len(separators) == 1:
        return compact.replace(",", ".")
    last = separators[-1]
    grouping = separators[0]
    if any(separator != grouping for separator in separators[:-1]):
        return None
    if last == grouping:  # «1.500.000»: all grouping, no decimals
        groups = compact.split(grouping)
        decimal_part = ""
    else:
        head, _, decimal_part = compact.rpartition(last)
        groups = head.split(grouping)
    if not all(len(group) == 3 for group in groups[1:]) or not 1 <= len(groups[0]) <= 3:
        return None
    whole = "".join(groups)
    return f"{whole}.{decimal_part}" if decimal_part else whole


def _group_thousands(whole: int) -> str:
    return f"{whole:,}".replace(",", "\u00a0")


@dataclass(frozen=True)
class Money:
    """An amount of money greater than zero, to the kopeck (R2f: a product line's amount)."""

    amount: Decimal
    currency: str = "RUB"

    @classmethod
    def parse(cls, text: str, currency: str = "RUB") -> Money:
        """Parse «150000», «150 000», «150к», «1,5 млн», «1.5k», «150 000 руб.».

        The result is quantised to kopecks; more than two decimals, zero, negative and absurd
        amounts (over 10^12) are refused.
        """
        cleaned = normalise_text(text).replace("\u202f", " ").replace("\u2009", " ")
        if not cleaned:
            raise ValidationError("err-amount-empty", "amount is empty")
        cleaned = _CURRENCY_WORDS.sub("", cleaned)
        match = _AMOUNT.fullmatch(cleaned)
        multiplier = _MULTIPLIERS.get(match["suffix"]) if match else None
        plain = _plain_number(match["number"]) if match else None
        if match is None or multiplier is None or plain is None:
            raise ValidationError("err-amount-format", "amount is not a number")
        value = Decimal(plain) * multiplier
        typed_decimals = len(plain.partition(".")[2])
        if match["sign"] or value <= 0:
            raise ValidationError("err-amount-not-positive", "amount is not greater than zero")
        if value > _MAX_AMOUNT:
            raise ValidationError("err-amount-too-large", "amount is implausibly large")
        # «150,000» is 150 thousand typed the English way, not 150 roubles: refuse, don't guess.
        if value != value.quantize(_CENT) or (multiplier == 1 and typed_decimals > 2):
            raise ValidationError("err-amount-too-many-decimals", "amount has more than two decimals")
        return cls(value.quantize(_CENT), currency.upper())

    def display(self) -> str:
        """«150 000 ₽», «1 500,50 ₽» (non-breaking spaces between thousands)."""
        whole, fraction = divmod(self.amount.quantize(_CENT), 1)
        text = _group_thousands(int(whole))
        if fraction:
            text += "," + f"{fraction:.2f}"[2:]
        return f"{text}\u00a0{_CURRENCY_SIGNS.get(self.currency, self.currency)}"


# ---------------------------------------------------------------------------------------------
# A typed line total: an amount, or quantity × price
# ---------------------------------------------------------------------------------------------

#: How many units one product line may count (R2f: a line's amount typed as quantity × price).
QUANTITY_MIN, QUANTITY_MAX = 1, 10_000
_TIMES = re.compile(r"^\s*(?P<quantity>\d[\d\s]*?)\s*[×xхXХ*]\s*(?P<price>\S.*)$")


def parse_line_total(text: str) -> int:
    """A product line's amount in kopecks: «150 000» as ``Money.parse`` reads it, or quantity × price
    («5 × 90 000», «5x90000», «5 * 90 000», «5 х 90к») as their product.

    The quantity is a whole number from 1 to 10 000 and the price an amount above zero; the total is refused
    when it is implausibly large, as a typed amount is.
    """
    cleaned = normalise_text(text)
    match = _TIMES.fullmatch(cleaned)
    if match is None:
        return to_minor(Money.parse(text).amount)
    quantity = int(re.sub(r"\s", "", match["quantity"]))
    if not QUANTITY_MIN <= quantity <= QUANTITY_MAX:
        raise ValidationError(
            "err-amount-quantity", "quantity out of range", min=QUANTITY_MIN, max=QUANTITY_MAX
        )
    price = Money.parse(match["price"]).amount
    total = price * quantity
    if total > _MAX_AMOUNT:
        raise ValidationError("err-amount-too-large", "amount is implausibly large")
    return to_minor(total)
