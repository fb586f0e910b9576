"""The WebSocket endpoint through the real ASGI application: auth stack and origin check."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from learning.asgi import application
from learning.realtime import learner_group

# Transactional: flushing would drop the migrated provinces and home page, hence the rollback data.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OWN_ORIGIN = b"http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
async def _close_connections_of_the_sync_thread():
    """The auth middleware reads the session in the thread-sensitive executor; close that
    thread's connection so PostgreSQL can drop the test database at the end."""
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
