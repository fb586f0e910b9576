"""Presence through the real ASGI application: counts follow sockets opening and closing, and
per-connection limits close only the abusive socket."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from learning import presence
from learning.asgi import application
from learning.consumers import (
    CLOSE_TOO_BIG,
    CLOSE_TOO_MANY,
    CLOSE_TRY_AGAIN_LATER,
    CLOSE_UNAUTHENTICATED,
    CLOSE_UNSUPPORTED,
    MESSAGE_BURST,
)
from tests.learning.test_live_socket import OWN_ORIGIN, session_cookie_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
async def _close_connections_of_the_sync_thread():
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture(autouse=True)
def _in_memory_presence(settings):
    settings.REDIS_URL = ""  # this process's registry is the store, whatever the suite runs on
    presence.REGISTRY.__init__()
    yield
    presence.REGISTRY.__init__()


def course_ids():
    from courses.models import CoursePage
    from tests.courses.builders import build_course

    build_course(modules=1, lessons_per_module=1)
    build_course(modules=1, lessons_per_module=1)
    return list(CoursePage.objects.live().values_list("pk", flat=True))


def socket_for(cookie: bytes, query: str = "") -> WebsocketCommunicator:
    headers = [(b"origin", OWN_ORIGIN), (b"host", b"127.0.0.1:8000"), (b"cookie", cookie)]
    return WebsocketCommunicator(application, f"/ws/live/{query}", headers=headers)


async def opened(cookie: bytes, query: str = "") -> WebsocketCommunicator:
    socket = socket_for(cookie, query)
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_json_from() == {"type": "hello"}
    return socket


async def learner_with_cookie(province_code: int | None = None):
    from learning.models import Commune
    from tests.factories import ProfileFactory

    def make():
        if province_code is None:
            user = ProfileFactory().user
        else:
            commune = Commune.objects.filter(province_id=province_code).first()
            user = ProfileFactory(province=commune.province, commune=commune).user
        return user, session_cookie_for(user)

    return await sync_to_async(make)()


async def test_counts_follow_sockets_per_course_and_province():
    first, second = await sync_to_async(course_ids)()
    (_a, cookie_a), (_b, cookie_b) = await learner_with_cookie(1), await learner_with_cookie(79)
    tab1 = await opened(cookie_a, f"?course={first}")
    tab2 = await opened(cookie_a, f"?course={first}")
    other = await opened(cookie_b, f"?course={second}")
    bogus = await opened(cookie_b, "?course=999999")  # not a live course: counted, but for no course
    counts = presence.online_counts()
    assert counts.learners == 2 and counts.by_course == {first: 1, second: 1}
    assert counts.by_province == {1: 1, 79: 1}
    await tab1.disconnect()
    assert presence.online_counts().by_course == {first: 1, second: 1}  # the other tab stays
    await tab2.disconnect()
    # An abrupt close reaches the consumer as a plain disconnect, exactly like a clean one.
    await other.disconnect()
    assert presence.online_counts() == presence.Counts(1, {}, {79: 1})
    await bogus.disconnect()
    assert presence.online_counts() == presence.Counts()


async def test_a_learner_cannot_hold_more_than_the_cap_of_sockets():
    _learner, cookie = await learner_with_cookie()
    sockets = [await opened(cookie) for _ in range(presence.MAX_SOCKETS_PER_LEARNER)]
    refused = socket_for(cookie)
    connected, code = await refused.connect()
    assert not connected and code == CLOSE_TOO_MANY
    assert presence.online_counts().learners == 1
    await sockets[0].disconnect()
    again = await opened(cookie)  # a closed tab frees its place
    for socket in [*sockets[1:], again]:
        await socket.disconnect()


@pytest.mark.parametrize(
    ("abuse", "code"),
    [
        (lambda s: s.send_to(text_data="x" * 600), CLOSE_TOO_BIG),
        (lambda s: s.send_to(bytes_data=b"\x00\x01"), CLOSE_UNSUPPORTED),
    ],
)
async def test_oversized_or_binary_messages_close_only_that_socket(abuse, code):
    _a, cookie_a = await learner_with_cookie()
    _b, cookie_b = await learner_with_cookie()
    abusive, polite = await opened(cookie_a), await opened(cookie_b)
    await abuse(abusive)
    assert await abusive.receive_output(timeout=1) == {"type": "websocket.close", "code": code}
    await polite.send_json_to({"type": "ping"})
    assert await polite.receive_json_from() == {"type": "pong"}
    assert presence.online_counts().learners == 2  # closing is the server's side; the disconnect follows
    await abusive.disconnect()
    assert presence.online_counts().learners == 1
    await polite.disconnect()


async def test_a_flood_of_messages_closes_the_socket_but_a_modest_rate_is_fine():
    _a, cookie = await learner_with_cookie()
    socket = await opened(cookie)
    for _ in range(MESSAGE_BURST):
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from() == {"type": "pong"}
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_output(timeout=1) == {"type": "websocket.close", "code": CLOSE_TOO_MANY}
    await socket.disconnect()


async def test_garbage_is_ignored_without_closing():
    _a, cookie = await learner_with_cookie()
    socket = await opened(cookie, "?course=abc&course=1;DROP")
    await socket.send_to(text_data="{not json")
    await socket.send_json_to(["ping"])
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong"}
    assert presence.online_counts().by_course == {}
    await socket.disconnect()


async def test_a_course_unpublished_after_sockets_counted_it_is_not_counted_for_new_ones():
    """The live courses are remembered per process while no page changes: unpublishing one in
    the CMS reaches the next handshake."""
    from courses.models import CoursePage

    first, second = await sync_to_async(course_ids)()
    _learner, cookie = await learner_with_cookie(1)
    before = await opened(cookie, f"?course={first}")
    assert presence.online_counts().by_course == {first: 1}
    await sync_to_async(lambda: CoursePage.objects.get(pk=first).unpublish())()
    after = await opened(cookie, f"?course={first}")
    elsewhere = await opened(cookie, f"?course={second}")
    assert presence.online_counts().by_course == {first: 1, second: 1}  # only the earlier socket
    await before.disconnect()
    assert presence.online_counts().by_course == {second: 1}
    await after.disconnect()
    await elsewhere.disconnect()


async def test_a_handshake_that_queued_too_long_is_told_to_come_back_later_and_not_counted(settings):
    _learner, cookie = await learner_with_cookie(1)
    settings.LIVE_HANDSHAKE_MAX_WAIT_SECONDS = -1  # every handshake has waited too long
    socket = socket_for(cookie)
    connected, _ = await socket.connect()
    assert connected  # accepted, so the page treats it as a close by the server and spreads its retry
    assert await socket.receive_output() == {"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER}
    assert presence.online_counts() == presence.Counts()
    settings.LIVE_HANDSHAKE_MAX_WAIT_SECONDS = 10
    again = await opened(cookie)
    assert presence.online_counts().learners == 1
    await again.disconnect()


def admission():
    return application.application_mapping["websocket"]


async def test_past_the_handshakes_in_flight_one_is_turned_away_without_loading_anything(
    settings, monkeypatch
):
    _learner, cookie = await learner_with_cookie(1)
    settings.LIVE_HANDSHAKES_IN_FLIGHT = 0  # every further handshake is one too many

    async def no_session_or_account_load(scope):
        raise AssertionError("a turned-away handshake loaded the session and account")

    monkeypatch.setattr("channels.auth.get_user", no_session_or_account_load)
    socket = socket_for(cookie)
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_output() == {"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER}
    assert presence.online_counts() == presence.Counts()
    await socket.disconnect()


async def test_every_handshake_leaves_the_count_in_flight_whatever_its_end(settings):
    """Accepted, refused, turned away after queueing, or left by its client before an answer:
    none may stay counted, or the process would turn every later learner away."""
    _learner, cookie = await learner_with_cookie(1)
    accepted = await opened(cookie)
    refused = socket_for(b"sessionid=nobody")
    assert (await refused.connect())[0] is False
    settings.LIVE_HANDSHAKE_MAX_WAIT_SECONDS = -1
    queued_too_long = socket_for(cookie)
    assert (await queued_too_long.connect())[0] is True
    settings.LIVE_HANDSHAKE_MAX_WAIT_SECONDS = 10
    left = socket_for(cookie)
    await left.send_input({"type": "websocket.disconnect", "code": 1001})  # gone before the answer
    await left.wait()
    assert admission().in_flight == 0
    await accepted.disconnect()
    await queued_too_long.disconnect()


async def test_the_application_notes_when_a_handshake_arrived(settings):
    import time

    from learning.handshakes import HandshakeAdmission

    seen = {}

    async def app(scope, receive, send):
        seen.update(scope)

    before = time.monotonic()
    await HandshakeAdmission(app)({"type": "websocket", "path": "/ws/live/"}, None, None)
    assert before <= seen["arrived_at"] <= time.monotonic() and seen["path"] == "/ws/live/"


@pytest.mark.parametrize(
    "code", [CLOSE_TOO_BIG, CLOSE_TOO_MANY, CLOSE_TRY_AGAIN_LATER, CLOSE_UNSUPPORTED, CLOSE_UNAUTHENTICATED]
)
def test_daphne_can_send_every_close_code_the_socket_uses(code):
    """The in-process communicator passes any code; Daphne's library (autobahn) refuses RFC 6455's
    own, and the client would see 1011 instead."""
    from autobahn.websocket.protocol import WebSocketServerProtocol

    sent = []
    protocol = WebSocketServerProtocol()
    protocol.sendCloseFrame = lambda **frame: sent.append(frame["code"])
    protocol.sendClose(code=code)
    assert sent == [code]
