"""Pipeline and stage reads: reference lists fetched once per request through the loaders."""

from __future__ import annotations

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.records import PipelineRecord, StageRecord
from pipedrive_graphql.resolvers.common import found


async def list_pipelines(ctx: Context) -> tuple[PipelineRecord, ...]:
    """Every pipeline, in Pipedrive's order."""
    return await ctx.loaders.all_pipelines()


async def list_stages(ctx: Context, pipeline_id: int | None) -> tuple[StageRecord, ...]:
    """Every stage, or those of one pipeline, ordered by pipeline then `order_nr`."""
    return await ctx.loaders.stages_of(pipeline_id)


async def stage_or_none(ctx: Context, stage_id: int | None) -> StageRecord | None:
    """The stage a link points at, or None."""
    if stage_id is None:
        return None
    return await ctx.loaders.stage_by_id.load(stage_id)


async def get_pipeline(ctx: Context, pipeline_id: int) -> PipelineRecord:
    """One pipeline by id from the (cached) pipeline list; NOT_FOUND when absent."""
    pipelines = await ctx.loaders.all_pipelines()
    match = next((p for p in pipelines if p.id == pipeline_id), None)
    return found(match, "pipeline", pipeline_id)
