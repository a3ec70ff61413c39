"""Helpers for the production tests: an app on given settings and emulator, served in process."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator

import httpx

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.settings import Settings
from tests.conftest import UPSTREAM_URL


def emulator_credential_id(token: str) -> str:
    """The id the emulator's request log shows for `token` (a short SHA-256, as it computes)."""
    return hashlib.sha256(token.encode()).hexdigest()[:12]


@contextlib.asynccontextmanager
async def serve(settings: Settings, upstream: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for a fresh server app (lifespan running) in front of `upstream`."""
    app = create_app(
        settings,
        upstream_transport=httpx.ASGITransport(app=upstream.app),
        upstream_base_url=UPSTREAM_URL,
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://server.test") as c:
            yield c
