"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from pipedrive_graphql.datasources.client import PipedriveClient
from pipedrive_graphql.datasources.loaders import Loaders
from pipedrive_graphql.datasources.stats import CallStats
from pipedrive_graphql.settings import Settings


@dataclass
class Context:
    """What one GraphQL request needs: settings, a client bound to its credential, its loaders."""

    settings: Settings
    client: PipedriveClient
    loaders: Loaders
    stats: CallStats
    request: Request | None = None
