"""Deleted persons, organizations and activities: one answer for one id or a hundred.

v2 `ids=` on these collections leaves deleted records out and has no parameter to ask for them;
a single GET returns them (`is_deleted: true`). The server reads both as "not there", with no
extra upstream call. Each test asserts the value and what reached the strict emulator.
"""

from __future__ import annotations

from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall
from tests.datasources.ds_support import upstream as ds_upstream


def _gets(upstream: Emulator, path: str) -> list[dict[str, str]]:
    return [e.query for e in upstream.log.entries if e.method == "GET" and e.path == path]


def _statuses(upstream: Emulator, path: str) -> list[int]:
    return [e.status for e in upstream.log.entries if e.method == "GET" and e.path == path]


async def test_a_deleted_person_is_not_found_by_a_single_get(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    upstream.store.update("persons", 12345, {"is_deleted": True})
    result = await gql("{ person(personId: 12345) { id name } }")
    assert result.codes() == ["NOT_FOUND"]
    assert result.data == {"person": None}
    # the single GET reached Pipedrive and was answered with the deleted record
    assert _gets(upstream, "/api/v2/persons/12345") == [{}]
    assert _statuses(upstream, "/api/v2/persons/12345") == [200]


async def test_deleted_links_are_null_alone_and_in_a_batch(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    upstream.store.update("persons", 12345, {"is_deleted": True})
    upstream.store.update("organizations", 67890, {"is_deleted": True})
    alone = await gql("{ deal(dealId: 54321) { person { id } organization { id } } }")
    assert alone.errors == []
    assert alone.data["deal"] == {"person": None, "organization": None}
    assert _gets(upstream, "/api/v2/persons/12345") == [{}]
    assert _gets(upstream, "/api/v2/organizations/67890") == [{}]

    query = """{ deals(limit: 200) { results {
      id personId orgId person { id } organization { id } } } }"""
    batched = await gql(query)
    assert batched.errors == []
    deals = batched.data["deals"]["results"]
    assert len({d["personId"] for d in deals if d["personId"]}) > 20  # a batch, not single GETs
    ours = next(d for d in deals if d["id"] == 54321)
    assert ours == {
        "id": 54321,
        "personId": 12345,
        "orgId": 67890,
        "person": None,
        "organization": None,
    }
    assert all(d["person"]["id"] == d["personId"] for d in deals if d["personId"] != 12345)
    # one `ids=` call per collection, the deleted id asked for and left out, no other call
    [persons] = _gets(upstream, "/api/v2/persons")
    assert "12345" in persons["ids"].split(",")
    [orgs] = _gets(upstream, "/api/v2/organizations")
    assert "67890" in orgs["ids"].split(",")
    assert _gets(upstream, "/api/v2/persons/12345") == []
    assert [e.path for e in upstream.log.entries if e.path.startswith("/api/v2/persons/")] == []


async def test_a_deleted_activity_is_none_for_one_id_or_many() -> None:
    async with ds_upstream() as up:
        live = [a["id"] for a in up.emu.store.all("activities") if not a["is_deleted"]]
        deleted = next(a["id"] for a in up.emu.store.all("activities") if a["is_deleted"])
        memory = UpstreamMemory()

        alone = up.loaders(memory)
        assert await alone.activity_by_id.load(deleted) is None
        assert (await alone.activity_by_id.load(live[0])).id == live[0]  # type: ignore[union-attr]
        assert [path for _, path, _ in up.requests()] == [
            f"/api/v2/activities/{deleted}",
            f"/api/v2/activities/{live[0]}",
        ]

        up.emu.log.clear()
        many = up.loaders(memory)
        found = await many.activity_by_id.load_many([deleted, *live[:40]])
        assert found[0] is None
        assert [a.id for a in found[1:]] == live[:40]  # type: ignore[union-attr]
        [(_, path, query)] = up.requests()
        assert path == "/api/v2/activities"
        assert str(deleted) in query["ids"].split(",")
