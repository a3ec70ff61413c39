"""The Note type, its links and its list type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.schema.fields import to_one
from pipedrive_graphql.schema.ids import ID_FITS, link_id
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
    """A Pipedrive note, read from its `NoteRecord`."""

    id: int = strawberry.field(description="The ID of the note." + ID_FITS)
    content: str = strawberry.field(
        description="The content of the note in HTML format. Subject to sanitization."
    )
    user_id: int | None = strawberry.field(description=link_id("The ID of the note creator."))
    deal_id: int | None = strawberry.field(
        description=link_id("The ID of the deal the note is attached to.")
    )
    person_id: int | None = strawberry.field(
        description=link_id("The ID of the person the note is attached to.")
    )
    org_id: int | None = strawberry.field(
        description=link_id("The ID of the organization the note is attached to.")
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

    deal: Annotated[Deal, strawberry.lazy(_DEALS)] | None = to_one(
        "deal_id",
        lambda loaders: loaders.deal_by_id,
        pricing.DEAL_BY_ID,
        "The deal the note is attached to.",
    )
    person: Annotated[Person, strawberry.lazy(_PERSONS)] | None = to_one(
        "person_id",
        lambda loaders: loaders.person_by_id,
        pricing.BY_ID,
        "The person the note is attached to.",
    )
    organization: Annotated[Organization, strawberry.lazy(_ORGS)] | None = to_one(
        "org_id",
        lambda loaders: loaders.organization_by_id,
        pricing.BY_ID,
        "The organization the note is attached to.",
    )
    user: Annotated[User, strawberry.lazy(_USERS)] | None = to_one(
        "user_id",
        lambda loaders: loaders.user_by_id,
        pricing.USERS,
        "The user who created the note.",
    )


@strawberry.type(description="A window of notes.")
class NoteList(Page[Note]):
    """Notes with `hasMore` and `nextStart`, read from an `OffsetPage` of records."""
