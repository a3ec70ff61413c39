"""Helpers for the custom field tests: keys of the seeded fields and known values to write."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pipedrive_graphql.emulator import Emulator

DEAL = 54321  # the documentation's example deal: every deal field is set in the demo data


def keys(upstream: Emulator, entity: str) -> dict[str, str]:
    """Field name -> key of one entity's custom fields in the emulated account."""
    return {
        d["field_name"]: d["field_code"]
        for d in upstream.store.all("field_definitions")
        if d["entity"] == entity
    }


def set_values(upstream: Emulator, table: str, record_id: int, values: dict[str, Any]) -> None:
    """Replace a record's custom values in the emulator (by field name)."""
    entity = {"deals": "deal", "persons": "person", "organizations": "organization"}[table]
    by_name = keys(upstream, entity)
    custom = {by_name[name]: value for name, value in values.items()}
    upstream.store.update(table, record_id, {"custom_fields": custom})


def calls(upstream: Emulator) -> Counter[str]:
    """Upstream requests by method and path."""
    return Counter(f"{e.method} {e.path}" for e in upstream.log.entries)


# One known value of every deal field type, as Pipedrive's v2 API carries it.
KNOWN_DEAL_VALUES: dict[str, Any] = {
    "Budget": {"value": 1200.5, "currency": "EUR"},
    "Lead source": 3,
    "Tags": [5, 7],
    "Technical contact": 12345,
    "Partner organization": 67890,
    "Account manager": 2,
    "Contract end": "2025-12-31",
    "Trial period": {"value": "2025-01-01", "until": "2025-03-31"},
    "Call window": {"value": "09:00:00", "until": "17:30:00", "timezone_id": None,
                    "timezone_name": None},
    "Kick-off time": {"value": "10:15:00", "timezone_id": None, "timezone_name": None},
    "Delivery address": {
        "value": "Unter den Linden 1, Berlin",
        "street_number": "1",
        "route": "Unter den Linden",
        "sublocality": None,
        "locality": "Berlin",
        "admin_area_level_1": "Berlin",
        "admin_area_level_2": None,
        "country": "Germany",
        "postal_code": "10117",
        "formatted_address": "Unter den Linden 1, 10117 Berlin, Germany",
    },
    "Hotline": "+49 30 555 0100",
    "Win plan": "Pilot in March, roll-out in May.",
    "Region": "EMEA",
    "Campaign": "Webinar Q3",
    "Seats": 1250.0,
}  # fmt: skip
