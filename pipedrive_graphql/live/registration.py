"""`pipedrive-graphql webhooks register | unregister`: this server's webhooks at Pipedrive.

Registering is idempotent: Pipedrive's list is read first, and a pair already registered for
this URL, as v2 and with the same Basic auth credentials, is kept (Pipedrive allows 40 webhooks
per user, and two registrations of one pair would deliver every event twice; the
de-duplication would drop the second copy, but each costs a delivery). Pipedrive's list never
shows the password (`http_auth_password` is null in `GET /v1/webhooks`) and v1 has no update of
a webhook, so the name carries a short fingerprint of URL, user and password: a webhook whose
fingerprint differs (a changed password) is replaced, the new one added before the old one is
deleted. Unregistering deletes every webhook whose URL is this server's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import httpx

from pipedrive_graphql.datasources.pipedrive.webhook_registrations import (
    Registration,
    WebhookClient,
)
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.live.wiring import WEBHOOK_PATH
from pipedrive_graphql.settings import ConfigError, Secret, Settings

# (event_action, event_object) the subscriptions follow; noteAdded needs only additions. The
# reference objects follow: their events drop the cached lists (users, stages, pipelines) on
# every replica, so a rename in Pipedrive shows at once instead of after the cache's TTL.
# Pipedrive has no webhook object for field definitions (addWebhook's `event_object` enum).
PAIRS: tuple[tuple[str, str], ...] = (
    ("*", "deal"),
    ("*", "person"),
    ("*", "organization"),
    ("*", "activity"),
    ("create", "note"),
    ("*", "pipeline"),
    ("*", "stage"),
    ("*", "user"),
)
NAME = "pipedrive-graphql live updates"


@dataclass(frozen=True)
class Outcome:
    """What happened to one pair: `created`, `kept`, `replaced` or `deleted`, with its id."""

    what: str
    event_action: str
    event_object: str
    webhook_id: int

    def line(self) -> str:
        """One line for the terminal."""
        return f"{self.what} {self.event_object}/{self.event_action} (webhook {self.webhook_id})"


def subscription_url(settings: Settings) -> str:
    """`PUBLIC_URL` + `/webhooks/pipedrive`; a configuration error when either part is missing."""
    if not settings.public_url:
        raise ConfigError("PUBLIC_URL must say where Pipedrive reaches this server")
    if not settings.public_url.startswith(("https://", "http://")):
        raise ConfigError(f"PUBLIC_URL must be an http(s) URL; got {settings.public_url!r}")
    _basic_auth(settings)
    return settings.public_url.rstrip("/") + WEBHOOK_PATH


def _basic_auth(settings: Settings) -> tuple[str, str]:
    if settings.webhook_username is None or settings.webhook_password is None:
        raise ConfigError("WEBHOOK_USERNAME and WEBHOOK_PASSWORD must be set")
    return settings.webhook_username.reveal(), settings.webhook_password.reveal()


def webhook_name(url: str, user: str, password: str) -> str:
    """`NAME (fingerprint)`: 12 hex digits of SHA-256 over URL, user and password.

    48 bits tell a changed password apart; they are no help to guess it.
    """
    digest = hashlib.sha256(f"{url}\n{user}\n{password}".encode()).hexdigest()
    return f"{NAME} ({digest[:12]})"


async def register(client: WebhookClient, settings: Settings) -> list[Outcome]:
    """Make sure each pair is registered with the configured credentials (see the module)."""
    url = subscription_url(settings)
    user, password = _basic_auth(settings)
    name = webhook_name(url, user, password)
    existing = [hook for hook in await client.list_webhooks() if _ours(hook, url)]
    outcomes = []
    for action, entity in PAIRS:
        same_pair = [h for h in existing if (h.event_action, h.event_object) == (action, entity)]
        current = next((h for h in same_pair if _current(h, user, name)), None)
        if current is not None:
            outcomes.append(Outcome("kept", action, entity, current.id))
            continue
        added = await client.add_webhook(
            url, action, entity, name=name, http_auth_user=user, http_auth_password=password
        )
        for stale in same_pair:  # after the add: a failure leaves a duplicate, never a gap
            await client.delete_webhook(stale.id)
        outcomes.append(Outcome("replaced" if same_pair else "created", action, entity, added.id))
    return outcomes


def _current(hook: Registration, user: str, name: str) -> bool:
    return hook.version == "2.0" and hook.http_auth_user == user and hook.name == name


async def unregister(client: WebhookClient, settings: Settings) -> list[Outcome]:
    """Delete every webhook of this server's URL."""
    if not settings.public_url:
        raise ConfigError("PUBLIC_URL must say which server's webhooks to remove")
    url = settings.public_url.rstrip("/") + WEBHOOK_PATH
    outcomes = []
    for hook in await client.list_webhooks():
        if _ours(hook, url):
            await client.delete_webhook(hook.id)
            outcomes.append(Outcome("deleted", hook.event_action, hook.event_object, hook.id))
    return outcomes


async def run(
    command: str,
    settings: Settings,
    token: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Outcome]:
    """`register` or `unregister` with `token` (else the server's `PIPEDRIVE_API_TOKEN`)."""
    secret = Secret(token) if token else settings.api_token
    if secret is None:
        raise ConfigError("a Pipedrive token is needed: PIPEDRIVE_API_TOKEN or --token")
    base_url = settings.upstream_url
    async with httpx.AsyncClient(transport=transport, timeout=30.0) as http:
        client = WebhookClient(http, secret, base_url=base_url, stats=CallStats())
        if command == "register":
            return await register(client, settings)
        return await unregister(client, settings)


def _ours(hook: Registration, url: str) -> bool:
    return hook.subscription_url.rstrip("/") == url
