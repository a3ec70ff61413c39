"""An out-of-range `limit` or `start` is bad input, refused before it is priced or called."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            '{ searchDeals(term: "abc", limit: 100000) { results { id } } }',
            "searchDeals: limit must be between 1 and 500, got 100000",
        ),
        (
            '{ searchPersons(term: "abc", limit: 0) { results { id } } }',
            "searchPersons: limit must be between 1 and 500, got 0",
        ),
        (
            "{ persons(limit: 2) { results { deals(limit: 501) { results { id } } } } }",
            "persons.results.deals: limit must be between 1 and 500, got 501",
        ),
        ("{ notes(start: -1) { results { id } } }", "notes: start must be 0 or more, got -1"),
    ],
)
async def test_a_page_argument_out_of_range_is_bad_input_with_no_upstream_call(
    gql: GraphQLCall, upstream: Emulator, query: str, message: str
) -> None:
    result = await gql(query)
    assert result.codes() == ["BAD_USER_INPUT"]
    assert result.errors[0]["message"] == message
    assert upstream.log.entries == []


async def test_a_page_argument_from_a_variable_is_checked_the_same_way(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = 'query($n: Int) { searchDeals(term: "abc", limit: $n) { results { id } } }'
    result = await gql(query, {"n": 100000})
    assert result.codes() == ["BAD_USER_INPUT"]
    assert upstream.log.entries == []
    answered = await gql(query, {"n": 5})
    assert answered.errors == []
