"""The request core of the Pipedrive client: auth headers, envelopes, error mapping, counting."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import orjson

from pipedrive_graphql.datasources.costs import Version, token_cost
from pipedrive_graphql.datasources.stats import CallStats
from pipedrive_graphql.errors import (
    BadUserInputError,
    ForbiddenError,
    GatewayError,
    NotFoundError,
    RateLimitedError,
    UnauthenticatedError,
    UpstreamUnavailableError,
)
from pipedrive_graphql.settings import Secret

AuthScheme = Literal["api_token", "bearer"]
ParamValue = str | int | bool
Params = Mapping[str, ParamValue]
_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


@dataclass(frozen=True, slots=True)
class Envelope:
    """A successful Pipedrive answer: `data` and `additional_data` (JSON, client-internal)."""

    data: Any
    additional_data: dict[str, Any]


def credential_key(credential: Secret) -> str:
    """A short one-way id of a credential, for partitioning caches and for logs."""
    return hashlib.sha256(credential.reveal().encode()).hexdigest()[:16]


class UpstreamSession:
    """Sends one request to Pipedrive and turns the answer into an `Envelope` or a GatewayError."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        credential: Secret,
        *,
        base_url: str,
        stats: CallStats,
        auth_scheme: AuthScheme = "api_token",
    ) -> None:
        self._http = http
        self._credential = credential
        self._base_url = base_url.rstrip("/")
        self.stats = stats
        self._auth_scheme = auth_scheme
        self.credential_key = credential_key(credential)

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
        """The single path of every upstream call (retries and the rate governor hook in here)."""
        method = method.upper()
        prefix = "/api/v2" if version == "v2" else "/api/v1"
        full_path = prefix + path
        query = {k: _param(v) for k, v in (params or {}).items()}
        content = orjson.dumps(json) if json is not None else None
        headers = self._headers()
        if content is not None:
            headers["content-type"] = "application/json"
        cost = token_cost(version, method, path)
        try:
            response = await self._http.request(
                method, self._base_url + full_path, params=query, content=content, headers=headers
            )
        except httpx.TimeoutException as exc:
            self.stats.record_call(method, full_path, None, 0)
            raise self._transport_error(method, "Pipedrive did not answer in time") from exc
        except httpx.TransportError as exc:
            self.stats.record_call(method, full_path, None, 0)
            raise self._transport_error(method, "could not reach Pipedrive") from exc
        charged = cost if response.status_code < 500 and response.status_code != 429 else 0
        self.stats.record_call(method, full_path, response.status_code, charged)
        return self._envelope(response)

    def _transport_error(self, method: str, message: str) -> GatewayError:
        if method in _WRITES:
            return UpstreamUnavailableError(
                f"{message}; the write may or may not have been applied",
                extensions={"writeOutcome": "unknown"},
            )
        return UpstreamUnavailableError(message)

    def _envelope(self, response: httpx.Response) -> Envelope:
        status = response.status_code
        body = _json_body(response.content)
        if status < 400 and isinstance(body, dict) and body.get("success", True) is not False:
            extra = body.get("additional_data")
            return Envelope(body.get("data"), extra if isinstance(extra, dict) else {})
        raise self._error(response, body)

    def _error(self, response: httpx.Response, body: object) -> GatewayError:
        status = response.status_code
        message = self._safe(_upstream_message(body))
        if status == 401:
            return UnauthenticatedError("Pipedrive refused the credential")
        if status == 403:
            return ForbiddenError(message or "Pipedrive refused access (403)")
        if status in {404, 410}:
            return NotFoundError(message or "not found")
        if status == 429:
            return RateLimitedError(
                message or "Pipedrive rate limit reached",
                retry_after=_retry_after(response.headers),
            )
        if status in {400, 422}:
            return BadUserInputError(message or "Pipedrive rejected the request")
        if status >= 500 or body is None:
            return UpstreamUnavailableError(f"Pipedrive answered HTTP {status}")
        return BadUserInputError(message or f"Pipedrive answered HTTP {status}")

    def _safe(self, message: str | None) -> str | None:
        if message is None:
            return None
        secret = self._credential.reveal()
        return message.replace(secret, "***") if secret else message


def _param(value: ParamValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_body(content: bytes) -> object:
    if not content:
        return None
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return None


def _upstream_message(body: object) -> str | None:
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    return str(error) if error else None


def _retry_after(headers: httpx.Headers) -> float | None:
    for name in ("retry-after", "x-ratelimit-reset"):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(0.0, float(raw))
        except ValueError:
            continue
    return None
