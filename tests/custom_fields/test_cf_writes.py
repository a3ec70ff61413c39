"""Writing custom fields: by name, key and option label, clearing; refusals send nothing."""

from __future__ import annotations

from typing import Any

import pytest

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall
from tests.custom_fields.cf_support import DEAL, keys, set_values

CREATE_DEAL = """mutation($fields: [CustomFieldInput!], $currency: String) {
  createDeal(title: "Custom", currency: $currency, customFields: $fields) {
    id customFields { name text value } } }"""
UPDATE_DEAL = """mutation($fields: [CustomFieldInput!]) {
  updateDeal(dealId: 54321, customFields: $fields) { id customFields { name text value } } }"""
UPDATE_PERSON = """mutation($fields: [CustomFieldInput!]) {
  updatePerson(personId: 12345, customFields: $fields) { id customFields { name text } } }"""
ADD_PERSON = """mutation($fields: [CustomFieldInput!]) {
  addPerson(name: "Ada Custom", customFields: $fields) { id customFields { name text } } }"""


def _bodies(upstream: Emulator) -> list[tuple[str, str, Any]]:
    return [(e.method, e.path, e.body) for e in upstream.log.entries if e.method != "GET"]


@pytest.fixture
async def warm(gql: GraphQLCall) -> None:
    """Definitions of deals and persons already cached, as after any earlier read."""
    result = await gql(
        '{ deal(dealId: 54321) { customField(name: "Region") { text } } '
        'person(personId: 12345) { customField(name: "Region") { text } } }'
    )
    assert result.errors == []


async def test_create_by_name_key_and_option_labels(
    gql: GraphQLCall, upstream: Emulator, warm: None
) -> None:
    by_key = keys(upstream, "deal")
    fields = [
        {"name": "region", "value": "Nordics"},
        {"key": by_key["Seats"], "value": 40},
        {"name": "Lead source", "value": "partner"},
        {"name": "Tags", "value": ["EU", 8]},
        {"name": "Budget", "value": 2500},
        {"name": "Trial period", "value": {"start": "2025-02-01", "end": "2025-02-28"}},
        {"name": "Kick-off time", "value": "09:30"},
        {"name": "Delivery address", "value": "Market Street 500, San Francisco"},
        {"name": "Technical contact", "value": 12345},
    ]
    result = await gql(CREATE_DEAL, {"fields": fields, "currency": "EUR"})
    assert result.errors == []
    sent = _bodies(upstream)
    assert sent == [("POST", "/api/v2/deals", {
        "title": "Custom",
        "currency": "EUR",
        "custom_fields": {
            by_key["Region"]: "Nordics",
            by_key["Seats"]: 40,
            by_key["Lead source"]: 3,
            by_key["Tags"]: [7, 8],
            by_key["Budget"]: {"value": 2500, "currency": "EUR"},
            by_key["Trial period"]: {"value": "2025-02-01", "until": "2025-02-28"},
            by_key["Kick-off time"]: {"value": "09:30:00"},
            by_key["Delivery address"]: {"value": "Market Street 500, San Francisco"},
            by_key["Technical contact"]: 12345,
        },
    })]  # fmt: skip
    texts = {f["name"]: f["text"] for f in result.data["createDeal"]["customFields"]}
    assert texts == {
        "Budget": "2,500.00 EUR",
        "Lead source": "Partner",
        "Tags": "EU, US",
        "Technical contact": "John Doe",
        "Trial period": "2025-02-01 – 2025-02-28",
        "Kick-off time": "09:30:00",
        "Delivery address": "Market Street 500, San Francisco",
        "Region": "Nordics",
        "Seats": "40",
    }
    stored = upstream.store.get("deals", result.data["createDeal"]["id"])
    assert stored is not None
    assert stored["custom_fields"][by_key["Tags"]] == [7, 8]


async def test_update_keeps_other_fields_and_null_clears(
    gql: GraphQLCall, upstream: Emulator, warm: None
) -> None:
    set_values(upstream, "deals", DEAL, {"Region": "EMEA", "Tags": [5], "Seats": 3.0})
    by_key = keys(upstream, "deal")
    fields = [{"name": "Tags", "value": None}, {"name": "Seats", "value": 12.5}]
    result = await gql(UPDATE_DEAL, {"fields": fields})
    assert result.errors == []
    assert _bodies(upstream) == [
        ("PATCH", "/api/v2/deals/54321",
         {"custom_fields": {by_key["Tags"]: None, by_key["Seats"]: 12.5}}),
    ]  # fmt: skip
    assert result.data["updateDeal"]["customFields"] == [
        {"name": "Region", "text": "EMEA", "value": "EMEA"},
        {"name": "Seats", "text": "12.5", "value": 12.5},
    ]


async def test_bare_amount_takes_the_deals_currency(
    gql: GraphQLCall, upstream: Emulator, warm: None
) -> None:
    result = await gql(UPDATE_DEAL, {"fields": [{"name": "Budget", "value": 700}]})
    assert result.errors == []
    deal = upstream.store.get("deals", DEAL)
    assert deal is not None
    budget = keys(upstream, "deal")["Budget"]
    assert _bodies(upstream)[0][2] == {
        "custom_fields": {budget: {"value": 700, "currency": deal["currency"]}}
    }


async def test_person_writes(gql: GraphQLCall, upstream: Emulator, warm: None) -> None:
    by_key = keys(upstream, "person")
    result = await gql(ADD_PERSON, {"fields": [{"name": "Persona", "value": "Buyer"}]})
    assert result.errors == []
    assert result.data["addPerson"]["customFields"] == [{"name": "Persona", "text": "Buyer"}]
    result = await gql(UPDATE_PERSON, {"fields": [{"name": "Languages", "value": "german"}]})
    assert result.errors == []
    assert _bodies(upstream) == [
        ("PATCH", "/api/v2/persons/12345", {"custom_fields": {by_key["Languages"]: [13]}})
    ]
    languages = [f for f in result.data["updatePerson"]["customFields"] if f["name"] == "Languages"]
    assert languages == [{"name": "Languages", "text": "German"}]


OPTIONS = "(options: Web, Referral, Partner)"
REFUSALS = [
    ({"name": "Budgget", "value": 1}, 'no deal custom field named "Budgget"; closest: Budget'),
    ({"key": "0" * 40, "value": 1}, f'no deal custom field with key "{"0" * 40}"'),
    ({"name": "Lead source", "value": "Cold call"},
     f'custom field "Lead source" (enum) has no option "Cold call" {OPTIONS}'),
    ({"name": "Lead source", "value": 4},
     f'custom field "Lead source" (enum) has no option 4 {OPTIONS}'),
    ({"name": "Tags", "value": []},
     'custom field "Tags" (set) cannot be []: give null to clear it'),
    ({"name": "Seats", "value": "forty"},
     'custom field "Seats" (double) expects a number, got "forty"'),
    ({"name": "Contract end", "value": "31.12.2025"},
     'custom field "Contract end" (date) expects a date YYYY-MM-DD, got "31.12.2025"'),
    ({"name": "Trial period", "value": {"start": "2025-03-01", "end": "2025-02-01"}},
     'custom field "Trial period" (daterange) ends before it starts'),
    ({"name": "Kick-off time", "value": "25:00"},
     'custom field "Kick-off time" (time) expects a time HH:MM or HH:MM:SS, got "25:00"'),
    ({"name": "Technical contact", "value": "John"},
     'custom field "Technical contact" (people) expects the id of a person, got "John"'),
    ({"name": "Region", "value": 7}, 'custom field "Region" (varchar) expects a string'),
    ({"name": "Budget", "value": {"value": 5, "currency": "euro"}},
     'custom field "Budget" (monetary) needs a 3-letter currency: give {value, currency}'),
    ({"name": "Region", "key": "x", "value": "EMEA"}, "give exactly one of name and key"),
    # client values are echoed as JSON, not as Python reprs
    ({"name": "Seats", "value": True},
     'custom field "Seats" (double) expects a number, got true'),
    ({"name": "Lead source", "value": [1, 2]},
     f'custom field "Lead source" (enum) has no option [1, 2] {OPTIONS}'),
    ({"name": "Technical contact", "value": {"value": 42}},
     'custom field "Technical contact" (people) expects the id of a person, got {"value": 42}'),
    ({"name": "Kick-off time", "value": {"value": None}},
     'custom field "Kick-off time" (time) expects a time HH:MM or HH:MM:SS, got null'),
    ({"name": "Trial period", "value": {"start": "2025-03-01"}},
     'custom field "Trial period" (daterange) has no end: give both, or null to clear the field'),
    # ten characters, an ISO 8601 week date: not YYYY-MM-DD
    ({"name": "Contract end", "value": "2025-W52-3"},
     'custom field "Contract end" (date) expects a date YYYY-MM-DD, got "2025-W52-3"'),
    # a trailing newline passed the old `$`-anchored patterns and reached Pipedrive
    ({"name": "Kick-off time", "value": "09:00\n"},
     'custom field "Kick-off time" (time) expects a time HH:MM or HH:MM:SS, got "09:00\\n"'),
    ({"name": "Budget", "value": {"value": 5, "currency": "EUR\n"}},
     'custom field "Budget" (monetary) needs a 3-letter currency: give {value, currency}'),
]  # fmt: skip


@pytest.mark.parametrize(("field", "message"), REFUSALS)
async def test_refusals_send_nothing(
    gql: GraphQLCall, upstream: Emulator, warm: None, field: dict[str, Any], message: str
) -> None:
    before = dict(upstream.store.get("deals", DEAL) or {})
    result = await gql(UPDATE_DEAL, {"fields": [{"name": "Campaign", "value": "ok"}, field]})
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"] == message
    assert result.data == {"updateDeal": None}  # mutation results are nullable
    assert upstream.log.entries == []
    assert upstream.store.get("deals", DEAL) == before


async def test_same_field_twice_and_monetary_without_currency_on_person(
    gql: GraphQLCall, upstream: Emulator, warm: None
) -> None:
    twice = [{"name": "Region", "value": "A"}, {"name": "region", "value": "B"}]
    result = await gql(UPDATE_DEAL, {"fields": twice})
    assert result.errors[0]["message"] == 'custom field "Region" is given twice'
    result = await gql(CREATE_DEAL, {"fields": [{"name": "Budget", "value": 10}]})
    assert result.errors[0]["message"] == (
        'custom field "Budget" (monetary) needs a 3-letter currency: give {value, currency}'
    )
    assert upstream.log.entries == []


async def test_a_missing_value_is_refused_not_taken_for_null(
    gql: GraphQLCall, upstream: Emulator, warm: None
) -> None:
    result = await gql(
        'mutation { updateDeal(dealId: 54321, customFields: [{name: "Region"}]) { id } }'
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"] == 'custom field "Region" needs a value (null clears it)'
    assert upstream.log.entries == []


async def test_the_seed_mutations_work_without_custom_fields(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql('mutation { createDeal(title: "Plain") { id title } }')
    assert result.errors == []
    assert _bodies(upstream) == [("POST", "/api/v2/deals", {"title": "Plain"})]
    assert not [e for e in upstream.log.entries if e.path.endswith("Fields")]
