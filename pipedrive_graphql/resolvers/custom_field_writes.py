"""Custom field writes: `{name | key, value}` inputs checked and turned into v2 `custom_fields`.

Everything is checked before the write is sent, so a refused input sends nothing: an unknown
field, an unknown option label or id, a value of the wrong type, `[]` for a `set` field (Pipedrive
refuses it: "use `null` to clear the selection"), the same field twice. Accepted forms, per type:
text types a string; `double` a number; `monetary` `{value, currency}` or a number (the currency
then comes from the caller: the deal's currency); `enum` an option label or id; `set` a list of
labels or ids (or one); `date` `YYYY-MM-DD`; `daterange`/`timerange` `{start, end}`,
`{value, until}` or `[start, end]`; `time` `HH:MM[:SS]`; `address` a string or `{value, …}`;
`user`/`org`/`people` an id. `null` clears any field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.custom_field_records import Entity, FieldDefinition
from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.resolvers.custom_field_values import ADDRESS_PARTS
from pipedrive_graphql.resolvers.custom_fields import definition
from pipedrive_graphql.resolvers.echo import shown
from pipedrive_graphql.resolvers.time_formats import HH_MM_OPTIONAL_SS, plain_date

_CURRENCY = re.compile(r"[A-Z]{3}")  # matched whole: `$` lets a trailing newline through
_TEXT_TYPES = {"varchar": 255, "varchar_auto": 255, "phone": 255, "text": 65_535}
_LINK_TYPES = {"user": "user", "org": "organization", "people": "person"}
CurrencyOf = Callable[[], Awaitable[str | None]]


@dataclass(frozen=True, slots=True)
class CustomFieldWrite:
    """One field to write: by name or by key, and its value (None clears it)."""

    name: str | None
    key: str | None
    value: object


class _RefusedError(Exception):
    pass


def _is_number(value: object) -> bool:
    if isinstance(value, float):
        # inf and nan would reach Pipedrive as JSON null and clear the field
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str):
        raise _RefusedError("expects a string")
    if len(value) > limit:
        raise _RefusedError(f"takes at most {limit} characters")
    return value


def _date(value: object) -> str:
    if isinstance(value, str) and plain_date(value) is not None:
        return value
    raise _RefusedError(f"expects a date YYYY-MM-DD, got {shown(value)}")


def _time(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    if not isinstance(value, str) or not HH_MM_OPTIONAL_SS.fullmatch(value):
        raise _RefusedError(f"expects a time HH:MM or HH:MM:SS, got {shown(value)}")
    return value if len(value) == 8 else f"{value}:00"


def _span(value: object) -> tuple[object, object]:
    if isinstance(value, list) and len(value) == 2:
        start, end = value
    elif isinstance(value, dict):
        if "start" in value or "end" in value:
            start, end = value.get("start"), value.get("end")
        else:
            start, end = value.get("value"), value.get("until")
    else:
        raise _RefusedError("expects {start, end}, {value, until} or [start, end]")
    if start is None or end is None:
        missing = "start" if start is None else "end"
        raise _RefusedError(f"has no {missing}: give both, or null to clear the field")
    return start, end


def _option(field: FieldDefinition, given: object) -> int:
    if isinstance(given, int) and not isinstance(given, bool):
        if field.option(given) is not None:
            return given
    elif isinstance(given, str):
        wanted = given.strip().casefold()
        for option in field.options:
            if option.label.casefold() == wanted:
                return option.id
        # an id as a string ("3"), as JSON clients often send ids; a label wins over an id
        if wanted.isdecimal() and len(wanted) < 20 and field.option(int(wanted)) is not None:
            return int(wanted)
    labels = ", ".join(o.label for o in field.options)
    raise _RefusedError(f"has no option {shown(given)} (options: {labels})")


async def _money(value: object, currency_of: CurrencyOf | None) -> dict[str, object]:
    amount, currency = (
        (value.get("value"), value.get("currency"))
        if isinstance(value, dict)
        else (
            value,
            None,
        )
    )
    if not _is_number(amount):
        raise _RefusedError("expects a number or {value, currency}")
    if currency is None and currency_of is not None:
        currency = await currency_of()
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
        raise _RefusedError("needs a 3-letter currency: give {value, currency}")
    return {"value": amount, "currency": currency}


async def _converted(
    field: FieldDefinition, value: object, currency_of: CurrencyOf | None
) -> object:
    kind = field.field_type
    if kind in _TEXT_TYPES:
        return _text(value, _TEXT_TYPES[kind])
    if kind == "double":
        if not _is_number(value):
            raise _RefusedError(f"expects a number, got {shown(value)}")
        return value
    if kind == "monetary":
        return await _money(value, currency_of)
    if kind == "enum":
        return _option(field, value)
    if kind == "set":
        items = value if isinstance(value, list) else [value]
        if not items:
            raise _RefusedError("cannot be []: give null to clear it")
        return list(dict.fromkeys(_option(field, item) for item in items))
    if kind == "date":
        return _date(value)
    if kind in ("daterange", "timerange"):
        start, end = _span(value)
        if kind == "daterange":
            first, last = _date(start), _date(end)
            if last < first:
                raise _RefusedError("ends before it starts")
            return {"value": first, "until": last}
        return {"value": _time(start), "until": _time(end)}
    if kind == "time":
        return {"value": _time(value)}
    if kind == "address":
        if isinstance(value, str) and value.strip():
            return {"value": value}
        if isinstance(value, dict) and isinstance(value.get("value"), str) and value["value"]:
            known = {"value", *ADDRESS_PARTS}
            if not set(value) <= known or not all(isinstance(v, str) for v in value.values()):
                raise _RefusedError(f"takes string parts among {', '.join(sorted(known))}")
            return dict(value)
        raise _RefusedError("expects an address string or {value, …}")
    if kind in _LINK_TYPES:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        raise _RefusedError(f"expects the id of a {_LINK_TYPES[kind]}, got {shown(value)}")
    raise _RefusedError(f"has type {kind}, which cannot be written through the API")


async def custom_fields_body(
    ctx: Context,
    entity: Entity,
    writes: Sequence[CustomFieldWrite],
    *,
    currency_of: CurrencyOf | None = None,
) -> dict[str, object]:
    """The v2 `custom_fields` object for `writes`, or BAD_USER_INPUT naming the field and why."""
    body: dict[str, object] = {}
    for write in writes:
        field = await definition(ctx, entity, name=write.name, key=write.key)
        if field.key in body:
            raise BadUserInputError(f"custom field {shown(field.name)} is given twice")
        if write.value is None:
            body[field.key] = None
            continue
        try:
            body[field.key] = await _converted(field, write.value, currency_of)
        except _RefusedError as refused:
            raise BadUserInputError(
                f"custom field {shown(field.name)} ({field.field_type}) {refused}",
                extensions={"field": field.name, "key": field.key},
            ) from None
    return body
