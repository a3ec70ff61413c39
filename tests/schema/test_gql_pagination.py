"""Offsets over v2 cursors: walking in order costs one request per page; any start is right."""

from __future__ import annotations

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

PERSONS = """query($start: Int, $limit: Int) { persons(start: $start, limit: $limit) {
  results { id } hasMore nextStart } }"""


def _all_person_ids(upstream: Emulator) -> list[int]:
    # the persons list leaves deleted persons out
    return sorted(int(p["id"]) for p in upstream.store.all("persons") if not p["is_deleted"])


async def test_walking_persons_25_at_a_time(gql: GraphQLCall, upstream: Emulator) -> None:
    seen: list[int] = []
    start: int | None = 0
    pages = 0
    upstream.log.clear()
    while start is not None:
        result = await gql(PERSONS, {"start": start, "limit": 25}, keep_log=True)
        assert result.errors == []
        page = result.data["persons"]
        seen += [p["id"] for p in page["results"]]
        assert page["hasMore"] is (page["nextStart"] is not None)
        start = page["nextStart"]
        pages += 1
    assert seen == _all_person_ids(upstream)
    assert upstream.log.count("/api/v2/persons") <= pages + 1


async def test_jump_to_start_50(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(PERSONS, {"start": 50, "limit": 10})
    assert result.errors == []
    page = result.data["persons"]
    assert [p["id"] for p in page["results"]] == _all_person_ids(upstream)[50:60]
    assert page["nextStart"] == 60


async def test_linked_list_pages(gql: GraphQLCall) -> None:
    query = """query($start: Int) { organization(orgId: 67890) {
      activities(start: $start, limit: 2) { results { id } hasMore nextStart } } }"""
    first = await gql(query, {"start": 0})
    second = await gql(query, {"start": 2})
    a = first.data["organization"]["activities"]
    b = second.data["organization"]["activities"]
    assert (a["hasMore"], a["nextStart"]) == (True, 2)
    ids = [x["id"] for x in a["results"] + b["results"]]
    assert len(set(ids)) == len(ids) >= 3
    assert b["nextStart"] is None or b["hasMore"] is True


async def test_search_pages(gql: GraphQLCall) -> None:
    query = """query($start: Int) { searchDeals(term: "Consulting", start: $start, limit: 10) {
      results { id } hasMore nextStart } }"""
    first = (await gql(query, {"start": 0})).data["searchDeals"]
    second = (await gql(query, {"start": 10})).data["searchDeals"]
    assert first["nextStart"] == 10
    ids = [d["id"] for d in first["results"] + second["results"]]
    assert len(ids) == 20
    assert len(set(ids)) == 20
