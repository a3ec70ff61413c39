"""The Deal type, its links and its list type."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.clock import iso
from pipedrive_graphql.datasources.pipedrive.records import DealRecord
from pipedrive_graphql.resolvers import deal_metrics as metrics
from pipedrive_graphql.resolvers.money import rounded
from pipedrive_graphql.resolvers.placement import placements
from pipedrive_graphql.schema import linked_lists as linked
from pipedrive_graphql.schema.custom_fields import (
    CustomFieldValue,
    custom_field_field,
    custom_fields_field,
    matched_custom_fields_field,
)
from pipedrive_graphql.schema.fields import Info, resolved, to_many, to_one
from pipedrive_graphql.schema.ids import ID_FITS, link_id
from pipedrive_graphql.schema.pagination import Page

if TYPE_CHECKING:
    from pipedrive_graphql.schema.activities import ActivityList
    from pipedrive_graphql.schema.mail import MailMessageList
    from pipedrive_graphql.schema.notes import NoteList
    from pipedrive_graphql.schema.organizations import Organization
    from pipedrive_graphql.schema.persons import Person
    from pipedrive_graphql.schema.pipelines import Pipeline, Stage
    from pipedrive_graphql.schema.users import User

_ACT = "pipedrive_graphql.schema.activities"
_MAIL = "pipedrive_graphql.schema.mail"
_NOTES = "pipedrive_graphql.schema.notes"
_ORGS = "pipedrive_graphql.schema.organizations"
_PERSONS = "pipedrive_graphql.schema.persons"
_PIPES = "pipedrive_graphql.schema.pipelines"
_USERS = "pipedrive_graphql.schema.users"


async def _probability(parent: strawberry.Parent[DealRecord], info: Info) -> float | None:
    where = (await placements(info.context)).of(parent)
    return metrics.probability(parent, where)


async def _weighted_value(parent: strawberry.Parent[DealRecord], info: Info) -> float | None:
    where = (await placements(info.context)).of(parent)
    weighted = metrics.weighted_value(parent, where)
    if weighted is None or parent.currency is None:
        return weighted
    return rounded(weighted, parent.currency)


def _days_in_stage(parent: strawberry.Parent[DealRecord], info: Info) -> int | None:
    return metrics.days_in_stage(parent, info.context.clock())


def _age_days(parent: strawberry.Parent[DealRecord], info: Info) -> int | None:
    return metrics.age_days(parent, info.context.clock())


async def _since(deal: DealRecord, info: Info) -> datetime | None:
    where = (await placements(info.context)).of(deal)
    return metrics.rotten_since(deal, where.stage, info.context.clock())


async def _is_rotten(parent: strawberry.Parent[DealRecord], info: Info) -> bool:
    return await _since(parent, info) is not None


async def _rotten_since(parent: strawberry.Parent[DealRecord], info: Info) -> str | None:
    since = await _since(parent, info)
    return None if since is None else iso(since)


@strawberry.type(description="A deal: a potential sale moving through the stages of a pipeline.")
class Deal:
    """A Pipedrive deal, read from its `DealRecord`."""

    id: int = strawberry.field(description="The ID of the deal." + ID_FITS)
    title: str = strawberry.field(description="The title of the deal.")
    value: float | None = strawberry.field(description="The value of the deal.")
    currency: str | None = strawberry.field(description="The currency associated with the deal.")
    status: str = strawberry.field(
        description="The status of the deal: open, won, lost or deleted."
    )
    stage_id: int | None = strawberry.field(description=link_id("The ID of the deal stage."))
    pipeline_id: int | None = strawberry.field(
        description=link_id("The ID of the pipeline associated with the deal.")
    )
    person_id: int | None = strawberry.field(
        description=link_id("The ID of the person linked to the deal.")
    )
    org_id: int | None = strawberry.field(
        description=link_id("The ID of the organization linked to the deal.")
    )
    owner_id: int | None = strawberry.field(
        description=link_id("The ID of the user who owns the deal.")
    )
    expected_close_date: str | None = strawberry.field(
        description="The expected close date of the deal (YYYY-MM-DD)."
    )
    won_time: str | None = strawberry.field(
        description="The date and time of changing the deal status as won."
    )
    lost_time: str | None = strawberry.field(
        description="The date and time of changing the deal status as lost."
    )
    close_time: str | None = strawberry.field(description="The date and time of closing the deal.")
    lost_reason: str | None = strawberry.field(description="The reason for losing the deal.")
    add_time: str | None = strawberry.field(description="The creation date and time of the deal.")
    update_time: str | None = strawberry.field(
        description="The last updated date and time of the deal."
    )
    stage_change_time: str | None = strawberry.field(
        description="The last updated date and time of the deal stage."
    )
    is_archived: bool = strawberry.field(description="Whether the deal is archived or not.")
    visible_to: int | None = strawberry.field(description="The visibility of the deal.")
    custom_fields: list[CustomFieldValue] = custom_fields_field("deal")
    custom_field: CustomFieldValue | None = custom_field_field("deal")
    matched_custom_fields: list[CustomFieldValue] = matched_custom_fields_field("deal")

    probability: float | None = resolved(
        _probability,
        pricing.NEEDS_BOARD,
        "The success probability percentage: the deal's own, else its stage's; null when the "
        "pipeline has deal probability turned off.",
    )
    weighted_value: float | None = resolved(
        _weighted_value,
        pricing.NEEDS_BOARD,
        "Value × probability / 100, in the deal's currency (the full value when no probability "
        "applies), rounded to the currency's ISO 4217 minor unit. Computed from the deal and "
        "its stage.",
    )
    days_in_stage: int | None = resolved(
        _days_in_stage,
        pricing.FREE,
        "Whole days in the current stage (since stageChangeTime, else addTime).",
    )
    age_days: int | None = resolved(
        _age_days,
        pricing.FREE,
        "Whole days since the deal was created (until its close time when closed).",
    )
    is_rotten: bool = resolved(
        _is_rotten,
        pricing.NEEDS_BOARD,
        "Whether the deal is rotten: open, in a stage with rotting on, and not updated for "
        "longer than the stage's rotten days (Pipedrive counts from the last update, any "
        "change, not only a stage change).",
    )
    rotten_since: str | None = resolved(
        _rotten_since,
        pricing.NEEDS_BOARD,
        "When the deal became rotten (last update + the stage's rotten days); null if not rotten.",
    )
    person: Annotated[Person, strawberry.lazy(_PERSONS)] | None = to_one(
        "person_id",
        lambda loaders: loaders.person_by_id,
        pricing.BY_ID,
        "The person linked to the deal.",
    )
    organization: Annotated[Organization, strawberry.lazy(_ORGS)] | None = to_one(
        "org_id",
        lambda loaders: loaders.organization_by_id,
        pricing.BY_ID,
        "The organization linked to the deal.",
    )
    stage: Annotated[Stage, strawberry.lazy(_PIPES)] | None = to_one(
        "stage_id",
        lambda loaders: loaders.stage_by_id,
        pricing.STAGES,
        "The stage the deal is in.",
    )
    pipeline: Annotated[Pipeline, strawberry.lazy(_PIPES)] | None = to_one(
        "pipeline_id",
        lambda loaders: loaders.pipeline_by_id,
        pricing.PIPELINES,
        "The pipeline the deal is in.",
    )
    owner: Annotated[User, strawberry.lazy(_USERS)] | None = to_one(
        "owner_id",
        lambda loaders: loaders.user_by_id,
        pricing.USERS,
        "The user who owns the deal.",
    )
    notes: Annotated[NoteList, strawberry.lazy(_NOTES)] | None = to_many(
        linked.notes("deal_id"), pricing.TO_MANY_NOTES, "The notes attached to the deal."
    )
    activities: Annotated[ActivityList, strawberry.lazy(_ACT)] | None = to_many(
        linked.activities("deal_id"), pricing.TO_MANY_V2, "The activities linked to the deal."
    )
    mail_messages: Annotated[MailMessageList, strawberry.lazy(_MAIL)] | None = to_many(
        linked.mail_messages("deal"), pricing.TO_MANY_MAIL, "The mail messages linked to the deal."
    )


@strawberry.type(description="A window of deals.")
class DealList(Page[Deal]):
    """Deals with `hasMore` and `nextStart`, read from an `OffsetPage` of deal records."""
