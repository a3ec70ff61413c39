"""Bodies orjson refuses but JSON allows (an escaped unpaired surrogate) are read, not retried."""

from __future__ import annotations

import httpx
import orjson

from pipedrive_graphql.app import create_app
from pipedrive_graphql.datasources.pipedrive.inputs import NoteInput
from pipedrive_graphql.datasources.resilience.retry import RetryPolicy
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.conftest import UPSTREAM_URL, make_settings

from .res_support import rig

MARKER = "surrogate-marker"
HALF_EMOJI = rb"Call back \ud83d soon"  # the first half of U+1F600, escaped, with no second half


class HalfEmojiTransport(httpx.AsyncBaseTransport):
    """Pipedrive's bytes for a note whose content holds a lone surrogate escape."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        return httpx.Response(
            response.status_code,
            headers=[(k, v) for k, v in response.headers.items() if k != "content-length"],
            content=body.replace(MARKER.encode(), HALF_EMOJI),
        )


async def test_a_lone_surrogate_escape_is_decoded_once_not_retried_not_counted() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    transport = HalfEmojiTransport(httpx.ASGITransport(app=emu.app))
    async with rig(retry=RetryPolicy(max_attempts=4), transport=transport) as r:
        r.emu = emu
        note = await r.client().add_note(NoteInput(content=MARKER, deal_id=54321))
        assert note.content == "Call back \ufffd soon"
        stored = emu.store.get("notes", note.id)
        assert stored is not None
        assert stored["content"] == MARKER
        stats = CallStats()
        fetched = await r.client(stats).get_note(note.id)
        assert fetched.content == "Call back \ufffd soon"
        assert r.sent("GET", f"/api/v1/notes/{note.id}") == 1
        assert stats.retries == 0
        assert stats.tokens == 2  # one v1 GET, charged once
        assert r.guard.snapshot()["breakers"] == {
            "http://emulator v1 notes write": "closed",
            "http://emulator v1 notes read": "closed",
        }


async def test_the_graphql_answer_carries_the_note_with_a_replacement_character() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    created = emu.store.create("notes", {"content": MARKER, "deal_id": 54321, "user_id": 1})
    app = create_app(
        make_settings(),
        upstream_transport=HalfEmojiTransport(httpx.ASGITransport(app=emu.app)),
        upstream_base_url=UPSTREAM_URL,
    )
    query = "query($id: Int!) { note(noteId: $id) { id content dealId } }"
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://server.test") as http:
            response = await http.post(
                "/graphql", json={"query": query, "variables": {"id": created["id"]}}
            )
    body = orjson.loads(response.content)  # valid UTF-8 JSON, no lone surrogate
    assert "errors" not in body
    assert body["data"]["note"] == {
        "id": created["id"],
        "content": "Call back \ufffd soon",
        "dealId": 54321,
    }
    notes = [e for e in emu.log.entries if e.path == f"/api/v1/notes/{created['id']}"]
    assert len(notes) == 1
