"""Activity participants, the root activity get, several deal statuses, empty updates."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

from .crm_support import matching, ordered_ids, sent

PARTICIPANTS = """{ activities(limit: 60) { results { id personId
  participants { personId primary person { id name } } } } }"""


async def test_participants_are_read_with_their_persons_in_one_batch(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(PARTICIPANTS)
    assert result.errors == []
    activities = result.data["activities"]["results"]
    several = [a for a in activities if len(a["participants"]) > 1]
    assert several  # the dataset has activities with several participants
    person_ids: set[int] = set()
    for activity in activities:
        stored = upstream.store.get("activities", activity["id"])
        assert stored is not None
        expected = [(p["person_id"], p["primary"]) for p in stored["participants"]]
        assert [(p["personId"], p["primary"]) for p in activity["participants"]] == expected
        for participant in activity["participants"]:
            person = upstream.store.get("persons", participant["personId"])
            assert person is not None
            assert participant["person"] == {"id": person["id"], "name": person["name"]}
            person_ids.add(person["id"])
        primaries = [p["personId"] for p in activity["participants"] if p["primary"]]
        assert primaries == ([activity["personId"]] if activity["personId"] else [])
    assert len(person_ids) > 9  # more than the planner would read by single GETs
    paths = [e.path for e in upstream.log.entries]
    assert paths == ["/api/v2/activities", "/api/v2/persons"]
    (batch,) = sent(upstream, "GET", "/api/v2/persons")
    assert {int(i) for i in batch["ids"].split(",")} == person_ids
    cost = result.extensions["cost"]
    assert cost["upstreamRequests"] <= cost["estimate"]["upstreamCalls"]


async def test_activity_by_id_and_not_found(gql: GraphQLCall, upstream: Emulator) -> None:
    stored = upstream.store.get("activities", 9)
    assert stored is not None
    result = await gql(
        "{ activity(activityId: 9) { id subject participants { personId primary } } }"
    )
    assert result.errors == []
    assert result.data["activity"] == {
        "id": 9,
        "subject": stored["subject"],
        "participants": [
            {"personId": p["person_id"], "primary": p["primary"]} for p in stored["participants"]
        ],
    }
    assert [e.path for e in upstream.log.entries] == ["/api/v2/activities/9"]
    missing = await gql("{ activity(activityId: 999999) { id } }")
    assert missing.codes() == ["NOT_FOUND"]
    assert missing.data == {"activity": None}


async def test_several_deal_statuses_reach_pipedrive_and_filter(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql('{ deals(status: "won, lost", limit: 500) { results { id status } } }')
    assert result.errors == []
    assert [q["status"] for q in sent(upstream, "GET", "/api/v2/deals")] == ["won,lost"]
    rows = result.data["deals"]["results"]
    assert {r["status"] for r in rows} == {"won", "lost"}
    closed = matching(upstream, "deals", lambda d: d["status"] in ("won", "lost"))
    assert [r["id"] for r in rows] == ordered_ids(closed)


async def test_a_linked_deal_list_takes_several_statuses(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(
        '{ person(personId: 12345) { deals(status: "won,lost") { results { id } } } }'
    )
    assert result.errors == []
    assert any(q.get("status") == "won,lost" for q in sent(upstream, "GET", "/api/v2/deals"))
    closed = matching(
        upstream,
        "deals",
        lambda d: d["person_id"] == 12345 and d["status"] in ("won", "lost"),
    )
    assert [r["id"] for r in result.data["person"]["deals"]["results"]] == ordered_ids(closed)


async def test_an_unknown_status_among_several_is_refused(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql('{ deals(status: "won,closed") { results { id } } }')
    assert result.codes() == ["BAD_USER_INPUT"]
    assert upstream.log.entries == []


@pytest.mark.parametrize(
    "mutation",
    [
        "updatePerson(personId: 12345) { id }",
        "updateDeal(dealId: 54321) { id }",
        "updateNote(noteId: 98765) { id }",
        "updateOrganization(orgId: 67890) { id }",
        "updateActivity(activityId: 1) { id }",
        "updateDeal(dealId: 54321, customFields: []) { id }",
    ],
)
async def test_an_update_with_nothing_to_change_sends_nothing(
    gql: GraphQLCall, upstream: Emulator, mutation: str
) -> None:
    result = await gql(f"mutation {{ {mutation} }}")
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"] == "nothing to update: give at least one field to change"
    assert upstream.log.entries == []


async def test_an_empty_status_among_several_is_refused_naming_the_whole_value(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql('{ deals(status: "won,") { results { id } } }')
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"] == (
        'status must be one or more of open, won, lost, deleted separated by commas, got "won,"'
    )
    assert upstream.log.entries == []
