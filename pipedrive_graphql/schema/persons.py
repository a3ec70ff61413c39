"""The Person type, its links and its list type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql.datasources.records import OffsetPage, PersonRecord
from pipedrive_graphql.resolvers import activities as activity_resolvers
from pipedrive_graphql.resolvers import deals as deal_resolvers
from pipedrive_graphql.resolvers import mail as mail_resolvers
from pipedrive_graphql.resolvers import notes as note_resolvers
from pipedrive_graphql.schema.common import Info, LabeledValue, resolved_field
from pipedrive_graphql.schema.links import follow, prefetched_page
from pipedrive_graphql.schema.pagination import Page

if TYPE_CHECKING:
    from pipedrive_graphql.schema.activities import ActivityList
    from pipedrive_graphql.schema.deals import DealList
    from pipedrive_graphql.schema.mail import MailMessageList
    from pipedrive_graphql.schema.notes import NoteList
    from pipedrive_graphql.schema.organizations import Organization
    from pipedrive_graphql.schema.users import User

_ACT = "pipedrive_graphql.schema.activities"
_DEALS = "pipedrive_graphql.schema.deals"
_MAIL = "pipedrive_graphql.schema.mail"
_NOTES = "pipedrive_graphql.schema.notes"
_ORGS = "pipedrive_graphql.schema.organizations"
_USERS = "pipedrive_graphql.schema.users"


@strawberry.type(description="A person: a contact in Pipedrive, usually linked to an organization.")
class Person:
    """A Pipedrive person with its scalar fields copied from the record."""

    record: strawberry.Private[PersonRecord]
    id: int = strawberry.field(description="The ID of the person.")
    name: str = strawberry.field(description="The name of the person.")
    first_name: str | None = strawberry.field(description="The first name of the person.")
    last_name: str | None = strawberry.field(description="The last name of the person.")
    email: str | None = strawberry.field(description="The primary email address of the person.")
    phone: str | None = strawberry.field(description="The primary phone number of the person.")
    emails: list[LabeledValue] = strawberry.field(description="The emails of the person.")
    phones: list[LabeledValue] = strawberry.field(description="The phones of the person.")
    org_id: int | None = strawberry.field(
        description="The ID of the organization linked to the person."
    )
    owner_id: int | None = strawberry.field(description="The ID of the user who owns the person.")
    add_time: str | None = strawberry.field(
        description="The creation date and time of the person (ISO 8601 UTC)."
    )
    update_time: str | None = strawberry.field(
        description="The last updated date and time of the person (ISO 8601 UTC)."
    )
    active_flag: bool = strawberry.field(description="Whether the person is active (not deleted).")
    visible_to: int | None = strawberry.field(
        description="The visibility of the person (1, 3, 5 or 7; see Pipedrive's visible_to)."
    )

    @classmethod
    def from_record(cls, r: PersonRecord) -> Person:
        """Wrap a person record."""
        return cls(
            record=r,
            id=r.id,
            name=r.name,
            first_name=r.first_name,
            last_name=r.last_name,
            email=r.email,
            phone=r.phone,
            emails=[LabeledValue.from_record(v) for v in r.emails],
            phones=[LabeledValue.from_record(v) for v in r.phones],
            org_id=r.org_id,
            owner_id=r.owner_id,
            add_time=r.add_time,
            update_time=r.update_time,
            active_flag=not r.is_deleted,
            visible_to=r.visible_to,
        )

    @resolved_field("The organization linked to the person.")
    def organization(self, info: Info) -> Annotated[Organization, strawberry.lazy(_ORGS)] | None:
        from pipedrive_graphql.schema.organizations import Organization

        return follow(info.context, self, "Person", "organization", Organization.from_record)

    @resolved_field("The user who owns the person.")
    def owner(self, info: Info) -> Annotated[User, strawberry.lazy(_USERS)] | None:
        from pipedrive_graphql.schema.users import User

        return follow(info.context, self, "Person", "owner", User.from_record)

    @resolved_field("The deals linked to the person.")
    async def deals(
        self,
        info: Info,
        start: int | None = None,
        limit: int | None = None,
        status: str | None = None,
    ) -> Annotated[DealList, strawberry.lazy(_DEALS)] | None:
        from pipedrive_graphql.schema.deals import DealList

        page = await deal_resolvers.list_deals(
            info.context, start, limit, person_id=self.id, status=status
        )
        return await prefetched_page(info, "Deal", page, DealList.from_page)

    @resolved_field("The activities linked to the person.")
    async def activities(
        self,
        info: Info,
        start: int | None = None,
        limit: int | None = None,
        done: bool | None = None,
    ) -> Annotated[ActivityList, strawberry.lazy(_ACT)] | None:
        from pipedrive_graphql.schema.activities import ActivityList

        page = await activity_resolvers.list_activities(
            info.context, start, limit, person_id=self.id, done=done
        )
        return await prefetched_page(info, "Activity", page, ActivityList.from_page)

    @resolved_field("The notes attached to the person.")
    async def notes(
        self, info: Info, start: int | None = None, limit: int | None = None
    ) -> Annotated[NoteList, strawberry.lazy(_NOTES)] | None:
        from pipedrive_graphql.schema.notes import NoteList

        page = await note_resolvers.list_notes(info.context, start, limit, person_id=self.id)
        return await prefetched_page(info, "Note", page, NoteList.from_page)

    @resolved_field("The mail messages linked to the person.")
    async def mail_messages(
        self, info: Info, start: int | None = None, limit: int | None = None
    ) -> Annotated[MailMessageList, strawberry.lazy(_MAIL)] | None:
        from pipedrive_graphql.schema.mail import MailMessageList

        page = await mail_resolvers.mail_messages_of(info.context, "person", self.id, start, limit)
        return await prefetched_page(info, "MailMessage", page, MailMessageList.from_page)


@strawberry.type(description="A window of persons.")
class PersonList(Page[Person]):
    """Persons with `hasMore` and `nextStart`."""

    @classmethod
    def from_page(cls, page: OffsetPage[PersonRecord]) -> PersonList:
        """Wrap an offset page of person records."""
        return cls(
            results=[Person.from_record(r) for r in page.items],
            has_more=page.has_more,
            next_start=page.next_start,
        )
