"""Fixtures for emulator tests: a strict demo emulator and an HTTP client over it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from pipedrive_graphql.emulator import Emulator, EmulatorConfig

TEST_TOKEN = "test-token"


@pytest.fixture
def emulator() -> Emulator:
    """An in-process emulator on the demo dataset with strict request validation."""
    return Emulator(EmulatorConfig(dataset="demo", strict=True))


@pytest.fixture
async def emulator_client(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client speaking to `emulator` in process, authenticated by `x-api-token`."""
    transport = httpx.ASGITransport(app=emulator.app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://emulator", headers={"x-api-token": TEST_TOKEN}
    ) as client:
        yield client
