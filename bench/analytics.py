"""Upstream cost of one "pipeline dashboard" query on the demo and large datasets."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bench import stack
from bench.upstream import UpstreamCount, emulator_log, http_json, reset_emulator

PIPELINE_DASHBOARD_QUERY = """query PipelineDashboard($pipelineId: Int!) {
  pipelineSummary(pipelineId: $pipelineId) {
    open { count rottenCount byCurrency { currency count value weightedValue } source }
    won { count byCurrency { currency value } }
    lost { count }
  }
  pipelineForecast(pipelineId: $pipelineId, interval: MONTH) {
    buckets { periodStart count byCurrency { currency value weightedValue } }
    undated { count }
    source dealsScanned
  }
  rottenDeals(pipelineId: $pipelineId, limit: 20) { results { id title } hasMore }
}"""


@dataclass
class AnalyticsCost:
    """One pipeline dashboard query on one dataset."""

    dataset: str
    upstream: UpstreamCount
    seconds: float
    sources: list[str] = field(default_factory=list)
    plan_notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def measure(dataset: str, pipeline_id: int = 1) -> AnalyticsCost:
    """Start an emulator and a server, run the query once cold, read the emulator's log."""
    payload = {"query": PIPELINE_DASHBOARD_QUERY, "variables": {"pipelineId": pipeline_id}}
    with stack.emulator(dataset) as emu, stack.server(emu) as srv:
        reset_emulator(emu.url)
        started = time.perf_counter()
        response = http_json(srv.url + "/graphql", payload)
        seconds = time.perf_counter() - started
        upstream = UpstreamCount.from_log(emulator_log(emu.url))
    data = response.get("data") or {}
    sources = sorted(
        {
            str(part.get("source"))
            for part in (
                (data.get("pipelineSummary") or {}).get("open"),
                data.get("pipelineForecast"),
            )
            if isinstance(part, dict) and part.get("source")
        }
    )
    cost = ((response.get("extensions") or {}).get("cost")) or {}
    notes = [str(n) for n in cost.get("plan", [])] if isinstance(cost, dict) else []
    errors = [str(e.get("message"))[:160] for e in response.get("errors") or []]
    return AnalyticsCost(dataset, upstream, seconds, sources, notes, errors)
