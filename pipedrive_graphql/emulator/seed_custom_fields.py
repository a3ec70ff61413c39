"""Seeded custom fields: definitions of every field type and values on deals, persons, orgs.

Keys are 40-character hashes derived from the dataset name, so two datasets (two accounts) never
share a key. Every tenth record has no custom values; one enum option is deleted and still
referenced by a few deals, as happens on real accounts.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, MutableMapping
from dataclasses import replace
from typing import Any

from .custom_fields import TABLE
from .datasets import Dataset
from .entities import Record

Tables = MutableMapping[str, list[Record]]
# (entity, name, field type, option labels); a label starting with "-" is a deleted option.
FIELDS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("deal", "Budget", "monetary", ()),
    ("deal", "Lead source", "enum", ("Web", "Referral", "Partner", "-Trade show")),
    ("deal", "Tags", "set", ("Enterprise", "SMB", "EU", "US")),
    ("deal", "Technical contact", "people", ()),
    ("deal", "Partner organization", "org", ()),
    ("deal", "Account manager", "user", ()),
    ("deal", "Contract end", "date", ()),
    ("deal", "Trial period", "daterange", ()),
    ("deal", "Call window", "timerange", ()),
    ("deal", "Kick-off time", "time", ()),
    ("deal", "Delivery address", "address", ()),
    ("deal", "Hotline", "phone", ()),
    ("deal", "Win plan", "text", ()),
    ("deal", "Region", "varchar", ()),
    ("deal", "Campaign", "varchar_auto", ()),
    ("deal", "Seats", "double", ()),
    ("person", "Region", "varchar", ()),
    ("person", "Persona", "enum", ("Buyer", "Champion", "User")),
    ("person", "Languages", "set", ("English", "German", "French")),
    ("person", "Birthday", "date", ()),
    ("person", "Direct line", "phone", ()),
    ("organization", "Headquarters", "address", ()),
    ("organization", "Employees", "double", ()),
    ("organization", "Tier", "enum", ("Gold", "Silver", "Bronze")),
    ("organization", "Key account", "people", ()),
    ("organization", "Annual budget", "monetary", ()),
    ("activity", "Outcome", "enum", ("Connected", "No answer")),
    ("activity", "Agenda", "text", ()),
)
# The target account names two fields differently: a second account with its own field names.
RENAMED = {"target": {"Budget": "Deal budget", "Region": "Territory"}}
ADDRESSES = (
    ("Unter den Linden", "1", "Berlin", "Berlin", "Germany", "10117"),
    ("Rue de Rivoli", "99", "Paris", "Île-de-France", "France", "75001"),
    ("Market Street", "500", "San Francisco", "California", "United States", "94105"),
)
REGIONS = ("EMEA", "North America", "APAC", "LATAM")
CAMPAIGNS = ("Spring launch", "Webinar Q3", "Partner week")


def field_key(dataset: str, entity: str, name: str) -> str:
    """A stable 40-character key, different per dataset (account)."""
    return hashlib.sha1(f"{dataset}/{entity}/{name}".encode(), usedforsecurity=False).hexdigest()


def field_definitions(dataset: str) -> list[Record]:
    """The `field_definitions` rows of a dataset, option ids unique across the account."""
    rows: list[Record] = []
    option_id = 1
    for number, (entity, name, kind, labels) in enumerate(FIELDS, start=1):
        shown = RENAMED.get(dataset, {}).get(name, name)
        options: list[Record] = []
        deleted: list[Record] = []
        for label in labels:
            option = {"id": option_id, "label": label.lstrip("-")}
            (deleted if label.startswith("-") else options).append(option)
            option_id += 1
        rows.append(
            {
                "id": number,
                "entity": entity,
                "field_code": field_key(dataset, entity, name),
                "field_name": shown,
                "field_type": kind,
                "options": options,
                "deleted_options": deleted,
                "order_nr": number,
            }
        )
    return rows


def _address(rng: random.Random) -> Record:
    route, number, city, state, country, postal = rng.choice(ADDRESSES)
    line = f"{route} {number}, {postal} {city}, {country}"
    return {
        "value": line,
        "street_number": number,
        "route": route,
        "sublocality": None,
        "locality": city,
        "admin_area_level_1": state,
        "admin_area_level_2": None,
        "country": country,
        "postal_code": postal,
        "formatted_address": line,
    }


def _value(definition: Record, rng: random.Random, tables: Tables) -> Any:
    kind = definition["field_type"]
    live = [o["id"] for o in definition["options"]]
    every = live + [o["id"] for o in definition["deleted_options"]]
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    makers: dict[str, Callable[[], Any]] = {
        "monetary": lambda: {
            "value": round(rng.uniform(500, 90_000), 2),
            "currency": rng.choice(("EUR", "USD")),
        },
        # one value in eight still points at the deleted option
        "enum": lambda: every[-1] if rng.random() < 0.125 else rng.choice(live),
        "set": lambda: sorted(rng.sample(live, rng.randint(1, 2))),
        "people": lambda: rng.choice(tables["persons"])["id"],
        "org": lambda: rng.choice(tables["organizations"])["id"],
        "user": lambda: rng.choice(tables["users"])["id"],
        "date": lambda: f"2025-{month:02d}-{day:02d}",
        "daterange": lambda: {
            "value": f"2025-{month:02d}-01",
            "until": f"2025-{month:02d}-{day:02d}",
        },
        "time": lambda: {
            "value": f"{rng.randint(8, 17):02d}:30:00",
            "timezone_id": None,
            "timezone_name": None,
        },
        "timerange": lambda: {
            "value": "09:00:00",
            "until": f"{rng.randint(12, 18):02d}:00:00",
            "timezone_id": None,
            "timezone_name": None,
        },
        "address": lambda: _address(rng),
        "phone": lambda: f"+49 30 {rng.randint(1_000_000, 9_999_999)}",
        "text": lambda: f"Land the pilot, then expand to {rng.randint(2, 9)} teams.",
        "varchar": lambda: rng.choice(REGIONS),
        "varchar_auto": lambda: rng.choice(CAMPAIGNS),
        "double": lambda: float(rng.randint(5, 500)),
    }
    return makers[kind]()


# The documentation's example records (deal 54321, person 12345, organization 67890) hold a
# value in every field of their entity.
COMPLETE = frozenset({54321, 12345, 67890})
VALUED = (("deals", "deal"), ("persons", "person"), ("organizations", "organization"))


def _fill(tables: Tables, dataset: str, table: str, entity: str, rows: list[Record]) -> None:
    fields = [d for d in rows if d["entity"] == entity]
    for record in tables.get(table, []):
        if record["id"] % 10 == 0:
            continue  # every tenth record has no custom values
        rng = random.Random(f"{dataset}/{table}/{record['id']}")
        chance = 1.0 if record["id"] in COMPLETE else 0.7
        record["custom_fields"] = {
            d["field_code"]: _value(d, rng, tables) for d in fields if rng.random() < chance
        }


def add_custom_fields(tables: Tables, dataset: str) -> None:
    """Add the definitions and the values of `dataset` to its tables (in place)."""
    rows = field_definitions(dataset)
    tables[TABLE] = rows
    for table, entity in VALUED:
        _fill(tables, dataset, table, entity, rows)


def with_custom_fields(dataset: Dataset, name: str) -> Dataset:
    """`dataset` with custom field definitions and values added."""
    tables = {table: [dict(r) for r in records] for table, records in dataset.records.items()}
    add_custom_fields(tables, name)
    return replace(dataset, records=tables)
