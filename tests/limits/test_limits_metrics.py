"""`/metrics` keeps per-credential series bounded however many credentials the process saw."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from pipedrive_graphql.metrics import MAX_CREDENTIAL_SERIES


async def _gauges(http: httpx.AsyncClient) -> dict[str, dict[str, float]]:
    response = await http.get("/metrics")
    out: dict[str, dict[str, float]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            key = sample.labels.get("credential_key", "")
            out.setdefault(sample.name, {})[key] = sample.value
    return out


async def test_credential_series_are_the_nearest_to_their_limits_plus_other(
    app: Starlette, http: httpx.AsyncClient
) -> None:
    guard = app.state.runtime.guard
    for i in range(2_000):
        governor = guard.governor(f"{i:016x}", oauth=False)
        governor.observe(False, 80, 1_000 + i, 2.0)  # remaining in the burst window
    gauges = await _gauges(http)
    burst = gauges["pipedrive_graphql_rate_limit_remaining"]
    assert len(burst) == MAX_CREDENTIAL_SERIES + 1
    # the credentials with the fewest requests left are shown by key, the rest as "other"
    assert burst[f"{0:016x}"] == 1_000
    assert burst[f"{MAX_CREDENTIAL_SERIES - 1:016x}"] == 1_000 + MAX_CREDENTIAL_SERIES - 1
    assert burst["other"] == 1_000 + MAX_CREDENTIAL_SERIES
    assert gauges["pipedrive_graphql_credentials_tracked"][""] == 2_000
    assert len((await http.get("/metrics")).content) < 20_000
