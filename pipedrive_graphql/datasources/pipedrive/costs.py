"""Pipedrive token cost of each call the client makes: the official specs' `x-token-cost`.

`token_costs.json` beside this module holds every operation's cost, by API version and
`"METHOD /path/{param}"`, exactly as the OpenAPI files give it; `scripts/compact_specs.py`
regenerates it (and a test checks it is what the script derives). A call the specs do not
declare has no price: `token_cost` raises `UnpricedCallError` instead of guessing 0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Version = Literal["v1", "v2"]


class UnpricedCallError(LookupError):
    """The client built a request the official specs do not declare (a programming error)."""


@dataclass(frozen=True, slots=True)
class _Route:
    segments: tuple[str, ...]  # "{...}" marks a path parameter
    cost: int

    def matches(self, parts: list[str]) -> bool:
        return all(
            template.startswith("{") or template == part
            for template, part in zip(self.segments, parts, strict=True)
        )


def _routes() -> dict[tuple[Version, str, int], tuple[_Route, ...]]:
    table: dict[str, dict[str, int]] = json.loads(
        Path(__file__).with_name("token_costs.json").read_text(encoding="utf-8")
    )
    routes: dict[tuple[Version, str, int], list[_Route]] = {}
    for version in ("v1", "v2"):
        for key, cost in table[version].items():
            method, path = key.split(" ", 1)
            segments = tuple(path.strip("/").split("/"))
            routes.setdefault((version, method, len(segments)), []).append(_Route(segments, cost))
    # literal segments win over parameters: /deals/archived before /deals/{id}
    return {
        key: tuple(sorted(found, key=lambda r: [s.startswith("{") for s in r.segments]))
        for key, found in routes.items()
    }


_ROUTES = _routes()


def token_cost(version: Version, method: str, path: str) -> int:
    """Tokens Pipedrive charges for `method path` (path relative to the version prefix).

    Raises `UnpricedCallError` when the specs declare no such operation.
    """
    parts = [p for p in path.split("/") if p]
    for route in _ROUTES.get((version, method.upper(), len(parts)), ()):
        if route.matches(parts):
            return route.cost
    raise UnpricedCallError(f"no {version} operation {method.upper()} {path} in the specs")


# The prices the cost estimate quotes before any call is made, read from the same table.
V2_LIST = token_cost("v2", "GET", "/deals")
V2_GET = token_cost("v2", "GET", "/deals/1")
V2_SEARCH = token_cost("v2", "GET", "/deals/search")
V2_WRITE = token_cost("v2", "PATCH", "/deals/1")
V2_DELETE = token_cost("v2", "DELETE", "/deals/1")
V2_REFERENCE_LIST = token_cost("v2", "GET", "/stages")
V2_REFERENCE_GET = token_cost("v2", "GET", "/stages/1")
V2_ARCHIVED_DEALS = token_cost("v2", "GET", "/deals/archived")
V1_NOTES_LIST = token_cost("v1", "GET", "/notes")
V1_NOTE_GET = token_cost("v1", "GET", "/notes/1")
V1_NOTE_WRITE = token_cost("v1", "PUT", "/notes/1")
V1_NOTE_DELETE = token_cost("v1", "DELETE", "/notes/1")
V1_USERS_LIST = token_cost("v1", "GET", "/users")
V1_USER_GET = token_cost("v1", "GET", "/users/1")
V1_MAIL_GET = token_cost("v1", "GET", "/mailbox/mailMessages/1")
V1_MAIL_LIST = token_cost("v1", "GET", "/deals/1/mailMessages")
V1_MAIL_THREAD = token_cost("v1", "GET", "/mailbox/mailThreads/1")
V1_PIPELINE_STATISTICS = token_cost("v1", "GET", "/pipelines/1/conversion_statistics")
V1_WEBHOOKS_LIST = token_cost("v1", "GET", "/webhooks")
V1_WEBHOOK_ADD = token_cost("v1", "POST", "/webhooks")
V1_WEBHOOK_DELETE = token_cost("v1", "DELETE", "/webhooks/1")
