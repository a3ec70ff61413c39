"""Which Pipedrive company (and user) each credential belongs to.

The rule that keeps one company's events away from another's subscribers:

- An event belongs to the company in its `meta.company_id`. Only Pipedrive can send it: the
  webhook endpoint accepts nothing without the Basic auth registered with the webhook.
- A credential belongs to the company, and is the user, that Pipedrive's `GET /v1/users/me`
  reports for it (`data.company_id`, `data.id`). It is asked once per credential and replica,
  when a subscription connects, with the credential itself; a credential Pipedrive refuses
  never subscribes. Nothing the client sends names a company.
- A subscriber receives an event only when the two companies are equal and its user is in the
  event's `meta.permitted_user_ids` (Pipedrive's own visibility list; absent for user events).
- Caches are invalidated for every credential of the event's company, and, since caches also
  fill for credentials nobody subscribed with, for every credential whose company this replica
  has not learnt: dropping a cache entry is always safe, keeping a stale one is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient


@dataclass(frozen=True, slots=True)
class Identity:
    """A credential's company and user, as Pipedrive reported them."""

    company_id: int
    user_id: int


class Companies:
    """Credential key -> identity, learnt from `/users/me` and kept for the process's life."""

    def __init__(self) -> None:
        self._known: dict[str, Identity] = {}

    async def identify(self, client: PipedriveClient) -> Identity | None:
        """The identity of `client`'s credential (one `/users/me` call the first time).

        None when Pipedrive does not say which company the user is in. Errors of the call
        (401 for a bad credential, upstream failures) propagate as the client raises them.
        """
        known = self._known.get(client.credential_key)
        if known is not None:
            return known
        me = await client.get_current_user()
        if me.company_id is None:
            return None
        identity = self._known[client.credential_key] = Identity(me.company_id, me.id)
        return identity

    def of(self, credential_key: str) -> Identity | None:
        """The identity learnt for a credential key, if any."""
        return self._known.get(credential_key)

    def known_keys(self) -> frozenset[str]:
        """The credential keys whose identity this replica has learnt."""
        return frozenset(self._known)

    def may_hold(self, credential_key: str, company_id: int) -> bool:
        """Whether caches of `credential_key` may hold records of `company_id`."""
        known = self._known.get(credential_key)
        return known is None or known.company_id == company_id
