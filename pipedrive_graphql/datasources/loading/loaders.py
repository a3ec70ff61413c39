"""Per-request loaders: by-id batching, list windows, reference lists, clearing for mutations."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeGuard, TypeVar

from pipedrive_graphql.datasources.loading.batching import (
    HasId,
    Loader,
    Outcome,
    ReferenceList,
    loader,
    match_by_id,
    single_gets,
)
from pipedrive_graphql.datasources.loading.custom_fields import CustomFieldDefinitions
from pipedrive_graphql.datasources.loading.lists import (
    Collection,
    CursorPaging,
    OffsetPaging,
    WindowBatcher,
)
from pipedrive_graphql.datasources.loading.planner import ListKey, plan_by_ids
from pipedrive_graphql.datasources.loading.windows import window
from pipedrive_graphql.datasources.pipedrive import costs, parse
from pipedrive_graphql.datasources.pipedrive.client import Filters, ParentKind, PipedriveClient
from pipedrive_graphql.datasources.pipedrive.extras import NO_EXTRAS, UpstreamExtras
from pipedrive_graphql.datasources.pipedrive.parse import Json
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
from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.settings import Settings

R = TypeVar("R", bound=HasId)
T = TypeVar("T")


# Search parameters besides the term (`exact_match`, `fields`) as sorted name/value pairs.
SearchOptions = tuple[tuple[str, str], ...]


def _batchable(record: PersonRecord | OrganizationRecord | ActivityRecord) -> bool:
    """Whether a single GET's record is one an `ids=` batch would return too.

    v2 `ids=` on persons, organizations and activities leaves deleted records out and has no
    parameter to ask for them (deals have `status=deleted`), while a single GET returns them
    (`is_deleted: true`, kept 30 days). Dropping them from single GETs too gives one answer for
    one id or a hundred, with no extra call.
    """
    return not record.is_deleted


@dataclass(frozen=True, slots=True)
class MailKey:
    """A window of the mail messages of one deal, person or organization."""

    parent_kind: ParentKind
    parent_id: int
    start: int = 0
    limit: int = 100


def _list_call(
    method: Callable[..., Awaitable[CursorPage[T]]],
    include_fields: Callable[[], tuple[str, ...]] = tuple,
) -> Callable[[Filters | None, int, str | None], Awaitable[CursorPage[T]]]:
    """A list call that adds the request's `include_fields` (they never change which rows)."""

    def call(filters: Filters | None, limit: int, cursor: str | None) -> Awaitable[CursorPage[T]]:
        extra = include_fields()
        if extra:
            filters = {**(filters or {}), "include_fields": ",".join(extra)}
        return method(filters, limit=limit, cursor=cursor)

    return call


class Loaders:
    """Everything a GraphQL request loads from Pipedrive, batched and cached for that request."""

    def __init__(
        self,
        client: PipedriveClient,
        settings: Settings,
        *,
        memory: UpstreamMemory,
        concurrency: int = 8,
    ) -> None:
        self.client = client
        self.stats = client.stats
        self.batching = settings.batching
        self.memory = memory
        self._gets = asyncio.Semaphore(concurrency)
        self._ttl = settings.reference_cache_ttl
        # Set once per request before execution, from the operation's selection.
        self.extras: UpstreamExtras = NO_EXTRAS
        self._custom_fields_refresh = settings.custom_fields_refresh_interval
        # the batcher behind each v2 list loader built, by the loader's id (`probe_scan`)
        self._window_batchers: dict[int, WindowBatcher[Any]] = {}

    # Loaders are built on first use: most requests touch a few of them, and a trivial query
    # none, so building all fifteen up front would be a fixed cost on every request.
    @cached_property
    def _pipelines(self) -> ReferenceList[PipelineRecord]:
        return self._reference("pipelines", self.client.list_pipelines)

    @cached_property
    def _stages(self) -> ReferenceList[StageRecord]:
        return self._reference("stages", self.client.list_stages)

    @cached_property
    def _users(self) -> ReferenceList[UserRecord]:
        return self._reference("users", self.client.list_users)

    @cached_property
    def _reference_lists(self) -> dict[str, ReferenceList[Any]]:
        return {"users": self._users, "stages": self._stages, "pipelines": self._pipelines}

    def known_reference_sizes(self) -> dict[str, int]:
        """The lengths of the reference lists ("users", "stages", "pipelines") at hand without
        a call (this request, the process memory): what the cost estimate counts their
        objects as."""
        sizes: dict[str, int] = {}
        for kind, reference in self._reference_lists.items():
            known = reference.known()
            if known is not None:
                sizes[kind] = len(known)
        return sizes

    async def reference_size(self, kind: str) -> int | None:
        """How many records the reference list `kind` holds, read as the resolvers read it
        (memory, else one call, kept for them); None when `kind` is none of the three or the
        read fails (the resolvers report that their way)."""
        chosen = self._reference_lists.get(kind)
        if chosen is None:
            return None
        try:
            return len(await chosen.get())
        except Exception:  # the operation's own read fails the same way, and reports it
            return None

    async def probe_scan(self, loader: object, key: object, parents: int) -> int | None:
        """Read, for this request, the collection a level of `parents` lists of `loader` like
        `key` would scan (`WindowBatcher.probe`): the pages read; None when `loader` is not a
        v2 list loader of this request or no scan is read."""
        batcher = self._window_batchers.get(id(loader))
        if batcher is None or not isinstance(key, ListKey):
            return None
        return await batcher.probe(key, parents)

    @cached_property
    def custom_fields(self) -> CustomFieldDefinitions:
        """The credential's custom field definitions per entity (process memory, TTL)."""
        return CustomFieldDefinitions(
            self.client.list_custom_fields,
            memory=self.memory,
            credential_key=self.client.credential_key,
            ttl=self._ttl,
            stats=self.stats,
            refresh_interval=self._custom_fields_refresh,
        )

    @cached_property
    def person_by_id(self) -> Loader[int, PersonRecord | None]:
        """Persons by id, batched with `ids=`; a deleted person is None (see `_batchable`)."""
        return self._by_ids(
            "persons", self.client.persons_by_ids, self.client.get_person, _batchable
        )

    @cached_property
    def deal_by_id(self) -> Loader[int, DealRecord | None]:
        """Deals by id, batched with `ids=` (archived ones from `/deals/archived?ids=`)."""
        return self._by_ids("deals", self.client.deals_by_ids, self.client.get_deal)

    @cached_property
    def organization_by_id(self) -> Loader[int, OrganizationRecord | None]:
        """Organizations by id, batched with `ids=`; a deleted one is None (`_batchable`)."""
        return self._by_ids(
            "organizations",
            self.client.organizations_by_ids,
            self.client.get_organization,
            _batchable,
        )

    @cached_property
    def activity_by_id(self) -> Loader[int, ActivityRecord | None]:
        """Activities by id, batched with `ids=`; a deleted one is None (`_batchable`)."""
        return self._by_ids(
            "activities", self.client.activities_by_ids, self.client.get_activity, _batchable
        )

    @cached_property
    def note_by_id(self) -> Loader[int, NoteRecord | None]:
        """Notes by id: single GETs with bounded concurrency (v1 has no batch)."""
        return self._gets_of(self.client.get_note)

    @cached_property
    def mail_message_by_id(self) -> Loader[int, MailMessageRecord | None]:
        """Mail messages by id: single GETs with bounded concurrency."""
        return self._gets_of(self.client.get_mail_message)

    @cached_property
    def mail_thread_by_id(self) -> Loader[int, MailThreadRecord | None]:
        """Mail threads by id (a message's deal and organization): single GETs, de-duplicated."""
        return self._gets_of(self.client.get_mail_thread)

    @cached_property
    def pipeline_by_id(self) -> Loader[int, PipelineRecord | None]:
        """Pipelines by id, from the whole list (or a few single GETs when cheaper)."""
        return self._reference_by_id(
            self._pipelines,
            self.client.get_pipeline,
            costs.V2_REFERENCE_LIST,
            costs.V2_REFERENCE_GET,
        )

    @cached_property
    def stage_by_id(self) -> Loader[int, StageRecord | None]:
        """Stages by id, from the whole list (or a few single GETs when cheaper)."""
        return self._reference_by_id(
            self._stages, self.client.get_stage, costs.V2_REFERENCE_LIST, costs.V2_REFERENCE_GET
        )

    @cached_property
    def user_by_id(self) -> Loader[int, UserRecord | None]:
        """Users by id, from the whole list (or a few single GETs when cheaper)."""
        return self._reference_by_id(
            self._users, self.client.get_user, costs.V1_USERS_LIST, costs.V1_USER_GET
        )

    @cached_property
    def persons_where(self) -> Loader[ListKey, OffsetPage[PersonRecord]]:
        """Windows of filtered person lists."""
        return self._windows(
            "/persons",
            self.client.list_persons,
            parse.person,
            ("org_id", "owner_id"),
            self.person_by_id,
        )

    @cached_property
    def deals_where(self) -> Loader[ListKey, OffsetPage[DealRecord]]:
        """Windows of filtered deal lists."""
        return self._windows(
            "/deals",
            self.client.list_deals,
            parse.deal,
            ("person_id", "org_id", "stage_id", "pipeline_id", "owner_id"),
            self.deal_by_id,
        )

    @cached_property
    def archived_deals_where(self) -> Loader[ListKey, OffsetPage[DealRecord]]:
        """Windows of filtered lists of archived deals (`GET /api/v2/deals/archived`)."""
        return self._windows(
            "/deals/archived",
            self.client.list_archived_deals,
            parse.deal,
            ("person_id", "org_id", "stage_id", "pipeline_id", "owner_id"),
            self.deal_by_id,
        )

    @cached_property
    def activities_where(self) -> Loader[ListKey, OffsetPage[ActivityRecord]]:
        """Windows of filtered activity lists."""
        return self._windows(
            "/activities",
            self.client.list_activities,
            parse.activity,
            ("person_id", "deal_id", "org_id", "owner_id"),
            self.activity_by_id,
        )

    @cached_property
    def organizations_where(self) -> Loader[ListKey, OffsetPage[OrganizationRecord]]:
        """Windows of filtered organization lists."""
        return self._windows(
            "/organizations",
            self.client.list_organizations,
            parse.organization,
            ("owner_id",),
            self.organization_by_id,
        )

    @cached_property
    def notes_where(self) -> Loader[ListKey, OffsetPage[NoteRecord]]:
        """Windows of filtered note lists (v1 offsets): a level's notes by deal, person or
        organization are read with one scan of the account's notes when that is cheaper, as
        the v2 lists are."""

        def window(
            filters: Filters | None, start: int, limit: int
        ) -> Awaitable[OffsetPage[NoteRecord]]:
            return self.client.list_notes(filters, start=start, limit=limit)

        def rows(
            filters: Filters | None, limit: int, cursor: str | None
        ) -> Awaitable[CursorPage[Json]]:
            return self.client.list_note_rows(filters, limit=limit, cursor=cursor)

        def parse_row(row: Json) -> NoteRecord | None:
            return self.client.parse_row(parse.note, row)

        collection = Collection(
            "/notes",
            OffsetPaging(window),
            ("deal_id", "person_id", "org_id"),
            self.note_by_id,
            rows,
            parse_row,
        )
        return self._batched(collection)

    @cached_property
    def mail_messages_of(self) -> Loader[MailKey, OffsetPage[MailMessageRecord]]:
        """Windows of the mail messages of a deal, person or organization."""
        return loader(self._mail)

    # -- builders -----------------------------------------------------------------------------
    def _reference(
        self, kind: str, fetch: Callable[[], Awaitable[tuple[R, ...]]]
    ) -> ReferenceList[R]:
        return ReferenceList(
            kind,
            fetch,
            memory=self.memory,
            credential_key=self.client.credential_key,
            ttl=self._ttl,
            stats=self.stats,
        )

    def _by_ids(
        self,
        collection: str,
        by_ids: Callable[[Sequence[int], Sequence[str]], Awaitable[tuple[R, ...]]],
        get: Callable[[int, Sequence[str]], Awaitable[R]],
        served: Callable[[R], bool] = lambda _: True,
    ) -> Loader[int, R | None]:
        async def get_one(key: int) -> R | None:
            record = await get(key, self.extras.fields_of(collection))
            return record if served(record) else None

        async def load(keys: list[int]) -> list[Outcome[R | None]]:
            plan = plan_by_ids(len(keys), list_tokens=costs.V2_LIST, get_tokens=costs.V2_GET)
            if not self.batching or plan == "gets":
                if self.batching:
                    self.stats.note(f"{collection}: {len(keys)} single GET(s) instead of ids=")
                return await single_gets(keys, get_one, self._gets)
            return list(match_by_id(keys, await by_ids(keys, self.extras.fields_of(collection))))

        return loader(load)

    def _gets_of(self, get: Callable[[int], Awaitable[R]]) -> Loader[int, R | None]:
        async def load(keys: list[int]) -> list[Outcome[R | None]]:
            return await single_gets(keys, get, self._gets)

        return loader(load)

    def _reference_by_id(
        self,
        reference: ReferenceList[R],
        get: Callable[[int], Awaitable[R]],
        list_tokens: int,
        get_tokens: int,
    ) -> Loader[int, R | None]:
        async def load(keys: list[int]) -> list[Outcome[R | None]]:
            if not self.batching:
                return await single_gets(keys, get, self._gets)
            known = await reference.cached()
            if known is None:
                cached = await reference.known_records(keys)
                missing = [key for key in keys if key not in cached]
                self.stats.cache_hits += len(cached)
                plan = plan_by_ids(len(missing), list_tokens=list_tokens, get_tokens=get_tokens)
                if plan == "gets":
                    if missing:
                        self.stats.note(
                            f"{reference.kind}: {len(missing)} single GET(s) "
                            "instead of the whole list"
                        )
                    fetched = await single_gets(missing, get, self._gets)
                    reference.remember_records(
                        [(k, r) for k, r in zip(missing, fetched, strict=True) if _is_record(r)]
                    )
                    by_key = dict(zip(missing, fetched, strict=True))
                    return [cached[key] if key in cached else by_key[key] for key in keys]
            return list(match_by_id(keys, await reference.get()))

        return loader(load)

    def _windows(
        self,
        path: str,
        method: Callable[..., Awaitable[CursorPage[R]]],
        parser: Callable[[Json], R],
        parent_fields: tuple[str, ...],
        by_id: Loader[int, R | None],
    ) -> Loader[ListKey, OffsetPage[R]]:
        collection = path.strip("/").split("/")[0]

        def include_fields() -> tuple[str, ...]:
            return self.extras.fields_of(collection)

        def parse_row(row: Json) -> R | None:
            return self.client.parse_row(parser, row)

        rows = functools.partial(self.client.list_rows, path)
        return self._batched(
            Collection(
                path,
                CursorPaging(_list_call(method, include_fields)),
                parent_fields,
                by_id,
                _list_call(rows, include_fields),
                parse_row,
            )
        )

    def _batched(self, collection: Collection[R]) -> Loader[ListKey, OffsetPage[R]]:
        batcher = WindowBatcher(
            collection,
            memory=self.memory,
            credential_key=self.client.credential_key,
            stats=self.stats,
            plan=self.batching,
        )
        built = loader(batcher.load)
        self._window_batchers[id(built)] = batcher
        return built

    async def _mail(self, keys: list[MailKey]) -> list[Outcome[OffsetPage[MailMessageRecord]]]:
        async def one(key: MailKey) -> OffsetPage[MailMessageRecord]:
            page = await self.client.list_mail_messages(
                key.parent_kind,
                key.parent_id,
                start=key.start,
                limit=key.limit,
                include_body=self.extras.mail_body,
            )
            for message in page.items:
                if self.extras.mail_body:  # a message without its body must not serve a GET
                    self.mail_message_by_id.prime(message.id, message)
            return page

        return list(await asyncio.gather(*(one(k) for k in keys), return_exceptions=True))

    # -- reference lists and search -----------------------------------------------------------
    async def all_pipelines(self) -> tuple[PipelineRecord, ...]:
        """Every pipeline (one call per request at most; cached per credential with a TTL)."""
        return await self._pipelines.get()

    async def all_stages(self) -> tuple[StageRecord, ...]:
        """Every stage of every pipeline."""
        return await self._stages.get()

    async def stages_of(self, pipeline_id: int | None) -> tuple[StageRecord, ...]:
        """The stages of one pipeline (all stages for None), ordered by `order_nr`."""
        stages = await self._stages.get()
        chosen = [s for s in stages if pipeline_id is None or s.pipeline_id == pipeline_id]
        return tuple(sorted(chosen, key=lambda s: (s.pipeline_id, s.order_nr, s.id)))

    async def all_users(self) -> tuple[UserRecord, ...]:
        """Every user of the company."""
        return await self._users.get()

    async def search_persons(
        self, term: str, start: int, limit: int, options: SearchOptions = ()
    ) -> OffsetPage[SearchHit]:
        """A window of person search hits (hydrate them with `person_by_id.load_many`)."""
        method = self.client.search_persons
        return await self._search("/persons/search", method, term, start, limit, options)

    async def search_deals(
        self, term: str, start: int, limit: int, options: SearchOptions = ()
    ) -> OffsetPage[SearchHit]:
        """A window of deal search hits (hydrate them with `deal_by_id.load_many`)."""
        method = self.client.search_deals
        return await self._search("/deals/search", method, term, start, limit, options)

    async def search_organizations(
        self, term: str, start: int, limit: int, options: SearchOptions = ()
    ) -> OffsetPage[SearchHit]:
        """A window of organization hits (hydrate them with `organization_by_id.load_many`)."""
        method = self.client.search_organizations
        return await self._search("/organizations/search", method, term, start, limit, options)

    async def _search(
        self,
        path: str,
        method: Callable[..., Awaitable[CursorPage[SearchHit]]],
        term: str,
        start: int,
        limit: int,
        options: SearchOptions,
    ) -> OffsetPage[SearchHit]:
        params = dict(options)

        def fetch(cursor: str | None, size: int) -> Awaitable[CursorPage[SearchHit]]:
            return method(term, limit=size, cursor=cursor, filters=params)

        scope = (self.client.credential_key, path, (("term", term), *options))
        return await window(fetch, self.memory, scope, start, limit, self.stats)

    def release(self) -> None:
        """Forget everything this request loaded, once its answer is made.

        The loaders and the closures their batch functions keep form reference cycles, so what
        their caches hold (every record, page and future of the request: about 2,000 objects for
        50 persons with their deals and activities) would otherwise wait for the cyclic garbage
        collector, whose young-generation pass over them cost about 1 ms per such request
        (measured in process with the server's collector thresholds). Emptied here, they are
        freed as soon as the answer is sent; a load after this fetches again.
        """
        for built in vars(self).values():
            if isinstance(built, Loader):
                built.clear_all()
        for batcher in self._window_batchers.values():
            batcher.release()

    # -- mutations ----------------------------------------------------------------------------
    def clear_person(self, person_id: int) -> None:
        """Forget a person and every person list of this request."""
        self.person_by_id.clear(person_id)
        self.persons_where.clear_all()

    def clear_deal(self, deal_id: int) -> None:
        """Forget a deal and every deal list (a deal moves between persons, stages, …)."""
        self.deal_by_id.clear(deal_id)
        self.deals_where.clear_all()
        self.archived_deals_where.clear_all()

    def clear_note(self, note_id: int) -> None:
        """Forget a note and every note list."""
        self.note_by_id.clear(note_id)
        self.notes_where.clear_all()

    def clear_organization(self, org_id: int) -> None:
        """Forget an organization and every organization list."""
        self.organization_by_id.clear(org_id)
        self.organizations_where.clear_all()

    def clear_activity(self, activity_id: int) -> None:
        """Forget an activity and every activity list."""
        self.activity_by_id.clear(activity_id)
        self.activities_where.clear_all()


def _is_record(value: Outcome[R | None]) -> TypeGuard[R]:
    return value is not None and not isinstance(value, BaseException)
