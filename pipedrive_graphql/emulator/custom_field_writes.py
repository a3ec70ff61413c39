"""Validation of `custom_fields` in v2 writes, field type by field type, before anything is stored.

The v2 spec: "To clear a custom field value, set it to `null`. For multi-option fields (field type
`set`), use `null` to clear the selection — sending an empty array `[]` is not supported and will
result in a validation error." Values take the v2 shapes (monetary `{value, currency}`, ranges
`{value, until}`, address `{value, …}`; only `value` is required, other subfields become null).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .custom_fields import ENTITY_OF_TABLE, SUBFIELDS, definitions
from .entities import Record
from .envelopes import ApiError, bad_request
from .store import Store

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_TEXT_LIMITS = {"varchar": 255, "varchar_auto": 255, "phone": 255, "text": 65_535}
_LINKS = {"user": "users", "org": "organizations", "people": "persons"}


def _refuse(key: str, why: str) -> ApiError:
    return bad_request("Validation failed", f'"custom_fields.{key}" {why}')


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _date(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _refuse(key, "must be a date (YYYY-MM-DD)")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise _refuse(key, "must be a date (YYYY-MM-DD)") from None
    if len(value) != 10:
        raise _refuse(key, "must be a date (YYYY-MM-DD)")
    return value


def _time(key: str, value: Any) -> str:
    if not isinstance(value, str) or not _TIME.match(value):
        raise _refuse(key, "must be a time (HH:MM:SS)")
    return value if len(value) == 8 else f"{value}:00"


def _object(key: str, value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or "value" not in value:
        raise _refuse(key, f"must be an object with {what}")
    return value


def _option_ids(key: str, definition: Record, ids: list[Any]) -> list[int]:
    known = {o["id"] for o in definition.get("options") or []}
    for option_id in ids:
        if type(option_id) is not int or option_id not in known:
            raise _refuse(key, f"has no option {option_id!r}")
    return ids


def _checked(store: Store, definition: Record, value: Any) -> Any:
    key, kind = definition["field_code"], definition["field_type"]
    if kind in _TEXT_LIMITS:
        if not isinstance(value, str):
            raise _refuse(key, "must be a string")
        if len(value) > _TEXT_LIMITS[kind]:
            raise _refuse(key, f"must be at most {_TEXT_LIMITS[kind]} characters")
        return value
    if kind == "double":
        if not _is_number(value):
            raise _refuse(key, "must be a number")
        return value
    if kind == "monetary":
        money = _object(key, value, "a numeric value and a currency")
        if not _is_number(money["value"]):
            raise _refuse(key, "value must be a number")
        if not isinstance(money.get("currency"), str) or not _CURRENCY.match(money["currency"]):
            raise _refuse(key, "currency must be a 3-letter currency code")
        return {"value": money["value"], "currency": money["currency"]}
    if kind == "enum":
        return _option_ids(key, definition, [value])[0]
    if kind == "set":
        if not isinstance(value, list) or not value:
            raise _refuse(key, "must be a non-empty array of option ids (null clears it)")
        return _option_ids(key, definition, list(dict.fromkeys(value)))
    if kind == "date":
        return _date(key, value)
    if kind == "daterange":
        span = _object(key, value, "value and until dates")
        start, until = _date(key, span["value"]), _date(key, span.get("until"))
        if until < start:
            raise _refuse(key, "until must not be before value")
        return {"value": start, "until": until}
    if kind == "time":
        moment = _object(key, value, "a value time")
        return {"value": _time(key, moment["value"]), "timezone_id": None, "timezone_name": None}
    if kind == "timerange":
        span = _object(key, value, "value and until times")
        start, until = _time(key, span["value"]), _time(key, span.get("until"))
        return {"value": start, "until": until, "timezone_id": None, "timezone_name": None}
    if kind == "address":
        place = _object(key, value, "a value")
        parts = {code: place.get(code) for code, _, _ in SUBFIELDS["address"]}
        if not all(v is None or isinstance(v, str) for v in parts.values()) or not parts["value"]:
            raise _refuse(key, "must hold strings, a non-empty value first")
        parts["formatted_address"] = parts["formatted_address"] or parts["value"]
        return parts
    if kind in _LINKS:
        linked = store.get(_LINKS[kind], value) if type(value) is int else None
        if linked is None or linked.get("is_deleted"):
            raise _refuse(key, f"must be the id of an existing {kind}")
        return value
    raise _refuse(key, f"has the read-only type {kind}")


def apply_custom_fields(
    store: Store, table: str, body: dict[str, Any], current: Record | None
) -> None:
    """Validate `body["custom_fields"]` and replace it with the record's merged values.

    Raises the 400 `ApiError` for an unknown key or a value of the wrong shape; nothing is
    stored then. Keys not in the body keep their values (v2 PATCH semantics).
    """
    given = body.get("custom_fields")
    entity = ENTITY_OF_TABLE.get(table)
    if entity is None or "custom_fields" not in body:
        return
    merged: dict[str, Any] = dict((current or {}).get("custom_fields") or {})
    if given is None:
        body["custom_fields"] = merged
        return
    by_key = {d["field_code"]: d for d in definitions(store, entity)}
    for key, value in given.items():
        definition = by_key.get(key)
        if definition is None:
            raise bad_request("Validation failed", f'"custom_fields.{key}" is not a custom field')
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _checked(store, definition, value)
    body["custom_fields"] = merged
