"""One replica's live-updates hub: webhook events in, invalidation and subscriber queues out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.live.bus import EventBus
from pipedrive_graphql.live.companies import Companies, Identity
from pipedrive_graphql.live.events import ChangeEvent
from pipedrive_graphql.live.invalidation import credential_keys, invalidate

logger = logging.getLogger("pipedrive_graphql")

QUEUE_SIZE = 256  # events waiting for one slow subscriber before the oldest are dropped


@dataclass(eq=False)
class Listener:
    """One running subscription: whose it is, which object it follows, its pending events."""

    identity: Identity
    entity: str
    queue: asyncio.Queue[ChangeEvent] = field(
        default_factory=lambda: asyncio.Queue(maxsize=QUEUE_SIZE)
    )
    dropped: int = 0

    def accepts(self, event: ChangeEvent) -> bool:
        """Same object, same company, and a user Pipedrive lets see the record."""
        return (
            event.entity == self.entity
            and event.company_id == self.identity.company_id
            and event.permits(self.identity.user_id)
        )

    def offer(self, event: ChangeEvent) -> bool:
        """Queue `event`; a subscriber that far behind loses its oldest event (True), not the
        newest."""
        lost = self.queue.full()
        if lost:
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(event)
        return lost


@dataclass
class LiveStats:
    """This replica's live-updates counters, for `/metrics` and tests (all since start)."""

    received: int = 0  # webhooks with valid auth and body, duplicates included
    refused: int = 0  # answered 401: Basic auth missing or wrong
    invalid: int = 0  # answered 400 or 413: not a Pipedrive v2 webhook, or too large
    disconnected: int = 0  # the sender left before its body was complete: nothing processed
    duplicates: int = 0  # a delivery of an event id seen before, on any replica
    published: int = 0  # events this replica handed to every replica
    delivered: int = 0  # events sent to this replica's subscribers (one per subscription)
    dropped: int = 0  # events a subscriber too far behind lost
    invalidated: int = 0  # credentials whose cached state an event dropped


class LiveHub:
    """Receives webhook events once across replicas and hands them to local subscribers."""

    def __init__(self, memory: UpstreamMemory, bus: EventBus) -> None:
        self.memory = memory
        self.bus = bus
        self.companies = Companies()
        self.stats = LiveStats()
        self._listeners: set[Listener] = set()

    async def start(self) -> None:
        """Start receiving the events published by every replica."""
        await self.bus.start(self.dispatch)

    async def close(self) -> None:
        """Stop receiving."""
        await self.bus.close()

    async def receive(self, event: ChangeEvent) -> bool:
        """Publish a webhook's event to every replica unless it was seen; False for a repeat.

        The claim is the company and `meta.id`: Pipedrive keeps `meta.id` on its retries
        (`meta.attempt` 2..4), which arrive when an answer was late or lost, after the event
        may already have been delivered. A retry of a seen id is therefore a duplicate too.
        """
        self.stats.received += 1
        if not await self.bus.claim(f"{event.company_id}:{event.event_id}"):
            self.stats.duplicates += 1
            logger.info(
                "webhook %s (attempt %d) already received; ignored", event.event_id, event.attempt
            )
            return False
        await self.bus.publish(event)
        self.stats.published += 1
        return True

    def dispatch(self, event: ChangeEvent) -> None:
        """On every replica: drop the stale cache entries, then queue the event for listeners."""
        keys = credential_keys(self.memory, self.companies.known_keys())
        self.stats.invalidated += invalidate(
            self.memory, event, keys, lambda key: self.companies.may_hold(key, event.company_id)
        )
        for listener in list(self._listeners):
            if listener.accepts(event) and listener.offer(event):
                self.stats.dropped += 1

    @contextlib.contextmanager
    def listen(self, identity: Identity, entity: str) -> Iterator[Listener]:
        """A listener for `entity` events of `identity`'s company while the block runs."""
        listener = Listener(identity, entity)
        self._listeners.add(listener)
        try:
            yield listener
        finally:
            self._listeners.discard(listener)

    @property
    def listeners(self) -> int:
        """How many subscriptions run on this replica."""
        return len(self._listeners)
