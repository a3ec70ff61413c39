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
from .store import Store, public


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


def _thread_party(store: Store, party: Record) -> Record:
    person_id = party.get("linked_person_id")
    person = store.get("persons", person_id) if person_id else None
    return {
        **{k: party.get(k) for k in ("id", "name", "email_address", "linked_person_id")},
        "latest_sent": False,
        "message_time": 0,
        "linked_person_name": party.get("linked_person_name") or "",
        "mail_message_party_id": party.get("mail_message_party_id") or party.get("id"),
        "linked_organization_id": person["org_id"] if person else None,
    }


async def get_mail_thread(request: Request) -> Response:
    """GET /v1/mailbox/mailThreads/{id}: the thread's deal and parties (with their orgs)."""
    store = store_of(request)
    thread_id = path_id(request)
    messages = sorted(
        (m for m in store.all("mail_messages") if m["mail_thread_id"] == thread_id),
        key=lambda m: (m["message_time"], m["id"]),
    )
    if not messages:
        raise not_found_v1("mail thread")
    last = messages[-1]
    deal_ids = [m["_deal_id"] for m in messages if m["_deal_id"]]
    deal = store.get("deals", deal_ids[0]) if deal_ids else None
    data = {
        "id": thread_id,
        "account_id": last["account_id"],
        "user_id": last["user_id"],
        "subject": last["subject"],
        "snippet": last["snippet"],
        "read_flag": last["read_flag"],
        "mail_tracking_status": last["mail_tracking_status"],
        "has_attachments_flag": last["has_attachments_flag"],
        "parties": {
            side: [_thread_party(store, p) for m in messages for p in m[side]]
            for side in ("from", "to")
        },
        "message_count": len(messages),
        "add_time": messages[0]["add_time"],
        "update_time": last["update_time"],
        "deal_id": deal["id"] if deal else None,
        "deal_status": deal["status"] if deal else None,
        "lead_id": None,
    }
    return json_response({"success": True, "data": data})


def mail_routes(prefix: str) -> list[Route]:
    """Mailbox routes under `prefix`."""
    return [
        Route(f"{prefix}/mailbox/mailMessages/{{id}}", get_mail_message, methods=["GET"]),
        Route(f"{prefix}/mailbox/mailThreads/{{id}}", get_mail_thread, methods=["GET"]),
        *(
            Route(f"{prefix}/{p}/{{id}}/mailMessages", parent_mail_route(p), methods=["GET"])
            for p in ("deals", "persons", "organizations")
        ),
    ]
