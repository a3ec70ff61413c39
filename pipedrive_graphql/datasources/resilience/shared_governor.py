"""One credential's rate governor for every replica: the windows and pauses live in Redis.

Each decision is one Lua script run atomically by Redis on its own clock, so replicas never
read-modify-write the windows from Python. The in-process governor it inherits from keeps
learning from every answer (its own calls and the `x-ratelimit-remaining` of the others) and is
consulted before Redis: while Redis is unreachable the replica paces alone with it, warm, and
a Redis that comes back empty cannot let it burst into a window Pipedrive still counts.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis

from pipedrive_graphql.datasources.resilience.governor import (
    IN_FLIGHT_HOLD,
    WINDOW_SECONDS,
    RateGovernor,
    Sleep,
    Slot,
    daily_exhausted,
)
from pipedrive_graphql.datasources.state.redis_link import RedisLink

# KEYS: every slot, search slots, state hash. ARGV: search, default limit, search limit, slot id,
# in-flight hold, window, probe interval, pacing. Scores are expiry times on Redis's clock.
# Answers {verdict, seconds} with seconds as a string (Lua numbers reach the client as integers).
REPLICA_COUNT_INTERVAL = 10.0  # seconds between counts of the replicas sharing Redis

_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local st = redis.call('HMGET', KEYS[3], 'limit', 'paused', 'daily', 'probe')
local limit = tonumber(st[1]) or tonumber(ARGV[2])
local expiry = now + tonumber(ARGV[5]) + tonumber(ARGV[6])
local function take()
  redis.call('ZADD', KEYS[1], expiry, ARGV[4])
  if ARGV[1] == '1' then redis.call('ZADD', KEYS[2], expiry, ARGV[4]) end
  for i = 1, 3 do redis.call('EXPIRE', KEYS[i], 86400) end
end
local daily = tonumber(st[3]) or 0
if daily > now then
  local probe = tonumber(st[4]) or 0
  if probe > now then return {'daily', tostring(math.min(daily, probe) - now)} end
  redis.call('HSET', KEYS[3], 'probe', tostring(now + tonumber(ARGV[7])))
  redis.call('HINCRBY', KEYS[3], 'probes', 1)
  take()
  return {'probe', '0'}
end
local paused = tonumber(st[2]) or 0
if paused > now then return {'wait', tostring(paused - now)} end
if ARGV[8] == '0' then take() return {'ok', '0'} end
local function room(key, cap)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  local active = redis.call('ZCARD', key)
  if active < cap then return 0 end
  local e = redis.call('ZRANGE', key, active - cap, active - cap, 'WITHSCORES')
  return math.max(tonumber(e[2]) - now, 0.001)
end
local wait = room(KEYS[1], limit)
if ARGV[1] == '1' then wait = math.max(wait, room(KEYS[2], tonumber(ARGV[3]))) end
if wait > 0 then return {'wait', tostring(wait)} end
take()
return {'ok', '0'}
"""

# KEYS: every slot, search slots. ARGV: slot id, window. The answer came: age out from now on,
# never later than the expiry the slot already has.
_RELEASE = """
local t = redis.call('TIME')
local expiry = tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', 'LT', expiry, ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', 'LT', expiry, ARGV[1])
"""

# KEYS: every slot, search slots, state hash. ARGV: search, limit or '', remaining or '', reset,
# window, default limit, search limit. Learns the limit; traffic by other clients of the same
# credential (remaining below what the shared window explains) becomes phantom slots, ageing out
# one by one between the reset and the window's end (see `phantom_expiry`).
_OBSERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
if tonumber(redis.call('HGET', KEYS[3], 'daily') or '0') > now then
  redis.call('HSET', KEYS[3], 'daily', '0')
end
if ARGV[2] ~= '' and ARGV[1] == '0' then redis.call('HSET', KEYS[3], 'limit', ARGV[2]) end
if ARGV[3] == '' then return 0 end
redis.call('HSET', KEYS[3], 'remaining', ARGV[3])
local key = KEYS[1]
local cap = tonumber(redis.call('HGET', KEYS[3], 'limit') or ARGV[6])
if ARGV[1] == '1' then key = KEYS[2] cap = tonumber(ARGV[7]) end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
local extra = cap - redis.call('ZCARD', key) - tonumber(ARGV[3])
local first = math.min(tonumber(ARGV[4]), tonumber(ARGV[5]))
for i = 1, extra do
  local expiry = now + first + (tonumber(ARGV[5]) - first) * (i - 1) / extra
  local id = 'phantom:' .. tostring(now) .. ':' .. i
  redis.call('ZADD', KEYS[1], expiry, id)
  if ARGV[1] == '1' then redis.call('ZADD', KEYS[2], expiry, id) end
end
return extra
"""

# KEYS: state hash. ARGV: field, seconds from now, probe interval ('' when not daily).
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local until_ = now + tonumber(ARGV[2])
if until_ > tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') then
  redis.call('HSET', KEYS[1], ARGV[1], tostring(until_))
end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'probe', tostring(now + tonumber(ARGV[3]))) end
redis.call('EXPIRE', KEYS[1], 86400)
"""


class SharedRateGovernor(RateGovernor):
    """A `RateGovernor` whose windows, pauses and daily state every replica shares."""

    def __init__(
        self,
        limit: int,
        *,
        link: RedisLink,
        credential_key: str,
        clock: Callable[[], float],
        sleep: Sleep,
        probe_interval: float,
    ) -> None:
        super().__init__(limit, clock=clock, sleep=sleep, probe_interval=probe_interval)
        self._link = link
        self._default_limit = limit
        base = link.key("gov", credential_key)
        self._keys = [base + ":all", base + ":search", base + ":state"]
        self._acquire_lua = link.script(_ACQUIRE)
        self._release_lua = link.script(_RELEASE)
        self._observe_lua = link.script(_OBSERVE)
        self._pause_lua = link.script(_PAUSE)
        self._last: asyncio.Task[object] | None = None
        # replicas subscribed to the invalidation channel, counted while Redis answers: each
        # paces to its share of the windows while Redis is down (none knows the others' calls)
        self._replicas = 1
        self._replicas_counted_at = -math.inf

    async def acquire(self, *, search: bool, deadline: float | None) -> Slot:
        """Wait for room in the shared windows (the local ones while Redis is down)."""
        async with self._queues[search]:
            while True:
                # The local windows learn from every answer while Redis is up, so they are warm
                # when it fails, and they hold this replica back when Redis forgot the shared
                # ones (a restart without persistence empties them while calls are in flight).
                local_wait = self._wait(self._clock(), search)
                if local_wait > 0:
                    self.check_deadline(self._clock(), local_wait, deadline)
                    await self._sleep(local_wait)
                    continue
                await self._count_replicas()
                slot_id = uuid.uuid4().hex
                verdict = await self._link.run(self._acquire_call(search, slot_id))
                if verdict is None:
                    self.share = self._replicas
                    return await self.acquire_here(search=search, deadline=deadline)
                self.share = 1
                kind, seconds = str(verdict[0]), float(verdict[1])
                now = self._clock()
                self._follow_daily(now, kind, seconds)
                if kind in {"ok", "probe"}:
                    expires = now + IN_FLIGHT_HOLD + WINDOW_SECONDS
                    slot = Slot(search, expires, probe=kind == "probe", shared_id=slot_id)
                    self._slots.append(slot)  # kept warm for an outage
                    self.daily_probes += kind == "probe"
                    return slot
                if kind == "daily":
                    raise daily_exhausted(seconds)
                self.check_deadline(now, seconds, deadline)
                await self._sleep(seconds)

    async def _count_replicas(self) -> None:
        now = self._clock()
        if now - self._replicas_counted_at < REPLICA_COUNT_INTERVAL or not self._link.healthy:
            return
        self._replicas_counted_at = now
        channel = self._link.channel
        counts = await self._link.run(lambda r: r.pubsub_numsub(channel))
        if counts:
            self._replicas = max(1, int(counts[0][1]))

    def _follow_daily(self, now: float, kind: str, seconds: float) -> None:
        # the local state mirrors the shared one: for metrics, and for an outage of Redis
        if kind == "daily":
            self._daily_until = max(self._daily_until, now + seconds)
            self._next_probe = max(self._next_probe, now + seconds)
        elif kind == "ok":
            self._daily_until = 0.0

    def release(self, slot: Slot) -> None:
        """The answer arrived: the slot ages out of the shared window from now on."""
        super().release(slot)
        if slot.shared_id is not None:
            args = [slot.shared_id, str(WINDOW_SECONDS)]
            self._later(lambda r: self._release_lua(self._keys[:2], args, r))

    def observe(self, search: bool, limit: int | None, remaining: int | None, reset: float) -> None:
        """Learn from `x-ratelimit-*` here and in the shared state."""
        super().observe(search, limit, remaining, reset)
        args = [
            "1" if search else "0",
            "" if limit is None else str(limit),
            "" if remaining is None else str(remaining),
            str(reset),
            str(WINDOW_SECONDS),
            str(self._default_limit),
            str(self.search_limit),
        ]
        self._later(lambda r: self._observe_lua(self._keys, args, r))

    def pause(self, seconds: float) -> None:
        """A burst 429: every replica holds this credential's calls for `seconds`."""
        super().pause(seconds)
        self._spawn_pause("paused", seconds, "")

    def exhaust_daily(self, seconds: float) -> None:
        """The daily budget is spent: every replica fails fast, probing once per interval."""
        super().exhaust_daily(seconds)
        self._spawn_pause("daily", seconds, str(self.probe_interval))

    def _later(self, operation: Callable[[Redis], Awaitable[Any]]) -> None:
        # in the order this replica learnt things: a daily 429's observe, then its exhaustion
        self._last = self._link.spawn(operation, after=self._last)

    def _spawn_pause(self, name: str, seconds: float, probe: str) -> None:
        args = [name, str(seconds), probe]
        self._later(lambda r: self._pause_lua(self._keys[2:], args, r))

    def _acquire_call(self, search: bool, slot_id: str) -> Callable[[Redis], Awaitable[Any]]:
        args = [
            "1" if search else "0",
            str(self.limit),
            str(self.search_limit),
            slot_id,
            str(IN_FLIGHT_HOLD),
            str(WINDOW_SECONDS),
            str(self.probe_interval),
            "1" if self.pacing else "0",
        ]
        return lambda r: self._acquire_lua(self._keys, args, r)
