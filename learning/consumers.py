import asyncio
import json
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from urllib.parse import parse_qs

from channels.auth import get_user
from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.generation import PerGeneration
from learning import presence
from learning.handshakes import CLOSE_TRY_AGAIN_LATER
from learning.models import Profile
from learning.prepared import PreparedRead
from learning.realtime import learner_group
from learning.sandboxes import upcoming_status_changes
from quizzes.models import Attempt, AttemptState

# Application close codes (4000–4999 are free for applications).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_TOO_MANY = 4429  # too many messages, or too many sockets for one learner
# Daphne's WebSocket library lets a server send only 1000 or 3000-4999: RFC 6455's own codes
# (1009 "too big", 1003 "unsupported") raise inside it and reach the client as 1011.
CLOSE_TOO_BIG = 4413  # a message too big (as HTTP 413)
CLOSE_UNSUPPORTED = 4415  # a binary frame: not part of this protocol (as HTTP 415)
# What a client may send: a few small messages ("ping"). A bucket of 10, refilled at 1 a second.
MAX_MESSAGE_BYTES = 512
MESSAGE_BURST = 10
MESSAGES_PER_SECOND = 1.0
# When a timed quiz warns that time is running out.
WARN_SECONDS_BEFORE_DEADLINE = 120


_live_courses = PerGeneration(limit=1)


def live_course_ids() -> frozenset[int]:
    """The live course pages, remembered by this process while no page changes."""
    from courses.models import CoursePage

    remembered = _live_courses.fresh()
    if "ids" not in remembered:
        remembered.remember("ids", frozenset(CoursePage.objects.live().values_list("pk", flat=True)))
    return remembered["ids"]


# A handshake is the hot path of a mass reconnect: its reads are prepared (learning/prepared.py).
_province_of = PreparedRead(
    lambda learner: Profile.objects.filter(user_id=learner).values_list("province_id", flat=True)[:1],
    learner=int,
)
_open_timed_attempts = PreparedRead(
    lambda learner: Attempt.objects.filter(
        learner_id=learner, state=AttemptState.OPEN, deadline__isnull=False
    ).values_list("pk", "quiz__title", "deadline"),
    learner=int,
)


def presence_facts(learner_id: int, course_param: str) -> tuple[int | None, int | None]:
    """The course page the socket is open on (only a live course counts) and the learner's province."""
    course_id = None
    if course_param.isdigit() and len(course_param) < 10 and int(course_param) in live_course_ids():
        course_id = int(course_param)
    return course_id, _province_of.first(learner=learner_id)


def open_deadlines(learner_id: int) -> list[tuple[int, str, datetime]]:
    """(attempt id, quiz title, deadline) of the learner's open timed attempts, soonest first
    (sorted here: Django's ORDER BY costs more CPU than sorting the one or two rows)."""
    return sorted(_open_timed_attempts.all(learner=learner_id), key=lambda row: row[2])


def timed_events(learner_id: int) -> tuple[list, list]:
    """The learner's quiz deadlines and coming dossier status changes, for the socket's timers."""
    return open_deadlines(learner_id), upcoming_status_changes(learner_id)


# The sockets' database work runs on threads of its own, several at once, not on the one thread
# that asgiref gives all thread-sensitive code of a process: there every handshake of a mass
# reconnect waited behind every other, and each spent most of its turn waiting for a reply from
# PostgreSQL (a py-spy profile of a 9,000-learner ramp: 40 % of that thread's samples). Each call is
# a read on its own, so it needs no particular thread; the threads stay below the process's
# database pool (DATABASE_POOL_SIZE).
_database_threads = ThreadPoolExecutor(
    max_workers=settings.LIVE_DATABASE_THREADS, thread_name_prefix="live-database"
)


def close_database_threads_connections(timeout: float = 10.0) -> None:
    """Close the database connection each of the sockets' database threads holds.

    Django's connections belong to a thread, so each thread must close its own. One task per
    thread, all held at a barrier until every thread has one: no thread can take two. For a
    shutdown, or a test run's end, before its database is dropped."""
    from django.db import connections

    barrier = threading.Barrier(settings.LIVE_DATABASE_THREADS, timeout=timeout)

    def close_own() -> None:
        barrier.wait()
        connections.close_all()

    tasks = [_database_threads.submit(close_own) for _ in range(settings.LIVE_DATABASE_THREADS)]
    for task in tasks:
        task.result(timeout=timeout)


def on_database_thread(function):
    """function, run on one of the sockets' database threads (closing old connections as Channels'
    database_sync_to_async does)."""
    return DatabaseSyncToAsync(function, thread_sensitive=False, executor=_database_threads)


# Joins and leaves of learner groups in flight at once, per process. redis-py's asyncio pool (the
# channel layer's) refuses a 101st connection rather than wait for one, and a deploy closes every
# socket of a process at once: 6,000 learners' mass reconnect met 5,888 "Too many connections".
LAYER_CALLS_AT_ONCE = 50
_layer_slots: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = (
    weakref.WeakKeyDictionary()
)


def layer_slot() -> asyncio.Semaphore:
    """The running event loop's bound on group joins and leaves in flight."""
    loop = asyncio.get_running_loop()
    slot = _layer_slots.get(loop)
    if slot is None:
        slot = _layer_slots[loop] = asyncio.Semaphore(LAYER_CALLS_AT_ONCE)
    return slot


# Why a handshake is turned away after its trip to the database.
WAITED_TOO_LONG = "waited too long"
SIGNED_OUT = "signed out"


def connect_facts(scope: dict, course_param: str, arrived_at: float):
    """The learner, and what the socket needs to start: one trip to the database per handshake.

    Returns WAITED_TOO_LONG when the handshake queued too long to be worth the work (judged here,
    where handshakes wait: learning/handshakes.py), SIGNED_OUT when the session holds no account,
    else (user, (course id, province id), (deadlines, status changes))."""
    if time.monotonic() - arrived_at > settings.LIVE_HANDSHAKE_MAX_WAIT_SECONDS:
        return WAITED_TOO_LONG
    # Channels' own check of the session and its account (AuthMiddleware's), run here rather
    # than in a trip of its own.
    user = get_user.func(scope)
    if not user.is_authenticated:
        return SIGNED_OUT
    return user, presence_facts(user.pk, course_param), timed_events(user.pk)


_connect_facts = on_database_thread(connect_facts)
_timed_events = on_database_thread(timed_events)


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """One socket per open page of a signed-in learner: presence, and pushes to them.

    The socket only ever adds to the page: everything it says is also visible on reload.
    Timers that belong to the learner (a quiz's "2 minutes left", a practice dossier's next
    status) run here, per connection,
    so they work on any channel layer and cost nothing when nobody is connected.
    """

    async def dispatch(self, message: dict) -> None:
        """Channels' dispatch without its hop to the thread-sensitive thread before every message.

        Channels closes old database connections there before each handler (the handshake, every
        push, every ping, the disconnect), on the one thread a process has for thread-sensitive
        work, so a mass reconnect queued on it twice per socket. This consumer's database work
        runs only through on_database_thread, which closes its thread's connections before and
        after each call, so the hop closed nothing of ours."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        if settings.SESSION_COOKIE_NAME not in self.scope.get("cookies", {}):
            # Closing before accepting makes Daphne refuse the handshake with HTTP 403.
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        course_param = parse_qs(self.scope.get("query_string", b"").decode("latin-1")).get("course", [""])[0]
        # One trip to the database for everything the socket needs to start, the account included.
        arrived_at = self.scope.get("arrived_at", time.monotonic())
        facts = await _connect_facts(self.scope, course_param, arrived_at)
        if facts == WAITED_TOO_LONG:
            # Accepted and closed at once, the page counts it as a socket the server closed and
            # comes back after a random wait within its reconnect spread (live.js).
            await self.accept()
            await self.close(code=CLOSE_TRY_AGAIN_LATER)
            return
        if facts == SIGNED_OUT:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        user, (course_id, province_id), timed = facts
        self.scope["user"] = user
        if not presence.REGISTRY.add(self.channel_name, presence.Socket(user.pk, course_id, province_id)):
            await self.close(code=CLOSE_TOO_MANY)
            return
        presence.PUBLISHER.ensure_running()
        self.tokens, self.refilled_at = float(MESSAGE_BURST), time.monotonic()
        self.group = learner_group(user.pk)
        self.timers: list[asyncio.TimerHandle] = []
        async with layer_slot():
            await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello"})
        self.set_timers(*timed)

    async def disconnect(self, code: int) -> None:
        presence.REGISTRY.remove(self.channel_name)
        for timer in getattr(self, "timers", []):
            timer.cancel()
        group = getattr(self, "group", None)
        if group:
            async with layer_slot():
                await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        """Small text messages at a modest rate; anything else closes this socket, and only it."""
        if bytes_data is not None:
            await self.close(code=CLOSE_UNSUPPORTED)
            return
        if len(text_data or "") > MAX_MESSAGE_BYTES:
            await self.close(code=CLOSE_TOO_BIG)
            return
        now = time.monotonic()
        self.tokens = min(MESSAGE_BURST, self.tokens + (now - self.refilled_at) * MESSAGES_PER_SECOND)
        self.refilled_at = now
        if self.tokens < 1:
            await self.close(code=CLOSE_TOO_MANY)
            return
        self.tokens -= 1
        try:
            content = json.loads(text_data or "")
        except ValueError:
            return
        # Learner actions travel over HTTP; the only thing a client may say is "ping".
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def learner_push(self, event: dict) -> None:
        """Forward a message sent to this learner's group."""
        await self.send_json(event["message"])

    async def learner_timers(self, event: dict) -> None:
        """A timed attempt started, a deadline moved or a dossier was filed: set the timers again."""
        await self.schedule_timers()

    async def schedule_timers(self) -> None:
        self.set_timers(*await _timed_events(self.scope["user"].pk))

    def set_timers(self, deadlines, changes) -> None:
        for timer in self.timers:
            timer.cancel()
        self.timers = []
        loop = asyncio.get_running_loop()
        now = timezone.now()
        for attempt_id, title, deadline in deadlines:
            if deadline <= now:
                continue
            delay = max(0.0, (deadline - now).total_seconds() - WARN_SECONDS_BEFORE_DEADLINE)
            self.timers.append(
                loop.call_later(delay, lambda a=attempt_id, t=title: asyncio.ensure_future(self.warn(a, t)))
            )
        for when, code, status, run_id in changes:
            delay = max(0.0, (when - now).total_seconds())
            self.timers.append(
                loop.call_later(
                    delay,
                    lambda c=code, s=status, r=run_id, w=when: asyncio.ensure_future(
                        self.dossier_status(c, s, r, w)
                    ),
                )
            )

    async def dossier_status(self, code: str, status: str, run_id: int, when) -> None:
        await self.send_json(
            {
                "type": "notification",
                "kind": "dossier-status",
                "at": when.isoformat(),  # when the change happened: lets clients measure the delay
                "title": _("Hồ sơ %(code)s: %(status)s") % {"code": code, "status": status},
                "body": _(
                    "Trạng thái hồ sơ thực hành vừa thay đổi. Tải lại trang tra cứu sẽ thấy đúng như vậy."
                ),
                "url": reverse("learning:sandbox_run", args=[run_id]),
            }
        )

    async def warn(self, attempt_id: int, quiz_title: str) -> None:
        await self.send_json(
            {
                "type": "notification",
                "kind": "quiz-time",
                "title": _("Sắp hết giờ làm bài"),
                "body": _(
                    "Bài “%(title)s” còn dưới 2 phút. Các câu bạn đã chọn đều đã được lưu; hãy bấm “Nộp bài”."
                )
                % {"title": quiz_title},
                "url": reverse("learning:attempt", args=[attempt_id]),
            }
        )
