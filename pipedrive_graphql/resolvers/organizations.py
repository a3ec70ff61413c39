"""Organization reads: arguments -> loaders -> organization records."""

from __future__ import annotations

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.records import OrganizationRecord
from pipedrive_graphql.resolvers.common import found


async def get_organization(ctx: Context, org_id: int) -> OrganizationRecord:
    """One organization by id; NOT_FOUND when absent."""
    record = await ctx.loaders.organization_by_id.load(org_id)
    return found(record, "organization", org_id)
