"""Whole numbers read from text: ASCII digits only.

`str.isdigit` and `int()` accept every script's digits (`"٣"` is 3, `"²"` passes `isdigit` and
then fails `int()`): an id, a length or a count that Pipedrive or HTTP sends as text is written
in ASCII, so anything else is not that number.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+")


def ascii_int(text: str) -> int | None:
    """`text` as a non-negative whole number when it is only ASCII digits, else None."""
    return int(text) if _DIGITS.fullmatch(text) else None
