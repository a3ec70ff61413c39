"""User reads: the user list is fetched once per request and indexed; `me` is its own call."""

from __future__ import annotations

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.records import UserRecord


async def list_users(ctx: Context) -> tuple[UserRecord, ...]:
    """Every user of the company (`GET /api/v1/users`, shared with the `owner` links)."""
    return await ctx.loaders.all_users()


async def current_user(ctx: Context) -> UserRecord:
    """The user of the credential in use (`GET /api/v1/users/me`, 2 tokens)."""
    record = await ctx.client.get_current_user()
    ctx.loaders.user_by_id.prime(record.id, record)
    return record
