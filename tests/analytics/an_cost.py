"""Upstream requests and tokens of one pipeline dashboard query on the demo and large datasets.

Run: `.venv/bin/python -m tests.analytics.an_cost` (prints a Markdown table).
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.settings import Secret, Settings

URL = "http://pipedrive.test"
TOTALS = "byCurrency { currency count value weightedValue }"
DASHBOARD = f"""query Dashboard($pipelineId: Int!, $from: String, $to: String) {{
  pipelineSummary(pipelineId: $pipelineId, from: $from, to: $to) {{
    open {{ count rottenCount {TOTALS} computedAt source dealsScanned }}
    won {{ count {TOTALS} }}
    lost {{ count {TOTALS} }}
  }}
  pipelineForecast(pipelineId: $pipelineId, interval: QUARTER) {{
    buckets {{ periodStart count {TOTALS} }}
    undated {{ count {TOTALS} }}
  }}
  rottenDeals(pipelineId: $pipelineId, limit: 10) {{
    results {{ id title value currency rottenSince daysInStage }}
    hasMore nextStart
  }}
}}"""
OPEN_ONLY = DASHBOARD.replace(f"won {{ count {TOTALS} }}\n    lost {{ count {TOTALS} }}\n", "")


@dataclass(frozen=True)
class Measured:
    """One dashboard run: the dataset, variant, upstream requests and tokens, and the paths."""

    dataset: str
    variant: str
    requests: int
    tokens: int
    reported: dict[str, Any]
    calls: list[str]
    open_deals: int
    closed_deals: int


def _open_and_closed(emu: Emulator, pipeline_id: int, since: str | None) -> tuple[int, int]:
    rows = [
        d
        for d in emu.store.all("deals")
        if d["pipeline_id"] == pipeline_id and not d["is_deleted"] and not d["is_archived"]
    ]
    opened = sum(1 for d in rows if d["status"] == "open")
    closed = sum(
        1
        for d in rows
        if d["status"] in ("won", "lost") and (since is None or d["update_time"] >= since)
    )
    return opened, closed


def _call(path: str, query: dict[str, str]) -> str:
    shown = "&".join(f"{k}={v}" for k, v in sorted(query.items()) if k != "cursor")
    return f"{path}?{shown}" if shown else path


def expected_requests(open_deals: int, closed_deals: int | None) -> int:
    """pipelines + stages + one page per 500 open (and, if asked, closed) deals."""
    pages = max(1, math.ceil(open_deals / 500))
    if closed_deals is not None:
        pages += max(1, math.ceil(closed_deals / 500))
    return 2 + pages


async def measure(dataset: str, variables: dict[str, Any], *, full: bool = True) -> Measured:
    """Run the dashboard once on a fresh server and emulator; count what went upstream."""
    emu = Emulator(EmulatorConfig(dataset=dataset))
    settings = Settings(api_token=Secret("cost-token"), base_url=URL)
    app = create_app(settings, upstream_transport=httpx.ASGITransport(app=emu.app),
                     upstream_base_url=URL)  # fmt: skip
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://server") as http:
            query = DASHBOARD if full else OPEN_ONLY
            body = (
                await http.post("/graphql", json={"query": query, "variables": variables})
            ).json()
    assert not body.get("errors"), body.get("errors")
    since = f"{variables['from']}T00:00:00Z" if variables.get("from") else None
    opened, closed = _open_and_closed(emu, variables["pipelineId"], since)
    entries = emu.log.entries
    return Measured(
        dataset,
        "summary (open + won/lost in period) + forecast + rotten"
        if full
        else "summary (open) + forecast + rotten",
        len(entries),
        sum(e.token_cost for e in entries),
        body["extensions"]["cost"],
        [_call(e.path, e.query) for e in entries],
        opened,
        closed,
    )


async def main() -> None:
    """Print the table for demo and large, pipeline 1, period 2025-01-01 … 2025-12-31."""
    variables = {"pipelineId": 1, "from": "2025-01-01", "to": "2025-12-31"}
    print("| dataset | query | open deals | closed since `from` | upstream requests | tokens |")
    print("| --- | --- | --- | --- | --- | --- |")
    for dataset in ("demo", "large"):
        for full in (False, True):
            m = await measure(dataset, variables, full=full)
            print(f"| {m.dataset} | {m.variant} | {m.open_deals} | {m.closed_deals} | "
                  f"{m.requests} | {m.tokens} |")  # fmt: skip
            for call, count in Counter(m.calls).items():
                print(f"|  |  |  |  | {count} × `{call}` |  |")


if __name__ == "__main__":
    asyncio.run(main())
