"""The request core of the Pipedrive client: auth, envelopes, error mapping, retries, pacing."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import orjson

from pipedrive_graphql.datasources.pipedrive import wire
from pipedrive_graphql.datasources.pipedrive.costs import Version, token_cost
from pipedrive_graphql.datasources.resilience.breaker import CircuitBreaker, Ticket
from pipedrive_graphql.datasources.resilience.governor import is_search
from pipedrive_graphql.datasources.resilience.guard import (
    BreakerScope,
    UpstreamGuard,
    breaker_scope,
)
from pipedrive_graphql.datasources.resilience.retry import (
    OUTAGE,
    AttemptFailedError,
    deadline_failure,
    retryable,
    transport_failure,
    unavailable,
)
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.errors import (
    BadUserInputError,
    GatewayError,
    RateLimitedError,
    UpstreamUnavailableError,
)
from pipedrive_graphql.settings import Secret

logger = logging.getLogger("pipedrive_graphql.upstream")

AuthScheme = Literal["api_token", "bearer"]
# The cancel message of a request whose client went away: writes already sent run to the end.
CLIENT_GONE = "client gone"
ParamValue = str | int | bool
Params = Mapping[str, ParamValue]


@dataclass(frozen=True, slots=True)
class Envelope:
    """A successful Pipedrive answer: `data` and `additional_data` (JSON, client-internal)."""

    data: Any
    additional_data: dict[str, Any]


def credential_key(credential: Secret) -> str:
    """A short one-way id of a credential, for partitioning caches and for logs."""
    return hashlib.sha256(credential.reveal().encode()).hexdigest()[:16]


class UpstreamSession:
    """Sends requests to Pipedrive through the guard: paced, retried by method, breaker-checked."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        credential: Secret,
        *,
        base_url: str,
        stats: CallStats,
        auth_scheme: AuthScheme = "api_token",
        guard: UpstreamGuard | None = None,
    ) -> None:
        self._http = http
        self._credential = credential
        self._base_url = base_url.rstrip("/")
        self.stats = stats
        self._auth_scheme = auth_scheme
        self.credential_key = credential_key(credential)
        self.guard = guard or UpstreamGuard()
        self._governor = self.guard.governor(self.credential_key, oauth=auth_scheme == "bearer")

    def _headers(self) -> dict[str, str]:
        token = self._credential.reveal()
        if self._auth_scheme == "bearer":
            return {"authorization": f"Bearer {token}", "accept": "application/json"}
        return {"x-api-token": token, "accept": "application/json"}

    async def _request(
        self,
        method: str,
        path: str,
        params: Params | None = None,
        json: Mapping[str, object] | None = None,
        *,
        version: Version = "v2",
    ) -> Envelope:
        """The single path of every upstream call: retried while the policy and budget allow."""
        prefix = "/api/v2" if version == "v2" else "/api/v1"
        call = _Call(
            method=method.upper(),
            path=prefix + path,
            query={k: _param(v) for k, v in (params or {}).items()},
            content=orjson.dumps(json) if json is not None else None,
            cost=token_cost(version, method, path),
            search=is_search(path),
        )
        if call.method == "GET" and self.guard.coalesce:
            return await self._coalesced(call)
        if call.method == "GET":
            return await self._retrying(call)
        try:
            return await self._retrying(call)
        finally:
            # a read that started before this write must not answer a read that starts after it
            self._forget_inflight_reads()
            self.guard.wrote(self.credential_key)

    def _forget_inflight_reads(self) -> None:
        stale = [key for key in self.guard.inflight if key[0] == self.credential_key]
        for key in stale:
            del self.guard.inflight[key]

    async def _coalesced(self, call: _Call) -> Envelope:
        """Identical GETs of one credential in flight at once share a single upstream call."""
        key = (self.credential_key, self._base_url, call.path, tuple(sorted(call.query.items())))
        while (shared := self.guard.inflight.get(key)) is not None:
            try:
                # the leader may belong to a request with more time left than this one
                async with asyncio.timeout(self.guard.remaining(self.stats)):
                    envelope: Envelope = await asyncio.shield(shared)
            except TimeoutError:
                raise deadline_failure(call.method, sent=True).error from None
            except asyncio.CancelledError:
                if shared.cancelled():
                    continue  # the leading request was cancelled (its deadline): lead instead
                raise
            self.stats.coalesced += 1
            return envelope
        leader: asyncio.Future[Envelope] = asyncio.get_running_loop().create_future()
        leader.add_done_callback(_retrieve)
        self.guard.inflight[key] = leader
        try:
            envelope = await self._retrying(call)
        except asyncio.CancelledError:
            leader.cancel()
            raise
        except BaseException as error:
            leader.set_exception(error)
            raise
        else:
            leader.set_result(envelope)
            return envelope
        finally:
            if self.guard.inflight.get(key) is leader:
                del self.guard.inflight[key]

    async def _retrying(self, call: _Call) -> Envelope:
        """One logical call: admitted by its breaker, retried while policy and budget allow."""
        scope = breaker_scope(self._base_url, call.method, call.path, self.credential_key)
        breaker = self.guard.breaker(scope)
        ticket = breaker.admit()
        if ticket is None:
            raise _circuit_open(breaker)
        outage = False  # some attempt failed the way an unhealthy upstream fails
        attempt = 0
        try:
            while True:
                try:
                    envelope = await self._attempt(call)
                except AttemptFailedError as failure:
                    outage = outage or failure.kind in OUTAGE
                    delay = self._retry_delay(call.method, failure, attempt)
                    if delay is None:
                        self._settle(scope, breaker, ticket, outage=outage)
                        raise failure.error from failure.__cause__
                    _log_retry(call, failure, attempt + 2, self.guard.retry.max_attempts, delay)
                except RateLimitedError:  # the governor or a daily 429: says nothing of health
                    self._settle(scope, breaker, ticket, outage=outage)
                    raise
                except GatewayError:  # Pipedrive answered with a 4xx: this part of it is up
                    self._settle(scope, breaker, ticket, outage=outage, answered=True)
                    raise
                else:
                    self._settle(scope, breaker, ticket, outage=False, answered=True)
                    return envelope
                self.stats.retries += 1
                self.stats.backoff_seconds += delay
                attempt += 1
                if delay > 0:
                    await self.guard.sleep(delay)
        finally:
            breaker.abandon(ticket)  # no verdict reached (cancelled): let another probe go

    def _settle(
        self,
        scope: BreakerScope,
        breaker: CircuitBreaker,
        ticket: Ticket,
        *,
        outage: bool,
        answered: bool = False,
    ) -> None:
        """Tell the breaker how the logical call went: failed, healthy, or no verdict."""
        if not outage and not answered:
            return  # only undecodable bodies, our deadline or burst 429s: nothing to judge
        was_open = breaker.openings
        breaker.record(ticket, failed=outage and not answered)
        if breaker.openings != was_open:
            self.guard.opened(scope)

    def _retry_delay(self, method: str, failure: AttemptFailedError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None when this failure is final."""
        policy = self.guard.retry
        if not retryable(method, failure.kind) or attempt + 1 >= policy.max_attempts:
            return None
        if failure.kind == "deadline":
            return None
        if failure.kind == "malformed" and attempt + 1 >= policy.malformed_attempts:
            return None
        if self.stats.retries >= policy.budget:
            return None
        # a burst 429 paused the governor, which does the waiting (and checks the deadline)
        delay = 0.0 if failure.kind == "burst" else policy.backoff(attempt, self.guard.rng)
        if self.stats.backoff_seconds + delay > policy.max_total_backoff:
            return None
        left = self.guard.remaining(self.stats)
        if left is not None and left - delay < policy.min_attempt_time:
            return None  # the retry could not finish before the deadline
        return delay

    async def _attempt(self, call: _Call) -> Envelope:
        """One try: a governor slot, the send (bounded by the deadline), then the answer."""
        slot = await self._governor.acquire(search=call.search, deadline=self.stats.deadline)
        try:
            response = await self._bounded_send(call)
        except (httpx.TransportError, TimeoutError) as exc:
            self.stats.record_call(call.method, call.path, None, 0)
            self.guard.incidents.failed(self._base_url, call.method, call.path, exc)
            raise transport_failure(call.method, exc) from exc
        finally:
            self._governor.release(slot)
        self.guard.incidents.answered(self._base_url)
        return self._answer(call, response)

    async def _bounded_send(self, call: _Call) -> httpx.Response:
        """Send within the attempt timeout and what is left of the request's deadline."""
        left = self.guard.remaining(self.stats)
        limit = self.guard.attempt_timeout
        if left is None or (limit is not None and limit <= left):
            async with asyncio.timeout(limit):
                return await self._send(call)
        if left <= 0:
            raise deadline_failure(call.method, sent=False)
        try:
            async with asyncio.timeout(left):
                return await self._send(call)
        except TimeoutError as exc:
            self.stats.record_call(call.method, call.path, None, 0)
            raise deadline_failure(call.method, sent=True) from exc

    async def _send(self, call: _Call) -> httpx.Response:
        headers = self._headers()
        if call.content is not None:
            headers["content-type"] = "application/json"
        url = self._base_url + call.path
        try:
            request = self._http.build_request(
                call.method, url, params=call.query, content=call.content, headers=headers
            )
        except httpx.InvalidURL as error:  # e.g. a 100,000-character search term
            raise BadUserInputError("an argument is too long for a Pipedrive request") from error
        if call.method == "GET":
            return await self._http.send(request)
        # A write on its way may already be applied: a client that goes away cancels the
        # request, but never cuts off a write half-way (its outcome would be unknowable). The
        # deadline still cuts it, and the answer says `writeOutcome: unknown`.
        write = asyncio.ensure_future(self._http.send(request))
        write.add_done_callback(_retrieve)  # its failure is seen by nobody once abandoned
        try:
            return await asyncio.shield(write)
        except asyncio.CancelledError as cancel:
            if cancel.args != (CLIENT_GONE,):
                write.cancel()
                await asyncio.wait({write})  # cut off before the caller learns of it
            raise

    def _answer(self, call: _Call, response: httpx.Response) -> Envelope:
        status = response.status_code
        charged = call.cost if status < 500 and status != 429 else 0
        self.stats.record_call(call.method, call.path, status, charged)
        self._observe(call, response.headers)
        if status >= 500:
            message = f"Pipedrive answered HTTP {status}"
            raise AttemptFailedError("server", unavailable(call.method, message, "server"))
        body = wire.json_body(response.content)
        if body is None and status < 400:
            message = "Pipedrive answered with a body that is not JSON"
            raise AttemptFailedError("malformed", unavailable(call.method, message, "malformed"))
        if status == 429:
            raise self._rate_limited(response, body)
        return self._envelope(status, body)

    def _observe(self, call: _Call, headers: httpx.Headers) -> None:
        reset = wire.number(headers, "x-ratelimit-reset")
        self._governor.observe(
            call.search,
            wire.integer(headers, "x-ratelimit-limit"),
            wire.integer(headers, "x-ratelimit-remaining"),
            reset if reset is not None else 2.0,
        )
        daily = wire.integer(headers, "x-daily-ratelimit-token-remaining")
        if daily is not None:
            self._governor.daily_remaining = daily

    def _rate_limited(self, response: httpx.Response, body: object) -> Exception:
        """A daily-budget 429 fails fast (and is remembered); a burst 429 pauses and retries."""
        retry_after = wire.retry_after(response.headers)
        message = (wire.upstream_message(body) or "").lower()
        daily = (
            "daily" in message
            or wire.integer(response.headers, "x-daily-ratelimit-token-remaining") == 0
            or (retry_after is not None and retry_after > self.guard.retry.daily_retry_after)
        )
        if daily:
            wait = retry_after if retry_after is not None else 3600.0
            self._governor.exhaust_daily(wait)
            return RateLimitedError(
                "Pipedrive's daily request budget is exhausted", retry_after=wait
            )
        wait = retry_after if retry_after is not None else 2.0
        self._governor.pause(wait)
        error = RateLimitedError("Pipedrive rate limit reached", retry_after=wait)
        return AttemptFailedError("burst", error)

    def _envelope(self, status: int, body: object) -> Envelope:
        if status < 400 and isinstance(body, dict) and body.get("success", True) is not False:
            extra = body.get("additional_data")
            return Envelope(body.get("data"), extra if isinstance(extra, dict) else {})
        raise wire.answer_error(status, body, secret=self._credential.reveal())


@dataclass(frozen=True, slots=True)
class _Call:
    method: str
    path: str
    query: dict[str, str]
    content: bytes | None
    cost: int
    search: bool


def _param(value: ParamValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _log_retry(
    call: _Call, failure: AttemptFailedError, attempt: int, of: int, delay: float
) -> None:
    """One line per retry: which call, when, which attempt, and why the last one failed."""
    logger.info(
        "retrying %s %s in %.2f s (attempt %d of %d): %s",
        call.method,
        call.path,
        delay,
        attempt,
        of,
        failure.error.message,
        extra={"failure": failure.kind},
    )


def _circuit_open(breaker: CircuitBreaker) -> UpstreamUnavailableError:
    wait = breaker.retry_in()
    return UpstreamUnavailableError(
        "Pipedrive is unavailable (circuit open)", extensions={"retryAfter": max(1, round(wait))}
    )


def _retrieve(future: asyncio.Future[Any]) -> None:
    # A leader's error may have no follower to read it; reading it here keeps asyncio quiet.
    if not future.cancelled():
        future.exception()
