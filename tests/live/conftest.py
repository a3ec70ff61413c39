"""Fixtures for live updates: a real redis-server (see tests/redis_server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.redis_server import RedisServer, redis_binary


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One real redis-server for the whole session."""
    server = RedisServer(redis_binary())
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of a running, empty Redis (restarted if a test killed it)."""
    if not redis_server.running:
        redis_server.start()
    redis_server.flush()
    return redis_server.url
