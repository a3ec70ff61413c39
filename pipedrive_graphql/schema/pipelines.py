"""The Pipeline and Stage types, their links and their result types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.datasources.pipedrive.records import PipelineRecord, StageRecord
from pipedrive_graphql.resolvers import pipelines as pipeline_resolvers
from pipedrive_graphql.resolvers.analytics import Period
from pipedrive_graphql.schema import linked_lists as linked
from pipedrive_graphql.schema.analytics import DealSummary, FromDate, ToDate
from pipedrive_graphql.schema.fields import Info, resolved, to_many, to_one
from pipedrive_graphql.schema.ids import ID_FITS

if TYPE_CHECKING:
    from pipedrive_graphql.schema.deals import DealList

_DEALS = "pipedrive_graphql.schema.deals"


async def _stages(parent: strawberry.Parent[PipelineRecord], info: Info) -> list[StageRecord]:
    return list(await pipeline_resolvers.list_stages(info.context, parent.id))


def _pipeline_summary(
    parent: strawberry.Parent[PipelineRecord], from_: FromDate = None, to: ToDate = None
) -> DealSummary:
    return DealSummary(pipeline_id=parent.id, stage_id=None, period=Period.checked(from_, to))


def _stage_summary(
    parent: strawberry.Parent[StageRecord], from_: FromDate = None, to: ToDate = None
) -> DealSummary:
    return DealSummary(
        pipeline_id=parent.pipeline_id, stage_id=parent.id, period=Period.checked(from_, to)
    )


@strawberry.type(description="A sales pipeline: an ordered set of stages deals move through.")
class Pipeline:
    """A Pipedrive pipeline, read from its `PipelineRecord`."""

    id: int = strawberry.field(description="The ID of the pipeline." + ID_FITS)
    name: str = strawberry.field(description="The name of the pipeline.")
    url_title: str = strawberry.field(
        description=(
            "A URL slug this server derives from the name (`Sales Pipeline` -> "
            "`sales-pipeline`); not Pipedrive's: v2 pipelines have no `url_title`."
        ),
        deprecation_reason="Pipedrive v2 has no url_title; this is derived from `name`.",
    )
    order_nr: int = strawberry.field(
        description="Defines the order of pipelines. The lowest `orderNr` is the default pipeline."
    )
    active: bool = strawberry.field(description="Whether the pipeline is active (not deleted).")
    deal_probability: bool = strawberry.field(
        description="Whether deal probability is enabled for this pipeline."
    )
    add_time: str | None = strawberry.field(description="The pipeline creation time.")
    update_time: str | None = strawberry.field(description="The pipeline update time.")

    stages: list[Stage] = resolved(
        _stages, pricing.STAGE_LIST, "The stages of the pipeline, in order."
    )
    deals: Annotated[DealList, strawberry.lazy(_DEALS)] | None = to_many(
        linked.deals("pipeline_id"), pricing.TO_MANY_V2, "The deals in the pipeline."
    )
    summary: DealSummary = resolved(
        _pipeline_summary,
        pricing.SCAN,
        "Pipeline health: open deals (count, rotten, value and weighted value per currency) and "
        "deals won and lost in the optional period. Computed from deal scans, not /deals/summary; "
        "archived deals are not counted.",
    )


@strawberry.type(description="A stage of a pipeline.")
class Stage:
    """A Pipedrive stage, read from its `StageRecord`."""

    id: int = strawberry.field(description="The ID of the stage." + ID_FITS)
    name: str = strawberry.field(description="The name of the stage.")
    pipeline_id: int = strawberry.field(
        description=(
            "The ID of the pipeline of the stage. A 32-bit GraphQL Int: a stage whose pipeline's "
            "Pipedrive id does not fit is left out of lists (named in `extensions.cost.plan`)."
        )
    )
    order_nr: int = strawberry.field(description="Defines the order of the stage.")
    active_flag: bool = strawberry.field(description="Whether the stage is active (not deleted).")
    deal_probability: int | None = strawberry.field(
        description="The success probability percentage of deals in this stage."
    )
    rotten_flag: bool = strawberry.field(
        description="Whether deals in this stage can become rotten."
    )
    rotten_days: int | None = strawberry.field(
        description="The number of days deals not updated in this stage become rotten."
    )
    add_time: str | None = strawberry.field(description="The stage creation time.")
    update_time: str | None = strawberry.field(description="The stage update time.")

    pipeline: Pipeline | None = to_one(
        "pipeline_id",
        lambda loaders: loaders.pipeline_by_id,
        pricing.PIPELINES,
        "The pipeline the stage belongs to.",
    )
    deals: Annotated[DealList, strawberry.lazy(_DEALS)] | None = to_many(
        linked.deals("stage_id"), pricing.TO_MANY_V2, "The deals in the stage."
    )
    summary: DealSummary = resolved(
        _stage_summary,
        pricing.SCAN,
        "Stage health: open deals (count, rotten, value and weighted value per currency) and "
        "deals won and lost in the optional period. Shares the pipeline's deal scan; archived "
        "deals are not counted.",
    )


@strawberry.type(description="All pipelines of the company.")
class PipelineList:
    """The pipelines, in Pipedrive's order."""

    items: list[Pipeline] = strawberry.field(name="results", description="The pipelines.")


@strawberry.type(description="The stages of one pipeline or of all pipelines.")
class StageList:
    """The stages, in Pipedrive's order."""

    items: list[Stage] = strawberry.field(name="results", description="The stages.")
