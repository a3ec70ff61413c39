"""The Pipeline and Stage types, their links and their result types."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql.datasources.records import PipelineRecord, StageRecord
from pipedrive_graphql.resolvers import deals as deal_resolvers
from pipedrive_graphql.resolvers import pipelines as pipeline_resolvers
from pipedrive_graphql.resolvers.analytics import Period
from pipedrive_graphql.schema.analytics import DealSummary, FromDate, ToDate
from pipedrive_graphql.schema.common import Info, resolved_field
from pipedrive_graphql.schema.links import follow, prefetched_page

if TYPE_CHECKING:
    from pipedrive_graphql.schema.deals import DealList

_DEALS = "pipedrive_graphql.schema.deals"
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def url_title(name: str) -> str:
    """The pipeline name as a URL slug (`Sales Pipeline` -> `sales-pipeline`)."""
    return _NON_SLUG.sub("-", name.lower()).strip("-")


@strawberry.type(description="A sales pipeline: an ordered set of stages deals move through.")
class Pipeline:
    """A Pipedrive pipeline with its scalar fields copied from the record."""

    record: strawberry.Private[PipelineRecord]
    id: int = strawberry.field(description="The ID of the pipeline.")
    name: str = strawberry.field(description="The name of the pipeline.")
    url_title: str = strawberry.field(description="The pipeline name as a URL-safe slug.")
    order_nr: int = strawberry.field(
        description="Defines the order of pipelines. The lowest `orderNr` is the default pipeline."
    )
    active: bool = strawberry.field(description="Whether the pipeline is active (not deleted).")
    deal_probability: bool = strawberry.field(
        description="Whether deal probability is enabled for this pipeline."
    )
    add_time: str | None = strawberry.field(description="The pipeline creation time.")
    update_time: str | None = strawberry.field(description="The pipeline update time.")

    @classmethod
    def from_record(cls, r: PipelineRecord) -> Pipeline:
        """Wrap a pipeline record."""
        return cls(
            record=r,
            id=r.id,
            name=r.name,
            url_title=url_title(r.name),
            order_nr=r.order_nr,
            active=not r.is_deleted,
            deal_probability=r.is_deal_probability_enabled,
            add_time=r.add_time,
            update_time=r.update_time,
        )

    @resolved_field("The stages of the pipeline, in order.")
    async def stages(self, info: Info) -> list[Stage]:
        records = await pipeline_resolvers.list_stages(info.context, self.id)
        return [Stage.from_record(r) for r in records]

    @resolved_field("The deals in the pipeline.")
    async def deals(
        self,
        info: Info,
        start: int | None = None,
        limit: int | None = None,
        status: str | None = None,
    ) -> Annotated[DealList, strawberry.lazy(_DEALS)] | None:
        from pipedrive_graphql.schema.deals import DealList

        page = await deal_resolvers.list_deals(
            info.context, start, limit, pipeline_id=self.id, status=status
        )
        return await prefetched_page(info, "Deal", page, DealList.from_page)

    @resolved_field(
        "Pipeline health: open deals (count, rotten, value and weighted value per currency) and "
        "deals won and lost in the optional period. Computed from deal scans, not /deals/summary."
    )
    def summary(self, from_: FromDate = None, to: ToDate = None) -> DealSummary:
        return DealSummary(pipeline_id=self.id, stage_id=None, period=Period.checked(from_, to))


@strawberry.type(description="A stage of a pipeline.")
class Stage:
    """A Pipedrive stage with its scalar fields copied from the record."""

    record: strawberry.Private[StageRecord]
    id: int = strawberry.field(description="The ID of the stage.")
    name: str = strawberry.field(description="The name of the stage.")
    pipeline_id: int = strawberry.field(description="The ID of the pipeline of the stage.")
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

    @classmethod
    def from_record(cls, r: StageRecord) -> Stage:
        """Wrap a stage record."""
        return cls(
            record=r,
            id=r.id,
            name=r.name,
            pipeline_id=r.pipeline_id,
            order_nr=r.order_nr,
            active_flag=not r.is_deleted,
            deal_probability=r.deal_probability,
            rotten_flag=r.is_deal_rot_enabled,
            rotten_days=r.days_to_rotten,
            add_time=r.add_time,
            update_time=r.update_time,
        )

    @resolved_field("The pipeline the stage belongs to.")
    def pipeline(self, info: Info) -> Pipeline | None:
        return follow(info.context, self, "Stage", "pipeline", Pipeline.from_record)

    @resolved_field("The deals in the stage.")
    async def deals(
        self,
        info: Info,
        start: int | None = None,
        limit: int | None = None,
        status: str | None = None,
    ) -> Annotated[DealList, strawberry.lazy(_DEALS)] | None:
        from pipedrive_graphql.schema.deals import DealList

        page = await deal_resolvers.list_deals(
            info.context, start, limit, stage_id=self.id, status=status
        )
        return await prefetched_page(info, "Deal", page, DealList.from_page)

    @resolved_field(
        "Stage health: open deals (count, rotten, value and weighted value per currency) and "
        "deals won and lost in the optional period. Shares the pipeline's deal scan."
    )
    def summary(self, from_: FromDate = None, to: ToDate = None) -> DealSummary:
        return DealSummary(
            pipeline_id=self.pipeline_id, stage_id=self.id, period=Period.checked(from_, to)
        )


@strawberry.type(description="All pipelines of the company.")
class PipelineList:
    """The pipelines, in Pipedrive's order."""

    results: list[Pipeline] = strawberry.field(description="The pipelines.")


@strawberry.type(description="The stages of one pipeline or of all pipelines.")
class StageList:
    """The stages, in Pipedrive's order."""

    results: list[Stage] = strawberry.field(description="The stages.")
