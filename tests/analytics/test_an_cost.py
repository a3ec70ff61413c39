"""The pipeline dashboard's upstream cost: one open-deal scan for summary, forecast, rotting."""

from __future__ import annotations

import math

from tests.analytics.an_cost import expected_requests, measure

VARIABLES = {"pipelineId": 1, "from": "2025-01-01", "to": "2025-12-31"}


async def test_demo_dashboard_costs_one_scan_and_the_references() -> None:
    open_only = await measure("demo", VARIABLES, full=False)
    assert open_only.requests == expected_requests(open_only.open_deals, None) == 3
    assert open_only.tokens == 10 + 5 + 5  # one deal page, the pipelines and stages lists
    assert open_only.reported["pipedriveTokens"] == open_only.tokens
    assert open_only.reported["upstreamRequests"] == open_only.requests
    full = await measure("demo", VARIABLES)
    assert full.requests == expected_requests(full.open_deals, full.closed_deals)
    assert full.tokens == open_only.tokens + 10 * math.ceil(full.closed_deals / 500)


async def test_large_dashboard_pages_through_the_pipeline_once() -> None:
    m = await measure("large", VARIABLES, full=False)
    pages = math.ceil(m.open_deals / 500)
    assert pages > 10  # the large dataset really needs paging
    assert m.requests == expected_requests(m.open_deals, None)
    assert m.tokens == 10 * pages + 10
    assert sum(1 for c in m.calls if c.startswith("/api/v2/deals?")) == pages
