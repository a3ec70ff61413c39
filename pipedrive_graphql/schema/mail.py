"""The MailMessage type, its links and its list type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.datasources.pipedrive.extras import UPSTREAM_NEED, MailBody
from pipedrive_graphql.datasources.pipedrive.records import (
    DealRecord,
    MailMessageRecord,
    OrganizationRecord,
)
from pipedrive_graphql.resolvers import mail as mail_resolvers
from pipedrive_graphql.schema.fields import Info, resolved, to_one
from pipedrive_graphql.schema.ids import ID_FITS, link_id
from pipedrive_graphql.schema.pagination import Page

if TYPE_CHECKING:
    from pipedrive_graphql.schema.deals import Deal
    from pipedrive_graphql.schema.organizations import Organization
    from pipedrive_graphql.schema.persons import Person

_DEALS = "pipedrive_graphql.schema.deals"
_ORGS = "pipedrive_graphql.schema.organizations"
_PERSONS = "pipedrive_graphql.schema.persons"


async def _deal_id(parent: strawberry.Parent[MailMessageRecord], info: Info) -> int | None:
    return await mail_resolvers.deal_id_of(info.context, parent)


async def _org_id(parent: strawberry.Parent[MailMessageRecord], info: Info) -> int | None:
    return await mail_resolvers.org_id_of(info.context, parent)


async def _deal(parent: strawberry.Parent[MailMessageRecord], info: Info) -> DealRecord | None:
    return await mail_resolvers.deal_of(info.context, parent)


async def _organization(
    parent: strawberry.Parent[MailMessageRecord], info: Info
) -> OrganizationRecord | None:
    return await mail_resolvers.organization_of(info.context, parent)


@strawberry.type(description="A sender or recipient of a mail message.")
class MailAddress:
    """An email address with its display name, read from `records.MailParty`."""

    email: str = strawberry.field(description="The email address.")
    name: str | None = strawberry.field(description="The display name.")
    linked_person_id: int | None = strawberry.field(
        description=link_id("The ID of the person this address is linked to.")
    )


@strawberry.type(description="A mail message synced to Pipedrive's mailbox.")
class MailMessage:
    """A Pipedrive mail message, read from its `MailMessageRecord`."""

    id: int = strawberry.field(description="ID of the mail message." + ID_FITS)
    subject: str | None = strawberry.field(description="The subject of the mail message.")
    snippet: str | None = strawberry.field(
        description="The snippet of the mail message, up to 225 characters."
    )
    body: str | None = strawberry.field(
        description=(
            "The mail message body content, if present. Lists send it only with "
            "`include_body=1`: selecting it adds that to the request's mail lists (same price)."
        ),
        metadata={UPSTREAM_NEED: MailBody()},
    )
    body_url: str | None = strawberry.field(description="The mail message body URL.")
    from_: list[MailAddress] = strawberry.field(name="from", description="The senders.")
    to: list[MailAddress] = strawberry.field(description="The receivers.")
    cc: list[MailAddress] = strawberry.field(description="The copy receivers.")
    bcc: list[MailAddress] = strawberry.field(description="The blind copy receivers.")
    mail_thread_id: int | None = strawberry.field(
        description=link_id("ID of the mail message thread.")
    )
    message_time: str | None = strawberry.field(
        description="Creation or receival time of the mail message."
    )
    has_attachments: bool = strawberry.field(
        description="Whether the mail message has an attachment or not."
    )
    read: bool = strawberry.field(description="Whether the mail message is read by the user.")
    draft: bool = strawberry.field(description="Whether the mail message is a draft.")
    deal_id: int | None = resolved(
        _deal_id,
        pricing.MAIL_THREAD,
        link_id(
            "The ID of the linked deal: the deal whose mail list it was read from, else its "
            "mail thread's deal (one v1 `mailThreads/{id}` call per thread)."
        ),
    )
    person_or_party_id: int | None = strawberry.field(
        name="personId",
        description=link_id(
            "The ID of the linked person (else the first party linked to a person)."
        ),
    )
    org_id: int | None = resolved(
        _org_id,
        pricing.MAIL_THREAD,
        link_id(
            "The ID of the linked organization: the organization whose mail list it was read "
            "from, else the first its thread's parties are linked to."
        ),
    )
    add_time: str | None = strawberry.field(
        description="The insertion time of the mail message into the database."
    )
    update_time: str | None = strawberry.field(
        description="The update time of the mail message in the database."
    )

    deal: Annotated[Deal, strawberry.lazy(_DEALS)] | None = resolved(
        _deal, pricing.MAIL_THREAD_DEAL, "The deal linked to the mail message (see `dealId`)."
    )
    person: Annotated[Person, strawberry.lazy(_PERSONS)] | None = to_one(
        "person_or_party_id",
        lambda loaders: loaders.person_by_id,
        pricing.BY_ID,
        "The person linked to the mail message.",
    )
    organization: Annotated[Organization, strawberry.lazy(_ORGS)] | None = resolved(
        _organization,
        pricing.MAIL_THREAD_LINK,
        "The organization linked to the mail message (see `orgId`).",
    )


@strawberry.type(description="A window of mail messages.")
class MailMessageList(Page[MailMessage]):
    """MailMessages with `hasMore` and `nextStart`, read from an `OffsetPage` of records."""
