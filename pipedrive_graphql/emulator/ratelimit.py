"""Pipedrive's rate limits: a rolling 2-second burst window and a daily token budget."""

from __future__ import annotations

import hashlib
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipedrive_graphql.emulator.spec import CONTROL_PREFIX

if TYPE_CHECKING:
    from pipedrive_graphql.emulator.state import EmulatorState

WINDOW_SECONDS = 2.0
PLAN_BURST_LIMITS = {"lite": 20, "growth": 40, "premium": 100, "ultimate": 120}
OAUTH_MULTIPLIER = 4
SEARCH_BURST_LIMIT = 10
DAY_SECONDS = 86_400
BURST_BODY = {"success": False, "error": "Request over limit", "errorCode": 429}
DAILY_BODY = {"success": False, "error": "daily request budget exceeded", "errorCode": 429}


@dataclass(frozen=True)
class Credential:
    """Who is calling: a short hash of the credential (never the credential) and its kind."""

    key: str
    oauth: bool


def credential_of(scope: Scope) -> Credential | None:
    """The credential of a request: `x-api-token`, `Authorization: Bearer` or `api_token`."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    secret, oauth = headers.get("x-api-token", ""), False
    auth = headers.get("authorization", "")
    if not secret and auth.lower().startswith("bearer "):
        secret, oauth = auth[7:].strip(), True
    if not secret:
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        secret = query.get("api_token", "")
    if not secret:
        return None
    return Credential(hashlib.sha256(secret.encode()).hexdigest()[:12], oauth)


def seconds_to_midnight_utc(now: float) -> int:
    """Whole seconds until the daily budget resets (midnight UTC)."""
    return max(1, math.ceil(DAY_SECONDS - now % DAY_SECONDS))


@dataclass(frozen=True)
class Decision:
    """The limiter's answer for one request, with the headers to send."""

    allowed: bool
    daily_exhausted: bool
    limit: int | None
    remaining: int | None
    reset: int | None
    daily_limit: int | None
    daily_remaining: int | None
    retry_after: int | None

    def headers(self) -> dict[str, str]:
        """The rate-limit headers Pipedrive sends with this decision."""
        values = {
            "x-ratelimit-limit": self.limit,
            "x-ratelimit-remaining": self.remaining,
            "x-ratelimit-reset": self.reset,
            "x-daily-ratelimit-token-limit": self.daily_limit,
            "x-daily-ratelimit-token-remaining": self.daily_remaining,
            "retry-after": self.retry_after,
        }
        return {name: str(value) for name, value in values.items() if value is not None}


class RateLimiter:
    """Per-credential burst windows and daily token budgets, on an injectable clock."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        """`clock` returns epoch seconds; tests pass a fake to avoid sleeping."""
        self.clock = clock
        self._windows: dict[tuple[str, str], deque[float]] = {}
        self._spent: dict[tuple[str, int], int] = {}

    def reset(self) -> None:
        """Forget every window and every token spent."""
        self._windows.clear()
        self._spent.clear()

    def spent(self, credential: Credential) -> int:
        """Tokens charged to `credential` today."""
        return self._spent.get((credential.key, int(self.clock() // DAY_SECONDS)), 0)

    def _window(self, key: tuple[str, str], now: float) -> deque[float]:
        window = self._windows.setdefault(key, deque())
        while window and window[0] <= now - WINDOW_SECONDS:
            window.popleft()
        return window

    def decide(
        self,
        plan: str | None,
        daily_budget: int | None,
        credential: Credential,
        *,
        search: bool,
        cost: int,
    ) -> Decision:
        """Admit or refuse one request, charging the window and the budget when admitted."""
        now = self.clock()
        day = (credential.key, int(now // DAY_SECONDS))
        spent = self._spent.get(day, 0)
        daily_left = None if daily_budget is None else max(0, daily_budget - spent)
        windows: list[tuple[deque[float], int]] = []
        if plan is not None:
            if plan not in PLAN_BURST_LIMITS:
                raise ValueError(f"unknown rate-limit plan {plan!r}")
            limit = PLAN_BURST_LIMITS[plan] * (OAUTH_MULTIPLIER if credential.oauth else 1)
            windows.append((self._window((credential.key, "all"), now), limit))
            if search:
                windows.append((self._window((credential.key, "search"), now), SEARCH_BURST_LIMIT))
        shown, shown_limit = windows[-1] if windows else (deque(), None)

        def reset_in(window: deque[float]) -> int:
            return max(1, math.ceil(window[0] + WINDOW_SECONDS - now)) if window else 2

        if daily_left == 0:
            return Decision(
                False, True, shown_limit, _left(shown, shown_limit), reset_in(shown),
                daily_budget, 0, seconds_to_midnight_utc(now),
            )  # fmt: skip
        full = [w for w, limit in windows if len(w) >= limit]
        if full:
            wait = max(reset_in(w) for w in full)
            return Decision(False, False, shown_limit, 0, wait, daily_budget, daily_left, wait)
        for window, _ in windows:
            window.append(now)
        self._spent[day] = spent + cost
        if daily_left is not None:
            daily_left = max(0, daily_left - cost)
        return Decision(
            True, False, shown_limit, _left(shown, shown_limit), reset_in(shown),
            daily_budget, daily_left, None,
        )  # fmt: skip


def _left(window: deque[float], limit: int | None) -> int | None:
    return None if limit is None else max(0, limit - len(window))


def is_search(path_template: str) -> bool:
    """Search endpoints share Pipedrive's separate 10-per-2-seconds cap."""
    return "search" in path_template.lower()


class RateLimitMiddleware:
    """ASGI middleware: 429 over the burst window or the daily budget; headers on every answer."""

    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        """Wrap `app`; plan and budget are read from `state.config` on each request."""
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Decide, then answer 429 or pass on with the rate-limit headers added."""
        config = self.state.config
        api = scope["type"] == "http" and not scope["path"].startswith(CONTROL_PREFIX)
        credential = credential_of(scope) if api else None
        if credential is None or (config.rate_limit is None and config.daily_token_budget is None):
            await self.app(scope, receive, send)
            return
        match = self.state.spec.match(scope["method"], scope["path"])
        decision = self.state.limiter.decide(
            config.rate_limit,
            config.daily_token_budget,
            credential,
            search=match is not None and is_search(match.path_template),
            cost=match.token_cost if match else 0,
        )
        if not decision.allowed:
            body = DAILY_BODY if decision.daily_exhausted else BURST_BODY
            response = JSONResponse(body, status_code=429, headers=decision.headers())
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in decision.headers().items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
