"""v1 mailbox routes: one mail message, and the mail messages of a deal, person or organization."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .entities import Record
from .envelopes import json_response, not_found_v1, v1_list
from .params import bool_param
from .requests import path_id, store_of
from .store import public


def mail_view(mail: Record, include_body: bool) -> Record:
    """A mail message; `body` only when asked for with `include_body=1`."""
    view = public(mail)
    if not include_body:
        view.pop("body", None)
    return view


async def get_mail_message(request: Request) -> Response:
    """GET /v1/mailbox/mailMessages/{id} (with the mailbox envelope quirk)."""
    mail = store_of(request).get("mail_messages", path_id(request))
    if mail is None:
        raise not_found_v1("mail message")
    include_body = bool_param(request.query_params, "include_body", numeric=True) or False
    body = {
        "success": True,
        "statusCode": 2000,
        "statusText": "Success",
        "service": "email-api",
        "data": mail_view(mail, include_body),
    }
    return json_response(body)


def _linked(parent: str) -> Callable[[Record, int], bool]:
    if parent == "deals":
        return lambda m, i: m["_deal_id"] == i
    if parent == "persons":
        return lambda m, i: i in m["_person_ids"]
    return lambda m, i: m["_org_id"] == i


def parent_mail_route(parent: str) -> Callable[[Request], Awaitable[Response]]:
    """GET /v1/{parent}/{id}/mailMessages: wrapped items, offset pagination."""
    linked = _linked(parent)

    async def handler(request: Request) -> Response:
        from .routes_v1 import offset_params

        store = store_of(request)
        parent_id = path_id(request)
        if store.get(parent, parent_id) is None:
            raise not_found_v1(parent.rstrip("s").replace("organization", "organization"))
        start, limit = offset_params(request)
        include_body = bool_param(request.query_params, "include_body", numeric=True) or False
        rows = sorted(
            (m for m in store.all("mail_messages") if linked(m, parent_id)),
            key=lambda m: (m["message_time"], m["id"]),
            reverse=True,
        )
        page = rows[start : start + limit]
        items = [
            {
                "object": "mailMessage",
                "timestamp": m["message_time"][:19].replace("T", " "),
                "data": {
                    **mail_view(m, include_body),
                    "item_type": "mailMessage",
                    "timestamp": m["message_time"],
                    "company_id": store.company.get("company_id", 1),
                    "external_deleted_flag": False,
                },
            }
            for m in page
        ]
        return v1_list(items, start, limit, start + limit < len(rows))

    return handler


def mail_routes(prefix: str) -> list[Route]:
    """Mailbox routes under `prefix`."""
    return [
        Route(f"{prefix}/mailbox/mailMessages/{{id}}", get_mail_message, methods=["GET"]),
        *(
            Route(f"{prefix}/{p}/{{id}}/mailMessages", parent_mail_route(p), methods=["GET"])
            for p in ("deals", "persons", "organizations")
        ),
    ]
