"""`pipedrive-graphql webhooks register | unregister`: this server's webhooks at Pipedrive.

Registering is idempotent: Pipedrive's list is read first, and a pair already registered for
this URL, as v2 and with the same Basic auth user, is kept (Pipedrive allows 40 webhooks per
user, and two registrations of one pair would deliver every event twice; the de-duplication
would drop the second copy, but each costs a delivery). Unregistering deletes every webhook
whose URL is this server's.
"""

from __future__ import annotations

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
    """What happened to one pair: `created`, `kept` or `deleted`, with the webhook id."""

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


async def register(client: WebhookClient, settings: Settings) -> list[Outcome]:
    """Make sure each pair is registered for this server; create the missing ones."""
    url = subscription_url(settings)
    user, password = _basic_auth(settings)
    existing = [hook for hook in await client.list_webhooks() if _ours(hook, url)]
    outcomes = []
    for action, entity in PAIRS:
        found = next(
            (
                hook
                for hook in existing
                if (hook.event_action, hook.event_object) == (action, entity)
                and hook.version == "2.0"
                and hook.http_auth_user == user
            ),
            None,
        )
        if found is None:
            found = await client.add_webhook(
                url,
                action,
                entity,
                name=NAME,
                http_auth_user=user,
                http_auth_password=password,
            )
            outcomes.append(Outcome("created", action, entity, found.id))
        else:
            outcomes.append(Outcome("kept", action, entity, found.id))
    return outcomes


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
