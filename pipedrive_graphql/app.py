"""The application factory: `create_app(settings)`, run by uvicorn with `--factory`."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipedrive_graphql.documents import DocumentCache
from pipedrive_graphql.endpoint import graphql_endpoint, json_response
from pipedrive_graphql.limits import field_type_map
from pipedrive_graphql.runtime import (
    EMBEDDED_BASE_URL,
    Runtime,
    build_http_client,
    server_credential,
)
from pipedrive_graphql.schema import build_schema
from pipedrive_graphql.settings import Settings

logger = logging.getLogger("pipedrive_graphql")

STATIC_DIR = Path(__file__).parent / "static"


def embedded_transport(settings: Settings) -> httpx.AsyncBaseTransport:
    """An in-process emulator seeded with the configured dataset, reached without sockets."""
    from pipedrive_graphql.emulator import Emulator, EmulatorConfig

    emulator = Emulator(EmulatorConfig(dataset=settings.embedded_dataset))
    return httpx.ASGITransport(app=emulator.app)


def create_app(
    settings: Settings | None = None,
    *,
    upstream_transport: httpx.AsyncBaseTransport | None = None,
    upstream_base_url: str | None = None,
) -> Starlette:
    """Build the ASGI app; the upstream client is created in the lifespan and closed after."""
    settings = settings or Settings.from_env()
    schema = build_schema()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        transport = upstream_transport
        base_url = upstream_base_url or settings.upstream_url
        if transport is None and settings.embedded:
            transport = embedded_transport(settings)
            base_url = EMBEDDED_BASE_URL
        async with build_http_client(settings, transport) as http:
            app.state.runtime = Runtime(
                settings=settings,
                schema=schema,
                documents=DocumentCache(schema._schema, settings.max_query_tokens),
                http=http,
                base_url=base_url,
                server_credential=server_credential(settings),
                field_types=field_type_map(schema._schema),
            )
            yield

    routes = [
        Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


async def healthz(request: Request) -> Response:
    """The process is up."""
    return json_response({"status": "ok"})


async def readyz(request: Request) -> Response:
    """The upstream answers with the server's credential (a cheap, cached probe)."""
    runtime: Runtime = request.app.state.runtime
    ready, detail = await runtime.probe_upstream()
    return json_response(
        {"status": "ready" if ready else "unavailable", **detail}, 200 if ready else 503
    )
