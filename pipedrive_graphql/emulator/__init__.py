"""A local Pipedrive: `Emulator(EmulatorConfig(...))` gives an ASGI app over a seeded store."""

from __future__ import annotations

from starlette.applications import Starlette

from .app import build_app
from .datasets import Dataset, load_dataset
from .faults import FaultInjector, FaultRule
from .log import LoggedRequest, RequestLog
from .ratelimit import RateLimiter
from .spec import load_spec
from .state import EmulatorConfig, EmulatorState
from .store import Store
from .webhooks import WebhookDispatcher

__all__ = [
    "Dataset",
    "Emulator",
    "EmulatorConfig",
    "FaultRule",
    "LoggedRequest",
    "RequestLog",
    "Store",
]


class Emulator:
    """One emulated Pipedrive account: app, store, request log, faults, limiter, webhooks."""

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        """Build the dataset and the app for `config` (default: the demo dataset)."""
        self.config = config or EmulatorConfig()
        dataset = self.config.dataset
        if isinstance(dataset, str):
            dataset = load_dataset(dataset)
        company = {**dataset.company, "me_user_id": dataset.me_user_id}
        self.store = Store(dataset.records, company)
        self.log = RequestLog()
        self.faults = FaultInjector()
        self.limiter = RateLimiter()
        self.state = EmulatorState(
            config=self.config,
            store=self.store,
            log=self.log,
            spec=load_spec(),
            faults=self.faults,
            limiter=self.limiter,
            webhooks=None,  # type: ignore[arg-type]  # the dispatcher needs the state first
        )
        self.webhooks = WebhookDispatcher(self.state)
        self.state.webhooks = self.webhooks
        self.app: Starlette = build_app(self.state, self.reset)

    def reset(self) -> None:
        """Restore the dataset; clear the log, faults, rate windows and webhook subscribers."""
        self.store.reset()
        self.log.clear()
        self.faults.clear()
        self.limiter.reset()
        self.webhooks.reset()
