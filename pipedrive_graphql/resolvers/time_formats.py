"""The date and date-time forms arguments take: `YYYY-MM-DD` and RFC 3339, nothing wider.

Python's `fromisoformat` reads ISO 8601 forms that are neither (`20260131`, week dates
`2026-W05-6`, `T09Z` without minutes, `+0100`), and refuses RFC 3339's lower-case `t` and `z`
(RFC 3339 §5.6: "T" and "Z" may alternatively be lower case). The grammar is checked here
first; `fromisoformat` then only checks the calendar.
"""

from __future__ import annotations

import datetime as dt
import re

_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# a clock time; matched whole (`fullmatch`: `$` would let a trailing newline through), ASCII
# digits only (`\d` matches any Unicode digit)
HH_MM = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")
HH_MM_OPTIONAL_SS = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?")
# RFC 3339 §5.6 `date-time`: full-date "T" full-time, time-offset "Z" or ±HH:MM
_DATE_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]"
    r"(?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.(?P<fraction>[0-9]+))?"
    r"(?P<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def plain_date(text: str) -> dt.date | None:
    """`YYYY-MM-DD` (ASCII digits, a real calendar day) as a date; None for anything else."""
    if _PLAIN_DATE.fullmatch(text) is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def rfc3339_moment(text: str) -> dt.datetime | None:
    """An RFC 3339 date-time (offset required, `t`/`z` in either case, any fraction of a
    second: kept to microseconds, a nonzero one never read as zero) as an aware datetime; None
    for anything else."""
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        return None
    digits = match["fraction"] or ""
    fraction = digits[:6].ljust(6, "0")
    if fraction == "000000" and digits.strip("0"):
        fraction = "000001"  # past the whole second, if only by less than a microsecond
    offset = "+00:00" if match["offset"] in ("Z", "z") else match["offset"]
    try:
        return dt.datetime.fromisoformat(f"{match['date']}T{match['time']}.{fraction}{offset}")
    except ValueError:
        return None
