"""Values Pipedrive sends instead of null: what the spec's examples and Pipedrive's own v2
examples show for an unlinked note and an organization without an address, checked on the
emulator's answers and on what the server makes of them."""

from __future__ import annotations

from typing import Any

import httpx

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall


async def test_a_note_linked_only_to_a_deal(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql("{ note(noteId: 98766) { dealId personId orgId person { id } } }")
    assert result.errors == []
    assert result.data["note"] == {"dealId": 54321, "personId": None, "orgId": None, "person": None}
    [entry] = upstream.log.entries
    assert (entry.method, entry.path, entry.status) == ("GET", "/api/v1/notes/98766", 200)
    response = await upstream_get(upstream, "/api/v1/notes/98766")
    # no `person`/`organization` object and no `task_id` for what is not linked (never null)
    assert response["deal"] == {"title": "Acme Corp - Enterprise License"}
    assert {"person", "organization", "task_id"}.isdisjoint(response)
    assert response["person_id"] is None


async def test_an_organization_without_an_address(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql("{ organization(orgId: 2) { id address } }")
    assert result.errors == []
    assert result.data["organization"] == {"id": 2, "address": None}
    assert [e.path for e in upstream.log.entries] == ["/api/v2/organizations/2"]
    address = (await upstream_get(upstream, "/api/v2/organizations/2"))["address"]
    assert address.pop("value") is None
    assert address == dict.fromkeys(
        (
            "country",
            "admin_area_level_1",
            "admin_area_level_2",
            "locality",
            "sublocality",
            "route",
            "street_number",
            "subpremise",
            "postal_code",
        ),
        "",
    )


async def upstream_get(upstream: Emulator, path: str) -> dict[str, Any]:
    """The `data` of one GET straight to the emulator."""
    transport = httpx.ASGITransport(app=upstream.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        response = await http.get(path, headers={"x-api-token": "t"})
    assert response.status_code == 200
    data: dict[str, Any] = response.json()["data"]
    return data
