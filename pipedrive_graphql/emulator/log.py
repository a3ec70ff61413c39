"""The request log: every API call with its query, body, status and token cost."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import credential_id
from .spec import CONTROL_PREFIX

if TYPE_CHECKING:
    from .state import EmulatorState


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the emulator saw it (the credential only as a short hash)."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int
    token_cost: int
    operation_id: str | None
    credential_id: str | None
    time: float


class RequestLog:
    """Requests in arrival order, for tests that count upstream calls."""

    def __init__(self) -> None:
        """Start empty."""
        self.entries: list[LoggedRequest] = []

    def clear(self) -> None:
        """Forget every entry."""
        self.entries.clear()

    def count(self, path_prefix: str = "", method: str | None = None) -> int:
        """How many requests went to paths starting with `path_prefix` (and `method`)."""
        return sum(
            1
            for e in self.entries
            if e.path.startswith(path_prefix) and (method is None or e.method == method)
        )

    def total_tokens(self) -> int:
        """The token cost of every logged request."""
        return sum(e.token_cost for e in self.entries)


def _parse_body(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw.decode("utf-8", "replace")


class RequestLogMiddleware:
    """Outermost middleware: buffers the body, runs the request, records the outcome."""

    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        """Wrap `app`, logging into `state.log`."""
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Log one HTTP request."""
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        raw = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, replay, recording_send)
        finally:
            self._record(scope, raw, status)

    def _record(self, scope: Scope, raw: bytes, status: int) -> None:
        query = {
            k: v
            for k, v in parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            if k != "api_token"
        }
        match = self.state.spec.match(scope["method"], scope["path"])
        self.state.log.entries.append(
            LoggedRequest(
                method=scope["method"],
                path=scope["path"],
                query=query,
                body=_parse_body(raw),
                status=status,
                token_cost=match.token_cost if match else 0,
                operation_id=match.operation_id if match else None,
                credential_id=credential_id(scope),
                time=time.monotonic(),
            )
        )
