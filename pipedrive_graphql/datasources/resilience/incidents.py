"""Why Pipedrive cannot be reached, logged once per incident (never with the credential).

An incident starts with the first transport failure of a cause (connection refused, DNS, TLS,
timeout, ...) towards one upstream and ends with its next answer: one WARNING when it starts (with
the request id of the request that met it, through the log filter), DEBUG lines for the repeats,
one INFO when Pipedrive answers again. A hundred requests failing the same way are one line.
"""

from __future__ import annotations

import errno
import logging
import socket
import ssl
from collections.abc import Iterator

import aiohttp
import httpx

logger = logging.getLogger("pipedrive_graphql.upstream")

# most specific first: a TLS failure is also an OSError, a DNS failure also a connect error
_CAUSES: tuple[tuple[str, tuple[type[BaseException], ...]], ...] = (
    ("TLS handshake failed", (ssl.SSLError, aiohttp.ClientSSLError)),
    ("DNS lookup failed", (socket.gaierror, aiohttp.ClientConnectorDNSError)),
    ("connection refused", (ConnectionRefusedError,)),
    ("connection reset", (ConnectionResetError,)),
    ("connect timeout", (httpx.ConnectTimeout, httpx.PoolTimeout)),
    ("read timeout", (httpx.ReadTimeout, httpx.WriteTimeout, TimeoutError)),
    ("connection dropped", (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)),
    ("connect failed", (httpx.ConnectError,)),
)


def failure_cause(exc: BaseException) -> str:
    """A short name for why a transport call failed, judged on the whole exception chain."""
    chain = list(_chain(exc))
    if any(isinstance(e, OSError) and e.errno == errno.ECONNREFUSED for e in chain):
        return "connection refused"  # anyio reports a refused connect as a plain OSError
    for cause, kinds in _CAUSES:
        if any(isinstance(error, kinds) for error in chain):
            return cause
    return "transport error"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


class IncidentLog:
    """Per upstream: the cause of the ongoing incident and how many attempts it failed."""

    def __init__(self) -> None:
        self._ongoing: dict[str, tuple[str, int]] = {}

    def failed(self, upstream: str, method: str, path: str, exc: BaseException) -> None:
        """One attempt could not reach `upstream`: a WARNING if it starts (or changes) the cause."""
        cause = failure_cause(exc)
        ongoing = self._ongoing.get(upstream)
        count = ongoing[1] + 1 if ongoing is not None and ongoing[0] == cause else 1
        self._ongoing[upstream] = (cause, count)
        extra = {"upstream": upstream, "cause": cause, "error": type(exc).__name__}
        if count == 1:
            logger.warning(
                "Pipedrive at %s cannot be reached: %s (%s %s)",
                upstream,
                cause,
                method,
                path,
                extra=extra,
            )
        else:
            logger.debug("Pipedrive at %s still unreachable: %s", upstream, cause, extra=extra)

    def answered(self, upstream: str) -> None:
        """`upstream` answered (any status): the incident, if any, is over."""
        if not self._ongoing:
            return
        ended = self._ongoing.pop(upstream, None)
        if ended is not None:
            logger.info(
                "Pipedrive at %s answers again after %d failed attempt(s) (%s)",
                upstream,
                ended[1],
                ended[0],
                extra={"upstream": upstream, "cause": ended[0]},
            )
