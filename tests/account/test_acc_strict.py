"""`make serve`'s embedded emulator and the standalone one refuse what Pipedrive refuses."""

from __future__ import annotations

import httpx

from pipedrive_graphql.app import embedded_transport
from pipedrive_graphql.settings import Settings


async def _status(settings: Settings, url: str) -> int:
    transport = embedded_transport(settings)
    headers = {"x-api-token": "t"}
    async with httpx.AsyncClient(transport=transport, base_url="http://e", headers=headers) as c:
        return (await c.get(url)).status_code


async def test_embedded_emulator_is_strict_unless_turned_off() -> None:
    strict = Settings.from_env({})
    lenient = Settings.from_env({"EMULATOR_STRICT": "false"})
    assert (strict.emulator_strict, lenient.emulator_strict) == (True, False)
    assert await _status(strict, "/api/v2/persons?limit=2&is_admin=1") == 400
    assert await _status(lenient, "/api/v2/persons?limit=2&is_admin=1") == 200
    assert await _status(strict, "/api/v2/persons?limit=2") == 200
