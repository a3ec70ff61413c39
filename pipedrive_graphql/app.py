"""The application factory: `create_app(settings)`, run by uvicorn with `--factory`."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from pipedrive_graphql.apq import PersistedQueryStore
from pipedrive_graphql.datasources.pipedrive.transport import (
    AiohttpUpstreamTransport,
    environment_proxy,
)
from pipedrive_graphql.documents import DocumentCache
from pipedrive_graphql.endpoint import graphql_endpoint
from pipedrive_graphql.http_response import json_response
from pipedrive_graphql.live.webhooks import webhook_endpoint
from pipedrive_graphql.live.websocket import SubscriptionView
from pipedrive_graphql.live.wiring import (
    WEBHOOK_PATH,
    build_hub,
    deliver_embedded_webhooks,
    embedded_webhook_settings,
)
from pipedrive_graphql.logs import RequestIdMiddleware, configure_logging
from pipedrive_graphql.metrics import CONTENT_TYPE, Metrics
from pipedrive_graphql.runtime import (
    EMBEDDED_BASE_URL,
    Runtime,
    build_http_client,
    server_credential,
)
from pipedrive_graphql.schema import build_schema
from pipedrive_graphql.settings import Settings
from pipedrive_graphql.startup_check import check_server_credential

if TYPE_CHECKING:
    from pipedrive_graphql.emulator import Emulator

logger = logging.getLogger("pipedrive_graphql")

STATIC_DIR = Path(__file__).parent / "static"
GRAPHQL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def embedded_transport(settings: Settings) -> httpx.AsyncBaseTransport:
    """The embedded emulator reached without sockets (without its webhooks' receiver)."""
    return httpx.ASGITransport(app=embedded_emulator(settings).app)


def embedded_emulator(settings: Settings) -> Emulator:
    """An in-process emulator seeded with the configured dataset, reached without sockets."""
    from pipedrive_graphql.emulator import Emulator, EmulatorConfig

    config = EmulatorConfig(dataset=settings.embedded_dataset, strict=settings.emulator_strict)
    return Emulator(config)


def create_app(
    settings: Settings | None = None,
    *,
    upstream_transport: httpx.AsyncBaseTransport | None = None,
    upstream_base_url: str | None = None,
    check_credential: bool | None = None,
) -> Starlette:
    """Build the ASGI app; the upstream client is created in the lifespan and closed after.

    Called without settings (as uvicorn's `--factory` does) it reads the environment and
    configures process-wide logging; tests pass settings and keep pytest's logging.
    `check_credential` (default: when called without settings) probes PIPEDRIVE_API_TOKEN once
    at start, in the background, and logs a refused token.
    """
    own_process = settings is None
    if check_credential is None:
        check_credential = own_process
    if settings is None:
        settings = Settings.from_env()
        configure_logging(settings.log_level, settings.log_format)
    if settings.embedded:
        settings = embedded_webhook_settings(settings)
    schema = build_schema()
    tracer = None
    if settings.otel_enabled:
        from pipedrive_graphql.tracing import build_tracer

        tracer = build_tracer()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        transport = upstream_transport
        base_url = upstream_base_url or settings.upstream_url
        emulator = None
        if transport is None and settings.embedded:
            emulator = embedded_emulator(settings)
            transport = httpx.ASGITransport(app=emulator.app)
            base_url = EMBEDDED_BASE_URL
            deliver_embedded_webhooks(emulator, app, settings)  # a mutation -> its event
        transport = transport or default_transport(settings)
        if tracer is not None:
            from pipedrive_graphql.tracing import TracingTransport

            transport = TracingTransport(transport, tracer)
        async with build_http_client(settings, transport) as http:
            app.state.runtime = Runtime(
                settings=settings,
                schema=schema,
                documents=DocumentCache(
                    schema._schema,
                    settings.max_query_tokens,
                    max_size=settings.document_cache_size,
                    max_bytes=settings.document_cache_bytes,
                ),
                http=http,
                base_url=base_url,
                server_credential=server_credential(settings),
            )
            app.state.apq.link = app.state.runtime.link  # APQ registrations shared via Redis
            app.state.live = build_hub(settings, app.state.runtime.memory, app.state.runtime.link)
            await app.state.live.start()
            if own_process and settings.gc_tuning:
                tune_garbage_collector()
            check = None
            if check_credential and settings.api_token is not None:
                check = asyncio.create_task(check_server_credential(app.state.runtime))
            try:
                yield
            finally:
                if check is not None:
                    check.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await check
                await app.state.live.close()
                if emulator is not None:
                    await emulator.webhooks.aclose()
                await app.state.runtime.close()

    routes = [
        # every method reaches the endpoint, which refuses the others with a GraphQL error body
        Route("/graphql", graphql_endpoint, methods=GRAPHQL_METHODS),
        Route("/favicon.ico", favicon, methods=["GET"]),
        WebSocketRoute("/graphql", SubscriptionView(schema, settings)),
        Route(WEBHOOK_PATH, webhook_endpoint, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    middleware = [Middleware(RequestIdMiddleware)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=[
                    "content-type",
                    "authorization",
                    "x-pipedrive-api-token",
                    "x-request-id",
                ],
                expose_headers=["x-request-id"],
                max_age=600,
            )
        )
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.tracer = tracer
    app.state.apq = persisted_queries(settings)
    app.state.metrics = Metrics(
        lambda: guard_snapshot(app), live=lambda: getattr(app.state, "live", None)
    )
    return app


def default_transport(settings: Settings) -> httpx.AsyncBaseTransport:
    """The pooled transport to the real upstream: aiohttp's pool, or httpx's own."""
    limits = httpx.Limits(
        max_connections=settings.pool_size,
        max_keepalive_connections=settings.pool_size,
        keepalive_expiry=30.0,
    )
    proxy = environment_proxy(settings.upstream_url)  # httpx skips it for explicit transports
    if settings.upstream_client == "aiohttp":
        return AiohttpUpstreamTransport(limits, proxy)
    return httpx.AsyncHTTPTransport(limits=limits, proxy=proxy)


def persisted_queries(settings: Settings) -> PersistedQueryStore:
    """The APQ store, with the manifest of known operations loaded when one is configured."""
    store = PersistedQueryStore(settings.apq_cache_size, only_known=settings.persisted_queries_only)
    if settings.persisted_queries_file:
        count = store.load_manifest(settings.persisted_queries_file)
        logger.info("loaded %d persisted operations", count)
    return store


def tune_garbage_collector() -> None:
    """Move startup objects out of the collector's sight and collect young objects less often.

    A large result allocates tens of thousands of short-lived objects; with the default
    thresholds the collector walks the whole heap (schema, dataset, caches) many times per
    request. Only done when this module owns the process (uvicorn's `--factory`).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def guard_snapshot(app: Starlette) -> object | None:
    """The upstream guard's snapshot (breaker, rate-limit remaining) when a guard exists."""
    runtime = getattr(app.state, "runtime", None)
    guard = getattr(runtime, "guard", None)
    snapshot = getattr(guard, "snapshot", None)
    return snapshot() if callable(snapshot) else None


async def metrics_endpoint(request: Request) -> Response:
    """Prometheus exposition of this process's metrics."""
    metrics: Metrics = request.app.state.metrics
    return Response(metrics.render(), media_type=CONTENT_TYPE)


async def favicon(request: Request) -> Response:
    """The icon browsers ask for on every GraphiQL page (a 404 there is noise in their console)."""
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")


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
