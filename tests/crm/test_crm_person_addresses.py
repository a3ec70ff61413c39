"""An empty email or phone is refused: it would become the person's primary address."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

PERSON = 99


@pytest.mark.parametrize(("argument", "table_key"), [("email", "emails"), ("phone", "phones")])
@pytest.mark.parametrize("empty", ["", "  "])
async def test_update_with_an_empty_address_is_refused_and_sends_nothing(
    gql: GraphQLCall, upstream: Emulator, argument: str, table_key: str, empty: str
) -> None:
    before = upstream.store.get("persons", PERSON)
    assert before is not None
    assert any(entry["value"] for entry in before[table_key])
    result = await gql(
        f"mutation($v: String) {{ updatePerson(personId: {PERSON}, {argument}: $v) {{ id }} }}",
        {"v": empty},
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"] == (
        f"{argument} cannot be empty: give an address, or null to remove it"
    )
    assert result.data == {"updatePerson": None}
    assert upstream.log.entries == []
    assert upstream.store.get("persons", PERSON) == before


async def test_add_with_an_empty_email_is_refused(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql('mutation { addPerson(name: "No Mail", email: "") { id } }')
    assert result.codes() == ["BAD_USER_INPUT"]
    assert upstream.log.entries == []


async def test_null_removes_only_the_primary_and_keeps_the_others(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    upstream.store.update(
        "persons",
        PERSON,
        {
            "emails": [
                {"value": "main@example.com", "primary": True, "label": "work"},
                {"value": "other@example.com", "primary": False, "label": "home"},
            ]
        },
    )
    result = await gql(f"mutation {{ updatePerson(personId: {PERSON}, email: null) {{ email }} }}")
    assert result.errors == []
    assert result.data == {"updatePerson": {"email": "other@example.com"}}
    stored = upstream.store.get("persons", PERSON)
    assert stored is not None
    assert stored["emails"] == [{"value": "other@example.com", "primary": True, "label": "home"}]
