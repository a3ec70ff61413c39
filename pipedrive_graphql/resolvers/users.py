"""User reads: the user list is fetched once per request and indexed."""

from __future__ import annotations

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.records import UserRecord
from pipedrive_graphql.resolvers.links import LinkedRecord, load_link


async def user_or_none(ctx: Context, user_id: int | None) -> UserRecord | None:
    """The user a link points at, or None."""
    if user_id is None:
        return None
    return await ctx.loaders.user_by_id.load(user_id)


def user_link(ctx: Context, user_id: int | None) -> LinkedRecord[UserRecord]:
    """The user a link points at: the record when loaded, else its pending future."""
    return load_link(ctx.loaders.user_by_id, user_id)
