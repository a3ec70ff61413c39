"""Authentication: `x-api-token`, `Authorization: Bearer` or the legacy `api_token` query."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus

from starlette.types import ASGIApp, Receive, Scope, Send

from .envelopes import UNAUTHORIZED_BODY, json_response
from .ratelimit import credential_of
from .spec import CONTROL_PREFIX

if TYPE_CHECKING:
    from .state import EmulatorState


def credential_secret(scope: Scope) -> str | None:
    """The credential sent with a request, in Pipedrive's order of precedence."""
    secret: str | None = None
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    for key, raw in headers:
        name, value = key.decode("latin-1").lower(), raw.decode("latin-1")
        if name == "x-api-token" and value:
            return value
        if name == "authorization" and value.lower().startswith("bearer "):
            secret = value[7:].strip() or None
    if secret:
        return secret
    for pair in scope["query_string"].decode("latin-1").split("&"):
        name, _, value = pair.partition("=")
        if name == "api_token" and value:
            return unquote_plus(value)
    return None


def credential_id(scope: Scope) -> str | None:
    """A short hash of the request's credential (never the credential itself)."""
    credential = credential_of(scope)
    return credential.key if credential else None


class AuthMiddleware:
    """Answers Pipedrive's 401 body when the credential is missing or not the configured one."""

    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        """Wrap `app`; the accepted token is read from `state.config.token` per request."""
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the credential of one HTTP request."""
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        secret = credential_secret(scope)
        expected = self.state.config.token
        if secret is None or (
            expected is not None and not hmac.compare_digest(secret.encode(), expected.encode())
        ):
            await json_response(UNAUTHORIZED_BODY, 401)(scope, receive, send)
            return
        await self.app(scope, receive, send)
