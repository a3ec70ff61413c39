"""Timestamp formats of both API versions and the emulator's clock."""

from __future__ import annotations

from datetime import UTC, datetime

V2_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
V1_FORMAT = "%Y-%m-%d %H:%M:%S"


def utc_now() -> datetime:
    """Return the current UTC time truncated to whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)


def v2_time(moment: datetime) -> str:
    """Format a moment as v2 RFC 3339 (`2024-01-01T00:00:00Z`)."""
    return moment.strftime(V2_FORMAT)


def v1_time(moment: datetime) -> str:
    """Format a moment as v1 `YYYY-MM-DD HH:MM:SS`."""
    return moment.strftime(V1_FORMAT)


def mail_time(moment: datetime) -> str:
    """Format a moment as the mailbox API does (`2019-11-14T06:02:06.000Z`)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def parse_rfc3339(text: str) -> datetime | None:
    """Parse an RFC 3339 timestamp, or return None when it is not one."""
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def v2_to_v1(text: str) -> str:
    """Convert a stored v2 timestamp to the v1 format."""
    return text[:10] + " " + text[11:19]
