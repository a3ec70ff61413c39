"""Fixtures: the server on the analytics dataset, its clock fixed at NOW."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.analytics.an_dataset import NOW, analytics_dataset


@pytest.fixture
def upstream() -> Emulator:
    """A strict emulator on the analytics dataset."""
    return Emulator(EmulatorConfig(dataset=analytics_dataset(), strict=True))


@pytest.fixture(autouse=True)
def fixed_clock(app: Starlette) -> None:
    """Freeze the server's clock at NOW so rotting and ages are exact."""
    app.state.runtime.clock = lambda: NOW
