"""Which Pipedrive credential a GraphQL request runs with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.requests import HTTPConnection

from pipedrive_graphql.errors import ForbiddenError, UnauthenticatedError
from pipedrive_graphql.settings import Secret, Settings


@dataclass(frozen=True)
class Credential:
    """A Pipedrive API token or OAuth access token; `oauth` picks the header it travels in."""

    secret: Secret
    oauth: bool = False


def credential_for(
    request: HTTPConnection, settings: Settings, server: Credential | None
) -> Credential:
    """The request's own credential when it brings one (and that is allowed), else the server's."""
    return credential_from(request.headers, settings, server)


def credential_from(
    headers: Mapping[str, str], settings: Settings, server: Credential | None
) -> Credential:
    """`credential_for` over any lower-case header mapping (a WebSocket's `connection_init`)."""
    token = headers.get("x-pipedrive-api-token", "").strip()
    bearer = _bearer(headers.get("authorization", ""))
    if token or bearer:
        if not settings.allow_request_credentials:
            raise ForbiddenError("per-request credentials are disabled on this server")
        if not _printable_ascii(token or bearer):
            # Pipedrive's tokens and OAuth access tokens are printable ASCII; anything else
            # cannot travel in an HTTP header, and the message must not echo any of it.
            raise UnauthenticatedError("the Pipedrive credential must be printable ASCII")
        return Credential(Secret(token), oauth=False) if token else Credential(Secret(bearer), True)
    if server is None:
        raise UnauthenticatedError(
            "no Pipedrive credential: send X-Pipedrive-Api-Token or Authorization: Bearer"
        )
    return server


def _printable_ascii(value: str) -> bool:
    return all(" " < char <= "~" for char in value)


def _bearer(header: str) -> str:
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""
