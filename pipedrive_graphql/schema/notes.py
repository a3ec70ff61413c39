"""The Note type, its links and its list type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql.datasources.records import NoteRecord, OffsetPage
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


@strawberry.type(description="A note: HTML content attached to a deal, person or organization.")
class Note:
    """A Pipedrive note with its scalar fields copied from the record."""

    record: strawberry.Private[NoteRecord]
    id: int = strawberry.field(description="The ID of the note.")
    content: str = strawberry.field(
        description="The content of the note in HTML format. Subject to sanitization."
    )
    user_id: int | None = strawberry.field(description="The ID of the note creator.")
    deal_id: int | None = strawberry.field(
        description="The ID of the deal the note is attached to."
    )
    person_id: int | None = strawberry.field(
        description="The ID of the person the note is attached to."
    )
    org_id: int | None = strawberry.field(
        description="The ID of the organization the note is attached to."
    )
    lead_id: str | None = strawberry.field(
        description="The ID of the lead the note is attached to."
    )
    pinned_to_deal_flag: bool = strawberry.field(
        description="Whether the note is pinned to its deal."
    )
    pinned_to_person_flag: bool = strawberry.field(
        description="Whether the note is pinned to its person."
    )
    pinned_to_organization_flag: bool = strawberry.field(
        description="Whether the note is pinned to its organization."
    )
    active_flag: bool = strawberry.field(description="Whether the note is active or deleted.")
    add_time: str | None = strawberry.field(description="The creation date and time of the note.")
    update_time: str | None = strawberry.field(
        description="The last updated date and time of the note."
    )

    @classmethod
    def from_record(cls, r: NoteRecord) -> Note:
        """Wrap a note record."""
        return cls(
            record=r,
            id=r.id,
            content=r.content,
            user_id=r.user_id,
            deal_id=r.deal_id,
            person_id=r.person_id,
            org_id=r.org_id,
            lead_id=r.lead_id,
            pinned_to_deal_flag=r.pinned_to_deal_flag,
            pinned_to_person_flag=r.pinned_to_person_flag,
            pinned_to_organization_flag=r.pinned_to_organization_flag,
            active_flag=r.active_flag,
            add_time=r.add_time,
            update_time=r.update_time,
        )

    @resolved_field("The deal the note is attached to.")
    def deal(self, info: Info) -> Annotated[Deal, strawberry.lazy(_DEALS)] | None:
        from pipedrive_graphql.schema.deals import Deal

        return follow(info.context, self, "Note", "deal", Deal.from_record)

    @resolved_field("The person the note is attached to.")
    def person(self, info: Info) -> Annotated[Person, strawberry.lazy(_PERSONS)] | None:
        from pipedrive_graphql.schema.persons import Person

        return follow(info.context, self, "Note", "person", Person.from_record)

    @resolved_field("The organization the note is attached to.")
    def organization(self, info: Info) -> Annotated[Organization, strawberry.lazy(_ORGS)] | None:
        from pipedrive_graphql.schema.organizations import Organization

        return follow(info.context, self, "Note", "organization", Organization.from_record)

    @resolved_field("The user who created the note.")
    def user(self, info: Info) -> Annotated[User, strawberry.lazy(_USERS)] | None:
        from pipedrive_graphql.schema.users import User

        return follow(info.context, self, "Note", "user", User.from_record)


@strawberry.type(description="A window of notes.")
class NoteList(Page[Note]):
    """Notes with `hasMore` and `nextStart`."""

    @classmethod
    def from_page(cls, page: OffsetPage[NoteRecord]) -> NoteList:
        """Wrap an offset page of note records."""
        return cls(
            results=[Note.from_record(r) for r in page.items],
            has_more=page.has_more,
            next_start=page.next_start,
        )
