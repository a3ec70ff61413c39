"""The Deal type, its links and its list type."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql.clock import iso
from pipedrive_graphql.datasources.records import DealRecord, OffsetPage
from pipedrive_graphql.resolvers import activities as activity_resolvers
from pipedrive_graphql.resolvers import deal_metrics as metrics
from pipedrive_graphql.resolvers import mail as mail_resolvers
from pipedrive_graphql.resolvers import notes as note_resolvers
from pipedrive_graphql.resolvers.placement import placements
from pipedrive_graphql.schema.common import Info, resolved_field
from pipedrive_graphql.schema.links import follow, prefetched_page
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


@strawberry.type(description="A deal: a potential sale moving through the stages of a pipeline.")
class Deal:
    """A Pipedrive deal with its scalar fields copied from the record."""

    record: strawberry.Private[DealRecord]
    id: int = strawberry.field(description="The ID of the deal.")
    title: str = strawberry.field(description="The title of the deal.")
    value: float | None = strawberry.field(description="The value of the deal.")
    currency: str | None = strawberry.field(description="The currency associated with the deal.")
    status: str = strawberry.field(
        description="The status of the deal: open, won, lost or deleted."
    )
    stage_id: int | None = strawberry.field(description="The ID of the deal stage.")
    pipeline_id: int | None = strawberry.field(
        description="The ID of the pipeline associated with the deal."
    )
    person_id: int | None = strawberry.field(description="The ID of the person linked to the deal.")
    org_id: int | None = strawberry.field(
        description="The ID of the organization linked to the deal."
    )
    owner_id: int | None = strawberry.field(description="The ID of the user who owns the deal.")
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

    @classmethod
    def from_record(cls, r: DealRecord) -> Deal:
        """Wrap a deal record."""
        return cls(
            record=r,
            id=r.id,
            title=r.title,
            value=r.value,
            currency=r.currency,
            status=r.status,
            stage_id=r.stage_id,
            pipeline_id=r.pipeline_id,
            person_id=r.person_id,
            org_id=r.org_id,
            owner_id=r.owner_id,
            expected_close_date=r.expected_close_date,
            won_time=r.won_time,
            lost_time=r.lost_time,
            close_time=r.close_time,
            lost_reason=r.lost_reason,
            add_time=r.add_time,
            update_time=r.update_time,
            stage_change_time=r.stage_change_time,
            is_archived=r.is_archived,
            visible_to=r.visible_to,
        )

    @resolved_field(
        "The success probability percentage: the deal's own, else its stage's; null when the "
        "pipeline has deal probability turned off."
    )
    async def probability(self, info: Info) -> float | None:
        where = (await placements(info.context)).of(self.record)
        return metrics.probability(self.record, where)

    @resolved_field(
        "Value × probability / 100, in the deal's currency (the full value when no probability "
        "applies). Computed from the deal and its stage."
    )
    async def weighted_value(self, info: Info) -> float | None:
        where = (await placements(info.context)).of(self.record)
        return metrics.weighted_value(self.record, where)

    @resolved_field("Whole days in the current stage (since stageChangeTime, else addTime).")
    def days_in_stage(self, info: Info) -> int | None:
        return metrics.days_in_stage(self.record, info.context.clock())

    @resolved_field("Whole days since the deal was created (until its close time when closed).")
    def age_days(self, info: Info) -> int | None:
        return metrics.age_days(self.record, info.context.clock())

    @resolved_field(
        "Whether the deal is rotten: open, in a stage with rotting on, and no stage change for "
        "longer than the stage's rotten days."
    )
    async def is_rotten(self, info: Info) -> bool:
        return await self._rotten_since(info) is not None

    @resolved_field(
        "When the deal became rotten (stage entry + the stage's rotten days); null if not rotten."
    )
    async def rotten_since(self, info: Info) -> str | None:
        since = await self._rotten_since(info)
        return None if since is None else iso(since)

    async def _rotten_since(self, info: Info) -> datetime | None:
        where = (await placements(info.context)).of(self.record)
        return metrics.rotten_since(self.record, where.stage, info.context.clock())

    @resolved_field("The person linked to the deal.")
    def person(self, info: Info) -> Annotated[Person, strawberry.lazy(_PERSONS)] | None:
        from pipedrive_graphql.schema.persons import Person

        return follow(info.context, self, "Deal", "person", Person.from_record)

    @resolved_field("The organization linked to the deal.")
    def organization(self, info: Info) -> Annotated[Organization, strawberry.lazy(_ORGS)] | None:
        from pipedrive_graphql.schema.organizations import Organization

        return follow(info.context, self, "Deal", "organization", Organization.from_record)

    @resolved_field("The stage the deal is in.")
    def stage(self, info: Info) -> Annotated[Stage, strawberry.lazy(_PIPES)] | None:
        from pipedrive_graphql.schema.pipelines import Stage

        return follow(info.context, self, "Deal", "stage", Stage.from_record)

    @resolved_field("The pipeline the deal is in.")
    def pipeline(self, info: Info) -> Annotated[Pipeline, strawberry.lazy(_PIPES)] | None:
        from pipedrive_graphql.schema.pipelines import Pipeline

        return follow(info.context, self, "Deal", "pipeline", Pipeline.from_record)

    @resolved_field("The user who owns the deal.")
    def owner(self, info: Info) -> Annotated[User, strawberry.lazy(_USERS)] | None:
        from pipedrive_graphql.schema.users import User

        return follow(info.context, self, "Deal", "owner", User.from_record)

    @resolved_field("The notes attached to the deal.")
    async def notes(
        self, info: Info, start: int | None = None, limit: int | None = None
    ) -> Annotated[NoteList, strawberry.lazy(_NOTES)] | None:
        from pipedrive_graphql.schema.notes import NoteList

        page = await note_resolvers.list_notes(info.context, start, limit, deal_id=self.id)
        return await prefetched_page(info, "Note", page, NoteList.from_page)

    @resolved_field("The activities linked to the deal.")
    async def activities(
        self,
        info: Info,
        start: int | None = None,
        limit: int | None = None,
        done: bool | None = None,
    ) -> Annotated[ActivityList, strawberry.lazy(_ACT)] | None:
        from pipedrive_graphql.schema.activities import ActivityList

        page = await activity_resolvers.list_activities(
            info.context, start, limit, deal_id=self.id, done=done
        )
        return await prefetched_page(info, "Activity", page, ActivityList.from_page)

    @resolved_field("The mail messages linked to the deal.")
    async def mail_messages(
        self, info: Info, start: int | None = None, limit: int | None = None
    ) -> Annotated[MailMessageList, strawberry.lazy(_MAIL)] | None:
        from pipedrive_graphql.schema.mail import MailMessageList

        page = await mail_resolvers.mail_messages_of(info.context, "deal", self.id, start, limit)
        return await prefetched_page(info, "MailMessage", page, MailMessageList.from_page)


@strawberry.type(description="A window of deals.")
class DealList(Page[Deal]):
    """Deals with `hasMore` and `nextStart`."""

    @classmethod
    def from_page(cls, page: OffsetPage[DealRecord]) -> DealList:
        """Wrap an offset page of deal records."""
        return cls(
            results=[Deal.from_record(r) for r in page.items],
            has_more=page.has_more,
            next_start=page.next_start,
        )
