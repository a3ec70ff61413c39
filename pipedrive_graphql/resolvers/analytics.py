"""Pipeline and stage summaries and rotting deals, computed from one deal scan per request."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pipedrive_graphql.clock import iso
from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.deal_scans import DealScan
from pipedrive_graphql.datasources.pipedrive.records import DealRecord, OffsetPage
from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.resolvers import deal_metrics as metrics
from pipedrive_graphql.resolvers.common import date, page_args
from pipedrive_graphql.resolvers.deal_metrics import DealSetting
from pipedrive_graphql.resolvers.money import rounded
from pipedrive_graphql.resolvers.placement import Placements, placements

SCAN_SOURCE = "deal scan"


@dataclass(frozen=True, slots=True)
class Freshness:
    """When and from what a figure was computed."""

    computed_at: str
    source: str
    deals_scanned: int


@dataclass(frozen=True, slots=True)
class CurrencyFigures:
    """Deals of one currency: how many, their value and their weighted value."""

    currency: str
    count: int
    value: float
    weighted_value: float


@dataclass(frozen=True, slots=True)
class OpenFigures:
    """Open deals of a pipeline or stage."""

    count: int
    rotten_count: int
    by_currency: tuple[CurrencyFigures, ...]
    freshness: Freshness


@dataclass(frozen=True, slots=True)
class ClosedFigures:
    """Won or lost deals of a pipeline or stage over a period."""

    count: int
    by_currency: tuple[CurrencyFigures, ...]
    freshness: Freshness


@dataclass(frozen=True, slots=True)
class Period:
    """An optional inclusive date range (`YYYY-MM-DD`)."""

    start: str | None = None
    end: str | None = None

    @classmethod
    def checked(cls, start: str | None, end: str | None) -> Period:
        """Check both dates, and their order; raises `BadUserInputError` before any call."""
        period = cls(date("from", start), date("to", end))
        if period.start and period.end and period.start > period.end:
            raise BadUserInputError("from must not be after to")
        return period

    def contains(self, moment: str | None) -> bool:
        """Whether a timestamp's date falls in the period (any timestamp when open-ended)."""
        if moment is None:
            return False
        day = moment[:10]
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def freshness(ctx: Context, scan: DealScan, source: str = SCAN_SOURCE) -> Freshness:
    """Freshness of figures computed now from a scan."""
    return Freshness(iso(ctx.clock()), source, len(scan.deals))


def by_currency(deals: Iterable[DealRecord], places: Placements) -> tuple[CurrencyFigures, ...]:
    """Count, value and weighted value per currency, currencies in alphabetical order.

    Totals are rounded to each currency's ISO 4217 minor unit (KWD to 3 places, JPY to 0).
    """
    totals: dict[str, list[float]] = {}
    for deal in deals:
        where = places.of(deal)
        row = totals.setdefault(deal.currency or "", [0, 0.0, 0.0])
        row[0] += 1
        row[1] += deal.value or 0.0
        row[2] += metrics.weighted_value(deal, where) or 0.0
    return tuple(
        CurrencyFigures(cur, int(n), rounded(value, cur), rounded(weighted, cur))
        for cur, (n, value, weighted) in sorted(totals.items())
    )


async def open_deals(ctx: Context, pipeline_id: int | None) -> DealScan:
    """The open deals of one pipeline (or all), read once per request."""
    return await ctx.deal_scans.scan(pipeline_id=pipeline_id, status="open")


async def open_figures(ctx: Context, pipeline_id: int, stage_id: int | None) -> OpenFigures:
    """Open deals of a pipeline (or one of its stages): counts, values, rotten count."""
    scan = await open_deals(ctx, pipeline_id)
    places = await placements(ctx)
    now = ctx.clock()
    deals = [d for d in scan.deals if stage_id is None or d.stage_id == stage_id]
    rotten = sum(1 for d in deals if _rotten(d, places.of(d), now) is not None)
    return OpenFigures(len(deals), rotten, by_currency(deals, places), freshness(ctx, scan))


async def closed_figures(
    ctx: Context, pipeline_id: int, stage_id: int | None, status: str, period: Period
) -> ClosedFigures:
    """Won (or lost) deals whose won (lost) time falls in the period."""
    since = None if period.start is None else f"{period.start}T00:00:00Z"
    # A deal closed in the period was updated then, so `updated_since` only trims the scan.
    scan = await ctx.deal_scans.scan(
        pipeline_id=pipeline_id, status="won,lost", updated_since=since
    )
    places = await placements(ctx)
    deals = [
        d
        for d in scan.deals
        if d.status == status
        and (stage_id is None or d.stage_id == stage_id)
        and period.contains(d.won_time if status == "won" else d.lost_time)
    ]
    return ClosedFigures(len(deals), by_currency(deals, places), freshness(ctx, scan))


def _rotten(deal: DealRecord, where: DealSetting, now: datetime) -> datetime | None:
    return metrics.rotten_since(deal, where.stage, now)


@dataclass(frozen=True, slots=True)
class RottenPage:
    """A window of rotting deals with the freshness of the scan behind it."""

    page: OffsetPage[DealRecord]
    freshness: Freshness


async def rotten_deals(
    ctx: Context,
    pipeline_id: int | None,
    owner_id: int | None,
    start: int | None,
    limit: int | None,
) -> RottenPage:
    """Rotting open deals, longest-rotting first (earliest `rottenSince`, then id)."""
    w = page_args(start, limit)
    scan = await open_deals(ctx, pipeline_id)
    places = await placements(ctx)
    now = ctx.clock()
    rotting: list[tuple[datetime, DealRecord]] = []
    for deal in scan.deals:
        if owner_id is not None and deal.owner_id != owner_id:
            continue
        since = _rotten(deal, places.of(deal), now)
        if since is not None:
            rotting.append((since, deal))
    rotting.sort(key=lambda pair: (pair[0], pair[1].id))
    end = w.start + w.limit
    chosen = tuple(deal for _, deal in rotting[w.start : end])
    for deal in chosen:
        ctx.loaders.deal_by_id.prime(deal.id, deal)
    more = len(rotting) > end
    page = OffsetPage(chosen, more, end if more else None)
    return RottenPage(page, freshness(ctx, scan))
