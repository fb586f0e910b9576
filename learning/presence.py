"""Who is learning right now. Presence is the learner's open socket (DESIGN §4): nothing else.

Each server process keeps an exact registry of its own open sockets — which learner, on which
course page, from which province — and counts from it, so a count can only be wrong while a
socket is wrong, never drift. A learner with several tabs counts once (the load balancer sends
one learner's sockets to one process: it hashes on the session cookie).

Across processes the counts meet in a store:
- embedded default (one process, in-memory channel layer): the store is the registry itself;
- production (``REDIS_URL``): every process publishes its counts as one small Redis key that
  expires unless refreshed (``PRESENCE_TTL_SECONDS``). A process that dies simply stops
  refreshing and its learners disappear from the totals within the TTL; nothing is decremented
  by anyone else, so nothing can be left behind. Connect and disconnect never touch Redis: the
  process republishes at most once a second when its counts changed, and every TTL/3 anyway.
  A process stopped on purpose (a deploy) withdraws its key as it stops (``withdraw``), so its
  learners are not counted twice while they reconnect to the new processes.
"""

import asyncio
import json
import os
import socket
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from redis.exceptions import RedisError

# A learner opening more tabs than this on one process gets no more live sockets (the pages
# still work: the socket only ever adds).
MAX_SOCKETS_PER_LEARNER = 5


@dataclass(frozen=True)
class Counts:
    learners: int = 0
    by_course: dict[int, int] = field(default_factory=dict)
    by_province: dict[int, int] = field(default_factory=dict)

    def as_json(self) -> str:
        return json.dumps(
            {"learners": self.learners, "courses": self.by_course, "provinces": self.by_province}
        )

    @classmethod
    def total(cls, parts: list["Counts"]) -> "Counts":
        courses: Counter = Counter()
        provinces: Counter = Counter()
        for part in parts:
            courses.update(part.by_course)
            provinces.update(part.by_province)
        return cls(sum(part.learners for part in parts), dict(courses), dict(provinces))

    @classmethod
    def from_json(cls, text: str | bytes) -> "Counts":
        data = json.loads(text)
        return cls(
            int(data["learners"]),
            {int(key): int(value) for key, value in data["courses"].items()},
            {int(key): int(value) for key, value in data["provinces"].items()},
        )


@dataclass(frozen=True)
class Socket:
    learner_id: int
    course_id: int | None
    province_id: int | None


class Registry:
    """This process's open sockets, and exact counts of distinct learners derived from them."""

    def __init__(self) -> None:
        self.sockets: dict[str, Socket] = {}
        self.per_learner: Counter = Counter()  # learner → open sockets
        self.per_learner_course: Counter = Counter()  # (learner, course) → open sockets
        self.province_of: dict[int, int | None] = {}
        self.version = 0  # bumped on every change, for the publisher

    def add(self, channel: str, entry: Socket) -> bool:
        """Register a socket; False (and nothing registered) when the learner is at the cap."""
        if channel in self.sockets:
            return True
        if self.per_learner[entry.learner_id] >= MAX_SOCKETS_PER_LEARNER:
            return False
        self.sockets[channel] = entry
        self.per_learner[entry.learner_id] += 1
        self.province_of[entry.learner_id] = entry.province_id
        if entry.course_id is not None:
            self.per_learner_course[(entry.learner_id, entry.course_id)] += 1
        self.version += 1
        return True

    def remove(self, channel: str) -> None:
        entry = self.sockets.pop(channel, None)
        if entry is None:
            return
        self.per_learner[entry.learner_id] -= 1
        if self.per_learner[entry.learner_id] <= 0:
            del self.per_learner[entry.learner_id]
            del self.province_of[entry.learner_id]
        if entry.course_id is not None:
            key = (entry.learner_id, entry.course_id)
            self.per_learner_course[key] -= 1
            if self.per_learner_course[key] <= 0:
                del self.per_learner_course[key]
        self.version += 1

    def counts(self) -> Counts:
        courses = Counter(course for _learner, course in self.per_learner_course)
        provinces = Counter(p for p in self.province_of.values() if p is not None)
        return Counts(len(self.per_learner), dict(courses), dict(provinces))


REGISTRY = Registry()


def ttl_seconds() -> int:
    return int(getattr(settings, "PRESENCE_TTL_SECONDS", 60))


@cache
def process_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _prefix() -> str:
    return getattr(settings, "PRESENCE_KEY_PREFIX", "bdhvs:presence")


@cache
def _sync_redis(url: str):
    import redis

    return redis.Redis.from_url(url)


@cache
def _async_redis(url: str, loop: asyncio.AbstractEventLoop):
    """One client per event loop: a client's connections belong to the loop that made them."""
    import redis.asyncio

    return redis.asyncio.Redis.from_url(url)


def uses_redis() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


async def publish(counts: Counts) -> None:
    """Put this process's counts where every process can read them, for one TTL."""
    if not uses_redis():
        return
    prefix, ttl = _prefix(), ttl_seconds()
    client = _async_redis(settings.REDIS_URL, asyncio.get_running_loop())
    async with client.pipeline(transaction=False) as pipe:
        pipe.set(f"{prefix}:proc:{process_id()}", counts.as_json(), ex=ttl)
        pipe.zadd(f"{prefix}:procs", {process_id(): time.time()})
        await pipe.execute()


def online_counts() -> Counts:
    """Learners online now, across every server process."""
    if not uses_redis():
        return REGISTRY.counts()
    prefix, ttl = _prefix(), ttl_seconds()
    client = _sync_redis(settings.REDIS_URL)
    client.zremrangebyscore(f"{prefix}:procs", "-inf", time.time() - ttl)
    ids = [member.decode() for member in client.zrange(f"{prefix}:procs", 0, -1)]
    if not ids:
        return Counts()
    snapshots = client.mget([f"{prefix}:proc:{member}" for member in ids])
    return Counts.total([Counts.from_json(text) for text in snapshots if text is not None])


class Publisher:
    """Republishes this process's counts: soon after a change, and every TTL/3 regardless."""

    CHANGE_DELAY = 1.0

    def __init__(self) -> None:
        self.task: asyncio.Task | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stopped = False

    def ensure_running(self) -> None:
        if not uses_redis() or self.stopped:
            return
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.done() or self.loop is not loop:
            self.loop = loop
            self.task = loop.create_task(self.run())

    async def run(self) -> None:
        published, last = -1, 0.0
        while True:
            heartbeat = ttl_seconds() / 3
            if REGISTRY.version != published or time.monotonic() - last >= heartbeat:
                version = REGISTRY.version
                try:
                    await publish(REGISTRY.counts())
                    published, last = version, time.monotonic()
                except (OSError, RedisError):  # Redis briefly away: keep serving, try again soon
                    pass
            await asyncio.sleep(self.CHANGE_DELAY)

    async def stop(self) -> None:
        """Publish no more, and return once no publish can still be on its way to Redis."""
        self.stopped = True
        task, self.task = self.task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


PUBLISHER = Publisher()


async def withdraw() -> None:
    """This process is stopping: take its learners out of the totals now, not after the TTL.

    Their sockets are closing with it and will reconnect to the processes that replace it;
    counted here as well until the key expired, each of them would be online twice.
    """
    await PUBLISHER.stop()
    if not uses_redis():
        return
    prefix = _prefix()
    client = _async_redis(settings.REDIS_URL, asyncio.get_running_loop())
    try:
        async with client.pipeline(transaction=False) as pipe:
            pipe.delete(f"{prefix}:proc:{process_id()}")
            pipe.zrem(f"{prefix}:procs", process_id())
            await pipe.execute()
    except (OSError, RedisError):  # Redis away: the key expires within the TTL as for a crash
        pass
