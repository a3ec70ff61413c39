"""The Organization type and its links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql.datasources.records import OrganizationRecord
from pipedrive_graphql.resolvers import activities as activity_resolvers
from pipedrive_graphql.resolvers import deals as deal_resolvers
from pipedrive_graphql.resolvers import notes as note_resolvers
from pipedrive_graphql.resolvers import persons as person_resolvers
from pipedrive_graphql.schema.common import Info, resolved_field
from pipedrive_graphql.schema.links import follow, prefetched_page

if TYPE_CHECKING:
    from pipedrive_graphql.schema.activities import ActivityList
    from pipedrive_graphql.schema.deals import DealList
    from pipedrive_graphql.schema.notes import NoteList
    from pipedrive_graphql.schema.persons import PersonList
    from pipedrive_graphql.schema.users import User

_ACT = "pipedrive_graphql.schema.activities"
_DEALS = "pipedrive_graphql.schema.deals"
_NOTES = "pipedrive_graphql.schema.notes"
_PERSONS = "pipedrive_graphql.schema.persons"
_USERS = "pipedrive_graphql.schema.users"


@strawberry.type(description="An organization: a company persons and deals belong to.")
class Organization:
    """A Pipedrive organization with its scalar fields copied from the record."""

    record: strawberry.Private[OrganizationRecord]
    id: int = strawberry.field(description="The ID of the organization.")
    name: str = strawberry.field(description="The name of the organization.")
    owner_id: int | None = strawberry.field(
        description="The ID of the user who owns the organization."
    )
    address: str | None = strawberry.field(description="The address of the organization.")
    cc_email: str | None = strawberry.field(
        description="The BCC email address of the organization (Smart Email BCC)."
    )
    active_flag: bool = strawberry.field(
        description="Whether the organization is active (not deleted)."
    )
    add_time: str | None = strawberry.field(
        description="The creation date and time of the organization."
    )
    update_time: str | None = strawberry.field(
        description="The last updated date and time of the organization."
    )
    visible_to: int | None = strawberry.field(description="The visibility of the organization.")

    @classmethod
    def from_record(cls, r: OrganizationRecord) -> Organization:
        """Wrap an organization record."""
        return cls(
            record=r,
            id=r.id,
            name=r.name,
            owner_id=r.owner_id,
            address=r.address,
            cc_email=r.cc_email,
            active_flag=not r.is_deleted,
            add_time=r.add_time,
            update_time=r.update_time,
            visible_to=r.visible_to,
        )

    @resolved_field("The user who owns the organization.")
    def owner(self, info: Info) -> Annotated[User, strawberry.lazy(_USERS)] | None:
        from pipedrive_graphql.schema.users import User

        return follow(info.context, self, "Organization", "owner", User.from_record)

    @resolved_field("The persons of the organization.")
    async def persons(
        self, info: Info, start: int | None = None, limit: int | None = None
    ) -> Annotated[PersonList, strawberry.lazy(_PERSONS)] | None:
        from pipedrive_graphql.schema.persons import PersonList

        page = await person_resolvers.list_persons(info.context, start, limit, org_id=self.id)
        return await prefetched_page(info, "Person", page, PersonList.from_page)

    @resolved_field("The deals of the organization.")
    async def deals(
        self,
        info: Info,
        start: int | None = None,
        limit: int | None = None,
        status: str | None = None,
    ) -> Annotated[DealList, strawberry.lazy(_DEALS)] | None:
        from pipedrive_graphql.schema.deals import DealList

        page = await deal_resolvers.list_deals(
            info.context, start, limit, org_id=self.id, status=status
        )
        return await prefetched_page(info, "Deal", page, DealList.from_page)

    @resolved_field("The activities of the organization.")
    async def activities(
        self,
        info: Info,
        start: int | None = None,
        limit: int | None = None,
        done: bool | None = None,
    ) -> Annotated[ActivityList, strawberry.lazy(_ACT)] | None:
        from pipedrive_graphql.schema.activities import ActivityList

        page = await activity_resolvers.list_activities(
            info.context, start, limit, org_id=self.id, done=done
        )
        return await prefetched_page(info, "Activity", page, ActivityList.from_page)

    @resolved_field("The notes attached to the organization.")
    async def notes(
        self, info: Info, start: int | None = None, limit: int | None = None
    ) -> Annotated[NoteList, strawberry.lazy(_NOTES)] | None:
        from pipedrive_graphql.schema.notes import NoteList

        page = await note_resolvers.list_notes(info.context, start, limit, org_id=self.id)
        return await prefetched_page(info, "Note", page, NoteList.from_page)
