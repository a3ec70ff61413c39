"""Fault injection: scripted or random 429/5xx, hangs, resets, broken JSON, the edge HTML 403."""

from __future__ import annotations

import asyncio
import fnmatch
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

import httpx
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipedrive_graphql.emulator.ratelimit import (
    BURST_BODY,
    DAILY_BODY,
    PLAN_BURST_LIMITS,
    seconds_to_midnight_utc,
)
from pipedrive_graphql.emulator.spec import CONTROL_PREFIX
from pipedrive_graphql.emulator.strict import error_response

if TYPE_CHECKING:
    from pipedrive_graphql.emulator.state import EmulatorState

FaultKind = Literal[
    "burst_429",
    "daily_429",
    "http_500",
    "http_502",
    "http_503",
    "hang",
    "reset",
    "malformed_json",
    "html_403",
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)
__all__ = ["CONTROL_PREFIX", "FaultInjector", "FaultMiddleware", "FaultRule", "FiredFault"]
BAD_GATEWAY_HTML = (
    "<html><head><title>502 Bad Gateway</title></head>"
    "<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>"
)
FORBIDDEN_HTML = (
    '<!DOCTYPE html><html lang="en-US"><head><title>Attention Required! | Cloudflare</title>'
    "</head><body><h1>Sorry, you have been blocked</h1><h2>You are unable to access "
    "api.pipedrive.com</h2><p>This website is using a security service to protect itself "
    "from online attacks.</p><p>Cloudflare Ray ID: 0000000000000000</p></body></html>"
)


class EmulatedConnectionResetError(httpx.ReadError):
    """Raised by the `reset` fault; httpx.ASGITransport hands it to the client as-is."""


@dataclass(frozen=True)
class FaultRule:
    """When and how to break a request: path is a prefix, or an fnmatch pattern with *?[."""

    path: str
    kind: FaultKind
    method: str | None = None
    times: int | None = None  # None: every matching request
    probability: float | None = None  # None: always
    seed: int | None = None
    after_apply: bool = False  # True: let the request reach the routes, then fail

    def __post_init__(self) -> None:
        """Reject unknown kinds early, with the list of valid ones."""
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule is about `method path`."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if any(ch in self.path for ch in "*?["):
            return fnmatch.fnmatchcase(path, self.path)
        return path.startswith(self.path)


@dataclass(frozen=True)
class FiredFault:
    """A fault that was applied to one request."""

    kind: FaultKind
    method: str
    path: str
    after_apply: bool


@dataclass
class _Armed:
    rule: FaultRule
    remaining: int | None
    rng: random.Random = field(default_factory=random.Random)


class FaultInjector:
    """The active fault rules and a record of the faults that fired."""

    def __init__(self) -> None:
        """Start with no rules."""
        self._armed: list[_Armed] = []
        self.fired: list[FiredFault] = []

    @property
    def rules(self) -> list[FaultRule]:
        """Rules still able to fire, in the order they were added."""
        return [armed.rule for armed in self._armed]

    def add(self, rule: FaultRule) -> None:
        """Arm a rule; the first matching armed rule wins."""
        self._armed.append(_Armed(rule, rule.times, random.Random(rule.seed)))

    def clear(self) -> None:
        """Disarm every rule and forget what fired."""
        self._armed.clear()
        self.fired.clear()

    def take(self, method: str, path: str) -> FaultRule | None:
        """The rule to apply to this request, if any (consuming one of its `times`)."""
        for armed in self._armed:
            rule = armed.rule
            if not rule.matches(method, path):
                continue
            if rule.probability is not None and armed.rng.random() >= rule.probability:
                continue
            if armed.remaining is not None:
                armed.remaining -= 1
                if armed.remaining <= 0:
                    self._armed.remove(armed)
            self.fired.append(FiredFault(rule.kind, method, path, rule.after_apply))
            return rule
        return None


async def _discard(message: Message) -> None:
    """A send channel for the applied-then-lost response."""


def fault_response(rule: FaultRule, state: EmulatorState) -> Response | None:
    """The canned response for a fault kind; None for kinds that never answer."""
    kind = rule.kind
    if kind == "burst_429":
        limit = str(PLAN_BURST_LIMITS.get(state.config.rate_limit or "", 20))
        headers = {"retry-after": "2", "x-ratelimit-limit": limit}
        headers |= {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2"}
        return JSONResponse(BURST_BODY, status_code=429, headers=headers)
    if kind == "daily_429":
        budget = str(state.config.daily_token_budget or 30_000)
        headers = {"retry-after": str(seconds_to_midnight_utc(state.limiter.clock()))}
        headers |= {"x-daily-ratelimit-token-limit": budget}
        headers |= {"x-daily-ratelimit-token-remaining": "0"}
        return JSONResponse(DAILY_BODY, status_code=429, headers=headers)
    if kind == "http_500":
        return error_response(500, "An internal server error occurred")
    if kind == "http_502":
        return HTMLResponse(BAD_GATEWAY_HTML, status_code=502)
    if kind == "http_503":
        return error_response(503, "Service temporarily unavailable")
    if kind == "malformed_json":
        body = b'{"success":true,"data":[{"id":1,"name":"Trunc'
        return Response(body, status_code=200, media_type="application/json")
    if kind == "html_403":
        return HTMLResponse(FORBIDDEN_HTML, status_code=403)
    return None


class FaultMiddleware:
    """ASGI middleware applying the first matching armed `FaultRule` to each request."""

    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        """Wrap `app`; rules are read from `state.faults` on each request."""
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or break it as the matching rule says."""
        path = scope.get("path", "")
        rule = None
        if scope["type"] == "http" and not path.startswith(CONTROL_PREFIX):
            rule = self.state.faults.take(scope["method"], path)
        if rule is None:
            await self.app(scope, receive, send)
            return
        if rule.after_apply:
            if rule.kind == "malformed_json":
                await self.app(scope, receive, _truncating(send))
                return
            await self.app(scope, receive, _discard)
        if rule.kind == "hang":
            await asyncio.Event().wait()  # never set: the client gives up or the task is cancelled
        if rule.kind == "reset":
            # Start the response so neither Starlette nor uvicorn answers 500; uvicorn then
            # closes the socket mid-response, and httpx.ASGITransport re-raises this error.
            await send({"type": "http.response.start", "status": 200, "headers": []})
            raise EmulatedConnectionResetError("Connection reset by peer (emulated)")
        response = fault_response(rule, self.state)
        if response is not None:
            await response(scope, receive, send)


def _truncating(send: Send) -> Send:
    """A send channel that cuts the JSON body in half (and fixes content-length)."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def truncating_send(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False) or start is None:
            return
        body = b"".join(chunks)
        body = body[: max(1, len(body) // 2)]
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return truncating_send
