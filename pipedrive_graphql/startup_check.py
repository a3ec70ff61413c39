"""One call at start checks the server's token, so a wrong one is in the log before traffic is."""

from __future__ import annotations

import logging

from pipedrive_graphql.runtime import Runtime

logger = logging.getLogger("pipedrive_graphql")


async def check_server_credential(runtime: Runtime) -> bool:
    """Probe Pipedrive with PIPEDRIVE_API_TOKEN (`GET /api/v1/users/me`) and log the verdict.

    A refused token is an ERROR (every request without its own credential will fail); an upstream
    that cannot be reached is a WARNING (it may come back). Neither stops the server: `/readyz`
    keeps saying why it is not ready. Returns whether the token was accepted.
    """
    upstream = runtime.settings.upstream_url
    try:
        ready, detail = await runtime.probe_upstream()
    except Exception as error:  # a background task: an escaped error would be lost silently
        logger.warning("could not check PIPEDRIVE_API_TOKEN: %s", type(error).__name__)
        return False
    if ready:
        logger.info("Pipedrive at %s accepted PIPEDRIVE_API_TOKEN", upstream)
    elif detail.get("reason") == "credential_refused":
        logger.error(
            "Pipedrive at %s refused PIPEDRIVE_API_TOKEN (%s): requests without their own "
            "credential will fail until the token is fixed",
            upstream,
            detail.get("code"),
        )
    else:
        logger.warning(
            "could not check PIPEDRIVE_API_TOKEN against Pipedrive at %s: %s",
            upstream,
            detail.get("detail"),
        )
    return ready
