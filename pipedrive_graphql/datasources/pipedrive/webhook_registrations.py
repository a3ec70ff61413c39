"""Pipedrive's webhook registrations: `GET/POST /v1/webhooks`, `DELETE /v1/webhooks/{id}`.

There is no v2 for webhooks (Pipedrive's v1 spec: getWebhooks, addWebhook, deleteWebhook).
`POST` answers 201 with the registration; Pipedrive never echoes `http_auth_password` back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipedrive_graphql.ascii_digits import ascii_int
from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient


@dataclass(frozen=True, slots=True)
class Registration:
    """One registered webhook, as `/v1/webhooks` describes it."""

    id: int
    subscription_url: str
    event_action: str
    event_object: str
    version: str
    http_auth_user: str | None
    company_id: int | None
    name: str = ""


def _registration(obj: dict[str, Any]) -> Registration:
    user = obj.get("http_auth_user")
    company = obj.get("company_id")
    return Registration(
        id=int(obj["id"]),
        subscription_url=str(obj.get("subscription_url") or ""),
        event_action=str(obj.get("event_action") or ""),
        event_object=str(obj.get("event_object") or ""),
        version=str(obj.get("version") or ""),
        http_auth_user=str(user) if user else None,
        company_id=ascii_int(str(company)) if isinstance(company, int | str) else None,
        name=str(obj.get("name") or ""),
    )


class WebhookClient(PipedriveClient):
    """The client with the three webhook calls (used by the CLI, never by a GraphQL request)."""

    async def list_webhooks(self) -> tuple[Registration, ...]:
        """`GET /v1/webhooks`: every webhook of the credential's user."""
        data = (await self._request("GET", "/webhooks", version="v1")).data
        items = data if isinstance(data, list) else []
        return tuple(_registration(obj) for obj in items if isinstance(obj, dict))

    async def add_webhook(
        self,
        url: str,
        event_action: str,
        event_object: str,
        *,
        name: str,
        http_auth_user: str,
        http_auth_password: str,
    ) -> Registration:
        """`POST /v1/webhooks` for v2 payloads with HTTP Basic auth."""
        body = {
            "subscription_url": url,
            "event_action": event_action,
            "event_object": event_object,
            "name": name,
            "http_auth_user": http_auth_user,
            "http_auth_password": http_auth_password,
            "version": "2.0",
        }
        envelope = await self._request("POST", "/webhooks", json=body, version="v1")
        if not isinstance(envelope.data, dict):
            raise ValueError("Pipedrive answered POST /v1/webhooks without the webhook")
        return _registration(envelope.data)

    async def delete_webhook(self, webhook_id: int) -> None:
        """`DELETE /v1/webhooks/{id}`."""
        await self._request("DELETE", f"/webhooks/{webhook_id}", version="v1")
