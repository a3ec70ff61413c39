"""OpenTelemetry spans for GraphQL operations and upstream HTTP calls, only when enabled.

OpenTelemetry is an optional extra (`pip install 'pipedrive-graphql[otel]'`) imported lazily: with
tracing off nothing is imported and the request path has no span code at all.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import httpx

from pipedrive_graphql.metrics import path_template

if TYPE_CHECKING:
    from opentelemetry.trace import Span, Tracer

logger = logging.getLogger("pipedrive_graphql.tracing")

TRACER_NAME = "pipedrive_graphql"


def build_tracer() -> Tracer | None:
    """The tracer of the globally configured provider, or None when OpenTelemetry is missing.

    Without a provider configured elsewhere (OTEL_* environment, an agent, a test), one that
    exports over OTLP is installed when that exporter package is present.
    """
    try:
        from opentelemetry import trace
    except ImportError:
        logger.warning("OTEL_ENABLED is set but opentelemetry is not installed; tracing is off")
        return None
    if type(trace.get_tracer_provider()).__name__ == "ProxyTracerProvider":
        _install_default_provider()
    return trace.get_tracer(TRACER_NAME)


def _install_default_provider() -> None:
    try:
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        otlp = importlib.import_module("opentelemetry.exporter.otlp.proto.http.trace_exporter")
    except ImportError:
        logger.info("no OTLP exporter installed; spans go to the configured provider only")
        return
    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(otlp.OTLPSpanExporter()))
    trace.set_tracer_provider(provider)


class TracingTransport(httpx.AsyncBaseTransport):
    """Wraps the upstream transport: one client span per HTTP call (no headers, no query)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, tracer: Tracer) -> None:
        self._inner = inner
        self._tracer = tracer

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send the request inside a span named after the method and path template."""
        from opentelemetry.trace import SpanKind, Status, StatusCode

        template = path_template(request.url.path)
        attributes = {
            "http.request.method": request.method,
            "url.template": template,
            "server.address": request.url.host,
        }
        with self._tracer.start_as_current_span(
            f"{request.method} {template}", kind=SpanKind.CLIENT, attributes=attributes
        ) as span:
            response = await self._inner.handle_async_request(request)
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                span.set_status(Status(StatusCode.ERROR))
            return response

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self._inner.aclose()


@contextlib.contextmanager
def request_span(tracer: Tracer | None, headers: Mapping[str, str]) -> Iterator[Span | None]:
    """The server span of one GraphQL request, a child of the caller's W3C `traceparent`.

    Yields None (and imports nothing) when tracing is off.
    """
    if tracer is None:
        yield None
        return
    from opentelemetry.propagate import extract
    from opentelemetry.trace import SpanKind

    parent = extract(dict(headers.items()))
    with tracer.start_as_current_span(
        "graphql.request", context=parent, kind=SpanKind.SERVER
    ) as span:
        yield span
