"""Process-wide state: the schema, the document cache, the one upstream HTTP client."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

import httpx
import strawberry
from starlette.requests import Request

from pipedrive_graphql.clock import Clock, utc_now
from pipedrive_graphql.context import Context
from pipedrive_graphql.credentials import Credential
from pipedrive_graphql.datasources.loading.loaders import Loaders
from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient
from pipedrive_graphql.datasources.pipedrive.reference_codec import ReferenceRecords
from pipedrive_graphql.datasources.pipedrive.upstream import credential_key
from pipedrive_graphql.datasources.resilience.guard import UpstreamGuard
from pipedrive_graphql.datasources.resilience.retry import RetryPolicy
from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.datasources.state.redis_link import RedisLink
from pipedrive_graphql.datasources.state.shared_memory import SharedMemory
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.documents import DocumentCache
from pipedrive_graphql.errors import ErrorCode, GatewayError, RateLimitedError
from pipedrive_graphql.settings import Secret, Settings

logger = logging.getLogger("pipedrive_graphql")

EMBEDDED_BASE_URL = "http://embedded-emulator"
EMBEDDED_TOKEN = "embedded-emulator-token"


@dataclass
class Runtime:
    """Everything shared by the requests of one process."""

    settings: Settings
    schema: strawberry.Schema
    documents: DocumentCache
    http: httpx.AsyncClient
    base_url: str
    server_credential: Credential | None
    memory: UpstreamMemory = field(default_factory=UpstreamMemory)
    probe_interval: float = 15.0
    clock: Clock = utc_now  # tests replace it to make time-based analytics exact
    _probe: tuple[float, bool, dict[str, object]] | None = field(default=None, repr=False)
    _refresh: asyncio.Task[None] | None = field(default=None, repr=False)
    guard: UpstreamGuard = field(init=False)
    link: RedisLink | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        # With REDIS_URL, pacing and the caches are shared by every replica (in-process level
        # in front); without it, or while Redis is down, this process keeps them alone.
        self.memory.max_age = self.settings.cursor_max_age
        if self.settings.redis_url is not None:
            self.link = RedisLink(
                self.settings.redis_url.reveal(), timeout=self.settings.redis_timeout
            )
            SharedMemory(self.link, ReferenceRecords()).attach(self.memory)
            self.link.start()
        # One guard per process: rate windows, daily-budget memory and the breaker are shared
        # by every request of a credential, whichever request sends the call.
        self.guard = UpstreamGuard(
            plan=self.settings.plan,
            retry=RetryPolicy(
                max_attempts=self.settings.retry_max_attempts,
                min_attempt_time=self.settings.retry_min_time,
            ),
            attempt_timeout=self.settings.connect_timeout + self.settings.read_timeout,
            breaker_failure_rate=self.settings.breaker_failure_rate,
            breaker_min_calls=self.settings.breaker_min_calls,
            breaker_window=self.settings.breaker_window,
            breaker_cool_down=self.settings.breaker_cool_down,
            # the batching-off baseline is the naive gateway: no sharing between requests either
            coalesce=self.settings.batching,
            link=self.link,
            daily_probe_interval=self.settings.daily_probe_interval,
        )
        self.guard.write_listeners.append(self.memory.wrote)

    async def close(self) -> None:
        """Release the Redis connections (the HTTP client is closed by its owner)."""
        if self._refresh is not None:
            self._refresh.cancel()
            await asyncio.gather(self._refresh, return_exceptions=True)
        if self.link is not None:
            await self.link.close()

    def context_for(self, credential: Credential, request: Request | None) -> Context:
        """A fresh context (client bound to the credential, new loaders) for one request."""
        stats = CallStats()
        client = PipedriveClient(
            self.http,
            credential.secret,
            base_url=self.base_url,
            stats=stats,
            auth_scheme="bearer" if credential.oauth else "api_token",
            guard=self.guard,
        )
        self.guard.start_deadline(stats, self.settings.request_deadline)
        loaders = Loaders(client, self.settings, memory=self.memory)
        return Context(
            settings=self.settings,
            client=client,
            loaders=loaders,
            stats=stats,
            request=request,
            clock=self.clock,
        )

    async def probe_upstream(self) -> tuple[bool, dict[str, object]]:
        """Whether Pipedrive answers, with the shared-state and daily-budget detail."""
        ready, detail = await self._probe_upstream()
        return ready, {**detail, **self.shared_state()}

    def shared_state(self) -> dict[str, object]:
        """Redis in use or not, and whether the server token's daily budget is spent.

        Only the server token's budget is something this server's operator can act on (buy
        more API capacity); clients' own tokens show per credential key in `/metrics`.
        """
        snapshot = self.guard.snapshot()
        state: dict[str, object] = {"redis": snapshot["redis"]}
        credentials = snapshot.get("credentials")
        if self.server_credential is not None and isinstance(credentials, dict):
            server = credentials.get(credential_key(self.server_credential.secret), {})
            state["dailyBudgetExhausted"] = bool(server.get("dailyExhausted"))
        return state

    async def _probe_upstream(self) -> tuple[bool, dict[str, object]]:
        if self.guard.breaker_open():
            detail: dict[str, object] = {"detail": "Pipedrive is failing (circuit open)"}
            return False, {**detail, "code": "UPSTREAM_UNAVAILABLE", "reason": "circuit_open"}
        if self._probe is None or time.monotonic() - self._probe[0] >= self.probe_interval:
            if self._refresh is None:
                self._refresh = asyncio.ensure_future(self._refresh_probe())
            # A probe waits its turn in the rate governor behind the load: past a short wait an
            # orchestrator's probe (1 s by default in Kubernetes) gets the last known answer.
            wait = None if self._probe is None else PROBE_ANSWER_WAIT
            await asyncio.wait({self._refresh}, timeout=wait)
        assert self._probe is not None
        return self._probe[1], self._probe[2]

    async def _refresh_probe(self) -> None:
        try:
            started = time.monotonic()
            ready, detail = await _probe_once(self)
            self._probe = (started, ready, detail)
        finally:
            self._refresh = None


def build_http_client(settings: Settings, transport: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
    """The one upstream client over `transport` (which owns the pool: `app.default_transport`)."""
    timeout = httpx.Timeout(
        connect=settings.connect_timeout,
        read=settings.read_timeout,
        write=settings.read_timeout,
        pool=settings.connect_timeout,
    )
    return httpx.AsyncClient(transport=transport, timeout=timeout)


def server_credential(settings: Settings) -> Credential | None:
    """The credential configured for the whole server (the embedded token in embedded mode)."""
    if settings.api_token is not None:
        return Credential(settings.api_token)
    if settings.embedded:
        return Credential(Secret(EMBEDDED_TOKEN))
    return None


async def _probe_once(runtime: Runtime) -> tuple[bool, dict[str, object]]:
    credential = runtime.server_credential
    if credential is None:
        return True, {"detail": "no server credential; requests bring their own"}
    context = runtime.context_for(credential, None)
    try:
        await context.client.get_current_user()
    except RateLimitedError as error:
        # Pipedrive answered, and will again when the window or the day turns: taking the
        # replica out of service would take out every replica on the same token
        return True, {"detail": error.message, "code": error.code.value, "reason": _RATE_LIMITED}
    except GatewayError as error:
        if error.code in (ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN):
            detail = f"PIPEDRIVE_API_TOKEN was refused: {error.message}"
            return False, {"detail": detail, "code": error.code.value, "reason": _REFUSED}
        return False, {"detail": error.message, "code": error.code.value, "reason": _UNAVAILABLE}
    return True, {"detail": "upstream answered"}


PROBE_ANSWER_WAIT = 0.3  # seconds /readyz waits for a fresh probe before the last known answer
_REFUSED = "credential_refused"
_UNAVAILABLE = "upstream_unavailable"
_RATE_LIMITED = "rate_limited"
