"""The Query root: the seed's thirteen read operations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from pipedrive_graphql.resolvers import (
    activities,
    analytics,
    conversion,
    deals,
    forecast,
    mail,
    notes,
    organizations,
    persons,
)
from pipedrive_graphql.resolvers import pipelines as pipeline_resolvers
from pipedrive_graphql.resolvers.analytics import Period
from pipedrive_graphql.schema.activities import ActivityList
from pipedrive_graphql.schema.analytics import (
    DealSummary,
    ForecastInterval,
    FromDate,
    PipelineConversion,
    PipelineForecast,
    RottenDealList,
    ToDate,
)
from pipedrive_graphql.schema.arguments import Done, Limit, Start, Term
from pipedrive_graphql.schema.common import Info, resolved_field
from pipedrive_graphql.schema.deals import Deal, DealList
from pipedrive_graphql.schema.links import prefetch_one, prefetched_page
from pipedrive_graphql.schema.mail import MailMessage
from pipedrive_graphql.schema.notes import Note, NoteList
from pipedrive_graphql.schema.organizations import Organization
from pipedrive_graphql.schema.persons import Person, PersonList
from pipedrive_graphql.schema.pipelines import Pipeline, PipelineList, Stage, StageList


def _id(what: str) -> object:
    return strawberry.argument(description=f"The ID of the {what}.")


@strawberry.type(description="Read operations over the Pipedrive account.")
class Query:
    """The root query type."""

    @resolved_field("Search persons by name, email, phone, notes or custom fields.")
    async def search_persons(
        self, info: Info, term: Term, start: Start = None, limit: Limit = None
    ) -> PersonList | None:
        page = await persons.search_persons(info.context, term, start, limit)
        return await prefetched_page(info, "Person", page, PersonList.from_page)

    @resolved_field("One person by ID; null with a NOT_FOUND error when absent.")
    async def person(self, info: Info, person_id: Annotated[int, _id("person")]) -> Person | None:
        record = await persons.get_person(info.context, person_id)
        await prefetch_one(info, "Person", record)
        return Person.from_record(record)

    @resolved_field("All persons, by ID, one window at a time.")
    async def persons(
        self, info: Info, start: Start = None, limit: Limit = None
    ) -> PersonList | None:
        page = await persons.list_persons(info.context, start, limit)
        return await prefetched_page(info, "Person", page, PersonList.from_page)

    @resolved_field("The activities of one person, optionally only done or undone.")
    async def person_activities(
        self,
        info: Info,
        person_id: Annotated[int, _id("person")],
        start: Start = None,
        limit: Limit = None,
        done: Done = None,
    ) -> ActivityList | None:
        page = await activities.person_activities(info.context, person_id, start, limit, done)
        return await prefetched_page(info, "Activity", page, ActivityList.from_page)

    @resolved_field("Search deals by title, notes or custom fields.")
    async def search_deals(
        self, info: Info, term: Term, start: Start = None, limit: Limit = None
    ) -> DealList | None:
        page = await deals.search_deals(info.context, term, start, limit)
        return await prefetched_page(info, "Deal", page, DealList.from_page)

    @resolved_field("One deal by ID; null with a NOT_FOUND error when absent.")
    async def deal(self, info: Info, deal_id: Annotated[int, _id("deal")]) -> Deal | None:
        record = await deals.get_deal(info.context, deal_id)
        await prefetch_one(info, "Deal", record)
        return Deal.from_record(record)

    @resolved_field("All deals (not archived), by ID, one window at a time.")
    async def deals(self, info: Info, start: Start = None, limit: Limit = None) -> DealList | None:
        page = await deals.list_deals(info.context, start, limit)
        return await prefetched_page(info, "Deal", page, DealList.from_page)

    @resolved_field("Notes, optionally of one deal, person or organization, sorted.")
    async def notes(
        self,
        info: Info,
        start: Start = None,
        limit: Limit = None,
        deal_id: Annotated[int | None, _id("deal whose notes to list")] = None,
        person_id: Annotated[int | None, _id("person whose notes to list")] = None,
        org_id: Annotated[int | None, _id("organization whose notes to list")] = None,
        sort: Annotated[
            str | None,
            strawberry.argument(
                description="Fields and directions, e.g. `add_time DESC` or `id ASC, content DESC`."
            ),
        ] = None,
    ) -> NoteList | None:
        page = await notes.list_notes(
            info.context,
            start,
            limit,
            deal_id=deal_id,
            person_id=person_id,
            org_id=org_id,
            sort=sort,
        )
        return await prefetched_page(info, "Note", page, NoteList.from_page)

    @resolved_field("One note by ID; null with a NOT_FOUND error when absent.")
    async def note(self, info: Info, note_id: Annotated[int, _id("note")]) -> Note | None:
        record = await notes.get_note(info.context, note_id)
        await prefetch_one(info, "Note", record)
        return Note.from_record(record)

    @resolved_field("All pipelines of the company.")
    async def pipelines(self, info: Info) -> PipelineList | None:
        records = await pipeline_resolvers.list_pipelines(info.context)
        return PipelineList(results=[Pipeline.from_record(r) for r in records])

    @resolved_field("The stages of one pipeline, or of all pipelines.")
    async def stages(
        self,
        info: Info,
        pipeline_id: Annotated[int | None, _id("pipeline whose stages to list")] = None,
    ) -> StageList | None:
        records = await pipeline_resolvers.list_stages(info.context, pipeline_id)
        return StageList(results=[Stage.from_record(r) for r in records])

    @resolved_field("One mail message by ID, with its body.")
    async def mail_message(
        self, info: Info, mail_message_id: Annotated[int, _id("mail message")]
    ) -> MailMessage | None:
        record = await mail.get_mail_message(info.context, mail_message_id)
        await prefetch_one(info, "MailMessage", record)
        return MailMessage.from_record(record)

    @resolved_field("One organization by ID; null with a NOT_FOUND error when absent.")
    async def organization(
        self, info: Info, org_id: Annotated[int, _id("organization")]
    ) -> Organization | None:
        record = await organizations.get_organization(info.context, org_id)
        await prefetch_one(info, "Organization", record)
        return Organization.from_record(record)

    @resolved_field(
        "One pipeline's health (the same as `Pipeline.summary`): open deals and deals won and "
        "lost in the optional period, per currency. Computed from the request's shared deal scan."
    )
    async def pipeline_summary(
        self,
        info: Info,
        pipeline_id: Annotated[int, _id("pipeline")],
        from_: FromDate = None,
        to: ToDate = None,
    ) -> DealSummary | None:
        period = Period.checked(from_, to)
        await pipeline_resolvers.get_pipeline(info.context, pipeline_id)
        return DealSummary(pipeline_id=pipeline_id, stage_id=None, period=period)

    @resolved_field(
        "Open deals of a pipeline bucketed by expected close date, with value and weighted value "
        "per currency per bucket and the deals without a date in their own bucket. Computed from "
        "the request's shared scan of the pipeline's open deals (not /deals/timeline, which "
        "leaves undated deals out and whose totals convert currencies)."
    )
    async def pipeline_forecast(
        self,
        info: Info,
        pipeline_id: Annotated[int, _id("pipeline")],
        from_: FromDate = None,
        to: ToDate = None,
        interval: Annotated[
            ForecastInterval, strawberry.argument(description="The width of each bucket.")
        ] = ForecastInterval.MONTH,
    ) -> PipelineForecast | None:
        width = forecast.Interval(interval.value)
        result = await forecast.pipeline_forecast(info.context, pipeline_id, from_, to, width)
        return PipelineForecast.of(result)

    @resolved_field(
        "Stage-to-stage conversion and win/loss rates of a pipeline over a period, from "
        "Pipedrive's /pipelines/{id}/conversion_statistics (one call, 40 tokens)."
    )
    async def pipeline_conversion(
        self,
        info: Info,
        pipeline_id: Annotated[int, _id("pipeline")],
        from_: Annotated[
            str, strawberry.argument(name="from", description="First day (YYYY-MM-DD).")
        ],
        to: Annotated[str, strawberry.argument(description="Last day (YYYY-MM-DD).")],
        owner_id: Annotated[int | None, _id("user whose deals to count")] = None,
    ) -> PipelineConversion | None:
        result = await conversion.pipeline_conversion(
            info.context, pipeline_id, from_, to, owner_id
        )
        return PipelineConversion.of(result)

    @resolved_field(
        "Rotting open deals (rotting on in their stage, no stage change for longer than its "
        "rotten days), longest-rotting first. Computed from the request's shared deal scan."
    )
    async def rotten_deals(
        self,
        info: Info,
        pipeline_id: Annotated[int | None, _id("pipeline; null: every pipeline")] = None,
        owner_id: Annotated[int | None, _id("user who owns the deals")] = None,
        start: Start = None,
        limit: Limit = None,
    ) -> RottenDealList | None:
        page = await analytics.rotten_deals(info.context, pipeline_id, owner_id, start, limit)
        return RottenDealList.of(page)
