"""User fields the emulator used to send only as null: a picture URL and the last edit time
come through as Pipedrive's v1 users send them (`icon_url` a URL or null, `modified` a
`YYYY-MM-DD HH:MM:SS` time or null)."""

from __future__ import annotations

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall


async def test_icon_url_and_modified_come_through(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql("{ users { results { id iconUrl modified } } }")
    assert result.errors == []
    users = {u["id"]: u for u in result.data["users"]["results"]}
    stored = {u["id"]: u for u in upstream.store.all("users")}
    assert users[1]["iconUrl"] == "https://emulated.example/avatars/1.png"
    assert users[2]["iconUrl"] is None
    assert stored[2]["modified"] is not None
    assert users[2]["modified"] == stored[2]["modified"].replace(" ", "T") + "Z"
    assert users[1]["modified"] is None
    assert [e.path for e in upstream.log.entries] == ["/api/v1/users"]
