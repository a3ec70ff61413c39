"""A filtered list with links batches exactly like the unfiltered one."""

from __future__ import annotations

from starlette.applications import Starlette

from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

from .crm_support import matching, ordered_ids

SELECTION = "results { id person { name organization { name } } stage { name } }"


def _add_open_deals_of_owner(upstream: Emulator, owner: int, count: int) -> None:
    persons = [p for p in upstream.store.all("persons") if p["org_id"] and not p["is_deleted"]]
    stages = [s["id"] for s in upstream.store.all("stages")]
    for i in range(count):
        upstream.store.insert(
            "deals",
            {
                "title": f"Batch deal {i}",
                "owner_id": owner,
                "person_id": persons[i % len(persons)]["id"],
                "org_id": persons[i % len(persons)]["org_id"],
                "stage_id": stages[i % len(stages)],
                "status": "open",
            },
        )


async def test_open_deals_of_one_owner_cost_the_requests_of_the_unfiltered_list(
    gql: GraphQLCall, upstream: Emulator, app: Starlette
) -> None:
    _add_open_deals_of_owner(upstream, 2, 100)
    filtered = await gql(f'{{ deals(status: "open", ownerId: 2, limit: 100) {{ {SELECTION} }} }}')
    assert filtered.errors == []
    filtered_paths = sorted(e.path for e in upstream.log.entries)
    app.state.runtime.memory = UpstreamMemory()  # the stage list would be remembered otherwise
    plain = await gql(f"{{ deals(limit: 100) {{ {SELECTION} }} }}")
    assert plain.errors == []
    plain_paths = sorted(e.path for e in upstream.log.entries)
    # One deals page, one persons ids= batch, one organizations ids= batch, the stages list.
    expected = ["/api/v2/deals", "/api/v2/organizations", "/api/v2/persons", "/api/v2/stages"]
    assert filtered_paths == plain_paths == expected
    rows = filtered.data["deals"]["results"]
    open_of_2 = matching(upstream, "deals", lambda r: r["status"] == "open" and r["owner_id"] == 2)
    assert [d["id"] for d in rows] == ordered_ids(open_of_2)[:100]
    assert len(rows) == 100
    linked = 0
    for row in rows:
        deal = upstream.store.get("deals", row["id"])
        assert deal is not None
        stage = upstream.store.get("stages", deal["stage_id"])
        assert stage is not None
        assert row["stage"] == {"name": stage["name"]}
        person = upstream.store.get("persons", deal["person_id"]) if deal["person_id"] else None
        if person is None:
            assert row["person"] is None
            continue
        org = upstream.store.get("organizations", person["org_id"]) if person["org_id"] else None
        assert row["person"] == {
            "name": person["name"],
            "organization": None if org is None else {"name": org["name"]},
        }
        linked += org is not None
    assert linked >= 70  # the links were really followed, not left null
