"""Outgoing Pipedrive v2 webhooks: one POST per store write to each matching subscriber."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from pipedrive_graphql.emulator.state import EmulatorState

RETRY_DELAYS = (3.0, 30.0, 150.0)  # seconds before attempts 2, 3 and 4
DELIVERY_TIMEOUT = 10.0
HOST = "emulated-company.pipedrive.com"
Payload = dict[str, Any]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + "000Z"


@dataclass
class WebhookSubscription:
    """One registered webhook (the fields `/v1/webhooks` reports)."""

    id: int
    subscription_url: str
    event_action: str = "*"
    event_object: str = "*"
    http_auth_user: str | None = None
    http_auth_password: str | None = field(default=None, repr=False)
    version: str = "2.0"
    name: str = ""
    user_id: int = 1
    add_time: str = field(default_factory=_now)
    last_delivery_time: str | None = None
    last_http_status: int | None = None

    def wants(self, action: str, entity: str) -> bool:
        """Whether this subscription listens to `action` on `entity`."""
        return self.event_action in ("*", action) and self.event_object in ("*", entity)


@dataclass(frozen=True)
class Delivery:
    """One delivery attempt: what was sent where, and how the receiver answered."""

    webhook_id: int
    url: str
    attempt: int
    payload: Payload
    status: int | None  # None: no HTTP answer (connection error or timeout)

    @property
    def ok(self) -> bool:
        """Any 2xx counts as delivered, as in Pipedrive."""
        return self.status is not None and 200 <= self.status < 300


class WebhookDispatcher:
    """Registers on the store; on every write, POSTs v2 payloads with Pipedrive's retries."""

    def __init__(
        self,
        state: EmulatorState,
        client: httpx.AsyncClient | None = None,
        *,
        retry_delay_factor: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`client` and `retry_delay_factor` let tests deliver in process and instantly."""
        self.state = state
        self.client = client
        self._owns_client = client is None
        self.retry_delay_factor = retry_delay_factor
        self.sleep = sleep
        self.subscriptions: dict[int, WebhookSubscription] = {}
        self.deliveries: list[Delivery] = []
        self._next_id = 1
        self._tasks: set[asyncio.Task[None]] = set()
        state.store.subscribe(self.on_write)

    def subscribe(
        self,
        url: str,
        event_action: str = "*",
        event_object: str = "*",
        http_auth_user: str | None = None,
        http_auth_password: str | None = None,
        version: str = "2.0",
        *,
        name: str = "",
        user_id: int = 1,
    ) -> int:
        """Register a subscriber and return its webhook id."""
        webhook_id = self._next_id
        self._next_id += 1
        self.subscriptions[webhook_id] = WebhookSubscription(
            webhook_id, url, event_action, event_object, http_auth_user, http_auth_password,
            version, name or f"webhook {webhook_id}", user_id,
        )  # fmt: skip
        return webhook_id

    def unsubscribe(self, webhook_id: int) -> bool:
        """Remove a subscriber; False when there was none with this id."""
        return self.subscriptions.pop(webhook_id, None) is not None

    def reset(self) -> None:
        """Drop subscribers, recorded deliveries and in-flight retries."""
        for task in self._tasks:
            task.cancel()
        self._tasks.clear()
        self.subscriptions.clear()
        self.deliveries.clear()
        self._next_id = 1

    async def drain(self) -> None:
        """Wait until every delivery started so far has finished (including retries)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def payload(
        self,
        hook: WebhookSubscription,
        action: str,
        entity: str,
        entity_id: int,
        data: Payload | None,
        previous: Payload | None,
    ) -> Payload:
        """The v2 webhook body for one event (all ids in `meta` are strings)."""
        company_id = str(self.state.store.company.get("company_id", 1))
        meta: Payload = {
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "company_id": company_id,
            "correlation_id": str(uuid.uuid4()),
            "id": str(uuid.uuid4()),
            "is_bulk_edit": False,
            "timestamp": _now(),
            "type": "general",
            "user_id": str(hook.user_id),
            "version": "2.0",
            "webhook_id": str(hook.id),
            "webhook_owner_id": str(hook.user_id),
            "change_source": "api",
            "attempt": 1,
            "host": HOST,
        }
        if entity != "user":
            meta["permitted_user_ids"] = [str(hook.user_id)]
        return {"meta": meta, "data": data, "previous": previous}

    def on_write(
        self,
        action: str,
        entity: str,
        entity_id: int,
        data: Payload | None,
        previous: Payload | None,
    ) -> None:
        """Store listener: schedule one delivery per matching subscriber."""
        hooks = [h for h in self.subscriptions.values() if h.wants(action, entity)]
        if not hooks:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a write made outside any event loop (e.g. sync test setup)
            return
        for hook in hooks:
            body = self.payload(hook, action, entity, entity_id, data, previous)
            task = loop.create_task(self._deliver(hook, body))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(self, hook: WebhookSubscription, body: Payload) -> None:
        headers: dict[str, str] = {}
        if hook.http_auth_user is not None:
            pair = f"{hook.http_auth_user}:{hook.http_auth_password or ''}".encode()
            headers["authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        for attempt in range(1, len(RETRY_DELAYS) + 2):
            if attempt > 1:
                await self.sleep(RETRY_DELAYS[attempt - 2] * self.retry_delay_factor)
            sent = {**body, "meta": {**body["meta"], "attempt": attempt}}
            status = await self._post(hook.subscription_url, sent, headers)
            delivery = Delivery(hook.id, hook.subscription_url, attempt, sent, status)
            self.deliveries.append(delivery)
            hook.last_delivery_time = _now()
            hook.last_http_status = status
            if delivery.ok:
                return

    async def _post(self, url: str, body: Payload, headers: dict[str, str]) -> int | None:
        if self.client is None:
            self.client = httpx.AsyncClient(timeout=DELIVERY_TIMEOUT)
        try:
            response = await self.client.post(
                url, json=body, headers=headers, timeout=DELIVERY_TIMEOUT
            )
        except httpx.HTTPError:
            return None
        return response.status_code

    async def aclose(self) -> None:
        """Close the HTTP client if the dispatcher created it."""
        if self.client is not None and self._owns_client:
            await self.client.aclose()
