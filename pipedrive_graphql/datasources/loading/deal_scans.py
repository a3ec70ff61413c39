"""Per-request memo of whole deal lists: one paged scan per filter set, shared by every field."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pipedrive_graphql.datasources.loading.planner import FilterKey, normalise_filters
from pipedrive_graphql.datasources.pipedrive.client import MAX_PAGE, PipedriveClient
from pipedrive_graphql.datasources.pipedrive.records import DealRecord
from pipedrive_graphql.errors import QueryTooComplexError

# 100 pages of 500 = 50,000 deals (1,000 tokens): beyond that a dashboard field is a batch job.
MAX_SCAN_PAGES = 100


@dataclass(frozen=True, slots=True)
class DealScan:
    """Every deal matching one filter set, and the pages it took to read them."""

    filters: FilterKey
    deals: tuple[DealRecord, ...]
    pages: int


class DealScans:
    """Reads `GET /api/v2/deals?…` to the end once per filter set and request."""

    def __init__(self, client: PipedriveClient, *, max_pages: int = MAX_SCAN_PAGES) -> None:
        self._client = client
        self._max_pages = max_pages
        self._memo: dict[FilterKey, asyncio.Task[DealScan]] = {}

    async def scan(self, **filters: object) -> DealScan:
        """All deals matching the quick filters (None values are left out)."""
        key = normalise_filters(filters.items())
        task = self._memo.get(key)
        if task is None:
            task = asyncio.ensure_future(self._read(key))
            self._memo[key] = task
        return await task

    def clear(self) -> None:
        """Forget every scan (after a deal write in the same request)."""
        self._memo.clear()

    async def _read(self, filters: FilterKey) -> DealScan:
        params = dict(filters)
        rows: list[DealRecord] = []
        cursor: str | None = None
        for page_number in range(1, self._max_pages + 1):
            page = await self._client.list_deals(params, limit=MAX_PAGE, cursor=cursor)
            rows.extend(page.items)
            cursor = page.next_cursor
            if cursor is None or not page.items:
                label = " ".join(f"{k}={v}" for k, v in filters) or "all"
                self._client.stats.note(
                    f"/deals scan {label}: {page_number} page(s), {len(rows)} deals"
                )
                return DealScan(filters, tuple(rows), page_number)
        raise QueryTooComplexError(
            f"more than {self._max_pages * MAX_PAGE} deals to scan for this analytics field",
            extensions={"limit": "deal scan pages", "max": self._max_pages},
        )
