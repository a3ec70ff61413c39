"""Error codes of the public contract and the exceptions that carry them."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """The `extensions.code` values a client can see (public: clients match on them)."""

    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    RATE_LIMITED = "RATE_LIMITED"
    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    SERVER_BUSY = "SERVER_BUSY"  # this server (not Pipedrive) is at a connection cap
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class GatewayError(Exception):
    """An error whose message is safe to show to the client, with its contract code."""

    code: ErrorCode = ErrorCode.INTERNAL_SERVER_ERROR

    def __init__(self, message: str, *, extensions: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extensions: dict[str, object] = dict(extensions or {})


class NotFoundError(GatewayError):
    """The requested object does not exist upstream."""

    code = ErrorCode.NOT_FOUND


class UnauthenticatedError(GatewayError):
    """No credential, or Pipedrive refused it."""

    code = ErrorCode.UNAUTHENTICATED


class ForbiddenError(GatewayError):
    """Pipedrive answered 403 (permission, plan limit or edge block)."""

    code = ErrorCode.FORBIDDEN


class BadUserInputError(GatewayError):
    """An argument is invalid, found before or by the upstream (400/422)."""

    code = ErrorCode.BAD_USER_INPUT


class RateLimitedError(GatewayError):
    """Pipedrive's rate limit still refuses after the server's own retries."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str, *, retry_after: float | None) -> None:
        extensions: dict[str, object] = {}
        if retry_after is not None:
            extensions["retryAfter"] = max(0, round(retry_after))
        super().__init__(message, extensions=extensions)
        self.retry_after = retry_after


class UpstreamUnavailableError(GatewayError):
    """Pipedrive failed: 5xx, timeout, connection failure or a body that is not JSON."""

    code = ErrorCode.UPSTREAM_UNAVAILABLE


class QueryTooComplexError(GatewayError):
    """The operation exceeds a configured limit; refused before any upstream call but the reads
    it was priced by (`admission.estimate_for_context`), reported in `extensions.cost`."""

    code = ErrorCode.QUERY_TOO_COMPLEX


class PersistedQueryNotFoundError(GatewayError):
    """An automatic persisted query hash that this process has not seen."""

    code = ErrorCode.PERSISTED_QUERY_NOT_FOUND
