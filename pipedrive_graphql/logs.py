"""JSON log lines (one object per line) and the request id that ties a request's lines together."""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's ANSI-coloured duplicate of the message
    "request_tag",  # TextFormatter's rendering of request_id
}

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)


def request_id_from(value: str | None) -> str:
    """The client's id when it is short and plain (letters, digits, `._:-`), else a new one."""
    if value and _VALID_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Pure ASGI: take or make the request id, expose it to logs, echo it in the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap one HTTP request; other scopes pass through untouched."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        rid = request_id_from(incoming)
        token = request_id_var.set(rid)
        header = (b"x-request-id", rid.encode("ascii"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the request id when emitted (it may be formatted later)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add `request_id`; never drops a record."""
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """Render a record as one JSON object: time, level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        """One line of JSON; exceptions become an `exc_info` string field."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class TextFormatter(logging.Formatter):
    """`LEVEL logger [request id]: message` for a person at a terminal; no id outside requests."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s%(request_tag)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The line with the request id (when there is one) right after the logger's name."""
        rid = getattr(record, "request_id", None) or request_id_var.get()
        record.request_tag = f" [{rid}]" if rid else ""
        return super().format(record)


class _Installed(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this module installed, so configuring twice replaces it."""


def configure_logging(level: str, fmt: str = "json") -> None:
    """Route every logger (uvicorn's too) to one stderr handler, JSON unless fmt is "text"."""
    handler = _Installed(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if fmt == "text":
        handler.setFormatter(TextFormatter())
    else:
        handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        if isinstance(old, logging.StreamHandler) and old.stream in (sys.stderr, sys.stdout):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uv = logging.getLogger(name)
        if name == "uvicorn.access" and not uv.handlers:
            continue  # uvicorn's --no-access-log: leave it off
        uv.handlers.clear()
        uv.propagate = True
    # One INFO line per upstream call would dominate the log (and the CPU) under load.
    quiet = level if logging.getLevelName(level) == logging.DEBUG else "WARNING"
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(quiet)
