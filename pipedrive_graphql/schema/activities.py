"""The Activity type, its links and its list type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql.datasources.records import ActivityRecord, OffsetPage
from pipedrive_graphql.schema.common import Info, resolved_field
from pipedrive_graphql.schema.links import follow
from pipedrive_graphql.schema.pagination import Page

if TYPE_CHECKING:
    from pipedrive_graphql.schema.deals import Deal
    from pipedrive_graphql.schema.organizations import Organization
    from pipedrive_graphql.schema.persons import Person
    from pipedrive_graphql.schema.users import User

_DEALS = "pipedrive_graphql.schema.deals"
_ORGS = "pipedrive_graphql.schema.organizations"
_PERSONS = "pipedrive_graphql.schema.persons"
_USERS = "pipedrive_graphql.schema.users"


@strawberry.type(description="An activity: a call, meeting, task or other scheduled action.")
class Activity:
    """A Pipedrive activity with its scalar fields copied from the record."""

    record: strawberry.Private[ActivityRecord]
    id: int = strawberry.field(description="The ID of the activity.")
    type: str | None = strawberry.field(description="The type of the activity.")
    subject: str | None = strawberry.field(description="The subject of the activity.")
    note: str | None = strawberry.field(description="The note of the activity.")
    done: bool = strawberry.field(description="Whether the activity is marked as done or not.")
    due_date: str | None = strawberry.field(description="The due date of the activity.")
    due_time: str | None = strawberry.field(description="The due time of the activity.")
    duration: str | None = strawberry.field(description="The duration of the activity.")
    add_time: str | None = strawberry.field(
        description="The creation date and time of the activity."
    )
    update_time: str | None = strawberry.field(
        description="The last updated date and time of the activity."
    )
    marked_as_done_time: str | None = strawberry.field(
        description="The date and time when the activity was marked as done."
    )
    deal_id: int | None = strawberry.field(description="The ID of the deal linked to the activity.")
    person_id: int | None = strawberry.field(
        description="The ID of the person linked to the activity."
    )
    org_id: int | None = strawberry.field(
        description="The ID of the organization linked to the activity."
    )
    owner_id: int | None = strawberry.field(description="The ID of the user who owns the activity.")

    @classmethod
    def from_record(cls, r: ActivityRecord) -> Activity:
        """Wrap an activity record."""
        return cls(
            record=r,
            id=r.id,
            type=r.type,
            subject=r.subject,
            note=r.note,
            done=r.done,
            due_date=r.due_date,
            due_time=r.due_time,
            duration=r.duration,
            add_time=r.add_time,
            update_time=r.update_time,
            marked_as_done_time=r.marked_as_done_time,
            deal_id=r.deal_id,
            person_id=r.person_id,
            org_id=r.org_id,
            owner_id=r.owner_id,
        )

    @resolved_field("The deal linked to the activity.")
    def deal(self, info: Info) -> Annotated[Deal, strawberry.lazy(_DEALS)] | None:
        from pipedrive_graphql.schema.deals import Deal

        return follow(info.context, self, "Activity", "deal", Deal.from_record)

    @resolved_field("The person linked to the activity.")
    def person(self, info: Info) -> Annotated[Person, strawberry.lazy(_PERSONS)] | None:
        from pipedrive_graphql.schema.persons import Person

        return follow(info.context, self, "Activity", "person", Person.from_record)

    @resolved_field("The organization linked to the activity.")
    def organization(self, info: Info) -> Annotated[Organization, strawberry.lazy(_ORGS)] | None:
        from pipedrive_graphql.schema.organizations import Organization

        return follow(info.context, self, "Activity", "organization", Organization.from_record)

    @resolved_field("The user who owns the activity.")
    def owner(self, info: Info) -> Annotated[User, strawberry.lazy(_USERS)] | None:
        from pipedrive_graphql.schema.users import User

        return follow(info.context, self, "Activity", "owner", User.from_record)


@strawberry.type(description="A window of activities.")
class ActivityList(Page[Activity]):
    """Activities with `hasMore` and `nextStart`."""

    @classmethod
    def from_page(cls, page: OffsetPage[ActivityRecord]) -> ActivityList:
        """Wrap an offset page of activity records."""
        return cls(
            results=[Activity.from_record(r) for r in page.items],
            has_more=page.has_more,
            next_start=page.next_start,
        )
