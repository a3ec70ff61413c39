"""PipedriveClient: one method per upstream call, records in and out; the only code with URLs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Literal, TypeVar

from pipedrive_graphql.datasources.pipedrive import conversion, parse
from pipedrive_graphql.datasources.pipedrive.custom_field_records import (
    FIELD_PATHS,
    VALUE_PATHS,
    Entity,
    FieldDefinition,
    parse_definition,
)
from pipedrive_graphql.datasources.pipedrive.inputs import (
    ActivityInput,
    DealInput,
    NoteInput,
    OrganizationInput,
    PersonInput,
    request_body,
)
from pipedrive_graphql.datasources.pipedrive.records import (
    ActivityRecord,
    CursorPage,
    DealRecord,
    MailMessageRecord,
    MailThreadRecord,
    NoteRecord,
    OffsetPage,
    OrganizationRecord,
    PersonRecord,
    PipelineRecord,
    SearchHit,
    StageRecord,
    UserRecord,
)
from pipedrive_graphql.datasources.pipedrive.upstream import (
    Envelope,
    Params,
    ParamValue,
    UpstreamSession,
)

T = TypeVar("T")
Filters = Mapping[str, ParamValue]
ParentKind = Literal["deal", "person", "organization"]
MAX_IDS = 100
# The v2 deal `status` filter: omitted, deleted deals are left out of lists (and of `ids=`).
_EVERY_STATUS: Filters = {"status": "open,won,lost,deleted"}
MAX_PAGE = 500  # the largest page Pipedrive serves: v2 lists and search, v1 lists
_MAIL_PARENT_PATHS: dict[str, str] = {
    "deal": "/deals",
    "person": "/persons",
    "organization": "/organizations",
}


def _objects(envelope: Envelope) -> tuple[dict[str, Any], ...]:
    """The objects of a list answer's `data` (or `data.items`), as sent."""
    data = envelope.data
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        return ()
    return tuple(obj for obj in data if isinstance(obj, dict))


def _items(envelope: Envelope, parser: Callable[[dict[str, Any]], T | None]) -> tuple[T, ...]:
    parsed = (parser(obj) for obj in _objects(envelope))
    return tuple(item for item in parsed if item is not None)


def _one(envelope: Envelope, parser: Callable[[dict[str, Any]], T]) -> T:
    if not isinstance(envelope.data, dict):
        raise parse.ParseError("upstream answered without an object")
    return parser(envelope.data)


def _next_cursor(envelope: Envelope) -> str | None:
    cursor = envelope.additional_data.get("next_cursor")
    return str(cursor) if cursor else None


def _offset_page(
    envelope: Envelope, parser: Callable[[dict[str, Any]], T | None], start: int
) -> OffsetPage[T]:
    items = _items(envelope, parser)
    pagination = envelope.additional_data.get("pagination")
    if not isinstance(pagination, dict):
        # The mailbox lists' response schema is flat (`additional_data.more_items_in_collection`)
        # while their example nests it under `pagination`: read both.
        pagination = envelope.additional_data
    more = isinstance(pagination, dict) and bool(pagination.get("more_items_in_collection"))
    next_start = pagination.get("next_start") if more and isinstance(pagination, dict) else None
    if more and not isinstance(next_start, int):
        next_start = start + len(items)
    return OffsetPage(items, more, next_start if more else None)


def _as_sent(obj: dict[str, Any]) -> dict[str, Any]:
    return obj


def included(include_fields: Sequence[str]) -> dict[str, ParamValue]:
    """The v2 `include_fields` parameter for `include_fields` (none when empty)."""
    return {"include_fields": ",".join(sorted(include_fields))} if include_fields else {}


def _get_params(include_fields: Sequence[str]) -> Params | None:
    return included(include_fields) or None


# Which custom field keys this request reads of an entity: a comma list for `custom_fields=`,
# or None for all of them.
CustomFieldSelection = Callable[[Entity], Awaitable[str | None]]


class PipedriveClient(UpstreamSession):
    """Typed access to the Pipedrive v2 (and, for notes, users and mail, v1) API."""

    def _each(self, parser: Callable[[dict[str, Any]], T]) -> Callable[[dict[str, Any]], T | None]:
        """`parser` for list items: an item it refuses is left out and noted, not the list.

        One record that cannot be represented (an id beyond GraphQL's 32-bit Int, a missing
        id) costs only that record; `extensions.cost.plan` names it.
        """

        def parse_one(obj: dict[str, Any]) -> T | None:
            return self.parse_row(parser, obj)

        return parse_one

    custom_field_selection: CustomFieldSelection | None = None

    async def _with_custom_fields(self, path: str, params: dict[str, ParamValue]) -> None:
        entity = VALUE_PATHS.get(path)
        if entity is not None and self.custom_field_selection is not None:
            keys = await self.custom_field_selection(entity)
            if keys:
                params["custom_fields"] = keys

    # -- generic v2 helpers -------------------------------------------------------------------
    async def _list(
        self,
        path: str,
        parser: Callable[[dict[str, Any]], T],
        filters: Filters | None,
        limit: int,
        cursor: str | None,
    ) -> CursorPage[T]:
        envelope = await self._list_envelope(path, filters, limit, cursor)
        return CursorPage(_items(envelope, self._each(parser)), _next_cursor(envelope))

    async def _list_envelope(
        self, path: str, filters: Filters | None, limit: int, cursor: str | None
    ) -> Envelope:
        params: dict[str, ParamValue] = dict(filters or {})
        params["limit"] = limit
        if cursor:
            params["cursor"] = cursor
        await self._with_custom_fields(path, params)
        return await self._request("GET", path, params)

    async def list_rows(
        self, path: str, filters: Filters | None = None, *, limit: int, cursor: str | None = None
    ) -> CursorPage[parse.Json]:
        """A v2 list (`GET /api/v2{path}`) with its rows as sent, each parsed later by the
        caller with `parse_row`: a whole-collection scan parses only the rows it serves."""
        envelope = await self._list_envelope(path, filters, limit, cursor)
        return CursorPage(_objects(envelope), _next_cursor(envelope))

    def parse_row(self, parser: Callable[[dict[str, Any]], T], row: dict[str, Any]) -> T | None:
        """One list row parsed as the typed list methods parse it: None (and a note) when
        `parser` refuses it."""
        try:
            return parser(row)
        except parse.ParseError as exc:
            self.stats.note(f"left out one upstream record: {exc}")
            return None

    async def _by_ids(
        self,
        path: str,
        parser: Callable[[dict[str, Any]], T],
        ids: Sequence[int],
        include_fields: Sequence[str] = (),
        filters: Filters | None = None,
    ) -> tuple[T, ...]:
        unique = list(dict.fromkeys(ids))
        chunks = [unique[i : i + MAX_IDS] for i in range(0, len(unique), MAX_IDS)]

        async def fetch(chunk: list[int]) -> tuple[T, ...]:
            params: dict[str, ParamValue] = {"ids": ",".join(map(str, chunk)), "limit": len(chunk)}
            params.update(filters or {})
            params.update(included(include_fields))
            await self._with_custom_fields(path, params)
            return _items(await self._request("GET", path, params), self._each(parser))

        pages = await asyncio.gather(*(fetch(c) for c in chunks))
        return tuple(item for page in pages for item in page)

    async def _all(
        self, path: str, parser: Callable[[dict[str, Any]], T], filters: Filters | None = None
    ) -> tuple[T, ...]:
        items: list[T] = []
        cursor: str | None = None
        while True:
            page = await self._list(path, parser, filters, MAX_PAGE, cursor)
            items.extend(page.items)
            if page.next_cursor is None or not page.items:
                return tuple(items)
            cursor = page.next_cursor

    async def _delete(self, path: str) -> int:
        envelope = await self._request("DELETE", path)
        data = envelope.data
        if not isinstance(data, dict) or not isinstance(data.get("id"), int):
            raise parse.ParseError("upstream answered a delete without the deleted id")
        return int(data["id"])

    async def _search(
        self, path: str, term: str, limit: int, cursor: str | None, filters: Filters | None
    ) -> CursorPage[SearchHit]:
        params: dict[str, ParamValue] = {"term": term, **(filters or {})}
        return await self._list(path, parse.search_hit, params, limit, cursor)

    # -- persons ------------------------------------------------------------------------------
    async def persons_by_ids(
        self, ids: Sequence[int], include_fields: Sequence[str] = ()
    ) -> tuple[PersonRecord, ...]:
        """`GET /api/v2/persons?ids=…` (≤100 per call; absent ids are simply missing)."""
        return await self._by_ids("/persons", parse.person, ids, include_fields)

    async def list_persons(
        self, filters: Filters | None = None, *, limit: int = 100, cursor: str | None = None
    ) -> CursorPage[PersonRecord]:
        """`GET /api/v2/persons` with quick filters (`org_id`, `owner_id`, …)."""
        return await self._list("/persons", parse.person, filters, limit, cursor)

    async def get_person(self, person_id: int, include_fields: Sequence[str] = ()) -> PersonRecord:
        """`GET /api/v2/persons/{id}`."""
        envelope = await self._request("GET", f"/persons/{person_id}", _get_params(include_fields))
        return _one(envelope, parse.person)

    async def search_persons(
        self,
        term: str,
        *,
        limit: int = 100,
        cursor: str | None = None,
        filters: Filters | None = None,
    ) -> CursorPage[SearchHit]:
        """`GET /api/v2/persons/search`."""
        return await self._search("/persons/search", term, limit, cursor, filters)

    async def add_person(self, data: PersonInput) -> PersonRecord:
        """`POST /api/v2/persons`."""
        envelope = await self._request("POST", "/persons", json=request_body(data))
        return _one(envelope, parse.person)

    async def update_person(self, person_id: int, data: PersonInput) -> PersonRecord:
        """`PATCH /api/v2/persons/{id}`."""
        envelope = await self._request("PATCH", f"/persons/{person_id}", json=request_body(data))
        return _one(envelope, parse.person)

    async def delete_person(self, person_id: int) -> int:
        """`DELETE /api/v2/persons/{id}` (marks it deleted; 3 tokens); the deleted id."""
        return await self._delete(f"/persons/{person_id}")

    # -- deals --------------------------------------------------------------------------------
    async def deals_by_ids(
        self, ids: Sequence[int], include_fields: Sequence[str] = ()
    ) -> tuple[DealRecord, ...]:
        """`GET /api/v2/deals?ids=…`, then `GET /api/v2/deals/archived?ids=…` for the ids missing.

        `ids=` on `/deals` leaves archived deals out (it lists "all not archived deals"), so one
        more batched call asks the archive for the missing ids, only when some are missing.
        Both ask for every status: without `status`, deleted deals are left out too, where a
        single `GET /deals/{id}` returns them (`is_deleted`, kept 30 days).
        """
        found = await self._by_ids("/deals", parse.deal, ids, include_fields, _EVERY_STATUS)
        seen = {deal.id for deal in found}
        missing = [i for i in dict.fromkeys(ids) if i not in seen]
        if not missing:
            return found
        return found + await self.archived_deals_by_ids(missing, include_fields)

    async def archived_deals_by_ids(
        self, ids: Sequence[int], include_fields: Sequence[str] = ()
    ) -> tuple[DealRecord, ...]:
        """`GET /api/v2/deals/archived?ids=…` (20 tokens per call), deleted ones included."""
        path = "/deals/archived"
        return await self._by_ids(path, parse.deal, ids, include_fields, _EVERY_STATUS)

    async def list_archived_deals(
        self, filters: Filters | None = None, *, limit: int = 100, cursor: str | None = None
    ) -> CursorPage[DealRecord]:
        """`GET /api/v2/deals/archived` with the same quick filters as `list_deals`."""
        return await self._list("/deals/archived", parse.deal, filters, limit, cursor)

    async def list_deals(
        self, filters: Filters | None = None, *, limit: int = 100, cursor: str | None = None
    ) -> CursorPage[DealRecord]:
        """`GET /api/v2/deals` with quick filters (`person_id`, `stage_id`, `status`, …)."""
        return await self._list("/deals", parse.deal, filters, limit, cursor)

    async def get_deal(self, deal_id: int, include_fields: Sequence[str] = ()) -> DealRecord:
        """`GET /api/v2/deals/{id}` (archived deals too)."""
        envelope = await self._request("GET", f"/deals/{deal_id}", _get_params(include_fields))
        return _one(envelope, parse.deal)

    async def search_deals(
        self,
        term: str,
        *,
        limit: int = 100,
        cursor: str | None = None,
        filters: Filters | None = None,
    ) -> CursorPage[SearchHit]:
        """`GET /api/v2/deals/search`."""
        return await self._search("/deals/search", term, limit, cursor, filters)

    async def add_deal(self, data: DealInput) -> DealRecord:
        """`POST /api/v2/deals`."""
        return _one(await self._request("POST", "/deals", json=request_body(data)), parse.deal)

    async def update_deal(self, deal_id: int, data: DealInput) -> DealRecord:
        """`PATCH /api/v2/deals/{id}`."""
        envelope = await self._request("PATCH", f"/deals/{deal_id}", json=request_body(data))
        return _one(envelope, parse.deal)

    async def delete_deal(self, deal_id: int) -> int:
        """`DELETE /api/v2/deals/{id}` (marks it deleted; 3 tokens); the deleted id."""
        return await self._delete(f"/deals/{deal_id}")

    # -- organizations and activities ---------------------------------------------------------
    async def organizations_by_ids(
        self, ids: Sequence[int], include_fields: Sequence[str] = ()
    ) -> tuple[OrganizationRecord, ...]:
        """`GET /api/v2/organizations?ids=…`."""
        return await self._by_ids("/organizations", parse.organization, ids, include_fields)

    async def list_organizations(
        self, filters: Filters | None = None, *, limit: int = 100, cursor: str | None = None
    ) -> CursorPage[OrganizationRecord]:
        """`GET /api/v2/organizations`."""
        return await self._list("/organizations", parse.organization, filters, limit, cursor)

    async def get_organization(
        self, org_id: int, include_fields: Sequence[str] = ()
    ) -> OrganizationRecord:
        """`GET /api/v2/organizations/{id}`."""
        params = _get_params(include_fields)
        envelope = await self._request("GET", f"/organizations/{org_id}", params)
        return _one(envelope, parse.organization)

    async def search_organizations(
        self,
        term: str,
        *,
        limit: int = 100,
        cursor: str | None = None,
        filters: Filters | None = None,
    ) -> CursorPage[SearchHit]:
        """`GET /api/v2/organizations/search`."""
        return await self._search("/organizations/search", term, limit, cursor, filters)

    async def add_organization(self, data: OrganizationInput) -> OrganizationRecord:
        """`POST /api/v2/organizations`."""
        envelope = await self._request("POST", "/organizations", json=request_body(data))
        return _one(envelope, parse.organization)

    async def update_organization(self, org_id: int, data: OrganizationInput) -> OrganizationRecord:
        """`PATCH /api/v2/organizations/{id}`."""
        path = f"/organizations/{org_id}"
        envelope = await self._request("PATCH", path, json=request_body(data))
        return _one(envelope, parse.organization)

    async def delete_organization(self, org_id: int) -> int:
        """`DELETE /api/v2/organizations/{id}` (marks it deleted; 3 tokens); the deleted id."""
        return await self._delete(f"/organizations/{org_id}")

    async def activities_by_ids(
        self, ids: Sequence[int], include_fields: Sequence[str] = ()
    ) -> tuple[ActivityRecord, ...]:
        """`GET /api/v2/activities?ids=…`."""
        return await self._by_ids("/activities", parse.activity, ids, include_fields)

    async def list_activities(
        self, filters: Filters | None = None, *, limit: int = 100, cursor: str | None = None
    ) -> CursorPage[ActivityRecord]:
        """`GET /api/v2/activities` (`person_id` = primary participant, `done`, …)."""
        return await self._list("/activities", parse.activity, filters, limit, cursor)

    async def get_activity(
        self, activity_id: int, include_fields: Sequence[str] = ()
    ) -> ActivityRecord:
        """`GET /api/v2/activities/{id}`."""
        envelope = await self._request(
            "GET", f"/activities/{activity_id}", _get_params(include_fields)
        )
        return _one(envelope, parse.activity)

    async def add_activity(self, data: ActivityInput) -> ActivityRecord:
        """`POST /api/v2/activities`."""
        envelope = await self._request("POST", "/activities", json=request_body(data))
        return _one(envelope, parse.activity)

    async def update_activity(self, activity_id: int, data: ActivityInput) -> ActivityRecord:
        """`PATCH /api/v2/activities/{id}`."""
        path = f"/activities/{activity_id}"
        envelope = await self._request("PATCH", path, json=request_body(data))
        return _one(envelope, parse.activity)

    async def delete_activity(self, activity_id: int) -> int:
        """`DELETE /api/v2/activities/{id}` (marks it deleted; 3 tokens); the deleted id."""
        return await self._delete(f"/activities/{activity_id}")

    # -- pipelines, stages, users (reference data) --------------------------------------------
    async def list_pipelines(self) -> tuple[PipelineRecord, ...]:
        """Every pipeline, all pages of `GET /api/v2/pipelines`."""
        return await self._all("/pipelines", parse.pipeline)

    async def get_pipeline(self, pipeline_id: int) -> PipelineRecord:
        """`GET /api/v2/pipelines/{id}`."""
        return _one(await self._request("GET", f"/pipelines/{pipeline_id}"), parse.pipeline)

    async def list_stages(self, pipeline_id: int | None = None) -> tuple[StageRecord, ...]:
        """Every stage (of one pipeline if given), all pages of `GET /api/v2/stages`."""
        filters: Filters | None = {"pipeline_id": pipeline_id} if pipeline_id is not None else None
        return await self._all("/stages", parse.stage, filters)

    async def get_stage(self, stage_id: int) -> StageRecord:
        """`GET /api/v2/stages/{id}`."""
        return _one(await self._request("GET", f"/stages/{stage_id}"), parse.stage)

    async def list_users(self) -> tuple[UserRecord, ...]:
        """`GET /api/v1/users` (all users; the endpoint has no paging)."""
        envelope = await self._request("GET", "/users", version="v1")
        return _items(envelope, self._each(parse.user))

    async def get_user(self, user_id: int) -> UserRecord:
        """`GET /api/v1/users/{id}`."""
        return _one(await self._request("GET", f"/users/{user_id}", version="v1"), parse.user)

    async def get_current_user(self) -> UserRecord:
        """`GET /api/v1/users/me`: the credential's own user (2 tokens; the readiness probe)."""
        return _one(await self._request("GET", "/users/me", version="v1"), parse.me)

    async def conversion_statistics(
        self, pipeline_id: int, start_date: str, end_date: str, *, user_id: int | None = None
    ) -> conversion.ConversionStatistics:
        """`GET /api/v1/pipelines/{id}/conversion_statistics` for a period (40 tokens)."""
        params: dict[str, ParamValue] = {"start_date": start_date, "end_date": end_date}
        if user_id is not None:
            params["user_id"] = user_id
        path = f"/pipelines/{pipeline_id}/conversion_statistics"
        envelope = await self._request("GET", path, params, version="v1")
        return conversion.conversion_statistics(envelope.data)

    # -- custom field definitions -------------------------------------------------------------
    async def list_custom_fields(self, entity: Entity) -> tuple[FieldDefinition, ...]:
        """The account's custom fields of `entity`: all pages of `GET /api/v2/{entity}Fields`."""
        fields = await self._all(FIELD_PATHS[entity], parse_definition)
        return tuple(f for f in fields if f is not None)

    # -- notes and mail (v1) ------------------------------------------------------------------
    async def list_notes(
        self, filters: Filters | None = None, *, start: int = 0, limit: int = 100
    ) -> OffsetPage[NoteRecord]:
        """`GET /api/v1/notes` (`deal_id`, `person_id`, `org_id`, `sort`, …) by offset."""
        params: dict[str, ParamValue] = {**(filters or {}), "start": start, "limit": limit}
        envelope = await self._request("GET", "/notes", params, version="v1")
        return _offset_page(envelope, self._each(parse.note), start)

    async def list_note_rows(
        self, filters: Filters | None = None, *, limit: int, cursor: str | None = None
    ) -> CursorPage[parse.Json]:
        """`GET /api/v1/notes` as a cursor list of rows as sent (`list_rows` for v1 notes):
        the cursor is the offset of the next page, as `next_start` gives it."""
        start = int(cursor) if cursor else 0
        params: dict[str, ParamValue] = {**(filters or {}), "start": start, "limit": limit}
        envelope = await self._request("GET", "/notes", params, version="v1")
        page = _offset_page(envelope, _as_sent, start)
        return CursorPage(page.items, None if page.next_start is None else str(page.next_start))

    async def get_note(self, note_id: int) -> NoteRecord:
        """`GET /api/v1/notes/{id}`."""
        return _one(await self._request("GET", f"/notes/{note_id}", version="v1"), parse.note)

    async def add_note(self, data: NoteInput) -> NoteRecord:
        """`POST /api/v1/notes` (pin flags sent as 0/1)."""
        envelope = await self._request("POST", "/notes", json=request_body(data), version="v1")
        return _one(envelope, parse.note)

    async def update_note(self, note_id: int, data: NoteInput) -> NoteRecord:
        """`PUT /api/v1/notes/{id}`."""
        body = request_body(data)
        envelope = await self._request("PUT", f"/notes/{note_id}", json=body, version="v1")
        return _one(envelope, parse.note)

    async def delete_note(self, note_id: int) -> int:
        """`DELETE /api/v1/notes/{id}` (6 tokens); v1 answers `data: true`, so the id is ours."""
        envelope = await self._request("DELETE", f"/notes/{note_id}", version="v1")
        if envelope.data is not True:
            raise parse.ParseError("upstream answered a note delete without success")
        return note_id

    async def get_mail_message(self, message_id: int) -> MailMessageRecord:
        """`GET /api/v1/mailbox/mailMessages/{id}?include_body=1`."""
        path = f"/mailbox/mailMessages/{message_id}"
        envelope = await self._request("GET", path, {"include_body": 1}, version="v1")
        return _one(envelope, parse.mail_message)

    async def get_mail_thread(self, thread_id: int) -> MailThreadRecord:
        """`GET /api/v1/mailbox/mailThreads/{id}` (20 tokens): the deal and parties of a thread."""
        envelope = await self._request("GET", f"/mailbox/mailThreads/{thread_id}", version="v1")
        return _one(envelope, parse.mail_thread)

    async def list_mail_messages(
        self,
        parent_kind: ParentKind,
        parent_id: int,
        *,
        start: int = 0,
        limit: int = 100,
        include_body: bool = False,
    ) -> OffsetPage[MailMessageRecord]:
        """`GET /api/v1/{deals|persons|organizations}/{id}/mailMessages` by offset.

        `body` comes only with `include_body=1`; without it every message's body is None.
        """
        path = f"{_MAIL_PARENT_PATHS[parent_kind]}/{parent_id}/mailMessages"
        params: dict[str, ParamValue] = {"start": start, "limit": limit}
        if include_body:
            params["include_body"] = 1
        envelope = await self._request("GET", path, params, version="v1")

        def parser(obj: dict[str, Any]) -> MailMessageRecord:
            return parse.mail_list_item(obj, parent=(parent_kind, parent_id))

        return _offset_page(envelope, self._each(parser), start)
