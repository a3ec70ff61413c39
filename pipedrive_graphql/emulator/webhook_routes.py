"""`/v1/webhooks` (add, list, delete) backed by the emulator's `WebhookDispatcher`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from pipedrive_graphql.emulator.webhooks import WebhookSubscription

if TYPE_CHECKING:
    from pipedrive_graphql.emulator.state import EmulatorState

ACTIONS = frozenset({"create", "change", "delete", "*"})
OBJECTS = frozenset(
    {"activity", "deal", "lead", "note", "organization", "person", "pipeline", "product"}
    | {"stage", "user", "*"}
)
VERSIONS = frozenset({"1.0", "2.0"})
REQUIRED = ("subscription_url", "event_action", "event_object", "name")


def _invalid(errors: dict[str, list[str]], status: int = 400) -> JSONResponse:
    body = {"status": "error", "success": False, "errors": errors}
    return JSONResponse(body, status_code=status)


def _problems(form: dict[str, Any]) -> dict[str, list[str]]:
    errors = {name: ["is required"] for name in REQUIRED if not form.get(name)}
    url = str(form.get("subscription_url", ""))
    if url and not url.startswith(("http://", "https://")):
        errors["subscription_url"] = ["invalid or non-reachable URL"]
    if form.get("event_action") and form["event_action"] not in ACTIONS:
        errors["event_action"] = [f"must be one of {sorted(ACTIONS)}"]
    if form.get("event_object") and form["event_object"] not in OBJECTS:
        errors["event_object"] = [f"must be one of {sorted(OBJECTS)}"]
    if str(form.get("version", "2.0")) not in VERSIONS:
        errors["version"] = ["must be 1.0 or 2.0"]
    return errors


def describe(hook: WebhookSubscription, company_id: int) -> dict[str, Any]:
    """The v1 representation of a webhook (the password is never echoed back)."""
    return {
        "id": hook.id,
        "company_id": company_id,
        "owner_id": hook.user_id,
        "user_id": hook.user_id,
        "event_action": hook.event_action,
        "event_object": hook.event_object,
        "subscription_url": hook.subscription_url,
        "version": hook.version,
        "is_active": 1,
        "add_time": hook.add_time,
        "remove_time": None,
        "type": "general",
        "http_auth_user": hook.http_auth_user,
        "http_auth_password": None,
        "remove_reason": None,
        "last_delivery_time": hook.last_delivery_time,
        "last_http_status": hook.last_http_status,
        "admin_id": hook.user_id,
        "name": hook.name,
    }


def webhook_routes(state: EmulatorState) -> list[BaseRoute]:
    """`POST/GET /webhooks` and `DELETE /webhooks/{id}` under both `/v1` and `/api/v1`."""

    def company_id() -> int:
        return int(state.store.company.get("company_id", 1))

    async def add(request: Request) -> JSONResponse:
        if "json" in request.headers.get("content-type", ""):
            try:
                raw: Any = await request.json()
            except ValueError:
                return _invalid({"body": ["must be JSON"]})
        else:
            raw = dict(await request.form())
        if not isinstance(raw, dict):
            return _invalid({"body": ["must be an object"]})
        if errors := _problems(raw):
            return _invalid(errors)
        dispatcher = state.webhooks
        webhook_id = dispatcher.subscribe(
            str(raw["subscription_url"]),
            str(raw["event_action"]),
            str(raw["event_object"]),
            raw.get("http_auth_user"),
            raw.get("http_auth_password"),
            str(raw.get("version", "2.0")),
            name=str(raw["name"]),
            user_id=int(raw.get("user_id") or 1),
        )
        data = describe(dispatcher.subscriptions[webhook_id], company_id())
        return JSONResponse({"status": "ok", "success": True, "data": data}, status_code=201)

    async def list_all(request: Request) -> JSONResponse:
        hooks = state.webhooks.subscriptions.values()
        data = [describe(hook, company_id()) for hook in hooks]
        return JSONResponse({"status": "ok", "success": True, "data": data})

    async def delete(request: Request) -> JSONResponse:
        raw_id = request.path_params["webhook_id"]
        if not raw_id.isdigit() or not state.webhooks.unsubscribe(int(raw_id)):
            return _invalid({"id": ["Webhook not found"]}, status=404)
        return JSONResponse({"status": "ok", "success": True})

    routes: list[BaseRoute] = []
    for prefix in ("/v1", "/api/v1"):
        routes += [
            Route(f"{prefix}/webhooks", add, methods=["POST"]),
            Route(f"{prefix}/webhooks", list_all, methods=["GET"]),
            Route(f"{prefix}/webhooks/{{webhook_id}}", delete, methods=["DELETE"]),
        ]
    return routes
