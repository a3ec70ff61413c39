"""Stage-to-stage conversion over a period, as Pipedrive computes it from its movement history."""

from __future__ import annotations

from dataclasses import dataclass

from pipedrive_graphql.clock import iso
from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.conversion import ConversionStatistics
from pipedrive_graphql.resolvers.analytics import Period

SOURCE = "pipedrive /pipelines/{id}/conversion_statistics"


@dataclass(frozen=True, slots=True)
class Conversion:
    """Pipedrive's conversion statistics for one pipeline and period, with their freshness."""

    pipeline_id: int
    period: Period
    statistics: ConversionStatistics
    computed_at: str
    source: str
    owner_id: int | None = None  # None: Pipedrive counted the API token's own user


async def counted_user(ctx: Context, conversion: Conversion) -> int:
    """The user whose deals the figures count: the one asked for, else the token's user.

    `conversion_statistics` without `user_id` covers "the authorized user" only (v1 spec);
    which user that is takes `GET /v1/users/me` (2 tokens).
    """
    if conversion.owner_id is not None:
        return conversion.owner_id
    return (await ctx.client.get_current_user()).id


async def pipeline_conversion(
    ctx: Context, pipeline_id: int, start: str, end: str, owner_id: int | None
) -> Conversion:
    """One v1 call (40 tokens): the deal list cannot replay stage movements, Pipedrive can."""
    period = Period.checked(start, end)
    stats = await ctx.client.conversion_statistics(pipeline_id, start, end, user_id=owner_id)
    return Conversion(pipeline_id, period, stats, iso(ctx.clock()), SOURCE, owner_id)
