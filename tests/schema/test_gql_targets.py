"""The upstream-call targets through GraphQL, on an account of the stated size (`target`)."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.conftest import GraphQLCall

PERSONS_360 = """{ persons(limit: 50) { results { id
  deals { results { id title } } activities { results { id subject } }
  organization { id name } } } }"""

DASHBOARD = """{ deals(limit: 100) { results { id title value currency
  person { name organization { name } } organization { name }
  stage { name pipeline { name } } owner { name } } } }"""


@pytest.fixture
def upstream() -> Emulator:
    """About 120 deals, 60 persons, 15 organizations, 150 activities."""
    return Emulator(EmulatorConfig(dataset="target", strict=True))


def _spent(upstream: Emulator) -> tuple[int, int]:
    return len(upstream.log.entries), sum(e.token_cost for e in upstream.log.entries)


@pytest.mark.parametrize(
    ("query", "requests", "tokens", "reference_data"),
    [(PERSONS_360, 10, 100, False), (DASHBOARD, 9, 46, True)],
)
async def test_target_query_cold_then_warm(
    gql: GraphQLCall,
    upstream: Emulator,
    query: str,
    requests: int,
    tokens: int,
    reference_data: bool,
) -> None:
    cold = await gql(query)
    assert cold.errors == []
    cold_spent = _spent(upstream)
    assert cold_spent[0] <= requests
    assert cold_spent[1] <= tokens
    assert cold.extensions["cost"]["upstreamRequests"] == cold_spent[0]
    assert cold.extensions["cost"]["pipedriveTokens"] == cold_spent[1]
    warm = await gql(query)
    assert warm.data == cold.data
    warm_spent = _spent(upstream)
    if reference_data:
        # users, stages and pipelines now come from the per-credential cache
        assert warm_spent == (3, 30)
        assert warm.extensions["cost"]["cacheHits"] > 0
    else:
        assert warm_spent <= cold_spent
