"""Dashboard analytics types: summaries, forecast, conversion and rotting deals."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.datasources.pipedrive.records import StageRecord
from pipedrive_graphql.resolvers import analytics, forecast
from pipedrive_graphql.resolvers import pipelines as pipeline_resolvers
from pipedrive_graphql.resolvers.analytics import Period
from pipedrive_graphql.resolvers.conversion import Conversion, counted_user
from pipedrive_graphql.schema.deals import Deal
from pipedrive_graphql.schema.fields import Info, resolved, resolved_method
from pipedrive_graphql.schema.pagination import Page, served

if TYPE_CHECKING:
    from pipedrive_graphql.schema.pipelines import Stage

_PIPES = "pipedrive_graphql.schema.pipelines"
_COMPUTED_AT = "When the figures were computed (ISO 8601 UTC); every analytics field is live."
_SOURCE = "Where the figures come from: `deal scan` or the Pipedrive endpoint that computed them."
_SCANNED = "How many deals the server read to compute the figures."
# Whether archived deals count: Pipedrive's own summaries leave them out (the v1 spec:
# `/deals/summary` "Returns a summary of all not archived deals", `/deals/timeline` "Returns not
# archived open and won deals", each with an `/archived` twin), and its help ("Archive deals and
# leads") says archiving takes a deal out of the active views. No public source says Insights
# reports count them, so the scans read `/deals` and leave them out.
ARCHIVED_NOT_COUNTED = (
    "Archived deals are not counted, as in Pipedrive's own deal summary and timeline (which "
    "cover not archived deals only); list them with `deals(archived: true)`."
)

FromDate = Annotated[
    str | None,
    strawberry.argument(name="from", description="First day of the period (YYYY-MM-DD)."),
]
ToDate = Annotated[
    str | None,
    strawberry.argument(name="to", description="Last day of the period (YYYY-MM-DD)."),
]


@strawberry.enum(description="The width of a forecast bucket (weeks start on Monday).")
class ForecastInterval(Enum):
    """Forecast bucket widths (mirrors `resolvers.forecast.Interval`)."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


@strawberry.type(description="Deals of one currency. Values are never summed across currencies.")
class CurrencyTotal:
    """Count, value and weighted value of the deals in one currency (`CurrencyFigures`)."""

    currency: str = strawberry.field(description="The currency code (e.g. USD).")
    count: int = strawberry.field(description="How many deals.")
    value: float = strawberry.field(description="The sum of their values, in this currency.")
    weighted_value: float = strawberry.field(
        description="The sum of value × probability / 100 (the full value without probability)."
    )


@strawberry.type(
    description="Open deals: counts and values per currency. Source: deal scan. "
    + ARCHIVED_NOT_COUNTED
)
class OpenDealsSummary:
    """The open part of a summary."""

    count: int = strawberry.field(description="How many open deals.")
    rotten_count: int = strawberry.field(
        description="How many of them are rotten now (not updated for longer than their "
        "stage's rotten days)."
    )
    by_currency: list[CurrencyTotal] = strawberry.field(
        description="Count, value and weighted value per currency."
    )
    computed_at: str = strawberry.field(description=_COMPUTED_AT)
    source: str = strawberry.field(description=_SOURCE)
    deals_scanned: int = strawberry.field(description=_SCANNED)

    @classmethod
    def of(cls, f: analytics.OpenFigures) -> OpenDealsSummary:
        """Wrap open figures."""
        fresh = f.freshness
        return cls(
            count=f.count,
            rotten_count=f.rotten_count,
            by_currency=served(f.by_currency),
            computed_at=fresh.computed_at,
            source=fresh.source,
            deals_scanned=fresh.deals_scanned,
        )


@strawberry.type(
    description="Won or lost deals closed in the period. Source: deal scan. " + ARCHIVED_NOT_COUNTED
)
class ClosedDealsSummary:
    """The won or lost part of a summary."""

    count: int = strawberry.field(description="How many deals closed this way in the period.")
    by_currency: list[CurrencyTotal] = strawberry.field(
        description="Count, value and weighted value per currency."
    )
    computed_at: str = strawberry.field(description=_COMPUTED_AT)
    source: str = strawberry.field(description=_SOURCE)
    deals_scanned: int = strawberry.field(description=_SCANNED)

    @classmethod
    def of(cls, f: analytics.ClosedFigures) -> ClosedDealsSummary:
        """Wrap closed figures."""
        fresh = f.freshness
        return cls(
            count=f.count,
            by_currency=served(f.by_currency),
            computed_at=fresh.computed_at,
            source=fresh.source,
            deals_scanned=fresh.deals_scanned,
        )


@strawberry.type(
    description=(
        "Health of a pipeline or stage, computed from deal scans (`GET /api/v2/deals`, 10 tokens "
        "per 500 deals, shared by every analytics field of the request) rather than Pipedrive's "
        "`/deals/summary` (40 tokens per status, converted to one currency, no rotting, no "
        "period). Only the parts selected are scanned: open deals once per pipeline; won and lost "
        "deals once per pipeline and period (trimmed with `updated_since`). The scan reads "
        "`/deals`, which leaves archived deals out; deleted deals are not counted either. "
        + ARCHIVED_NOT_COUNTED
    )
)
class DealSummary:
    """A summary; each part loads its own scan when selected."""

    pipeline_id: int = strawberry.field(description="The pipeline summarised.")
    stage_id: int | None = strawberry.field(description="The stage summarised; null: all.")
    period: strawberry.Private[Period]

    @resolved_method(
        "First day of the won/lost period (YYYY-MM-DD); null: no lower bound.", pricing.FREE
    )
    def period_from(self) -> str | None:
        return self.period.start

    @resolved_method(
        "Last day of the won/lost period (YYYY-MM-DD); null: no upper bound.", pricing.FREE
    )
    def period_to(self) -> str | None:
        return self.period.end

    @resolved_method(
        "Open deals now: count, rotten count, value and weighted value per currency.", pricing.FREE
    )
    async def open(self, info: Info) -> OpenDealsSummary:
        figures = await analytics.open_figures(info.context, self.pipeline_id, self.stage_id)
        return OpenDealsSummary.of(figures)

    @resolved_method("Deals won in the period (by won time), per currency.", pricing.FREE)
    async def won(self, info: Info) -> ClosedDealsSummary:
        return ClosedDealsSummary.of(await self._closed(info, "won"))

    @resolved_method("Deals lost in the period (by lost time), per currency.", pricing.FREE)
    async def lost(self, info: Info) -> ClosedDealsSummary:
        return ClosedDealsSummary.of(await self._closed(info, "lost"))

    async def _closed(self, info: Info, status: str) -> analytics.ClosedFigures:
        return await analytics.closed_figures(
            info.context, self.pipeline_id, self.stage_id, status, self.period
        )


@strawberry.type(description="Open deals expected to close in one period (or without a date).")
class ForecastBucket:
    """One bucket of a forecast."""

    period_start: str | None = strawberry.field(
        description="First day of the bucket (YYYY-MM-DD); null for deals without a date."
    )
    period_end: str | None = strawberry.field(
        description="Last day of the bucket (YYYY-MM-DD); null for deals without a date."
    )
    count: int = strawberry.field(description="How many open deals.")
    by_currency: list[CurrencyTotal] = strawberry.field(
        description="Value and weighted value per currency."
    )

    @classmethod
    def of(cls, b: forecast.Bucket) -> ForecastBucket:
        """Wrap a bucket."""
        return cls(
            period_start=b.start,
            period_end=b.end,
            count=b.count,
            by_currency=served(b.by_currency),
        )


@strawberry.type(
    description="Open deals of a pipeline bucketed by expected close date. " + ARCHIVED_NOT_COUNTED
)
class PipelineForecast:
    """A weighted forecast."""

    pipeline_id: int = strawberry.field(description="The pipeline forecast.")
    interval: ForecastInterval = strawberry.field(description="The width of each bucket.")
    buckets: list[ForecastBucket] = strawberry.field(
        description="Every bucket from the first to the last, in order, empty ones included."
    )
    undated: ForecastBucket = strawberry.field(
        description="Open deals without an expected close date."
    )
    computed_at: str = strawberry.field(description=_COMPUTED_AT)
    source: str = strawberry.field(description=_SOURCE)
    deals_scanned: int = strawberry.field(description=_SCANNED)

    @classmethod
    def of(cls, f: forecast.Forecast) -> PipelineForecast:
        """Wrap a forecast."""
        return cls(
            pipeline_id=f.pipeline_id,
            interval=ForecastInterval(f.interval.value),
            buckets=[ForecastBucket.of(b) for b in f.buckets],
            undated=ForecastBucket.of(f.undated),
            computed_at=f.freshness.computed_at,
            source=f.freshness.source,
            deals_scanned=f.freshness.deals_scanned,
        )


async def _from_stage(parent: strawberry.Parent[StageConversion], info: Info) -> StageRecord | None:
    return await pipeline_resolvers.stage_or_none(info.context, parent.from_stage_id)


async def _to_stage(parent: strawberry.Parent[StageConversion], info: Info) -> StageRecord | None:
    return await pipeline_resolvers.stage_or_none(info.context, parent.to_stage_id)


@strawberry.type(description="The share of deals that moved from one stage to the next.")
class StageConversion:
    """One stage-to-stage conversion."""

    from_stage_id: int = strawberry.field(description="The stage deals moved from.")
    to_stage_id: int = strawberry.field(description="The next stage.")
    conversion_rate: int = strawberry.field(description="The percentage that reached it.")

    # the stages are charged with the conversion's own price (it needs the board)
    from_stage: Annotated[Stage, strawberry.lazy(_PIPES)] | None = resolved(
        _from_stage, pricing.FREE, "The stage deals moved from."
    )
    to_stage: Annotated[Stage, strawberry.lazy(_PIPES)] | None = resolved(
        _to_stage, pricing.FREE, "The next stage."
    )


@strawberry.type(
    description=(
        "Conversion of a pipeline over a period, from Pipedrive's "
        "`/pipelines/{id}/conversion_statistics` (one call, 40 tokens): it replays stage "
        "movements, which the deal list cannot reconstruct."
    )
)
class PipelineConversion:
    """Stage-to-stage conversion and win/loss rates."""

    pipeline_id: int = strawberry.field(description="The pipeline.")
    period_from: str = strawberry.field(description="First day of the period (YYYY-MM-DD).")
    period_to: str = strawberry.field(description="Last day of the period (YYYY-MM-DD).")
    stage_conversions: list[StageConversion] = strawberry.field(
        description="Each stage to the next, in pipeline order."
    )
    won_rate: int = strawberry.field(description="The percentage of deals won.")
    lost_rate: int = strawberry.field(description="The percentage of deals lost.")
    computed_at: str = strawberry.field(description=_COMPUTED_AT)
    source: str = strawberry.field(description=_SOURCE)
    conversion: strawberry.Private[Conversion]

    @resolved_method(
        "The user whose deals are counted: `ownerId`, else the user of the API token "
        "(Pipedrive counts only that user's deals when no user is given; naming them reads "
        "`GET /v1/users/me`, 2 tokens, only when this field is selected).",
        pricing.CURRENT_USER,
    )
    async def user_id(self, info: Info) -> int:
        """The counted user's id."""
        return await counted_user(info.context, self.conversion)

    @classmethod
    def of(cls, c: Conversion) -> PipelineConversion:
        """Wrap conversion statistics."""
        s = c.statistics
        return cls(
            pipeline_id=c.pipeline_id,
            period_from=c.period.start or "",
            period_to=c.period.end or "",
            stage_conversions=[
                StageConversion(
                    from_stage_id=r.from_stage_id,
                    to_stage_id=r.to_stage_id,
                    conversion_rate=r.conversion_rate,
                )
                for r in s.stage_conversions
            ],
            won_rate=s.won_conversion,
            lost_rate=s.lost_conversion,
            computed_at=c.computed_at,
            source=c.source,
            conversion=c,
        )


@strawberry.type(
    description="A window of rotting open deals, longest-rotting first. " + ARCHIVED_NOT_COUNTED
)
class RottenDealList(Page[Deal]):
    """Rotting deals with `hasMore`, `nextStart` and the freshness of the scan."""

    computed_at: str = strawberry.field(description=_COMPUTED_AT)
    source: str = strawberry.field(description=_SOURCE)
    deals_scanned: int = strawberry.field(description=_SCANNED)

    @classmethod
    def of(cls, r: analytics.RottenPage) -> RottenDealList:
        """Wrap a page of rotting deals."""
        return cls(
            items=served(r.page.items),
            has_more=r.page.has_more,
            next_start=r.page.next_start,
            computed_at=r.freshness.computed_at,
            source=r.freshness.source,
            deals_scanned=r.freshness.deals_scanned,
        )
