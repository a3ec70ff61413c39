"""Building a replica's live-updates hub, and pointing the embedded emulator's webhooks at it."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

import httpx

from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.datasources.state.redis_link import RedisLink
from pipedrive_graphql.live.bus import EventBus, LocalBus, RedisBus
from pipedrive_graphql.live.hub import LiveHub
from pipedrive_graphql.settings import Secret, Settings

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from pipedrive_graphql.emulator import Emulator

logger = logging.getLogger("pipedrive_graphql")

WEBHOOK_PATH = "/webhooks/pipedrive"
EMBEDDED_SERVER_URL = "http://embedded-server"
EMBEDDED_USERNAME = "embedded-emulator"


def build_hub(settings: Settings, memory: UpstreamMemory, link: RedisLink | None) -> LiveHub:
    """A hub on the replica's Redis connection (`REDIS_URL`) when there is one, else in process."""
    bus: EventBus = LocalBus() if link is None else RedisBus(link)
    if settings.webhook_username is None or settings.webhook_password is None:
        logger.info(
            "WEBHOOK_USERNAME/WEBHOOK_PASSWORD unset: %s refuses every delivery", WEBHOOK_PATH
        )
    return LiveHub(memory, bus)


def embedded_webhook_settings(settings: Settings) -> Settings:
    """Settings with a Basic auth pair for the embedded emulator's webhooks (random if unset)."""
    if settings.webhook_username is not None and settings.webhook_password is not None:
        return settings
    return settings.model_copy(
        update={
            "webhook_username": Secret(EMBEDDED_USERNAME),
            "webhook_password": Secret(secrets.token_urlsafe(24)),
        }
    )


def deliver_embedded_webhooks(emulator: Emulator, server: ASGIApp, settings: Settings) -> None:
    """Subscribe the server to every change in the embedded emulator, delivered in process."""
    user, password = settings.webhook_username, settings.webhook_password
    if user is None or password is None:
        raise ValueError("embedded webhooks need WEBHOOK_USERNAME and WEBHOOK_PASSWORD")
    emulator.webhooks.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=server))
    emulator.webhooks.subscribe(
        EMBEDDED_SERVER_URL + WEBHOOK_PATH,
        http_auth_user=user.reveal(),
        http_auth_password=password.reveal(),
        name="pipedrive-graphql (embedded)",
    )
