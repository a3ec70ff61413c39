"""Organization reads: arguments -> loaders -> organization records."""

from __future__ import annotations

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.records import OrganizationRecord
from pipedrive_graphql.resolvers.common import found
from pipedrive_graphql.resolvers.links import LinkedRecord, load_link


async def get_organization(ctx: Context, org_id: int) -> OrganizationRecord:
    """One organization by id; NOT_FOUND when absent."""
    record = await ctx.loaders.organization_by_id.load(org_id)
    return found(record, "organization", org_id)


async def organization_or_none(ctx: Context, org_id: int | None) -> OrganizationRecord | None:
    """The organization a link points at, or None."""
    if org_id is None:
        return None
    return await ctx.loaders.organization_by_id.load(org_id)


def organization_link(
    ctx: Context, organization_id: int | None
) -> LinkedRecord[OrganizationRecord]:
    """The organization a link points at: the record when loaded, else its pending future."""
    return load_link(ctx.loaders.organization_by_id, organization_id)
