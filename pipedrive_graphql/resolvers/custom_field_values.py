"""One custom field value read the way its field type says: typed parts and a plain rendering.

Shapes are Pipedrive's v2 `custom_fields` values: text types a string, `double` a number,
`monetary` `{value, currency}`, `enum` an option id, `set` a list of option ids, `date`
`"YYYY-MM-DD"`, `daterange` `{value, until}`, `time` `{value, timezone_id, timezone_name}`,
`timerange` `{value, until, …}`, `address` `{value, street_number, route, …, formatted_address}`,
`user`/`org`/`people` an id. v1 sends a bare string or number for most of these; both are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pipedrive_graphql.ascii_digits import ascii_int
from pipedrive_graphql.datasources.pipedrive.custom_field_records import (
    FieldDefinition,
    FieldOption,
)
from pipedrive_graphql.datasources.pipedrive.parse import optional_float
from pipedrive_graphql.resolvers.money import minor_unit

LINK_TYPES = {"user": "user", "people": "person", "org": "organization"}
ADDRESS_PARTS = (
    "street_number",
    "route",
    "sublocality",
    "locality",
    "admin_area_level_1",
    "admin_area_level_2",
    "country",
    "postal_code",
    "formatted_address",
)
RANGE_DASH = " – "


@dataclass(frozen=True, slots=True)
class CustomValue:
    """A set custom field of a record: its definition and the value as Pipedrive sent it."""

    definition: FieldDefinition
    raw: object

    @property
    def kind(self) -> str:
        """Pipedrive's `field_type`."""
        return self.definition.field_type

    def _part(self, name: str) -> object:
        return self.raw.get(name) if isinstance(self.raw, dict) else None

    def _main(self) -> object:
        return self.raw.get("value") if isinstance(self.raw, dict) else self.raw

    def number(self) -> float | None:
        """The number of a `double` or the amount of a `monetary` value."""
        if self.kind not in ("double", "monetary"):
            return None
        return optional_float(self._main())

    def currency(self) -> str | None:
        """The currency code of a `monetary` value."""
        part = self._part("currency") if self.kind == "monetary" else None
        return part if isinstance(part, str) else None

    def date(self) -> str | None:
        """The date of a `date`, or the start of a `daterange` (YYYY-MM-DD)."""
        return _str(self._main()) if self.kind in ("date", "daterange") else None

    def date_end(self) -> str | None:
        """The end of a `daterange` (YYYY-MM-DD)."""
        return _str(self._part("until")) if self.kind == "daterange" else None

    def time(self) -> str | None:
        """The time of a `time`, or the start of a `timerange` (HH:MM:SS)."""
        return _str(self._main()) if self.kind in ("time", "timerange") else None

    def time_end(self) -> str | None:
        """The end of a `timerange` (HH:MM:SS)."""
        return _str(self._part("until")) if self.kind == "timerange" else None

    def option_ids(self) -> list[int] | None:
        """The chosen option ids of an `enum` (one) or `set` field."""
        if self.kind not in ("enum", "set"):
            return None
        raw = self.raw
        if isinstance(raw, str):  # v1 sends "12" or "12,13"
            raw = [part for part in raw.split(",") if part.strip()]
        items = raw if isinstance(raw, list) else [raw]
        ids = [_int(item) for item in items]
        return [i for i in ids if i is not None]

    def options(self) -> list[tuple[int, FieldOption | None]] | None:
        """Each chosen option id with its option (None when the option was deleted)."""
        ids = self.option_ids()
        if ids is None:
            return None
        return [(option_id, self.definition.option(option_id)) for option_id in ids]

    def address(self) -> dict[str, str | None] | None:
        """The parts of an `address` value (`value` plus Google's components)."""
        if self.kind != "address":
            return None
        parts: dict[str, str | None] = {"value": _str(self._main())}
        parts.update({name: _str(self._part(name)) for name in ADDRESS_PARTS})
        return parts

    def linked_id(self, target: str) -> int | None:
        """The id of a `user`, `people` or `org` value when `target` is that kind of record."""
        if LINK_TYPES.get(self.kind) != target:
            return None
        raw = self.raw.get("value", self.raw.get("id")) if isinstance(self.raw, dict) else self.raw
        return _int(raw)

    def searchable_text(self) -> str | None:
        """The text Pipedrive's search matches: the value, or an address's or amount's `value`."""
        main = self._main()
        if main is None or isinstance(main, bool):
            return None
        if isinstance(main, float) and main.is_integer():
            return str(int(main))
        return str(main)

    def text(self) -> str:
        """A plain rendering without linked names (those need a load; see the resolver)."""
        kind = self.kind
        if kind == "monetary":
            amount = self.number()
            currency = self.currency() or ""
            places = minor_unit(currency) if currency else None
            # the currency's ISO 4217 minor unit (JPY 0, KWD 3); 2 for codes ISO does not list
            shown = "" if amount is None else f"{amount:,.{2 if places is None else places}f}"
            return f"{shown} {currency}".strip()
        if kind == "double":
            return _number(self.number())
        if kind in ("enum", "set"):
            chosen = self.options() or []
            return ", ".join(o.label if o else str(i) for i, o in chosen)
        if kind in ("daterange", "timerange"):
            start = self.date() if kind == "daterange" else self.time()
            end = self.date_end() if kind == "daterange" else self.time_end()
            return RANGE_DASH.join(part for part in (start, end) if part)
        if kind == "address":
            parts = self.address() or {}
            return parts.get("formatted_address") or parts.get("value") or ""
        main = self._main()
        return _number(main) if isinstance(main, int | float) else str(main or "")


def _int(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        return ascii_int(raw.strip())
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return None


def _str(raw: object) -> str | None:
    return raw if isinstance(raw, str) and raw else None


def _number(value: object) -> str:
    """The number as stored, grouped: 1200 -> "1,200"; 1234.5678 -> "1,234.5678"; 1e-6 ->
    "0.000001" (every digit Pipedrive keeps, none invented, no exponent)."""
    number = optional_float(value)
    if number is None:
        return ""
    if number.is_integer():
        return f"{int(number):,}"
    return f"{Decimal(repr(number)):,f}"
