"""Helpers for datasource tests: a client and loaders wired to an in-process emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from pipedrive_graphql.datasources.loading.loaders import Loaders
from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient
from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.settings import Secret, Settings

TOKEN = "ds-test-token-abcdef123456"
BASE = "http://emulator"


@dataclass
class Upstream:
    """An emulator and an httpx client that reaches it in process."""

    emu: Emulator
    http: httpx.AsyncClient

    def client(self, token: str = TOKEN, stats: CallStats | None = None) -> PipedriveClient:
        """A fresh PipedriveClient with its own stats."""
        return PipedriveClient(self.http, Secret(token), base_url=BASE, stats=stats or CallStats())

    def loaders(
        self, memory: UpstreamMemory, *, batching: bool = True, token: str = TOKEN
    ) -> Loaders:
        """Per-request loaders over a fresh client (memory shared across 'requests')."""
        settings = Settings(api_token=Secret(token), base_url=BASE, batching=batching)
        return Loaders(self.client(token), settings, memory=memory)

    def requests(self, prefix: str = "/api/") -> list[tuple[str, str, dict[str, str]]]:
        """(method, path, query) of each logged upstream request under `prefix`."""
        return [
            (e.method, e.path, dict(e.query))
            for e in self.emu.log.entries
            if e.path.startswith(prefix)
        ]


@asynccontextmanager
async def upstream(dataset: str = "demo") -> AsyncIterator[Upstream]:
    """A strict emulator with `dataset`, reachable through httpx.ASGITransport."""
    emu = Emulator(EmulatorConfig(dataset=dataset, strict=True))
    transport = httpx.ASGITransport(app=emu.app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield Upstream(emu, http)
