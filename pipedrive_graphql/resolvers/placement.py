"""Stages and pipelines by id, for figures that depend on where a deal sits."""

from __future__ import annotations

from dataclasses import dataclass

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.records import DealRecord, PipelineRecord, StageRecord
from pipedrive_graphql.resolvers.deal_metrics import DealSetting


@dataclass(frozen=True, slots=True)
class Placements:
    """Every stage and pipeline of the account, by id (reference lists, cached)."""

    stages: dict[int, StageRecord]
    pipelines: dict[int, PipelineRecord]

    def of(self, deal: DealRecord) -> DealSetting:
        """The stage and pipeline records of a deal."""
        stage = None if deal.stage_id is None else self.stages.get(deal.stage_id)
        pipeline_id = deal.pipeline_id if stage is None else stage.pipeline_id
        pipeline = None if pipeline_id is None else self.pipelines.get(pipeline_id)
        return DealSetting(stage, pipeline)


async def placements(ctx: Context) -> Placements:
    """Stages and pipelines by id (each reference list at most once per request)."""
    stages = await ctx.loaders.all_stages()
    pipelines = await ctx.loaders.all_pipelines()
    return Placements({s.id: s for s in stages}, {p.id: p for p in pipelines})
