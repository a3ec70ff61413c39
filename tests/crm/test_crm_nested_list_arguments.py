"""An invalid argument of a linked list is one error, found before any upstream call.

The list's resolver checks its arguments once per parent, so `persons { results { deals(status:
"bogus") … } }` answered 100 identical errors after reading the persons. The arguments of every
linked list are now checked once, before anything is read, as `limit` and `start` already were.
"""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

BAD_LISTS = [
    (
        '{ persons { results { id deals(status: "bogus") { results { id } } } } }',
        "persons.results.deals: status must be one of",
    ),
    (
        '{ persons { results { id activities(updatedSince: "nope") { results { id } } } } }',
        "persons.results.activities: updatedSince must be an RFC 3339 date-time",
    ),
    (
        "{ organizations(limit: 5) { results { persons { results { "
        'deals(updatedUntil: "yesterday") { results { id } } } } } } }',
        "organizations.results.persons.results.deals: updatedUntil must be an RFC 3339",
    ),
    (
        "{ deal(dealId: 54321) { person { activities(updatedSince: "
        '"2026-02-01T00:00:00Z", updatedUntil: "2026-01-01T00:00:00Z") { results { id } } } } }',
        "deal.person.activities: updatedSince must be before updatedUntil",
    ),
]


@pytest.mark.parametrize(("query", "message"), BAD_LISTS)
async def test_a_bad_list_argument_is_one_error_before_any_call(
    gql: GraphQLCall, upstream: Emulator, query: str, message: str
) -> None:
    result = await gql(query)
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"].startswith(message)
    assert result.data is None
    assert upstream.log.entries == []


async def test_a_write_whose_result_lists_badly_is_not_sent(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(
        'mutation { createDeal(title: "Never written", personId: 12345) { id '
        'person { deals(status: "bogus") { results { id } } } } }'
    )
    assert result.codes() == ["BAD_USER_INPUT"]
    assert "createDeal.person.deals: status" in result.errors[0]["message"]
    assert upstream.log.entries == []
    assert not [d for d in upstream.store.all("deals") if d["title"] == "Never written"]


async def test_good_list_arguments_still_run(gql: GraphQLCall, upstream: Emulator) -> None:
    result = await gql(
        '{ persons(limit: 5) { results { id deals(status: "won,lost") { results { status } } } } }'
    )
    assert result.errors == []
    statuses = {
        d["status"] for p in result.data["persons"]["results"] for d in p["deals"]["results"]
    }
    assert statuses <= {"won", "lost"}
