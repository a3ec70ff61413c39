"""Mail message reads (v1): arguments -> loaders -> mail message records."""

from __future__ import annotations

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.client import ParentKind
from pipedrive_graphql.datasources.loaders import MailKey
from pipedrive_graphql.datasources.records import MailMessageRecord, OffsetPage
from pipedrive_graphql.resolvers.common import found, page_args


async def get_mail_message(ctx: Context, message_id: int) -> MailMessageRecord:
    """One mail message by id; NOT_FOUND when absent."""
    record = await ctx.loaders.mail_message_by_id.load(message_id)
    return found(record, "mail message", message_id)


async def mail_messages_of(
    ctx: Context, kind: ParentKind, parent_id: int, start: int | None, limit: int | None
) -> OffsetPage[MailMessageRecord]:
    """A window of the mail messages of a deal, person or organization."""
    w = page_args(start, limit)
    return await ctx.loaders.mail_messages_of.load(MailKey(kind, parent_id, w.start, w.limit))
