"""A level's notes are read like its v2 lists: one scan of the account's notes when cheaper.

`GET /api/v1/notes` filters by one deal, person or organization at a time, so 20 persons'
notes were 20 calls of 20 tokens. The planner now reads the account's notes in pages of 500
(offsets as the cursor) when that spends fewer tokens, and serves every person from them.
"""

from __future__ import annotations

from typing import Any

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

_NOTES_OF = "{ persons(limit: %d) { results { id notes { results { id content } hasMore } } } }"


def _stored_notes(upstream: Emulator, person_id: int) -> list[int]:
    return sorted(
        n["id"]
        for n in upstream.store.all("notes")
        if n["person_id"] == person_id and n["active_flag"]
    )


def _listed(data: dict[str, Any]) -> dict[int, list[int]]:
    return {p["id"]: [n["id"] for n in p["notes"]["results"]] for p in data["persons"]["results"]}


async def test_twenty_persons_notes_take_one_scan(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(_NOTES_OF % 20)
    assert result.errors == []
    paths = [entry.path for entry in upstream.log.entries]
    assert paths == ["/api/v2/persons", "/api/v1/notes"]  # was: the persons, then 20 notes calls
    assert upstream.log.entries[1].query == {"start": "0", "limit": "500"}
    listed = _listed(result.data)
    assert len(listed) == 20
    assert sum(map(len, listed.values())) > 0
    for person_id, notes in listed.items():
        assert notes == _stored_notes(upstream, person_id)
    cost = result.extensions["cost"]
    assert cost["upstreamRequests"] <= cost["estimate"]["upstreamCalls"]
    assert cost["pipedriveTokens"] <= cost["estimate"]["pipedriveTokens"]


async def test_a_hundred_persons_notes_are_admitted_and_read_once(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    # 100 notes calls of 20 tokens were over the 2,000 token limit; the scan is one call
    result = await gql(_NOTES_OF % 100)
    assert result.errors == []
    assert sorted(e.path for e in upstream.log.entries) == ["/api/v1/notes", "/api/v2/persons"]
    assert result.extensions["cost"]["estimate"] == {"upstreamCalls": 2, "pipedriveTokens": 30}
    for person_id, notes in _listed(result.data).items():
        assert notes == _stored_notes(upstream, person_id)


async def test_one_person_s_notes_page_is_one_call_at_its_offset(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    busiest = max(
        {n["person_id"] for n in upstream.store.all("notes") if n["person_id"]},
        key=lambda p: len(_stored_notes(upstream, p)),
    )
    result = await gql(
        "query($id: Int!) { person(personId: $id) { notes(start: 2, limit: 2) { results { id } "
        "hasMore } } }",
        {"id": busiest},
    )
    assert result.errors == []
    notes = [e for e in upstream.log.entries if e.path == "/api/v1/notes"]
    assert [e.query for e in notes] == [{"person_id": str(busiest), "start": "2", "limit": "2"}]
    assert [n["id"] for n in result.data["person"]["notes"]["results"]] == _stored_notes(
        upstream, busiest
    )[2:4]


async def test_sorted_notes_of_a_level_keep_each_person_s_order(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = (
        '{ persons(limit: 20) { results { id notes(sort: "add_time DESC") { results { id } } } } }'
    )
    result = await gql(query)
    assert result.errors == []
    reads = [e for e in upstream.log.entries if e.path == "/api/v1/notes"]
    assert [e.query for e in reads] == [{"sort": "add_time DESC", "start": "0", "limit": "500"}]
    listed = _listed(result.data)
    assert any(len(notes) > 1 for notes in listed.values())
    stored = {n["id"]: n["add_time"] for n in upstream.store.all("notes")}
    for person_id, notes in listed.items():
        assert sorted(notes) == _stored_notes(upstream, person_id)
        assert [stored[n] for n in notes] == sorted((stored[n] for n in notes), reverse=True)
