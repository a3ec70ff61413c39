"""Money totals rounded to each currency's ISO 4217 minor unit (KWD 3, JPY 0, USD 2)."""

from __future__ import annotations

from functools import cache

from iso4217 import Currency


@cache
def minor_unit(code: str) -> int | None:
    """Decimal places of `code` per ISO 4217; None for codes without one (XAU, custom codes)."""
    try:
        exponent = Currency(code.upper()).exponent
    except ValueError:
        return None  # Pipedrive accounts may define their own currencies
    return exponent if isinstance(exponent, int) else None


def rounded(amount: float, currency: str) -> float:
    """`amount` rounded to the currency's minor unit; float noise only trimmed otherwise."""
    places = minor_unit(currency)
    return round(amount, 10 if places is None else places)
