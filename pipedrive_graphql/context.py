"""The per-request context every resolver receives."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request

from pipedrive_graphql.clock import Clock, utc_now
from pipedrive_graphql.datasources.loading.deal_scans import DealScans
from pipedrive_graphql.datasources.loading.loaders import Loaders
from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.settings import Settings


@dataclass
class Context:
    """What one GraphQL request needs: settings, a client bound to its credential, its loaders."""

    settings: Settings
    client: PipedriveClient
    loaders: Loaders
    stats: CallStats
    request: Request | None = None
    clock: Clock = utc_now
    deal_scans: DealScans = field(init=False)
    # to-many loads the prefetch started for the resolvers of the next level (`execution.warmed`)
    warm_ups: dict[Hashable, asyncio.Future[Any]] = field(init=False, default_factory=dict)
    # errors a resolver reports without failing its field (added to the result's errors)
    field_errors: list[GraphQLError] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.deal_scans = DealScans(self.client)

    def release(self) -> None:
        """Drop what the request loaded once its operation has run (`Loaders.release`)."""
        self.loaders.release()
        self.warm_ups.clear()
