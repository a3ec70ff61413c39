"""The Organization type and its links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.datasources.pipedrive.extras import UPSTREAM_NEED, IncludeField
from pipedrive_graphql.schema import linked_lists as linked
from pipedrive_graphql.schema.custom_fields import (
    CustomFieldValue,
    custom_field_field,
    custom_fields_field,
)
from pipedrive_graphql.schema.fields import to_many, to_one
from pipedrive_graphql.schema.ids import ID_FITS, link_id
from pipedrive_graphql.schema.pagination import Page

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
    """A Pipedrive organization, read from its `OrganizationRecord`."""

    id: int = strawberry.field(description="The ID of the organization." + ID_FITS)
    name: str = strawberry.field(description="The name of the organization.")
    owner_id: int | None = strawberry.field(
        description=link_id("The ID of the user who owns the organization.")
    )
    address: str | None = strawberry.field(description="The address of the organization.")
    cc_email: str | None = strawberry.field(
        description=(
            "The BCC email address of the organization (Smart Email BCC). Pipedrive sends it "
            "only when asked (v2 `include_fields=smart_bcc_email`): selecting it adds that to "
            "the request's organization reads, at no extra call."
        ),
        metadata={UPSTREAM_NEED: IncludeField("organizations", "smart_bcc_email")},
    )
    active_flag: bool = strawberry.field(
        description="Whether the organization is active (not deleted). Deleted organizations "
        "are never served: lists, links and `organization` leave them out alike, as v2 `ids=` "
        "cannot return them."
    )
    add_time: str | None = strawberry.field(
        description="The creation date and time of the organization."
    )
    update_time: str | None = strawberry.field(
        description="The last updated date and time of the organization."
    )
    visible_to: int | None = strawberry.field(description="The visibility of the organization.")
    custom_fields: list[CustomFieldValue] = custom_fields_field("organization")
    custom_field: CustomFieldValue | None = custom_field_field("organization")

    owner: Annotated[User, strawberry.lazy(_USERS)] | None = to_one(
        "owner_id",
        lambda loaders: loaders.user_by_id,
        pricing.USERS,
        "The user who owns the organization.",
    )
    persons: Annotated[PersonList, strawberry.lazy(_PERSONS)] | None = to_many(
        linked.persons("org_id"), pricing.TO_MANY_V2, "The persons of the organization."
    )
    deals: Annotated[DealList, strawberry.lazy(_DEALS)] | None = to_many(
        linked.deals("org_id"), pricing.TO_MANY_V2, "The deals of the organization."
    )
    activities: Annotated[ActivityList, strawberry.lazy(_ACT)] | None = to_many(
        linked.activities("org_id"), pricing.TO_MANY_V2, "The activities of the organization."
    )
    notes: Annotated[NoteList, strawberry.lazy(_NOTES)] | None = to_many(
        linked.notes("org_id"), pricing.TO_MANY_NOTES, "The notes attached to the organization."
    )


@strawberry.type(description="A window of organizations.")
class OrganizationList(Page[Organization]):
    """Organizations with `hasMore` and `nextStart`, read from an `OffsetPage` of records."""
