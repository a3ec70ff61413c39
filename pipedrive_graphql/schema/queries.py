"""The Query root: the seed's thirteen read operations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.datasources.pipedrive.records import (
    ActivityRecord,
    DealRecord,
    MailMessageRecord,
    NoteRecord,
    OffsetPage,
    OrganizationRecord,
    PersonRecord,
)
from pipedrive_graphql.execution import prefetched_one, prefetched_page
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
from pipedrive_graphql.schema.arguments import Done, Limit, NoteSort, Start, Term
from pipedrive_graphql.schema.crm_queries import CrmQuery
from pipedrive_graphql.schema.deals import Deal, DealList
from pipedrive_graphql.schema.fields import Info, resolved
from pipedrive_graphql.schema.list_arguments import (
    DealStatus,
    Direction,
    ExactMatch,
    FilterId,
    OwnerFilter,
    SearchFields,
    Sort,
    UpdatedSince,
    UpdatedUntil,
    list_filters,
    search_args,
)
from pipedrive_graphql.schema.mail import MailMessage
from pipedrive_graphql.schema.notes import Note, NoteList
from pipedrive_graphql.schema.organizations import Organization
from pipedrive_graphql.schema.pagination import served
from pipedrive_graphql.schema.persons import Person, PersonList
from pipedrive_graphql.schema.pipelines import PipelineList, StageList


def _id(what: str) -> object:
    return strawberry.argument(description=f"The ID of the {what}.")


async def _search_persons(
    info: Info,
    term: Term,
    start: Start = None,
    limit: Limit = None,
    exact_match: ExactMatch = None,
    fields: SearchFields = None,
) -> OffsetPage[PersonRecord]:
    search = search_args(exact_match, fields)
    page = await persons.search_persons(info.context, term, start, limit, search)
    return await prefetched_page(info, page)


async def _person(info: Info, person_id: Annotated[int, _id("person")]) -> PersonRecord | None:
    return await prefetched_one(info, await persons.get_person(info.context, person_id))


async def _persons(
    info: Info,
    start: Start = None,
    limit: Limit = None,
    owner_id: OwnerFilter = None,
    org_id: Annotated[int | None, _id("organization whose persons to list")] = None,
    deal_id: Annotated[int | None, _id("deal whose person to list")] = None,
    filter_id: FilterId = None,
    updated_since: UpdatedSince = None,
    updated_until: UpdatedUntil = None,
    sort_by: Sort = None,
    sort_direction: Direction = None,
) -> OffsetPage[PersonRecord]:
    filters = list_filters(
        owner_id=owner_id,
        filter_id=filter_id,
        updated_since=updated_since,
        updated_until=updated_until,
        sort_by=sort_by,
        sort_direction=sort_direction,
    )
    page = await persons.person_list_call(
        info.context, start, limit, org_id=org_id, deal_id=deal_id, filters=filters
    ).load()
    return await prefetched_page(info, page)


async def _person_activities(
    info: Info,
    person_id: Annotated[int, _id("person")],
    start: Start = None,
    limit: Limit = None,
    done: Done = None,
) -> OffsetPage[ActivityRecord]:
    page = await activities.person_activities(info.context, person_id, start, limit, done)
    return await prefetched_page(info, page)


async def _search_deals(
    info: Info,
    term: Term,
    start: Start = None,
    limit: Limit = None,
    exact_match: ExactMatch = None,
    fields: SearchFields = None,
) -> OffsetPage[DealRecord]:
    search = search_args(exact_match, fields)
    page = await deals.search_deals(info.context, term, start, limit, search)
    return await prefetched_page(info, page)


async def _deal(info: Info, deal_id: Annotated[int, _id("deal")]) -> DealRecord | None:
    return await prefetched_one(info, await deals.get_deal(info.context, deal_id))


async def _deals(
    info: Info,
    start: Start = None,
    limit: Limit = None,
    status: DealStatus = None,
    owner_id: OwnerFilter = None,
    person_id: Annotated[int | None, _id("person whose deals to list")] = None,
    org_id: Annotated[int | None, _id("organization whose deals to list")] = None,
    pipeline_id: Annotated[int | None, _id("pipeline whose deals to list")] = None,
    stage_id: Annotated[int | None, _id("stage whose deals to list")] = None,
    filter_id: FilterId = None,
    updated_since: UpdatedSince = None,
    updated_until: UpdatedUntil = None,
    sort_by: Sort = None,
    sort_direction: Direction = None,
    archived: Annotated[
        bool | None,
        strawberry.argument(
            description="true: only archived deals (`/deals/archived`, 20 tokens a page); "
            "false or null: the deals that are not archived."
        ),
    ] = None,
) -> OffsetPage[DealRecord]:
    filters = list_filters(
        owner_id=owner_id,
        filter_id=filter_id,
        updated_since=updated_since,
        updated_until=updated_until,
        sort_by=sort_by,
        sort_direction=sort_direction,
    )
    page = await deals.deal_list_call(
        info.context,
        start,
        limit,
        person_id=person_id,
        org_id=org_id,
        pipeline_id=pipeline_id,
        stage_id=stage_id,
        status=status,
        filters=filters,
        archived=bool(archived),
    ).load()
    return await prefetched_page(info, page)


async def _notes(
    info: Info,
    start: Start = None,
    limit: Limit = None,
    deal_id: Annotated[int | None, _id("deal whose notes to list")] = None,
    person_id: Annotated[int | None, _id("person whose notes to list")] = None,
    org_id: Annotated[int | None, _id("organization whose notes to list")] = None,
    sort: NoteSort = None,
) -> OffsetPage[NoteRecord]:
    page = await notes.note_list_call(
        info.context,
        start,
        limit,
        deal_id=deal_id,
        person_id=person_id,
        org_id=org_id,
        sort=sort,
    ).load()
    return await prefetched_page(info, page)


async def _note(info: Info, note_id: Annotated[int, _id("note")]) -> NoteRecord | None:
    return await prefetched_one(info, await notes.get_note(info.context, note_id))


async def _pipelines(info: Info) -> PipelineList:
    records = await pipeline_resolvers.list_pipelines(info.context)
    return PipelineList(items=served(records))


async def _stages(
    info: Info,
    pipeline_id: Annotated[int | None, _id("pipeline whose stages to list")] = None,
) -> StageList:
    records = await pipeline_resolvers.list_stages(info.context, pipeline_id)
    return StageList(items=served(records))


async def _mail_message(
    info: Info, mail_message_id: Annotated[int, _id("mail message")]
) -> MailMessageRecord | None:
    return await prefetched_one(info, await mail.get_mail_message(info.context, mail_message_id))


async def _organization(
    info: Info, org_id: Annotated[int, _id("organization")]
) -> OrganizationRecord | None:
    return await prefetched_one(info, await organizations.get_organization(info.context, org_id))


async def _pipeline_summary(
    info: Info,
    pipeline_id: Annotated[int, _id("pipeline")],
    from_: FromDate = None,
    to: ToDate = None,
) -> DealSummary:
    period = Period.checked(from_, to)
    await pipeline_resolvers.get_pipeline(info.context, pipeline_id)
    return DealSummary(pipeline_id=pipeline_id, stage_id=None, period=period)


async def _pipeline_forecast(
    info: Info,
    pipeline_id: Annotated[int, _id("pipeline")],
    from_: FromDate = None,
    to: ToDate = None,
    interval: Annotated[
        ForecastInterval, strawberry.argument(description="The width of each bucket.")
    ] = ForecastInterval.MONTH,
) -> PipelineForecast:
    width = forecast.Interval(interval.value)
    result = await forecast.pipeline_forecast(info.context, pipeline_id, from_, to, width)
    return PipelineForecast.of(result)


async def _pipeline_conversion(
    info: Info,
    pipeline_id: Annotated[int, _id("pipeline")],
    from_: Annotated[str, strawberry.argument(name="from", description="First day (YYYY-MM-DD).")],
    to: Annotated[str, strawberry.argument(description="Last day (YYYY-MM-DD).")],
    owner_id: Annotated[
        int | None,
        strawberry.argument(
            description="The ID of the user whose deals to count; null: the user of the API "
            "token only (Pipedrive's default), not every user. `userId` says which."
        ),
    ] = None,
) -> PipelineConversion:
    result = await conversion.pipeline_conversion(info.context, pipeline_id, from_, to, owner_id)
    return PipelineConversion.of(result)


async def _rotten_deals(
    info: Info,
    pipeline_id: Annotated[int | None, _id("pipeline; null: every pipeline")] = None,
    owner_id: Annotated[int | None, _id("user who owns the deals")] = None,
    start: Start = None,
    limit: Limit = None,
) -> RottenDealList:
    page = await analytics.rotten_deals(info.context, pipeline_id, owner_id, start, limit)
    return RottenDealList.of(page)


@strawberry.type(description="Read operations over the Pipedrive account.")
class Query(CrmQuery):
    """The root query type: each field, its resolver and its upstream price."""

    search_persons: PersonList | None = resolved(
        _search_persons,
        pricing.SEARCH,
        "Search persons by name, email, phone, notes or custom fields.",
    )
    person: Person | None = resolved(
        _person, pricing.GET_V2, "One person by ID; null with a NOT_FOUND error when absent."
    )
    persons: PersonList | None = resolved(
        _persons,
        pricing.LIST_V2,
        "Persons, optionally filtered and sorted (by ID by default), one window at a time.",
    )
    person_activities: ActivityList | None = resolved(
        _person_activities,
        pricing.LIST_V2_OF_PERSON,
        "The activities whose primary participant is the person (Pipedrive's `person_id` "
        "filter; not those where they are another participant), optionally only done or undone.",
    )
    search_deals: DealList | None = resolved(
        _search_deals, pricing.SEARCH_DEALS, "Search deals by title, notes or custom fields."
    )
    deal: Deal | None = resolved(
        _deal, pricing.GET_DEAL, "One deal by ID; null with a NOT_FOUND error when absent."
    )
    deals: DealList | None = resolved(
        _deals,
        pricing.DEALS_LIST,
        "Deals, optionally filtered and sorted (by ID by default), one window at a time: those "
        "not archived (nor deleted), or with `archived: true` the archived ones.",
    )
    notes: NoteList | None = resolved(
        _notes, pricing.LIST_V1, "Notes, optionally of one deal, person or organization, sorted."
    )
    note: Note | None = resolved(
        _note, pricing.GET_NOTE, "One note by ID; null with a NOT_FOUND error when absent."
    )
    pipelines: PipelineList | None = resolved(
        _pipelines, pricing.PIPELINE_LIST, "All pipelines of the company."
    )
    stages: StageList | None = resolved(
        _stages, pricing.STAGE_LIST, "The stages of one pipeline, or of all pipelines."
    )
    mail_message: MailMessage | None = resolved(
        _mail_message, pricing.GET_MAIL, "One mail message by ID, with its body."
    )
    organization: Organization | None = resolved(
        _organization,
        pricing.GET_V2,
        "One organization by ID; null with a NOT_FOUND error when absent.",
    )
    pipeline_summary: DealSummary | None = resolved(
        _pipeline_summary,
        pricing.SCAN,
        "One pipeline's health (the same as `Pipeline.summary`): open deals and deals won and "
        "lost in the optional period, per currency. Computed from the request's shared deal scan; "
        "archived deals are not counted.",
    )
    pipeline_forecast: PipelineForecast | None = resolved(
        _pipeline_forecast,
        pricing.SCAN,
        "Open deals of a pipeline bucketed by expected close date, with value and weighted value "
        "per currency per bucket and the deals without a date in their own bucket. Computed from "
        "the request's shared scan of the pipeline's open deals (not /deals/timeline, which "
        "leaves undated deals out and whose totals convert currencies). Archived deals are not "
        "counted.",
    )
    pipeline_conversion: PipelineConversion | None = resolved(
        _pipeline_conversion,
        pricing.CONVERSION,
        "Stage-to-stage conversion and win/loss rates of a pipeline over a period, from "
        "Pipedrive's /pipelines/{id}/conversion_statistics (one call, 40 tokens). It counts one "
        "user's deals: `ownerId`, else the API token's user (see `userId`); archived deals are "
        "counted as Pipedrive counts them.",
    )
    rotten_deals: RottenDealList | None = resolved(
        _rotten_deals,
        pricing.SCAN,
        "Rotting open deals (rotting on in their stage, not updated for longer than its rotten "
        "days), longest-rotting first. Computed from the request's shared scan of the deals "
        "that are not archived: archived deals are not counted.",
    )
