"""`POST /webhooks/pipedrive`: Pipedrive's v2 webhooks, checked, de-duplicated, published.

Pipedrive signs nothing; the only proof of origin is the HTTP Basic auth registered with the
webhook (`http_auth_user`/`http_auth_password`, guide "Webhooks v2"), so without
`WEBHOOK_USERNAME` and `WEBHOOK_PASSWORD` every delivery is refused. Any 2xx counts as
delivered for Pipedrive, which retries anything else 3 times (after 3, 30 and 150 s).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging

import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from pipedrive_graphql.ascii_digits import ascii_int
from pipedrive_graphql.http_response import json_response
from pipedrive_graphql.live.events import InvalidWebhookError, parse_webhook
from pipedrive_graphql.live.hub import LiveHub
from pipedrive_graphql.settings import Settings

logger = logging.getLogger("pipedrive_graphql")

MAX_BODY = 1 << 20  # Pipedrive's payloads are a record and its previous values: a few KB
CLIENT_GONE_STATUS = 499  # never read by anyone: the sender is gone
CHALLENGE = {"www-authenticate": 'Basic realm="pipedrive-webhooks", charset="UTF-8"'}


def basic_auth_matches(header: str, settings: Settings) -> bool:
    """Whether `header` is `Basic base64(user:password)` with the configured pair.

    Both parts are compared in constant time, and both always, so the answer's timing says
    nothing about which part or how much of it was right.
    """
    if settings.webhook_username is None or settings.webhook_password is None:
        return False
    scheme, _, encoded = header.partition(" ")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    user, colon, password = decoded.partition(b":")
    user_ok = hmac.compare_digest(user, settings.webhook_username.reveal().encode())
    password_ok = hmac.compare_digest(password, settings.webhook_password.reveal().encode())
    return scheme.lower() == "basic" and bool(colon) and user_ok and password_ok


async def webhook_endpoint(request: Request) -> Response:
    """Answer 200 once the event is published (or known), 401/400/413 without processing.

    A sender that disconnects before its body is complete is counted and nothing is processed.
    """
    hub: LiveHub = request.app.state.live
    settings: Settings = request.app.state.runtime.settings
    if not basic_auth_matches(request.headers.get("authorization", ""), settings):
        hub.stats.refused += 1
        return Response(status_code=401, headers=CHALLENGE)
    declared = request.headers.get("content-length", "")
    if (ascii_int(declared) or 0) > MAX_BODY:
        hub.stats.invalid += 1
        return json_response({"error": "webhook body too large"}, 413)
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                hub.stats.invalid += 1
                return json_response({"error": "webhook body too large"}, 413)
    except ClientDisconnect:
        # the sender gave up mid-body (Pipedrive retries what it did not see answered)
        hub.stats.disconnected += 1
        logger.info("webhook sender disconnected before its body was complete; ignored")
        return Response(status_code=CLIENT_GONE_STATUS)
    try:
        event = parse_webhook(orjson.loads(body))
    except (orjson.JSONDecodeError, InvalidWebhookError) as error:
        message = str(error) if isinstance(error, InvalidWebhookError) else "body is not JSON"
        hub.stats.invalid += 1
        return json_response({"error": message}, 400)
    fresh = await hub.receive(event)
    return json_response({"status": "accepted" if fresh else "duplicate"})
