"""The WebSocket endpoint through the real ASGI application: session, account and origin checks."""

import asyncio
import threading
import weakref

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.db import connections
from django.test import Client

from learning import consumers
from learning.asgi import application
from learning.realtime import learner_group

# Transactional: flushing would drop the migrated provinces and home page, hence the rollback data.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OWN_ORIGIN = b"http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
async def _close_connections_of_the_sync_thread():
    """Close the connection of the thread-sensitive executor's thread, so PostgreSQL can drop the
    test database at the end (the sockets' own threads close theirs when the database goes: the
    django_db_setup fixture in tests/conftest.py)."""
    yield
    await sync_to_async(connections.close_all)()


def session_cookie_for(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def communicator(*, cookie: bytes | None = None, origin: bytes = OWN_ORIGIN) -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"127.0.0.1:8000")]
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, "/ws/live/", headers=headers)


async def test_signed_in_learner_connects_and_receives_pushes_to_their_group(learner):
    socket = communicator(cookie=await sync_to_async(session_cookie_for)(learner))
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_json_from() == {"type": "hello"}

    await get_channel_layer().group_send(
        learner_group(learner.pk),
        {"type": "learner.push", "message": {"type": "notification", "text": "Xin chào"}},
    )

    assert await socket.receive_json_from(timeout=2) == {"type": "notification", "text": "Xin chào"}
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    await socket.disconnect()


async def test_pushes_to_another_learner_do_not_arrive(learner):
    from tests.factories import ProfileFactory

    other = await sync_to_async(lambda: ProfileFactory().user)()
    socket = communicator(cookie=await sync_to_async(session_cookie_for)(learner))
    await socket.connect()
    await socket.receive_json_from()

    await get_channel_layer().group_send(
        learner_group(other.pk), {"type": "learner.push", "message": {"type": "notification"}}
    )

    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_anonymous_visitor_is_refused():
    socket = communicator()
    connected, code = await socket.connect()
    assert not connected
    assert code == 4401


async def test_foreign_origin_is_refused_even_when_signed_in(learner):
    socket = communicator(
        cookie=await sync_to_async(session_cookie_for)(learner), origin=b"https://evil.example"
    )
    connected, _ = await socket.connect()
    assert not connected


async def test_a_signed_out_session_is_refused(learner):
    def sign_in_then_out():
        client = Client()
        client.force_login(learner)
        key = client.cookies["sessionid"].value
        client.post("/dang-xuat/")
        assert not Session.objects.filter(session_key=key).exists()
        return f"sessionid={key}".encode()

    cookie = await sync_to_async(sign_in_then_out)()
    connected, code = await communicator(cookie=cookie).connect()
    assert not connected
    assert code == 4401


async def test_a_session_whose_password_changed_is_refused(learner):
    cookie = await sync_to_async(session_cookie_for)(learner)

    def change_password():
        learner.set_password("mật khẩu mới 2026")
        learner.save()

    await sync_to_async(change_password)()
    connected, code = await communicator(cookie=cookie).connect()
    assert not connected
    assert code == 4401


async def test_handshakes_do_not_wait_behind_other_work_of_the_thread_sensitive_executor(learner):
    """A mass reconnect's handshakes used to queue on the process's one thread-sensitive thread;
    they now have threads of their own, so a socket opens while that thread is busy."""
    cookie = await sync_to_async(session_cookie_for)(learner)
    busy, release = threading.Event(), threading.Event()

    def hold_the_thread():
        busy.set()
        release.wait(timeout=10)

    held = asyncio.ensure_future(sync_to_async(hold_the_thread, thread_sensitive=True)())
    await asyncio.get_running_loop().run_in_executor(None, busy.wait, 5)
    try:
        socket = communicator(cookie=cookie)
        connected, _ = await socket.connect(timeout=5)
        assert connected
        assert await socket.receive_json_from() == {"type": "hello"}
        await get_channel_layer().group_send(
            learner_group(learner.pk), {"type": "learner.push", "message": {"type": "notification"}}
        )
        assert await socket.receive_json_from(timeout=5) == {"type": "notification"}
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from(timeout=5) == {"type": "pong"}
        assert not held.done()  # the thread was busy the whole time
        await socket.disconnect()
    finally:
        release.set()
        await held


async def test_group_joins_and_leaves_in_flight_are_bounded(monkeypatch):
    """A deploy closes every socket of a process at once; the channel layer's Redis pool refuses
    connections past its size rather than wait, so joins and leaves wait their turn here."""
    from tests.factories import ProfileFactory

    monkeypatch.setattr(consumers, "LAYER_CALLS_AT_ONCE", 2)
    monkeypatch.setattr(consumers, "_layer_slots", weakref.WeakKeyDictionary())
    layer = get_channel_layer()
    in_flight, most = 0, 0

    def counted(call):
        async def wrapper(*args, **kwargs):
            nonlocal in_flight, most
            in_flight += 1
            most = max(most, in_flight)
            await asyncio.sleep(0.02)
            try:
                return await call(*args, **kwargs)
            finally:
                in_flight -= 1

        return wrapper

    monkeypatch.setattr(layer, "group_add", counted(layer.group_add))
    monkeypatch.setattr(layer, "group_discard", counted(layer.group_discard))
    cookies = [
        await sync_to_async(session_cookie_for)(await sync_to_async(lambda: ProfileFactory().user)())
        for _ in range(6)
    ]
    sockets = [communicator(cookie=cookie) for cookie in cookies]
    opened = await asyncio.gather(*(socket.connect(timeout=10) for socket in sockets))
    assert all(connected for connected, _ in opened)
    assert [await socket.receive_json_from() for socket in sockets] == [{"type": "hello"}] * 6
    await asyncio.gather(*(socket.disconnect() for socket in sockets))

    assert most == 2
    assert in_flight == 0


def test_the_database_threads_connections_are_all_closed_on_request():
    """Connections belong to a thread, and a kept one (CONN_MAX_AGE) stays open after a call:
    PostgreSQL then refuses to drop the database. Each thread closes its own."""
    threads = consumers.settings.LIVE_DATABASE_THREADS

    def on_every_thread(work):
        barrier = threading.Barrier(threads, timeout=10)

        def held():
            barrier.wait()
            return threading.get_ident(), work()

        return dict(
            task.result() for task in [consumers._database_threads.submit(held) for _ in range(threads)]
        )

    opened = on_every_thread(lambda: connections["default"].ensure_connection())
    assert len(opened) == threads

    consumers.close_database_threads_connections()

    still_open = on_every_thread(lambda: connections["default"].connection is not None)
    assert still_open.keys() == opened.keys()
    assert not any(still_open.values())
