"""Pipedrive token cost of each call the client makes (mirrors the specs' `x-token-cost`)."""

from __future__ import annotations

import re
from typing import Literal

Version = Literal["v1", "v2"]

V2_LIST = 10
V2_GET = 1
V2_SEARCH = 20
V2_WRITE = 5
V2_DELETE = 3
V2_REFERENCE_LIST = 5
V2_REFERENCE_GET = 1
V1_NOTES_LIST = 20
V1_NOTE_GET = 2
V1_NOTE_WRITE = 10
V1_NOTE_DELETE = 6
V1_USERS_LIST = 20
V1_USER_GET = 2
V1_MAIL_GET = 2
V1_MAIL_LIST = 20
V1_MAIL_THREAD = 20  # getMailThread
V2_ARCHIVED_DEALS = 20  # getArchivedDeals: twice a list
V1_PIPELINE_STATISTICS = 40
V1_WEBHOOKS_LIST = 10  # getWebhooks
V1_WEBHOOK_ADD = 10  # addWebhook
V1_WEBHOOK_DELETE = 6  # deleteWebhook

_V2_REFERENCE = ("pipelines", "stages")
_MAIL_LIST = re.compile(r"^/(deals|persons|organizations)/\d+/mailMessages$")


def token_cost(version: Version, method: str, path: str) -> int:
    """Tokens Pipedrive charges for `method path` (path relative to the version prefix)."""
    parts = [p for p in path.split("/") if p]
    if not parts:
        return 0
    method = method.upper()
    if version == "v2":
        return _v2_cost(method, parts)
    return _v1_cost(method, path, parts)


def _v2_cost(method: str, parts: list[str]) -> int:
    reference = parts[0] in _V2_REFERENCE
    if method in {"POST", "PATCH"}:
        return V2_WRITE
    if method == "DELETE":
        return V2_DELETE
    if len(parts) == 1:
        return V2_REFERENCE_LIST if reference else V2_LIST
    if parts == ["deals", "archived"]:
        return V2_ARCHIVED_DEALS
    if parts[1] == "search":
        return V2_SEARCH
    return V2_REFERENCE_GET if reference else V2_GET


def _v1_cost(method: str, path: str, parts: list[str]) -> int:
    if _MAIL_LIST.match(path):
        return V1_MAIL_LIST
    if parts[0] == "mailbox":
        return V1_MAIL_THREAD if parts[1:2] == ["mailThreads"] else V1_MAIL_GET
    if parts[0] == "pipelines" and parts[-1].endswith("_statistics"):
        return V1_PIPELINE_STATISTICS
    if parts[0] == "users":
        return V1_USERS_LIST if len(parts) == 1 else V1_USER_GET
    if parts[0] == "webhooks":
        if method == "POST":
            return V1_WEBHOOK_ADD
        return V1_WEBHOOK_DELETE if method == "DELETE" else V1_WEBHOOKS_LIST
    if parts[0] == "notes":
        if method in {"POST", "PUT"}:
            return V1_NOTE_WRITE
        if method == "DELETE":
            return V1_NOTE_DELETE
        return V1_NOTES_LIST if len(parts) == 1 else V1_NOTE_GET
    return 0
