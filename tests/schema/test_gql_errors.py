"""Errors carry their contract code and never take the rest of the response down with them."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator, FaultRule
from tests.conftest import GraphQLCall


async def test_unknown_id_is_null_with_not_found_beside_data(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    query = """{ person(personId: 999999001) { id name }
      deal(dealId: 54321) { id title } note(noteId: 999999002) { id }
      mailMessage(mailMessageId: 999999003) { id } organization(orgId: 99999) { name } }"""
    result = await gql(query)
    assert result.data == {
        "person": None,
        "deal": {"id": 54321, "title": "Acme Corp - Enterprise License"},
        "note": None,
        "mailMessage": None,
        "organization": {"name": "Globex Corporation"},
    }
    paths = sorted((e["path"][0], e["extensions"]["code"]) for e in result.errors)
    assert paths == [
        ("mailMessage", "NOT_FOUND"),
        ("note", "NOT_FOUND"),
        ("person", "NOT_FOUND"),
    ]


async def test_person_activities_of_unknown_person_is_not_found(gql: GraphQLCall) -> None:
    result = await gql("{ personActivities(personId: 999999001) { results { id } } }")
    assert result.data == {"personActivities": None}
    assert result.codes() == ["NOT_FOUND"]


async def test_dangling_link_is_null_without_error(gql: GraphQLCall, upstream: Emulator) -> None:
    """A link to a record that is gone upstream resolves to null; it is not the client's error."""
    upstream.store.delete("persons", 12345)  # deal 54321 still points at it
    result = await gql("{ deal(dealId: 54321) { id person { id } organization { id } } }")
    assert result.errors == []
    assert result.data == {"deal": {"id": 54321, "person": None, "organization": {"id": 67890}}}


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ('{ searchPersons(term: "a") { hasMore } }', "at least 2"),
        ('{ searchDeals(term: " x ") { hasMore } }', "at least 2"),
        ("{ persons(limit: 501) { hasMore } }", "limit"),
        ("{ deals(limit: 0) { hasMore } }", "limit"),
        ("{ persons(start: -1) { hasMore } }", "start"),
        ('{ notes(sort: "add_time SIDEWAYS") { hasMore } }', "sort"),
        ('{ notes(sort: "password DESC") { hasMore } }', "sort"),
        ('{ person(personId: 12345) { deals(status: "pending") { hasMore } } }', "status"),
    ],
)
async def test_bad_arguments_are_refused_before_any_call(
    gql: GraphQLCall, upstream: Emulator, query: str, fragment: str
) -> None:
    result = await gql(query)
    assert result.codes() == ["BAD_USER_INPUT"]
    assert fragment in result.errors[0]["message"]
    assert all("/search" not in e.path and "/notes" not in e.path for e in upstream.log.entries)
    assert all(e.path.startswith("/api/v2/persons") for e in upstream.log.entries)


@pytest.mark.parametrize(
    "mutation",
    [
        'createDeal(title: "X", expectedCloseDate: "2024-13-01") { id }',
        'createDeal(title: "X", expectedCloseDate: "30/06/2024") { id }',
        'createDeal(title: "X", status: "pending") { id }',
        'updateDeal(dealId: 54321, status: "deleted") { id }',
        'createNote(content: "orphan") { id }',
        "updateNote(noteId: 98765, content: null) { id }",
    ],
)
async def test_bad_mutation_arguments_send_nothing(
    gql: GraphQLCall, upstream: Emulator, mutation: str
) -> None:
    result = await gql(f"mutation {{ {mutation} }}")
    assert result.codes() == ["BAD_USER_INPUT"]
    assert list(result.data.values()) == [None]  # the mutation result is null, beside its error
    assert upstream.log.entries == []


async def test_failing_link_nulls_only_that_branch(gql: GraphQLCall, upstream: Emulator) -> None:
    upstream.faults.add(FaultRule(path="/api/v1/notes", kind="http_503"))
    query = """{ deal(dealId: 54321) { title notes { results { id } } person { name } } }"""
    result = await gql(query)
    assert result.data == {
        "deal": {
            "title": "Acme Corp - Enterprise License",
            "notes": None,
            "person": {"name": "John Doe"},
        }
    }
    assert result.codes() == ["UPSTREAM_UNAVAILABLE"]
    assert result.errors[0]["path"] == ["deal", "notes"]


async def test_rate_limited_root_field_beside_working_one(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    upstream.faults.add(FaultRule(path="/api/v2/deals/search", kind="daily_429"))
    query = '{ searchDeals(term: "Enterprise") { hasMore } pipelines { results { id } } }'
    result = await gql(query)
    assert result.data["searchDeals"] is None
    assert "RATE_LIMITED" in result.codes()
    assert isinstance(result.errors[0]["extensions"]["retryAfter"], int)
    # An exhausted daily budget is remembered for the credential: a field resolved after the
    # 429 fails fast with RATE_LIMITED too, without another upstream call.
    if result.data["pipelines"] is None:
        assert result.codes() == ["RATE_LIMITED", "RATE_LIMITED"]
    else:
        assert result.data["pipelines"]["results"]
    assert upstream.log.entries[-1].status == 429


async def test_forbidden_upstream_is_forbidden(gql: GraphQLCall, upstream: Emulator) -> None:
    upstream.faults.add(FaultRule(path="/api/v1/mailbox", kind="html_403"))
    result = await gql("{ mailMessage(mailMessageId: 11111) { id } note(noteId: 98765) { id } }")
    assert result.data == {"mailMessage": None, "note": {"id": 98765}}
    assert result.codes() == ["FORBIDDEN"]
