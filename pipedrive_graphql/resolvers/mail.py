"""Mail message reads (v1): arguments -> loaders -> mail message records."""

from __future__ import annotations

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.batching import LoaderCall
from pipedrive_graphql.datasources.loading.loaders import MailKey
from pipedrive_graphql.datasources.pipedrive.client import ParentKind
from pipedrive_graphql.datasources.pipedrive.records import (
    DealRecord,
    MailMessageRecord,
    MailThreadRecord,
    OffsetPage,
    OrganizationRecord,
)
from pipedrive_graphql.resolvers.common import found, page_args


async def get_mail_message(ctx: Context, message_id: int) -> MailMessageRecord:
    """One mail message by id; NOT_FOUND when absent."""
    record = await ctx.loaders.mail_message_by_id.load(message_id)
    return found(record, "mail message", message_id)


def mail_list_call(
    ctx: Context, kind: ParentKind, parent_id: int, start: int | None, limit: int | None
) -> LoaderCall[MailKey, OffsetPage[MailMessageRecord]]:
    """The loader call of a window of the mail messages of a deal, person or organization;
    BAD_USER_INPUT for an argument out of range."""
    w = page_args(start, limit)
    return LoaderCall(ctx.loaders.mail_messages_of, MailKey(kind, parent_id, w.start, w.limit))


async def _thread(ctx: Context, message: MailMessageRecord) -> MailThreadRecord | None:
    if message.mail_thread_id is None:
        return None
    return await ctx.loaders.mail_thread_by_id.load(message.mail_thread_id)


async def deal_id_of(ctx: Context, message: MailMessageRecord) -> int | None:
    """The message's deal: the deal its list was read from, else its thread's `deal_id`.

    A v1 mail message names no deal; its thread does (`GET /v1/mailbox/mailThreads/{id}`,
    one call per thread, shared by the request's messages of that thread).
    """
    if message.deal_id is not None:
        return message.deal_id
    thread = await _thread(ctx, message)
    return None if thread is None else thread.deal_id


async def org_id_of(ctx: Context, message: MailMessageRecord) -> int | None:
    """The message's organization: its list's, else the first its thread's parties link to."""
    if message.org_id is not None:
        return message.org_id
    thread = await _thread(ctx, message)
    return thread.org_ids[0] if thread is not None and thread.org_ids else None


async def deal_of(ctx: Context, message: MailMessageRecord) -> DealRecord | None:
    """The deal of a message (see `deal_id_of`)."""
    deal_id = await deal_id_of(ctx, message)
    return None if deal_id is None else await ctx.loaders.deal_by_id.load(deal_id)


async def organization_of(ctx: Context, message: MailMessageRecord) -> OrganizationRecord | None:
    """The organization of a message (see `org_id_of`)."""
    org_id = await org_id_of(ctx, message)
    return None if org_id is None else await ctx.loaders.organization_by_id.load(org_id)
