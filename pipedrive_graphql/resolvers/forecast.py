"""Weighted forecast: open deals bucketed by expected close date, per currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.records import DealRecord
from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.resolvers.analytics import (
    CurrencyFigures,
    Freshness,
    Period,
    by_currency,
    freshness,
    open_deals,
)
from pipedrive_graphql.resolvers.placement import Placements, placements

MAX_BUCKETS = 400  # a daily dashboard never needs more; keeps a wide range from exploding


class Interval(Enum):
    """The width of a forecast bucket."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True, slots=True)
class Bucket:
    """Open deals expected to close within one period (or without a date)."""

    start: str | None
    end: str | None
    count: int
    by_currency: tuple[CurrencyFigures, ...]


@dataclass(frozen=True, slots=True)
class Forecast:
    """Dated buckets in order, the undated bucket, and the freshness of the figures."""

    pipeline_id: int
    interval: Interval
    buckets: tuple[Bucket, ...]
    undated: Bucket
    freshness: Freshness


def bucket_start(day: date, interval: Interval) -> date:
    """The first day of the bucket holding `day` (weeks start on Monday)."""
    if interval is Interval.WEEK:
        return day - timedelta(days=day.weekday())
    if interval is Interval.MONTH:
        return day.replace(day=1)
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def next_start(start: date, interval: Interval) -> date:
    """The first day of the bucket after the one starting at `start`."""
    if interval is Interval.WEEK:
        return start + timedelta(days=7)
    months = 1 if interval is Interval.MONTH else 3
    total = start.month - 1 + months
    return start.replace(year=start.year + total // 12, month=total % 12 + 1, day=1)


def _bucket(start: date | None, end: date | None, deals: list[DealRecord], p: Placements) -> Bucket:
    return Bucket(
        None if start is None else start.isoformat(),
        None if end is None else end.isoformat(),
        len(deals),
        by_currency(deals, p),
    )


async def pipeline_forecast(
    ctx: Context, pipeline_id: int, start: str | None, end: str | None, interval: Interval
) -> Forecast:
    """Bucket the pipeline's open deals; every bucket between the bounds is listed, empty or not."""
    period = Period.checked(start, end)
    if period.start and period.end:  # both bounds known: refuse a huge range before any call
        _check_bucket_count(_bound(period.start, None, interval), period.end, interval)
    scan = await open_deals(ctx, pipeline_id)
    places = await placements(ctx)
    dated: dict[date, list[DealRecord]] = {}
    undated: list[DealRecord] = []
    for deal in scan.deals:
        if deal.expected_close_date is None:
            undated.append(deal)
        elif period.contains(deal.expected_close_date):
            day = date.fromisoformat(deal.expected_close_date[:10])
            dated.setdefault(bucket_start(day, interval), []).append(deal)
    buckets: list[Bucket] = []
    first = _bound(period.start, min(dated, default=None), interval)
    last = _bound(period.end, max(dated, default=None), interval)
    cursor = first
    while cursor is not None and last is not None and cursor <= last:
        if len(buckets) >= MAX_BUCKETS:
            raise BadUserInputError(f"the range holds more than {MAX_BUCKETS} buckets")
        following = next_start(cursor, interval)
        end_day = following - timedelta(days=1)
        buckets.append(_bucket(cursor, end_day, dated.get(cursor, []), places))
        cursor = following
    return Forecast(
        pipeline_id,
        interval,
        tuple(buckets),
        _bucket(None, None, undated, places),
        freshness(ctx, scan),
    )


def _check_bucket_count(first: date | None, end: str, interval: Interval) -> None:
    cursor, last = first, date.fromisoformat(end)
    try:
        next_start(bucket_start(last, interval), interval)
    except (OverflowError, ValueError):  # the bucket of `to` would end after 9999-12-31
        raise BadUserInputError(f"to {end} is in the last bucket a date can hold") from None
    for _ in range(MAX_BUCKETS):
        if cursor is None or cursor > last:
            return
        cursor = next_start(cursor, interval)
    if cursor is not None and cursor <= last:
        raise BadUserInputError(f"the range holds more than {MAX_BUCKETS} buckets")


def _bound(given: str | None, seen: date | None, interval: Interval) -> date | None:
    if given is not None:
        return bucket_start(date.fromisoformat(given), interval)
    return seen
