"""Organization writes take custom fields; activity writes cannot (Pipedrive's v2 has none)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall
from tests.custom_fields.cf_support import keys, set_values

ORG = 67890
ADD_ORGANIZATION = """mutation($fields: [CustomFieldInput!]) {
  addOrganization(name: "Globex", customFields: $fields) { id customFields { name text } } }"""
UPDATE_ORGANIZATION = """mutation($fields: [CustomFieldInput!]) {
  updateOrganization(orgId: 67890, customFields: $fields) { id customFields { name text } } }"""


def _writes(upstream: Emulator) -> list[tuple[str, str, Any]]:
    return [(e.method, e.path, e.body) for e in upstream.log.entries if e.method != "GET"]


async def test_add_by_name_key_and_option_label(gql: GraphQLCall, upstream: Emulator) -> None:
    by_key = keys(upstream, "organization")
    fields = [
        {"name": "tier", "value": "silver"},
        {"key": by_key["Employees"], "value": 250},
        {"name": "Annual budget", "value": {"value": 90000, "currency": "USD"}},
        {"name": "Key account", "value": 12345},
    ]
    result = await gql(ADD_ORGANIZATION, {"fields": fields})
    assert result.errors == []
    assert _writes(upstream) == [("POST", "/api/v2/organizations", {
        "name": "Globex",
        "custom_fields": {
            by_key["Tier"]: _gold(upstream) + 1,  # Silver: the option after Gold
            by_key["Employees"]: 250,
            by_key["Annual budget"]: {"value": 90000, "currency": "USD"},
            by_key["Key account"]: 12345,
        },
    })]  # fmt: skip
    created = result.data["addOrganization"]
    assert created["customFields"] == [
        {"name": "Employees", "text": "250"},
        {"name": "Tier", "text": "Silver"},
        {"name": "Key account", "text": "John Doe"},
        {"name": "Annual budget", "text": "90,000.00 USD"},
    ]
    stored = upstream.store.get("organizations", created["id"])
    assert stored is not None
    assert stored["custom_fields"][by_key["Employees"]] == 250


def _gold(upstream: Emulator) -> int:
    """The option id of "Gold", the first option of the organizations' Tier field."""
    tier = next(
        d
        for d in upstream.store.all("field_definitions")
        if d["entity"] == "organization" and d["field_name"] == "Tier"
    )
    assert tier["options"][0]["label"] == "Gold"
    gold: int = tier["options"][0]["id"]
    return gold


async def test_update_clears_one_field_and_keeps_the_others(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    set_values(upstream, "organizations", ORG, {"Employees": 40.0, "Tier": _gold(upstream)})
    by_key = keys(upstream, "organization")
    result = await gql(UPDATE_ORGANIZATION, {"fields": [{"name": "Tier", "value": None}]})
    assert result.errors == []
    assert _writes(upstream) == [
        ("PATCH", "/api/v2/organizations/67890", {"custom_fields": {by_key["Tier"]: None}})
    ]
    assert result.data["updateOrganization"]["customFields"] == [
        {"name": "Employees", "text": "40"}
    ]
    stored = upstream.store.get("organizations", ORG)
    assert stored is not None
    assert stored["custom_fields"] == {by_key["Employees"]: 40.0}


REFUSALS = [
    ({"name": "Tierr", "value": "Gold"},
     'no organization custom field named "Tierr"; closest: Tier'),
    ({"name": "Tier", "value": "Platinum"},
     'custom field "Tier" (enum) has no option "Platinum" (options: Gold, Silver, Bronze)'),
    ({"name": "Annual budget", "value": 5000},
     'custom field "Annual budget" (monetary) needs a 3-letter currency: give {value, currency}'),
    ({"name": "Employees", "value": "many"},
     'custom field "Employees" (double) expects a number, got "many"'),
]  # fmt: skip


@pytest.mark.parametrize(("field", "message"), REFUSALS)
@pytest.mark.parametrize("mutation", [ADD_ORGANIZATION, UPDATE_ORGANIZATION])
async def test_refusals_send_nothing(
    gql: GraphQLCall, upstream: Emulator, mutation: str, field: dict[str, Any], message: str
) -> None:
    before = list(upstream.store.all("organizations"))
    result = await gql(mutation, {"fields": [{"name": "Key account", "value": 12345}, field]})
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"] == message
    assert [e.method for e in upstream.log.entries] in (["GET"], [])  # definitions at most
    assert [e.path for e in upstream.log.entries] in (["/api/v2/organizationFields"], [])
    upstream.log.clear()
    # the definitions are cached now: the same refusal reaches Pipedrive not at all
    again = await gql(mutation, {"fields": [field]})
    assert again.errors[0]["message"] == message
    assert upstream.log.entries == []
    assert list(upstream.store.all("organizations")) == before


async def test_the_emulator_refuses_a_bad_organization_value(upstream: Emulator) -> None:
    """The emulator checks organization custom fields as Pipedrive does, deal and person alike."""
    tier = keys(upstream, "organization")["Tier"]
    transport = httpx.ASGITransport(app=upstream.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://pd") as client:
        response = await client.patch(
            "/api/v2/organizations/67890?api_token=t", json={"custom_fields": {tier: 999}}
        )
    assert response.status_code == 400
    assert tier in response.json()["error_info"]


async def test_activity_writes_take_no_custom_fields(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(
        'mutation { createActivity(subject: "x", customFields: [{name: "Agenda", value: "y"}])'
        " { id } }"
    )
    assert result.codes() == ["BAD_USER_INPUT"]  # an unknown argument: refused by validation
    assert "customFields" in result.errors[0]["message"]
    assert upstream.log.entries == []
