"""`@skip`/`@include`: what the result leaves out costs no upstream call and no estimate.

The prefetch reads the selection one level ahead of execution, and the pre-flight estimate
walks it before any call: both evaluate the two directives as the executor does.
"""

from __future__ import annotations

from collections import Counter

import pytest

from pipedrive_graphql.emulator import Emulator
from tests.conftest import GraphQLCall

LISTS = """query ($with: Boolean!, $without: Boolean!) {
  persons(limit: 30) { results { id
    deals(limit: 2) @include(if: $with) { results { id } }
    activities @skip(if: $without) { results { id } }
    ... @include(if: $with) { notes(limit: 1) { results { id } } }
    ...Org @skip(if: $without)
  } }
}
fragment Org on Person { organization { id } }"""


def _calls(upstream: Emulator) -> Counter[str]:
    return Counter(entry.path for entry in upstream.log.entries)


async def test_skipped_lists_and_links_are_not_loaded(gql: GraphQLCall, upstream: Emulator) -> None:
    skipped = await gql(LISTS, {"with": False, "without": True})
    assert skipped.errors == []
    persons = skipped.data["persons"]["results"]
    assert len(persons) == 30
    assert all(set(p) == {"id"} for p in persons)
    assert _calls(upstream) == {"/api/v2/persons": 1}
    # the persons list alone: one call, 10 tokens
    assert skipped.extensions["cost"]["estimate"] == {"upstreamCalls": 1, "pipedriveTokens": 10}


async def test_included_lists_and_links_are_loaded_and_estimated(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    shown = await gql(LISTS, {"with": True, "without": False})
    assert shown.errors == []
    persons = shown.data["persons"]["results"]
    assert all({"deals", "activities", "notes", "organization"} <= set(p) for p in persons)
    calls = _calls(upstream)
    assert calls["/api/v2/deals"] == calls["/api/v2/activities"] == 1
    assert calls["/api/v2/organizations"] == 1
    assert calls["/api/v1/notes"] == 1  # one scan of the notes, not a call per person
    estimate = shown.extensions["cost"]["estimate"]["upstreamCalls"]
    assert sum(calls.values()) <= estimate
    assert estimate > 30  # the notes, deals and activities may take a call per person


@pytest.mark.parametrize("directive", ["@skip(if: true)", "@include(if: false)"])
async def test_a_skipped_link_under_a_list_is_not_loaded(
    gql: GraphQLCall, upstream: Emulator, directive: str
) -> None:
    query = f"{{ deals(limit: 20) {{ results {{ id person {directive} {{ name }} }} }} }}"
    result = await gql(query)
    assert result.errors == []
    assert all(set(d) == {"id"} for d in result.data["deals"]["results"])
    assert _calls(upstream) == {"/api/v2/deals": 1}
