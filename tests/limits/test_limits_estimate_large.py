"""On an account too large to scan, the estimate still bounds what a to-many level costs.

The planner reads a level's lists with one paged scan of the collection when that is cheaper;
when the collection turns out larger than the scan may read, the pages it read are spent and
one call per parent follows. A whole reference list (all stages) has as many objects as the
account's list, not one. The large dataset (20,000 deals, 8 stages) makes both happen.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.conftest import GraphQLCall

_LARGE_FAILED_PROBE = "{ persons(limit: 3) { results { id deals(limit: 1) { results { id } } } } }"
_STAGE_DEALS = "{ stages { results { id deals(limit: 1) { results { id } } } } }"


@pytest.fixture(scope="module")
def large_account() -> Iterator[Emulator]:
    """The large account, built once for the module (its tests only read) and let go after it:
    kept for the whole session, its 100,000 rows would slow every later full collection. It is
    collected here, not in whichever later test's CPU measurement the next full pass lands."""
    yield Emulator(EmulatorConfig(dataset="large", strict=True))
    gc.collect()


@pytest.fixture
def upstream(large_account: Emulator) -> Emulator:
    """The app's upstream: the large account."""
    return large_account


def _assert_within(upstream: Emulator, estimate: dict[str, int]) -> None:
    assert len(upstream.log.entries) <= estimate["upstreamCalls"]
    assert upstream.log.total_tokens() <= estimate["pipedriveTokens"]


async def test_a_probe_scan_that_gives_up_is_within_the_estimate(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    result = await gql(_LARGE_FAILED_PROBE)
    assert result.errors == []
    paths = [entry.path for entry in upstream.log.entries]
    # the persons page, one scan page of deals (the probe gives up), then a call per person
    assert paths == ["/api/v2/persons"] + ["/api/v2/deals"] * 4
    persons = [p["id"] for p in result.data["persons"]["results"]]
    per_person = [e.query.get("person_id", "") for e in upstream.log.entries[2:]]
    assert sorted(per_person) == sorted(str(p) for p in persons)
    _assert_within(upstream, result.extensions["cost"]["estimate"])


async def test_a_whole_stage_list_is_priced_for_its_stages(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    cold = await gql(_STAGE_DEALS)
    assert cold.errors == []
    stages = cold.data["stages"]["results"]
    assert len(stages) == len(list(upstream.store.all("stages"))) == 8
    # the stage list, the probe's pages (4), then one deals call per stage
    assert len(upstream.log.entries) == 1 + 4 + 8
    _assert_within(upstream, cold.extensions["cost"]["estimate"])

    # the stage list is in the process memory now: the estimate counts its 8 stages
    warm = await gql(_STAGE_DEALS)
    # the list from memory; the deals are known to be too many to scan: a call per stage
    assert len(upstream.log.entries) == 8
    estimate = warm.extensions["cost"]["estimate"]
    _assert_within(upstream, estimate)
    # the list (charged though memory had it), a call per stage and the 8 pages a scan could
    # read: fewer than for 100 assumed stages
    assert estimate["upstreamCalls"] == 1 + 8 + 8
    assert estimate["upstreamCalls"] < cold.extensions["cost"]["estimate"]["upstreamCalls"]


async def test_lists_too_large_to_scan_stay_refused_and_are_read_once(
    gql: GraphQLCall, upstream: Emulator, http: httpx.AsyncClient
) -> None:
    # 100 persons' deals and activities: 219 calls when no scan can serve them. Reading the
    # collections shows they cannot (too large); the operation stays refused.
    query = (
        "{ persons(limit: 100) { results { id deals { results { id } } "
        "activities { results { id } } } } }"
    )
    cold = await gql(query)
    assert cold.codes() == ["QUERY_TOO_COMPLEX"]
    reads = upstream.log.entries
    assert reads, "the collections were read to price the operation"
    assert {e.path for e in reads} <= {"/api/v2/deals", "/api/v2/activities"}
    assert all("person_id" not in e.query and e.query["limit"] == "500" for e in reads)
    assert max(sum(e.path == path for e in reads) for path in {e.path for e in reads}) <= 8
    # what the reads cost is reported with the refusal, and counted in the metrics
    cost = cold.extensions["cost"]
    assert cost["upstreamRequests"] == len(reads)
    assert cost["pipedriveTokens"] == upstream.log.total_tokens() > 0
    assert await _upstream_requests_counted(http) == len(reads)
    # the process memory knows now that neither fits a scan: refused without a call
    warm = await gql(query)
    assert warm.codes() == ["QUERY_TOO_COMPLEX"]
    assert upstream.log.entries == []


async def _upstream_requests_counted(http: httpx.AsyncClient) -> float:
    metrics = (await http.get("/metrics")).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == "pipedrive_graphql_upstream_requests_total"
    )
