"""The upstream HTTP transport: httpx's API over aiohttp's connection pool.

httpx's own pool costs about 0.5 ms of CPU per call from one caller and 2 ms at 32 concurrent
callers on this kind of machine; aiohttp's costs about 0.25 ms at any concurrency
(BENCHMARKS.md, "Upstream connection pool"). `httpx-aiohttp` supplies the adapter. Its
exception mapping reports every dropped connection as `httpx.ConnectTimeout`, which would tell
the retry policy that a write never left, so this module maps aiohttp's exceptions again by
what they mean for a request: refused or timed out before connecting → `ConnectError` /
`ConnectTimeout` (not sent); a read timeout → `ReadTimeout`; a connection lost after sending,
or a cut body → `ReadError` (maybe applied).
"""

from __future__ import annotations

import contextlib
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Iterator

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport


def environment_proxy(url: str) -> str | None:
    """The proxy `*_PROXY`/`NO_PROXY` name for `url`, read once for the one upstream."""
    parts = urllib.parse.urlsplit(url)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxy


def mapped_error(error: BaseException) -> httpx.TransportError | None:
    """The httpx exception an aiohttp failure stands for; None for anything else."""
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(str(error))  # no connection within the time: not sent
    if isinstance(error, aiohttp.ClientConnectorError):
        return httpx.ConnectError(str(error))  # refused, unreachable, DNS, TLS: not sent
    if isinstance(error, aiohttp.SocketTimeoutError | aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout(str(error))
    if isinstance(error, aiohttp.ClientConnectionError | aiohttp.ClientPayloadError):
        return httpx.ReadError(str(error) or type(error).__name__)  # lost after sending
    return None


@contextlib.contextmanager
def _remapped() -> Iterator[None]:
    try:
        yield
    except httpx.TransportError as error:  # the adapter's mapping: judge by the cause instead
        better = mapped_error(error.__cause__) if error.__cause__ is not None else None
        if better is None:
            raise
        raise better from error.__cause__
    except aiohttp.ClientError as error:
        better = mapped_error(error)
        if better is None:
            raise
        raise better from error


class _RemappedStream(httpx.AsyncByteStream):
    """A response body whose read failures are mapped as above."""

    def __init__(self, inner: httpx.AsyncByteStream) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _remapped():
            async for chunk in self._inner:
                yield chunk

    async def aclose(self) -> None:
        with _remapped():
            await self._inner.aclose()


class AiohttpUpstreamTransport(AiohttpTransport):
    """`httpx_aiohttp.AiohttpTransport` with exceptions that say whether a request was sent."""

    def __init__(self, limits: httpx.Limits, proxy: str | None = None) -> None:
        """Pool size and keep-alive expiry from `limits` (the session opens on first use)."""
        super().__init__(limits=limits, proxy=httpx.Proxy(proxy) if proxy else None)
        self.client = self._session  # a factory: aiohttp sessions belong to a running loop

    def _session(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self.limits.max_connections or 0,
            keepalive_timeout=self.limits.keepalive_expiry,
            ssl=self.ssl_context,
        )
        # not trust_env: aiohttp would re-read the proxy variables and ~/.netrc on every
        # request (doubling a call's cost); `environment_proxy` reads them once instead
        return aiohttp.ClientSession(connector=connector, trust_env=False)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send one request; failures come back as the httpx exceptions above."""
        with _remapped():
            response = await super().handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _RemappedStream(response.stream)
        return response
